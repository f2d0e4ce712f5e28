// Untrained presets: shapes, HF-style initialisation from a private seed, and a complete HF folder.
#include "support/fixtures.h"

#include "core/io/safetensors.h"
#include "core/model/clip_checkpoint.h"
#include "core/model/clip_presets.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <ATen/ATen.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <nlohmann/json.hpp>

using namespace phototune;
namespace fs = std::filesystem;

namespace {

std::int64_t parameter_count(ClipModelImpl& model)
{
    std::int64_t count = 0;
    for (const auto& p : model.parameters()) count += p.numel();
    return count;
}

} // namespace

class TestModelPresets : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shapes_of_the_presets();
    void initialisation_follows_transformers();
    void seed_decides_the_weights();
    void writes_a_complete_hf_folder();
    void unknown_preset_and_missing_tokenizer_are_refused();
};

void TestModelPresets::shapes_of_the_presets()
{
    ClipModel tiny = create_untrained_clip("tiny", 1);
    QCOMPARE(parameter_count(*tiny), std::int64_t(3505281)); // the fixture's tiny-clip
    QVERIFY(tiny->config().phototune_untrained);
    QCOMPARE(tiny->config().name_or_path, std::string("phototune-untrained-tiny"));
    ClipModel small = create_untrained_clip("small", 1);
    qInfo("small preset: %.1f M parameters", parameter_count(*small) / 1e6);
    QCOMPARE(small->config().vision_config.head_dim(), std::int64_t(64));
    const ClipConfig vit = clip_preset_config("vit-b-32");
    QCOMPARE(vit.vision_config.hidden_size, std::int64_t(768));
    QCOMPARE(vit.text_config.hidden_size, std::int64_t(512));
    ClipModel vit_model = create_untrained_clip("vit-b-32", 1);
    QCOMPARE(parameter_count(*vit_model), std::int64_t(151277313)); // openai/clip-vit-base-patch32
}

void TestModelPresets::initialisation_follows_transformers()
{
    ClipModel model = create_untrained_clip("small", 7);
    const auto p = model->named_parameters();
    const auto std_of = [&](const char* name) { return p[name].std().item<double>(); };
    const auto near = [](double actual, double expected) { return std::abs(actual / expected - 1.0) < 0.05; };
    const double width = 256, layers = 4;
    QVERIFY(near(std_of("text_model.embeddings.token_embedding.weight"), 0.02));
    QVERIFY(near(std_of("vision_model.embeddings.patch_embedding.weight"), 0.02));
    QVERIFY(near(std_of("vision_model.embeddings.class_embedding"), 1.0 / std::sqrt(width)));
    QVERIFY(near(std_of("text_model.encoder.layers.0.self_attn.q_proj.weight"),
                 1.0 / std::sqrt(width) / std::sqrt(2 * layers)));
    QVERIFY(near(std_of("vision_model.encoder.layers.3.self_attn.out_proj.weight"), 1.0 / std::sqrt(width)));
    QVERIFY(near(std_of("vision_model.encoder.layers.1.mlp.fc1.weight"), 1.0 / std::sqrt(2 * width)));
    QVERIFY(near(std_of("text_model.encoder.layers.2.mlp.fc2.weight"), 1.0 / std::sqrt(width) / std::sqrt(2 * layers)));
    QVERIFY(near(std_of("visual_projection.weight"), 1.0 / std::sqrt(width)));
    QVERIFY(at::equal(p["vision_model.pre_layrnorm.weight"], at::ones({256})));
    QVERIFY(at::equal(p["text_model.encoder.layers.0.layer_norm2.bias"], at::zeros({256})));
    QVERIFY(at::equal(p["text_model.encoder.layers.0.self_attn.q_proj.bias"], at::zeros({256})));
    QCOMPARE(p["logit_scale"].item<float>(), 2.6592f);
}

void TestModelPresets::seed_decides_the_weights()
{
    ClipModel a = create_untrained_clip("tiny", 42);
    ClipModel b = create_untrained_clip("tiny", 42);
    ClipModel c = create_untrained_clip("tiny", 43);
    const auto pb = b->named_parameters();
    const auto pc = c->named_parameters();
    for (const auto& item : a->named_parameters()) QVERIFY(at::equal(item.value(), pb[item.key()]));
    QVERIFY(!at::equal(a->text_projection->weight, pc["text_projection.weight"]));
}

void TestModelPresets::writes_a_complete_hf_folder()
{
    PHOTOTUNE_REQUIRE_FIXTURE(tokenizer_dir, "tiny-clip"); // holds the real vocab.json + merges.txt
    QTemporaryDir dir;
    const fs::path out = fs::path(dir.path().toStdString()) / "untrained-tiny";
    write_untrained_model_dir("tiny", out, tokenizer_dir, 5);
    for (const char* file : {"config.json", "model.safetensors", "vocab.json", "merges.txt", "tokenizer_config.json",
                             "special_tokens_map.json", "preprocessor_config.json"})
        QVERIFY2(fs::is_regular_file(out / file), file);
    QCOMPARE(read_text_file(out / "merges.txt"), read_text_file(tokenizer_dir / "merges.txt"));

    const auto config = nlohmann::json::parse(read_text_file(out / "config.json"));
    QCOMPARE(config.at("phototune_untrained").get<bool>(), true);
    QCOMPARE(config.at("_name_or_path").get<std::string>(), std::string("phototune-untrained-tiny"));
    const auto metadata = SafetensorsFile::open(out / "model.safetensors").metadata();
    QCOMPARE(metadata.at("phototune_untrained"), std::string("true"));
    QCOMPARE(metadata.at("phototune_seed"), std::string("5"));
    nlohmann::json expected_preprocessor = nlohmann::json::parse(read_text_file(tokenizer_dir / "preprocessor_config.json"));
    expected_preprocessor.erase("_valid_processor_keys"); // transformers' bookkeeping, not a setting
    QVERIFY(nlohmann::json::parse(read_text_file(out / "preprocessor_config.json")) == expected_preprocessor);
    const auto tokenizer = nlohmann::json::parse(read_text_file(out / "tokenizer_config.json"));
    QVERIFY(tokenizer == nlohmann::json::parse(read_text_file(tokenizer_dir / "tokenizer_config.json")));

    ClipModel loaded = load_clip_model(out);
    ClipModel expected = create_untrained_clip("tiny", 5);
    const auto p = expected->named_parameters();
    for (const auto& item : loaded->named_parameters()) QVERIFY(at::equal(item.value(), p[item.key()]));
    QVERIFY(loaded->config().phototune_untrained);
}

void TestModelPresets::unknown_preset_and_missing_tokenizer_are_refused()
{
    try {
        create_untrained_clip("huge", 1);
        QFAIL("accepted an unknown preset");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::InvalidInput);
        QVERIFY(std::string(e.what()).find("tiny, small or vit-b-32") != std::string::npos);
    }
    QTemporaryDir dir;
    try {
        write_untrained_model_dir("tiny", fs::path(dir.path().toStdString()) / "m", "/no/tokenizer", 1);
        QFAIL("accepted a missing tokenizer folder");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::NotFound);
        QVERIFY(std::string(e.what()).find("/no/tokenizer/vocab.json") != std::string::npos);
    }
    QVERIFY(!fs::exists(fs::path(dir.path().toStdString()) / "m"));
}

QTEST_GUILESS_MAIN(TestModelPresets)
#include "test_model_presets.moc"

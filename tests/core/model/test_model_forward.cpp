// The HF CLIP forward on the tiny-clip fixture: every output of transformers 4.40 (per-layer hidden
// states included) within the fixtures' tolerance; strict checkpoint loading; half-precision and
// float64 checkpoints.
#include "clip_golden.h"
#include "support/fixtures.h"

#include "core/io/safetensors.h"
#include "core/io/tensor_io.h"
#include "core/model/clip_checkpoint.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <ATen/ATen.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <functional>

using namespace phototune;
namespace fs = std::filesystem;

namespace {

struct GoldenBatch {
    at::Tensor pixel_values, input_ids, attention_mask;
    std::map<std::string, at::Tensor> all;
};

GoldenBatch load_golden(const fs::path& path)
{
    GoldenBatch batch;
    batch.all = load_safetensors(path);
    batch.pixel_values = batch.all.at("input.pixel_values");
    batch.input_ids = batch.all.at("input.input_ids");
    batch.attention_mask = batch.all.at("input.attention_mask");
    return batch;
}

// A copy of tiny-clip's config.json with the given weights.
fs::path model_dir_with(const QTemporaryDir& dir, const fs::path& fixture_dir,
                        const std::vector<std::pair<std::string, at::Tensor>>& tensors)
{
    const fs::path out = fs::path(dir.path().toStdString()) / "model";
    fs::create_directories(out);
    fs::copy_file(fixture_dir / "config.json", out / "config.json");
    save_safetensors(out / "model.safetensors", tensors);
    return out;
}

std::string error_text(const std::function<void()>& action, ErrorCategory expected, bool& matched)
{
    try {
        action();
    } catch (const Error& e) {
        matched = e.category() == expected;
        return e.what();
    }
    matched = false;
    return "no error";
}

} // namespace

class TestModelForward : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void forward_matches_transformers();
    void features_match_embeddings();
    void parameter_tree_equals_checkpoint();
    void loading_lists_every_problem();
    void legacy_position_ids_are_ignored();
    void missing_folder_and_pickles_are_refused();
    void half_precision_checkpoints_load();
    void float64_checkpoint_loads_exactly();
    void save_round_trip();
    void hostile_inputs_are_refused();
};

void TestModelForward::forward_matches_transformers()
{
    PHOTOTUNE_REQUIRE_FIXTURE(model_dir, "tiny-clip");
    PHOTOTUNE_REQUIRE_FIXTURE(golden_path, "forward_golden.safetensors");
    const GoldenBatch golden = load_golden(golden_path);
    ClipModel model = load_clip_model(model_dir);
    at::NoGradGuard no_grad;
    model->forward(golden.pixel_values, golden.input_ids, golden.attention_mask); // warm-up
    QElapsedTimer timer;
    timer.start();
    const ClipOutput out = model->forward(golden.pixel_values, golden.input_ids, golden.attention_mask, true);
    qInfo("tiny-clip forward, 4 images + 4 texts, hidden states kept: %.1f ms", timer.nsecsElapsed() / 1e6);

    QCOMPARE(out.vision_hidden_states.size(), std::size_t(3));
    QCOMPARE(out.text_hidden_states.size(), std::size_t(3));
    const auto result = test::compare_with_golden(out, model->logit_scale, golden.all, 1e-5);
    QVERIFY2(result.failures.empty(), test::joined(result.failures).c_str());
    QCOMPARE(result.compared, std::size_t(17)); // every output.* of the fixture, none skipped
    qInfo("worst max|diff| / max(1, max|golden|): %.2e", result.worst_relative);
}

void TestModelForward::features_match_embeddings()
{
    PHOTOTUNE_REQUIRE_FIXTURE(model_dir, "tiny-clip");
    PHOTOTUNE_REQUIRE_FIXTURE(golden_path, "forward_golden.safetensors");
    const GoldenBatch golden = load_golden(golden_path);
    ClipModel model = load_clip_model(model_dir);
    at::NoGradGuard no_grad;
    const at::Tensor image = model->get_image_features(golden.pixel_values);
    const at::Tensor text = model->get_text_features(golden.input_ids, golden.attention_mask);
    QVERIFY(at::allclose(image, golden.all.at("output.image_embeds_unnormalized"), 0.0, 1e-5));
    QVERIFY(at::allclose(text, golden.all.at("output.text_embeds_unnormalized"), 0.0, 1e-5));
}

void TestModelForward::parameter_tree_equals_checkpoint()
{
    PHOTOTUNE_REQUIRE_FIXTURE(model_dir, "tiny-clip");
    const auto checkpoint = load_safetensors(model_dir / "model.safetensors");
    ClipModel model(load_clip_config(model_dir / "config.json"));
    std::int64_t count = 0;
    const auto parameters = model->named_parameters();
    QCOMPARE(parameters.size(), checkpoint.size());
    for (const auto& item : parameters) {
        const auto found = checkpoint.find(item.key());
        QVERIFY2(found != checkpoint.end(), item.key().c_str());
        QCOMPARE(found->second.sizes().vec(), item.value().sizes().vec());
        count += item.value().numel();
    }
    QCOMPARE(count, std::int64_t(3505281));
    QVERIFY(model->named_buffers().is_empty()); // position_ids are computed, not stored
}

void TestModelForward::loading_lists_every_problem()
{
    PHOTOTUNE_REQUIRE_FIXTURE(fixture_dir, "tiny-clip");
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto& [name, tensor] : load_safetensors(fixture_dir / "model.safetensors")) {
        if (name == "text_model.final_layer_norm.bias") continue;                       // missing
        if (name == "visual_projection.weight") tensors.emplace_back(name, at::zeros({31, 64})); // mis-shaped
        else tensors.emplace_back(name, tensor);
    }
    tensors.emplace_back("vision_model.encoder.layers.7.mlp.fc1.weight", at::zeros({4})); // unexpected
    QTemporaryDir dir;
    const fs::path model_dir = model_dir_with(dir, fixture_dir, tensors);
    bool matched = false;
    const std::string message = error_text([&] { load_clip_model(model_dir); }, ErrorCategory::InvalidInput, matched);
    QVERIFY2(matched, message.c_str());
    for (const char* part : {"text_model.final_layer_norm.bias", "vision_model.encoder.layers.7.mlp.fc1.weight",
                             "visual_projection.weight is [31, 64], config.json needs [32, 64]", "model.safetensors",
                             "1 missing", "1 unexpected", "1 mis-shaped"}) {
        QVERIFY2(message.find(part) != std::string::npos, (message + "\n  lacks: " + part).c_str());
    }
}

void TestModelForward::legacy_position_ids_are_ignored()
{
    PHOTOTUNE_REQUIRE_FIXTURE(fixture_dir, "tiny-clip");
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto& [name, tensor] : load_safetensors(fixture_dir / "model.safetensors"))
        tensors.emplace_back(name, tensor);
    tensors.emplace_back("text_model.embeddings.position_ids", at::arange(77).unsqueeze(0));
    tensors.emplace_back("vision_model.embeddings.position_ids", at::arange(50).unsqueeze(0));
    QTemporaryDir dir;
    ClipModel model = load_clip_model(model_dir_with(dir, fixture_dir, tensors));
    QVERIFY(at::equal(model->logit_scale, load_safetensors(fixture_dir / "model.safetensors").at("logit_scale")));
}

void TestModelForward::missing_folder_and_pickles_are_refused()
{
    bool matched = false;
    std::string message = error_text([] { load_clip_model("/no/such/model"); }, ErrorCategory::NotFound, matched);
    QVERIFY2(matched && message.find("/no/such/model") != std::string::npos, message.c_str());

    PHOTOTUNE_REQUIRE_FIXTURE(fixture_dir, "tiny-clip");
    QTemporaryDir dir;
    const fs::path model_dir = fs::path(dir.path().toStdString());
    fs::copy_file(fixture_dir / "config.json", model_dir / "config.json");
    write_file_atomic(model_dir / "pytorch_model.bin", "not a pickle we would ever open");
    message = error_text([&] { load_clip_model(model_dir); }, ErrorCategory::Unsupported, matched);
    QVERIFY2(matched && message.find("pytorch_model.bin") != std::string::npos, message.c_str());
}

void TestModelForward::half_precision_checkpoints_load()
{
    PHOTOTUNE_REQUIRE_FIXTURE(fixture_dir, "tiny-clip");
    PHOTOTUNE_REQUIRE_FIXTURE(golden_path, "forward_golden.safetensors");
    const GoldenBatch golden = load_golden(golden_path);
    ClipModel reference = load_clip_model(fixture_dir);
    QTemporaryDir dir;
    const struct {
        at::ScalarType dtype;
        const char* file_dtype;
        const char* torch_dtype;
        double tolerance; // relative, as in compare_with_golden
    } cases[] = {{at::kHalf, "F16", "float16", 5e-3}, {at::kBFloat16, "BF16", "bfloat16", 4e-2}};
    for (const auto& c : cases) {
        const fs::path out = fs::path(dir.path().toStdString()) / c.torch_dtype;
        save_clip_model(*reference, out, c.dtype);
        const SafetensorsFile file = SafetensorsFile::open(out / "model.safetensors");
        for (const TensorView& view : file.tensors()) QCOMPARE(std::string(dtype_name(view.dtype)), std::string(c.file_dtype));
        QCOMPARE(load_clip_config(out / "config.json").torch_dtype, std::string(c.torch_dtype));

        ClipModel model = load_clip_model(out);
        for (const auto& p : model->parameters()) QCOMPARE(p.scalar_type(), at::kFloat);
        at::NoGradGuard no_grad;
        const ClipOutput output = model->forward(golden.pixel_values, golden.input_ids, golden.attention_mask, true);
        const auto result = test::compare_with_golden(output, model->logit_scale, golden.all, c.tolerance);
        qInfo("%s checkpoint: worst relative difference to the fp32 golden %.2e", c.torch_dtype, result.worst_relative);
        QVERIFY2(result.failures.empty(), test::joined(result.failures).c_str());
    }
}

void TestModelForward::float64_checkpoint_loads_exactly()
{
    PHOTOTUNE_REQUIRE_FIXTURE(fixture_dir, "tiny-clip");
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    const auto original = load_safetensors(fixture_dir / "model.safetensors");
    for (const auto& [name, tensor] : original) tensors.emplace_back(name, tensor.to(at::kDouble));
    QTemporaryDir dir;
    ClipModel model = load_clip_model(model_dir_with(dir, fixture_dir, tensors));
    for (const auto& item : model->named_parameters()) {
        QCOMPARE(item.value().scalar_type(), at::kFloat);
        QVERIFY2(at::equal(item.value(), original.at(item.key())), item.key().c_str());
    }
}

void TestModelForward::save_round_trip()
{
    PHOTOTUNE_REQUIRE_FIXTURE(fixture_dir, "tiny-clip");
    ClipModel model = load_clip_model(fixture_dir);
    QTemporaryDir dir;
    const fs::path out = fs::path(dir.path().toStdString()) / "nested" / "copy";
    save_clip_model(*model, out, at::kFloat, {{"note", "round trip"}});
    QCOMPARE(SafetensorsFile::open(out / "model.safetensors").metadata().at("format"), std::string("pt"));
    QCOMPARE(SafetensorsFile::open(out / "model.safetensors").metadata().at("note"), std::string("round trip"));
    ClipModel copy = load_clip_model(out);
    QCOMPARE(to_json(copy->config()), to_json(model->config()));
    const auto original = model->named_parameters();
    for (const auto& item : copy->named_parameters()) QVERIFY(at::equal(item.value(), original[item.key()]));
}

void TestModelForward::hostile_inputs_are_refused()
{
    PHOTOTUNE_REQUIRE_FIXTURE(fixture_dir, "tiny-clip");
    ClipModel model = load_clip_model(fixture_dir);
    at::NoGradGuard no_grad;
    const at::Tensor ids = at::full({1, 77}, 49407, at::kLong);
    const at::Tensor mask = at::ones({1, 77}, at::kLong);
    const auto refused = [&](const std::function<void()>& action) {
        bool matched = false;
        const std::string message = error_text(action, ErrorCategory::InvalidInput, matched);
        if (!matched) qWarning("%s", message.c_str());
        return matched;
    };
    QVERIFY(refused([&] { model->get_image_features(at::zeros({1, 3, 200, 224})); }));
    QVERIFY(refused([&] { model->get_image_features(at::zeros({3, 224, 224})); }));
    QVERIFY(refused([&] { model->get_text_features(at::full({1, 77}, 49408, at::kLong), mask); }));
    QVERIFY(refused([&] { model->get_text_features(at::full({1, 77}, -1, at::kLong), mask); }));
    QVERIFY(refused([&] { model->get_text_features(at::full({1, 78}, 1, at::kLong), at::ones({1, 78})); }));
    QVERIFY(refused([&] { model->get_text_features(ids, at::ones({1, 76})); }));
    QVERIFY(refused([&] { model->get_text_features(ids, at::ones({2, 77})); }));
    // An all-zero mask is odd but well defined (HF gives finite numbers too).
    QVERIFY(at::isfinite(model->get_text_features(ids, at::zeros({1, 77}))).all().item<bool>());
}

QTEST_GUILESS_MAIN(TestModelForward)
#include "test_model_forward.moc"

// config.json parsing (transformers' defaults, refusals) and forward parity on configurations the
// tiny-clip fixture does not cover: patch 16/8, image 48/64, exact and tanh GELU, 1/2/3/5/8 heads,
// eps 1e-6, legacy argmax pooling (eos_token_id 2), no attention mask, more texts than images.
// The goldens in tests/data/model/ come from generate_model_goldens.py next to them.
#include "clip_golden.h"

#include "core/io/tensor_io.h"
#include "core/model/clip_checkpoint.h"
#include "core/model/clip_config.h"
#include "core/model/clip_transformers.h"
#include "core/util/error.h"

#include <ATen/ATen.h>

#include <QtTest>

#include <cmath>
#include <filesystem>
#include <limits>

using namespace phototune;
namespace fs = std::filesystem;

namespace {

const fs::path data_dir = fs::path(PHOTOTUNE_SOURCE_DIR) / "tests" / "data" / "model";

void expect_refusal(const std::string& json, ErrorCategory category, const std::string& fragment)
{
    try {
        parse_clip_config(json, "/models/x/config.json");
        QFAIL(("accepted: " + json).c_str());
    } catch (const Error& e) {
        const std::string message = e.what();
        QVERIFY2(e.category() == category, message.c_str());
        QVERIFY2(message.find("/models/x/config.json") != std::string::npos, message.c_str());
        QVERIFY2(message.find(fragment) != std::string::npos, (message + "\n  lacks: " + fragment).c_str());
    }
}

} // namespace

class TestModelConfigs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void missing_keys_take_transformers_defaults();
    void partial_config_keeps_given_values();
    void json_round_trip();
    void bad_configs_are_refused();
    void pooling_rules();
    void golden_configurations_data();
    void golden_configurations();
};

void TestModelConfigs::missing_keys_take_transformers_defaults()
{
    for (const char* text : {"{}", R"({"text_config": null, "vision_config": {}, "projection_dim": null})"}) {
        const ClipConfig c = parse_clip_config(text, "config.json");
        const ClipTextConfig& t = c.text_config;
        const ClipVisionConfig& v = c.vision_config;
        QCOMPARE(t.vocab_size, std::int64_t(49408));
        QCOMPARE(t.hidden_size, std::int64_t(512));
        QCOMPARE(t.intermediate_size, std::int64_t(2048));
        QCOMPARE(t.num_hidden_layers, std::int64_t(12));
        QCOMPARE(t.num_attention_heads, std::int64_t(8));
        QCOMPARE(t.max_position_embeddings, std::int64_t(77));
        QCOMPARE(t.hidden_act, std::string("quick_gelu"));
        QCOMPARE(t.layer_norm_eps, 1e-5);
        QCOMPARE(t.bos_token_id, std::int64_t(49406));
        QCOMPARE(t.eos_token_id, std::int64_t(49407));
        QCOMPARE(t.pad_token_id, std::int64_t(1));
        QCOMPARE(v.hidden_size, std::int64_t(768));
        QCOMPARE(v.intermediate_size, std::int64_t(3072));
        QCOMPARE(v.num_hidden_layers, std::int64_t(12));
        QCOMPARE(v.num_attention_heads, std::int64_t(12));
        QCOMPARE(v.num_channels, std::int64_t(3));
        QCOMPARE(v.image_size, std::int64_t(224));
        QCOMPARE(v.patch_size, std::int64_t(32));
        QCOMPARE(v.hidden_act, std::string("quick_gelu"));
        QCOMPARE(v.layer_norm_eps, 1e-5);
        QCOMPARE(v.num_positions(), std::int64_t(50));
        QCOMPARE(c.projection_dim, std::int64_t(512));
        QCOMPARE(c.logit_scale_init_value, 2.6592);
        QCOMPARE(c.initializer_factor, 1.0);
        QVERIFY(!c.phototune_untrained);
    }
}

void TestModelConfigs::partial_config_keeps_given_values()
{
    // The shape of tiny-clip's config.json: save_pretrained writes only non-default values.
    const ClipConfig c = parse_clip_config(
        R"({"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": 32,
            "text_config": {"hidden_size": 64, "intermediate_size": 128, "model_type": "clip_text_model",
                            "num_attention_heads": 4, "num_hidden_layers": 2, "projection_dim": 32,
                            "eos_token_id": 2, "hidden_act": "gelu"},
            "vision_config": {"hidden_size": 96, "patch_size": 16, "layer_norm_eps": 1e-6},
            "torch_dtype": "float16", "transformers_version": "4.40.2", "unknown_future_key": [1, 2]})",
        "config.json");
    QCOMPARE(c.text_config.hidden_size, std::int64_t(64));
    QCOMPARE(c.text_config.head_dim(), std::int64_t(16));
    QCOMPARE(c.text_config.eos_token_id, std::int64_t(2));
    QVERIFY(c.text_config.activation() == ClipActivation::Gelu);
    QCOMPARE(c.text_config.vocab_size, std::int64_t(49408));
    QCOMPARE(c.vision_config.patch_size, std::int64_t(16));
    QCOMPARE(c.vision_config.num_positions(), std::int64_t(197));
    QCOMPARE(c.vision_config.layer_norm_eps, 1e-6);
    QCOMPARE(c.vision_config.num_attention_heads, std::int64_t(12)); // 96 / 12: default heads
    QCOMPARE(c.projection_dim, std::int64_t(32));
    QCOMPARE(c.torch_dtype, std::string("float16"));
}

void TestModelConfigs::json_round_trip()
{
    ClipConfig c;
    c.text_config.hidden_size = 96;
    c.text_config.num_attention_heads = 6;
    c.text_config.eos_token_id = 2;
    c.vision_config.hidden_act = "gelu_new";
    c.vision_config.image_size = 64;
    c.vision_config.patch_size = 8;
    c.projection_dim = 40;
    c.logit_scale_init_value = 1.5;
    c.name_or_path = "phototune-untrained-x";
    c.phototune_untrained = true;
    const std::string json = to_json(c);
    const ClipConfig back = parse_clip_config(json, "config.json");
    QCOMPARE(to_json(back), json);
    QCOMPARE(back.text_config.hidden_size, std::int64_t(96));
    QCOMPARE(back.text_config.eos_token_id, std::int64_t(2));
    QCOMPARE(back.vision_config.hidden_act, std::string("gelu_new"));
    QVERIFY(back.phototune_untrained);
    QCOMPARE(back.name_or_path, std::string("phototune-untrained-x"));
    QVERIFY(json.find("\"pre_layrnorm\"") == std::string::npos);
    QVERIFY(json.find("\"CLIPModel\"") != std::string::npos);
}

void TestModelConfigs::bad_configs_are_refused()
{
    expect_refusal(R"({"text_config": {"hidden_size": 65, "num_attention_heads": 4}})", ErrorCategory::InvalidInput,
                   "text_config.hidden_size 65 is not divisible by num_attention_heads 4");
    expect_refusal(R"({"vision_config": {"hidden_act": "relu"}})", ErrorCategory::Unsupported,
                   "vision_config.hidden_act \"relu\"");
    expect_refusal(R"({"vision_config": {"hidden_size": "768"}})", ErrorCategory::InvalidInput,
                   "vision_config.hidden_size has the wrong type");
    expect_refusal(R"({"vision_config": {"patch_size": 0}})", ErrorCategory::InvalidInput, "patch_size must be between 1 and");
    expect_refusal(R"({"vision_config": {"patch_size": 448}})", ErrorCategory::InvalidInput, "larger than image_size");
    expect_refusal(R"({"text_config": {"num_hidden_layers": -1}})", ErrorCategory::InvalidInput, "num_hidden_layers");
    expect_refusal(R"({"text_config": {"vocab_size": 1e30}})", ErrorCategory::InvalidInput, "vocab_size has the wrong type");
    expect_refusal(R"({"text_config": {"vocab_size": 100000000000}})", ErrorCategory::InvalidInput, "vocab_size");
    expect_refusal(R"({"text_config": {"layer_norm_eps": 0}})", ErrorCategory::InvalidInput, "layer_norm_eps");
    expect_refusal(R"({"text_config": [1, 2]})", ErrorCategory::InvalidInput, "\"text_config\" must be an object");
    expect_refusal(R"({"model_type": "siglip"})", ErrorCategory::Unsupported, "siglip");
    expect_refusal("{\"projection_dim\": 5", ErrorCategory::InvalidInput, "not valid JSON");
    expect_refusal("[]", ErrorCategory::InvalidInput, "JSON object");
}

void TestModelConfigs::pooling_rules()
{
    const at::Tensor ids = at::tensor({49406, 320, 2, 49407, 49407, 5, 49407}, at::kLong).view({1, 7});
    QCOMPARE(clip_text_pool_positions(ids, 49407).item<int>(), 3); // first eos
    QCOMPARE(clip_text_pool_positions(ids, 2).item<int>(), 3);     // legacy: argmax, first maximum
    const at::Tensor other = at::tensor({300, 7, 499, 300, 300}, at::kLong).view({1, 5});
    QCOMPARE(clip_text_pool_positions(other, 300).item<int>(), 0);
    QCOMPARE(clip_text_pool_positions(other, 2).item<int>(), 2);

    const at::Tensor mask = clip_text_attention_mask(at::tensor({1, 1, 0}, at::kLong).view({1, 3}), 3, at::kFloat);
    const float lowest = std::numeric_limits<float>::lowest();
    QCOMPARE(mask.sizes().vec(), (std::vector<std::int64_t>{1, 1, 3, 3}));
    QCOMPARE(mask[0][0][0][0].item<float>(), 0.0f);
    QCOMPARE(mask[0][0][0][1].item<float>(), lowest); // causal only
    QCOMPARE(mask[0][0][2][2].item<float>(), lowest); // padding only
    QVERIFY(std::isinf(mask[0][0][0][2].item<float>())); // both: overflows to -inf as in HF
}

void TestModelConfigs::golden_configurations_data()
{
    QTest::addColumn<QString>("name");
    for (const char* name : {"patch16_gelu_legacy_eos", "heads5_patch8_eps6", "image64_one_head_tanh_nomask"})
        QTest::newRow(name) << QString(name);
}

void TestModelConfigs::golden_configurations()
{
    QFETCH(QString, name);
    const fs::path folder = data_dir / name.toStdString();
    const auto golden = load_safetensors(folder / "golden.safetensors");
    ClipModel model = load_clip_model(folder);
    const auto mask = golden.find("input.attention_mask");
    at::NoGradGuard no_grad;
    const ClipOutput out = model->forward(golden.at("input.pixel_values"), golden.at("input.input_ids"),
                                          mask == golden.end() ? at::Tensor() : mask->second, true);
    const auto result = test::compare_with_golden(out, model->logit_scale, golden, 1e-5);
    QVERIFY2(result.failures.empty(), test::joined(result.failures).c_str());
    const std::size_t expected = 11 + model->config().text_config.num_hidden_layers + 1 +
                                 model->config().vision_config.num_hidden_layers + 1;
    QCOMPARE(result.compared, expected);
}

QTEST_GUILESS_MAIN(TestModelConfigs)
#include "test_model_configs.moc"

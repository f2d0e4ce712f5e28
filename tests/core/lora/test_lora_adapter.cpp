// peft adapters: the fixture adapter reproduces peft's outputs and merge_and_unload, export ->
// import is lossless and writes peft's layout, strength scales the delta, targeting follows peft's
// suffix rule plus the studio's tower/last-N scope, frozen weights get no gradient, and hostile
// adapter folders are refused with messages that name the file and the problem.
#include "core/io/safetensors.h"
#include "core/io/tensor_io.h"
#include "core/lora/adapter_io.h"
#include "core/lora/lora_config.h"
#include "core/lora/lora_targets.h"
#include "core/model/clip_checkpoint.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include "support/fixtures.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <set>

using namespace phototune;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kGoldenOutputs = {"logits_per_image",     "logits_per_text",   "image_embeds",
                                                 "text_embeds",          "vision_pooled_output",
                                                 "text_pooled_output"};

at::Tensor output_named(const ClipOutput& out, const std::string& name)
{
    if (name == "logits_per_image") return out.logits_per_image;
    if (name == "logits_per_text") return out.logits_per_text;
    if (name == "image_embeds") return out.image_embeds;
    if (name == "text_embeds") return out.text_embeds;
    if (name == "vision_pooled_output") return out.vision_pooled_output;
    return out.text_pooled_output;
}

// The fixtures README's rule: max|a - b| <= 1e-5 * max(1, max|golden|).
double relative_error(const at::Tensor& actual, const at::Tensor& golden)
{
    const double scale = std::max(1.0, golden.abs().max().item<double>());
    return (actual.detach().to(at::kDouble) - golden.to(at::kDouble)).abs().max().item<double>() / scale;
}

struct Batch {
    at::Tensor pixels, ids, mask;
};

Batch golden_batch(const fs::path& forward_golden)
{
    const auto g = load_safetensors(forward_golden);
    return {g.at("input.pixel_values"), g.at("input.input_ids"), g.at("input.attention_mask")};
}

ClipOutput run(ClipModelImpl& model, const Batch& batch)
{
    at::NoGradGuard no_grad;
    model.eval();
    return model.forward(batch.pixels, batch.ids, batch.mask);
}

// Throws unless `call` throws an Error of `category` whose message holds every fragment.
void expect_error(const std::function<void()>& call, ErrorCategory category, const std::vector<std::string>& fragments)
{
    try {
        call();
    } catch (const Error& e) {
        const std::string message = e.what();
        QVERIFY2(e.category() == category, message.c_str());
        for (const auto& fragment : fragments)
            QVERIFY2(message.find(fragment) != std::string::npos, (message + "\n  lacks: " + fragment).c_str());
        return;
    }
    QFAIL("no error was thrown");
}

void copy_adapter(const fs::path& from, const fs::path& to)
{
    fs::create_directories(to);
    for (const char* name : {kAdapterConfigFile, kAdapterWeightsFile}) fs::copy_file(from / name, to / name);
}

void edit_config(const fs::path& dir, const std::function<void(nlohmann::json&)>& edit)
{
    auto config = nlohmann::json::parse(read_text_file(dir / kAdapterConfigFile));
    edit(config);
    fs::remove(dir / kAdapterConfigFile);
    write_file_atomic(dir / kAdapterConfigFile, config.dump(2));
}

std::vector<std::string> all_targets() { return {"q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2"}; }

} // namespace

class TestLoraAdapter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void fixture_config_parses();
    void fixture_adapter_reproduces_peft_outputs();
    void merge_matches_merge_and_unload();
    void export_import_round_trip();
    void strength_scales_the_delta();
    void merged_model_export();
    void targeting_by_suffix_tower_and_layer();
    void scope_is_folded_into_peft_fields();
    void frozen_parameters_get_no_gradient();
    void written_config_has_peft_fields();
    void hostile_adapters_are_refused();
    void invalid_settings_are_refused();

private:
    fs::path m_model_dir, m_adapter_dir, m_forward, m_lora_golden;
};

void TestLoraAdapter::initTestCase()
{
    const fs::path root = test::fixtures_dir();
    m_model_dir = root / "tiny-clip";
    m_adapter_dir = root / "lora";
    m_forward = root / "forward_golden.safetensors";
    m_lora_golden = root / "lora" / "lora_forward_golden.safetensors";
}

// Skips (or fails in CI) without the shared fixtures.
#define REQUIRE_FIXTURES()                                                       \
    PHOTOTUNE_REQUIRE_FIXTURE(lora_fixture_, "lora/lora_forward_golden.safetensors"); \
    (void)lora_fixture_

void TestLoraAdapter::fixture_config_parses()
{
    REQUIRE_FIXTURES();
    const LoraSettings s = load_adapter_config(m_adapter_dir / kAdapterConfigFile);
    QCOMPARE(s.r, std::int64_t(4));
    QCOMPARE(s.lora_alpha, 8.0);
    QCOMPARE(s.scaling(), 2.0);
    QCOMPARE(s.base_model_name_or_path, std::string("tiny-clip"));
    auto targets = s.target_modules;
    std::sort(targets.begin(), targets.end());
    auto expected = all_targets();
    std::sort(expected.begin(), expected.end());
    QCOMPARE(targets, expected);
    QVERIFY(s.layers_to_transform.empty());
}

void TestLoraAdapter::fixture_adapter_reproduces_peft_outputs()
{
    REQUIRE_FIXTURES();
    ClipModel model = load_clip_model(m_model_dir);
    load_peft_adapter(*model, m_adapter_dir);
    QCOMPARE(lora_capable_layers(*model, true).size(), std::size_t(24));
    const auto golden = load_safetensors(m_lora_golden);
    const ClipOutput out = run(*model, golden_batch(m_forward));
    double worst = 0.0;
    for (const auto& name : kGoldenOutputs) {
        const double e = relative_error(output_named(out, name), golden.at("lora." + name));
        worst = std::max(worst, e);
        QVERIFY2(e <= 1e-5, (name + ": " + std::to_string(e)).c_str());
    }
    qInfo("lora outputs: worst max|diff|/max(1,|golden|) = %.2e", worst);
}

void TestLoraAdapter::merge_matches_merge_and_unload()
{
    REQUIRE_FIXTURES();
    ClipModel model = load_clip_model(m_model_dir);
    load_peft_adapter(*model, m_adapter_dir);
    merge_lora(*model);
    const auto golden = load_safetensors(m_lora_golden);
    std::size_t weights = 0;
    for (const auto& [name, layer] : lora_capable_layers(*model, true)) {
        QVERIFY(layer->merged());
        const auto it = golden.find("merged." + name + ".weight");
        QVERIFY2(it != golden.end(), name.c_str());
        QVERIFY2(relative_error(layer->weight, it->second) <= 1e-6, name.c_str());
        ++weights;
    }
    QCOMPARE(weights, std::size_t(24));
    const ClipOutput out = run(*model, golden_batch(m_forward));
    for (const auto& name : kGoldenOutputs) {
        const double e = relative_error(output_named(out, name), golden.at("merged." + name));
        QVERIFY2(e <= 1e-5, (name + ": " + std::to_string(e)).c_str());
    }
}

void TestLoraAdapter::export_import_round_trip()
{
    REQUIRE_FIXTURES();
    QTemporaryDir tmp;
    const fs::path out_dir = fs::path(tmp.path().toStdString()) / "exported";
    ClipModel model = load_clip_model(m_model_dir);
    LoraSettings settings = load_peft_adapter(*model, m_adapter_dir);
    const std::map<std::string, std::string> provenance{{"base_model", "tiny-clip"},
                                                        {"base_model_sha256", "abc123"},
                                                        {"dataset_size", "143"},
                                                        {"steps", "500"},
                                                        {"seed", "42"}};
    save_peft_adapter(*model, settings, out_dir, provenance);
    // check_peft_layout.py re-reads this export with the plain-PyTorch reference.
    if (const char* keep = std::getenv("PHOTOTUNE_KEEP_LORA_EXPORT")) {
        fs::remove_all(keep);
        fs::copy(out_dir, keep, fs::copy_options::recursive);
    }

    for (const char* name : {kAdapterConfigFile, kAdapterWeightsFile, "README.md"}) QVERIFY(fs::exists(out_dir / name));
    // Same keys, shapes and dtypes as the file peft wrote, and peft's metadata.
    const auto theirs = SafetensorsFile::open(m_adapter_dir / kAdapterWeightsFile);
    const auto ours = SafetensorsFile::open(out_dir / kAdapterWeightsFile);
    QCOMPARE(ours.tensors().size(), theirs.tensors().size());
    for (const auto& view : theirs.tensors()) {
        const TensorView* mine = ours.find(view.name);
        QVERIFY2(mine, view.name.c_str());
        QCOMPARE(mine->shape, view.shape);
        QVERIFY(mine->dtype == view.dtype);
        QVERIFY2(std::equal(mine->bytes.begin(), mine->bytes.end(), view.bytes.begin(), view.bytes.end()),
                 view.name.c_str());
    }
    QCOMPARE(ours.metadata().at("format"), std::string("pt"));
    for (const auto& [key, value] : provenance) QCOMPARE(ours.metadata().at(key), value);

    const Batch batch = golden_batch(m_forward);
    const ClipOutput before = run(*model, batch);
    ClipModel reloaded = load_clip_model(m_model_dir);
    load_peft_adapter(*reloaded, out_dir);
    const ClipOutput after = run(*reloaded, batch);
    for (const auto& name : kGoldenOutputs) QVERIFY2(at::equal(output_named(before, name), output_named(after, name)), name.c_str());
}

void TestLoraAdapter::strength_scales_the_delta()
{
    REQUIRE_FIXTURES();
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    ClipModel model = load_clip_model(m_model_dir);
    const LoraSettings settings = load_peft_adapter(*model, m_adapter_dir);
    save_peft_adapter(*model, settings, root / "zero", {}, 0.0);
    save_peft_adapter(*model, settings, root / "half", {}, 0.5);
    QCOMPARE(SafetensorsFile::open(root / "half" / kAdapterWeightsFile).metadata().at("lora_strength").substr(0, 3),
             std::string("0.5"));

    const Batch batch = golden_batch(m_forward);
    const auto base_golden = load_safetensors(m_forward);
    ClipModel zero = load_clip_model(m_model_dir);
    load_peft_adapter(*zero, root / "zero");
    const ClipOutput base_out = run(*zero, batch);
    for (const auto& name : kGoldenOutputs)
        QVERIFY2(relative_error(output_named(base_out, name), base_golden.at("output." + name)) <= 1e-5, name.c_str());

    ClipModel half = load_clip_model(m_model_dir);
    load_peft_adapter(*half, root / "half");
    const auto full_layers = lora_capable_layers(*model, true);
    const auto half_layers = lora_capable_layers(*half, true);
    QCOMPARE(half_layers.size(), full_layers.size());
    for (std::size_t i = 0; i < full_layers.size(); ++i) {
        const at::Tensor expected = full_layers[i].layer->delta_weight() * 0.5;
        QVERIFY2(at::allclose(half_layers[i].layer->delta_weight(), expected, 1e-6, 1e-8), full_layers[i].name.c_str());
    }
}

void TestLoraAdapter::merged_model_export()
{
    REQUIRE_FIXTURES();
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    ClipModel model = load_clip_model(m_model_dir);
    load_peft_adapter(*model, m_adapter_dir);
    std::map<std::string, at::Tensor> before;
    for (const auto& item : model->named_parameters()) before[item.key()] = item.value().detach().clone();

    save_merged_model(*model, root / "merged", 1.0, {{"base_model", "tiny-clip"}});
    save_merged_model(*model, root / "half", 0.5);
    for (const auto& item : model->named_parameters()) // the model itself is untouched, bit for bit
        QVERIFY2(at::equal(item.value(), before.at(item.key())), item.key().c_str());

    const auto file = SafetensorsFile::open(root / "merged" / "model.safetensors");
    QCOMPARE(file.tensors().size(), std::size_t(78));
    for (const auto& view : file.tensors()) QVERIFY2(view.name.find("lora") == std::string::npos, view.name.c_str());
    QVERIFY(fs::exists(root / "merged" / "config.json"));

    const auto golden = load_safetensors(m_lora_golden);
    ClipModel merged = load_clip_model(root / "merged");
    const ClipOutput out = run(*merged, golden_batch(m_forward));
    for (const auto& name : kGoldenOutputs)
        QVERIFY2(relative_error(output_named(out, name), golden.at("merged." + name)) <= 1e-5, name.c_str());

    ClipModel half = load_clip_model(root / "half");
    const auto half_params = half->named_parameters();
    for (const auto& [name, layer] : lora_capable_layers(*model, true)) {
        const at::Tensor expected = before.at(name + ".weight") + layer->delta_weight() * 0.5;
        QVERIFY2(at::allclose(half_params[name + ".weight"], expected, 1e-6, 1e-7), name.c_str());
    }
}

void TestLoraAdapter::targeting_by_suffix_tower_and_layer()
{
    REQUIRE_FIXTURES();
    const auto targeted = [&](const LoraSettings& s) {
        ClipModel model = load_clip_model(m_model_dir);
        return apply_lora(*model, s);
    };
    LoraSettings s;
    s.target_modules = {"fc1"};
    QCOMPARE(targeted(s), (std::vector<std::string>{
                              "text_model.encoder.layers.0.mlp.fc1", "text_model.encoder.layers.1.mlp.fc1",
                              "vision_model.encoder.layers.0.mlp.fc1", "vision_model.encoder.layers.1.mlp.fc1"}));
    s.target_modules = all_targets();
    QCOMPARE(targeted(s).size(), std::size_t(24));

    s.target_modules = {"q_proj", "v_proj"};
    s.towers = LoraTowers::Vision;
    QCOMPARE(targeted(s), (std::vector<std::string>{"vision_model.encoder.layers.0.self_attn.v_proj",
                                                    "vision_model.encoder.layers.0.self_attn.q_proj",
                                                    "vision_model.encoder.layers.1.self_attn.v_proj",
                                                    "vision_model.encoder.layers.1.self_attn.q_proj"}));
    s.towers = LoraTowers::Text;
    s.last_n_layers = 1;
    QCOMPARE(targeted(s), (std::vector<std::string>{"text_model.encoder.layers.1.self_attn.v_proj",
                                                    "text_model.encoder.layers.1.self_attn.q_proj"}));

    s = LoraSettings{};
    s.target_modules = {"self_attn.out_proj", "visual_projection", "text_projection"};
    auto names = targeted(s);
    QCOMPARE(names.size(), std::size_t(6));
    QVERIFY(std::count(names.begin(), names.end(), "visual_projection") == 1);
    s.last_n_layers = 1; // projections lie outside the encoder layers
    names = targeted(s);
    QCOMPARE(names, (std::vector<std::string>{"text_model.encoder.layers.1.self_attn.out_proj",
                                              "vision_model.encoder.layers.1.self_attn.out_proj"}));

    s = LoraSettings{};
    s.target_modules = {"proj"}; // a suffix must be a whole name component
    expect_error([&] { targeted(s); }, ErrorCategory::InvalidInput, {"matches no layer", "q_proj"});

    ClipModel twice = load_clip_model(m_model_dir);
    apply_lora(*twice, LoraSettings{});
    expect_error([&] { apply_lora(*twice, LoraSettings{}); }, ErrorCategory::InvalidInput, {"already carries"});

    // peft's layer filter, as read from a foreign adapter_config.json
    const ClipConfig& config = twice->config();
    LoraSettings layered;
    layered.target_modules = {"q_proj"};
    layered.layers_to_transform = {1};
    QVERIFY(lora_module_selected(layered, "text_model.encoder.layers.1.self_attn.q_proj", config));
    QVERIFY(!lora_module_selected(layered, "text_model.encoder.layers.0.self_attn.q_proj", config));
    layered.layers_pattern = {"blocks"};
    QVERIFY(!lora_module_selected(layered, "text_model.encoder.layers.1.self_attn.q_proj", config));
}

void TestLoraAdapter::scope_is_folded_into_peft_fields()
{
    REQUIRE_FIXTURES();
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    struct Case {
        LoraTowers towers;
        std::int64_t last_n;
    };
    for (const Case c : {Case{LoraTowers::Both, 0}, Case{LoraTowers::Both, 1}, Case{LoraTowers::Vision, 0},
                         Case{LoraTowers::Text, 1}}) {
        LoraSettings s;
        s.r = 2;
        s.target_modules = {"q_proj", "fc2"};
        s.towers = c.towers;
        s.last_n_layers = c.last_n;
        ClipModel model = load_clip_model(m_model_dir);
        const auto names = apply_lora(*model, s);
        const fs::path dir = root / (std::string(lora_towers_name(c.towers)) + std::to_string(c.last_n));
        save_peft_adapter(*model, s, dir);
        const LoraSettings written = load_adapter_config(dir / kAdapterConfigFile);
        if (c.towers == LoraTowers::Both && c.last_n == 0) {
            QCOMPARE(written.target_modules, s.target_modules);
            QVERIFY(written.layers_to_transform.empty());
        } else if (c.towers == LoraTowers::Both) {
            QCOMPARE(written.target_modules, s.target_modules);
            QCOMPARE(written.layers_to_transform, std::vector<std::int64_t>{1});
            QCOMPARE(written.layers_pattern, std::vector<std::string>{"layers"});
        } else {
            QCOMPARE(written.target_modules, names); // full module names
        }
        ClipModel reloaded = load_clip_model(m_model_dir);
        load_peft_adapter(*reloaded, dir);
        std::vector<std::string> reloaded_names;
        for (const auto& layer : lora_capable_layers(*reloaded, true)) reloaded_names.push_back(layer.name);
        QCOMPARE(reloaded_names, names);
    }
}

void TestLoraAdapter::frozen_parameters_get_no_gradient()
{
    REQUIRE_FIXTURES();
    for (const bool train_scale : {false, true}) {
        ClipModel model = load_clip_model(m_model_dir);
        LoraSettings s;
        s.r = 4;
        s.lora_alpha = 8;
        s.target_modules = all_targets();
        s.train_logit_scale = train_scale;
        apply_lora(*model, s);

        const auto trainable = trainable_parameters(*model);
        std::int64_t count = 0;
        for (const auto& [name, tensor] : trainable) {
            QVERIFY2(name.starts_with("base_model.model."), name.c_str());
            if (name != "base_model.model.logit_scale") count += tensor.numel();
        }
        QCOMPARE(trainable.size(), std::size_t(48 + (train_scale ? 1 : 0)));
        QCOMPARE(count, std::int64_t(14336)); // as in train_step_golden
        QCOMPARE(trainable.at(train_scale ? 1 : 0).first, // the model's own logit_scale comes first
                 std::string("base_model.model.text_model.encoder.layers.0.self_attn.k_proj.lora_A.weight"));

        { // B = 0 leaves A without gradient; give B values so every LoRA tensor gets one
            at::NoGradGuard no_grad;
            for (const auto& layer : lora_capable_layers(*model, true)) layer.layer->lora_B->weight.normal_(0, 0.05);
        }
        model->train();
        const Batch batch = golden_batch(m_forward);
        const ClipOutput out = model->forward(batch.pixels, batch.ids, batch.mask);
        const at::Tensor labels = at::arange(4, at::kLong);
        const at::Tensor loss = (at::cross_entropy_loss(out.logits_per_image, labels) +
                                 at::cross_entropy_loss(out.logits_per_text, labels)) / 2;
        loss.backward();
        for (const auto& item : model->named_parameters()) {
            const bool lora = item.key().find(".lora_") != std::string::npos;
            const bool expect_grad = lora || (train_scale && item.key() == "logit_scale");
            QVERIFY2(item.value().requires_grad() == expect_grad, item.key().c_str());
            QVERIFY2(item.value().grad().defined() == expect_grad, item.key().c_str());
        }
    }
}

void TestLoraAdapter::written_config_has_peft_fields()
{
    REQUIRE_FIXTURES();
    QTemporaryDir tmp;
    const fs::path dir = fs::path(tmp.path().toStdString()) / "a";
    ClipModel model = load_clip_model(m_model_dir);
    LoraSettings s; // the studio's defaults: r 8, alpha 16, q_proj + v_proj
    s.base_model_name_or_path = "openai/clip-vit-base-patch32";
    apply_lora(*model, s);
    save_peft_adapter(*model, s, dir);
    const auto written = nlohmann::json::parse(read_text_file(dir / kAdapterConfigFile));
    const auto peft = nlohmann::json::parse(read_text_file(m_adapter_dir / kAdapterConfigFile));
    for (const auto& item : peft.items()) QVERIFY2(written.contains(item.key()), item.key().c_str());
    QCOMPARE(written.size(), peft.size());
    QVERIFY(written.at("peft_type") == "LORA");
    QVERIFY(written.at("r").is_number_integer() && written.at("r") == 8);
    QVERIFY(written.at("lora_alpha").is_number_integer() && written.at("lora_alpha") == 16);
    QVERIFY(written.at("target_modules") == (nlohmann::json{"q_proj", "v_proj"}));
    QVERIFY(written.at("bias") == "none");
    QVERIFY(written.at("base_model_name_or_path") == s.base_model_name_or_path);
    for (const char* key : {"use_dora", "use_rslora", "fan_in_fan_out"}) QVERIFY2(written.at(key) == false, key);
    QVERIFY(written.at("inference_mode") == true);
    for (const char* key : {"modules_to_save", "layers_to_transform", "layers_pattern", "revision", "task_type"})
        QVERIFY2(written.at(key).is_null(), key);
    const std::string card = read_text_file(dir / "README.md");
    QVERIFY(card.starts_with("---\nlibrary_name: peft\nbase_model: openai/clip-vit-base-patch32\n---\n"));
}

void TestLoraAdapter::hostile_adapters_are_refused()
{
    REQUIRE_FIXTURES();
    QTemporaryDir tmp;
    const fs::path root(tmp.path().toStdString());
    const auto expect_refused = [&](const fs::path& dir, ErrorCategory category, std::vector<std::string> fragments) {
        ClipModel model = load_clip_model(m_model_dir);
        expect_error([&] { load_peft_adapter(*model, dir); }, category, fragments);
        QVERIFY(lora_capable_layers(*model, true).empty()); // the model was not touched
    };
    const auto original = load_safetensors(m_adapter_dir / kAdapterWeightsFile);
    const auto rewrite_weights = [&](const fs::path& dir, const std::function<void(std::vector<std::pair<std::string, at::Tensor>>&)>& edit) {
        std::vector<std::pair<std::string, at::Tensor>> tensors(original.begin(), original.end());
        edit(tensors);
        fs::remove(dir / kAdapterWeightsFile);
        save_safetensors(dir / kAdapterWeightsFile, tensors, {{"format", "pt"}});
    };

    const std::string dropped = "base_model.model.vision_model.encoder.layers.1.mlp.fc2.lora_B.weight";
    copy_adapter(m_adapter_dir, root / "missing");
    rewrite_weights(root / "missing", [&](auto& t) {
        t.erase(std::remove_if(t.begin(), t.end(), [&](const auto& p) { return p.first == dropped; }), t.end());
    });
    expect_refused(root / "missing", ErrorCategory::InvalidInput, {kAdapterWeightsFile, "1 missing", dropped});

    copy_adapter(m_adapter_dir, root / "shape");
    rewrite_weights(root / "shape", [&](auto& t) {
        for (auto& [name, tensor] : t) {
            if (name == dropped) tensor = at::zeros({64, 3});
        }
        t.emplace_back("base_model.model.logit_scale.lora_A.weight", at::zeros({1}));
    });
    expect_refused(root / "shape", ErrorCategory::InvalidInput,
                   {"1 mis-shaped", dropped + " (file [64, 3], model expects [64, 4])", "1 unexpected", "logit_scale"});

    copy_adapter(m_adapter_dir, root / "rank");
    edit_config(root / "rank", [](auto& c) { c["r"] = 8; });
    expect_refused(root / "rank", ErrorCategory::InvalidInput, {"48 mis-shaped", "model expects [8, 64]"});

    copy_adapter(m_adapter_dir, root / "dora");
    edit_config(root / "dora", [](auto& c) { c["use_dora"] = true; });
    expect_refused(root / "dora", ErrorCategory::Unsupported, {"adapter_config.json", "use_dora", "DoRA"});

    copy_adapter(m_adapter_dir, root / "regex");
    edit_config(root / "regex", [](auto& c) { c["target_modules"] = ".*q_proj"; });
    expect_refused(root / "regex", ErrorCategory::Unsupported, {"regular expression"});

    copy_adapter(m_adapter_dir, root / "prefix");
    edit_config(root / "prefix", [](auto& c) { c["peft_type"] = "PREFIX_TUNING"; });
    expect_refused(root / "prefix", ErrorCategory::Unsupported, {"PREFIX_TUNING"});

    copy_adapter(m_adapter_dir, root / "saved");
    edit_config(root / "saved", [](auto& c) { c["modules_to_save"] = {"visual_projection"}; });
    expect_refused(root / "saved", ErrorCategory::Unsupported, {"modules_to_save"});

    copy_adapter(m_adapter_dir, root / "types");
    edit_config(root / "types", [](auto& c) { c["r"] = "four"; });
    expect_refused(root / "types", ErrorCategory::InvalidInput, {"adapter_config.json", "\"r\" must be a number"});

    copy_adapter(m_adapter_dir, root / "notjson");
    fs::remove(root / "notjson" / kAdapterConfigFile);
    write_file_atomic(root / "notjson" / kAdapterConfigFile, "{\"peft_type\": \"LORA\", ");
    expect_refused(root / "notjson", ErrorCategory::InvalidInput, {"not valid JSON"});

    copy_adapter(m_adapter_dir, root / "pickled");
    fs::rename(root / "pickled" / kAdapterWeightsFile, root / "pickled" / "adapter_model.bin");
    expect_refused(root / "pickled", ErrorCategory::Unsupported, {"adapter_model.bin", "safe_serialization"});

    expect_refused(root / "absent", ErrorCategory::NotFound, {"absent"});

    copy_adapter(m_adapter_dir, root / "truncated");
    const auto bytes = read_binary_file(root / "truncated" / kAdapterWeightsFile);
    fs::remove(root / "truncated" / kAdapterWeightsFile);
    write_file_atomic(root / "truncated" / kAdapterWeightsFile,
                      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size() / 2));
    expect_refused(root / "truncated", ErrorCategory::InvalidInput, {kAdapterWeightsFile});
}

void TestLoraAdapter::invalid_settings_are_refused()
{
    REQUIRE_FIXTURES();
    ClipModel model = load_clip_model(m_model_dir);
    LoraSettings s;
    s.r = 0;
    expect_error([&] { apply_lora(*model, s); }, ErrorCategory::InvalidInput, {"rank"});
    s = LoraSettings{};
    s.bias = "all";
    expect_error([&] { apply_lora(*model, s); }, ErrorCategory::Unsupported, {"bias"});
    s = LoraSettings{};
    s.target_modules = {};
    expect_error([&] { apply_lora(*model, s); }, ErrorCategory::InvalidInput, {"target_modules"});
    QVERIFY(lora_capable_layers(*model, true).empty());
    expect_error([&] { save_peft_adapter(*model, LoraSettings{}, "/nonexistent/x"); }, ErrorCategory::InvalidInput,
                 {"nothing to export"});
    apply_lora(*model, LoraSettings{});
    expect_error([&] { save_peft_adapter(*model, LoraSettings{}, "/nonexistent/x", {}, -1.0); },
                 ErrorCategory::InvalidInput, {"strength"});
    LoraSettings other;
    other.r = 16;
    expect_error([&] { save_peft_adapter(*model, other, "/nonexistent/x"); }, ErrorCategory::InvalidInput,
                 {"does not match"});
    QVERIFY(parse_lora_towers("vision") == LoraTowers::Vision);
    expect_error([] { parse_lora_towers("image"); }, ErrorCategory::InvalidInput, {"\"both\""});
}

QTEST_GUILESS_MAIN(TestLoraAdapter)
#include "test_lora_adapter.moc"

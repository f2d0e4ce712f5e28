#include "core/lora/adapter_io.h"

#include "core/io/tensor_io.h"
#include "core/lora/lora_targets.h"
#include "core/model/clip_checkpoint.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <ATen/ATen.h>

#include <cmath>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

namespace phototune {
namespace {

std::string lora_key(const std::string& module, const char* part)
{
    return std::string(kPeftKeyPrefix) + module + "." + part + ".weight";
}

std::string shape_text(at::IntArrayRef shape)
{
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

// "a, b, c and 4 more"
std::string listing(const std::vector<std::string>& items)
{
    constexpr std::size_t kShown = 6;
    std::string text;
    for (std::size_t i = 0; i < items.size() && i < kShown; ++i) text += (i ? ", " : "") + items[i];
    if (items.size() > kShown) text += " and " + std::to_string(items.size() - kShown) + " more";
    return text;
}

void check_strength(double strength)
{
    PHOTOTUNE_CHECK(std::isfinite(strength) && strength >= 0.0, ErrorCategory::InvalidInput,
                    "the adapter strength must be a number >= 0 (0 = base model, 1 = as trained), not " +
                        std::to_string(strength));
}

// Every mismatch between the file and the selected layers, in one message.
void check_adapter_tensors(const std::map<std::string, at::Tensor>& tensors, const std::vector<NamedLoraLayer>& layers,
                           std::int64_t r, const std::filesystem::path& file)
{
    std::map<std::string, std::vector<std::int64_t>> expected;
    for (const auto& [name, layer] : layers) {
        expected[lora_key(name, "lora_A")] = {r, layer->in_features()};
        expected[lora_key(name, "lora_B")] = {layer->out_features(), r};
    }
    std::vector<std::string> missing, unexpected, misfit;
    for (const auto& [key, shape] : expected) {
        const auto it = tensors.find(key);
        if (it == tensors.end()) {
            missing.push_back(key);
        } else if (!at::isFloatingType(it->second.scalar_type())) {
            misfit.push_back(key + " (" + std::string(c10::toString(it->second.scalar_type())) + ", not floating point)");
        } else if (it->second.sizes() != at::IntArrayRef(shape)) {
            misfit.push_back(key + " (file " + shape_text(it->second.sizes()) + ", model expects " + shape_text(shape) +
                             ")");
        }
    }
    for (const auto& [key, tensor] : tensors) {
        if (!expected.count(key)) unexpected.push_back(key);
    }
    if (missing.empty() && unexpected.empty() && misfit.empty()) return;
    std::string message = path_for_display(file) + " does not fit this model and adapter_config.json:";
    if (!missing.empty()) message += " " + std::to_string(missing.size()) + " missing (" + listing(missing) + ");";
    if (!unexpected.empty())
        message += " " + std::to_string(unexpected.size()) + " unexpected (" + listing(unexpected) + ");";
    if (!misfit.empty()) message += " " + std::to_string(misfit.size()) + " mis-shaped (" + listing(misfit) + ");";
    message += " was the adapter trained for a different base model?";
    throw Error(ErrorCategory::InvalidInput, message);
}

std::string one_line(std::string text)
{
    for (char& c : text) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    return text;
}

std::string number_text(double value)
{
    std::ostringstream text;
    text << value; // 16, 0.5: shortest form, not to_string's fixed six decimals
    return text.str();
}

// A Python string literal for any path: backslashes (Windows) and quotes escaped.
std::string python_string(const std::string& text)
{
    std::string literal = "\"";
    for (char c : text) {
        if (c == '\\' || c == '"') literal += '\\';
        literal += c;
    }
    return literal + "\"";
}

std::string model_card(const LoraSettings& peft, const std::map<std::string, std::string>& metadata)
{
    const std::string base = one_line(peft.base_model_name_or_path);
    std::string card = "---\nlibrary_name: peft\n";
    if (!base.empty()) card += "base_model: " + base + "\n";
    card += "---\n\n# LoRA adapter" + (base.empty() ? std::string() : " for " + base) +
            "\n\nTrained with PhotoTune Studio. LoRA r = " + std::to_string(peft.r) +
            ", lora_alpha = " + number_text(peft.lora_alpha) + ", target_modules = " +
            std::to_string(peft.target_modules.size()) + " names (see adapter_config.json).\n\n"
            "```python\n" + peft_loading_snippet(base.empty() ? "<base model>" : base, "<this folder>") + "```\n";
    if (!metadata.empty()) {
        card += "\n## Provenance\n\n";
        for (const auto& [key, value] : metadata) card += "- " + one_line(key) + ": " + one_line(value) + "\n";
    }
    return card;
}

// Adds strength * delta to every adapted weight for the lifetime of the guard, then puts the
// original values back bit for bit.
class ScopedMergedWeights {
public:
    ScopedMergedWeights(ClipModelImpl& model, double strength)
    {
        at::NoGradGuard no_grad;
        for (auto& [name, layer] : lora_capable_layers(model, /*with_adapter_only=*/true)) {
            const double extra = layer->merged() ? strength - 1.0 : strength; // merged weights hold 1x already
            m_saved.emplace_back(layer, layer->weight.clone());
            layer->weight.add_(layer->delta_weight().to(layer->weight.scalar_type()), extra);
        }
    }
    ~ScopedMergedWeights()
    {
        at::NoGradGuard no_grad;
        for (auto& [layer, original] : m_saved) layer->weight.copy_(original);
    }
    ScopedMergedWeights(const ScopedMergedWeights&) = delete;
    ScopedMergedWeights& operator=(const ScopedMergedWeights&) = delete;

private:
    std::vector<std::pair<std::shared_ptr<LoraLinearImpl>, at::Tensor>> m_saved;
};

} // namespace

LoraSettings load_peft_adapter(ClipModelImpl& model, const std::filesystem::path& adapter_dir)
{
    PHOTOTUNE_CHECK(std::filesystem::is_directory(adapter_dir), ErrorCategory::NotFound,
                    "adapter folder " + path_for_display(adapter_dir) +
                        " does not exist; pick the folder holding adapter_config.json");
    const auto config_path = adapter_dir / kAdapterConfigFile;
    const auto weights_path = adapter_dir / kAdapterWeightsFile;
    PHOTOTUNE_CHECK(std::filesystem::exists(config_path), ErrorCategory::NotFound,
                    path_for_display(adapter_dir) + " has no adapter_config.json; it is not a peft adapter folder");
    if (!std::filesystem::exists(weights_path) && std::filesystem::exists(adapter_dir / "adapter_model.bin")) {
        throw Error(ErrorCategory::Unsupported,
                    path_for_display(adapter_dir) + " holds only a pickled adapter_model.bin, which the studio never "
                                                    "loads; re-save it with save_pretrained(safe_serialization=True)");
    }
    PHOTOTUNE_CHECK(std::filesystem::exists(weights_path), ErrorCategory::NotFound,
                    path_for_display(adapter_dir) + " has no adapter_model.safetensors; copy the whole adapter folder");

    const LoraSettings settings = load_adapter_config(config_path);
    PHOTOTUNE_CHECK(lora_capable_layers(model, /*with_adapter_only=*/true).empty(), ErrorCategory::InvalidInput,
                    "the model already carries a LoRA adapter; load " + path_for_display(adapter_dir) +
                        " into a freshly loaded base model");
    const auto layers = select_lora_layers(model, settings);
    PHOTOTUNE_CHECK(!layers.empty(), ErrorCategory::InvalidInput,
                    path_for_display(config_path) + ": target_modules matches no layer of this model; was the adapter "
                                                    "trained for a different kind of model?");
    const auto tensors = load_safetensors(weights_path);
    check_adapter_tensors(tensors, layers, settings.r, weights_path);

    apply_lora(model, settings);
    at::NoGradGuard no_grad;
    for (const auto& [name, layer] : layers) {
        layer->lora_A->weight.copy_(tensors.at(lora_key(name, "lora_A")));
        layer->lora_B->weight.copy_(tensors.at(lora_key(name, "lora_B")));
    }
    return settings;
}

void save_peft_adapter(ClipModelImpl& model, const LoraSettings& settings, const std::filesystem::path& adapter_dir,
                       const std::map<std::string, std::string>& metadata, double strength)
{
    check_strength(strength);
    const auto layers = lora_capable_layers(model, /*with_adapter_only=*/true);
    PHOTOTUNE_CHECK(!layers.empty(), ErrorCategory::InvalidInput,
                    "the model carries no LoRA adapter, so there is nothing to export; train or load one first");
    for (const auto& [name, layer] : layers) {
        PHOTOTUNE_CHECK(layer->rank() == settings.r && std::abs(layer->scaling() - settings.scaling()) <= 1e-12 * settings.scaling(),
                        ErrorCategory::InvalidInput,
                        "the adapter on " + name + " (r " + std::to_string(layer->rank()) + ", scaling " +
                            std::to_string(layer->scaling()) + ") does not match the export settings (r " +
                            std::to_string(settings.r) + ", scaling " + std::to_string(settings.scaling()) + ")");
    }
    const LoraSettings peft = peft_settings_for(model, settings);

    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto& [name, layer] : layers) {
        tensors.emplace_back(lora_key(name, "lora_A"), layer->lora_A->weight.detach());
        tensors.emplace_back(lora_key(name, "lora_B"), layer->lora_B->weight.detach() * strength);
    }
    std::map<std::string, std::string> file_metadata = metadata;
    file_metadata["format"] = "pt"; // peft and safetensors.torch expect it
    if (strength != 1.0) file_metadata["lora_strength"] = std::to_string(strength);

    std::error_code error;
    std::filesystem::create_directories(adapter_dir, error);
    PHOTOTUNE_CHECK(!error, ErrorCategory::Io,
                    "cannot create the adapter folder " + path_for_display(adapter_dir) + ": " + error.message());
    save_safetensors(adapter_dir / kAdapterWeightsFile, tensors, file_metadata);
    write_file_atomic(adapter_dir / kAdapterConfigFile, to_adapter_config_json(peft));
    write_file_atomic(adapter_dir / "README.md", model_card(peft, metadata));
}

void save_merged_model(ClipModelImpl& model, const std::filesystem::path& out_dir, double strength,
                       const std::map<std::string, std::string>& metadata)
{
    check_strength(strength);
    const ScopedMergedWeights merged(model, strength);
    save_clip_model(model, out_dir, model.visual_projection->weight.scalar_type(), metadata);
}

std::string peft_loading_snippet(const std::string& base_model, const std::string& adapter_folder)
{
    return "from transformers import CLIPModel, CLIPProcessor\nfrom peft import PeftModel\n\n"
           "base = CLIPModel.from_pretrained(" + python_string(one_line(base_model)) + ")\n"
           "model = PeftModel.from_pretrained(base, " + python_string(one_line(adapter_folder)) + ")\n"
           "processor = CLIPProcessor.from_pretrained(" + python_string(one_line(base_model)) + ")\n";
}

std::string merged_loading_snippet(const std::string& model_folder)
{
    const std::string folder = python_string(one_line(model_folder));
    return "from transformers import CLIPModel, CLIPProcessor\n\n"
           "model = CLIPModel.from_pretrained(" + folder + ")\n"
           "processor = CLIPProcessor.from_pretrained(" + folder + ")\n";
}

} // namespace phototune

#include "core/lora/lora_targets.h"

#include "core/util/error.h"

#include <ATen/core/Tensor.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

namespace phototune {
namespace {

std::vector<std::string_view> split_dots(std::string_view name)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (std::size_t dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.', start)) {
        parts.push_back(name.substr(start, dot - start));
        start = dot + 1;
    }
    parts.push_back(name.substr(start));
    return parts;
}

bool is_index(std::string_view part)
{
    return !part.empty() && part.size() <= 9 &&
           std::all_of(part.begin(), part.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool matches_target(std::string_view name, const std::vector<std::string>& targets)
{
    return std::any_of(targets.begin(), targets.end(), [&](const std::string& target) {
        return name == target ||
               (name.size() > target.size() && name.ends_with(target) && name[name.size() - target.size() - 1] == '.');
    });
}

// peft's layer index: the number after the last "<pattern>." that is followed by another name
// (regex ".*\.<pattern>\.(\d+)\." for each pattern in turn, any name when there is none).
std::optional<std::int64_t> peft_layer_index(std::string_view name, const std::vector<std::string>& patterns)
{
    const auto parts = split_dots(name);
    const auto find = [&](const std::string* pattern) -> std::optional<std::int64_t> {
        for (std::size_t i = parts.size() - 1; i-- > 2;) { // parts[i] numbered, parts[i-1] pattern, not the first
            if (is_index(parts[i]) && (!pattern || parts[i - 1] == *pattern)) return std::stoll(std::string(parts[i]));
        }
        return std::nullopt;
    };
    if (patterns.empty()) return find(nullptr);
    for (const auto& pattern : patterns) {
        if (auto index = find(&pattern)) return index;
    }
    return std::nullopt;
}

enum class Tower { Vision, Text, Neither };

Tower tower_of(std::string_view name)
{
    if (name.starts_with("vision_model.") || name == "visual_projection") return Tower::Vision;
    if (name.starts_with("text_model.") || name == "text_projection") return Tower::Text;
    return Tower::Neither;
}

// Index of the encoder layer "<tower>_model.encoder.layers.<i>." a name lies in.
std::optional<std::int64_t> encoder_layer_index(std::string_view name, Tower tower)
{
    const std::string_view prefix =
        tower == Tower::Vision ? "vision_model.encoder.layers." : "text_model.encoder.layers.";
    if (tower == Tower::Neither || !name.starts_with(prefix)) return std::nullopt;
    const std::string_view rest = name.substr(prefix.size());
    const std::string_view index = rest.substr(0, rest.find('.'));
    if (!is_index(index) || index.size() == rest.size()) return std::nullopt;
    return std::stoll(std::string(index));
}

std::string join(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
}

bool is_lora_parameter(const std::string& name)
{
    return name.find(".lora_A.") != std::string::npos || name.find(".lora_B.") != std::string::npos;
}

std::vector<std::string> names_of(const std::vector<NamedLoraLayer>& layers)
{
    std::vector<std::string> names;
    for (const auto& layer : layers) names.push_back(layer.name);
    return names;
}

} // namespace

bool lora_module_selected(const LoraSettings& settings, std::string_view module_name, const ClipConfig& config)
{
    if (!matches_target(module_name, settings.target_modules)) return false;
    if (!settings.layers_to_transform.empty()) {
        const auto index = peft_layer_index(module_name, settings.layers_pattern);
        if (!index || std::find(settings.layers_to_transform.begin(), settings.layers_to_transform.end(), *index) ==
                          settings.layers_to_transform.end())
            return false;
    }
    const Tower tower = tower_of(module_name);
    if (settings.towers == LoraTowers::Vision && tower != Tower::Vision) return false;
    if (settings.towers == LoraTowers::Text && tower != Tower::Text) return false;
    if (settings.last_n_layers > 0) {
        const auto index = encoder_layer_index(module_name, tower);
        if (!index) return false;
        const std::int64_t depth = tower == Tower::Vision ? config.vision_config.num_hidden_layers
                                                          : config.text_config.num_hidden_layers;
        return *index >= depth - settings.last_n_layers;
    }
    return true;
}

std::vector<NamedLoraLayer> lora_capable_layers(ClipModelImpl& model, bool with_adapter_only)
{
    std::vector<NamedLoraLayer> layers;
    for (const auto& item : model.named_modules("", /*include_self=*/false)) {
        auto layer = std::dynamic_pointer_cast<LoraLinearImpl>(item.value());
        if (layer && (!with_adapter_only || layer->has_lora())) layers.push_back({item.key(), std::move(layer)});
    }
    return layers;
}

std::vector<NamedLoraLayer> select_lora_layers(ClipModelImpl& model, const LoraSettings& settings)
{
    std::vector<NamedLoraLayer> selected;
    for (auto& layer : lora_capable_layers(model)) {
        if (lora_module_selected(settings, layer.name, model.config())) selected.push_back(std::move(layer));
    }
    return selected;
}

std::vector<std::string> apply_lora(ClipModelImpl& model, const LoraSettings& settings)
{
    validate_lora_settings(settings, "LoRA settings");
    PHOTOTUNE_CHECK(lora_capable_layers(model, /*with_adapter_only=*/true).empty(), ErrorCategory::InvalidInput,
                    "the model already carries a LoRA adapter; start from a freshly loaded base model");
    const auto selected = select_lora_layers(model, settings);
    PHOTOTUNE_CHECK(!selected.empty(), ErrorCategory::InvalidInput,
                    "target_modules [" + join(settings.target_modules) + "] (towers " +
                        std::string(lora_towers_name(settings.towers)) +
                        ") matches no layer of this model; CLIP's LoRA-capable layers are q_proj, k_proj, v_proj, "
                        "out_proj, fc1, fc2, visual_projection and text_projection");
    for (const auto& [name, layer] : selected) {
        layer->enable_lora(settings.r, settings.lora_alpha, settings.lora_dropout, settings.use_rslora);
    }
    for (auto& item : model.named_parameters(/*recurse=*/true)) {
        const bool trainable = item.key() == "logit_scale" ? settings.train_logit_scale : is_lora_parameter(item.key());
        item.value().set_requires_grad(trainable);
    }
    return names_of(selected);
}

std::vector<std::pair<std::string, at::Tensor>> trainable_parameters(ClipModelImpl& model)
{
    std::vector<std::pair<std::string, at::Tensor>> trainable;
    for (const auto& item : model.named_parameters(/*recurse=*/true)) {
        if (item.value().requires_grad()) trainable.emplace_back(std::string(kPeftKeyPrefix) + item.key(), item.value());
    }
    return trainable;
}

LoraSettings peft_settings_for(ClipModelImpl& model, const LoraSettings& settings)
{
    LoraSettings peft = settings;
    peft.towers = LoraTowers::Both;
    peft.last_n_layers = 0;
    peft.train_logit_scale = false;
    const auto with_adapter = names_of(lora_capable_layers(model, /*with_adapter_only=*/true));
    const auto selects_exactly = [&](const LoraSettings& candidate) {
        std::vector<std::string> hit;
        for (const auto& layer : lora_capable_layers(model)) {
            if (lora_module_selected(candidate, layer.name, model.config())) hit.push_back(layer.name);
        }
        return hit == with_adapter;
    };
    if (settings.towers == LoraTowers::Both && settings.last_n_layers == 0 && selects_exactly(peft)) return peft;

    const ClipConfig& config = model.config();
    const std::int64_t depth = config.vision_config.num_hidden_layers;
    if (settings.towers == LoraTowers::Both && settings.last_n_layers > 0 && settings.layers_to_transform.empty() &&
        depth == config.text_config.num_hidden_layers) {
        LoraSettings layered = peft;
        for (std::int64_t i = std::max<std::int64_t>(0, depth - settings.last_n_layers); i < depth; ++i) {
            layered.layers_to_transform.push_back(i);
        }
        layered.layers_pattern = {"layers"};
        if (selects_exactly(layered)) return layered;
    }
    peft.target_modules = with_adapter;
    peft.layers_to_transform.clear();
    peft.layers_pattern.clear();
    PHOTOTUNE_CHECK(!with_adapter.empty() && selects_exactly(peft), ErrorCategory::Internal,
                    "cannot describe the model's LoRA layers in adapter_config.json terms");
    return peft;
}

void merge_lora(ClipModelImpl& model)
{
    for (const auto& [name, layer] : lora_capable_layers(model, /*with_adapter_only=*/true)) layer->merge();
}

} // namespace phototune

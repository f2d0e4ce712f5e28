#include "core/lora/lora_config.h"

#include "core/util/error.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace phototune {
namespace {

using nlohmann::json;

constexpr const char* kFix = "; re-export the adapter with peft or the studio";

std::string where(const std::filesystem::path& source) { return path_for_display(source); }

[[noreturn]] void wrong_type(const std::filesystem::path& source, const char* key, const json& value,
                             const char* expected)
{
    throw Error(ErrorCategory::InvalidInput, where(source) + ": \"" + key + "\" must be " + expected + ", not " +
                                                 value.type_name() + kFix);
}

// The value under `key`, or nullptr when it is absent or null.
const json* field(const json& object, const char* key)
{
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

template <typename T>
void read_number(const json& object, const char* key, T& value, const std::filesystem::path& source)
{
    const json* v = field(object, key);
    if (!v) return;
    if (!v->is_number()) wrong_type(source, key, *v, "a number");
    if constexpr (std::is_integral_v<T>) {
        if (!v->is_number_integer()) wrong_type(source, key, *v, "an integer");
    }
    value = v->get<T>();
}

void read_bool(const json& object, const char* key, bool& value, const std::filesystem::path& source)
{
    const json* v = field(object, key);
    if (!v) return;
    if (!v->is_boolean()) wrong_type(source, key, *v, "true or false");
    value = v->get<bool>();
}

void read_string(const json& object, const char* key, std::string& value, const std::filesystem::path& source)
{
    const json* v = field(object, key);
    if (!v) return;
    if (!v->is_string()) wrong_type(source, key, *v, "a string");
    value = v->get<std::string>();
}

// peft accepts a single value or a list for these fields.
template <typename T>
std::vector<T> read_one_or_list(const json& object, const char* key, const std::filesystem::path& source,
                                const char* expected)
{
    const json* v = field(object, key);
    if (!v) return {};
    const auto is_element = [](const json& e) {
        if constexpr (std::is_integral_v<T>) return e.is_number_integer();
        else return e.is_string();
    };
    if (is_element(*v)) return {v->get<T>()};
    if (!v->is_array()) wrong_type(source, key, *v, expected);
    std::vector<T> values;
    for (const json& element : *v) {
        if (!is_element(element)) wrong_type(source, key, element, expected);
        values.push_back(element.get<T>());
    }
    return values;
}

// Fields whose presence with a non-default value changes what the adapter computes.
void refuse_if_set(const json& object, const char* key, const std::filesystem::path& source, const std::string& why)
{
    const json* v = field(object, key);
    if (!v) return;
    const bool is_default = (v->is_boolean() && !v->get<bool>()) || ((v->is_object() || v->is_array()) && v->empty());
    PHOTOTUNE_CHECK(is_default, ErrorCategory::Unsupported,
                    where(source) + ": \"" + key + "\" is set (" + v->dump() + "): " + why +
                        " is not supported; train or export the adapter as plain LoRA");
}

} // namespace

std::string_view lora_towers_name(LoraTowers towers)
{
    switch (towers) {
    case LoraTowers::Both: return "both";
    case LoraTowers::Vision: return "vision";
    case LoraTowers::Text: return "text";
    }
    return "both";
}

LoraTowers parse_lora_towers(std::string_view name)
{
    for (LoraTowers towers : {LoraTowers::Both, LoraTowers::Vision, LoraTowers::Text}) {
        if (name == lora_towers_name(towers)) return towers;
    }
    throw Error(ErrorCategory::InvalidInput,
                "LoRA towers must be \"both\", \"vision\" or \"text\", not \"" + std::string(name) + "\"");
}

double LoraSettings::scaling() const
{
    return use_rslora ? lora_alpha / std::sqrt(static_cast<double>(r)) : lora_alpha / static_cast<double>(r);
}

void validate_lora_settings(const LoraSettings& settings, const std::filesystem::path& source)
{
    const std::string at = where(source) + ": ";
    PHOTOTUNE_CHECK(settings.r >= 1, ErrorCategory::InvalidInput,
                    at + "LoRA rank r must be at least 1, not " + std::to_string(settings.r));
    PHOTOTUNE_CHECK(settings.lora_alpha > 0.0 && std::isfinite(settings.lora_alpha), ErrorCategory::InvalidInput,
                    at + "lora_alpha must be a positive number");
    PHOTOTUNE_CHECK(settings.lora_dropout >= 0.0 && settings.lora_dropout < 1.0, ErrorCategory::InvalidInput,
                    at + "lora_dropout must be in [0, 1)");
    PHOTOTUNE_CHECK(!settings.target_modules.empty(), ErrorCategory::InvalidInput,
                    at + "target_modules is empty; name the layers to adapt, e.g. [\"q_proj\", \"v_proj\"]");
    for (const auto& target : settings.target_modules) {
        PHOTOTUNE_CHECK(!target.empty() && target.front() != '.' && target.back() != '.', ErrorCategory::InvalidInput,
                        at + "target_modules holds an invalid module name \"" + target + "\"");
    }
    PHOTOTUNE_CHECK(settings.bias == "none", ErrorCategory::Unsupported,
                    at + "bias \"" + settings.bias + "\" is not supported; use \"none\" (biases stay frozen)");
    PHOTOTUNE_CHECK(settings.last_n_layers >= 0, ErrorCategory::InvalidInput,
                    at + "last_n_layers must be 0 (all layers) or positive");
    for (std::int64_t layer : settings.layers_to_transform) {
        PHOTOTUNE_CHECK(layer >= 0, ErrorCategory::InvalidInput,
                        at + "layers_to_transform holds a negative layer index " + std::to_string(layer));
    }
}

LoraSettings parse_adapter_config(std::string_view json_text, const std::filesystem::path& source)
{
    json root;
    try {
        root = json::parse(json_text);
    } catch (const json::exception& e) {
        throw Error(ErrorCategory::InvalidInput, where(source) + " is not valid JSON (" + e.what() + ")" + kFix);
    }
    PHOTOTUNE_CHECK(root.is_object(), ErrorCategory::InvalidInput,
                    where(source) + " must hold a JSON object (a peft adapter_config.json)" + kFix);

    std::string peft_type;
    read_string(root, "peft_type", peft_type, source);
    PHOTOTUNE_CHECK(!peft_type.empty(), ErrorCategory::InvalidInput,
                    where(source) + " has no \"peft_type\"; it is not a peft adapter config" + kFix);
    PHOTOTUNE_CHECK(peft_type == "LORA", ErrorCategory::Unsupported,
                    where(source) + ": peft_type " + peft_type + " is not supported; the studio applies LORA adapters");

    refuse_if_set(root, "use_dora", source, "DoRA (weight-decomposed LoRA)");
    refuse_if_set(root, "fan_in_fan_out", source, "fan_in_fan_out (Conv1D-style weights)");
    refuse_if_set(root, "lora_bias", source, "a trained LoRA bias");
    refuse_if_set(root, "rank_pattern", source, "a per-module rank");
    refuse_if_set(root, "alpha_pattern", source, "a per-module alpha");
    refuse_if_set(root, "modules_to_save", source, "fully trained extra modules (modules_to_save)");
    refuse_if_set(root, "layer_replication", source, "layer replication");
    refuse_if_set(root, "exclude_modules", source, "exclude_modules");

    LoraSettings settings;
    settings.lora_alpha = 8.0; // peft's defaults for absent keys, not the studio's
    read_number(root, "r", settings.r, source);
    read_number(root, "lora_alpha", settings.lora_alpha, source);
    read_number(root, "lora_dropout", settings.lora_dropout, source);
    read_string(root, "bias", settings.bias, source);
    read_bool(root, "use_rslora", settings.use_rslora, source);
    read_string(root, "base_model_name_or_path", settings.base_model_name_or_path, source);

    const json* targets = field(root, "target_modules");
    PHOTOTUNE_CHECK(targets, ErrorCategory::InvalidInput,
                    where(source) + " names no target_modules, and peft has no default for CLIP" + kFix);
    PHOTOTUNE_CHECK(!targets->is_string(), ErrorCategory::Unsupported,
                    where(source) + ": target_modules is a regular expression (" + targets->get<std::string>() +
                        "), which the studio does not apply; list the module names instead");
    settings.target_modules = read_one_or_list<std::string>(root, "target_modules", source, "a list of module names");
    settings.layers_to_transform =
        read_one_or_list<std::int64_t>(root, "layers_to_transform", source, "a layer index or a list of them");
    settings.layers_pattern = read_one_or_list<std::string>(root, "layers_pattern", source, "a string or a list");

    validate_lora_settings(settings, source);
    return settings;
}

LoraSettings load_adapter_config(const std::filesystem::path& adapter_config_json)
{
    return parse_adapter_config(read_text_file(adapter_config_json), adapter_config_json);
}

std::string to_adapter_config_json(const LoraSettings& settings)
{
    PHOTOTUNE_CHECK(settings.towers == LoraTowers::Both && settings.last_n_layers == 0, ErrorCategory::Internal,
                    "to_adapter_config_json needs peft-only settings; fold towers/last_n_layers first");
    validate_lora_settings(settings, "adapter_config.json");
    const auto one_or_list = [](const auto& values) -> json {
        if (values.empty()) return nullptr;
        return json(values);
    };
    const bool integral_alpha = settings.lora_alpha == std::floor(settings.lora_alpha) && settings.lora_alpha < 1e15;
    json config = {
        {"alpha_pattern", json::object()},
        {"auto_mapping",
         {{"base_model_class", "CLIPModel"}, {"parent_library", "transformers.models.clip.modeling_clip"}}},
        {"base_model_name_or_path",
         settings.base_model_name_or_path.empty() ? json(nullptr) : json(settings.base_model_name_or_path)},
        {"bias", settings.bias},
        {"fan_in_fan_out", false},
        {"inference_mode", true},
        {"init_lora_weights", true},
        {"layer_replication", nullptr},
        {"layers_pattern", one_or_list(settings.layers_pattern)},
        {"layers_to_transform", one_or_list(settings.layers_to_transform)},
        {"loftq_config", json::object()},
        {"lora_alpha", integral_alpha ? json(static_cast<std::int64_t>(settings.lora_alpha)) : json(settings.lora_alpha)},
        {"lora_dropout", settings.lora_dropout},
        {"megatron_config", nullptr},
        {"megatron_core", "megatron.core"},
        {"modules_to_save", nullptr},
        {"peft_type", "LORA"},
        {"r", settings.r},
        {"rank_pattern", json::object()},
        {"revision", nullptr},
        {"target_modules", settings.target_modules},
        {"task_type", nullptr},
        {"use_dora", false},
        {"use_rslora", settings.use_rslora},
    };
    return config.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

} // namespace phototune

#include "core/model/clip_config.h"

#include "core/util/error.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>

#include <type_traits>

namespace phototune {
namespace {

using nlohmann::json;

std::string where(const std::filesystem::path& source) { return path_for_display(source); }

// Reads `key` into `value` when present and not null. A value of the wrong type names the field.
template <typename T>
void read_field(const json& object, const char* key, T& value, const std::string& section,
                const std::filesystem::path& source)
{
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return;
    const auto wrong_type = [&] {
        return Error(ErrorCategory::InvalidInput, where(source) + ": " + section + key + " has the wrong type (" +
                                                      it->type_name() + "); fix or re-download the model's config.json");
    };
    // Sizes must be JSON integers: a float such as 1e30 would not convert to int64 safely.
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        if (!it->is_number_integer()) throw wrong_type();
    }
    try {
        value = it->get<T>();
    } catch (const json::exception&) {
        throw wrong_type();
    }
}

void read_tower(const json& object, ClipTowerConfig& tower, const std::string& section,
                const std::filesystem::path& source)
{
    read_field(object, "hidden_size", tower.hidden_size, section, source);
    read_field(object, "intermediate_size", tower.intermediate_size, section, source);
    read_field(object, "num_hidden_layers", tower.num_hidden_layers, section, source);
    read_field(object, "num_attention_heads", tower.num_attention_heads, section, source);
    read_field(object, "hidden_act", tower.hidden_act, section, source);
    read_field(object, "layer_norm_eps", tower.layer_norm_eps, section, source);
    read_field(object, "attention_dropout", tower.attention_dropout, section, source);
    read_field(object, "initializer_range", tower.initializer_range, section, source);
    read_field(object, "initializer_factor", tower.initializer_factor, section, source);
}

const json& sub_object(const json& root, const char* key, const std::filesystem::path& source)
{
    static const json empty = json::object();
    const auto it = root.find(key);
    if (it == root.end() || it->is_null()) return empty;
    PHOTOTUNE_CHECK(it->is_object(), ErrorCategory::InvalidInput,
                    where(source) + ": \"" + key + "\" must be an object; fix or re-download the model's config.json");
    return *it;
}

// Positive, and small enough that a hostile config cannot ask for absurd allocations.
void check_positive(std::int64_t value, const std::string& name, const std::filesystem::path& source)
{
    constexpr std::int64_t largest = std::int64_t(1) << 24;
    PHOTOTUNE_CHECK(value > 0 && value <= largest, ErrorCategory::InvalidInput,
                    where(source) + ": " + name + " must be between 1 and " + std::to_string(largest) + ", not " +
                        std::to_string(value));
}

void validate_tower(const ClipTowerConfig& tower, const std::string& section, const std::filesystem::path& source)
{
    check_positive(tower.hidden_size, section + "hidden_size", source);
    check_positive(tower.intermediate_size, section + "intermediate_size", source);
    check_positive(tower.num_hidden_layers, section + "num_hidden_layers", source);
    check_positive(tower.num_attention_heads, section + "num_attention_heads", source);
    PHOTOTUNE_CHECK(tower.hidden_size % tower.num_attention_heads == 0, ErrorCategory::InvalidInput,
                    where(source) + ": " + section + "hidden_size " + std::to_string(tower.hidden_size) +
                        " is not divisible by num_attention_heads " + std::to_string(tower.num_attention_heads));
    PHOTOTUNE_CHECK(tower.layer_norm_eps > 0.0, ErrorCategory::InvalidInput,
                    where(source) + ": " + section + "layer_norm_eps must be positive");
    PHOTOTUNE_CHECK(tower.attention_dropout >= 0.0 && tower.attention_dropout < 1.0, ErrorCategory::InvalidInput,
                    where(source) + ": " + section + "attention_dropout must be in [0, 1)");
    try {
        tower.activation();
    } catch (const Error& e) {
        throw Error(ErrorCategory::Unsupported, where(source) + ": " + section + e.what());
    }
}

json tower_json(const ClipTowerConfig& tower)
{
    return json{{"hidden_size", tower.hidden_size},
                {"intermediate_size", tower.intermediate_size},
                {"num_hidden_layers", tower.num_hidden_layers},
                {"num_attention_heads", tower.num_attention_heads},
                {"hidden_act", tower.hidden_act},
                {"layer_norm_eps", tower.layer_norm_eps},
                {"attention_dropout", tower.attention_dropout},
                {"initializer_range", tower.initializer_range},
                {"initializer_factor", tower.initializer_factor}};
}

} // namespace

ClipTextConfig::ClipTextConfig()
{
    hidden_size = 512;
    intermediate_size = 2048;
    num_hidden_layers = 12;
    num_attention_heads = 8;
}

ClipVisionConfig::ClipVisionConfig()
{
    hidden_size = 768;
    intermediate_size = 3072;
    num_hidden_layers = 12;
    num_attention_heads = 12;
}

ClipActivation ClipTowerConfig::activation() const
{
    if (hidden_act == "quick_gelu") return ClipActivation::QuickGelu;
    if (hidden_act == "gelu") return ClipActivation::Gelu;
    if (hidden_act == "gelu_new" || hidden_act == "gelu_pytorch_tanh") return ClipActivation::GeluTanh;
    throw Error(ErrorCategory::Unsupported, "hidden_act \"" + hidden_act +
                                                "\" is not supported; the studio runs quick_gelu, gelu, gelu_new and "
                                                "gelu_pytorch_tanh models");
}

std::string_view clip_activation_name(ClipActivation activation)
{
    switch (activation) {
    case ClipActivation::QuickGelu: return "quick_gelu";
    case ClipActivation::Gelu: return "gelu";
    case ClipActivation::GeluTanh: return "gelu_pytorch_tanh";
    }
    return "quick_gelu";
}

void validate_clip_config(const ClipConfig& config, const std::filesystem::path& source)
{
    validate_tower(config.text_config, "text_config.", source);
    validate_tower(config.vision_config, "vision_config.", source);
    const ClipTextConfig& text = config.text_config;
    const ClipVisionConfig& vision = config.vision_config;
    check_positive(text.vocab_size, "text_config.vocab_size", source);
    check_positive(text.max_position_embeddings, "text_config.max_position_embeddings", source);
    check_positive(vision.num_channels, "vision_config.num_channels", source);
    check_positive(vision.image_size, "vision_config.image_size", source);
    check_positive(vision.patch_size, "vision_config.patch_size", source);
    PHOTOTUNE_CHECK(vision.patch_size <= vision.image_size, ErrorCategory::InvalidInput,
                    where(source) + ": vision_config.patch_size " + std::to_string(vision.patch_size) +
                        " is larger than image_size " + std::to_string(vision.image_size));
    check_positive(config.projection_dim, "projection_dim", source);
}

ClipConfig parse_clip_config(std::string_view json_text, const std::filesystem::path& source)
{
    json root;
    try {
        root = json::parse(json_text);
    } catch (const json::exception& e) {
        throw Error(ErrorCategory::InvalidInput,
                    where(source) + " is not valid JSON (" + e.what() + "); re-download the model's config.json");
    }
    PHOTOTUNE_CHECK(root.is_object(), ErrorCategory::InvalidInput,
                    where(source) + " must hold a JSON object; re-download the model's config.json");
    if (const auto type = root.find("model_type"); type != root.end() && type->is_string()) {
        PHOTOTUNE_CHECK(*type == "clip", ErrorCategory::Unsupported,
                        where(source) + ": model_type is \"" + type->get<std::string>() +
                            "\"; this loader reads CLIP models (model_type \"clip\")");
    }

    ClipConfig config;
    const json& text = sub_object(root, "text_config", source);
    const json& vision = sub_object(root, "vision_config", source);
    read_tower(text, config.text_config, "text_config.", source);
    read_field(text, "vocab_size", config.text_config.vocab_size, "text_config.", source);
    read_field(text, "max_position_embeddings", config.text_config.max_position_embeddings, "text_config.", source);
    read_field(text, "bos_token_id", config.text_config.bos_token_id, "text_config.", source);
    read_field(text, "eos_token_id", config.text_config.eos_token_id, "text_config.", source);
    read_field(text, "pad_token_id", config.text_config.pad_token_id, "text_config.", source);
    read_tower(vision, config.vision_config, "vision_config.", source);
    read_field(vision, "num_channels", config.vision_config.num_channels, "vision_config.", source);
    read_field(vision, "image_size", config.vision_config.image_size, "vision_config.", source);
    read_field(vision, "patch_size", config.vision_config.patch_size, "vision_config.", source);
    read_field(root, "projection_dim", config.projection_dim, "", source);
    read_field(root, "logit_scale_init_value", config.logit_scale_init_value, "", source);
    read_field(root, "initializer_factor", config.initializer_factor, "", source);
    read_field(root, "torch_dtype", config.torch_dtype, "", source);
    read_field(root, "_name_or_path", config.name_or_path, "", source);
    read_field(root, "phototune_untrained", config.phototune_untrained, "", source);
    validate_clip_config(config, source);
    return config;
}

ClipConfig load_clip_config(const std::filesystem::path& config_json)
{
    return parse_clip_config(read_text_file(config_json), config_json);
}

std::string to_json(const ClipConfig& config)
{
    json text = tower_json(config.text_config);
    text["model_type"] = "clip_text_model";
    text["vocab_size"] = config.text_config.vocab_size;
    text["max_position_embeddings"] = config.text_config.max_position_embeddings;
    text["bos_token_id"] = config.text_config.bos_token_id;
    text["eos_token_id"] = config.text_config.eos_token_id;
    text["pad_token_id"] = config.text_config.pad_token_id;
    text["projection_dim"] = config.projection_dim;
    json vision = tower_json(config.vision_config);
    vision["model_type"] = "clip_vision_model";
    vision["num_channels"] = config.vision_config.num_channels;
    vision["image_size"] = config.vision_config.image_size;
    vision["patch_size"] = config.vision_config.patch_size;
    vision["projection_dim"] = config.projection_dim;

    json root{{"architectures", json::array({"CLIPModel"})},
              {"model_type", "clip"},
              {"projection_dim", config.projection_dim},
              {"logit_scale_init_value", config.logit_scale_init_value},
              {"initializer_factor", config.initializer_factor},
              {"torch_dtype", config.torch_dtype},
              {"text_config", std::move(text)},
              {"vision_config", std::move(vision)}};
    if (!config.name_or_path.empty()) root["_name_or_path"] = config.name_or_path;
    if (config.phototune_untrained) root["phototune_untrained"] = true;
    return root.dump(2) + "\n";
}

} // namespace phototune

#pragma once
// LoRA settings with peft's LoraConfig field names, and adapter_config.json as peft writes it.
// Torch-free: the planner and the wizard read and edit settings without LibTorch.
//
// Which Linear layers get an adapter is the AND of peft's rules (target_modules by module-name
// suffix, optionally layers_to_transform) and the studio's own scope (towers, last_n_layers). The
// studio's scope has no adapter_config.json field: adapter export folds it into peft's fields
// (see peft_settings_for in lora_targets.h), so peft selects exactly the same modules.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace phototune {

enum class LoraTowers { Both, Vision, Text };

std::string_view lora_towers_name(LoraTowers towers); // "both", "vision", "text"
// Throws Error(InvalidInput) for anything but the three names.
LoraTowers parse_lora_towers(std::string_view name);

struct LoraSettings {
    // peft LoraConfig
    std::int64_t r = 8;
    double lora_alpha = 16.0;
    double lora_dropout = 0.0;
    // Module names or name suffixes: "q_proj" hits every "...q_proj", "mlp.fc1" every "...mlp.fc1",
    // a full dotted name exactly that module. q_proj + v_proj is the CLIP-LoRA recipe.
    std::vector<std::string> target_modules = {"q_proj", "v_proj"};
    std::string bias = "none"; // the only value the studio supports
    bool use_rslora = false;   // scaling alpha/sqrt(r) instead of alpha/r
    // peft's layer filter: when not empty, only modules inside "<...>.<pattern>.<index>." with an
    // index in the list are targeted (pattern: any of layers_pattern, or any name when empty).
    std::vector<std::int64_t> layers_to_transform;
    std::vector<std::string> layers_pattern;
    std::string base_model_name_or_path;

    // The studio's scope, not part of adapter_config.json.
    LoraTowers towers = LoraTowers::Both;
    std::int64_t last_n_layers = 0; // 0 = every encoder layer; else only each tower's last N
    bool train_logit_scale = false;

    double scaling() const; // lora_alpha / r, or lora_alpha / sqrt(r) with rsLoRA
};

// Throws Error(InvalidInput) for r < 1, alpha <= 0, dropout outside [0, 1), no targets, an empty
// target name, last_n_layers < 0 or a negative layer index; Error(Unsupported) for bias other than
// "none". `source` names the file or the setting's origin in messages.
void validate_lora_settings(const LoraSettings& settings, const std::filesystem::path& source);

// Parses adapter_config.json text. Accepts what peft writes (unknown keys are ignored, like newer
// peft does). Throws Error(InvalidInput) naming `source` for malformed JSON or wrong types, and
// Error(Unsupported) for adapters the studio cannot apply faithfully: peft_type other than LORA,
// use_dora, fan_in_fan_out, bias other than "none", lora_bias, rank_pattern/alpha_pattern,
// modules_to_save, layer_replication, exclude_modules, or a regular-expression target_modules.
// The result has towers = Both and last_n_layers = 0.
LoraSettings parse_adapter_config(std::string_view json_text, const std::filesystem::path& source);
LoraSettings load_adapter_config(const std::filesystem::path& adapter_config_json);

// adapter_config.json with peft 0.10's field set, keys sorted, indented by 2. Only the peft
// fields are written; requires towers == Both and last_n_layers == 0 (fold them first), else
// throws Error(Internal).
std::string to_adapter_config_json(const LoraSettings& settings);

} // namespace phototune

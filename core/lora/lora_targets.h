#pragma once
// Putting LoRA on a CLIP model the way peft does: every LoraLinear whose dotted module name is
// selected by the settings (see lora_config.h) gets an adapter, every other parameter is frozen.

#include "core/lora/lora_config.h"
#include "core/lora/lora_linear.h"
#include "core/model/clip_config.h"
#include "core/model/clip_model.h"

#include <ATen/core/Tensor.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace phototune {

// peft's prefix for adapter keys on disk: "base_model.model." + module path + ".lora_A.weight".
inline constexpr std::string_view kPeftKeyPrefix = "base_model.model.";

struct NamedLoraLayer {
    std::string name; // dotted module path, e.g. "vision_model.encoder.layers.0.self_attn.q_proj"
    std::shared_ptr<LoraLinearImpl> layer;
};

// Whether a module of a model shaped like `config` is selected: it matches target_modules (equal to
// a target or ending in "." + target), passes peft's layers_to_transform filter, lies in the chosen
// tower ("vision_model.*" and visual_projection, "text_model.*" and text_projection) and, with
// last_n_layers, inside one of its tower's last N encoder layers (projections are then excluded).
bool lora_module_selected(const LoraSettings& settings, std::string_view module_name, const ClipConfig& config);

// Every LoraLinear of the model, in module order; `with_adapter_only` keeps those carrying LoRA.
std::vector<NamedLoraLayer> lora_capable_layers(ClipModelImpl& model, bool with_adapter_only = false);

// The LoraLinear layers the settings select, in module order (nothing is changed).
std::vector<NamedLoraLayer> select_lora_layers(ClipModelImpl& model, const LoraSettings& settings);

// Enables LoRA (peft init: A kaiming-uniform, B zeros) on the selected layers, makes exactly the
// LoRA parameters (and logit_scale when settings.train_logit_scale) require gradients, freezes the
// rest, and returns the targeted module names. Throws Error(InvalidInput) for invalid settings, a
// selection that hits nothing (the message lists what can be targeted) or a model that already
// carries an adapter.
std::vector<std::string> apply_lora(ClipModelImpl& model, const LoraSettings& settings);

// The parameters that require gradients, under peft's on-disk names
// ("base_model.model.text_model.encoder.layers.0.self_attn.q_proj.lora_A.weight",
// "base_model.model.logit_scale"), in module order. The tensors are the model's own.
std::vector<std::pair<std::string, at::Tensor>> trainable_parameters(ClipModelImpl& model);

// Folds towers and last_n_layers into peft's own fields so that peft selects exactly the layers
// that carry LoRA in `model`: the settings unchanged when no scope is set; suffix targets plus
// layers_to_transform when both towers use their last N of equally deep encoders; otherwise the
// full module names. r, alpha, dropout and rsLoRA are kept.
LoraSettings peft_settings_for(ClipModelImpl& model, const LoraSettings& settings);

// Folds every adapter into its base weight (peft's merge_and_unload without the unload: the
// adapters stay, inactive for forward, and can be unmerged).
void merge_lora(ClipModelImpl& model);

} // namespace phototune

#pragma once
// peft adapter folders (adapter_config.json + adapter_model.safetensors + README.md, exactly what
// PeftModel.save_pretrained writes, loadable by PeftModel.from_pretrained on the base CLIPModel),
// and merged full models in Hugging Face layout.

#include "core/lora/lora_config.h"
#include "core/model/clip_model.h"

#include <filesystem>
#include <map>
#include <string>

namespace phototune {

inline constexpr const char* kAdapterConfigFile = "adapter_config.json";
inline constexpr const char* kAdapterWeightsFile = "adapter_model.safetensors";

// Applies the adapter in `adapter_dir` to a model without LoRA (apply_lora with the folder's
// settings, so only the adapter's weights are trainable) and returns the settings. The weights are
// checked before the model is touched: one Error(InvalidInput) naming adapter_model.safetensors
// lists every missing, unexpected and mis-shaped key. Also throws NotFound for a missing folder or
// file (Unsupported for a pickled adapter_model.bin) and load_adapter_config's errors.
LoraSettings load_peft_adapter(ClipModelImpl& model, const std::filesystem::path& adapter_dir);

// Writes the adapters the model carries into `adapter_dir` (created; each file atomically):
// adapter_model.safetensors with peft's keys and metadata {"format": "pt"} plus `metadata` (the
// caller's provenance: base model and hash, dataset, steps, seed, licence, ...), adapter_config.json
// (settings folded by peft_settings_for) and a model card README.md. `strength` scales every
// lora_B, and so the delta, at export (WiSE-FT style: 0 = base model, 1 = as trained). Throws
// InvalidInput when the model carries no adapter, its rank or scaling differs from `settings`, or
// strength is negative or not finite; Io when the folder cannot be written.
void save_peft_adapter(ClipModelImpl& model, const LoraSettings& settings, const std::filesystem::path& adapter_dir,
                       const std::map<std::string, std::string>& metadata = {}, double strength = 1.0);

// Writes the model with strength * every adapter delta folded into its weights, in Hugging Face
// layout (config.json + model.safetensors, no LoRA keys), via save_clip_model. The model itself is
// left exactly as it was (merged or not). Throws save_clip_model's errors and InvalidInput for a
// bad strength.
void save_merged_model(ClipModelImpl& model, const std::filesystem::path& out_dir, double strength = 1.0,
                       const std::map<std::string, std::string>& metadata = {});

// Python that loads what was written: the base model with PEFT on top of it for an adapter folder,
// or plain transformers for a merged model (then base_model is not needed). Shown by the model card
// and by the studio's Export step.
std::string peft_loading_snippet(const std::string& base_model, const std::string& adapter_folder);
std::string merged_loading_snippet(const std::string& model_folder);

} // namespace phototune

#pragma once
// Hugging Face CLIP folders: config.json + model.safetensors (or a sharded
// model.safetensors.index.json). Loading is strict: every problem with the weights is reported at
// once, so a user sees "wrong model for this config" instead of one key at a time.

#include "core/model/clip_model.h"

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <map>
#include <string>

namespace phototune {

// Reads config.json and the weights. F16, BF16 and F64 weights are converted to float32. Throws
// Error: NotFound for a missing folder or file (a folder holding only pytorch_model.bin is
// Unsupported: the studio never unpickles), InvalidInput listing every missing, unexpected and
// mis-shaped key (legacy "*.position_ids" buffers are ignored).
ClipModel load_clip_model(const std::filesystem::path& model_dir);

// Copies `tensors` into the model's base parameters (adapter parameters lora_A/lora_B are not
// part of a model checkpoint and are left alone), with the same strict checks; `source` names the
// weights file in messages.
void load_clip_weights(ClipModelImpl& model, const std::map<std::string, at::Tensor>& tensors,
                       const std::filesystem::path& source);

// Writes config.json and model.safetensors (each atomically) into `model_dir`, creating it.
// `dtype` is kFloat, kHalf or kBFloat16 (config.json's torch_dtype says which). Adapter
// parameters are not written; merge() them first to bake them into the weights.
void save_clip_model(ClipModelImpl& model, const std::filesystem::path& model_dir, at::ScalarType dtype = at::kFloat,
                     const std::map<std::string, std::string>& metadata = {});

} // namespace phototune

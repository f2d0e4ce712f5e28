#pragma once
// Untrained CLIP models of known shapes: for tests, demos and smoke runs without a download.
//   tiny      the fixture's shapes: width 64, 2 layers, 4 heads, patch 32 on 224 px, projection 32
//   small     width 256, 4 layers, 4 heads of 64 (ViT-B's head size), patch 32 on 224 px,
//             projection 128: ~20 M parameters, trains for real in a minute on a CPU and shares
//             the 224 px preprocessing and image cache with every real CLIP checkpoint
//   vit-b-32  the shapes of openai/clip-vit-base-patch32 (151 M parameters)

#include "core/model/clip_model.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace phototune {

std::vector<std::string> clip_preset_names();

// Throws Error(InvalidInput) naming the known presets for any other name.
ClipConfig clip_preset_config(std::string_view preset);

// A model of the preset's shapes initialised like transformers does (see init_clip_weights); its
// config says phototune_untrained and "_name_or_path": "phototune-untrained-<preset>".
ClipModel create_untrained_clip(std::string_view preset, std::uint64_t seed);

// A complete Hugging Face CLIP folder that transformers' CLIPModel / CLIPProcessor load:
// config.json, model.safetensors (metadata phototune_untrained=true, preset, seed),
// vocab.json + merges.txt copied from `tokenizer_dir` (the studio's resources/tokenizer/),
// tokenizer_config.json, special_tokens_map.json and preprocessor_config.json.
void write_untrained_model_dir(std::string_view preset, const std::filesystem::path& out_dir,
                               const std::filesystem::path& tokenizer_dir, std::uint64_t seed);

} // namespace phototune

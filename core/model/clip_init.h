#pragma once
// Random initialisation exactly as transformers' CLIPPreTrainedModel._init_weights (4.40) lays it
// out, from a seed of its own (the global LibTorch generator is left alone).

#include "core/model/clip_model.h"

#include <cstdint>

namespace phototune {

// Embeddings, attention, MLP and projection weights ~ N(0, std) with HF's per-module std (scaled
// by initializer_factor), LayerNorms = (1, 0), Linear biases = 0, logit_scale =
// logit_scale_init_value. Adapter parameters are left alone.
void init_clip_weights(ClipModelImpl& model, std::uint64_t seed);

} // namespace phototune

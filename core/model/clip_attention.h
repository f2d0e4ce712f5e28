#pragma once
// HF CLIPAttention, eager path: q is scaled after its projection (bias included), the additive mask
// is added to q k^T, softmax, then dropout on the probabilities in training.

#include "core/lora/lora_linear.h"

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace phototune {

class ClipAttentionImpl : public torch::nn::Module {
public:
    ClipAttentionImpl(std::int64_t hidden_size, std::int64_t num_heads, double dropout);

    // x [B, S, D], mask undefined or additive [B or 1, 1, S, S] -> [B, S, D]
    at::Tensor forward(const at::Tensor& x, const at::Tensor& mask);

    LoraLinear k_proj{nullptr};
    LoraLinear v_proj{nullptr};
    LoraLinear q_proj{nullptr};
    LoraLinear out_proj{nullptr};

private:
    std::int64_t m_num_heads;
    std::int64_t m_head_dim;
    double m_scale; // head_dim^-0.5
    double m_dropout;
};

TORCH_MODULE(ClipAttention);

} // namespace phototune

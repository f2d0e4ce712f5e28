#pragma once
// HF CLIPEncoderLayer (pre-LayerNorm residual blocks) and CLIPEncoder (the stack of them).

#include "core/model/clip_attention.h"
#include "core/model/clip_config.h"
#include "core/model/clip_mlp.h"

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace phototune {

class ClipEncoderLayerImpl : public torch::nn::Module {
public:
    explicit ClipEncoderLayerImpl(const ClipTowerConfig& config);

    // x [B, S, D] -> [B, S, D]:  x += attn(ln1(x));  x += mlp(ln2(x))
    at::Tensor forward(const at::Tensor& x, const at::Tensor& mask);

    ClipAttention self_attn{nullptr};
    torch::nn::LayerNorm layer_norm1{nullptr};
    ClipMlp mlp{nullptr};
    torch::nn::LayerNorm layer_norm2{nullptr};
};

TORCH_MODULE(ClipEncoderLayer);

class ClipEncoderImpl : public torch::nn::Module {
public:
    explicit ClipEncoderImpl(const ClipTowerConfig& config);

    // x [B, S, D] -> [B, S, D]. With `hidden_states`, appends the input of every layer and the
    // final output (num_hidden_layers + 1 tensors), like HF's output_hidden_states.
    at::Tensor forward(const at::Tensor& x, const at::Tensor& mask, std::vector<at::Tensor>* hidden_states = nullptr);

    ClipEncoderLayer layer(std::size_t index) const;

    // In training mode, run each layer through activation checkpointing (core/train/
    // gradient_checkpoint.h): its activations are recomputed in backward instead of kept.
    void set_gradient_checkpointing(bool enabled) { m_gradient_checkpointing = enabled; }
    bool gradient_checkpointing() const { return m_gradient_checkpointing; }

    torch::nn::ModuleList layers{nullptr}; // children "0", "1", ... like nn.ModuleList

private:
    bool m_gradient_checkpointing = false;
};

TORCH_MODULE(ClipEncoder);

} // namespace phototune

#pragma once
// HF CLIPMLP: fc2(act(fc1(x))).

#include "core/lora/lora_linear.h"
#include "core/model/clip_config.h"

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace phototune {

// quick_gelu x*sigmoid(1.702x), exact erf gelu, or the tanh approximation; elementwise.
at::Tensor clip_activation(const at::Tensor& x, ClipActivation activation);

class ClipMlpImpl : public torch::nn::Module {
public:
    ClipMlpImpl(std::int64_t hidden_size, std::int64_t intermediate_size, ClipActivation activation);

    // x [B, S, D] -> fc1 [B, S, I] -> fc2 [B, S, D]
    at::Tensor forward(const at::Tensor& x);

    LoraLinear fc1{nullptr};
    LoraLinear fc2{nullptr};

private:
    ClipActivation m_activation;
};

TORCH_MODULE(ClipMlp);

} // namespace phototune

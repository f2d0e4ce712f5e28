#include "core/model/clip_mlp.h"

#include <ATen/ATen.h>

namespace phototune {

at::Tensor clip_activation(const at::Tensor& x, ClipActivation activation)
{
    switch (activation) {
    case ClipActivation::QuickGelu: return x * at::sigmoid(x * 1.702);
    case ClipActivation::Gelu: return at::gelu(x);
    case ClipActivation::GeluTanh: return at::gelu(x, "tanh");
    }
    return x;
}

ClipMlpImpl::ClipMlpImpl(std::int64_t hidden_size, std::int64_t intermediate_size, ClipActivation activation)
    : m_activation(activation)
{
    fc1 = register_module("fc1", LoraLinear(hidden_size, intermediate_size, true));
    fc2 = register_module("fc2", LoraLinear(intermediate_size, hidden_size, true));
}

at::Tensor ClipMlpImpl::forward(const at::Tensor& x)
{
    return fc2->forward(clip_activation(fc1->forward(x), m_activation));
}

} // namespace phototune

#include "core/model/clip_encoder.h"

#include "core/model/gradient_checkpoint.h"

#include <ATen/ATen.h>

namespace phototune {

ClipEncoderLayerImpl::ClipEncoderLayerImpl(const ClipTowerConfig& config)
{
    const auto norm_options =
        torch::nn::LayerNormOptions({config.hidden_size}).eps(config.layer_norm_eps);
    self_attn = register_module(
        "self_attn", ClipAttention(config.hidden_size, config.num_attention_heads, config.attention_dropout));
    layer_norm1 = register_module("layer_norm1", torch::nn::LayerNorm(norm_options));
    mlp = register_module("mlp", ClipMlp(config.hidden_size, config.intermediate_size, config.activation()));
    layer_norm2 = register_module("layer_norm2", torch::nn::LayerNorm(norm_options));
}

at::Tensor ClipEncoderLayerImpl::forward(const at::Tensor& x, const at::Tensor& mask)
{
    const at::Tensor h = x + self_attn->forward(layer_norm1->forward(x), mask); // [B, S, D]
    return h + mlp->forward(layer_norm2->forward(h));                           // [B, S, D]
}

ClipEncoderImpl::ClipEncoderImpl(const ClipTowerConfig& config)
{
    layers = register_module("layers", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < config.num_hidden_layers; ++i) layers->push_back(ClipEncoderLayer(config));
}

ClipEncoderLayer ClipEncoderImpl::layer(std::size_t index) const
{
    return ClipEncoderLayer(layers->ptr<ClipEncoderLayerImpl>(index));
}

at::Tensor ClipEncoderImpl::forward(const at::Tensor& x, const at::Tensor& mask, std::vector<at::Tensor>* hidden_states)
{
    at::Tensor h = x; // [B, S, D]
    for (std::size_t i = 0; i < layers->size(); ++i) {
        if (hidden_states) hidden_states->push_back(h);
        ClipEncoderLayer block = layer(i);
        if (m_gradient_checkpointing && is_training())
            h = checkpointed_forward(
                *block, [impl = block.ptr(), mask](const at::Tensor& x) { return impl->forward(x, mask); }, h);
        else
            h = block->forward(h, mask);
    }
    if (hidden_states) hidden_states->push_back(h);
    return h;
}

} // namespace phototune

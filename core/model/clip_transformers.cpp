#include "core/model/clip_transformers.h"

#include "core/util/error.h"

#include <ATen/ATen.h>

#include <limits>

namespace phototune {
namespace {

torch::nn::LayerNorm make_layer_norm(const ClipTowerConfig& config)
{
    return torch::nn::LayerNorm(torch::nn::LayerNormOptions({config.hidden_size}).eps(config.layer_norm_eps));
}

double lowest_value(at::ScalarType dtype)
{
    switch (dtype) {
    case at::kHalf: return std::numeric_limits<c10::Half>::lowest();
    case at::kBFloat16: return std::numeric_limits<c10::BFloat16>::lowest();
    case at::kDouble: return std::numeric_limits<double>::lowest();
    default: return std::numeric_limits<float>::lowest();
    }
}

} // namespace

at::Tensor clip_text_attention_mask(const at::Tensor& attention_mask, std::int64_t seq, at::ScalarType dtype)
{
    const double lowest = lowest_value(dtype);
    const auto options = at::TensorOptions().dtype(dtype).device(
        attention_mask.defined() ? attention_mask.device() : at::Device(at::kCPU));
    const at::Tensor causal = at::full({seq, seq}, lowest, options).triu(1).view({1, 1, seq, seq});
    if (!attention_mask.defined()) return causal;
    PHOTOTUNE_CHECK(attention_mask.dim() == 2 && attention_mask.size(1) == seq, ErrorCategory::InvalidInput,
                    "the attention mask must be [batch, " + std::to_string(seq) + "] like the token ids");
    const std::int64_t batch = attention_mask.size(0);
    const at::Tensor inverted =
        (1.0 - attention_mask.to(dtype)).view({batch, 1, 1, seq}).expand({batch, 1, seq, seq}); // [B, 1, S, S]
    const at::Tensor padding = inverted.masked_fill(inverted.to(at::kBool), lowest);
    return causal + padding; // lowest + lowest overflows to -inf, exactly as in HF
}

at::Tensor clip_text_pool_positions(const at::Tensor& input_ids, std::int64_t eos_token_id)
{
    // HF 4.40 keeps argmax pooling for configs saved before eos_token_id was fixed (they say 2).
    if (eos_token_id == 2) return input_ids.to(at::kInt).argmax(-1);
    return input_ids.eq(eos_token_id).to(at::kInt).argmax(-1);
}

ClipTextTransformerImpl::ClipTextTransformerImpl(const ClipTextConfig& config)
    : m_eos_token_id(config.eos_token_id)
{
    embeddings = register_module("embeddings", ClipTextEmbeddings(config));
    encoder = register_module("encoder", ClipEncoder(config));
    final_layer_norm = register_module("final_layer_norm", make_layer_norm(config));
}

ClipTowerOutput ClipTextTransformerImpl::forward(const at::Tensor& input_ids, const at::Tensor& attention_mask,
                                                 bool output_hidden_states)
{
    ClipTowerOutput out;
    const at::Tensor x = embeddings->forward(input_ids); // [B, S, D]
    PHOTOTUNE_CHECK(!attention_mask.defined() || attention_mask.size(0) == input_ids.size(0),
                    ErrorCategory::InvalidInput, "the attention mask and the token ids differ in batch size");
    const at::Tensor mask = clip_text_attention_mask(attention_mask, x.size(1), x.scalar_type()).to(x.device());
    const at::Tensor encoded = encoder->forward(x, mask, output_hidden_states ? &out.hidden_states : nullptr);
    out.last_hidden_state = final_layer_norm->forward(encoded); // [B, S, D]
    const std::int64_t batch = x.size(0);
    const std::int64_t width = x.size(2);
    const at::Tensor positions = clip_text_pool_positions(input_ids, m_eos_token_id)
                                     .to(at::TensorOptions().dtype(at::kLong).device(x.device()))
                                     .view({batch, 1, 1})
                                     .expand({batch, 1, width});                       // [B, 1, D]
    out.pooled_output = out.last_hidden_state.gather(1, positions).squeeze(1);         // [B, D]
    return out;
}

ClipVisionTransformerImpl::ClipVisionTransformerImpl(const ClipVisionConfig& config)
{
    embeddings = register_module("embeddings", ClipVisionEmbeddings(config));
    pre_layrnorm = register_module("pre_layrnorm", make_layer_norm(config));
    encoder = register_module("encoder", ClipEncoder(config));
    post_layernorm = register_module("post_layernorm", make_layer_norm(config));
}

ClipTowerOutput ClipVisionTransformerImpl::forward(const at::Tensor& pixel_values, bool output_hidden_states)
{
    ClipTowerOutput out;
    const at::Tensor x = pre_layrnorm->forward(embeddings->forward(pixel_values)); // [B, 1 + P, D]
    out.last_hidden_state = encoder->forward(x, at::Tensor(), output_hidden_states ? &out.hidden_states : nullptr);
    out.pooled_output = post_layernorm->forward(out.last_hidden_state.select(1, 0)); // [B, D]
    return out;
}

} // namespace phototune

#include "core/model/clip_attention.h"

#include <ATen/ATen.h>

#include <cmath>

namespace phototune {

ClipAttentionImpl::ClipAttentionImpl(std::int64_t hidden_size, std::int64_t num_heads, double dropout)
    : m_num_heads(num_heads),
      m_head_dim(hidden_size / num_heads),
      m_scale(1.0 / std::sqrt(static_cast<double>(hidden_size / num_heads))),
      m_dropout(dropout)
{
    // Registered in HF's attribute order so that parameters() lists them like PyTorch does.
    k_proj = register_module("k_proj", LoraLinear(hidden_size, hidden_size, true));
    v_proj = register_module("v_proj", LoraLinear(hidden_size, hidden_size, true));
    q_proj = register_module("q_proj", LoraLinear(hidden_size, hidden_size, true));
    out_proj = register_module("out_proj", LoraLinear(hidden_size, hidden_size, true));
}

at::Tensor ClipAttentionImpl::forward(const at::Tensor& x, const at::Tensor& mask)
{
    const std::int64_t batch = x.size(0);
    const std::int64_t seq = x.size(1);
    const auto heads = [&](const at::Tensor& t) { // [B, S, D] -> [B, H, S, hd]
        return t.view({batch, seq, m_num_heads, m_head_dim}).transpose(1, 2);
    };
    const at::Tensor q = heads(q_proj->forward(x) * m_scale);
    const at::Tensor k = heads(k_proj->forward(x));
    const at::Tensor v = heads(v_proj->forward(x));

    at::Tensor weights = at::matmul(q, k.transpose(-1, -2)); // [B, H, S, S]
    if (mask.defined()) weights = weights + mask;
    at::Tensor probs = at::softmax(weights, -1);
    if (m_dropout > 0.0) probs = at::dropout(probs, m_dropout, is_training());
    const at::Tensor context = at::matmul(probs, v);                      // [B, H, S, hd]
    return out_proj->forward(context.transpose(1, 2).reshape({batch, seq, m_num_heads * m_head_dim})); // [B, S, D]
}

} // namespace phototune

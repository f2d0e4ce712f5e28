#include "core/lora/lora_linear.h"

#include "core/util/error.h"

#include <ATen/ATen.h>
#include <torch/nn/init.h>

#include <cmath>
#include <string>

namespace phototune {

LoraLinearImpl::LoraLinearImpl(std::int64_t in_features, std::int64_t out_features, bool with_bias)
    : m_in_features(in_features), m_out_features(out_features)
{
    PHOTOTUNE_CHECK(in_features > 0 && out_features > 0, ErrorCategory::InvalidInput,
                    "a Linear layer needs positive sizes, not " + std::to_string(in_features) + " -> " +
                        std::to_string(out_features));
    weight = register_parameter("weight", at::empty({out_features, in_features}));
    torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
    if (with_bias) {
        const double bound = 1.0 / std::sqrt(static_cast<double>(in_features));
        bias = register_parameter("bias", at::empty({out_features}));
        torch::nn::init::uniform_(bias, -bound, bound);
    }
}

at::Tensor LoraLinearImpl::forward(const at::Tensor& x)
{
    at::Tensor y = at::linear(x, weight, bias); // [..., out]
    if (!has_lora() || !m_active || m_merged) return y;
    const at::Tensor dropped = m_dropout > 0.0 ? at::dropout(x, m_dropout, is_training()) : x;
    return y + lora_B->forward(lora_A->forward(dropped)) * m_scaling; // [..., in] -> [..., r] -> [..., out]
}

void LoraLinearImpl::enable_lora(std::int64_t r, double alpha, double dropout, bool use_rslora)
{
    PHOTOTUNE_CHECK(!has_lora(), ErrorCategory::InvalidInput, "this layer already carries a LoRA adapter");
    PHOTOTUNE_CHECK(r >= 1, ErrorCategory::InvalidInput, "LoRA rank must be at least 1, not " + std::to_string(r));
    PHOTOTUNE_CHECK(alpha > 0.0, ErrorCategory::InvalidInput, "LoRA alpha must be positive");
    PHOTOTUNE_CHECK(dropout >= 0.0 && dropout < 1.0, ErrorCategory::InvalidInput, "LoRA dropout must be in [0, 1)");
    lora_A = register_module("lora_A", torch::nn::Linear(torch::nn::LinearOptions(m_in_features, r).bias(false)));
    lora_B = register_module("lora_B", torch::nn::Linear(torch::nn::LinearOptions(r, m_out_features).bias(false)));
    lora_A->to(weight.device(), weight.scalar_type());
    lora_B->to(weight.device(), weight.scalar_type());
    {
        at::NoGradGuard no_grad;
        torch::nn::init::kaiming_uniform_(lora_A->weight, std::sqrt(5.0));
        lora_B->weight.zero_();
    }
    m_rank = r;
    m_dropout = dropout;
    m_scaling = use_rslora ? alpha / std::sqrt(static_cast<double>(r)) : alpha / static_cast<double>(r);
    m_active = true;
    m_merged = false;
}

at::Tensor LoraLinearImpl::delta_weight() const
{
    PHOTOTUNE_CHECK(has_lora(), ErrorCategory::Internal, "delta_weight() on a layer without LoRA");
    return at::matmul(lora_B->weight, lora_A->weight) * m_scaling; // [out, r] @ [r, in]
}

void LoraLinearImpl::set_lora_active(bool active)
{
    if (!active) unmerge();
    m_active = active;
}

void LoraLinearImpl::merge()
{
    if (!has_lora() || m_merged) return;
    at::NoGradGuard no_grad;
    weight.add_(delta_weight().to(weight.scalar_type()));
    m_merged = true;
    m_active = true;
}

void LoraLinearImpl::unmerge()
{
    if (!m_merged) return;
    at::NoGradGuard no_grad;
    weight.sub_(delta_weight().to(weight.scalar_type()));
    m_merged = false;
}

} // namespace phototune

#pragma once
// A Linear layer that can carry a LoRA adapter, used for every targetable Linear of the model from
// the moment it is built. It owns its base `weight` [out, in] and optional `bias` directly, so a
// Hugging Face checkpoint's "...q_proj.weight" loads without renaming, and its adapter children are
// named like peft's on-disk keys ("...q_proj.lora_A.weight", "...q_proj.lora_B.weight").
//
//   y = x W^T + b + lora_B(lora_A(dropout(x))) * scaling        (peft's lora.Linear.forward)
//   scaling = alpha / r, or alpha / sqrt(r) with rsLoRA

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace phototune {

class LoraLinearImpl : public torch::nn::Module {
public:
    // The base weight and bias are initialised like torch::nn::Linear (kaiming-uniform, a=sqrt(5)).
    LoraLinearImpl(std::int64_t in_features, std::int64_t out_features, bool with_bias);

    // x [..., in] -> [..., out]
    at::Tensor forward(const at::Tensor& x);

    // Adds lora_A (in -> r) and lora_B (r -> out), both without bias, with peft's init: A
    // kaiming-uniform (a = sqrt(5)), B zeros, so the layer's output is unchanged until B trains.
    // Throws Error(InvalidInput) for r < 1, alpha <= 0, dropout outside [0, 1), or a second call.
    void enable_lora(std::int64_t r, double alpha, double dropout = 0.0, bool use_rslora = false);

    bool has_lora() const { return !lora_A.is_empty(); }
    std::int64_t rank() const { return m_rank; }
    double scaling() const { return m_scaling; }
    double lora_dropout() const { return m_dropout; }

    // An inactive adapter is skipped by forward (peft's disable_adapter); deactivating a merged
    // adapter unmerges it first.
    void set_lora_active(bool active);
    bool lora_active() const { return m_active; }

    // merge() folds scaling * B @ A into `weight` (forward then skips the adapter); unmerge()
    // subtracts it again. Both are no-ops when there is nothing to do.
    void merge();
    void unmerge();
    bool merged() const { return m_merged; }

    // scaling * B @ A  [out, in]; requires has_lora().
    at::Tensor delta_weight() const;

    std::int64_t in_features() const { return m_in_features; }
    std::int64_t out_features() const { return m_out_features; }

    at::Tensor weight; // [out, in]
    at::Tensor bias;   // [out], undefined without bias
    torch::nn::Linear lora_A{nullptr};
    torch::nn::Linear lora_B{nullptr};

private:
    std::int64_t m_in_features;
    std::int64_t m_out_features;
    std::int64_t m_rank = 0;
    double m_scaling = 0.0;
    double m_dropout = 0.0;
    bool m_active = true;
    bool m_merged = false;
};

TORCH_MODULE(LoraLinear);

} // namespace phototune

#pragma once
// AdamW over named parameters, step for step the arithmetic of torch.optim.AdamW's single-tensor
// implementation (torch 1.13 and 2.x, amsgrad off, no maximize):
//   p *= 1 - lr * weight_decay                       (decoupled decay, on every parameter given)
//   m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2
//   p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
// It is written out rather than taken from torch::optim::AdamW because that class keys its state
// by TensorImpl address (a string in 1.13, a pointer in 2.x): the state here is keyed by the
// parameter's name, so it exports to and imports from a safetensors checkpoint as plain tensors.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace phototune {

struct AdamWOptions {
    double lr = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weight_decay = 0.01;
};

using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

class AdamW {
public:
    // The tensors are the model's own (updated in place). Throws Error(InvalidInput) for
    // duplicate names or options outside torch's accepted ranges.
    AdamW(NamedTensors parameters, AdamWOptions options);

    // Sets every gradient to undefined (torch's zero_grad(set_to_none=True)).
    void zero_grad();

    // One update of every parameter that has a gradient; parameters without one keep their value,
    // moments and step count, as in torch.
    void step();

    void set_lr(double lr) { m_options.lr = lr; }
    const AdamWOptions& options() const { return m_options; }
    const NamedTensors& parameters() const { return m_parameters; }

    // Per-parameter update count (0 before its first step).
    std::int64_t step_count(const std::string& name) const;

    // "exp_avg.<name>", "exp_avg_sq.<name>" (the parameter's shape and dtype) and "step.<name>"
    // (0-dim int64) for every parameter that has been stepped; copies.
    std::map<std::string, at::Tensor> state_dict() const;

    // Replaces the state with `state` (as written by state_dict, e.g. read back from a checkpoint
    // file). Everything is checked first: Error(InvalidInput) naming `source` lists unknown
    // parameters, missing partner tensors, wrong shapes or dtypes and negative steps, and leaves
    // the optimizer untouched.
    void load_state_dict(const std::map<std::string, at::Tensor>& state, const std::filesystem::path& source);

private:
    struct Moments {
        at::Tensor exp_avg;
        at::Tensor exp_avg_sq;
        std::int64_t step = 0;
    };

    NamedTensors m_parameters;
    AdamWOptions m_options;
    std::map<std::string, Moments> m_state;
};

} // namespace phototune

#pragma once
// A dynamic loss scaler for fp16 training (LibTorch C++ has no GradScaler), with torch.cuda.amp.
// GradScaler's policy: multiply the loss by `scale` before backward; unscale the gradients before
// clipping; when any gradient is Inf/NaN skip the step and multiply the scale by backoff_factor;
// after growth_interval finite steps in a row multiply it by growth_factor.

#include <ATen/TensorOperators.h>
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace phototune {

struct LossScalerOptions {
    double init_scale = 65536.0; // 2^16, GradScaler's default
    double growth_factor = 2.0;
    double backoff_factor = 0.5;
    std::int64_t growth_interval = 2000;
};

class LossScaler {
public:
    // Throws Error(InvalidInput) for a non-positive scale, growth_factor <= 1, backoff_factor
    // outside (0, 1) or growth_interval < 1.
    explicit LossScaler(LossScalerOptions options = {});

    at::Tensor scale(const at::Tensor& loss) const; // loss * scale

    // Divides every defined gradient by the scale in place and returns whether all are finite.
    bool unscale_and_check(const std::vector<at::Tensor>& parameters) const;

    // Call once per optimizer step with what unscale_and_check found.
    void update(bool found_inf);

    double current_scale() const { return m_scale; }

    // {"loss_scaler.scale" (0-dim float64), "loss_scaler.good_steps" (0-dim int64)} for checkpoints.
    std::map<std::string, at::Tensor> state_dict() const;
    // Throws Error(InvalidInput) when either tensor is missing or holds an invalid value.
    void load_state_dict(const std::map<std::string, at::Tensor>& state);

private:
    LossScalerOptions m_options;
    double m_scale;
    std::int64_t m_good_steps = 0;
};

} // namespace phototune

#include "core/train/loss_scaler.h"

#include "core/util/error.h"

#include <ATen/ATen.h>

#include <cmath>

namespace phototune {

LossScaler::LossScaler(LossScalerOptions options) : m_options(options), m_scale(options.init_scale)
{
    PHOTOTUNE_CHECK(std::isfinite(options.init_scale) && options.init_scale > 0 && options.growth_factor > 1 &&
                        options.backoff_factor > 0 && options.backoff_factor < 1 && options.growth_interval >= 1,
                    ErrorCategory::InvalidInput,
                    "loss scaler: needs a positive scale, growth factor > 1, backoff in (0, 1), interval >= 1");
}

at::Tensor LossScaler::scale(const at::Tensor& loss) const
{
    return loss * m_scale;
}

bool LossScaler::unscale_and_check(const std::vector<at::Tensor>& parameters) const
{
    at::NoGradGuard no_grad;
    bool finite = true;
    for (const auto& p : parameters) {
        at::Tensor grad = p.grad();
        if (!grad.defined()) continue;
        grad.div_(m_scale);
        finite = finite && grad.isfinite().all().item<bool>();
    }
    return finite;
}

void LossScaler::update(bool found_inf)
{
    if (found_inf) {
        m_scale *= m_options.backoff_factor;
        m_good_steps = 0;
    } else if (++m_good_steps >= m_options.growth_interval) {
        m_scale *= m_options.growth_factor;
        m_good_steps = 0;
    }
}

std::map<std::string, at::Tensor> LossScaler::state_dict() const
{
    return {{"loss_scaler.scale", at::scalar_tensor(m_scale, at::kDouble)},
            {"loss_scaler.good_steps", at::scalar_tensor(m_good_steps, at::kLong)}};
}

void LossScaler::load_state_dict(const std::map<std::string, at::Tensor>& state)
{
    const auto scale = state.find("loss_scaler.scale");
    const auto good = state.find("loss_scaler.good_steps");
    PHOTOTUNE_CHECK(scale != state.end() && good != state.end() && scale->second.numel() == 1 &&
                        good->second.numel() == 1,
                    ErrorCategory::InvalidInput, "checkpoint lacks the loss scaler's state (scale and good_steps)");
    const double s = scale->second.item<double>();
    const std::int64_t g = good->second.item<std::int64_t>();
    PHOTOTUNE_CHECK(std::isfinite(s) && s > 0 && g >= 0, ErrorCategory::InvalidInput,
                    "checkpoint holds an invalid loss scale");
    m_scale = s;
    m_good_steps = g;
}

} // namespace phototune

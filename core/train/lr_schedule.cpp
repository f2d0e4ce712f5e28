#include "core/train/lr_schedule.h"

#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace phototune {

void validate_lr_schedule(const LrSchedule& s)
{
    PHOTOTUNE_CHECK(std::isfinite(s.base_lr) && s.base_lr > 0, ErrorCategory::InvalidInput,
                    "learning rate must be a positive number");
    PHOTOTUNE_CHECK(s.total_steps >= 1, ErrorCategory::InvalidInput, "a training run needs at least one step");
    PHOTOTUNE_CHECK(s.warmup_steps >= 0 && s.warmup_steps <= s.total_steps, ErrorCategory::InvalidInput,
                    "warm-up steps must lie between 0 and the number of training steps");
    PHOTOTUNE_CHECK(s.min_lr_ratio >= 0 && s.min_lr_ratio <= 1, ErrorCategory::InvalidInput,
                    "the minimum learning-rate ratio must lie in [0, 1]");
}

double lr_at_step(const LrSchedule& s, std::int64_t step)
{
    step = std::max<std::int64_t>(step, 0);
    if (step < s.warmup_steps) return s.base_lr * static_cast<double>(step + 1) / static_cast<double>(s.warmup_steps);
    const double min_lr = s.base_lr * s.min_lr_ratio;
    if (step >= s.total_steps) return min_lr;
    const double progress =
        static_cast<double>(step - s.warmup_steps) / static_cast<double>(s.total_steps - s.warmup_steps);
    return min_lr + 0.5 * (1.0 + std::cos(std::numbers::pi * progress)) * (s.base_lr - min_lr);
}

} // namespace phototune

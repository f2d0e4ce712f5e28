#pragma once
// The learning rate as a pure function of the (0-based) optimizer step, so that a resumed run gets
// exactly the rate an uninterrupted one would: linear warm-up, then cosine decay (open_clip's
// cosine_lr, with an optional floor).

#include <cstdint>

namespace phototune {

struct LrSchedule {
    double base_lr = 2e-4;
    std::int64_t warmup_steps = 0;  // steps 0 .. warmup-1 ramp up to base_lr: base_lr * (step + 1) / warmup
    std::int64_t total_steps = 1;   // the cosine reaches min_lr at this step
    double min_lr_ratio = 0.0;      // floor of the decay, as a fraction of base_lr
};

// Throws Error(InvalidInput) for a non-positive or non-finite base_lr, negative warm-up, total_steps
// < 1, warmup_steps > total_steps or min_lr_ratio outside [0, 1].
void validate_lr_schedule(const LrSchedule& schedule);

// Steps past total_steps stay at the floor (a run continued for more epochs gets a new schedule).
double lr_at_step(const LrSchedule& schedule, std::int64_t step);

} // namespace phototune

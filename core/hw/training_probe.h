#pragma once
// Measures what a training step of a setup really needs on this machine: an untrained model of the
// setup's shape, LoRA as the setup says, and a few real optimizer steps (TrainStepper) on a random
// batch, with the counting CPU allocator watching. The probe run, the memory-model test and
// bench/bench_memory_model compare these figures with predict_memory and the time model.

#include "core/api/hardware.h"
#include "core/api/progress.h"

#include <cstdint>

namespace phototune {

struct MeasuredStep {
    std::uint64_t peak_bytes = 0;  // tensor bytes at the peak, over model creation and every step
    double step_seconds = 0.0;     // median of the timed steps (after one warm-up step)
};

// Installs the counting allocator (CpuMemoryCounter) if needed; tensors that exist before it was
// installed are not counted, and the peak is taken relative to the bytes held when called.
// Throws Error(Unsupported) for a CUDA setup (the counter sees CPU tensors only), Error(Cancelled).
MeasuredStep measure_training_step(const TrainingSetup& setup, int timed_steps, const CancelToken& cancel = {});

} // namespace phototune

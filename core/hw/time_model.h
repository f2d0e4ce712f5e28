#pragma once
// Time of a training step from its FLOPs and the device's measured rates:
//   step = FLOPs / GEMM rate + GEMM calls x seconds per GEMM call
//        + elementwise bytes / memory rate + operations x seconds per operation
// The three rates come from a ~2 s micro-benchmark (core/hw/throughput_benchmark.h). Epoch and
// total time follow from the dataset size; a frozen tower's cache fills during the first epoch.

#include "core/api/hardware.h"

namespace phototune {

struct StepWork {
    StepFlops flops;
    double elementwise_bytes = 0.0; // LayerNorm, softmax, GELU, residual adds, copies, forward + backward
    double operations = 0.0;        // tensor operations dispatched (forward, backward, optimizer)
    double gemm_calls = 0.0;        // matrix products among them
};

StepWork predict_step_work(const TrainingSetup& setup);

// Seconds of one step in steady state (a cached frozen tower costs nothing).
double predict_step_seconds(const StepWork& work, const DeviceThroughput& throughput);

// Steps per epoch, epoch and total time for setup.dataset_images photos over setup.epochs; the first
// epoch also runs a cached frozen tower once per photo.
TimeEstimate predict_time(const TrainingSetup& setup, const DeviceThroughput& throughput);

} // namespace phototune

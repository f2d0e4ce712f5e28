#include "core/hw/time_model.h"

#include "core/hw/memory_model.h"

#include <algorithm>
#include <cmath>

namespace phototune {
namespace {

// Tensor operations of one encoder layer's forward (3 LoRA-free projections' addmm, reshapes,
// attention, softmax, LayerNorms, GELU, residual adds) and the extra ones per LoRA linear; a
// backward dispatches about twice as many. Counted from core/model/clip_*.cpp.
constexpr double kLayerForwardOperations = 30.0;
constexpr double kLoraForwardOperations = 5.0;
constexpr double kBackwardOperationRatio = 2.0;
// Matrix products of one layer's forward: six linears and the two attention products; two per LoRA
// linear (A and B). Backward: the six input gradients, four for attention, four per LoRA linear.
constexpr double kLayerForwardGemms = 8.0;
constexpr double kLayerBackwardGemms = 10.0;
constexpr double kLoraForwardGemms = 2.0;
constexpr double kLoraBackwardGemms = 4.0;
// AdamW + clipping + zero_grad per LoRA weight tensor (core/train/optimizer.cpp, train_step.cpp).
constexpr double kOptimizerOperationsPerTensor = 14.0;

// Elementwise bytes one layer's forward reads and writes per sample: two LayerNorms, residual adds
// and the head reshape copies (~18 S x D), the GELU (~6 S x M) and the softmax and mask (~3 H x S^2).
double layer_elementwise_bytes(const TowerShape& s, double element_bytes)
{
    const double S = s.tokens, D = s.width, M = s.mlp_width, H = s.heads;
    return element_bytes * (18.0 * S * D + 6.0 * S * M + 3.0 * H * S * S);
}

} // namespace

StepWork predict_step_work(const TrainingSetup& setup)
{
    StepWork work;
    work.flops = predict_step_flops(setup);
    const double element_bytes = setup.precision == "fp32" ? 4.0 : 2.0;
    double lora_tensors = 0.0;
    for (const auto& tower : tower_activity(setup)) {
        const double layer_bytes = layer_elementwise_bytes(tower.shape, element_bytes);
        const double recompute = setup.gradient_checkpointing ? 1.0 : 0.0;
        work.elementwise_bytes += tower.forward_rows * tower.shape.layers * layer_bytes +
                                  tower.backward_rows * tower.backward_layers * (kBackwardOperationRatio + recompute) * layer_bytes;
        const double forward_calls = tower.forward_rows > 0 ? std::ceil(tower.forward_rows / setup.batch) * setup.accumulation : 0.0;
        const double lora_ops = kLoraForwardOperations * tower.adapted_linears;
        const double forward_gemms = kLayerForwardGemms + kLoraForwardGemms * tower.adapted_linears;
        work.operations += forward_calls * tower.shape.layers * (kLayerForwardOperations + lora_ops);
        work.gemm_calls += forward_calls * tower.shape.layers * forward_gemms;
        if (tower.backward_rows > 0) {
            work.operations += setup.accumulation * tower.backward_layers *
                               (kBackwardOperationRatio + recompute) * (kLayerForwardOperations + lora_ops);
            work.gemm_calls += setup.accumulation * tower.backward_layers *
                               (kLayerBackwardGemms + kLoraBackwardGemms * tower.adapted_linears + recompute * forward_gemms);
        }
        lora_tensors += 2.0 * tower.adapted_linears * tower.backward_layers;
    }
    work.operations += kOptimizerOperationsPerTensor * lora_tensors;
    return work;
}

double predict_step_seconds(const StepWork& work, const DeviceThroughput& t)
{
    const double gemm = t.gemm_flops_per_second > 0 ? work.flops.total() / t.gemm_flops_per_second : 0.0;
    const double memory = t.memory_bytes_per_second > 0 ? work.elementwise_bytes / t.memory_bytes_per_second : 0.0;
    return gemm + work.gemm_calls * t.seconds_per_gemm_call + memory + work.operations * t.seconds_per_operation;
}

TimeEstimate predict_time(const TrainingSetup& setup, const DeviceThroughput& throughput)
{
    TimeEstimate time;
    time.step_seconds = predict_step_seconds(predict_step_work(setup), throughput);
    const std::int64_t photos = std::max<std::int64_t>(setup.dataset_images, 0);
    time.steps_per_epoch = photos > 0 ? (photos + setup.batch - 1) / setup.batch : 0;
    time.epoch_seconds = time.step_seconds * static_cast<double>(time.steps_per_epoch);
    // The first epoch also runs each cached frozen tower once per photo (forward only).
    TrainingSetup uncached = setup;
    uncached.cache_frozen_towers = false;
    const double first_epoch =
        predict_step_seconds(predict_step_work(uncached), throughput) * static_cast<double>(time.steps_per_epoch);
    time.total_seconds = setup.epochs > 0 ? first_epoch + std::max(0.0, setup.epochs - 1.0) * time.epoch_seconds : 0.0;
    return time;
}

} // namespace phototune

#include "core/hw/training_probe.h"

#include "core/hw/model_shape.h"
#include "core/lora/lora_config.h"
#include "core/lora/lora_targets.h"
#include "core/model/clip_model.h"
#include "core/model/gradient_checkpoint.h"
#include "core/train/memory_counter.h"
#include "core/train/train_step.h"
#include "core/util/error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace phototune {
namespace {

constexpr std::int64_t kBosToken = 49406;
constexpr std::int64_t kEosToken = 49407;

// Random pixels and distinct 20-token captions padded to the context, as the trainer's batches are.
TrainBatch random_batch(const TrainingSetup& setup)
{
    const std::int64_t rows = setup.batch;
    const std::int64_t context = setup.model.text.tokens;
    const std::int64_t words = std::min<std::int64_t>(19, context - 2);
    TrainBatch batch;
    batch.pixel_values = at::randn({rows, 3, setup.model.image_size, setup.model.image_size});
    batch.input_ids = at::full({rows, context}, kEosToken, at::kLong);
    batch.input_ids.select(1, 0).fill_(kBosToken);
    batch.input_ids.narrow(1, 1, words).copy_(at::randint(0, kBosToken, {rows, words}, at::kLong));
    batch.attention_mask = (at::arange(context) < words + 2).to(at::kLong).expand({rows, context}).contiguous();
    batch.group_ids = at::arange(rows, at::kLong);
    for (std::int64_t i = 0; i < rows; ++i) batch.photo_ids.push_back(i);
    return batch;
}

} // namespace

MeasuredStep measure_training_step(const TrainingSetup& setup, int timed_steps, const CancelToken& cancel)
{
    PHOTOTUNE_CHECK(setup.device == "cpu", ErrorCategory::Unsupported,
                    "the probe run measures memory with the counting CPU allocator: use --device cpu");
    auto& counter = CpuMemoryCounter::install();
    const std::size_t baseline = counter.current_bytes();
    counter.reset_peak();
    MeasuredStep measured;
    {
        at::manual_seed(0);
        ClipModel model(clip_config_for_shape(setup.model));
        LoraSettings lora;
        lora.r = setup.rank;
        lora.lora_dropout = setup.lora_dropout;
        lora.target_modules = setup.targets;
        lora.towers = parse_lora_towers(setup.towers);
        lora.last_n_layers = setup.last_layers;
        apply_lora(*model, lora);
        set_gradient_checkpointing(*model, setup.gradient_checkpointing);
        TrainStepOptions options;
        options.precision = parse_train_precision(setup.precision);
        options.accumulation_steps = setup.accumulation;
        options.cache_frozen_towers = setup.cache_frozen_towers;
        TrainStepper stepper(model, options);
        const TrainBatch batch = random_batch(setup);
        const TrainBatch next_batch = random_batch(setup); // held like the trainer's prefetched batch

        std::vector<double> seconds;
        for (int i = 0; i <= std::max(1, timed_steps); ++i) {
            PHOTOTUNE_CHECK(!cancel.cancel_requested(), ErrorCategory::Cancelled, "the probe run was cancelled");
            const auto start = std::chrono::steady_clock::now();
            stepper.step(batch);
            if (i > 0) seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        }
        std::sort(seconds.begin(), seconds.end());
        measured.step_seconds = seconds[seconds.size() / 2];
    }
    measured.peak_bytes = counter.peak_bytes() - std::min(counter.peak_bytes(), baseline);
    return measured;
}

} // namespace phototune

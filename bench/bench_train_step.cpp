// One LoRA training step of the ViT-B/32-shaped model (random weights) on this CPU: images/s, the
// step's peak tensor memory (counting allocator) and the process's peak RSS, for one configuration
// per process. bench/run_train_bench.sh runs the grid and prints it next to Python PyTorch.
// Usage: bench_train_step THREADS BATCH fp32|bf16 both|vision STEPS [plain|checkpointing]
//   both:   LoRA r=8 on q_proj,v_proj of both towers (the Python reference's setting)
//   vision: LoRA on the vision tower only; the frozen text tower's embeddings come from the cache
//   checkpointing: per-layer gradient checkpointing (recompute in backward)
// Prints figures; asserts nothing.
#include "core/lora/lora_config.h"
#include "core/lora/lora_targets.h"
#include "core/model/clip_presets.h"
#include "core/model/cpu_runtime.h"
#include "core/model/gradient_checkpoint.h"
#include "core/train/memory_counter.h"
#include "core/train/train_step.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    using namespace phototune;
    auto& memory = CpuMemoryCounter::install();
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    const std::int64_t batch_size = argc > 2 ? std::atoll(argv[2]) : 8;
    const std::string precision = argc > 3 ? argv[3] : "fp32";
    const std::string towers = argc > 4 ? argv[4] : "both";
    const int steps = argc > 5 ? std::atoi(argv[5]) : 3;
    const bool checkpointing = argc > 6 && std::string(argv[6]) == "checkpointing";
    configure_cpu_runtime(threads);
    at::manual_seed(0);

    ClipModel model = create_untrained_clip("vit-b-32", /*seed=*/0);
    LoraSettings lora; // r 8, alpha 16, q_proj + v_proj
    lora.towers = parse_lora_towers(towers);
    apply_lora(*model, lora);
    set_gradient_checkpointing(*model, checkpointing);
    TrainStepOptions options;
    options.optimizer.lr = 1e-4;
    options.precision = parse_train_precision(precision);
    TrainStepper stepper(model, options);

    TrainBatch batch;
    batch.pixel_values = at::randn({batch_size, 3, 224, 224});
    batch.input_ids = at::full({batch_size, 77}, 49407, at::kLong);
    batch.input_ids.select(1, 0).fill_(49406);
    batch.input_ids.narrow(1, 1, 19).copy_(at::randint(0, 49406, {batch_size, 19}, at::kLong));
    batch.attention_mask = (at::arange(77) < 21).to(at::kLong).expand({batch_size, 77}).contiguous();
    batch.group_ids = at::arange(batch_size, at::kLong);

    stepper.step(batch); // warm-up (fills the text cache in the vision-only setting)
    const std::size_t resident = memory.current_bytes();
    memory.reset_peak();
    std::vector<double> times;
    double loss = 0;
    for (int i = 0; i < steps; ++i) {
        const auto start = std::chrono::steady_clock::now();
        loss = stepper.step(batch).loss;
        times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    const double median = times[times.size() / 2];
    std::printf("c++ config batch=%lld precision=%s lora_towers=%s checkpointing=%d cores=%d aten_threads=%d steps=%d\n",
                static_cast<long long>(batch_size), precision.c_str(), towers.c_str(), checkpointing ? 1 : 0, threads,
                at::get_num_threads(), steps);
    std::printf("c++ blas %s\n", loaded_blas().description.c_str());
    std::printf("c++ seconds_per_step %.3f\n", median);
    std::printf("c++ images_per_s %.2f\n", static_cast<double>(batch_size) / median);
    std::printf("c++ resident_tensor_mib %.0f\n", static_cast<double>(resident) / 1048576.0);
    std::printf("c++ step_peak_tensor_mib %.0f\n", static_cast<double>(memory.peak_bytes() - resident) / 1048576.0);
    std::printf("c++ peak_rss_mib %.0f\n", static_cast<double>(peak_rss_bytes()) / 1048576.0);
    std::printf("c++ loss %.4f\n", loss);
    return 0;
}

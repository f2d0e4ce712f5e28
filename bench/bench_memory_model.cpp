// The memory and time model against real training steps on this CPU: for each plan given on the
// command line, an untrained model of a preset's shape trains a few LoRA steps with the counting
// allocator watching, and the predicted peak tensor bytes and step time are printed next to the
// measured ones with the error in %. bench/run_memory_grid.sh runs the documented grid.
// Usage: bench_memory_model [--threads N] [--steps N] PLAN...
//   PLAN: comma-separated key=value, e.g. preset=small,batch=16,rank=8,ckpt=1,towers=vision
//   keys: preset (tiny|small|vit-b-32), layers (both towers' depth; default the preset's), batch,
//         rank, targets (q_proj+v_proj), towers (both|vision|text), ckpt (0|1), cache (0|1),
//         precision (fp32|bf16), accum
// Prints figures; asserts nothing.
#include "core/hw/memory_model.h"
#include "core/hw/model_shape.h"
#include "core/hw/throughput_benchmark.h"
#include "core/hw/time_model.h"
#include "core/hw/training_probe.h"
#include "core/model/clip_presets.h"
#include "core/model/cpu_runtime.h"
#include "core/train/memory_counter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace phototune;

std::map<std::string, std::string> parse_plan(const std::string& text)
{
    std::map<std::string, std::string> fields{{"preset", "small"}, {"batch", "8"},     {"rank", "8"},
                                              {"targets", "q_proj+v_proj"}, {"towers", "both"}, {"ckpt", "0"},
                                              {"cache", "1"},      {"precision", "fp32"}, {"accum", "1"}, {"layers", "0"}};
    std::stringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');) {
        const auto eq = item.find('=');
        if (eq != std::string::npos) fields[item.substr(0, eq)] = item.substr(eq + 1);
    }
    return fields;
}

TrainingSetup setup_for(const std::map<std::string, std::string>& f)
{
    ClipConfig config = clip_preset_config(f.at("preset"));
    const int layers = std::stoi(f.at("layers"));
    if (layers > 0) {
        config.vision_config.num_hidden_layers = layers;
        config.text_config.num_hidden_layers = layers;
    }
    TrainingSetup s;
    s.model = model_shape_from_config(config, f.at("preset"));
    s.batch = std::stoi(f.at("batch"));
    s.rank = std::stoi(f.at("rank"));
    s.targets.clear();
    std::stringstream targets(f.at("targets"));
    for (std::string t; std::getline(targets, t, '+');) s.targets.push_back(t);
    s.towers = f.at("towers");
    s.gradient_checkpointing = f.at("ckpt") == "1";
    s.cache_frozen_towers = f.at("cache") == "1";
    s.precision = f.at("precision");
    s.accumulation = std::stoi(f.at("accum"));
    return s;
}

double error_percent(double predicted, double measured)
{
    return measured > 0 ? 100.0 * (predicted - measured) / measured : 0.0;
}

} // namespace

int main(int argc, char** argv)
{
    CpuMemoryCounter::install(); // before any tensor exists
    int threads = 2;
    int steps = 2;
    std::vector<std::string> plans;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--threads" && i + 1 < argc) threads = std::atoi(argv[++i]);
        else if (arg == "--steps" && i + 1 < argc) steps = std::atoi(argv[++i]);
        else plans.push_back(arg);
    }
    configure_cpu_runtime(threads);
    std::map<std::string, DeviceThroughput> rates;
    double worst_memory = 0.0, worst_time = 0.0;
    std::printf("%-58s %10s %10s %7s %8s %8s %7s\n", "plan", "pred MiB", "meas MiB", "err %", "pred s", "meas s", "err %");
    for (const auto& text : plans) {
        const TrainingSetup setup = setup_for(parse_plan(text));
        if (!rates.count(setup.precision)) rates[setup.precision] = device_throughput_cached("cpu", setup.precision, false);
        const MemoryBreakdown predicted = predict_memory(setup);
        const DeviceThroughput& rate = rates[setup.precision];
        const StepWork work = predict_step_work(setup);
        const double predicted_seconds = predict_step_seconds(work, rate);
        const MeasuredStep measured = measure_training_step(setup, steps);
        const double memory_error = error_percent(static_cast<double>(predicted.total()), static_cast<double>(measured.peak_bytes));
        const double time_error = error_percent(predicted_seconds, measured.step_seconds);
        worst_memory = std::max(worst_memory, std::abs(memory_error));
        worst_time = std::max(worst_time, std::abs(time_error));
        std::printf("%-58s %10.1f %10.1f %+7.1f %8.3f %8.3f %+7.1f\n", text.c_str(), predicted.total() / 1048576.0,
                    measured.peak_bytes / 1048576.0, memory_error, predicted_seconds, measured.step_seconds, time_error);
        std::printf("  parts MiB: weights %.1f lora %.2f copies %.1f saved %.1f working %.1f cache %.2f inputs %.1f\n",
                    predicted.frozen_weights / 1048576.0, predicted.lora_training_state / 1048576.0,
                    predicted.autocast_weight_copies / 1048576.0, predicted.saved_activations / 1048576.0,
                    predicted.backward_working_set / 1048576.0, predicted.frozen_tower_cache / 1048576.0,
                    predicted.batch_inputs / 1048576.0);
        std::printf("  parts s: GEMM FLOPs %.3f, GEMM calls %.3f, elementwise %.3f, operations %.3f\n",
                    work.flops.total() / rate.gemm_flops_per_second, work.gemm_calls * rate.seconds_per_gemm_call,
                    work.elementwise_bytes / rate.memory_bytes_per_second, work.operations * rate.seconds_per_operation);
        std::fflush(stdout);
    }
    for (const auto& [precision, rate] : rates)
        std::printf("device (%s): %s; GEMM %.1f GFLOP/s, %.0f us per GEMM call, memory %.1f GB/s, %.1f us per operation%s\n",
                    precision.c_str(), rate.description.c_str(), rate.gemm_flops_per_second / 1e9,
                    rate.seconds_per_gemm_call * 1e6, rate.memory_bytes_per_second / 1e9, rate.seconds_per_operation * 1e6,
                    rate.from_cache ? " (cached)" : "");
    std::printf("worst |error|: memory %.1f %%, step time %.1f %%\n", worst_memory, worst_time);
    return 0;
}

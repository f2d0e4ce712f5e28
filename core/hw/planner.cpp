#include "core/hw/planner.h"

#include "core/hw/memory_model.h"
#include "core/hw/time_model.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>

namespace phototune {
namespace {

constexpr std::uint64_t kGiB = 1ull << 30;
constexpr std::uint64_t kMinimumReserve = 256ull << 20;
constexpr double kReserveFraction = 0.07;
constexpr int kPreferredBatch = 64;
constexpr int kMinimumContrastiveBatch = 32;
constexpr double kBalancedSlowdown = 4.0;        // "balanced" accepts up to 4x the fastest model's time
constexpr double kBalancedEpochSeconds = 600.0;  // ... and epochs of at most 10 minutes
constexpr std::int64_t kAssumedDatasetImages = 500;

struct Candidate {
    TrainingSetup setup;
    TrainingPrediction prediction;
    const PlannerModel* model = nullptr;
};

TrainingSetup base_setup(const RecommendRequest& request, const PlannerModel& model, const std::string& device)
{
    TrainingSetup s;
    s.model = model.shape;
    s.device = device;
    s.dataset_images = request.dataset_images > 0 ? request.dataset_images : kAssumedDatasetImages;
    s.epochs = request.epochs > 0 ? request.epochs : 10.0;
    s.precision = device == "cuda" ? (request.fast_bf16 ? "bf16" : "fp16") : (request.fast_bf16 ? "bf16" : "fp32");
    switch (request.goal) {
    case PlanGoal::Fastest:
        s.rank = 4;
        s.towers = "vision";
        break;
    case PlanGoal::Balanced: s.rank = 8; break;
    case PlanGoal::Best:
        s.rank = 16;
        s.targets = {"q_proj", "k_proj", "v_proj", "out_proj"};
        break;
    }
    return s;
}

Candidate evaluate(const TrainingSetup& setup, const PlannerModel& model, const DeviceThroughput& throughput)
{
    Candidate c;
    c.setup = setup;
    c.model = &model;
    c.prediction.memory = predict_memory(setup);
    c.prediction.flops = predict_step_flops(setup);
    c.prediction.throughput = throughput;
    c.prediction.time = predict_time(setup, throughput);
    c.prediction.trainable_parameters = lora_parameter_count(setup);
    return c;
}

// The fastest way to train `model` at the largest batch that fits: batch from 64 (or the dataset)
// down, each with no lever, accumulation 2..8, or checkpointing (with accumulation if needed).
std::optional<Candidate> best_fit(const RecommendRequest& request, const PlannerModel& model, const std::string& device,
                                  std::uint64_t usable, const DeviceThroughput& throughput)
{
    const TrainingSetup base = base_setup(request, model, device);
    const int largest = static_cast<int>(std::clamp<std::int64_t>(base.dataset_images, 1, kPreferredBatch));
    for (int batch = largest; batch >= 1; batch = batch > 8 ? batch - 8 : batch / 2) {
        std::optional<Candidate> best;
        for (const bool checkpointing : {false, true}) {
            for (int accumulation = 1; accumulation <= std::min(8, batch); accumulation *= 2) {
                TrainingSetup s = base;
                s.batch = batch;
                s.accumulation = accumulation;
                s.gradient_checkpointing = checkpointing;
                Candidate c = evaluate(s, model, throughput);
                if (c.prediction.memory.total() > usable) continue;
                if (!best || c.prediction.time.step_seconds < best->prediction.time.step_seconds) best = c;
                break; // more accumulation only costs time
            }
        }
        if (best) return best;
        if (batch == 1) break;
    }
    return std::nullopt;
}

std::string one_decimal(double value)
{
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(1);
    out << value;
    return out.str();
}

} // namespace

std::uint64_t usable_budget(std::uint64_t budget_bytes)
{
    const auto reserve = std::max<std::uint64_t>(kMinimumReserve, static_cast<std::uint64_t>(kReserveFraction * budget_bytes));
    return budget_bytes > reserve ? budget_bytes - reserve : 0;
}

Recommendation plan_training(const RecommendRequest& request, const std::vector<PlannerModel>& models,
                             const DeviceThroughput& throughput)
{
    PHOTOTUNE_CHECK(!models.empty(), ErrorCategory::InvalidInput, "no trainable model in the catalogue to plan with");
    PHOTOTUNE_CHECK(request.budget_bytes > 0, ErrorCategory::InvalidInput, "the memory budget must be more than 0 bytes");
    const std::string device = request.device.empty() ? "cpu" : request.device;
    const std::uint64_t usable = usable_budget(request.budget_bytes);

    std::vector<Candidate> fits;
    for (const auto& model : models)
        if (auto c = best_fit(request, model, device, usable, throughput)) fits.push_back(*c);
    PHOTOTUNE_CHECK(!fits.empty(), ErrorCategory::OutOfMemory,
                    "not even the smallest model at batch 1 fits in " + format_bytes(usable) + " (" +
                        format_bytes(request.budget_bytes) + " less a safety margin); free memory or use a smaller model");

    // Within the contrastive minimum first: a larger batch beats a larger model.
    const int wanted_batch = static_cast<int>(std::min<std::int64_t>(
        kMinimumContrastiveBatch, request.dataset_images > 0 ? request.dataset_images : kAssumedDatasetImages));
    std::vector<Candidate> good;
    for (const auto& c : fits)
        if (c.setup.batch >= wanted_batch) good.push_back(c);
    if (good.empty()) good = fits;
    const auto time_of = [](const Candidate& c) { return c.prediction.time.total_seconds; };
    // A larger model is one that computes more per photo: more parameters or finer patches.
    const auto size_of = [](const Candidate& c) { return c.prediction.flops.forward / c.setup.batch; };
    const auto fastest = *std::min_element(good.begin(), good.end(), [&](auto& a, auto& b) { return time_of(a) < time_of(b); });
    const Candidate* chosen = &fastest;
    for (const auto& c : good) {
        const bool larger = size_of(c) > size_of(*chosen) || (size_of(c) == size_of(*chosen) && time_of(c) < time_of(*chosen));
        if (request.goal == PlanGoal::Best && larger) chosen = &c;
        if (request.goal == PlanGoal::Balanced && larger && time_of(c) <= kBalancedSlowdown * time_of(fastest) &&
            c.prediction.time.epoch_seconds <= kBalancedEpochSeconds)
            chosen = &c;
    }

    Recommendation r;
    r.setup = chosen->setup;
    r.model_id = chosen->model->id;
    r.prediction = chosen->prediction;
    r.budget_bytes = usable;
    r.negatives_per_photo = r.setup.batch - 1;
    if (r.setup.batch < kMinimumContrastiveBatch)
        r.warnings.push_back("batch " + std::to_string(r.setup.batch) + " gives each photo only " +
                             std::to_string(r.negatives_per_photo) +
                             " negatives; contrastive fine-tuning learns more with 32 or more");
    if (device == "cuda" && request.dedicated_vram_bytes > 0 && r.prediction.memory.total() > request.dedicated_vram_bytes)
        r.warnings.push_back("the plan needs " + format_bytes(r.prediction.memory.total()) + ", more than the " +
                             format_bytes(request.dedicated_vram_bytes) +
                             " of dedicated VRAM: the driver would spill into shared system memory and train many "
                             "times slower");
    r.explanation = explain(r);
    return r;
}

std::string explain(const Recommendation& r)
{
    const auto& s = r.setup;
    std::vector<std::string> levers;
    if (s.gradient_checkpointing) levers.push_back("checkpointing");
    if (s.accumulation > 1) levers.push_back(std::to_string(s.accumulation) + " micro-batches");
    std::string text = (s.model.name.empty() ? r.model_id : s.model.name) + " at batch " + std::to_string(s.batch);
    for (std::size_t i = 0; i < levers.size(); ++i) text += (i == 0 ? " with " : " and ") + levers[i];
    text += " (" + s.precision + ", rank " + std::to_string(s.rank) + ", " +
            (s.towers == "both" ? std::string("both towers") : s.towers + " tower") + "): ";
    const double used = static_cast<double>(r.prediction.memory.total()) / kGiB;
    const double budget = static_cast<double>(r.budget_bytes) / kGiB;
    text += one_decimal(used) + " of " + one_decimal(budget) + " GiB";
    if (r.prediction.time.epoch_seconds > 0) text += ", " + format_duration(r.prediction.time.epoch_seconds) + " per epoch";
    text += "; each photo meets " + std::to_string(r.negatives_per_photo) + " negatives.";
    return text;
}

std::vector<HardwarePreset> builtin_hardware_presets()
{
    // Nominal rates: FP16/BF16 tensor peak with FP32 accumulation (performance.md §1) at 60 %
    // GEMM efficiency, 70 % of the memory bandwidth, 10 us per kernel launch.
    const auto gpu = [](int gib, const char* card, double peak_tflops, double bandwidth_gbs, bool bf16) {
        HardwarePreset p;
        p.name = std::to_string(gib) + "gib";
        p.description = std::to_string(gib) + " GiB GPU (" + card + " class)";
        p.device = "cuda";
        p.memory_bytes = static_cast<std::uint64_t>(gib) * kGiB;
        p.fast_bf16 = bf16;
        p.throughput.device = "cuda";
        p.throughput.precision = bf16 ? "bf16" : "fp16";
        p.throughput.description = std::string(card) + " (nominal)";
        p.throughput.gemm_flops_per_second = 0.6 * peak_tflops * 1e12;
        p.throughput.memory_bytes_per_second = 0.7 * bandwidth_gbs * 1e9;
        p.throughput.seconds_per_operation = 10e-6;
        p.throughput.seconds_per_gemm_call = 10e-6;
        return p;
    };
    std::vector<HardwarePreset> presets = {
        gpu(6, "RTX 2060", 28.8, 336, false),    gpu(8, "RTX 3070", 40.6, 448, true),
        gpu(12, "RTX 3060", 25.5, 360, true),    gpu(16, "RTX 4060 Ti 16 GB", 44.0, 288, true),
        gpu(24, "RTX 4090", 165.2, 1008, true),  gpu(48, "RTX A6000", 154.8, 768, true),
        gpu(80, "H100 SXM", 989.4, 3350, true),
    };
    HardwarePreset cpu;
    cpu.name = "cpu";
    cpu.description = "CPU only, 16 GiB RAM (2-core AVX2 desktop class)";
    cpu.device = "cpu";
    cpu.memory_bytes = 16 * kGiB;
    cpu.throughput.device = "cpu";
    cpu.throughput.precision = "fp32";
    cpu.throughput.description = "2-core AVX2 desktop (nominal)";
    cpu.throughput.gemm_flops_per_second = 0.6 * 192e9;
    cpu.throughput.memory_bytes_per_second = 10e9;
    cpu.throughput.seconds_per_operation = 10e-6;
    cpu.throughput.seconds_per_gemm_call = 50e-6;
    presets.push_back(cpu);
    return presets;
}

std::string format_bytes(std::uint64_t bytes)
{
    const double b = static_cast<double>(bytes);
    if (bytes >= kGiB) return one_decimal(b / kGiB) + " GiB";
    if (bytes >= (1ull << 20)) return std::to_string(static_cast<long long>(std::llround(b / (1ull << 20)))) + " MiB";
    if (bytes >= (1ull << 10)) return std::to_string(static_cast<long long>(std::llround(b / (1ull << 10)))) + " KiB";
    return std::to_string(bytes) + " B";
}

std::string format_duration(double seconds)
{
    const long s = std::lround(std::max(0.0, seconds));
    if (s < 60) return "about " + std::to_string(std::max(1L, s)) + " s";
    const long minutes = std::lround(seconds / 60.0);
    if (minutes < 60) return "about " + std::to_string(minutes) + " min";
    return "about " + std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
}

RecommendRequest request_for_preset(const HardwarePreset& preset, PlanGoal goal, std::int64_t dataset_images)
{
    RecommendRequest request;
    request.budget_bytes = preset.memory_bytes;
    request.dedicated_vram_bytes = preset.device == "cuda" ? preset.memory_bytes : 0;
    request.device = preset.device;
    request.goal = goal;
    request.dataset_images = dataset_images;
    request.fast_bf16 = preset.fast_bf16;
    return request;
}

} // namespace phototune

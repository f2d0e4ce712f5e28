#include "core/api/hardware.h"

#include "core/api/detail/facade_guard.h"
#include "core/api/resources.h"
#include "core/hw/device_probe.h"
#include "core/hw/memory_model.h"
#include "core/hw/model_shape.h"
#include "core/hw/planner.h"
#include "core/hw/throughput_benchmark.h"
#include "core/hw/time_model.h"
#include "core/hw/training_probe.h"
#include "core/model/clip_presets.h"
#include "core/model/cpu_runtime.h"
#include "core/zoo/downloader.h"
#include "core/zoo/hf_cache.h"
#include "core/zoo/model_catalog.h"

#include <torch/cuda.h>

#include <algorithm>
#include <cmath>

namespace phototune {
namespace {

using detail::guarded;

ModelCatalog studio_catalog()
{
    return ModelCatalog::load(resources_dir() / "models.json");
}

TrainingPrediction prediction_for(const TrainingSetup& setup, const DeviceThroughput& throughput)
{
    TrainingPrediction p;
    p.memory = predict_memory(setup);
    p.flops = predict_step_flops(setup);
    p.throughput = throughput;
    p.time = predict_time(setup, throughput);
    p.trainable_parameters = lora_parameter_count(setup);
    return p;
}

// The prediction with its batch-dependent parts (saved activations, backward working set) scaled so
// that the total becomes `total`: weights and optimizer state are counted exactly, the error lives
// in the activations.
MemoryBreakdown with_total(const MemoryBreakdown& m, double total)
{
    const double activations = static_cast<double>(m.saved_activations + m.backward_working_set);
    const double fixed = static_cast<double>(m.total()) - activations;
    const double factor = activations > 0 ? std::max(0.0, total - fixed) / activations : 1.0;
    MemoryBreakdown out = m;
    out.saved_activations = static_cast<std::uint64_t>(std::llround(static_cast<double>(m.saved_activations) * factor));
    out.backward_working_set = static_cast<std::uint64_t>(std::llround(static_cast<double>(m.backward_working_set) * factor));
    return out;
}

CatalogModel catalog_model(const ModelEntry& entry, const HfCache& cache)
{
    CatalogModel m;
    m.id = entry.id;
    m.display_name = entry.display_name;
    m.publisher = entry.publisher;
    m.supported = entry.supported;
    m.unsupported_reason = entry.unsupported_reason;
    m.licence = entry.licence.id;
    m.research_only = entry.licence.research_only;
    m.params = entry.params_total();
    m.local_folder = cache.find_cached_model(entry.id, entry.revision, entry.file_names());
    return m;
}

} // namespace

Result<DeviceProbe> probe_hardware() noexcept
{
    return guarded([] {
        DeviceProbe probe = probe_devices();
        probe.torch_cuda_available = torch::cuda::is_available();
        return probe;
    });
}

std::string describe_hardware(const DeviceProbe& probe)
{
    return describe(probe);
}

namespace {

ModelShape shape_of(const std::string& id_or_folder)
{
    const auto presets = clip_preset_names();
    if (std::find(presets.begin(), presets.end(), id_or_folder) != presets.end())
        return model_shape_from_config(clip_preset_config(id_or_folder), id_or_folder);
    const std::filesystem::path folder(id_or_folder);
    if (std::filesystem::is_regular_file(folder / "config.json"))
        return model_shape_from_config(load_clip_config(folder / "config.json"), folder.filename().string());
    const ModelCatalog catalog = studio_catalog();
    const ModelEntry* entry = catalog.find(id_or_folder);
    PHOTOTUNE_CHECK(entry != nullptr, ErrorCategory::NotFound,
                    "'" + id_or_folder + "' is neither a model folder (with config.json), a catalogue id (see "
                                         "`phototune-cli models list`) nor a preset (tiny, small, vit-b-32)");
    ModelShape shape = model_shape_from_catalog(*entry);
    shape.name = entry->display_name;
    return shape;
}

} // namespace

Result<ModelShape> resolve_model_shape(const std::string& id_or_folder) noexcept
{
    return guarded([&] { return shape_of(id_or_folder); });
}

Result<DeviceThroughput> device_throughput(const std::string& device, const std::string& precision, bool remeasure) noexcept
{
    return guarded([&] {
        if (device == "cpu") configure_cpu_runtime(); // the settings training runs with
        return device_throughput_cached(device, precision, remeasure);
    });
}

Result<TrainingPrediction> predict_training(const TrainingSetup& setup, const DeviceThroughput& throughput) noexcept
{
    return guarded([&] { return prediction_for(setup, throughput); });
}

Result<ProbeRunReport> probe_run(const TrainingSetup& setup, const DeviceThroughput& throughput,
                                 const std::vector<int>& probe_batches, int steps_per_batch,
                                 const CancelToken& cancel) noexcept
{
    return guarded([&] {
        validate_training_setup(setup);
        std::vector<int> batches;
        for (const int b : probe_batches)
            if (b >= setup.accumulation && b <= setup.batch) batches.push_back(b);
        std::sort(batches.begin(), batches.end());
        batches.erase(std::unique(batches.begin(), batches.end()), batches.end());
        PHOTOTUNE_CHECK(!batches.empty(), ErrorCategory::InvalidInput,
                        "the probe batches must lie between the accumulation steps and the planned batch");
        ProbeRunReport report;
        for (const int batch : batches) {
            TrainingSetup probe = setup;
            probe.batch = batch;
            const MeasuredStep measured = measure_training_step(probe, steps_per_batch, cancel);
            ProbeStep step;
            step.batch = batch;
            step.measured_peak_bytes = measured.peak_bytes;
            step.predicted_peak_bytes = predict_memory(probe).total();
            step.measured_step_seconds = measured.step_seconds;
            step.predicted_step_seconds = predict_step_seconds(predict_step_work(probe), throughput);
            report.steps.push_back(step);
        }
        // The model's error grows with the batch (activations) or not (weights): fit the measured
        // minus predicted bytes as a + c x batch over the two largest probes and extrapolate.
        const TrainingPrediction planned = prediction_for(setup, throughput);
        const ProbeStep& last = report.steps.back();
        double residual = static_cast<double>(last.measured_peak_bytes) - static_cast<double>(last.predicted_peak_bytes);
        if (report.steps.size() >= 2) {
            const ProbeStep& before = report.steps[report.steps.size() - 2];
            const double r0 = static_cast<double>(before.measured_peak_bytes) - static_cast<double>(before.predicted_peak_bytes);
            const double slope = (residual - r0) / (last.batch - before.batch);
            residual += slope * (setup.batch - last.batch);
        }
        const double planned_bytes = static_cast<double>(planned.memory.total());
        report.corrected = planned;
        report.corrected.memory = with_total(planned.memory, planned_bytes + residual);
        report.memory_correction = static_cast<double>(report.corrected.memory.total()) / planned_bytes;
        report.time_correction = last.predicted_step_seconds > 0 ? last.measured_step_seconds / last.predicted_step_seconds : 1.0;
        report.corrected.time.step_seconds *= report.time_correction;
        report.corrected.time.epoch_seconds *= report.time_correction;
        report.corrected.time.total_seconds *= report.time_correction;
        return report;
    });
}

const char* plan_goal_name(PlanGoal goal) noexcept
{
    switch (goal) {
    case PlanGoal::Fastest: return "fastest";
    case PlanGoal::Balanced: return "balanced";
    case PlanGoal::Best: return "best";
    }
    return "balanced";
}

std::optional<PlanGoal> parse_plan_goal(const std::string& name) noexcept
{
    for (const auto goal : {PlanGoal::Fastest, PlanGoal::Balanced, PlanGoal::Best})
        if (name == plan_goal_name(goal)) return goal;
    return std::nullopt;
}

std::vector<HardwarePreset> hardware_presets()
{
    return builtin_hardware_presets();
}

std::uint64_t usable_memory_budget(std::uint64_t budget_bytes) noexcept
{
    return usable_budget(budget_bytes);
}

Result<Recommendation> recommend_training(const RecommendRequest& request, const DeviceThroughput& throughput) noexcept
{
    return guarded([&] {
        std::vector<PlannerModel> models;
        if (!request.model.empty()) {
            const ModelShape shape = shape_of(request.model);
            return plan_training(request, {{request.model, shape.name, shape}}, throughput);
        }
        const ModelCatalog catalog = studio_catalog();
        for (const auto& entry : catalog.models()) {
            if (!entry.supported || !entry.patch_size) continue;
            models.push_back({entry.id, entry.display_name, model_shape_from_catalog(entry)});
            models.back().shape.name = entry.display_name;
        }
        return plan_training(request, models, throughput);
    });
}

Result<RecommendRequest> request_for_this_machine(PlanGoal goal, std::int64_t dataset_images) noexcept
{
    return guarded([&] {
        const DeviceProbe probe = probe_devices();
        RecommendRequest request;
        request.goal = goal;
        request.dataset_images = dataset_images;
        if (torch::cuda::is_available() && !probe.gpus.empty()) {
            const GpuInfo& gpu = probe.gpus.front();
            request.device = "cuda";
            request.budget_bytes = gpu.memory_free_bytes;
            request.dedicated_vram_bytes = gpu.memory_total_bytes;
            request.fast_bf16 = gpu.compute_capability_major >= 8;
        } else {
            request.device = "cpu";
            request.budget_bytes = probe.ram_available_bytes;
            request.fast_bf16 = probe.cpu_flags.avx512_bf16 || probe.cpu_flags.amx_bf16;
        }
        PHOTOTUNE_CHECK(request.budget_bytes > 0, ErrorCategory::Unsupported,
                        "this machine's free memory could not be read; give a budget (e.g. --budget 8GiB)");
        return request;
    });
}

Result<std::vector<CatalogModel>> list_catalog_models() noexcept
{
    return guarded([] {
        const HfCache cache;
        const ModelCatalog catalog = studio_catalog();
        std::vector<CatalogModel> models;
        for (const auto& entry : catalog.models()) models.push_back(catalog_model(entry, cache));
        return models;
    });
}

Result<std::filesystem::path> catalog_model_folder(const std::string& id) noexcept
{
    return guarded([&] {
        const HfCache cache;
        const ModelCatalog catalog = studio_catalog();
        const CatalogModel model = catalog_model(catalog.get(id), cache);
        PHOTOTUNE_CHECK(model.local_folder.has_value(), ErrorCategory::NotFound,
                        id + " is not downloaded (looked in " + cache.hub_dir().string() +
                            "); run `phototune-cli models download " + id + "`");
        return *model.local_folder;
    });
}

Result<std::filesystem::path> download_catalog_model(const std::string& id, const ProgressCallback& progress,
                                                     const CancelToken& cancel) noexcept
{
    return guarded([&] {
        const ModelCatalog catalog = studio_catalog();
        const ModelEntry& entry = catalog.get(id);
        DownloadOptions options;
        options.progress = progress;
        options.cancel = cancel;
        return download_model(HfCache(), entry.id, entry.revision, entry.file_names(), options);
    });
}

} // namespace phototune

#pragma once
// The hardware facade: what this machine offers, what a training plan will need (peak memory by
// component and time per step/epoch), which plan fits a memory budget, a short probe run that
// corrects the prediction, and the model catalogue (list, where, download). Plain C++; every call
// returns a Result and never throws. The GUI's hardware wizard and `phototune-cli hw | plan |
// recommend | models` use it. The formulas are in core/hw/memory_model.h and docs/memory-model.md.

#include "core/api/progress.h"
#include "core/api/result.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace phototune {

// ---- The machine --------------------------------------------------------------------------------

struct CpuFlags {
    bool avx2 = false;
    bool avx512f = false;
    bool avx512_bf16 = false;
    bool amx_bf16 = false;
};

struct GpuInfo {
    int index = 0;
    std::string name;
    std::uint64_t memory_total_bytes = 0;
    std::uint64_t memory_free_bytes = 0;
    int compute_capability_major = 0; // 0 when the driver did not say
    int compute_capability_minor = 0;
};

struct DeviceProbe {
    std::string cpu_model;
    int cpu_cores = 0;           // physical cores
    int cpu_logical_threads = 0;
    std::uint64_t ram_total_bytes = 0;
    std::uint64_t ram_available_bytes = 0;
    CpuFlags cpu_flags;

    std::string nvidia_driver_version; // empty without NVML
    std::vector<GpuInfo> gpus;
    // Whether this LibTorch can run on CUDA; the probe cannot tell, the torch side fills it in.
    std::optional<bool> torch_cuda_available;

    std::vector<std::string> notes; // normal but noteworthy answers, e.g. "no NVIDIA driver found"
};

// The machine, with torch_cuda_available filled in.
Result<DeviceProbe> probe_hardware() noexcept;
// A few lines for people (see core/hw/device_probe.h).
std::string describe_hardware(const DeviceProbe& probe);

// ---- A training plan and what it needs ----------------------------------------------------------

// One transformer tower of a CLIP model.
struct TowerShape {
    int layers = 0;
    int width = 0;
    int heads = 0;
    int mlp_width = 0;
    int tokens = 0;              // sequence length: patches + 1 (vision), the context length (text)
    std::int64_t params = 0;     // including its projection
};

struct ModelShape {
    std::string name;            // catalogue id, folder or preset
    TowerShape vision;
    TowerShape text;
    int image_size = 224;
    int patch_size = 32;
    int projection_dim = 512;
    bool quick_gelu = true;      // eager QuickGELU keeps its sigmoid for backward as well

    std::int64_t params_total() const noexcept { return vision.params + text.params + 1; } // + logit_scale
};

// What is trained, how, and on what: every input of the memory and time model.
struct TrainingSetup {
    ModelShape model;
    int rank = 8;
    std::vector<std::string> targets{"q_proj", "v_proj"}; // peft suffixes: q_proj k_proj v_proj out_proj fc1 fc2
                                                           // visual_projection text_projection
    std::string towers = "both";     // both | vision | text: the towers that carry LoRA
    int last_layers = 0;             // 0: every encoder layer
    double lora_dropout = 0.0;
    int batch = 32;                  // photos per optimizer step (the contrastive batch)
    int accumulation = 1;            // micro-batches per step (same negatives, 1/K of the activations)
    std::string precision = "fp32";  // fp32 | bf16 | fp16 (autocast; frozen weights stay fp32)
    bool gradient_checkpointing = false;
    bool cache_frozen_towers = true; // a tower without LoRA runs once per photo / caption
    std::string device = "cpu";      // cpu | cuda
    std::int64_t dataset_images = 0; // for the frozen-tower cache and the epoch time (0: unknown)
    double epochs = 1.0;
};

// Predicted peak bytes, by component. On the CPU this is what the counting allocator sees (tensor
// bytes); on CUDA the runtime overhead adds the context, workspaces and the caching allocator.
struct MemoryBreakdown {
    std::uint64_t frozen_weights = 0;        // every model parameter, stored fp32
    std::uint64_t lora_training_state = 0;   // LoRA weights + gradients + AdamW's two moments
    std::uint64_t autocast_weight_copies = 0; // bf16/fp16 copies of frozen weights kept for backward
    std::uint64_t saved_activations = 0;     // what autograd keeps for backward, both towers
    std::uint64_t backward_working_set = 0;  // gradients and temporaries of the layer being differentiated
    std::uint64_t frozen_tower_cache = 0;    // cached embeddings of a tower without LoRA
    std::uint64_t batch_inputs = 0;          // pixels and token ids of the batch and the prefetched next one
    std::uint64_t runtime_overhead = 0;      // CUDA context, workspaces, allocator rounding (0 on the CPU)

    std::uint64_t total() const noexcept
    {
        return frozen_weights + lora_training_state + autocast_weight_copies + saved_activations +
               backward_working_set + frozen_tower_cache + batch_inputs + runtime_overhead;
    }
};

// Floating-point operations of one optimizer step (multiply-add = 2).
struct StepFlops {
    double forward = 0.0;     // every tower that runs this step (a cached frozen tower does not)
    double backward = 0.0;    // input gradients through frozen weights, LoRA weight gradients
    double recompute = 0.0;   // the extra forward of gradient checkpointing
    double total() const noexcept { return forward + backward + recompute; }
};

// How fast this device computes, measured by a ~2 s micro-benchmark (cached per machine): matrix
// products of training-sized GEMMs and the fixed cost of a small one, elementwise traffic, and the
// fixed cost of one small operation.
struct DeviceThroughput {
    std::string device;          // "cpu" | "cuda"
    std::string precision;       // fp32 | bf16 | fp16
    std::string description;     // processor / GPU name and threads
    double gemm_flops_per_second = 0.0;
    double memory_bytes_per_second = 0.0;
    double seconds_per_operation = 0.0;
    double seconds_per_gemm_call = 0.0; // fixed cost of one matrix product (BLAS threads waking, launch)
    bool from_cache = false;
};

struct TimeEstimate {
    double step_seconds = 0.0;
    std::int64_t steps_per_epoch = 0;
    double epoch_seconds = 0.0;
    double total_seconds = 0.0;
};

struct TrainingPrediction {
    MemoryBreakdown memory;
    StepFlops flops;
    DeviceThroughput throughput;
    TimeEstimate time;
    std::int64_t trainable_parameters = 0;
};

// The shape of a catalogue model ("openai/clip-vit-base-patch32"), a local Hugging Face CLIP
// folder (its config.json) or an untrained preset ("tiny", "small", "vit-b-32").
Result<ModelShape> resolve_model_shape(const std::string& id_or_folder) noexcept;

// The GEMM rate of `device` in `precision`: from throughput.json in the user cache (see
// docs/formats.md) unless `remeasure`, else a ~2 s benchmark whose answer is then cached.
Result<DeviceThroughput> device_throughput(const std::string& device, const std::string& precision,
                                           bool remeasure = false) noexcept;

// Peak memory by component, FLOPs and time of `setup` on a device of `throughput`.
Result<TrainingPrediction> predict_training(const TrainingSetup& setup, const DeviceThroughput& throughput) noexcept;

// ---- Probe run: measure, then correct -----------------------------------------------------------

struct ProbeStep {
    int batch = 0;
    std::uint64_t measured_peak_bytes = 0;
    std::uint64_t predicted_peak_bytes = 0;
    double measured_step_seconds = 0.0;
    double predicted_step_seconds = 0.0;
};

struct ProbeRunReport {
    std::vector<ProbeStep> steps;
    double memory_correction = 1.0; // corrected / predicted peak at the planned batch
    double time_correction = 1.0;   // measured / predicted step time at the largest probe batch
    // The prediction of `setup` corrected: the measured-minus-predicted bytes of the two largest probes,
    // fitted as a + c x batch and extrapolated, go into the activations; times are scaled.
    TrainingPrediction corrected;
};

// Runs `steps_per_batch` real training steps of setup's model shape (untrained weights) at each of
// `probe_batches` (rising, each <= setup.batch), measures peak tensor memory (CPU: the counting
// allocator) and step time, and corrects the prediction of `setup` by what they measured.
Result<ProbeRunReport> probe_run(const TrainingSetup& setup, const DeviceThroughput& throughput,
                                 const std::vector<int>& probe_batches = {2, 4, 8}, int steps_per_batch = 2,
                                 const CancelToken& cancel = {}) noexcept;

// ---- Planner ------------------------------------------------------------------------------------

enum class PlanGoal { Fastest, Balanced, Best };
const char* plan_goal_name(PlanGoal goal) noexcept;   // "fastest", "balanced", "best"
std::optional<PlanGoal> parse_plan_goal(const std::string& name) noexcept;

struct RecommendRequest {
    std::uint64_t budget_bytes = 0;  // memory the run may use; 0: this machine's (free VRAM or available RAM)
    std::string device;              // cpu | cuda; empty: CUDA when a GPU is usable
    PlanGoal goal = PlanGoal::Balanced;
    std::int64_t dataset_images = 0; // 0: assume 500
    double epochs = 0.0;             // 0: the trainer's default for the dataset size
    bool fast_bf16 = false;          // bf16 is fast here: AVX512-BF16/AMX CPU, or a GPU of compute capability >= 8
    std::uint64_t dedicated_vram_bytes = 0; // for the spill warning; 0: unknown
    std::string model;               // plan for this model only (catalogue id, folder or preset, as
                                     // resolve_model_shape takes); empty: choose among the catalogue
};

struct Recommendation {
    TrainingSetup setup;             // model, rank, targets, batch, accumulation, precision, ...
    std::string model_id;
    TrainingPrediction prediction;
    std::uint64_t budget_bytes = 0;  // after the safety margin
    int negatives_per_photo = 0;     // batch - 1: other photos each photo is contrasted with
    std::string explanation;         // one sentence
    std::vector<std::string> warnings;
};

struct HardwarePreset {
    std::string name;                // "8gib", ..., "cpu"
    std::string description;         // the typical card, e.g. "8 GiB GPU (RTX 3070 class)"
    std::string device;              // cpu | cuda
    std::uint64_t memory_bytes = 0;  // VRAM of the card (or RAM for "cpu")
    bool fast_bf16 = false;
    DeviceThroughput throughput;     // nominal rates of the typical card (performance.md §1 x 60 %)
};
std::vector<HardwarePreset> hardware_presets();

// The part of a memory budget a plan may fill: the planner keeps 7 % (at least 256 MiB) back for
// the allocator and the rest of the system.
std::uint64_t usable_memory_budget(std::uint64_t budget_bytes) noexcept;

// The plan to use on this budget, chosen among the catalogue's supported models. OutOfMemory when
// not even the smallest plan fits.
Result<Recommendation> recommend_training(const RecommendRequest& request, const DeviceThroughput& throughput) noexcept;
// The request for this machine: free VRAM of GPU 0 when CUDA is usable, else available RAM.
Result<RecommendRequest> request_for_this_machine(PlanGoal goal, std::int64_t dataset_images) noexcept;
// A request for a preset's machine (use it with preset.throughput).
RecommendRequest request_for_preset(const HardwarePreset& preset, PlanGoal goal, std::int64_t dataset_images);

// ---- Model catalogue ----------------------------------------------------------------------------

struct CatalogModel {
    std::string id;
    std::string display_name;
    std::string publisher;
    bool supported = false;
    std::string unsupported_reason;
    std::string licence;
    bool research_only = false;
    std::int64_t params = 0;
    std::optional<std::filesystem::path> local_folder; // the snapshot in the Hugging Face cache, if complete
};

Result<std::vector<CatalogModel>> list_catalog_models() noexcept;
// The complete snapshot folder of `id` in the Hugging Face cache; NotFound when not downloaded.
Result<std::filesystem::path> catalog_model_folder(const std::string& id) noexcept;
// Downloads `id` into the Hugging Face cache (nothing when complete) and returns its folder.
Result<std::filesystem::path> download_catalog_model(const std::string& id, const ProgressCallback& progress = {},
                                                     const CancelToken& cancel = {}) noexcept;

// ---- Machine-readable output (one JSON object each, for `phototune-cli ... --json`) --------------

std::string to_json(const DeviceProbe& probe);
std::string to_json(const TrainingSetup& setup, const TrainingPrediction& prediction);
std::string to_json(const Recommendation& recommendation);
std::string to_json(const std::vector<CatalogModel>& models);

// "1.5 GiB", "820 MiB"
std::string format_bytes(std::uint64_t bytes);
// "about 4 min", "about 2 h 10 min", "about 30 s"
std::string format_duration(double seconds);

} // namespace phototune

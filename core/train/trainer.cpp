#include "core/train/trainer.h"

#include "core/api/resources.h"
#include "core/hw/device_probe.h"
#include "core/io/tensor_io.h"
#include "core/lora/adapter_io.h"
#include "core/lora/lora_targets.h"
#include "core/model/clip_checkpoint.h"
#include "core/model/cpu_runtime.h"
#include "core/model/gradient_checkpoint.h"
#include "core/train/adapter_metadata.h"
#include "core/train/evaluation.h"
#include "core/train/memory_counter.h"
#include "core/train/retention_probe.h"
#include "core/train/run_folder.h"
#include "core/train/train_config.h"
#include "core/train/train_step.h"
#include "core/train/training_data.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <nlohmann/json.hpp>
#include <torch/cuda.h>

#include <chrono>
#include <cmath>
#include <new>
#include <optional>

namespace phototune {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kEmaDecay = 0.9;

double seconds_since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::uint64_t step_seed(std::uint64_t seed, std::int64_t step)
{
    std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(step) + 0x7F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return (x ^ (x >> 31)) >> 1; // manual_seed takes any 64-bit value; keep it positive for logs
}

at::Device choose_device(const std::string& preference)
{
    const bool cuda = torch::cuda::is_available();
    PHOTOTUNE_CHECK(preference != "cuda" || cuda, ErrorCategory::Unsupported,
                    "--device cuda was asked for, but this LibTorch has no usable CUDA device; use --device cpu");
    return cuda && preference != "cpu" ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
}

// --memory-limit: for a run's lifetime, the counting allocator refuses what would go over it.
class CpuMemoryLimit {
public:
    explicit CpuMemoryLimit(std::uint64_t bytes) : m_active(bytes > 0)
    {
        if (m_active) CpuMemoryCounter::install().set_limit(bytes);
    }
    ~CpuMemoryLimit()
    {
        if (m_active) CpuMemoryCounter::install().set_limit(0);
    }
    CpuMemoryLimit(const CpuMemoryLimit&) = delete;
    CpuMemoryLimit& operator=(const CpuMemoryLimit&) = delete;

private:
    bool m_active;
};

bool is_out_of_memory(const c10::Error& e)
{
    if (dynamic_cast<const c10::OutOfMemoryError*>(&e)) return true;
    const std::string text = e.what_without_backtrace();
    return text.find("out of memory") != std::string::npos || text.find("can't allocate") != std::string::npos;
}

// The first `rows` rows of a batch.
TrainBatch first_rows(const TrainBatch& batch, std::int64_t rows)
{
    TrainBatch part{batch.pixel_values.narrow(0, 0, rows), batch.input_ids.narrow(0, 0, rows),
                    batch.attention_mask.narrow(0, 0, rows), batch.group_ids.narrow(0, 0, rows), {}};
    if (!batch.photo_ids.empty()) part.photo_ids.assign(batch.photo_ids.begin(), batch.photo_ids.begin() + rows);
    return part;
}

// After a step ran out of memory: which smaller settings fit, found by trying them (a short probe
// run of real steps; the run is failing, so what those steps do to the weights is thrown away).
std::string what_fits_instead(TrainStepper& stepper, ClipModelImpl& model, const TrainBatch& batch, const TrainConfig& config)
{
    const auto fits = [&](std::int64_t rows) {
        try {
            stepper.step(first_rows(batch, rows));
            return true;
        } catch (const c10::Error& e) {
            if (!is_out_of_memory(e)) throw;
        } catch (const std::bad_alloc&) {
        }
        return false;
    };
    const std::int64_t rows = batch.pixel_values.size(0);
    const std::int64_t accum = stepper.options().accumulation_steps;
    std::vector<std::string> options;
    for (std::int64_t smaller = rows / 2; smaller >= accum; smaller /= 2) {
        if (!fits(smaller)) continue;
        options.push_back("--batch " + std::to_string(smaller) + " (or keep --batch " + std::to_string(rows) + " with --accum " +
                          std::to_string(accum * rows / smaller) + ": the same negatives in about that memory)");
        break;
    }
    if (!config.grad_checkpointing) {
        set_gradient_checkpointing(model, true);
        if (fits(rows)) options.push_back("--grad-checkpointing at batch " + std::to_string(rows));
        set_gradient_checkpointing(model, false);
    }
    if (options.empty())
        return "Not even a batch of " + std::to_string(accum) +
               " fits: choose a smaller model, LoRA on fewer layers (--last-layers) or one tower (--towers), or free memory.";
    std::string advice = "Measured to fit: ";
    for (std::size_t i = 0; i < options.size(); ++i) advice += (i ? "; or " : "") + options[i];
    return advice + ".";
}

// What the trainer remembers across a resume, besides the tensors.
struct TrainerState {
    std::int64_t step = 0;
    double ema_loss = 0.0;
    double seconds = 0.0;
    double base_val_accuracy = -1.0;
    double base_retention_accuracy = -1.0;
    double best_val_accuracy = -1.0;
    std::int64_t best_step = 0;
};

std::string trainer_state_json(const TrainerState& s, const ResolvedRun& run)
{
    nlohmann::ordered_json j;
    j["schema_version"] = kRunSchemaVersion;
    j["step"] = s.step;
    j["epoch"] = static_cast<double>(s.step) / static_cast<double>(run.steps_per_epoch);
    j["data_position"] = {{"epoch", s.step / run.steps_per_epoch}, {"batch_in_epoch", s.step % run.steps_per_epoch}};
    j["rng"] = "re-seeded before every step from (seed, step); nothing to restore";
    j["ema_loss"] = s.ema_loss;
    j["seconds"] = s.seconds;
    j["base_val_accuracy"] = s.base_val_accuracy;
    j["base_retention_accuracy"] = s.base_retention_accuracy;
    j["best_val_accuracy"] = s.best_val_accuracy;
    j["best_step"] = s.best_step;
    j["total_steps"] = run.total_steps();
    return j.dump(2) + "\n";
}

TrainerState parse_trainer_state(const std::filesystem::path& file)
{
    try {
        const auto j = nlohmann::json::parse(read_text_file(file));
        TrainerState s;
        j.at("step").get_to(s.step);
        j.at("ema_loss").get_to(s.ema_loss);
        j.at("seconds").get_to(s.seconds);
        j.at("base_val_accuracy").get_to(s.base_val_accuracy);
        j.at("base_retention_accuracy").get_to(s.base_retention_accuracy);
        j.at("best_val_accuracy").get_to(s.best_val_accuracy);
        j.at("best_step").get_to(s.best_step);
        return s;
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCategory::InvalidInput, "'" + path_for_display(file) + "' is damaged (" + e.what() +
                                                     "); delete that checkpoint folder to resume from the one before");
    }
}

} // namespace

Trainer::Trainer(TrainConfig config) : m_config(std::move(config)) {}

TrainOutcome Trainer::run(TrainObserver& observer, const CancelToken& cancel, const PauseToken& pause)
{
    const auto started = Clock::now();
    RunFolder folder(m_config.run_dir);
    TrainConfig config = m_config;
    ResolvedRun plan;
    if (config.resume) {
        PHOTOTUNE_CHECK(folder.has_run(), ErrorCategory::NotFound,
                        "'" + path_for_display(folder.dir()) + "' holds no run to resume (no run.json); start one without --resume");
        auto record = parse_run_json(read_text_file(folder.run_json_path()), folder.run_json_path());
        plan = record.run;
        record.config.run_dir = m_config.run_dir;
        record.config.resume = true;
        record.config.extra_steps = m_config.extra_steps;
        record.config.extra_epochs = m_config.extra_epochs;
        record.config.image_cache = m_config.image_cache; // where this machine keeps crops
        record.config.image_cache_dir = m_config.image_cache_dir;
        record.config.measure_memory = m_config.measure_memory;
        config = record.config;
    }
    validate_train_config(config);
    const TrainPrecision precision = parse_train_precision(config.precision);
    const ContrastiveLossKind loss_kind = parse_contrastive_loss(config.loss);
    const LoraSettings lora = lora_settings_for(config);
    const at::Device device = choose_device(config.device);
    if (device.is_cpu()) configure_cpu_runtime();
    const CpuMemoryLimit memory_limit(device.is_cpu() ? config.memory_limit : 0);
    if (config.memory_limit > 0 && !device.is_cpu())
        observer.on_log(TrainLogLevel::Warning, "--memory-limit applies to CPU runs only; it is ignored on " + device.str());
    // --measure-memory: the counting allocator sees every tensor made from here on.
    CpuMemoryCounter* const memory_counter =
        config.measure_memory && device.is_cpu() ? &CpuMemoryCounter::install() : nullptr;
    const std::size_t bytes_before_run = memory_counter ? memory_counter->current_bytes() : 0;
    if (config.measure_memory && !device.is_cpu())
        observer.on_log(TrainLogLevel::Warning, "--measure-memory counts CPU tensors only; it is ignored on " + device.str());

    ClipModel model = load_clip_model(config.model_dir);
    const auto tokenizer = ClipTokenizer::from_model_dir(config.model_dir);
    ClipImageProcessorConfig processor;
    if (std::filesystem::exists(config.model_dir / "preprocessor_config.json"))
        processor = load_clip_image_processor_config(config.model_dir / "preprocessor_config.json");
    const int context_length = static_cast<int>(model->config().text_config.max_position_embeddings);
    CaptionTokens tokens(tokenizer, context_length);

    CropCache crops(config.image_cache ? (config.image_cache_dir.empty() ? user_cache_dir() / "crops" : config.image_cache_dir)
                                       : std::filesystem::path(),
                    processor, !config.exact_decode);
    TrainingData data = config.project_file.empty()
                            ? load_training_data(config.data_dir, crops, config.val_split, config.seed, &cancel)
                            : load_training_data_from_project(config.project_file, crops, &cancel);
    if (config.label_prompts)
        for (auto* side : {&data.train, &data.validation})
            for (auto& photo : *side)
                if (!photo.label.empty()) photo.captions = {default_caption(photo.label)};
    std::optional<CheckpointRef> checkpoint;
    if (config.resume) {
        checkpoint = folder.latest_checkpoint();
        const std::int64_t at_step = checkpoint ? checkpoint->step : 0;
        if (config.extra_steps > 0 || config.extra_epochs > 0) {
            extend_run(plan, config, config.extra_steps, config.extra_epochs);
            folder.write_run_json(run_json_text(config, plan));
        }
        PHOTOTUNE_CHECK(at_step < plan.total_steps(), ErrorCategory::InvalidInput,
                        "the run in '" + path_for_display(folder.dir()) + "' has finished all " +
                            std::to_string(plan.total_steps()) + " steps; continue it with more epochs (--epochs N with --resume)");
        folder.truncate_metrics_after(checkpoint ? at_step : -1);
    } else {
        plan = resolve_run(config, data.train.size());
        folder.create(run_json_text(config, plan));
    }

    write_adapter_metadata(folder.dir(), adapter_metadata(config, model->config(), data, folder.dir()));

    at::manual_seed(config.seed); // LoRA's A initialisation
    apply_lora(*model, lora);
    model->to(device);
    if (config.grad_checkpointing) set_gradient_checkpointing(*model, true);
    TrainStepOptions step_options;
    step_options.optimizer.lr = config.lr;
    step_options.optimizer.weight_decay = config.weight_decay;
    step_options.accumulation_steps = config.accum;
    step_options.precision = precision;
    step_options.loss = loss_kind;
    step_options.max_grad_norm = config.max_grad_norm;
    TrainStepper stepper(model, step_options);

    TrainerState state;
    if (checkpoint) {
        restore_lora_weights(*model, checkpoint->folder / "lora.safetensors");
        stepper.load_training_state(load_safetensors(checkpoint->folder / "optimizer.safetensors"),
                                    checkpoint->folder / "optimizer.safetensors");
        state = parse_trainer_state(checkpoint->folder / "trainer_state.json");
    }
    const std::int64_t start_step = state.step;
    const double seconds_before = state.seconds;
    const std::int64_t total_steps = plan.total_steps();

    TrainPlan report;
    report.train_photos = data.train.size();
    report.validation_photos = data.validation.size();
    report.skipped_files = data.skipped_files;
    report.labels = data.labels;
    report.batch = plan.batch;
    report.steps_per_epoch = plan.steps_per_epoch;
    report.total_steps = total_steps;
    report.start_step = start_step;
    report.warmup_steps = plan.warmup_steps();
    report.epochs = static_cast<double>(total_steps) / static_cast<double>(plan.steps_per_epoch);
    report.times_each_photo_seen = static_cast<double>(total_steps * plan.batch) / static_cast<double>(data.train.size());
    report.eval_every = plan.eval_every;
    report.save_every = plan.save_every;
    for (const auto& [name, parameter] : stepper.optimizer().parameters()) report.trainable_parameters += parameter.numel();
    report.device = device.str();
    report.warnings = data.warnings;
    if (data.labels.size() < 2)
        report.warnings.push_back("fewer than 2 labels: there is no zero-shot accuracy to evaluate (the loss is still reported)");
    if (precision == TrainPrecision::Bf16 && device.is_cpu()) {
        const CpuFlags cpu = probe_devices().cpu_flags;
        if (!cpu.avx512_bf16 && !cpu.amx_bf16)
            report.warnings.push_back("this processor has no native bf16 (AVX-512 BF16 or AMX): bf16 is emulated and slower "
                                      "than fp32 here; --precision fp32 is the faster choice");
    }
    observer.on_plan(report);
    if (crops.enabled()) {
        const CropCacheStats cached = crops.stats();
        observer.on_log(TrainLogLevel::Info, std::to_string(cached.hits) + " photo(s) from the image cache, " +
                                                 std::to_string(cached.misses + cached.rebuilt) + " decoded" +
                                                 (cached.rebuilt ? " (" + std::to_string(cached.rebuilt) + " damaged cache entries rebuilt)" : ""));
    }
    observer.on_log(TrainLogLevel::Info, "each photo is seen about " + std::to_string(std::lround(report.times_each_photo_seen)) +
                                             " times (" + std::to_string(total_steps) + " steps of " +
                                             std::to_string(plan.batch) + " photos)");

    const auto retention = load_retention_probe(resources_dir() / "retention", crops);
    EvalSet retention_set;
    if (retention) {
        for (std::size_t i = 0; i < retention->crops.size(); ++i) retention_set.crops.push_back(&retention->crops[i]);
        retention_set.names = retention->names;
        retention_set.truth = retention->truth;
    } else {
        observer.on_log(TrainLogLevel::Warning, "the retention probe (resources/retention) was not found; retention is not measured");
    }
    const EvalSet validation_set = eval_set_of(data.validation, data.labels);

    TrainOutcome outcome;
    outcome.total_steps = total_steps;
    std::optional<std::int64_t> last_saved;
    if (checkpoint) {
        last_saved = checkpoint->step;
        outcome.last_checkpoint = checkpoint->folder;
    }
    auto save = [&](std::int64_t step, bool best) {
        CheckpointContents contents;
        contents.lora = trainable_parameters(*model);
        contents.training_state = stepper.training_state();
        state.step = step;
        state.seconds = seconds_before + seconds_since(started);
        contents.trainer_state_json = trainer_state_json(state, plan);
        const auto written = folder.write_checkpoint(step, contents, config.keep_checkpoints, state.best_step);
        if (best) folder.mark_best(step);
        last_saved = step;
        outcome.last_checkpoint = written.folder;
        observer.on_checkpoint({step, written.folder, best});
    };
    auto evaluate = [&](std::int64_t step, bool base) {
        TrainEvalEvent event;
        event.step = step;
        event.epoch = static_cast<double>(step) / static_cast<double>(plan.steps_per_epoch);
        event.base_model = base;
        auto val = zero_shot_evaluate(*model, validation_set, data.labels, tokens, processor, plan.batch);
        event.val_accuracy = val.accuracy;
        event.predictions = std::move(val.predictions);
        if (retention)
            event.retention_accuracy =
                zero_shot_evaluate(*model, retention_set, retention->labels, tokens, processor, plan.batch).accuracy;
        if (base) {
            state.base_val_accuracy = event.val_accuracy;
            state.base_retention_accuracy = event.retention_accuracy;
            state.best_val_accuracy = event.val_accuracy;
        } else {
            event.retention_collapsed = retention_collapsed(state.base_retention_accuracy, event.retention_accuracy);
            event.best = event.val_accuracy >= 0 && event.val_accuracy > state.best_val_accuracy && !event.retention_collapsed;
            if (event.best) {
                state.best_val_accuracy = event.val_accuracy;
                state.best_step = step;
            }
        }
        folder.append_metric(to_json_line(event));
        observer.on_eval(event);
        if (event.best) save(step, true);
        return event;
    };

    if (start_step == 0) evaluate(0, true);
    outcome.base_val_accuracy = state.base_val_accuracy;

    AugmentOptions augment;
    augment.enabled = config.augment;
    BatchPrefetcher batches(BatchSchedule(data, config.seed, plan.batch, plan.steps_per_epoch, augment, !config.exact_decode),
                            processor, tokens, total_steps);
    const auto session_start = Clock::now();
    auto last_save_time = Clock::now();
    std::int64_t done = start_step;
    outcome.status = TrainStatus::Finished;
    while (done < total_steps) {
        if (pause.paused()) {
            observer.on_log(TrainLogLevel::Info, "paused at step " + std::to_string(done));
            pause.wait_while_paused(cancel);
            if (!cancel.cancel_requested()) observer.on_log(TrainLogLevel::Info, "resumed");
        }
        if (cancel.cancel_requested()) {
            outcome.status = TrainStatus::Cancelled;
            break;
        }
        const std::int64_t step = done;
        const auto step_start = Clock::now();
        TrainBatch batch = batches.batch_for_step(step);
        const double lr = plan.lr_at(step);
        stepper.optimizer().set_lr(lr);
        at::manual_seed(step_seed(config.seed, step));
        TrainStepResult result;
        bool out_of_memory = false;
        if (memory_counter) memory_counter->reset_peak();
        try {
            result = stepper.step(batch);
            if (memory_counter)
                outcome.peak_step_bytes =
                    std::max<std::uint64_t>(outcome.peak_step_bytes, memory_counter->peak_bytes() - bytes_before_run);
        } catch (const c10::Error& e) {
            if (!is_out_of_memory(e)) throw;
            out_of_memory = true;
        } catch (const std::bad_alloc&) {
            out_of_memory = true;
        }
        if (out_of_memory) {
            // Outside the handler, so that the failed step's tensors are freed before the probe.
            throw Error(ErrorCategory::OutOfMemory,
                        "training step " + std::to_string(step + 1) + " ran out of memory on " + device.str() + " (batch " +
                            std::to_string(plan.batch) + ", " + config.precision +
                            (config.memory_limit > 0 ? ", --memory-limit " + std::to_string(config.memory_limit >> 20) + " MiB" : "") +
                            "). " + what_fits_instead(stepper, *model, batch, config));
        }
        if (result.non_finite) {
            outcome.status = TrainStatus::Diverged;
            outcome.failure = {ErrorCategory::InvalidInput,
                               "the loss became " + std::string(std::isnan(result.loss) ? "NaN" : "infinite or its gradients did") +
                                   " at step " + std::to_string(step + 1) + " (learning rate " + std::to_string(lr) +
                                   "). Training stopped; " +
                                   (last_saved ? "the last good checkpoint is " + checkpoint_name(*last_saved)
                                               : std::string("no checkpoint was written yet")) +
                                   ". Try a 10x lower --lr, a longer --warmup, or --precision fp32"};
            observer.on_log(TrainLogLevel::Warning, outcome.failure.message);
            break;
        }
        done = step + 1;
        state.ema_loss = step == 0 ? result.loss : kEmaDecay * state.ema_loss + (1.0 - kEmaDecay) * result.loss;
        outcome.final_loss = result.loss;

        TrainStepEvent event;
        event.step = done;
        event.total_steps = total_steps;
        event.epoch = static_cast<double>(done) / static_cast<double>(plan.steps_per_epoch);
        event.loss = result.loss;
        event.ema_loss = state.ema_loss;
        event.lr = lr;
        event.grad_norm = result.grad_norm;
        event.images_per_second = plan.batch / std::max(1e-9, seconds_since(step_start));
        const double per_step = seconds_since(session_start) / static_cast<double>(done - start_step);
        event.eta_seconds = per_step * static_cast<double>(total_steps - done);
        event.resident_bytes = rss_bytes();
        folder.append_metric(to_json_line(event));
        observer.on_step(event);

        bool saved_now = false;
        if (done % plan.eval_every == 0 || done == total_steps) {
            const auto eval = evaluate(done, false);
            outcome.final_val_accuracy = eval.val_accuracy;
            saved_now = eval.best;
        }
        const bool due = done % plan.save_every == 0 || done == total_steps ||
                         (config.save_every_minutes > 0 && seconds_since(last_save_time) >= 60.0 * config.save_every_minutes);
        if (due && !saved_now) save(done, false);
        if (due || saved_now) last_save_time = Clock::now();
    }
    if (outcome.status == TrainStatus::Cancelled && done > start_step && last_saved != done) save(done, false);
    if (outcome.status == TrainStatus::Cancelled)
        observer.on_log(TrainLogLevel::Info, "cancelled after step " + std::to_string(done) + "; resume with --resume");

    outcome.steps_done = done;
    outcome.best_step = state.best_step;
    outcome.best_val_accuracy = state.best_val_accuracy;
    outcome.seconds = seconds_before + seconds_since(started);
    if (outcome.status == TrainStatus::Finished) {
        AdapterMetadata metadata = read_adapter_metadata(folder.dir());
        metadata["phototune_steps"] = std::to_string(done);
        save_peft_adapter(*model, lora, folder.adapter_dir(), metadata);
        outcome.adapter_dir = folder.adapter_dir();
        observer.on_log(TrainLogLevel::Info, "adapter written to " + path_for_display(outcome.adapter_dir));
    }
    return outcome;
}

} // namespace phototune

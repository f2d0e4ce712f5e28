#include "core/api/training.h"

#include "core/api/detail/facade_guard.h"
#include "core/lora/adapter_io.h"
#include "core/lora/lora_targets.h"
#include "core/model/clip_checkpoint.h"
#include "core/model/cpu_runtime.h"
#include "core/train/adapter_metadata.h"
#include "core/train/run_folder.h"
#include "core/train/train_config.h"
#include "core/train/trainer.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <sstream>

namespace phototune {

// The events as JSON objects, field for field (metrics.jsonl and --events jsonl; read back by
// read_run_history).
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TrainPlan, train_photos, validation_photos, skipped_files, labels, batch,
                                                steps_per_epoch, total_steps, start_step, warmup_steps, epochs,
                                                times_each_photo_seen, eval_every, save_every, trainable_parameters,
                                                device, warnings)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TrainStepEvent, step, total_steps, epoch, loss, ema_loss, lr, grad_norm,
                                                images_per_second, eta_seconds, resident_bytes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(LabelProbability, label, probability)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PhotoPrediction, photo, file, label, top)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TrainEvalEvent, step, epoch, base_model, val_accuracy,
                                                retention_accuracy, retention_collapsed, best, predictions)

namespace {

using Json = nlohmann::ordered_json;

// The base model as a loading snippet names it: its Hub id when it was read from the Hugging Face
// cache (.../models--org--name/snapshots/...), which loads on any machine; else its folder.
std::string snippet_base_model(const std::filesystem::path& model_dir, const AdapterMetadata& metadata)
{
    const auto hub_id = metadata.find("base_model");
    for (const auto& part : model_dir)
        if (part.string().starts_with("models--") && hub_id != metadata.end()) return hub_id->second;
    return path_for_display(model_dir);
}

std::string dump(const Json& j)
{
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// {"event": name, ...the fields}: the event name first, so a line reads well.
template <typename Event>
std::string event_line(const char* name, const Event& event)
{
    Json line{{"event", name}};
    const nlohmann::json fields = event;
    for (const auto& [key, value] : fields.items()) line[key] = value;
    return dump(line);
}

Json failure_json(const Failure& failure)
{
    return {{"category", error_category_name(failure.category)}, {"message", failure.message}};
}

} // namespace

const char* train_status_name(TrainStatus status) noexcept
{
    switch (status) {
    case TrainStatus::Finished: return "finished";
    case TrainStatus::Cancelled: return "cancelled";
    case TrainStatus::Diverged: return "diverged";
    case TrainStatus::Failed: return "failed";
    }
    return "failed";
}

void PauseToken::pause() const
{
    const std::lock_guard lock(m_state->mutex);
    m_state->paused = true;
}

void PauseToken::resume() const
{
    {
        const std::lock_guard lock(m_state->mutex);
        m_state->paused = false;
    }
    m_state->resumed.notify_all();
}

void PauseToken::wait_while_paused(const CancelToken& cancel) const
{
    std::unique_lock lock(m_state->mutex);
    while (m_state->paused && !cancel.cancel_requested())
        m_state->resumed.wait_for(lock, std::chrono::milliseconds(100));
}

std::vector<std::string> lora_recipe_names()
{
    return {"default", "clip-lora"};
}

bool apply_lora_recipe(TrainConfig& config, const std::string& name)
{
    TrainConfig recipe;
    if (name == "clip-lora") {
        recipe.rank = 2;
        recipe.alpha = 1.0;
        recipe.targets = {"q_proj", "k_proj", "v_proj"};
    } else if (name != "default") {
        return false;
    }
    config.rank = recipe.rank;
    config.alpha = recipe.alpha;
    config.targets = recipe.targets;
    config.towers = recipe.towers;
    return true;
}

void apply_demo_settings(TrainConfig& config)
{
    config.rank = 64;
    config.alpha = 64.0;
    config.targets = {"q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2", "visual_projection", "text_projection"};
    config.towers = "both";
    config.lr = 2e-3;
    config.epochs = 30;
    config.steps = 0;
    config.batch = 32;
    config.label_prompts = true;
}

TrainOutcome run_training(const TrainConfig& config, TrainObserver& observer, const CancelToken& cancel,
                          const PauseToken& pause) noexcept
{
    TrainOutcome outcome;
    try {
        outcome = Trainer(config).run(observer, cancel, pause);
    } catch (...) {
        outcome.failure = detail::failure_from_current_exception();
        outcome.status = outcome.failure.category == ErrorCategory::Cancelled ? TrainStatus::Cancelled : TrainStatus::Failed;
    }
    release_cpu_memory(); // the run's activations, kept in the heap for reuse while it ran
    try {
        observer.on_finished(outcome);
    } catch (...) {
        // An observer that throws must not turn a finished run into a crash.
    }
    return outcome;
}

Result<ExportedAdapter> export_run(const std::filesystem::path& run_dir, const std::filesystem::path& out_dir, bool merged,
                                   double strength) noexcept
{
    return detail::guarded([&] {
        RunFolder folder(run_dir);
        PHOTOTUNE_CHECK(folder.has_run(), ErrorCategory::NotFound,
                        "'" + path_for_display(run_dir) + "' is not a training run folder (no run.json)");
        const auto record = parse_run_json(read_text_file(folder.run_json_path()), folder.run_json_path());
        ClipModel model = load_clip_model(record.config.model_dir);
        ExportedAdapter exported;
        exported.folder = out_dir;
        exported.merged = merged;
        LoraSettings settings;
        if (std::filesystem::exists(folder.adapter_dir() / kAdapterConfigFile)) {
            settings = load_peft_adapter(*model, folder.adapter_dir());
            exported.step = record.run.total_steps();
        } else {
            const auto checkpoint = folder.latest_checkpoint();
            PHOTOTUNE_CHECK(checkpoint.has_value(), ErrorCategory::NotFound,
                            "the run in '" + path_for_display(run_dir) +
                                "' has neither a finished adapter nor a checkpoint yet; train it longer first");
            settings = lora_settings_for(record.config);
            apply_lora(*model, settings);
            restore_lora_weights(*model, checkpoint->folder / "lora.safetensors");
            exported.step = checkpoint->step;
        }
        AdapterMetadata metadata = read_adapter_metadata(run_dir);
        metadata["phototune_steps"] = std::to_string(exported.step);
        metadata.emplace("base_model_path", path_for_display(record.config.model_dir)); // runs of version 0.1
        if (merged) {
            save_merged_model(*model, out_dir, strength, metadata);
            // A merged model is a whole Hugging Face model folder: the base's tokenizer and
            // preprocessing files go with it, so it loads wherever the base model loads.
            for (const char* name : {"vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json",
                                     "special_tokens_map.json", "preprocessor_config.json"})
                if (std::filesystem::is_regular_file(record.config.model_dir / name))
                    std::filesystem::copy_file(record.config.model_dir / name, out_dir / name,
                                               std::filesystem::copy_options::overwrite_existing);
        } else {
            save_peft_adapter(*model, settings, out_dir, metadata, strength);
        }
        const std::string folder_text = path_for_display(out_dir);
        exported.strength = strength;
        exported.python_snippet = merged ? merged_loading_snippet(folder_text)
                                         : peft_loading_snippet(snippet_base_model(record.config.model_dir, metadata), folder_text);
        exported.metadata = std::move(metadata);
        return exported;
    });
}

std::string to_json_line(const TrainPlan& plan)
{
    return event_line("plan", plan);
}

std::string to_json_line(const TrainStepEvent& event)
{
    return event_line("step", event);
}

std::string to_json_line(const TrainEvalEvent& event)
{
    return event_line("eval", event);
}

std::string to_json_line(const TrainCheckpointEvent& e)
{
    return dump(Json{{"event", "checkpoint"}, {"step", e.step}, {"folder", path_for_display(e.folder)}, {"best", e.best}});
}

std::string to_json_line(TrainLogLevel level, const std::string& message)
{
    return dump(Json{{"event", "log"}, {"level", level == TrainLogLevel::Info ? "info" : "warning"}, {"message", message}});
}

std::string to_json_line(const TrainOutcome& o)
{
    Json j;
    j["event"] = "finished";
    j["status"] = train_status_name(o.status);
    if (o.status == TrainStatus::Failed || o.status == TrainStatus::Diverged) j["failure"] = failure_json(o.failure);
    j["steps_done"] = o.steps_done;
    j["total_steps"] = o.total_steps;
    j["final_loss"] = o.final_loss;
    j["base_val_accuracy"] = o.base_val_accuracy;
    j["final_val_accuracy"] = o.final_val_accuracy;
    j["best_val_accuracy"] = o.best_val_accuracy;
    j["best_step"] = o.best_step;
    j["adapter_dir"] = path_for_display(o.adapter_dir);
    j["last_checkpoint"] = path_for_display(o.last_checkpoint);
    j["seconds"] = o.seconds;
    if (o.peak_step_bytes > 0) j["peak_step_bytes"] = o.peak_step_bytes;
    return dump(j);
}

Result<RunHistory> read_run_history(const std::filesystem::path& run_dir) noexcept
{
    return detail::guarded([&] {
        const RunFolder folder(run_dir);
        PHOTOTUNE_CHECK(folder.has_run(), ErrorCategory::NotFound,
                        "'" + path_for_display(run_dir) + "' is not a run folder (it has no run.json)");
        RunHistory history;
        history.run_dir = run_dir;
        const auto record = parse_run_json(read_text_file(folder.run_json_path()), folder.run_json_path());
        history.config = record.config;
        history.total_steps = record.run.total_steps();
        std::error_code error;
        if (std::filesystem::exists(folder.metrics_path(), error)) {
            std::istringstream lines(read_text_file(folder.metrics_path()));
            std::string line;
            for (std::size_t number = 1; std::getline(lines, line); ++number) {
                // The last line of a killed run may be cut short; every other line must parse.
                const auto event = nlohmann::json::parse(line, nullptr, false);
                if (event.is_discarded() || !event.is_object()) {
                    if (lines.peek() == std::char_traits<char>::eof()) break;
                    throw Error(ErrorCategory::InvalidInput, "line " + std::to_string(number) + " of '" +
                                                                 path_for_display(folder.metrics_path()) + "' is not JSON");
                }
                const std::string kind = event.value("event", "");
                if (kind == "step") history.steps.push_back(event.get<TrainStepEvent>());
                else if (kind == "eval") history.evaluations.push_back(event.get<TrainEvalEvent>());
            }
        }
        if (const auto checkpoint = folder.latest_checkpoint()) history.latest_checkpoint_step = checkpoint->step;
        history.best_step = folder.best_step().value_or(0);
        history.finished = std::filesystem::exists(folder.adapter_dir() / "adapter_model.safetensors", error);
        return history;
    });
}

} // namespace phototune

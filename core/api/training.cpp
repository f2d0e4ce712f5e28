#include "core/api/training.h"

#include "core/api/detail/facade_guard.h"
#include "core/lora/adapter_io.h"
#include "core/lora/lora_targets.h"
#include "core/model/clip_checkpoint.h"
#include "core/train/run_folder.h"
#include "core/train/train_config.h"
#include "core/train/trainer.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>

#include <chrono>

namespace phototune {
namespace {

using Json = nlohmann::ordered_json;

std::string dump(const Json& j)
{
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
        const std::map<std::string, std::string> metadata{{"phototune_run", path_for_display(run_dir)},
                                                          {"phototune_steps", std::to_string(exported.step)},
                                                          {"base_model", path_for_display(record.config.model_dir)}};
        if (merged) save_merged_model(*model, out_dir, strength, metadata);
        else save_peft_adapter(*model, settings, out_dir, metadata, strength);
        return exported;
    });
}

std::string to_json_line(const TrainPlan& p)
{
    Json j;
    j["event"] = "plan";
    j["train_photos"] = p.train_photos;
    j["validation_photos"] = p.validation_photos;
    j["skipped_files"] = p.skipped_files;
    j["labels"] = p.labels;
    j["batch"] = p.batch;
    j["steps_per_epoch"] = p.steps_per_epoch;
    j["total_steps"] = p.total_steps;
    j["start_step"] = p.start_step;
    j["warmup_steps"] = p.warmup_steps;
    j["epochs"] = p.epochs;
    j["times_each_photo_seen"] = p.times_each_photo_seen;
    j["eval_every"] = p.eval_every;
    j["save_every"] = p.save_every;
    j["trainable_parameters"] = p.trainable_parameters;
    j["device"] = p.device;
    j["warnings"] = p.warnings;
    return dump(j);
}

std::string to_json_line(const TrainStepEvent& e)
{
    Json j;
    j["event"] = "step";
    j["step"] = e.step;
    j["total_steps"] = e.total_steps;
    j["epoch"] = e.epoch;
    j["loss"] = e.loss;
    j["ema_loss"] = e.ema_loss;
    j["lr"] = e.lr;
    j["grad_norm"] = e.grad_norm;
    j["images_per_second"] = e.images_per_second;
    j["eta_seconds"] = e.eta_seconds;
    return dump(j);
}

std::string to_json_line(const TrainEvalEvent& e)
{
    Json j;
    j["event"] = "eval";
    j["step"] = e.step;
    j["epoch"] = e.epoch;
    j["base_model"] = e.base_model;
    j["val_accuracy"] = e.val_accuracy;
    j["retention_accuracy"] = e.retention_accuracy;
    j["retention_collapsed"] = e.retention_collapsed;
    j["best"] = e.best;
    j["predictions"] = Json::array();
    for (const auto& p : e.predictions) {
        Json top = Json::array();
        for (const auto& t : p.top) top.push_back({{"label", t.label}, {"probability", t.probability}});
        j["predictions"].push_back({{"photo", p.photo}, {"label", p.label}, {"top", top}});
    }
    return dump(j);
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
    return dump(j);
}

} // namespace phototune

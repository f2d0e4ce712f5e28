#pragma once
// The training facade: plain C++ settings, events and outcome of a LoRA training run, and the two
// calls that run and export one. The core's Trainer (core/train/trainer.h) uses these types too,
// so the GUI, the CLI and the core speak about a run in one vocabulary.
//
// A run lives in its folder (run.json, metrics.jsonl, checkpoints/, adapter/; see
// core/train/run_folder.h). run_training runs synchronously in the calling thread, reports through
// the observer from that thread, and checks the cancel token and the pause flag between steps.

#include "core/api/error.h"
#include "core/api/progress.h"
#include "core/api/result.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace phototune {

// What to train. Zero / empty means "choose for me" (scaled to the dataset; see TrainPlan).
struct TrainConfig {
    std::filesystem::path model_dir;  // Hugging Face CLIP folder
    std::filesystem::path data_dir;   // photos in label sub-folders and/or with sidecar captions
    std::filesystem::path project_file; // a studio project (phototune-cli dataset init, the window):
                                      // its photos, labels, captions, split and exclusions are used
                                      // instead of scanning data_dir; data_dir is then only where
                                      // predictions' relative paths start (its first folder)
    std::filesystem::path run_dir;    // the run folder (created; must be empty or absent unless resuming)

    // LoRA (peft's names)
    int rank = 8;
    double alpha = 16.0;
    double dropout = 0.0;
    std::vector<std::string> targets{"q_proj", "v_proj"};
    std::string towers = "both";      // both | vision | text
    int last_layers = 0;              // 0: every encoder layer

    // Length: steps wins over epochs; both 0 -> default epochs scaled to the dataset size.
    std::int64_t steps = 0;
    double epochs = 0.0;
    int batch = 0;                    // 0: 32, or fewer for small datasets
    double lr = 2e-4;
    double warmup = -1.0;             // < 0: 5 % of the steps; (0, 1): a fraction of the steps; >= 1: steps
    double weight_decay = 0.01;
    double max_grad_norm = 1.0;
    int accum = 1;                    // micro-batches per step (open_clip accum-freq: same negatives)
    std::string precision = "fp32";   // fp32 | bf16 | fp16 (CUDA only)
    bool grad_checkpointing = false;
    std::string loss = "clip";        // clip | siglip
    double val_split = 0.2;
    std::uint64_t seed = 0;
    std::int64_t eval_every = 0;      // steps; 0: about 8 evaluations per run (at least once per epoch when short)
    std::int64_t save_every = 0;      // steps; 0: about 5 checkpoints per run
    double save_every_minutes = 10.0; // also write a checkpoint after this much time (0: off)
    int keep_checkpoints = 2;         // the newest N (the best one is kept as well)
    std::string device = "auto";      // auto | cpu | cuda
    std::uint64_t memory_limit = 0;   // CPU: bytes of tensor memory the run may hold (0: no limit);
                                      // going over stops the run with advice on what would fit
    bool measure_memory = false;      // CPU: count tensor bytes and report the training steps' peak
                                      // (TrainOutcome::peak_step_bytes); not recorded in run.json

    // Photos. Their resized crops are kept on disk so a second run decodes nothing.
    bool image_cache = true;
    std::filesystem::path image_cache_dir; // empty: <user cache>/crops (see docs/formats.md)
    bool exact_decode = false;        // false: large JPEGs are decoded at 1/2..1/8 size first (faster,
                                      // pixels within a few levels of full-size decoding)
    bool augment = false;             // random resized crop (90-100 % of the area) and flips, per epoch
    bool label_prompts = false;       // train labelled photos on "a photo of a {label}." instead of
                                      // their captions: what the zero-shot evaluation asks

    // Resume the run in run_dir from its newest checkpoint (its run.json wins over the fields above,
    // except the ones below). A finished run is continued when extra_steps / extra_epochs > 0.
    bool resume = false;
    std::int64_t extra_steps = 0;
    double extra_epochs = 0.0;
};

// The resolved numbers, reported once before the first step.
struct TrainPlan {
    std::size_t train_photos = 0;
    std::size_t validation_photos = 0;
    std::size_t skipped_files = 0;
    std::vector<std::string> labels;  // sorted; the zero-shot classes of the evaluation
    int batch = 0;
    std::int64_t steps_per_epoch = 0;
    std::int64_t total_steps = 0;
    std::int64_t start_step = 0;      // > 0 when resuming
    std::int64_t warmup_steps = 0;
    double epochs = 0.0;
    double times_each_photo_seen = 0.0; // "each photo is seen about N times"
    std::int64_t eval_every = 0;
    std::int64_t save_every = 0;
    std::int64_t trainable_parameters = 0;
    std::string device;
    std::vector<std::string> warnings;
};

struct TrainStepEvent {
    std::int64_t step = 0;            // 1-based: steps done
    std::int64_t total_steps = 0;
    double epoch = 0.0;               // fractional epochs done
    double loss = 0.0;
    double ema_loss = 0.0;            // exponential moving average (0.9), what a curve should show
    double lr = 0.0;                  // the rate this step used
    double grad_norm = 0.0;
    double images_per_second = 0.0;
    double eta_seconds = 0.0;
    std::uint64_t resident_bytes = 0; // the process's memory in RAM after the step (0: unknown)
};

struct LabelProbability {
    std::string label;
    float probability = 0.0f;
};

struct PhotoPrediction {
    std::string photo;                // relative path in the dataset
    std::string file;                 // the photo's file (UTF-8), to show it; empty in runs written before it was added
    std::string label;                // the true label
    std::vector<LabelProbability> top;  // top 3, most probable first
};

struct TrainEvalEvent {
    std::int64_t step = 0;
    double epoch = 0.0;
    bool base_model = false;          // the untrained adapter (= the base model), once per run
    double val_accuracy = -1.0;       // zero-shot top-1 on the validation photos; < 0: no labels to test
    double retention_accuracy = -1.0; // zero-shot on the shipped generic probe set; < 0: not available
    bool retention_collapsed = false;
    bool best = false;                // this evaluation is the best so far (see trainer.h for the rule)
    std::vector<PhotoPrediction> predictions;
};

struct TrainCheckpointEvent {
    std::int64_t step = 0;
    std::filesystem::path folder;
    bool best = false;
};

enum class TrainStatus {
    Finished,   // every step done, adapter/ written
    Cancelled,  // stopped by the cancel token; a checkpoint of the last step was written
    Diverged,   // the loss became NaN/Inf: stopped, the last good checkpoint kept
    Failed,     // an error (see failure)
};
const char* train_status_name(TrainStatus status) noexcept; // "finished", ...

struct TrainOutcome {
    TrainStatus status = TrainStatus::Failed;
    Failure failure;                  // for Failed and Diverged: what happened and what to try
    std::int64_t steps_done = 0;
    std::int64_t total_steps = 0;
    double final_loss = 0.0;
    double base_val_accuracy = -1.0;
    double final_val_accuracy = -1.0;
    double best_val_accuracy = -1.0;
    std::int64_t best_step = 0;
    std::filesystem::path adapter_dir;     // run_dir/adapter when Finished
    std::filesystem::path last_checkpoint; // the newest good checkpoint, if any
    double seconds = 0.0;
    // With measure_memory: tensor bytes held at the training steps' peak (weights, LoRA and AdamW
    // state, frozen-tower cache, the batch and its activations), comparable with `phototune-cli plan`.
    std::uint64_t peak_step_bytes = 0;
};

enum class TrainLogLevel { Info, Warning };

// Every callback runs in the training thread; the defaults ignore the event.
class TrainObserver {
public:
    virtual ~TrainObserver() = default;
    virtual void on_plan(const TrainPlan&) {}
    virtual void on_step(const TrainStepEvent&) {}
    virtual void on_eval(const TrainEvalEvent&) {}
    virtual void on_checkpoint(const TrainCheckpointEvent&) {}
    virtual void on_log(TrainLogLevel, const std::string&) {}
    virtual void on_finished(const TrainOutcome&) {}
};

// Pauses a run between steps until resumed (or cancelled). Copies share one flag.
class PauseToken {
public:
    PauseToken() : m_state(std::make_shared<State>()) {}
    void pause() const;
    void resume() const;
    bool paused() const noexcept { return m_state->paused.load(); }
    // Blocks while paused; returns early when `cancel` is requested (polled every 100 ms).
    void wait_while_paused(const CancelToken& cancel) const;

private:
    struct State {
        std::atomic<bool> paused{false};
        std::mutex mutex;
        std::condition_variable resumed;
    };
    std::shared_ptr<State> m_state;
};

// Named starting points for the LoRA settings (rank, alpha, targets, towers): "default" (rank 8,
// alpha 16, q_proj + v_proj in both towers) and "clip-lora" (the CLIP-LoRA recipe of Zanella &
// Ben Ayed 2024 for few-shot CLIP: rank 2, alpha 1, q/k/v projections in both towers).
std::vector<std::string> lora_recipe_names();
// Sets the recipe's fields of `config`; false (and nothing changed) for an unknown name.
bool apply_lora_recipe(TrainConfig& config, const std::string& name);

// The built-in demo's settings for its untrained model (ensure_demo_model): LoRA of rank 64 on every
// linear layer and both projections, close to training the whole small model, at a high learning
// rate for 30 epochs of batch 32 on label prompts. An untrained model learns little through a
// small adapter; on the demo photos these take validation accuracy from about 29 % to about 46 %
// in under a minute on 2 cores (docs/benchmarks.md).
void apply_demo_settings(TrainConfig& config);

// Runs (or resumes) a training run. Never throws: errors end in an outcome with status Failed.
TrainOutcome run_training(const TrainConfig& config, TrainObserver& observer, const CancelToken& cancel = {},
                          const PauseToken& pause = {}) noexcept;

struct ExportedAdapter {
    std::filesystem::path folder;
    bool merged = false;
    std::int64_t step = 0;            // the training step the weights come from
    double strength = 1.0;
    std::map<std::string, std::string> metadata; // the provenance written with it (docs/formats.md)
    std::string python_snippet;       // how to load it with PEFT (or transformers, when merged)
};

// Writes the run's adapter (its adapter/ when finished, else its newest checkpoint) as a peft
// folder, or with merged = true a full Hugging Face model with the adapter folded in. strength
// scales the adapter's delta (0 = base model, 1 = as trained).
Result<ExportedAdapter> export_run(const std::filesystem::path& run_dir, const std::filesystem::path& out_dir,
                                   bool merged = false, double strength = 1.0) noexcept;

// A run as its folder tells it (run.json + metrics.jsonl + checkpoints/): what the run history
// shows and what two runs are compared on. Works on finished, stopped and killed runs.
struct RunHistory {
    std::filesystem::path run_dir;
    TrainConfig config;
    std::int64_t total_steps = 0;             // as planned (grows when a finished run is continued)
    std::vector<TrainStepEvent> steps;        // in step order
    std::vector<TrainEvalEvent> evaluations;  // the base-model evaluation first, when there was one
    std::int64_t latest_checkpoint_step = 0;  // 0: no checkpoint yet
    std::int64_t best_step = 0;               // 0: no best checkpoint marked
    bool finished = false;                    // adapter/ was written
};
Result<RunHistory> read_run_history(const std::filesystem::path& run_dir) noexcept;

// One JSON object on one line per event, for `phototune-cli train --events jsonl`.
std::string to_json_line(const TrainPlan& plan);
std::string to_json_line(const TrainStepEvent& event);
std::string to_json_line(const TrainEvalEvent& event);
std::string to_json_line(const TrainCheckpointEvent& event);
std::string to_json_line(TrainLogLevel level, const std::string& message);
std::string to_json_line(const TrainOutcome& outcome);

} // namespace phototune

#pragma once
// A run's settings made concrete: the defaults scaled to the dataset (batch, length, warm-up,
// evaluation and checkpoint cadence), the learning-rate schedule as segments (a continued run adds
// one: a warm restart), and run.json, which records all of it so that a resume needs nothing else.

#include "core/api/training.h"
#include "core/lora/lora_config.h"
#include "core/train/lr_schedule.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace phototune {

inline constexpr int kRunSchemaVersion = 1;

// Steps [start_step, end_step) follow `schedule` counted from start_step.
struct ScheduleSegment {
    std::int64_t start_step = 0;
    std::int64_t end_step = 0;
    LrSchedule schedule;
};

struct ResolvedRun {
    int batch = 0;
    std::int64_t steps_per_epoch = 0;
    std::int64_t eval_every = 0;
    std::int64_t save_every = 0;
    std::vector<ScheduleSegment> segments;

    std::int64_t total_steps() const { return segments.empty() ? 0 : segments.back().end_step; }
    double lr_at(std::int64_t step) const; // the rate of 0-based step `step`
    std::int64_t warmup_steps() const { return segments.empty() ? 0 : segments.back().schedule.warmup_steps; }
};

// Throws Error(InvalidInput) naming the setting (as the CLI flag) for out-of-range values.
void validate_train_config(const TrainConfig& config);

LoraSettings lora_settings_for(const TrainConfig& config);

// Default number of epochs for a dataset of `train_photos`: small sets need more passes
// (30 passes for 100 photos, 15 for 200, at least 5).
double default_epochs(std::size_t train_photos);

// The plan for a fresh run over `train_photos` training photos.
ResolvedRun resolve_run(const TrainConfig& config, std::size_t train_photos);

// Adds `extra_steps` (or `extra_epochs` of steps) as a new warm-up + cosine segment.
void extend_run(ResolvedRun& run, const TrainConfig& config, std::int64_t extra_steps, double extra_epochs);

// run.json: {"schema_version", "config": {...every TrainConfig field...}, "plan": {...}}.
std::string run_json_text(const TrainConfig& config, const ResolvedRun& run);
struct RunRecord {
    TrainConfig config;
    ResolvedRun run;
};
// Throws Error(InvalidInput) naming `source` for malformed JSON, missing fields or a newer schema.
RunRecord parse_run_json(std::string_view text, const std::filesystem::path& source);

} // namespace phototune

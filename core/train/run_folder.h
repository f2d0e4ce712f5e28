#pragma once
// A run folder on disk:
//   run.json          the full configuration and plan (schema_version)
//   metrics.jsonl     one JSON object per step and per evaluation, appended and flushed line by line
//   checkpoints/step-NNNNNN/   lora.safetensors (the trainable tensors, peft names),
//                     optimizer.safetensors (AdamW moments, loss scaler), trainer_state.json
//   checkpoints/best.json      {"step": N}: the checkpoint marked best
//   adapter/          the peft adapter, written when the run finishes
// A checkpoint is written into checkpoints/.partial-step-NNNNNN and renamed when complete, so a
// crash or a full disk never leaves a half checkpoint under a real name, and the previous one stays.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace phototune {

struct CheckpointContents {
    std::vector<std::pair<std::string, at::Tensor>> lora;  // lora.safetensors
    std::map<std::string, at::Tensor> training_state;      // optimizer.safetensors
    std::string trainer_state_json;                        // trainer_state.json
};

struct CheckpointRef {
    std::int64_t step = 0;
    std::filesystem::path folder;
};

class RunFolder {
public:
    explicit RunFolder(std::filesystem::path dir);
    ~RunFolder();
    RunFolder(const RunFolder&) = delete;
    RunFolder& operator=(const RunFolder&) = delete;

    const std::filesystem::path& dir() const { return m_dir; }
    std::filesystem::path run_json_path() const { return m_dir / "run.json"; }
    std::filesystem::path metrics_path() const { return m_dir / "metrics.jsonl"; }
    std::filesystem::path checkpoints_dir() const { return m_dir / "checkpoints"; }
    std::filesystem::path adapter_dir() const { return m_dir / "adapter"; }

    // Creates the folder for a new run (absent, or empty) and writes run.json. Throws
    // Error(InvalidInput) when it already holds a run (resume it or choose another folder), Io when
    // it cannot be created.
    void create(const std::string& run_json);
    void write_run_json(const std::string& run_json);
    bool has_run() const;

    // Appends one line and flushes it. Throws Error(Io) naming the file when the disk refuses.
    void append_metric(const std::string& json_line);
    // On resume: keeps only the lines of steps <= step (and drops a line torn by a crash).
    void truncate_metrics_after(std::int64_t step);

    // Writes a checkpoint and keeps the newest `keep` plus the step `protected_step` (the best).
    // Throws Error(Io) saying that the previous checkpoint is intact.
    CheckpointRef write_checkpoint(std::int64_t step, const CheckpointContents& contents, int keep, std::int64_t protected_step);
    std::vector<CheckpointRef> checkpoints() const; // complete ones, oldest first
    std::optional<CheckpointRef> latest_checkpoint() const;
    void mark_best(std::int64_t step);
    std::optional<std::int64_t> best_step() const;

private:
    void close_metrics();

    std::filesystem::path m_dir;
    std::FILE* m_metrics = nullptr;
};

// "step-000042"
std::string checkpoint_name(std::int64_t step);

class ClipModelImpl;

// Copies a checkpoint's lora.safetensors into the model's trainable parameters (the model carries
// the run's LoRA already). Throws Error(InvalidInput) when a tensor is missing or mis-shaped.
void restore_lora_weights(ClipModelImpl& model, const std::filesystem::path& lora_file);

} // namespace phototune

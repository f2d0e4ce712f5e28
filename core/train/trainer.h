#pragma once
// The training loop: data, model with LoRA, TrainStepper, evaluation, run folder, checkpoints and
// resume, in the calling thread, reporting through a TrainObserver (core/api/training.h).
//
// Determinism: step s uses the batch BatchSchedule gives for s, the learning rate the schedule
// gives for s, and LibTorch's generator re-seeded from (seed, s) just before it (LoRA dropout), so a
// run resumed from the checkpoint of step k computes exactly the later losses of an uninterrupted
// run on the same machine (bit for bit in fp32 on the CPU). No generator state needs saving.
//
// Evaluation: every eval_every steps and at the end, zero-shot accuracy of the validation photos
// against "a photo of a {label}." for every label, and the retention probe (retention_probe.h);
// once before the first step for the base model (LoRA's B is zero at start, so the adapted model
// is the base model then).
//
// Best checkpoint rule: an evaluation is the best so far when its validation accuracy is strictly
// higher than every earlier one of this run (the base model's included) and retention has not
// collapsed (retention_probe.h: more than 15 points below the base model's). A checkpoint of that
// step is written if none exists and marked in checkpoints/best.json; pruning never removes it.
//
// Failures: a NaN/Inf loss or gradient stops the run without writing a checkpoint (the last good
// one stays) and the outcome names the step and what to try; running out of memory throws
// Error(OutOfMemory) saying what would fit; a checkpoint that cannot be written throws Error(Io)
// with the previous checkpoint intact.

#include "core/api/training.h"

namespace phototune {

class Trainer {
public:
    explicit Trainer(TrainConfig config);

    // Trains until the plan's last step, a cancel (a checkpoint of the last step done is written
    // first) or divergence. Throws Error for everything else (run_training turns it into an outcome).
    TrainOutcome run(TrainObserver& observer, const CancelToken& cancel, const PauseToken& pause);

private:
    TrainConfig m_config;
};

} // namespace phototune

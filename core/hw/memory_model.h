#pragma once
// What a LoRA training step of this codebase's trainer (core/train/train_step.cpp on the CLIP model
// of core/model and LoraLinear of core/lora) holds at its peak, component by component, and how
// many floating-point operations it does. Plain C++: the wizard plans before any weight is loaded.
//
// Activations are counted tensor by tensor from what autograd keeps in this model's forward:
// PyTorch saves a tensor only when a gradient that needs it will be computed, so frozen linears
// keep nothing, LoRA keeps its inputs, a frozen tower keeps nothing, and layers below the lowest
// adapted one keep nothing. docs/memory-model.md derives every term and lists what was measured.

#include "core/api/hardware.h"

#include <cstdint>
#include <vector>

namespace phototune {

// Throws Error(InvalidInput) for sizes out of range, an unknown precision, device or tower.
void validate_training_setup(const TrainingSetup& setup);

// LoRA parameters the setup trains (r x (in + out) per adapted linear).
std::int64_t lora_parameter_count(const TrainingSetup& setup);

MemoryBreakdown predict_memory(const TrainingSetup& setup);

StepFlops predict_step_flops(const TrainingSetup& setup);

// What one step does with a tower (steady state: a cached frozen tower does nothing), for the time
// model's elementwise and per-operation terms.
struct TowerActivity {
    TowerShape shape;
    double forward_rows = 0.0;   // samples through the tower's forward (x2 with accumulation's feature pass)
    double backward_rows = 0.0;  // samples differentiated
    int backward_layers = 0;     // encoder layers differentiated (and recomputed with checkpointing)
    int adapted_linears = 0;     // LoRA-carrying linears per adapted layer
};
std::vector<TowerActivity> tower_activity(const TrainingSetup& setup);

} // namespace phototune

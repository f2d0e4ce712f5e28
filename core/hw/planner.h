#pragma once
// The hardware wizard's choice: given a memory budget, the dataset size and a goal, the model,
// LoRA rank and targets, batch and accumulation, precision, checkpointing and frozen-tower cache
// that fit, with a one-sentence explanation. Plain C++ on top of the memory and time model.
//
// Policy (docs/memory-model.md): the contrastive batch is what CLIP learns from, so each model is
// tried at the largest batch up to 64 (at least 32 where the dataset allows) before anything else;
// what does not fit is made to fit by gradient accumulation (same negatives, 1/K of the
// activations, one extra forward) or checkpointing (one extra forward, per-layer inputs only),
// whichever predicts faster. "fastest" trains the vision tower only (text embeddings cached) at
// rank 4 on the fastest model; "balanced" both towers at rank 8 on the largest model that takes at
// most 4x the fastest one's time and at most 10 minutes per epoch; "best" the largest model that
// fits, rank 16 on q, k, v, out. "Larger" means more forward FLOPs per photo (ViT-B/16 > B/32).

#include "core/api/hardware.h"

#include <string>
#include <vector>

namespace phototune {

struct PlannerModel {
    std::string id;
    std::string display_name;
    ModelShape shape;
};

// The usable part of a budget: 7 % (at least 256 MiB) is kept back for the allocator and the rest
// of the system.
std::uint64_t usable_budget(std::uint64_t budget_bytes);

// Throws Error(OutOfMemory) when nothing fits, Error(InvalidInput) without candidates or budget.
Recommendation plan_training(const RecommendRequest& request, const std::vector<PlannerModel>& models,
                             const DeviceThroughput& throughput);

// "ViT-B/16 at batch 32 with checkpointing: 6.9 of 8 GiB, about 4 min per epoch; each photo meets
// 31 negatives."
std::string explain(const Recommendation& recommendation);

std::vector<HardwarePreset> builtin_hardware_presets();
// request_for_preset (declared in core/api/hardware.h) is defined in planner.cpp beside the presets.

} // namespace phototune

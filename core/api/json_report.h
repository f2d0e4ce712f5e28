#pragma once
// JSON text for the facade's results, so that executables print machine-readable output without
// depending on a JSON library themselves.

#include "core/api/clip_engine.h"

#include <cstdint>
#include <string>
#include <vector>

namespace phototune {

// [49406, 320, ..., 49407] on one line.
std::string ids_to_json(const std::vector<std::int64_t>& ids);

// {"file": ..., "label": best label, "probabilities": {label: p, ...}} on one line.
std::string zero_shot_to_json(const ZeroShotPrediction& prediction, const std::vector<std::string>& labels);

// The model summary as one JSON object.
std::string model_summary_to_json(const ModelSummary& summary);

} // namespace phototune

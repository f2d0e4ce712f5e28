#pragma once
// JSON text for the facade's results, so that executables print machine-readable output without
// depending on a JSON library themselves.

#include "core/api/captioning.h"
#include "core/api/clip_engine.h"
#include "core/api/project.h"

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

// The caption run as one JSON object: each photo's path, label, tags, captions and token counts,
// and the sidecar outcome when sidecars were written.
std::string caption_report_to_json(const CaptionReport& report, const PhotoProject& project,
                                   const SidecarReport* sidecars = nullptr);

} // namespace phototune

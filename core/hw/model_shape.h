#pragma once
// The shape of a CLIP model as the memory and time model see it (core/api/hardware.h ModelShape),
// from a Hugging Face config.json, a catalogue entry, or back to a config for an untrained model of
// that shape (the probe run and the benchmarks train one).

#include "core/api/hardware.h"
#include "core/model/clip_config.h"
#include "core/zoo/model_catalog.h"

#include <string>

namespace phototune {

// Parameter counts are exact for the Hugging Face layout (each tower includes its projection).
ModelShape model_shape_from_config(const ClipConfig& config, const std::string& name);
// Throws Error(Unsupported) for entries whose towers are not plain transformers (MobileCLIP).
ModelShape model_shape_from_catalog(const ModelEntry& entry);
ClipConfig clip_config_for_shape(const ModelShape& shape);

} // namespace phototune

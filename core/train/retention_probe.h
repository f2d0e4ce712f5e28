#pragma once
// The retention probe: zero-shot accuracy on a small generic image set shipped with the studio
// (resources/retention/<label>/*.png, plain-noun labels unrelated to anyone's photos). A LoRA that
// overfits a user's photos can wreck what the model knew before; a drop of this accuracy against
// the base model's shows it. The shipped set is synthetic (rendered shapes, colours and patterns;
// see resources/retention/README.md): it detects a collapse of basic visual concepts, not a
// subtle loss of knowledge about real-world objects.

#include "core/data/clip_preprocess.h"
#include "core/data/crop_cache.h"
#include "core/data/image_decode.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace phototune {

struct RetentionProbe {
    std::vector<RgbImage> crops;
    std::vector<std::string> names;   // "<label>/<file>"
    std::vector<std::string> truth;
    std::vector<std::string> labels;  // sorted folder names
};

// Reads <dir>/<label>/*.png|*.jpg; nullopt when the folder is missing or has fewer than 2 labels.
std::optional<RetentionProbe> load_retention_probe(const std::filesystem::path& dir, CropCache& crops);

// The rule: retention has collapsed when its accuracy falls more than 15 points below the base
// model's (an untrained model's chance-level retention can therefore never collapse).
inline constexpr double kRetentionCollapseDrop = 0.15;
bool retention_collapsed(double base_accuracy, double accuracy);

} // namespace phototune

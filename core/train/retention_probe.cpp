#include "core/train/retention_probe.h"

#include "core/train/training_data.h"
#include "core/util/files.h"

#include <algorithm>

namespace phototune {

std::optional<RetentionProbe> load_retention_probe(const std::filesystem::path& dir, CropCache& crops)
{
    std::error_code error;
    if (!std::filesystem::is_directory(dir, error)) return std::nullopt;
    RetentionProbe probe;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.is_directory()) probe.labels.push_back(path_for_display(entry.path().filename()));
    std::sort(probe.labels.begin(), probe.labels.end());
    for (const auto& label : probe.labels) {
        std::vector<std::filesystem::path> images;
        for (const auto& entry : std::filesystem::directory_iterator(dir / std::filesystem::u8path(label))) {
            const auto ext = entry.path().extension();
            if (entry.is_regular_file() && (ext == ".png" || ext == ".jpg")) images.push_back(entry.path());
        }
        std::sort(images.begin(), images.end());
        for (const auto& image : images) {
            files.push_back(image);
            probe.names.push_back(label + "/" + path_for_display(image.filename()));
            probe.truth.push_back(label);
        }
    }
    if (probe.labels.size() < 2 || files.empty()) return std::nullopt;
    probe.crops = decode_and_crop(files, crops);
    return probe;
}

bool retention_collapsed(double base_accuracy, double accuracy)
{
    return base_accuracy >= 0 && accuracy >= 0 && accuracy < base_accuracy - kRetentionCollapseDrop;
}

} // namespace phototune

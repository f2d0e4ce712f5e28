#pragma once
// The dataset facade: what the studio makes of the folders and files a person drops in. Usable
// photos with their labels (sub-folder names, a kohya "10_name" prefix sets repeats) and sidecar
// captions; every file it will not use, with a reason a person understands; and duplicates.
// The rules are those of core/data/dataset_scan.h.

#include "core/api/progress.h"
#include "core/api/result.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace phototune {

struct ScannedPhoto {
    std::filesystem::path path;
    std::string relative_path;          // UTF-8, '/' separators, relative to its dropped folder
    std::string label;                  // "" for loose photos
    int repeats = 1;
    std::vector<std::string> captions;  // from name.txt / name.caption, one per line
    std::string format;                 // "jpeg", "png", ...
    std::uint32_t width = 0;            // as stored (before EXIF rotation)
    std::uint32_t height = 0;
};

struct SkippedPhoto {
    std::filesystem::path path;
    std::string reason;                 // stable id: "empty", "not-an-image", "damaged", "unsupported", ...
    std::string message;                // what is wrong and what to do
};

struct DuplicatePhoto {
    std::filesystem::path path;         // the later copy
    std::filesystem::path original;     // the first one, in scan order
    bool exact = true;                  // same bytes; false: the same picture re-saved (perceptual hash)
    int distance = 0;                   // Hamming distance of the perceptual hashes (0 for exact)
};

struct DatasetReport {
    std::vector<ScannedPhoto> photos;
    std::vector<SkippedPhoto> skipped;
    std::vector<DuplicatePhoto> duplicates;
    std::vector<std::pair<std::string, std::size_t>> label_counts; // sorted by label; "" counts loose photos
    std::vector<std::string> warnings;
    std::size_t ignored_files = 0;      // sidecars, metadata and OS junk (Thumbs.db, .DS_Store, ...)
};

struct ScanRequest {
    std::vector<std::filesystem::path> paths; // folders (recursively) and single files
    bool decode = true;                       // decode every photo: finds damaged files and near duplicates
};

// Progress is (files examined, files found), from the calling thread.
Result<DatasetReport> scan_photos(const ScanRequest& request, const ProgressCallback& progress = {},
                                  const CancelToken& cancel = {}) noexcept;

// {"items": [...], "skipped": [{"path", "reason", "message"}], "duplicates": [...],
//  "labels": {label: count}, "warnings": [...], "ignored_files": n} on one line.
std::string dataset_report_to_json(const DatasetReport& report);

} // namespace phototune

#pragma once
// Exporting the curated dataset in the formats open_clip trains from, so a person can take it to
// a bigger machine: a tab-separated CSV (`filepath<TAB>title`) and WebDataset tar shards.

#include "core/api/progress.h"
#include "core/data/project_file.h"

#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace phototune {

struct ExportSample {
    std::filesystem::path image;
    std::string caption;
};

// One sample per caption of each included item in `split`; an item without captions uses its
// label, and an item with neither is left out. With `apply_repeats`, a kohya `10_name` item is
// listed 10 times (what its repeats mean for training).
std::vector<ExportSample> export_samples(const Project& project, Split split, bool apply_repeats);

// Header `filepath\ttitle`, absolute paths; tabs and line breaks inside captions become spaces.
void write_open_clip_csv(std::span<const ExportSample> samples, const std::filesystem::path& csv);

struct ShardOptions {
    std::size_t samples_per_shard = 1000;
    int jpeg_quality = 95;  // for photos that are re-encoded (see below)
};

// Writes `folder/000000.tar`, `000001.tar`, ... each holding `samples_per_shard` samples as
// `<key>.jpg` + `<key>.txt` (key: the sample's 9-digit index). Upright JPEGs are copied byte for
// byte; other formats, and JPEGs with an EXIF rotation (which open_clip's loader would ignore),
// are decoded upright and re-encoded as JPEG. Each shard is written to a temporary name and
// renamed, so a shard that exists is complete. Returns the shard paths. Progress counts samples;
// a cancel request throws Error(Cancelled) and leaves only complete shards.
std::vector<std::filesystem::path> write_webdataset_shards(std::span<const ExportSample> samples,
                                                           const std::filesystem::path& folder,
                                                           const ShardOptions& options = {},
                                                           const ProgressCallback& progress = {},
                                                           const CancelToken* cancel = nullptr);

} // namespace phototune

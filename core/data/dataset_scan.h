#pragma once
// Turning the folders and files a person drops into a dataset: which photos are usable, their
// labels and captions, which files were skipped and why, and which photos are duplicates.
//
// Conventions (those of hobbyist trainers, kohya_ss in particular):
// - label: the name of the first folder below a dropped folder (`cats/indoor/a.jpg` -> "cats");
//   a kohya repeat prefix is split off (`10_cats` -> label "cats", repeats 10). Photos directly in a
//   dropped folder, and dropped files, have no label ("").
// - captions: a sidecar `photo.txt` and/or `photo.caption` next to `photo.jpg` (UTF-8, a BOM is
//   stripped, each non-empty trimmed line is one caption).
// - ignored without a word (counted in `ignored_files`): sidecars and metadata (.txt, .caption,
//   .json, .jsonl, .csv, .tsv, .toml, .yaml, .npz, .xmp, .md), OS junk (Thumbs.db, .DS_Store,
//   desktop.ini, AppleDouble `._*` files) and hidden or system folders (`.git`, `__MACOSX`, `@eaDir`).
//   Every other file that is not used is listed in `skipped` with a reason.

#include "core/api/progress.h"
#include "core/data/image_hash.h"
#include "core/data/image_sniff.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace phototune {

struct ScanOptions {
    std::uint32_t min_side = 32;               // smaller photos are "too small"
    std::uint64_t max_pixels = 100'000'000;    // larger (from the header, before decoding) are refused
    std::uint64_t max_file_bytes = 512ull << 20;
    bool decode = true;                        // fully decode each photo (finds damaged files; needed for near duplicates)
    int near_duplicate_max_distance = 4;       // dHash Hamming distance (of 64 bits) that counts as "the same photo"
    unsigned threads = 0;                      // 0: one per core
};

enum class SkipReason {
    Empty,              // zero bytes
    NotAnImage,
    Damaged,            // truncated or corrupt: the header is cut short, decoding fails, or a JPEG has no end
    Unsupported,        // a real image in a format the studio cannot read (HEIC, AVIF, RAW, GIF)
    TooManyPixels,      // decompression bomb guard
    FileTooLarge,
    TooSmall,
    Unreadable,         // permissions or an I/O error
    BrokenLink,
};

const char* skip_reason_name(SkipReason reason) noexcept;  // stable identifier, e.g. "too-small"
std::optional<SkipReason> skip_reason_from_name(std::string_view name) noexcept;

struct SkippedFile {
    std::filesystem::path path;
    SkipReason reason = SkipReason::NotAnImage;
    std::string message;  // for a person: what is wrong and what to do
};

struct DatasetItem {
    std::filesystem::path path;           // as found (root joined with the relative path)
    std::size_t root = 0;                 // index into DatasetScan::roots
    std::string relative_path;            // UTF-8, '/' separators, relative to the root (file name for a dropped file)
    std::string label;
    int repeats = 1;
    std::vector<std::string> captions;
    ImageFormat format = ImageFormat::Unknown;
    std::uint32_t width = 0;              // as stored in the file (before EXIF rotation)
    std::uint32_t height = 0;
    std::uint64_t file_size = 0;
    Sha256 sha256{};
    std::uint64_t perceptual_hash = 0;    // dHash; 0 when `decode` was off
};

enum class DuplicateKind { Exact, Near };

// `item` repeats `original` (both indices into items; original < item, the first in scan order).
struct Duplicate {
    std::size_t item = 0;
    std::size_t original = 0;
    DuplicateKind kind = DuplicateKind::Exact;
    int distance = 0;  // dHash Hamming distance; 0 for exact copies
};

struct DatasetScan {
    std::vector<std::filesystem::path> roots;
    std::vector<DatasetItem> items;       // sorted: by root, then by relative path
    std::vector<SkippedFile> skipped;
    std::vector<Duplicate> duplicates;
    std::vector<std::string> warnings;    // e.g. a caption file that is not UTF-8
    std::size_t ignored_files = 0;
};

// Scans folders (recursively, following links, never twice into one folder) and single files.
// Progress is reported from the calling thread as (files examined, files found). A cancel request
// stops the scan with Error(Cancelled). A missing root throws Error(NotFound).
DatasetScan scan_dataset(const std::vector<std::filesystem::path>& roots, const ScanOptions& options = {},
                         const ProgressCallback& progress = {}, const CancelToken* cancel = nullptr);

} // namespace phototune

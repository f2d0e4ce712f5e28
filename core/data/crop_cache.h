#pragma once
// The preprocessed-image cache: each photo's resized and centre-cropped uint8 pixels on disk, so
// that a second run (or a resumed one) skips decoding. An entry is keyed by the SHA-256 of the
// photo file's bytes and the preprocessing settings, so an edited photo or a model with another
// input size never reads a stale crop; it carries a checksum of its pixels, so a damaged entry
// is noticed, decoded again and rewritten. The hash of each photo file is remembered with its
// size and modification time (files/<hash of its path>.hash), so a cached run reads neither the
// photos nor their hashes again while they are unchanged, as make and git decide.

#include "core/data/clip_preprocess.h"
#include "core/data/image_decode.h"
#include "core/data/image_hash.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <optional>
#include <span>
#include <string>

namespace phototune {

// What decides a crop's pixels, as text: processor sizes and steps, reduced-size decoding, and a
// version bumped whenever decoding or resampling changes.
std::string crop_settings_fingerprint(const ClipImageProcessorConfig& processor, bool reduced_decode);

// The short side decode_image needs for this processor (0: no reduced-size decoding possible).
int min_short_side_for(const ClipImageProcessorConfig& processor);

// Decodes (at reduced size when `reduced_decode`) and resizes + crops, without any cache.
RgbImage decode_and_crop_bytes(std::span<const std::uint8_t> encoded, const std::string& name,
                               const ClipImageProcessorConfig& processor, bool reduced_decode);

struct CropCacheStats {
    std::size_t hits = 0;
    std::size_t misses = 0;   // no entry yet: decoded and stored
    std::size_t rebuilt = 0;  // an entry was damaged or not what its name says: decoded again
};

class CropCache {
public:
    // An empty folder disables the cache (every crop is decoded). Thread-safe.
    CropCache(std::filesystem::path folder, const ClipImageProcessorConfig& processor, bool reduced_decode);

    // The crop of the photo file: from its entry when valid, else decoded and stored. Throws like
    // decode_image for a photo that cannot be decoded; a cache that cannot be written only warns
    // once (the crop is still returned).
    RgbImage crop_for(const std::filesystem::path& photo);

    // Where the entry of a photo with these bytes lives (for tests and tools).
    std::filesystem::path entry_path(std::span<const std::uint8_t> photo_bytes) const;

    bool enabled() const noexcept { return !m_folder.empty(); }
    CropCacheStats stats() const noexcept;
    std::string write_warning() const;

private:
    using FileStampBytes = std::array<std::uint8_t, 16>; // size and modification time, u64 LE each
    std::filesystem::path entry_path_for(const Sha256& photo_hash) const;
    std::filesystem::path hash_record_path(const std::filesystem::path& photo) const;
    std::optional<Sha256> remembered_hash(const std::filesystem::path& photo, const FileStampBytes& stamp) const;
    void remember_hash(const std::filesystem::path& photo, const FileStampBytes& stamp, const Sha256& hash) const;

    std::filesystem::path m_folder;
    ClipImageProcessorConfig m_processor;
    bool m_reduced_decode;
    std::string m_fingerprint;
    std::atomic<std::size_t> m_hits{0}, m_misses{0}, m_rebuilt{0};
    mutable std::mutex m_warning_mutex;
    std::string m_write_warning; // the first failure to store an entry
};

} // namespace phototune

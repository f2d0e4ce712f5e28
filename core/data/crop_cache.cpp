#include "core/data/crop_cache.h"

#include "core/data/image_hash.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <optional>
#include <sstream>

namespace phototune {
namespace {

// Entry layout: magic (8) | width u32 LE | height u32 LE | SHA-256 of the pixels (32) | pixels.
constexpr std::array<char, 8> kMagic{'P', 'T', 'C', 'R', 'O', 'P', '1', '\n'};
constexpr std::size_t kHeaderSize = 8 + 4 + 4 + 32;
// Bump when decoding or resampling changes what a crop holds.
constexpr int kPixelPipelineVersion = 1;

void put_u32(std::uint8_t* at, std::uint32_t value)
{
    for (int i = 0; i < 4; ++i) at[i] = static_cast<std::uint8_t>(value >> (8 * i));
}

std::uint32_t get_u32(const std::uint8_t* at)
{
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i) value = (value << 8) | at[i];
    return value;
}

void put_u64(std::uint8_t* at, std::uint64_t value)
{
    put_u32(at, static_cast<std::uint32_t>(value));
    put_u32(at + 4, static_cast<std::uint32_t>(value >> 32));
}

// A photo file's size and modification time (u64 LE each): while both are unchanged, so is its
// content hash. None for a file changed in the last seconds: an edit within the file system's
// timestamp granularity could keep both, so such a file is hashed every time until it settles.
std::optional<std::array<std::uint8_t, 16>> settled_stamp_of(const std::filesystem::path& file)
{
    std::error_code size_error, time_error;
    const auto size = std::filesystem::file_size(file, size_error);
    const auto modified = std::filesystem::last_write_time(file, time_error);
    if (size_error || time_error || std::filesystem::file_time_type::clock::now() - modified < std::chrono::seconds(2))
        return std::nullopt;
    std::array<std::uint8_t, 16> stamp{};
    put_u64(stamp.data(), size);
    put_u64(stamp.data() + 8, static_cast<std::uint64_t>(modified.time_since_epoch().count()));
    return stamp;
}

// Remembered hash layout: magic (8) | size u64 LE | modification time u64 LE | SHA-256 of the file (32).
constexpr std::array<char, 8> kHashMagic{'P', 'T', 'F', 'H', 'A', 'S', 'H', '\n'};
constexpr std::size_t kHashRecordSize = 8 + 8 + 8 + 32;

// The crop in an entry file, or nothing when the entry is damaged in any way.
std::optional<RgbImage> parse_entry(std::span<const std::uint8_t> bytes)
{
    if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0)
        return std::nullopt;
    RgbImage crop;
    crop.width = static_cast<int>(get_u32(bytes.data() + 8));
    crop.height = static_cast<int>(get_u32(bytes.data() + 12));
    const std::uint64_t size = std::uint64_t(crop.width) * std::uint64_t(crop.height) * 3;
    if (crop.width <= 0 || crop.height <= 0 || bytes.size() != kHeaderSize + size) return std::nullopt;
    const auto pixels = bytes.subspan(kHeaderSize);
    Sha256 stored;
    std::memcpy(stored.data(), bytes.data() + 16, stored.size());
    if (sha256(pixels) != stored) return std::nullopt;
    crop.pixels.assign(pixels.begin(), pixels.end());
    return crop;
}

void write_entry(const std::filesystem::path& file, const RgbImage& crop)
{
    std::array<std::uint8_t, kHeaderSize> header{};
    std::memcpy(header.data(), kMagic.data(), kMagic.size());
    put_u32(header.data() + 8, static_cast<std::uint32_t>(crop.width));
    put_u32(header.data() + 12, static_cast<std::uint32_t>(crop.height));
    const Sha256 checksum = sha256(crop.pixels);
    std::memcpy(header.data() + 16, checksum.data(), checksum.size());
    std::filesystem::create_directories(file.parent_path());
    const std::array<std::span<const std::uint8_t>, 2> pieces{std::span<const std::uint8_t>(header),
                                                             std::span<const std::uint8_t>(crop.pixels)};
    write_file_atomic(file, pieces);
}

} // namespace

std::string crop_settings_fingerprint(const ClipImageProcessorConfig& p, bool reduced_decode)
{
    std::ostringstream text;
    text << "pipeline=" << kPixelPipelineVersion << " resize=" << p.do_resize << ':' << p.shortest_edge << ':'
         << p.resize_height << 'x' << p.resize_width << " crop=" << p.do_center_crop << ':' << p.crop_height << 'x'
         << p.crop_width << " resample=" << p.resample << " reduced=" << reduced_decode;
    return text.str();
}

int min_short_side_for(const ClipImageProcessorConfig& processor)
{
    if (!processor.do_resize) return 0;
    if (processor.shortest_edge > 0) return processor.shortest_edge;
    // An exact W x H resize needs both sides: a short side of max(W, H) guarantees that.
    return std::max(processor.resize_height, processor.resize_width);
}

RgbImage decode_and_crop_bytes(std::span<const std::uint8_t> encoded, const std::string& name,
                               const ClipImageProcessorConfig& processor, bool reduced_decode)
{
    const int min_short_side = reduced_decode ? min_short_side_for(processor) : 0;
    return clip_resize_and_crop(decode_image(encoded, name, min_short_side), processor);
}

CropCache::CropCache(std::filesystem::path folder, const ClipImageProcessorConfig& processor, bool reduced_decode)
    : m_folder(std::move(folder)), m_processor(processor), m_reduced_decode(reduced_decode),
      m_fingerprint(crop_settings_fingerprint(processor, reduced_decode))
{
}

std::filesystem::path CropCache::entry_path(std::span<const std::uint8_t> photo_bytes) const
{
    return entry_path_for(sha256(photo_bytes));
}

std::filesystem::path CropCache::hash_record_path(const std::filesystem::path& photo) const
{
    const auto absolute = std::filesystem::absolute(photo).u8string();
    return m_folder / "files" / (to_hex(sha256(std::span(reinterpret_cast<const std::uint8_t*>(absolute.data()), absolute.size()))) + ".hash");
}

std::optional<Sha256> CropCache::remembered_hash(const std::filesystem::path& photo, const FileStampBytes& stamp) const
{
    std::vector<std::uint8_t> record;
    try {
        record = read_binary_file(hash_record_path(photo));
    } catch (const Error&) {
        return std::nullopt;
    }
    if (record.size() != kHashRecordSize || std::memcmp(record.data(), kHashMagic.data(), kHashMagic.size()) != 0 ||
        std::memcmp(record.data() + 8, stamp.data(), stamp.size()) != 0)
        return std::nullopt;
    Sha256 hash;
    std::memcpy(hash.data(), record.data() + 24, hash.size());
    return hash;
}

void CropCache::remember_hash(const std::filesystem::path& photo, const FileStampBytes& stamp, const Sha256& hash) const
{
    std::array<std::uint8_t, kHashRecordSize> record{};
    std::memcpy(record.data(), kHashMagic.data(), kHashMagic.size());
    std::memcpy(record.data() + 8, stamp.data(), stamp.size());
    std::memcpy(record.data() + 24, hash.data(), hash.size());
    const auto file = hash_record_path(photo);
    std::filesystem::create_directories(file.parent_path());
    const std::array<std::span<const std::uint8_t>, 1> pieces{std::span<const std::uint8_t>(record)};
    write_file_atomic(file, pieces);
}

std::filesystem::path CropCache::entry_path_for(const Sha256& photo_hash) const
{
    std::string key_material(photo_hash.begin(), photo_hash.end());
    key_material += m_fingerprint;
    const std::string key = to_hex(sha256(std::span(reinterpret_cast<const std::uint8_t*>(key_material.data()),
                                                    key_material.size())));
    return m_folder / key.substr(0, 2) / (key + ".crop");
}

RgbImage CropCache::crop_for(const std::filesystem::path& photo)
{
    const std::string name = path_for_display(photo);
    if (!enabled()) return decode_and_crop_bytes(read_binary_file(photo), name, m_processor, m_reduced_decode);

    // An unchanged file's hash is remembered, so a cached photo is neither read nor hashed again.
    const auto stamp = settled_stamp_of(photo); // taken before reading: a change while reading gets a new stamp
    std::optional<Sha256> photo_hash = stamp ? remembered_hash(photo, *stamp) : std::nullopt;
    std::vector<std::uint8_t> bytes;
    if (!photo_hash) {
        bytes = read_binary_file(photo);
        photo_hash = sha256(bytes);
        if (stamp) {
            try {
                remember_hash(photo, *stamp, *photo_hash);
            } catch (const std::exception&) {
                // not remembered: hashed again next time; a cache that cannot be written warns below
            }
        }
    }

    const std::filesystem::path entry = entry_path_for(*photo_hash);
    std::error_code ec;
    const bool exists = std::filesystem::is_regular_file(entry, ec);
    if (exists) {
        std::optional<RgbImage> cached;
        try {
            cached = parse_entry(read_binary_file(entry));
        } catch (const Error&) {
            // unreadable: treated as damaged
        }
        if (cached) {
            ++m_hits;
            return std::move(*cached);
        }
        ++m_rebuilt;
    } else {
        ++m_misses;
    }
    if (bytes.empty()) bytes = read_binary_file(photo);
    RgbImage crop = decode_and_crop_bytes(bytes, name, m_processor, m_reduced_decode);
    try {
        write_entry(entry, crop);
    } catch (const std::exception& e) {
        const std::lock_guard lock(m_warning_mutex);
        if (m_write_warning.empty())
            m_write_warning = "the image cache in '" + path_for_display(m_folder) + "' cannot be written (" + e.what() +
                              "); photos are decoded every run";
    }
    return crop;
}

CropCacheStats CropCache::stats() const noexcept
{
    return {m_hits.load(), m_misses.load(), m_rebuilt.load()};
}

std::string CropCache::write_warning() const
{
    const std::lock_guard lock(m_warning_mutex);
    return m_write_warning;
}

} // namespace phototune

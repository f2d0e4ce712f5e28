#include "core/data/crop_cache.h"

#include "core/data/image_hash.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <algorithm>
#include <array>
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
    const Sha256 photo_hash = sha256(photo_bytes);
    std::string key_material(photo_hash.begin(), photo_hash.end());
    key_material += m_fingerprint;
    const std::string key = to_hex(sha256(std::span(reinterpret_cast<const std::uint8_t*>(key_material.data()),
                                                    key_material.size())));
    return m_folder / key.substr(0, 2) / (key + ".crop");
}

RgbImage CropCache::crop_for(const std::filesystem::path& photo)
{
    const std::vector<std::uint8_t> bytes = read_binary_file(photo);
    const std::string name = path_for_display(photo);
    if (!enabled()) return decode_and_crop_bytes(bytes, name, m_processor, m_reduced_decode);

    const std::filesystem::path entry = entry_path(bytes);
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

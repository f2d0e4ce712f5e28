#pragma once
// What kind of image a file holds, told from its bytes (never from its extension), and its size
// read from the header without decoding. Every read is bounds-checked: the input is hostile.

#include <cstdint>
#include <span>
#include <string_view>

namespace phototune {

enum class ImageFormat {
    Unknown,  // not an image the studio recognises
    Jpeg,
    Png,
    WebP,
    Bmp,
    Tiff,
    Gif,      // recognised, not decoded by OpenCV 4.6
    Heif,     // HEIC/HEIF (ISO BMFF 'ftyp' brands heic, heix, mif1, ...)
    Avif,
    Raw,      // camera RAW: CR2, CR3, NEF, ARW, DNG, ORF, RW2, RAF, ...
};

const char* image_format_name(ImageFormat format) noexcept;

// True for the formats the decoder can turn into pixels (JPEG, PNG, WebP, BMP, TIFF).
bool image_format_is_decodable(ImageFormat format) noexcept;

struct ImageSniff {
    ImageFormat format = ImageFormat::Unknown;
    // Pixel size as stored (before any EXIF rotation); 0 when the header does not say or is cut short.
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    // JPEG only: an end-of-image marker follows the first scan. A JPEG without one was cut off
    // (OpenCV would still "decode" it, filling the missing part with grey).
    bool jpeg_has_end_marker = false;
    // JPEG only: the EXIF orientation tag (1 = upright, 2..8 = mirrored and/or rotated).
    int exif_orientation = 1;

    bool has_size() const noexcept { return width > 0 && height > 0; }
};

// `bytes` is the whole file (JPEG headers can sit behind 64 KiB EXIF blocks). `file_name` is used
// only to tell camera RAW files that are plain TIFF inside (NEF, ARW, PEF, ...) from ordinary TIFFs;
// the RAW formats with their own signature (CR2, CR3, DNG, ORF, RW2, RAF) are found from content.
ImageSniff sniff_image(std::span<const std::uint8_t> bytes, std::string_view file_name = {});

} // namespace phototune

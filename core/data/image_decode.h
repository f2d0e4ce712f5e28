#pragma once
// Decoding a photo into 8-bit RGB exactly as Pillow's Image.open(...).convert("RGB") would see it,
// so that the pixels the studio trains on are the pixels Hugging Face's image processors see.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace phototune {

// Row-major, interleaved RGB (height x width x 3), 8 bits per channel.
struct RgbImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
};

// Decodes JPEG, PNG, TIFF, WebP, BMP, ... and converts to RGB like Pillow's convert("RGB"):
// alpha is dropped (not composited), grayscale is replicated, palettes are expanded, 16-bit
// samples keep their high byte, CMYK JPEGs use Pillow's Adobe polarity and CMYK->RGB formula.
// Unlike a bare Image.open, the EXIF orientation (JPEG, PNG, TIFF, WebP) is applied, so the
// image is upright as every photo viewer shows it (Pillow's ImageOps.exif_transpose).
// Throws Error(InvalidInput) naming `name_for_errors` for data that is not a decodable image,
// Error(Unsupported) for sample formats with no 8-bit meaning (float, signed).
//
// With `min_short_side` > 0, a JPEG whose short side is at least twice that is decoded at 1/2, 1/4
// or 1/8 scale by libjpeg's DCT scaling (the largest that keeps the short side >= min_short_side),
// which is several times faster for camera photos; the caller then resamples exactly as usual.
// Other formats, and CMYK JPEGs, are always decoded at full size.
RgbImage decode_image(std::span<const std::uint8_t> encoded, const std::string& name_for_errors, int min_short_side = 0);

// Reads the file through std::filesystem (Unicode names work on every platform), then decodes it.
RgbImage decode_image_file(const std::filesystem::path& path, int min_short_side = 0);

// The JPEG scale denominator (1, 2, 4 or 8) decode_image uses for an image of this stored size.
int jpeg_reduction_for(int width, int height, int min_short_side) noexcept;

} // namespace phototune

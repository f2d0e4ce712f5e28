#include "core/data/image_decode.h"

#include "core/util/error.h"
#include "core/util/files.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio> // jpeglib.h needs FILE and size_t declared first
#include <csetjmp>
#include <cstring>
#include <jpeglib.h>

#include <algorithm>
#include <cstdint>
#include <optional>

namespace phototune {
namespace {

using Bytes = std::span<const std::uint8_t>;

// Larger than any camera or scanner produces; guards the allocation of a hostile header.
constexpr std::uint64_t kMaxPixels = std::uint64_t{1} << 28;

std::uint32_t read_be(Bytes b, std::size_t at, int n)
{
    std::uint32_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | b[at + i];
    return v;
}

std::uint32_t read_le(Bytes b, std::size_t at, int n)
{
    std::uint32_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | b[at + i];
    return v;
}

bool starts_with(Bytes b, std::size_t at, std::string_view prefix)
{
    return b.size() >= at + prefix.size() && std::memcmp(b.data() + at, prefix.data(), prefix.size()) == 0;
}

// The Orientation tag (0x0112) of IFD0 in a TIFF structure (an EXIF block is one); 1 when absent.
int tiff_orientation(Bytes tiff)
{
    if (tiff.size() < 8) return 1;
    const bool little = starts_with(tiff, 0, "II");
    if (!little && !starts_with(tiff, 0, "MM")) return 1;
    const auto read = [&](std::size_t at, int n) { return little ? read_le(tiff, at, n) : read_be(tiff, at, n); };
    if (read(2, 2) != 42) return 1;
    const std::uint64_t ifd = read(4, 4);
    if (ifd + 2 > tiff.size()) return 1;
    const std::uint32_t entries = read(ifd, 2);
    for (std::uint32_t i = 0; i < entries; ++i) {
        const std::uint64_t entry = ifd + 2 + std::uint64_t{12} * i;
        if (entry + 12 > tiff.size()) return 1;
        if (read(entry, 2) != 0x0112) continue;
        const std::uint32_t type = read(entry + 2, 2);
        const std::uint32_t value = type == 3 ? read(entry + 8, 2) : type == 4 ? read(entry + 8, 4) : 1;
        return value >= 1 && value <= 8 ? static_cast<int>(value) : 1;
    }
    return 1;
}

struct ContainerFacts {
    int orientation = 1;
    bool four_channel_jpeg = false; // CMYK or YCCK: decoded here, OpenCV's conversion differs from Pillow's
    int jpeg_width = 0;             // from the JPEG frame header; 0 for other formats
    int jpeg_height = 0;
};

ContainerFacts scan_jpeg(Bytes b)
{
    ContainerFacts facts;
    bool exif_seen = false;
    std::size_t pos = 2;
    while (pos + 4 <= b.size()) {
        if (b[pos] != 0xFF) break;
        const std::uint8_t marker = b[pos + 1];
        if (marker == 0xFF) { // fill byte
            ++pos;
            continue;
        }
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            pos += 2;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA) break; // the metadata we need precedes the scan
        const std::size_t length = read_be(b, pos + 2, 2);
        if (length < 2 || pos + 2 + length > b.size()) break;
        const Bytes payload = b.subspan(pos + 4, length - 2);
        if (marker == 0xE1 && !exif_seen && starts_with(payload, 0, std::string_view("Exif\0\0", 6))) {
            facts.orientation = tiff_orientation(payload.subspan(6));
            exif_seen = true;
        }
        const bool start_of_frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (start_of_frame && payload.size() >= 6) {
            facts.jpeg_height = static_cast<int>(read_be(payload, 1, 2));
            facts.jpeg_width = static_cast<int>(read_be(payload, 3, 2));
            facts.four_channel_jpeg = payload[5] == 4;
        }
        pos += 2 + length;
    }
    return facts;
}

ContainerFacts scan_png(Bytes b)
{
    ContainerFacts facts;
    std::size_t pos = 8;
    while (pos + 12 <= b.size()) {
        const std::uint64_t length = read_be(b, pos, 4);
        if (pos + 12 + length > b.size()) break;
        if (starts_with(b, pos + 4, "eXIf")) {
            facts.orientation = tiff_orientation(b.subspan(pos + 8, length));
            break;
        }
        if (starts_with(b, pos + 4, "IEND")) break;
        pos += 12 + length;
    }
    return facts;
}

ContainerFacts scan_webp(Bytes b)
{
    ContainerFacts facts;
    std::size_t pos = 12;
    while (pos + 8 <= b.size()) {
        const std::uint64_t length = read_le(b, pos + 4, 4);
        if (pos + 8 + length > b.size()) break;
        if (starts_with(b, pos, "EXIF")) {
            Bytes exif = b.subspan(pos + 8, length);
            if (starts_with(exif, 0, std::string_view("Exif\0\0", 6))) exif = exif.subspan(6);
            facts.orientation = tiff_orientation(exif);
            break;
        }
        pos += 8 + length + (length & 1);
    }
    return facts;
}

ContainerFacts scan_container(Bytes b)
{
    if (starts_with(b, 0, "\xFF\xD8")) return scan_jpeg(b);
    if (starts_with(b, 0, "\x89PNG\r\n\x1A\n")) return scan_png(b);
    if (starts_with(b, 0, "RIFF") && starts_with(b, 8, "WEBP")) return scan_webp(b);
    if (starts_with(b, 0, "II*") || starts_with(b, 0, std::string_view("MM\0*", 4))) return {tiff_orientation(b), false};
    return {};
}

// libjpeg reports fatal errors through error_exit, which must not return: jump back instead.
struct JpegErrorManager {
    jpeg_error_mgr base;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

void jpeg_error_exit(j_common_ptr cinfo)
{
    auto* manager = reinterpret_cast<JpegErrorManager*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, manager->message);
    std::longjmp(manager->jump, 1);
}

void jpeg_silence(j_common_ptr, int) {}

// Pillow reads 4-channel JPEGs with Adobe polarity (samples inverted) and converts with
// r = (255 - k) - (c * (255 - k)) / 255, rounded its way (MULDIV255).
std::uint8_t pillow_cmyk_channel(std::uint8_t inverted_c, std::uint8_t inverted_k)
{
    const int c = 255 - inverted_c;
    const int nk = inverted_k; // 255 - k
    const int t = c * nk + 128;
    return static_cast<std::uint8_t>(nk - (((t >> 8) + t) >> 8));
}

// Returns nullopt with `error` set on failure. No C++ object is created between setjmp and the
// libjpeg calls that may jump, so none is skipped.
std::optional<RgbImage> decode_four_channel_jpeg(Bytes encoded, std::string& error)
{
    RgbImage image;
    std::vector<std::uint8_t> row;
    jpeg_decompress_struct cinfo;
    JpegErrorManager errors;
    cinfo.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = jpeg_error_exit;
    errors.base.emit_message = jpeg_silence;
    if (setjmp(errors.jump)) {
        error = errors.message;
        jpeg_destroy_decompress(&cinfo);
        return std::nullopt;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, encoded.data(), static_cast<unsigned long>(encoded.size()));
    jpeg_read_header(&cinfo, TRUE);
    cinfo.out_color_space = JCS_CMYK; // libjpeg turns YCCK into CMYK, as for Pillow
    if (std::uint64_t{cinfo.image_width} * cinfo.image_height > kMaxPixels) {
        std::snprintf(errors.message, sizeof errors.message, "%ux%u pixels is more than the studio decodes",
                      cinfo.image_width, cinfo.image_height);
        error = errors.message;
        jpeg_destroy_decompress(&cinfo);
        return std::nullopt;
    }
    jpeg_start_decompress(&cinfo);
    image.width = static_cast<int>(cinfo.output_width);
    image.height = static_cast<int>(cinfo.output_height);
    image.pixels.resize(std::size_t{cinfo.output_width} * cinfo.output_height * 3);
    row.resize(std::size_t{cinfo.output_width} * 4);
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW rows[1] = {row.data()};
        const std::size_t y = cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, rows, 1);
        std::uint8_t* dst = &image.pixels[y * image.width * 3];
        for (std::size_t x = 0; x < cinfo.output_width; ++x) {
            const std::uint8_t* s = &row[x * 4];
            for (int c = 0; c < 3; ++c) dst[x * 3 + c] = pillow_cmyk_channel(s[c], s[3]);
        }
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return image;
}

// OpenCV's BGR/BGRA/gray at 8 or 16 bits -> 8-bit RGB. 16-bit samples keep their high byte, as
// Pillow's PNG reader does for RGB(A) and LA. (Pillow 9.4 opens 16-bit gray as mode "I" and clips
// it to 255 in convert("RGB"), which whitens almost every pixel; the studio keeps the high byte.)
cv::Mat to_rgb8(const cv::Mat& decoded, const std::string& name)
{
    cv::Mat eight_bit;
    if (decoded.depth() == CV_8U) {
        eight_bit = decoded;
    } else if (decoded.depth() == CV_16U) {
        eight_bit.create(decoded.rows, decoded.cols, CV_MAKETYPE(CV_8U, decoded.channels()));
        const int samples = decoded.cols * decoded.channels();
        for (int y = 0; y < decoded.rows; ++y) {
            const auto* src = decoded.ptr<std::uint16_t>(y);
            auto* dst = eight_bit.ptr<std::uint8_t>(y);
            for (int i = 0; i < samples; ++i) dst[i] = static_cast<std::uint8_t>(src[i] >> 8);
        }
    } else {
        throw Error(ErrorCategory::Unsupported,
                    name + " holds " + (decoded.depth() == CV_32F || decoded.depth() == CV_64F ? "floating-point" : "signed") +
                        " samples, which have no standard 8-bit rendering; export it as an 8- or 16-bit PNG or a JPEG");
    }
    cv::Mat rgb;
    switch (eight_bit.channels()) {
    case 1: cv::cvtColor(eight_bit, rgb, cv::COLOR_GRAY2RGB); break;
    case 2: { // gray + alpha: keep the gray
        cv::Mat gray;
        cv::extractChannel(eight_bit, gray, 0);
        cv::cvtColor(gray, rgb, cv::COLOR_GRAY2RGB);
        break;
    }
    case 3: cv::cvtColor(eight_bit, rgb, cv::COLOR_BGR2RGB); break;
    case 4: cv::cvtColor(eight_bit, rgb, cv::COLOR_BGRA2RGB); break;
    default:
        throw Error(ErrorCategory::Unsupported, name + " has " + std::to_string(eight_bit.channels()) +
                                                    " channels; the studio reads gray, RGB and RGBA images");
    }
    return rgb;
}

// EXIF orientation -> the transform that makes the image upright (Pillow's exif_transpose).
cv::Mat apply_orientation(const cv::Mat& image, int orientation)
{
    cv::Mat out;
    switch (orientation) {
    case 2: cv::flip(image, out, 1); break;
    case 3: cv::rotate(image, out, cv::ROTATE_180); break;
    case 4: cv::flip(image, out, 0); break;
    case 5: cv::transpose(image, out); break;
    case 6: cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE); break;
    case 7: cv::transpose(image, out); cv::flip(out, out, -1); break;
    case 8: cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE); break;
    default: out = image; break;
    }
    return out;
}

RgbImage to_rgb_image(const cv::Mat& rgb)
{
    RgbImage image;
    image.width = rgb.cols;
    image.height = rgb.rows;
    image.pixels.resize(std::size_t(rgb.cols) * rgb.rows * 3);
    for (int y = 0; y < rgb.rows; ++y)
        std::memcpy(&image.pixels[std::size_t(y) * rgb.cols * 3], rgb.ptr(y), std::size_t(rgb.cols) * 3);
    return image;
}

} // namespace

int jpeg_reduction_for(int width, int height, int min_short_side) noexcept
{
    if (min_short_side <= 0) return 1;
    const int short_side = std::min(width, height);
    for (const int denominator : {8, 4, 2})
        if ((short_side + denominator - 1) / denominator >= min_short_side) return denominator; // libjpeg rounds up
    return 1;
}

RgbImage decode_image(std::span<const std::uint8_t> encoded, const std::string& name_for_errors, int min_short_side)
{
    PHOTOTUNE_CHECK(!encoded.empty(), ErrorCategory::InvalidInput,
                    name_for_errors + " is empty; remove it from the dataset or replace it with the original photo");
    const ContainerFacts facts = scan_container(encoded);

    cv::Mat rgb;
    if (facts.four_channel_jpeg) {
        std::string error;
        std::optional<RgbImage> image = decode_four_channel_jpeg(encoded, error);
        PHOTOTUNE_CHECK(image.has_value(), ErrorCategory::InvalidInput,
                        name_for_errors + " is a damaged CMYK JPEG (" + error + "); re-export it or remove it from the dataset");
        if (facts.orientation == 1) return std::move(*image);
        rgb = cv::Mat(image->height, image->width, CV_8UC3, image->pixels.data()).clone();
    } else {
        cv::Mat decoded;
        try {
            // OpenCV's buffer API takes a non-const Mat header; it does not write through it.
            const cv::Mat buffer(1, static_cast<int>(std::min<std::size_t>(encoded.size(), INT32_MAX)), CV_8U,
                                 const_cast<std::uint8_t*>(encoded.data()));
            // IMREAD_UNCHANGED keeps 16 bits and alpha, and skips OpenCV's own orientation handling.
            // A JPEG has neither, so its reduced-size mode loses nothing else.
            int flags = cv::IMREAD_UNCHANGED;
            switch (jpeg_reduction_for(facts.jpeg_width, facts.jpeg_height, min_short_side)) {
            case 2: flags = cv::IMREAD_REDUCED_COLOR_2 | cv::IMREAD_IGNORE_ORIENTATION; break;
            case 4: flags = cv::IMREAD_REDUCED_COLOR_4 | cv::IMREAD_IGNORE_ORIENTATION; break;
            case 8: flags = cv::IMREAD_REDUCED_COLOR_8 | cv::IMREAD_IGNORE_ORIENTATION; break;
            default: break;
            }
            decoded = cv::imdecode(buffer, flags);
        } catch (const cv::Exception& e) {
            throw Error(ErrorCategory::InvalidInput, name_for_errors + " could not be decoded (" + e.err +
                                                         "); re-export it as JPEG or PNG or remove it from the dataset");
        }
        PHOTOTUNE_CHECK(!decoded.empty(), ErrorCategory::InvalidInput,
                        name_for_errors + " is not an image the studio can read (damaged, or a format such as GIF or "
                                          "HEIC that it does not decode); convert it to JPEG or PNG or remove it");
        rgb = to_rgb8(decoded, name_for_errors);
    }
    return to_rgb_image(apply_orientation(rgb, facts.orientation));
}

RgbImage decode_image_file(const std::filesystem::path& path, int min_short_side)
{
    const std::vector<std::uint8_t> bytes = read_binary_file(path);
    return decode_image(bytes, path_for_display(path), min_short_side);
}

} // namespace phototune

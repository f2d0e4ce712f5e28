#include "core/data/image_sniff.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <string>

namespace phototune {

namespace {

// Bounds-checked little/big-endian reads: a read past the end yields nullopt-like `false`.
class Reader {
public:
    explicit Reader(std::span<const std::uint8_t> bytes) : m_bytes(bytes) {}

    std::size_t size() const noexcept { return m_bytes.size(); }
    bool has(std::size_t offset, std::size_t count) const noexcept
    {
        return offset <= m_bytes.size() && count <= m_bytes.size() - offset;
    }
    bool matches(std::size_t offset, std::string_view text) const noexcept
    {
        return has(offset, text.size()) && std::memcmp(m_bytes.data() + offset, text.data(), text.size()) == 0;
    }
    std::uint8_t u8(std::size_t offset) const noexcept { return has(offset, 1) ? m_bytes[offset] : 0; }
    std::uint32_t be(std::size_t offset, int count) const noexcept
    {
        if (!has(offset, static_cast<std::size_t>(count))) return 0;
        std::uint32_t value = 0;
        for (int i = 0; i < count; ++i) value = (value << 8) | m_bytes[offset + i];
        return value;
    }
    std::uint32_t le(std::size_t offset, int count) const noexcept
    {
        if (!has(offset, static_cast<std::size_t>(count))) return 0;
        std::uint32_t value = 0;
        for (int i = count - 1; i >= 0; --i) value = (value << 8) | m_bytes[offset + i];
        return value;
    }
    std::span<const std::uint8_t> bytes() const noexcept { return m_bytes; }

private:
    std::span<const std::uint8_t> m_bytes;
};

// Calls visit(tag, value) for each SHORT or LONG entry of the first IFD of a TIFF structure.
template <typename Visit>
void for_each_ifd0_entry(const Reader& r, Visit visit)
{
    const bool little_endian = r.u8(0) == 'I';
    auto read = [&](std::size_t offset, int count) { return little_endian ? r.le(offset, count) : r.be(offset, count); };
    const std::size_t ifd = read(4, 4);
    if (!r.has(ifd, 2)) return;
    const std::size_t entries = read(ifd, 2);
    for (std::size_t i = 0; i < entries; ++i) {
        const std::size_t entry = ifd + 2 + i * 12;
        if (!r.has(entry, 12)) return;
        const std::uint32_t type = read(entry + 2, 2);
        visit(read(entry, 2), type == 3 ? read(entry + 8, 2) : type == 4 ? read(entry + 8, 4) : 0);
    }
}

void sniff_tiff(const Reader& r, ImageSniff& out)
{
    for_each_ifd0_entry(r, [&](std::uint32_t tag, std::uint32_t value) {
        if (tag == 256) out.width = value;
        if (tag == 257) out.height = value;
        if (tag == 50706) out.format = ImageFormat::Raw;  // DNGVersion
    });
}

bool is_sof_marker(std::uint8_t marker) noexcept
{
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// Entropy-coded data never contains FF D9 (FF is always stuffed with 00 or followed by RSTn),
// so the first FF D9 after the start of scan is the end of the image.
bool has_end_marker_after(const Reader& r, std::size_t from) noexcept
{
    const auto bytes = r.bytes();
    for (std::size_t i = from; i + 1 < bytes.size(); ++i)
        if (bytes[i] == 0xFF && bytes[i + 1] == 0xD9) return true;
    return false;
}

void sniff_jpeg(const Reader& r, ImageSniff& out)
{
    std::size_t pos = 2;
    while (r.has(pos, 2)) {
        if (r.u8(pos) != 0xFF) return;  // damaged header
        const std::uint8_t marker = r.u8(pos + 1);
        if (marker == 0xFF) {  // fill byte
            ++pos;
            continue;
        }
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length field
            pos += 2;
            continue;
        }
        if (marker == 0xD9) return;  // end of image before any scan
        if (!r.has(pos + 2, 2)) return;
        const std::size_t length = r.be(pos + 2, 2);
        if (length < 2) return;
        const std::size_t segment_end = pos + 2 + length;
        if (segment_end > r.size()) return;  // cut off inside the header
        if (is_sof_marker(marker) && length >= 7 && out.width == 0) {
            out.height = r.be(pos + 5, 2);
            out.width = r.be(pos + 7, 2);
        }
        if (marker == 0xE1 && length >= 8 && r.matches(pos + 4, std::string_view("Exif\0\0", 6))) {
            const Reader exif(r.bytes().subspan(pos + 10, segment_end - (pos + 10)));
            for_each_ifd0_entry(exif, [&](std::uint32_t tag, std::uint32_t value) {
                if (tag == 274 && value >= 1 && value <= 8) out.exif_orientation = static_cast<int>(value);
            });
        }
        if (marker == 0xDA) {
            out.jpeg_has_end_marker = has_end_marker_after(r, segment_end);
            return;
        }
        pos = segment_end;
    }
}

void sniff_png(const Reader& r, ImageSniff& out)
{
    if (!r.matches(12, "IHDR")) return;
    out.width = r.be(16, 4);
    out.height = r.be(20, 4);
}

void sniff_webp(const Reader& r, ImageSniff& out)
{
    constexpr std::size_t data = 20;
    if (r.matches(12, "VP8 ")) {
        if (r.u8(data + 3) == 0x9D && r.u8(data + 4) == 0x01 && r.u8(data + 5) == 0x2A && r.has(data + 6, 4)) {
            out.width = r.le(data + 6, 2) & 0x3FFF;
            out.height = r.le(data + 8, 2) & 0x3FFF;
        }
    } else if (r.matches(12, "VP8L")) {
        if (r.u8(data) == 0x2F && r.has(data + 1, 4)) {
            const std::uint32_t bits = r.le(data + 1, 4);
            out.width = (bits & 0x3FFF) + 1;
            out.height = ((bits >> 14) & 0x3FFF) + 1;
        }
    } else if (r.matches(12, "VP8X")) {
        if (r.has(data + 4, 6)) {
            out.width = r.le(data + 4, 3) + 1;
            out.height = r.le(data + 7, 3) + 1;
        }
    }
}

void sniff_bmp(const Reader& r, ImageSniff& out)
{
    const std::uint32_t header_size = r.le(14, 4);
    if (header_size == 12) {  // OS/2 BITMAPCOREHEADER
        out.width = r.le(18, 2);
        out.height = r.le(20, 2);
    } else if (header_size >= 40 && r.has(18, 8)) {
        const auto width = static_cast<std::int32_t>(r.le(18, 4));
        const auto height = static_cast<std::int32_t>(r.le(22, 4));  // negative: stored top-down
        if (width > 0 && height != 0 && height != INT32_MIN) {
            out.width = static_cast<std::uint32_t>(width);
            out.height = static_cast<std::uint32_t>(height < 0 ? -height : height);
        }
    }
}

std::string lower_extension(std::string_view file_name)
{
    const auto dot = file_name.rfind('.');
    if (dot == std::string_view::npos) return {};
    std::string ext(file_name.substr(dot + 1));
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext;
}

// Camera RAW formats that are TIFF structures without a signature of their own.
bool is_tiff_based_raw_extension(std::string_view file_name)
{
    static constexpr std::array<std::string_view, 16> raw = {"nef", "nrw", "arw", "srf", "sr2", "pef", "dng", "cr2",
                                                             "3fr", "erf", "kdc", "mef", "mos", "rwl", "srw", "iiq"};
    const auto ext = lower_extension(file_name);
    return std::find(raw.begin(), raw.end(), ext) != raw.end();
}

// ISO base media file: the 'ftyp' box lists a major brand and compatible brands.
ImageFormat sniff_ftyp(const Reader& r)
{
    const std::size_t box_size = std::min<std::size_t>(r.be(0, 4), r.size());
    bool heif = false;
    bool avif = false;
    bool raw = false;
    for (std::size_t offset = 8; offset + 4 <= box_size; offset += 4) {
        if (offset == 12) continue;  // minor version, not a brand
        for (std::string_view brand : {"avif", "avis"}) avif = avif || r.matches(offset, brand);
        for (std::string_view brand : {"heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1"})
            heif = heif || r.matches(offset, brand);
        raw = raw || r.matches(offset, "crx ");
    }
    if (raw) return ImageFormat::Raw;
    if (avif) return ImageFormat::Avif;
    if (heif) return ImageFormat::Heif;
    return ImageFormat::Unknown;
}

} // namespace

const char* image_format_name(ImageFormat format) noexcept
{
    switch (format) {
    case ImageFormat::Unknown: return "unknown";
    case ImageFormat::Jpeg: return "JPEG";
    case ImageFormat::Png: return "PNG";
    case ImageFormat::WebP: return "WebP";
    case ImageFormat::Bmp: return "BMP";
    case ImageFormat::Tiff: return "TIFF";
    case ImageFormat::Gif: return "GIF";
    case ImageFormat::Heif: return "HEIC/HEIF";
    case ImageFormat::Avif: return "AVIF";
    case ImageFormat::Raw: return "camera RAW";
    }
    return "unknown";
}

bool image_format_is_decodable(ImageFormat format) noexcept
{
    switch (format) {
    case ImageFormat::Jpeg:
    case ImageFormat::Png:
    case ImageFormat::WebP:
    case ImageFormat::Bmp:
    case ImageFormat::Tiff: return true;
    default: return false;
    }
}

ImageSniff sniff_image(std::span<const std::uint8_t> bytes, std::string_view file_name)
{
    const Reader r(bytes);
    ImageSniff out;
    if (r.u8(0) == 0xFF && r.u8(1) == 0xD8 && r.u8(2) == 0xFF) {
        out.format = ImageFormat::Jpeg;
        sniff_jpeg(r, out);
    } else if (r.matches(0, "\x89PNG\r\n\x1a\n")) {
        out.format = ImageFormat::Png;
        sniff_png(r, out);
    } else if (r.matches(0, "RIFF") && r.matches(8, "WEBP")) {
        out.format = ImageFormat::WebP;
        sniff_webp(r, out);
    } else if (r.matches(0, "BM") && r.size() >= 26) {
        out.format = ImageFormat::Bmp;
        sniff_bmp(r, out);
    } else if (r.matches(0, "GIF87a") || r.matches(0, "GIF89a")) {
        out.format = ImageFormat::Gif;
        out.width = r.le(6, 2);
        out.height = r.le(8, 2);
    } else if (r.matches(0, "FUJIFILMCCD-RAW") || r.matches(0, "IIRO") || r.matches(0, "IIRS") ||
               r.matches(0, "MMOR") || r.matches(0, std::string_view("IIU\0", 4))) {
        out.format = ImageFormat::Raw;  // Fuji RAF, Olympus ORF, Panasonic RW2
    } else if (r.matches(0, std::string_view("II*\0", 4)) || r.matches(0, std::string_view("MM\0*", 4))) {
        out.format = ImageFormat::Tiff;
        sniff_tiff(r, out);
        const bool canon_cr2 = r.matches(8, "CR") && r.u8(10) == 2;
        if (canon_cr2 || is_tiff_based_raw_extension(file_name)) out.format = ImageFormat::Raw;
    } else if (r.matches(4, "ftyp")) {
        out.format = sniff_ftyp(r);
    }
    return out;
}

} // namespace phototune

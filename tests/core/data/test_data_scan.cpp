// Dataset scan on a hostile folder: every file is either used (with label, captions, size) or
// skipped with the right reason; duplicates are found; sniffing never reads out of bounds.
#include "core/data/dataset_import.h"
#include "core/data/dataset_scan.h"
#include "core/data/dataset_text.h"
#include "core/data/image_sniff.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <chrono>
#include <fstream>
#include <map>

#include <sys/stat.h>
#include <unistd.h>

using namespace phototune;
namespace fs = std::filesystem;

namespace {

fs::path u8path(const char8_t* text)
{
    return fs::path(text);
}

// A photo-like image whose structure depends on `seed`, so different seeds are not near duplicates.
cv::Mat pattern(int width, int height, int seed)
{
    cv::Mat blocks(6, 7, CV_8UC3);
    cv::RNG rng(static_cast<std::uint64_t>(seed) * 7919 + 1);
    rng.fill(blocks, cv::RNG::UNIFORM, 0, 256);
    cv::Mat image;
    cv::resize(blocks, image, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
    return image;
}

std::vector<std::uint8_t> encode(const std::string& extension, const cv::Mat& image, std::vector<int> params = {})
{
    std::vector<std::uint8_t> bytes;
    if (!cv::imencode(extension, image, bytes, params)) throw std::runtime_error("imencode failed for " + extension);
    return bytes;
}

// Plain writes (no fsync): the 10 000-file test would otherwise spend a minute flushing.
void write_bytes(const fs::path& path, std::span<const std::uint8_t> bytes)
{
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

void write_text(const fs::path& path, std::string_view text)
{
    write_bytes(path, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

std::vector<std::uint8_t> bytes_of(std::string_view text)
{
    return {text.begin(), text.end()};
}

void put_be32(std::vector<std::uint8_t>& out, std::uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}

// A PNG signature and IHDR claiming width x height, and nothing else: a decompression bomb's header.
std::vector<std::uint8_t> png_header(std::uint32_t width, std::uint32_t height)
{
    auto out = bytes_of("\x89PNG\r\n\x1a\n");
    put_be32(out, 13);
    for (char c : std::string("IHDR")) out.push_back(static_cast<std::uint8_t>(c));
    put_be32(out, width);
    put_be32(out, height);
    for (std::uint8_t b : {8, 2, 0, 0, 0}) out.push_back(b);
    put_be32(out, 0);  // CRC, not checked by the sniffer
    return out;
}

// A little-endian TIFF whose first IFD holds the given (tag, LONG value) entries.
std::vector<std::uint8_t> tiff_with_tags(std::vector<std::pair<std::uint16_t, std::uint32_t>> tags, std::string_view at8 = {})
{
    std::vector<std::uint8_t> out = {'I', 'I', 42, 0, 16, 0, 0, 0};
    for (std::size_t i = 0; i < 8; ++i) out.push_back(i < at8.size() ? static_cast<std::uint8_t>(at8[i]) : 0);
    out.push_back(static_cast<std::uint8_t>(tags.size()));
    out.push_back(0);
    for (const auto& [tag, value] : tags) {
        for (std::uint32_t v : {std::uint32_t{tag}, 4u}) {
            out.push_back(static_cast<std::uint8_t>(v));
            out.push_back(static_cast<std::uint8_t>(v >> 8));
        }
        for (std::uint32_t v : {1u, value})
            for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
    }
    for (int i = 0; i < 4; ++i) out.push_back(0);
    return out;
}

std::vector<std::uint8_t> ftyp(std::string_view major, std::string_view compatible)
{
    std::vector<std::uint8_t> out;
    put_be32(out, static_cast<std::uint32_t>(16 + compatible.size()));
    for (char c : std::string("ftyp") + std::string(major) + std::string("\0\0\0\0", 4) + std::string(compatible))
        out.push_back(static_cast<std::uint8_t>(c));
    for (int i = 0; i < 64; ++i) out.push_back(0);
    return out;
}

fs::path source_data(const char* name)
{
    return fs::path(PHOTOTUNE_SOURCE_DIR) / "tests/data/scan" / name;
}

const DatasetItem* find_item(const DatasetScan& scan, const std::string& relative)
{
    for (const auto& item : scan.items)
        if (item.relative_path == relative) return &item;
    return nullptr;
}

const SkippedFile* find_skipped(const DatasetScan& scan, const fs::path& path)
{
    for (const auto& skipped : scan.skipped)
        if (skipped.path == path) return &skipped;
    return nullptr;
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class TestDataScan : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sniffs_formats_and_sizes();
    void sniffs_raw_heif_and_avif();
    void sniffing_cut_short_input_is_safe();
    void caption_text_rules();
    void hostile_folder();
    void single_files_and_missing_roots();
    void ten_thousand_files_progress_and_speed();
    void cancel_stops_the_scan();
    void imports_open_clip_csv();
    void imports_imagefolder_metadata();
    void imports_coco_captions();
};

void TestDataScan::sniffs_formats_and_sizes()
{
    const cv::Mat image = pattern(70, 45, 1);
    const struct {
        const char* extension;
        ImageFormat format;
        std::vector<int> params;
    } cases[] = {
        {".jpg", ImageFormat::Jpeg, {}},
        {".png", ImageFormat::Png, {}},
        {".webp", ImageFormat::WebP, {cv::IMWRITE_WEBP_QUALITY, 80}},   // lossy: VP8
        {".webp", ImageFormat::WebP, {cv::IMWRITE_WEBP_QUALITY, 101}},  // lossless: VP8L
        {".bmp", ImageFormat::Bmp, {}},
        {".tiff", ImageFormat::Tiff, {}},
    };
    for (const auto& c : cases) {
        const auto bytes = encode(c.extension, image, c.params);
        const ImageSniff sniff = sniff_image(bytes);
        QCOMPARE(sniff.format, c.format);
        QCOMPARE(sniff.width, 70u);
        QCOMPARE(sniff.height, 45u);
    }
    QVERIFY(sniff_image(encode(".jpg", image)).jpeg_has_end_marker);

    // WebP extended (VP8X) header: canvas size stored minus one, 24 bits each.
    auto vp8x = bytes_of(std::string("RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0", 24));
    for (std::uint8_t b : {0x1F, 0x4E, 0x00, 0xDF, 0x2E, 0x00}) vp8x.push_back(b);  // 20000 x 12000
    const ImageSniff extended = sniff_image(vp8x);
    QCOMPARE(extended.format, ImageFormat::WebP);
    QCOMPARE(extended.width, 20000u);
    QCOMPARE(extended.height, 12000u);

    // EXIF orientation is read from the JPEG's APP1 block.
    const auto rotated = read_binary_file(source_data("rotated.jpg"));
    QCOMPARE(sniff_image(rotated).exif_orientation, 6);
    QCOMPARE(sniff_image(encode(".jpg", image)).exif_orientation, 1);

    QCOMPARE(sniff_image(bytes_of("hello, world")).format, ImageFormat::Unknown);
    QCOMPARE(sniff_image({}).format, ImageFormat::Unknown);
}

void TestDataScan::sniffs_raw_heif_and_avif()
{
    QCOMPARE(sniff_image(ftyp("heic", "mif1heic")).format, ImageFormat::Heif);
    QCOMPARE(sniff_image(ftyp("mif1", "mif1heic")).format, ImageFormat::Heif);
    QCOMPARE(sniff_image(ftyp("avif", "mif1avif")).format, ImageFormat::Avif);
    QCOMPARE(sniff_image(ftyp("mif1", "mif1avif")).format, ImageFormat::Avif);
    QCOMPARE(sniff_image(ftyp("crx ", "crx isom")).format, ImageFormat::Raw);  // Canon CR3
    QCOMPARE(sniff_image(ftyp("isom", "isommp41")).format, ImageFormat::Unknown);  // an MP4 video

    const auto plain_tiff = tiff_with_tags({{256, 640}, {257, 480}});
    const ImageSniff tiff = sniff_image(plain_tiff, "scan.tif");
    QCOMPARE(tiff.format, ImageFormat::Tiff);
    QCOMPARE(tiff.width, 640u);
    QCOMPARE(tiff.height, 480u);
    QCOMPARE(sniff_image(plain_tiff, "DSC_0001.NEF").format, ImageFormat::Raw);
    QCOMPARE(sniff_image(plain_tiff, "DSC01234.arw").format, ImageFormat::Raw);
    QCOMPARE(sniff_image(tiff_with_tags({{256, 64}, {50706, 0x01040000}}), "renamed.tif").format, ImageFormat::Raw);  // DNG
    QCOMPARE(sniff_image(tiff_with_tags({{256, 64}}, std::string_view("CR\x02\0", 4)), "x.tif").format, ImageFormat::Raw);
    QCOMPARE(sniff_image(bytes_of("FUJIFILMCCD-RAW 0201")).format, ImageFormat::Raw);
    QCOMPARE(sniff_image(bytes_of("GIF89a\x40\x01\xf0\x00")).format, ImageFormat::Gif);
    QCOMPARE(sniff_image(bytes_of("GIF89a\x40\x01\xf0\x00")).width, 320u);
}

void TestDataScan::sniffing_cut_short_input_is_safe()
{
    // Every prefix of every kind of header, plus garbage after valid magic: nothing may read out of
    // bounds (this test runs under AddressSanitizer) and nothing claims a size it could not read.
    const cv::Mat image = pattern(40, 33, 2);
    std::vector<std::vector<std::uint8_t>> samples = {
        encode(".jpg", image), encode(".png", image), encode(".webp", image, {cv::IMWRITE_WEBP_QUALITY, 80}),
        encode(".webp", image, {cv::IMWRITE_WEBP_QUALITY, 101}), encode(".bmp", image), encode(".tiff", image),
        read_binary_file(source_data("rotated.jpg")), ftyp("mif1", "mif1heic"), png_header(20000, 20000),
        tiff_with_tags({{256, 1}, {257, 1}, {50706, 1}})};
    for (const auto& sample : samples) {
        const ImageSniff full = sniff_image(sample);
        for (std::size_t length = 0; length < sample.size(); ++length) {
            std::vector<std::uint8_t> prefix(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(length));
            const ImageSniff cut = sniff_image(prefix);  // its own allocation, so ASan sees overruns
            if (cut.format == ImageFormat::Jpeg) QVERIFY(!cut.jpeg_has_end_marker || length >= sample.size() - 2);
        }
        Q_UNUSED(full);
    }
    // TIFF whose IFD offset and entry count point far outside the file; JPEG segment lengths of 0 and 1.
    QCOMPARE(sniff_image(bytes_of(std::string("II*\0\xff\xff\xff\x7f", 8))).width, 0u);
    QCOMPARE(sniff_image(bytes_of(std::string("II*\0\x08\0\0\0\xff\xff", 10))).width, 0u);
    QCOMPARE(sniff_image(bytes_of(std::string("\xff\xd8\xff\xe0\x00\x00", 6))).width, 0u);
    QCOMPARE(sniff_image(bytes_of(std::string("\xff\xd8\xff\xc0\x00\x01\x08", 7))).width, 0u);
    QCOMPARE(sniff_image(bytes_of(std::string("BM\0\0\0\0\0\0\0\0\0\0\0\0\x28\0\0\0\0\0\0\x80\0\0\0\x80", 26))).width, 0u);
}

void TestDataScan::caption_text_rules()
{
    QCOMPARE(parse_caption_text("\xEF\xBB\xBF  a cat on a sofa \r\n\r\n\tsecond caption\r\n"),
             (std::vector<std::string>{"a cat on a sofa", "second caption"}));
    QCOMPARE(parse_caption_text(""), std::vector<std::string>{});
    QCOMPARE(parse_caption_text("고양이 🐱"), std::vector<std::string>{"고양이 🐱"});
    std::string latin1 = "caf\xE9 au lait";
    QVERIFY(repair_utf8(latin1));
    QCOMPARE(latin1, std::string("caf\xEF\xBF\xBD au lait"));
    std::string fine = "café 사진 📷";
    QVERIFY(!repair_utf8(fine));
    QCOMPARE(fine, std::string("café 사진 📷"));
}

void TestDataScan::hostile_folder()
{
    QTemporaryDir temp;
    const fs::path root = fs::path(temp.path().toStdString()) / "dataset";

    // Good photos in every supported format, with sidecar captions.
    const auto photo = encode(".jpg", pattern(64, 48, 1), {cv::IMWRITE_JPEG_QUALITY, 92});
    write_bytes(root / "cats/photo.jpg", photo);
    write_text(root / "cats/photo.txt", "\xEF\xBB\xBF" "a cat on a sofa\r\n  second caption  \r\n\r\n");
    write_bytes(root / "cats/photo_copy.jpg", photo);  // exact duplicate
    write_bytes(root / "cats/photo_resized.jpg", encode(".jpg", pattern(128, 96, 1), {cv::IMWRITE_JPEG_QUALITY, 70}));
    write_bytes(root / "cats/good.png", encode(".png", pattern(50, 40, 2)));
    write_text(root / "cats/good.caption", "a cat\n");
    write_bytes(root / "cats/good.webp", encode(".webp", pattern(50, 40, 3), {cv::IMWRITE_WEBP_QUALITY, 90}));
    write_bytes(root / "cats/good.bmp", encode(".bmp", pattern(50, 40, 4)));
    write_bytes(root / "cats/good.tiff", encode(".tiff", pattern(50, 40, 5)));
    write_bytes(root / "10_dogs/dog.jpg", encode(".jpg", pattern(80, 60, 6)));
    write_bytes(root / "10_dogs/nested/deep.jpg", encode(".jpg", pattern(80, 60, 7)));
    write_bytes(root / "root.jpg", encode(".jpg", pattern(40, 40, 8)));
    cv::Mat grey;
    cv::cvtColor(pattern(60, 50, 9), grey, cv::COLOR_BGR2GRAY);
    write_bytes(root / "formats/grey.png", encode(".png", grey));
    for (const char* name : {"cmyk.jpg", "rgb16.png", "palette.png", "rotated.jpg"})
        write_bytes(root / "formats" / name, read_binary_file(source_data(name)));
    write_bytes(root / u8path(u8"고양이/사진 🐱.jpg"), encode(".jpg", pattern(48, 48, 10)));
    write_bytes(root / u8path(u8"고양이/📷.png"), encode(".png", pattern(48, 48, 11)));

    // Files that must be skipped, each for its own reason.
    const fs::path hostile = root / "hostile";
    write_bytes(hostile / "empty.jpg", {});
    write_text(hostile / "text.jpg", "this is not a photo");
    const auto truncated = encode(".jpg", pattern(64, 64, 12));
    write_bytes(hostile / "truncated.jpg", std::span(truncated).first(truncated.size() / 2));
    auto garbage_png = encode(".png", pattern(64, 64, 13));
    for (std::size_t i = 41; i < garbage_png.size() - 12; ++i) garbage_png[i] = static_cast<std::uint8_t>(i * 31);
    write_bytes(hostile / "garbage.png", garbage_png);
    write_bytes(hostile / "IMG_0001.heic", ftyp("heic", "mif1heic"));
    write_bytes(hostile / "DSC_0001.nef", tiff_with_tags({{256, 6000}, {257, 4000}}));
    write_bytes(hostile / "bomb.png", png_header(20000, 20000));
    write_bytes(hostile / "tiny.png", encode(".png", cv::Mat(1, 1, CV_8UC3, cv::Scalar(1, 2, 3))));
    write_bytes(hostile / "narrow.png", encode(".png", pattern(200, 20, 14)));
    fs::create_symlink(hostile / "gone.jpg", hostile / "broken_link.jpg");
    write_bytes(hostile / "locked.jpg", encode(".jpg", pattern(40, 40, 15)));
    fs::permissions(hostile / "locked.jpg", fs::perms::none);
    // Ignored without a word.
    write_text(hostile / "Thumbs.db", "junk");
    write_text(hostile / ".DS_Store", "junk");
    write_text(hostile / "desktop.ini", "[.ShellClassInfo]");
    write_text(root / ".git/config", "[core]");

    std::vector<std::pair<std::size_t, std::size_t>> calls;
    const DatasetScan scan = scan_dataset({root}, {}, [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); });

    // Used photos, with labels, repeats and captions.
    const std::vector<std::string> used = {"10_dogs/dog.jpg", "10_dogs/nested/deep.jpg", "cats/good.bmp",
                                           "cats/good.png", "cats/good.tiff", "cats/good.webp", "cats/photo.jpg",
                                           "cats/photo_copy.jpg", "cats/photo_resized.jpg", "formats/cmyk.jpg",
                                           "formats/grey.png", "formats/palette.png", "formats/rgb16.png",
                                           "formats/rotated.jpg", "root.jpg", "고양이/사진 🐱.jpg", "고양이/📷.png"};
    const bool root_user = geteuid() == 0;  // root reads a chmod 000 file: then locked.jpg is a good photo
    QCOMPARE(scan.items.size(), used.size() + (root_user ? 1 : 0));
    for (const auto& relative : used) QVERIFY2(find_item(scan, relative), relative.c_str());

    const auto* cat = find_item(scan, "cats/photo.jpg");
    QCOMPARE(cat->label, std::string("cats"));
    QCOMPARE(cat->repeats, 1);
    QCOMPARE(cat->captions, (std::vector<std::string>{"a cat on a sofa", "second caption"}));
    QCOMPARE(cat->width, 64u);
    QCOMPARE(cat->height, 48u);
    QCOMPARE(cat->format, ImageFormat::Jpeg);
    QCOMPARE(find_item(scan, "cats/good.png")->captions, std::vector<std::string>{"a cat"});
    QCOMPARE(find_item(scan, "10_dogs/dog.jpg")->label, std::string("dogs"));
    QCOMPARE(find_item(scan, "10_dogs/dog.jpg")->repeats, 10);
    QCOMPARE(find_item(scan, "10_dogs/nested/deep.jpg")->label, std::string("dogs"));
    QCOMPARE(find_item(scan, "root.jpg")->label, std::string());
    QCOMPARE(find_item(scan, "고양이/📷.png")->label, std::string("고양이"));
    QVERIFY(find_item(scan, "고양이/사진 🐱.jpg")->path == root / u8path(u8"고양이/사진 🐱.jpg"));
    QCOMPARE(find_item(scan, "formats/rotated.jpg")->width, 64u);  // as stored; decoding turns it upright
    QCOMPARE(find_item(scan, "cats/good.webp")->format, ImageFormat::WebP);
    QCOMPARE(find_item(scan, "cats/good.tiff")->format, ImageFormat::Tiff);
    QCOMPARE(find_item(scan, "cats/good.bmp")->format, ImageFormat::Bmp);

    // Skipped files and their reasons.
    const std::map<std::string, SkipReason> expected = {
        {"empty.jpg", SkipReason::Empty},         {"text.jpg", SkipReason::NotAnImage},
        {"truncated.jpg", SkipReason::Damaged},   {"garbage.png", SkipReason::Damaged},
        {"IMG_0001.heic", SkipReason::Unsupported}, {"DSC_0001.nef", SkipReason::Unsupported},
        {"bomb.png", SkipReason::TooManyPixels},  {"tiny.png", SkipReason::TooSmall},
        {"narrow.png", SkipReason::TooSmall},     {"broken_link.jpg", SkipReason::BrokenLink},
    };
    for (const auto& [name, reason] : expected) {
        const SkippedFile* skipped = find_skipped(scan, hostile / name);
        QVERIFY2(skipped, name.c_str());
        QVERIFY2(skipped->reason == reason, (name + ": " + skip_reason_name(skipped->reason) + " " + skipped->message).c_str());
        QVERIFY(!skipped->message.empty());
    }
    if (!root_user) {
        const SkippedFile* locked = find_skipped(scan, hostile / "locked.jpg");
        QVERIFY(locked);
        QCOMPARE(locked->reason, SkipReason::Unreadable);
    }
    QCOMPARE(scan.skipped.size(), expected.size() + (root_user ? 0 : 1));
    QVERIFY(contains(find_skipped(scan, hostile / "DSC_0001.nef")->message, "darktable/RawTherapee"));
    QVERIFY(contains(find_skipped(scan, hostile / "IMG_0001.heic")->message, "JPEG"));
    QVERIFY(contains(find_skipped(scan, hostile / "bomb.png")->message, "20000x20000"));
    QVERIFY(contains(find_skipped(scan, hostile / "truncated.jpg")->message, "truncated"));
    // Sidecars (2), Thumbs.db, .DS_Store, desktop.ini; the .git folder is not entered.
    QCOMPARE(scan.ignored_files, std::size_t{5});

    // Duplicates: the byte-identical copy and the re-saved larger version, both of photo.jpg.
    QCOMPARE(scan.duplicates.size(), std::size_t{2});
    const auto index_of = [&](const std::string& relative) { return static_cast<std::size_t>(find_item(scan, relative) - scan.items.data()); };
    QCOMPARE(scan.duplicates[0].item, index_of("cats/photo_copy.jpg"));
    QCOMPARE(scan.duplicates[0].original, index_of("cats/photo.jpg"));
    QCOMPARE(scan.duplicates[0].kind, DuplicateKind::Exact);
    QCOMPARE(scan.duplicates[1].item, index_of("cats/photo_resized.jpg"));
    QCOMPARE(scan.duplicates[1].original, index_of("cats/photo.jpg"));
    QCOMPARE(scan.duplicates[1].kind, DuplicateKind::Near);

    // Progress: from the calling thread, ending at (total, total).
    QVERIFY(!calls.empty());
    QCOMPARE(calls.back().first, calls.back().second);
    for (std::size_t i = 1; i < calls.size(); ++i) QVERIFY(calls[i].first > calls[i - 1].first);
    QVERIFY(scan.warnings.empty());
    fs::permissions(hostile / "locked.jpg", fs::perms::owner_all);
}

void TestDataScan::single_files_and_missing_roots()
{
    QTemporaryDir temp;
    const fs::path folder(temp.path().toStdString());
    write_bytes(folder / "one.png", encode(".png", pattern(40, 40, 20)));
    write_text(folder / "one.txt", "only caption");
    write_bytes(folder / "other/two.jpg", encode(".jpg", pattern(40, 40, 21)));
    const DatasetScan scan = scan_dataset({folder / "one.png", folder / "other"});
    QCOMPARE(scan.items.size(), std::size_t{2});
    QCOMPARE(scan.items[0].relative_path, std::string("one.png"));
    QCOMPARE(scan.items[0].root, std::size_t{0});
    QCOMPARE(scan.items[0].label, std::string());
    QCOMPARE(scan.items[0].captions, std::vector<std::string>{"only caption"});
    QCOMPARE(scan.items[1].relative_path, std::string("two.jpg"));
    QCOMPARE(scan.items[1].root, std::size_t{1});

    try {
        scan_dataset({folder / "moved-away"});
        QFAIL("expected an error");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::NotFound);
        QVERIFY(contains(e.what(), "moved-away"));
    }

    // A link back to an ancestor folder is not followed forever.
    fs::create_directory_symlink(folder, folder / "other/loop");
    const DatasetScan looped = scan_dataset({folder});
    QCOMPARE(looped.items.size(), std::size_t{2});
}

void TestDataScan::ten_thousand_files_progress_and_speed()
{
    QTemporaryDir temp;
    const fs::path root(temp.path().toStdString());
    constexpr int count = 10000;
    cv::RNG rng(42);
    for (int i = 0; i < count; ++i) {
        cv::Mat noise(36, 36, CV_8UC3);
        rng.fill(noise, cv::RNG::UNIFORM, 0, 256);
        write_bytes(root / ("label_" + std::to_string(i % 10)) / ("photo_" + std::to_string(i) + ".jpg"),
                    encode(".jpg", noise, {cv::IMWRITE_JPEG_QUALITY, 80}));
    }
    std::size_t calls = 0;
    std::size_t last = 0;
    bool monotonic = true;
    const auto start = std::chrono::steady_clock::now();
    const DatasetScan scan = scan_dataset({root}, {}, [&](std::size_t done, std::size_t total) {
        monotonic = monotonic && done > last && total == count;
        last = done;
        ++calls;
    });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    QCOMPARE(scan.items.size(), std::size_t{count});
    QVERIFY(scan.skipped.empty());
    QVERIFY(scan.duplicates.empty());
    QVERIFY(monotonic);
    QCOMPARE(last, std::size_t{count});
    QVERIFY(calls > 10);
    qInfo("scanned %d files in %.2f s: %.0f files/s (%u threads)", count, seconds, count / seconds,
          std::thread::hardware_concurrency());
}

void TestDataScan::cancel_stops_the_scan()
{
    QTemporaryDir temp;
    const fs::path root(temp.path().toStdString());
    const auto bytes = encode(".png", pattern(40, 40, 30));
    for (int i = 0; i < 2000; ++i) write_bytes(root / ("p" + std::to_string(i) + ".png"), bytes);
    CancelToken cancel;
    std::size_t last = 0;
    try {
        scan_dataset({root}, {}, [&](std::size_t done, std::size_t) {
            last = done;
            if (done >= 100) cancel.request_cancel();
        }, &cancel);
        QFAIL("expected the scan to stop");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::Cancelled);
    }
    QVERIFY(last >= 100 && last < 2000);

    CancelToken early;
    early.request_cancel();
    QVERIFY_THROWS_EXCEPTION(Error, scan_dataset({root}, {}, {}, &early));
}

void TestDataScan::imports_open_clip_csv()
{
    QTemporaryDir temp;
    const fs::path root(temp.path().toStdString());
    write_bytes(root / "images/a.jpg", encode(".jpg", pattern(40, 40, 40)));
    write_bytes(root / u8path(u8"images/고양이.jpg"), encode(".jpg", pattern(40, 40, 41)));
    write_text(root / "train.csv", "\xEF\xBB\xBF" "filepath\ttitle\r\n"
                                   "images/a.jpg\ta red bicycle\r\n"
                                   "images/a.jpg\t\"a bicycle, \"\"red\"\"\"\r\n"
                                   "images/고양이.jpg\ta cat\r\n"
                                   "images/missing.jpg\tnothing\r\n");
    const CaptionTable table = import_open_clip_csv(root / "train.csv");
    QCOMPARE(table.size(), std::size_t{3});
    DatasetScan scan = scan_dataset({root / "images"});
    const auto unmatched = apply_captions(scan, table);
    QCOMPARE(unmatched.size(), std::size_t{1});
    QCOMPARE(unmatched[0].filename(), fs::path("missing.jpg"));
    QCOMPARE(find_item(scan, "a.jpg")->captions, (std::vector<std::string>{"a red bicycle", "a bicycle, \"red\""}));
    QCOMPARE(find_item(scan, "고양이.jpg")->captions, std::vector<std::string>{"a cat"});

    write_text(root / "bad.csv", "path,caption\nimages/a.jpg,x\n");
    try {
        import_open_clip_csv(root / "bad.csv");
        QFAIL("expected an error");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::InvalidInput);
        QVERIFY(contains(e.what(), "bad.csv") && contains(e.what(), "filepath"));
    }
}

void TestDataScan::imports_imagefolder_metadata()
{
    QTemporaryDir temp;
    const fs::path root(temp.path().toStdString());
    write_bytes(root / "train/a.jpg", encode(".jpg", pattern(40, 40, 50)));
    write_bytes(root / "train/b.jpg", encode(".jpg", pattern(40, 40, 51)));
    write_text(root / "train/metadata.jsonl", "{\"file_name\": \"a.jpg\", \"text\": \"a small boat\"}\n"
                                              "\n"
                                              "{\"file_name\": \"b.jpg\", \"captions\": [\"one\", \"two\"]}\n");
    DatasetScan scan = scan_dataset({root / "train"});
    QCOMPARE(scan.ignored_files, std::size_t{1});  // metadata.jsonl itself
    QVERIFY(apply_captions(scan, import_imagefolder_metadata(root / "train/metadata.jsonl")).empty());
    QCOMPARE(find_item(scan, "a.jpg")->captions, std::vector<std::string>{"a small boat"});
    QCOMPARE(find_item(scan, "b.jpg")->captions, (std::vector<std::string>{"one", "two"}));

    write_text(root / "bad.jsonl", "{\"file_name\": \"a.jpg\"}\n{\"file_name\": \n");
    try {
        import_imagefolder_metadata(root / "bad.jsonl");
        QFAIL("expected an error");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::InvalidInput);
        QVERIFY(contains(e.what(), "bad.jsonl") && contains(e.what(), "line 2"));
    }
}

void TestDataScan::imports_coco_captions()
{
    QTemporaryDir temp;
    const fs::path root(temp.path().toStdString());
    write_bytes(root / "train2017/000000000009.jpg", encode(".jpg", pattern(40, 40, 60)));
    write_text(root / "annotations/captions_train2017.json",
               R"({"images": [{"id": 9, "file_name": "000000000009.jpg", "width": 40, "height": 40}],
                   "annotations": [{"id": 1, "image_id": 9, "caption": "A plate of food. "},
                                   {"id": 2, "image_id": 9, "caption": "Dinner on a table"}]})");
    DatasetScan scan = scan_dataset({root / "train2017"});
    const auto table = import_coco_captions(root / "annotations/captions_train2017.json", root / "train2017");
    QVERIFY(apply_captions(scan, table).empty());
    QCOMPARE(scan.items[0].captions, (std::vector<std::string>{"A plate of food.", "Dinner on a table"}));

    write_text(root / "bad.json", R"({"images": [], "annotations": [{"image_id": 5, "caption": "x"}]})");
    try {
        import_coco_captions(root / "bad.json");
        QFAIL("expected an error");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::InvalidInput);
        QVERIFY(contains(e.what(), "image_id 5"));
    }
}

QTEST_GUILESS_MAIN(TestDataScan)
#include "test_data_scan.moc"

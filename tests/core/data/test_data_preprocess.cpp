// Decoding and CLIP preprocessing against the goldens of Pillow 9.4 + transformers 4.40
// (shared/fixtures, preprocess_golden.*) and against small Pillow-made images (tests/data/images).
#include "core/data/clip_preprocess.h"
#include "core/data/image_decode.h"
#include "core/data/pillow_resample.h"
#include "core/io/safetensors.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include "support/fixtures.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <cmath>
#include <ctime>
#include <cstring>

using namespace phototune;

namespace {

const std::filesystem::path kTestImages = std::filesystem::path(PHOTOTUNE_SOURCE_DIR) / "tests/data/images";

std::vector<std::string> golden_files(const std::filesystem::path& json_path)
{
    return nlohmann::json::parse(read_text_file(json_path))["files"].get<std::vector<std::string>>();
}

RgbImage rgb_from_tensor(const TensorView& view)
{
    if (view.dtype != DType::U8 || view.shape.size() != 3 || view.shape[2] != 3)
        throw std::runtime_error("decoded_rgb tensor " + view.name + " is not U8 [H,W,3]");
    RgbImage image;
    image.height = static_cast<int>(view.shape[0]);
    image.width = static_cast<int>(view.shape[1]);
    image.pixels.assign(view.bytes.begin(), view.bytes.end());
    return image;
}

struct Difference {
    double max = 0.0;
    double mean = 0.0;
};

Difference compare_pixel_values(const std::vector<float>& ours, const TensorView& golden)
{
    if (golden.dtype != DType::F32 || golden.numel() != static_cast<std::int64_t>(ours.size()))
        throw std::runtime_error("pixel_values tensor " + golden.name + " has the wrong dtype or size");
    Difference d;
    for (std::size_t i = 0; i < ours.size(); ++i) {
        float g;
        std::memcpy(&g, golden.bytes.data() + i * 4, 4);
        const double diff = std::fabs(static_cast<double>(ours[i]) - g);
        d.max = std::max(d.max, diff);
        d.mean += diff;
    }
    d.mean /= static_cast<double>(ours.size());
    return d;
}

int max_pixel_difference(const RgbImage& a, const RgbImage& b)
{
    if (a.width != b.width || a.height != b.height) return 256;
    int worst = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i) worst = std::max(worst, std::abs(int(a.pixels[i]) - int(b.pixels[i])));
    return worst;
}

void write_json(const std::filesystem::path& path, const std::string& text) { write_file_atomic(path, text); }

} // namespace

class TestDataPreprocess : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jpeg_goldens_from_pillow_pixels();
    void png_goldens_from_files();
    void opencv_jpeg_decoder_against_pillow();
    void plans_match_golden_json();
    void rgba_alpha_is_dropped();
    void gray_is_replicated();
    void decoder_matches_pillow_data();
    void decoder_matches_pillow();
    void resize_matches_pillow_data();
    void resize_matches_pillow();
    void crop_pads_small_images_with_zeros();
    void config_from_fixture_equals_defaults();
    void config_variants();
    void config_errors_name_the_file();
    void undecodable_data_is_refused();
    void unicode_path();
    void speed_640x480();
};

void TestDataPreprocess::jpeg_goldens_from_pillow_pixels()
{
    PHOTOTUNE_REQUIRE_FIXTURE(golden_path, "preprocess_golden.safetensors");
    PHOTOTUNE_REQUIRE_FIXTURE(json_path, "preprocess_golden.json");
    const SafetensorsFile golden = SafetensorsFile::open(golden_path);
    const ClipImageProcessorConfig config;
    int checked = 0;
    for (const std::string& file : golden_files(json_path)) {
        if (!file.ends_with(".jpg")) continue;
        const RgbImage pixels = rgb_from_tensor(golden.at("decoded_rgb/" + file));
        const Difference d = compare_pixel_values(preprocess_clip_image(pixels, config), golden.at("pixel_values/" + file));
        QVERIFY2(d.max <= 1e-6, (file + ": max abs difference " + std::to_string(d.max)).c_str());
        ++checked;
    }
    QCOMPARE(checked, 5);
}

void TestDataPreprocess::png_goldens_from_files()
{
    PHOTOTUNE_REQUIRE_FIXTURE(golden_path, "preprocess_golden.safetensors");
    PHOTOTUNE_REQUIRE_FIXTURE(json_path, "preprocess_golden.json");
    const SafetensorsFile golden = SafetensorsFile::open(golden_path);
    const ClipImageProcessorConfig config;
    int checked = 0;
    for (const std::string& file : golden_files(json_path)) {
        if (!file.ends_with(".png")) continue;
        const RgbImage image = decode_image_file(golden_path.parent_path() / "images" / file);
        const Difference d = compare_pixel_values(preprocess_clip_image(image, config), golden.at("pixel_values/" + file));
        QVERIFY2(d.max <= 1e-6, (file + ": max abs difference " + std::to_string(d.max)).c_str());
        ++checked;
    }
    QCOMPARE(checked, 6);
}

// Not a parity requirement (the decoders may differ), but the figure is worth knowing: how far
// the studio's JPEG decoding (OpenCV + libjpeg) is from Pillow's, in pixels and in pixel_values.
void TestDataPreprocess::opencv_jpeg_decoder_against_pillow()
{
    PHOTOTUNE_REQUIRE_FIXTURE(golden_path, "preprocess_golden.safetensors");
    PHOTOTUNE_REQUIRE_FIXTURE(json_path, "preprocess_golden.json");
    const SafetensorsFile golden = SafetensorsFile::open(golden_path);
    const ClipImageProcessorConfig config;
    for (const std::string& file : golden_files(json_path)) {
        if (!file.ends_with(".jpg")) continue;
        const RgbImage ours = decode_image_file(golden_path.parent_path() / "images" / file);
        const RgbImage pillow = rgb_from_tensor(golden.at("decoded_rgb/" + file));
        const int pixel_diff = max_pixel_difference(ours, pillow);
        const Difference d = compare_pixel_values(preprocess_clip_image(ours, config), golden.at("pixel_values/" + file));
        qInfo("%s: decoded pixels max |diff| %d; pixel_values max |diff| %.3g, mean |diff| %.3g", file.c_str(),
              pixel_diff, d.max, d.mean);
        // Both link libjpeg-turbo with its default (islow, fancy upsampling) settings.
        QVERIFY2(pixel_diff <= 1, file.c_str());
    }
}

void TestDataPreprocess::plans_match_golden_json()
{
    PHOTOTUNE_REQUIRE_FIXTURE(json_path, "preprocess_golden.json");
    const nlohmann::json golden = nlohmann::json::parse(read_text_file(json_path));
    const ClipImageProcessorConfig config;
    for (const auto& [file, facts] : golden["per_file"].items()) {
        const ResizePlan plan = plan_clip_resize(facts["width"].get<int>(), facts["height"].get<int>(), config);
        QCOMPARE(plan.resized_width, facts["resized_wh"][0].get<int>());
        QCOMPARE(plan.resized_height, facts["resized_wh"][1].get<int>());
        QCOMPARE(plan.crop_left, facts["crop_left"].get<int>());
        QCOMPARE(plan.crop_top, facts["crop_top"].get<int>());
        QCOMPARE(plan.output_width, 224);
        QCOMPARE(plan.output_height, 224);
    }
}

void TestDataPreprocess::rgba_alpha_is_dropped()
{
    PHOTOTUNE_REQUIRE_FIXTURE(path, "images/img_rgba_333x222.png");
    const RgbImage image = decode_image_file(path);
    QCOMPARE(image.width, 333);
    QCOMPARE(image.height, 222);
    QCOMPARE(image.pixels.size(), std::size_t(333 * 222 * 3));
    // The top-left pixel is fully transparent; its colour stays, not composited onto black or white.
    QCOMPARE(int(image.pixels[0]), 126);
    QCOMPARE(int(image.pixels[1]), 3);
    QCOMPARE(int(image.pixels[2]), 154);
}

void TestDataPreprocess::gray_is_replicated()
{
    PHOTOTUNE_REQUIRE_FIXTURE(png, "images/img_gray_257x191.png");
    PHOTOTUNE_REQUIRE_FIXTURE(jpg, "images/img_gray_257x191.jpg");
    for (const auto& path : {png, jpg}) {
        const RgbImage image = decode_image_file(path);
        QCOMPARE(image.width, 257);
        QCOMPARE(image.height, 191);
        bool varied = false;
        for (std::size_t i = 0; i < image.pixels.size(); i += 3) {
            QCOMPARE(image.pixels[i + 1], image.pixels[i]);
            QCOMPARE(image.pixels[i + 2], image.pixels[i]);
            varied = varied || image.pixels[i] != image.pixels[0];
        }
        QVERIFY(varied);
    }
}

void TestDataPreprocess::decoder_matches_pillow_data()
{
    QTest::addColumn<QString>("file");
    for (const char* name : {"orientation_2.png", "orientation_3.png", "orientation_4.png", "orientation_5.png",
                             "orientation_6.png", "orientation_7.png", "orientation_8.png", "orientation_6.jpg",
                             "rgb16.png", "gray16.png", "palette_transparent.png", "gray_alpha.png", "bilevel.png",
                             "cmyk.jpg"})
        QTest::newRow(name) << QString(name);
}

// Each <file>.expected.png holds Pillow's exif_transpose(...).convert("RGB") of <file> (for
// gray16.png the high bytes instead, see make_images.py).
void TestDataPreprocess::decoder_matches_pillow()
{
    QFETCH(QString, file);
    const std::filesystem::path path = kTestImages / file.toStdString();
    const RgbImage ours = decode_image_file(path);
    const RgbImage expected = decode_image_file(path.string() + ".expected.png");
    QCOMPARE(ours.width, expected.width);
    QCOMPARE(ours.height, expected.height);
    QCOMPARE(max_pixel_difference(ours, expected), 0);
}

void TestDataPreprocess::resize_matches_pillow_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::newRow("vertical only") << 37 << 11;
    QTest::newRow("horizontal only") << 60 << 23;
    QTest::newRow("narrow and tall") << 5 << 40;
    QTest::newRow("one pixel") << 1 << 1;
    QTest::newRow("up both") << 80 << 70;
}

void TestDataPreprocess::resize_matches_pillow()
{
    QFETCH(int, width);
    QFETCH(int, height);
    const RgbImage source = decode_image_file(kTestImages / "resize_source.png");
    const RgbImage expected = decode_image_file(
        kTestImages / ("resize_" + std::to_string(width) + "x" + std::to_string(height) + ".expected.png"));
    const RgbImage ours = resize_like_pillow_bicubic(source, width, height);
    QCOMPARE(max_pixel_difference(ours, expected), 0);
    QCOMPARE(max_pixel_difference(resize_like_pillow_bicubic(source, source.width, source.height), source), 0);
}

// transformers' center_crop pads with zeros (before rescale and normalise) where the image is
// smaller than the crop, centring it with ceil((crop - size) / 2) on the leading side.
void TestDataPreprocess::crop_pads_small_images_with_zeros()
{
    RgbImage image;
    image.width = 5;
    image.height = 3;
    for (int i = 0; i < 15; ++i) image.pixels.insert(image.pixels.end(), {std::uint8_t(10 + i), 200, 250});
    ClipImageProcessorConfig config;
    config.do_resize = false;
    config.crop_width = 8;
    config.crop_height = 8;
    const ResizePlan plan = plan_clip_resize(5, 3, config);
    QCOMPARE(plan.crop_left, -2); // (5 - 8) // 2
    QCOMPARE(plan.crop_top, -3);  // (3 - 8) // 2
    const RgbImage crop = clip_resize_and_crop(image, config);
    QCOMPARE(crop.width, 8);
    QCOMPARE(crop.height, 8);
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x) {
            const bool inside = x >= 2 && x < 7 && y >= 3 && y < 6;
            const int expected = inside ? 10 + (y - 3) * 5 + (x - 2) : 0;
            QCOMPARE(int(crop.pixels[(y * 8 + x) * 3]), expected);
        }
    // Padding normalises like a black pixel.
    std::vector<float> values(3 * 64);
    normalize_to_chw(crop, config, values.data());
    QCOMPARE(values[0], (0.0f - config.image_mean[0]) / config.image_std[0]);

    // One side larger, one smaller: 300x200 -> 336x224, crop 256: cropped horizontally, padded vertically.
    config.do_resize = true;
    config.crop_width = config.crop_height = 256;
    const ResizePlan mixed = plan_clip_resize(300, 200, config);
    QCOMPARE(mixed.crop_left, 40);
    QCOMPARE(mixed.crop_top, -16);
}

void TestDataPreprocess::config_from_fixture_equals_defaults()
{
    PHOTOTUNE_REQUIRE_FIXTURE(path, "tiny-clip/preprocessor_config.json");
    const ClipImageProcessorConfig loaded = load_clip_image_processor_config(path);
    const ClipImageProcessorConfig defaults;
    QCOMPARE(loaded.shortest_edge, defaults.shortest_edge);
    QCOMPARE(loaded.crop_width, defaults.crop_width);
    QCOMPARE(loaded.crop_height, defaults.crop_height);
    QCOMPARE(loaded.rescale_factor, defaults.rescale_factor);
    QVERIFY(loaded.image_mean == defaults.image_mean);
    QVERIFY(loaded.image_std == defaults.image_std);
    QCOMPARE(loaded.resample, 3);
    QVERIFY(loaded.do_resize && loaded.do_center_crop && loaded.do_rescale && loaded.do_normalize && loaded.do_convert_rgb);
}

void TestDataPreprocess::config_variants()
{
    QTemporaryDir dir;
    const std::filesystem::path path = dir.path().toStdString() + "/preprocessor_config.json";

    write_json(path, "{}");
    QCOMPARE(load_clip_image_processor_config(path).shortest_edge, 224);

    // Legacy hub configs: bare ints, and a scalar mean.
    write_json(path, R"({"size": 336, "crop_size": 336, "image_mean": 0.5, "image_std": [0.5, 0.25, 0.5],
                         "do_center_crop": false, "resample": 3})");
    ClipImageProcessorConfig c = load_clip_image_processor_config(path);
    QCOMPARE(c.shortest_edge, 336);
    QCOMPARE(c.crop_width, 336);
    QCOMPARE(c.crop_height, 336);
    QCOMPARE(c.image_mean[2], 0.5f);
    QCOMPARE(c.image_std[1], 0.25f);
    QVERIFY(!c.do_center_crop);
    const ResizePlan uncropped = plan_clip_resize(640, 480, c);
    QCOMPARE(uncropped.output_width, 448);
    QCOMPARE(uncropped.output_height, 336);

    // A fixed-size resize (SigLIP-style "size").
    write_json(path, R"({"size": {"height": 96, "width": 128}, "crop_size": {"height": 64, "width": 64}})");
    c = load_clip_image_processor_config(path);
    QCOMPARE(c.shortest_edge, 0);
    const ResizePlan fixed = plan_clip_resize(640, 480, c);
    QCOMPARE(fixed.resized_width, 128);
    QCOMPARE(fixed.resized_height, 96);
    QCOMPARE(fixed.crop_left, 32);
    QCOMPARE(fixed.crop_top, 16);
}

void TestDataPreprocess::config_errors_name_the_file()
{
    QTemporaryDir dir;
    const std::filesystem::path path = dir.path().toStdString() + "/preprocessor_config.json";
    const auto expect = [&](const std::string& text, ErrorCategory category, const std::string& words) {
        write_json(path, text);
        try {
            load_clip_image_processor_config(path);
            QFAIL(("accepted " + text).c_str());
        } catch (const Error& e) {
            QCOMPARE(int(e.category()), int(category));
            const std::string message = e.what();
            QVERIFY2(message.find("preprocessor_config.json") != std::string::npos, message.c_str());
            QVERIFY2(message.find(words) != std::string::npos, message.c_str());
        }
    };
    expect(R"({"resample": 2})", ErrorCategory::Unsupported, "bilinear");
    expect(R"({"resample": 9})", ErrorCategory::InvalidInput, "resample");
    expect(R"({"size": {"longest_edge": 3}})", ErrorCategory::InvalidInput, "size");
    expect(R"({"size": -4})", ErrorCategory::InvalidInput, "size");
    expect(R"({"crop_size": "big"})", ErrorCategory::InvalidInput, "crop_size");
    expect(R"({"image_mean": [1, 2]})", ErrorCategory::InvalidInput, "image_mean");
    expect(R"({"image_std": [1, 0, 1]})", ErrorCategory::InvalidInput, "image_std");
    expect(R"({"do_resize": "yes"})", ErrorCategory::InvalidInput, "do_resize");
    expect("{not json", ErrorCategory::InvalidInput, "not valid JSON");
    expect("[]", ErrorCategory::InvalidInput, "JSON object");
}

void TestDataPreprocess::undecodable_data_is_refused()
{
    const auto expect_refused = [](const std::vector<std::uint8_t>& bytes, const char* what) {
        try {
            decode_image(bytes, "broken.jpg");
            QFAIL(what);
        } catch (const Error& e) {
            QCOMPARE(int(e.category()), int(ErrorCategory::InvalidInput));
            QVERIFY2(std::string(e.what()).find("broken.jpg") != std::string::npos, e.what());
        }
    };
    expect_refused({}, "empty");
    expect_refused({'h', 'e', 'l', 'l', 'o'}, "text");
    expect_refused({0xFF, 0xD8, 0xFF, 0xE0, 0x00}, "JPEG signature only");
    expect_refused({0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0}, "PNG signature only");

    // Truncated and bit-flipped real files: refused or decoded, never a crash.
    for (const char* name : {"cmyk.jpg", "orientation_6.jpg", "rgb16.png", "palette_transparent.png"}) {
        const std::vector<std::uint8_t> good = read_binary_file(kTestImages / name);
        for (std::size_t cut : {std::size_t(3), good.size() / 3, good.size() / 2, good.size() - 2}) {
            try {
                decode_image(std::span(good).first(cut), name);
            } catch (const Error&) {
            }
        }
        std::vector<std::uint8_t> flipped = good;
        for (std::size_t i = 2; i < flipped.size(); i += 7) flipped[i] ^= 0x5A;
        try {
            decode_image(flipped, name);
        } catch (const Error&) {
        }
    }
}

void TestDataPreprocess::unicode_path()
{
    QTemporaryDir dir;
    const std::filesystem::path path =
        std::filesystem::path(dir.path().toStdString()) / std::filesystem::u8path("фото 写真 é.png");
    std::filesystem::copy_file(kTestImages / "resize_source.png", path);
    const RgbImage image = decode_image_file(path);
    QCOMPARE(image.width, 37);
    QCOMPARE(image.height, 23);
}

// A figure, not a pass criterion: decode + preprocess of the 640x480 fixture JPEG. CPU time is
// printed too, since wall time means little on a shared, busy machine.
void TestDataPreprocess::speed_640x480()
{
    PHOTOTUNE_REQUIRE_FIXTURE(path, "images/img_640x480.jpg");
    const std::vector<std::uint8_t> bytes = read_binary_file(path);
    const ClipImageProcessorConfig config;
    constexpr int kRuns = 20;
    double decode_ms = 0, preprocess_ms = 0, decode_cpu_ms = 0, preprocess_cpu_ms = 0;
    const auto cpu_ms = [] { return 1000.0 * static_cast<double>(std::clock()) / CLOCKS_PER_SEC; };
    for (int i = 0; i < kRuns; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = cpu_ms();
        const RgbImage image = decode_image(bytes, "img_640x480.jpg");
        const auto t1 = std::chrono::steady_clock::now();
        const double c1 = cpu_ms();
        const std::vector<float> values = preprocess_clip_image(image, config);
        const auto t2 = std::chrono::steady_clock::now();
        const double c2 = cpu_ms();
        QCOMPARE(values.size(), std::size_t(3 * 224 * 224));
        decode_ms += std::chrono::duration<double, std::milli>(t1 - t0).count();
        preprocess_ms += std::chrono::duration<double, std::milli>(t2 - t1).count();
        decode_cpu_ms += c1 - c0;
        preprocess_cpu_ms += c2 - c1;
    }
    qInfo("640x480 JPEG, mean of %d: decode %.2f ms wall / %.2f ms CPU, resize+crop+normalize %.2f ms wall / "
          "%.2f ms CPU",
          kRuns, decode_ms / kRuns, decode_cpu_ms / kRuns, preprocess_ms / kRuns, preprocess_cpu_ms / kRuns);
}

QTEST_GUILESS_MAIN(TestDataPreprocess)
#include "test_data_preprocess.moc"

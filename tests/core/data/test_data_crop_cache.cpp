// The crop cache gives the pixels decoding gives, bit for bit; a damaged or stale entry is noticed
// and rebuilt; reduced-size JPEG decoding stays close to full-size decoding.
#include "core/data/crop_cache.h"
#include "core/util/files.h"

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <chrono>
#include <cmath>
#include <fstream>

using namespace phototune;
namespace fs = std::filesystem;

namespace {

// A photo-like JPEG: smooth gradients, edges and fine texture, so DCT scaling has something to lose.
fs::path write_test_jpeg(const fs::path& file, int width, int height, int seed)
{
    cv::Mat image(height, width, CV_8UC3);
    cv::RNG rng(seed);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>(255 * x / width), static_cast<uchar>(255 * y / height),
                                                  static_cast<uchar>(128 + 100 * std::sin(x * 0.05 + y * 0.02)));
    for (int i = 0; i < 40; ++i)
        cv::circle(image, {rng.uniform(0, width), rng.uniform(0, height)}, rng.uniform(10, width / 6),
                   cv::Scalar(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)), cv::FILLED, cv::LINE_AA);
    cv::Mat noise(height, width, CV_8UC3);
    rng.fill(noise, cv::RNG::NORMAL, 0, 12);
    image += noise;
    cv::imwrite(file.string(), image, {cv::IMWRITE_JPEG_QUALITY, 92});
    return file;
}

bool same_pixels(const RgbImage& a, const RgbImage& b)
{
    return a.width == b.width && a.height == b.height && a.pixels == b.pixels;
}

} // namespace

class CropCacheTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void reductionKeepsTheShortSideLargeEnough()
    {
        QCOMPARE(jpeg_reduction_for(4000, 3000, 224), 8);  // 375 >= 224
        QCOMPARE(jpeg_reduction_for(1000, 800, 224), 2);   // 400; 1/4 would give 200
        QCOMPARE(jpeg_reduction_for(400, 447, 224), 1);    // not twice the size
        QCOMPARE(jpeg_reduction_for(448, 448, 224), 2);
        QCOMPARE(jpeg_reduction_for(4000, 3000, 0), 1);
    }

    void cachedCropsEqualDecodedCropsBitForBit()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        const auto photo = write_test_jpeg(root / "photo.jpg", 900, 600, 1);
        ClipImageProcessorConfig processor;
        for (const bool reduced : {false, true}) {
            const RgbImage decoded = decode_and_crop_bytes(read_binary_file(photo), "photo.jpg", processor, reduced);
            CropCache cache(root / ("cache" + std::to_string(reduced)), processor, reduced);
            const RgbImage first = cache.crop_for(photo);
            const RgbImage second = cache.crop_for(photo);
            QVERIFY(same_pixels(first, decoded));
            QVERIFY(same_pixels(second, decoded));
            QCOMPARE(cache.stats().misses, std::size_t{1});
            QCOMPARE(cache.stats().hits, std::size_t{1});
            QVERIFY(cache.write_warning().empty());
        }
    }

    void damagedEntriesAreRebuilt()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        const auto photo = write_test_jpeg(root / "photo.jpg", 500, 400, 2);
        ClipImageProcessorConfig processor;
        CropCache cache(root / "cache", processor, true);
        const RgbImage original = cache.crop_for(photo);
        const fs::path entry = cache.entry_path(read_binary_file(photo));
        QVERIFY(fs::exists(entry));

        // One flipped pixel byte: the checksum catches it.
        {
            std::fstream file(entry, std::ios::in | std::ios::out | std::ios::binary);
            file.seekp(static_cast<std::streamoff>(fs::file_size(entry) / 2));
            file.put('\x5a');
        }
        QVERIFY(same_pixels(cache.crop_for(photo), original));
        QCOMPARE(cache.stats().rebuilt, std::size_t{1});
        QVERIFY(same_pixels(cache.crop_for(photo), original)); // and the rewritten entry is good again
        QCOMPARE(cache.stats().hits, std::size_t{1});

        // Cut short, then emptied.
        fs::resize_file(entry, 100);
        QVERIFY(same_pixels(cache.crop_for(photo), original));
        fs::resize_file(entry, 0);
        QVERIFY(same_pixels(cache.crop_for(photo), original));
        QCOMPARE(cache.stats().rebuilt, std::size_t{3});
    }

    void otherSettingsOrAnEditedPhotoNeverReadAStaleEntry()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        const auto photo = write_test_jpeg(root / "photo.jpg", 640, 480, 3);
        ClipImageProcessorConfig small;
        ClipImageProcessorConfig large;
        large.shortest_edge = large.crop_width = large.crop_height = 336;
        CropCache small_cache(root / "cache", small, true);
        CropCache large_cache(root / "cache", large, true);
        QCOMPARE(small_cache.crop_for(photo).width, 224);
        QCOMPARE(large_cache.crop_for(photo).width, 336);
        QCOMPARE(large_cache.stats().misses, std::size_t{1});

        write_test_jpeg(photo, 640, 480, 4); // the person edits the photo
        const RgbImage edited = decode_and_crop_bytes(read_binary_file(photo), "photo.jpg", small, true);
        QVERIFY(same_pixels(small_cache.crop_for(photo), edited));
        QCOMPARE(small_cache.stats().misses, std::size_t{2});
    }

    void rememberedPhotoHashesFollowTheFile()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        const auto photo = write_test_jpeg(root / "photo.jpg", 640, 480, 7);
        const auto an_hour_ago = fs::last_write_time(photo) - std::chrono::hours(1);
        fs::last_write_time(photo, an_hour_ago); // settled: its hash is remembered
        ClipImageProcessorConfig processor;
        CropCache cache(root / "cache", processor, true);
        const RgbImage first = cache.crop_for(photo);
        std::vector<fs::path> records;
        for (const auto& entry : fs::recursive_directory_iterator(root / "cache" / "files")) records.push_back(entry.path());
        QCOMPARE(records.size(), std::size_t{1});
        QVERIFY(same_pixels(cache.crop_for(photo), first));
        QCOMPARE(cache.stats().hits, std::size_t{1});

        // A damaged record is only a lost shortcut.
        std::ofstream(records.front(), std::ios::binary | std::ios::trunc) << "junk";
        QVERIFY(same_pixels(cache.crop_for(photo), first));
        QCOMPARE(cache.stats().hits, std::size_t{2});

        // An edit changes the stamp, so the remembered hash is not used.
        write_test_jpeg(photo, 640, 480, 8);
        fs::last_write_time(photo, an_hour_ago + std::chrono::seconds(5));
        const RgbImage edited = decode_and_crop_bytes(read_binary_file(photo), "photo.jpg", processor, true);
        QVERIFY(!same_pixels(edited, first));
        QVERIFY(same_pixels(cache.crop_for(photo), edited));
        QCOMPARE(cache.stats().misses, std::size_t{2});
    }

    void aDisabledCacheWritesNothing()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        const auto photo = write_test_jpeg(root / "photo.jpg", 300, 300, 5);
        CropCache cache({}, ClipImageProcessorConfig{}, true);
        QVERIFY(!cache.enabled());
        QCOMPARE(cache.crop_for(photo).width, 224);
        QCOMPARE(cache.stats().misses + cache.stats().hits, std::size_t{0});
    }

    void reducedDecodingStaysCloseToFullDecoding()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        ClipImageProcessorConfig processor;
        for (const auto& [width, height] : {std::pair{2000, 1500}, std::pair{1200, 1600}, std::pair{500, 460}}) {
            const auto photo = write_test_jpeg(root / "big.jpg", width, height, width);
            const auto bytes = read_binary_file(photo);
            const RgbImage full = decode_and_crop_bytes(bytes, "big.jpg", processor, false);
            const RgbImage reduced = decode_and_crop_bytes(bytes, "big.jpg", processor, true);
            QCOMPARE(reduced.width, full.width);
            QCOMPARE(reduced.height, full.height);
            double total = 0.0;
            int worst = 0;
            for (std::size_t i = 0; i < full.pixels.size(); ++i) {
                const int difference = std::abs(int(full.pixels[i]) - int(reduced.pixels[i]));
                total += difference;
                worst = std::max(worst, difference);
            }
            const double mean = total / double(full.pixels.size());
            qInfo("%dx%d (1/%d): mean |difference| %.2f levels, worst %d", width, height,
                  jpeg_reduction_for(width, height, 224), mean, worst);
            QVERIFY2(mean < 3.0, "reduced-size decoding moved the pixels too far");
        }
    }
};

QTEST_GUILESS_MAIN(CropCacheTest)
#include "test_data_crop_cache.moc"

// Export: which samples are written, the open_clip CSV text, and WebDataset shards read back with
// libarchive (member names, captions, images that decode upright).
#include "core/data/dataset_export.h"
#include "core/data/image_decode.h"
#include "core/data/image_sniff.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <QTemporaryDir>
#include <QtTest>

#include <archive.h>
#include <archive_entry.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <map>

using namespace phototune;
namespace fs = std::filesystem;

namespace {

void write_photo(const fs::path& path, int seed, int width = 48, int height = 40)
{
    fs::create_directories(path.parent_path());
    cv::Mat image(height, width, CV_8UC3);
    cv::RNG rng(static_cast<std::uint64_t>(seed) + 1);
    rng.fill(image, cv::RNG::UNIFORM, 0, 256);
    QVERIFY(cv::imwrite(path.string(), image));
}

// Every member of a tar file: name -> bytes.
std::map<std::string, std::vector<std::uint8_t>> read_tar(const fs::path& tar)
{
    std::map<std::string, std::vector<std::uint8_t>> members;
    std::unique_ptr<archive, decltype(&archive_read_free)> reader(archive_read_new(), archive_read_free);
    archive_read_support_format_tar(reader.get());
    if (archive_read_open_filename(reader.get(), tar.c_str(), 1 << 16) != ARCHIVE_OK)
        throw std::runtime_error("cannot open " + tar.string());
    archive_entry* entry = nullptr;
    while (archive_read_next_header(reader.get(), &entry) == ARCHIVE_OK) {
        std::vector<std::uint8_t> data(static_cast<std::size_t>(archive_entry_size(entry)));
        if (!data.empty() && archive_read_data(reader.get(), data.data(), data.size()) != static_cast<la_ssize_t>(data.size()))
            throw std::runtime_error("short member in " + tar.string());
        members[archive_entry_pathname(entry)] = std::move(data);
    }
    return members;
}

std::string text_of(const std::vector<std::uint8_t>& bytes)
{
    return {bytes.begin(), bytes.end()};
}

std::vector<fs::path> files_in(const fs::path& folder)
{
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder)) files.push_back(entry.path().filename());
    std::sort(files.begin(), files.end());
    return files;
}

// A project over `folder` with items in both splits, with and without captions, and one excluded.
Project sample_project(const fs::path& folder)
{
    Project project;
    project.roots = {folder};
    const auto item = [](std::string path, std::string label, std::vector<std::string> captions, Split split) {
        ProjectItem out;
        out.relative_path = std::move(path);
        out.label = std::move(label);
        out.captions = std::move(captions);
        out.split = split;
        return out;
    };
    project.items = {
        item("cats/a.jpg", "cats", {"a cat\tsleeping", "a cat\non a sofa"}, Split::Train),
        item("cats/b.png", "cats", {}, Split::Train),
        item("misc/c.jpg", "", {}, Split::Train),
        item("cats/d.jpg", "cats", {"validation cat"}, Split::Validation),
        item("cats/e.jpg", "cats", {"excluded"}, Split::Train),
        item("10_dogs/강아지.jpg", "dogs", {"a dog"}, Split::Train),
    };
    project.items[4].excluded = true;
    project.items[5].repeats = 3;
    return project;
}

} // namespace

class TestDataExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chooses_samples();
    void writes_open_clip_csv();
    void writes_webdataset_shards();
    void cancel_leaves_only_complete_shards();
};

void TestDataExport::chooses_samples()
{
    const Project project = sample_project("/data/photos");
    const auto train = export_samples(project, Split::Train, false);
    // a.jpg twice (two captions), b.png with its label, c.jpg left out (no caption, no label), the dog once.
    QCOMPARE(train.size(), std::size_t{4});
    QCOMPARE(train[0].image, fs::path("/data/photos/cats/a.jpg"));
    QCOMPARE(train[1].caption, std::string("a cat\non a sofa"));
    QCOMPARE(train[2].caption, std::string("cats"));
    QCOMPARE(train[3].caption, std::string("a dog"));
    QCOMPARE(export_samples(project, Split::Train, true).size(), std::size_t{6});  // the dog 3 times
    const auto validation = export_samples(project, Split::Validation, true);
    QCOMPARE(validation.size(), std::size_t{1});
    QCOMPARE(validation[0].caption, std::string("validation cat"));
}

void TestDataExport::writes_open_clip_csv()
{
    QTemporaryDir temp;
    const fs::path folder(temp.path().toStdString());
    const Project project = sample_project("/data/photos");
    write_open_clip_csv(export_samples(project, Split::Train, false), folder / "train.csv");
    QCOMPARE(read_text_file(folder / "train.csv"), std::string("filepath\ttitle\n"
                                                               "/data/photos/cats/a.jpg\ta cat sleeping\n"
                                                               "/data/photos/cats/a.jpg\ta cat on a sofa\n"
                                                               "/data/photos/cats/b.png\tcats\n"
                                                               "/data/photos/10_dogs/강아지.jpg\ta dog\n"));
}

void TestDataExport::writes_webdataset_shards()
{
    QTemporaryDir temp;
    const fs::path folder(temp.path().toStdString());
    write_photo(folder / "photos/cats/a.jpg", 1);
    write_photo(folder / "photos/cats/b.png", 2);
    write_photo(folder / fs::path(u8"photos/10_dogs/강아지.jpg"), 3);
    const fs::path rotated = fs::path(PHOTOTUNE_SOURCE_DIR) / "tests/data/scan/rotated.jpg";
    const Project project = sample_project(folder / "photos");
    auto samples = export_samples(project, Split::Train, false);
    samples.push_back({rotated, "rotated"});
    QCOMPARE(samples.size(), std::size_t{5});

    std::vector<std::size_t> progress;
    const auto shards = write_webdataset_shards(samples, folder / "shards", {2, 95},
                                                [&](std::size_t done, std::size_t) { progress.push_back(done); });
    QCOMPARE(shards.size(), std::size_t{3});
    QCOMPARE(files_in(folder / "shards"), (std::vector<fs::path>{"000000.tar", "000001.tar", "000002.tar"}));
    QCOMPARE(progress, (std::vector<std::size_t>{1, 2, 3, 4, 5}));

    const auto first = read_tar(shards[0]);
    QCOMPARE(first.size(), std::size_t{4});
    QCOMPARE(text_of(first.at("000000000.txt")), std::string("a cat\tsleeping"));
    QCOMPARE(text_of(first.at("000000001.txt")), std::string("a cat\non a sofa"));
    QVERIFY(first.at("000000000.jpg") == read_binary_file(folder / "photos/cats/a.jpg"));  // upright JPEG: copied as is

    const auto second = read_tar(shards[1]);
    QCOMPARE(second.size(), std::size_t{4});
    QCOMPARE(text_of(second.at("000000002.txt")), std::string("cats"));
    const auto& png_as_jpeg = second.at("000000002.jpg");  // the PNG, re-encoded
    QCOMPARE(sniff_image(png_as_jpeg).format, ImageFormat::Jpeg);
    QCOMPARE(decode_image(png_as_jpeg, "b").width, 48);

    const auto third = read_tar(shards[2]);
    QCOMPARE(third.size(), std::size_t{2});
    const ImageSniff upright = sniff_image(third.at("000000004.jpg"));
    QCOMPARE(upright.format, ImageFormat::Jpeg);
    QCOMPARE(upright.exif_orientation, 1);
    QCOMPARE(upright.width, 40u);  // stored 64x40 with orientation 6: written upright as 40x64
    QCOMPARE(upright.height, 64u);
}

void TestDataExport::cancel_leaves_only_complete_shards()
{
    QTemporaryDir temp;
    const fs::path folder(temp.path().toStdString());
    std::vector<ExportSample> samples;
    for (int i = 0; i < 7; ++i) {
        write_photo(folder / ("p" + std::to_string(i) + ".jpg"), i);
        samples.push_back({folder / ("p" + std::to_string(i) + ".jpg"), "photo " + std::to_string(i)});
    }
    CancelToken cancel;
    try {
        write_webdataset_shards(samples, folder / "shards", {3, 95}, [&](std::size_t done, std::size_t) {
            if (done == 4) cancel.request_cancel();
        }, &cancel);
        QFAIL("expected the export to stop");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::Cancelled);
    }
    QCOMPARE(files_in(folder / "shards"), std::vector<fs::path>{"000000.tar"});
    QCOMPARE(read_tar(folder / "shards/000000.tar").size(), std::size_t{6});

    // A missing photo fails with its name, and leaves no partial shard behind.
    samples.push_back({folder / "gone.jpg", "gone"});
    try {
        write_webdataset_shards(samples, folder / "more", {100, 95});
        QFAIL("expected an error");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::NotFound);
        QVERIFY(std::string(e.what()).find("gone.jpg") != std::string::npos);
    }
    QVERIFY(files_in(folder / "more").empty());
}

QTEST_GUILESS_MAIN(TestDataExport)
#include "test_data_export.moc"

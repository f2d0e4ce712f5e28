// Project file: round trip, refusal of damaged or newer files, the split rule and its stability,
// and writing captions back to sidecars without overwriting a person's own text.
#include "core/data/project_file.h"
#include "core/data/split.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

using namespace phototune;
namespace fs = std::filesystem;

namespace {

void write_photo(const fs::path& path, int seed)
{
    fs::create_directories(path.parent_path());
    cv::Mat image(40, 48, CV_8UC3);
    cv::RNG rng(static_cast<std::uint64_t>(seed) + 1);
    rng.fill(image, cv::RNG::UNIFORM, 0, 256);
    QVERIFY(cv::imwrite(path.string(), image));
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

// Loads `json` from a project file and returns the error it raises.
Error load_error(const fs::path& folder, const std::string& json)
{
    const fs::path file = folder / "broken.phototune.json";
    write_file_atomic(file, json);
    try {
        load_project(file);
    } catch (const Error& e) {
        return e;
    }
    return Error(ErrorCategory::Internal, "no error");
}

std::vector<SplitKey> keys_for(int per_label, int labels, int offset = 0)
{
    std::vector<SplitKey> keys;
    for (int label = 0; label < labels; ++label)
        for (int i = 0; i < per_label; ++i)
            keys.push_back({"label" + std::to_string(label),
                            "label" + std::to_string(label) + "/photo_" + std::to_string(offset + i) + ".jpg"});
    return keys;
}

} // namespace

class TestDataProject : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void round_trip();
    void moves_with_its_folder();
    void refuses_damaged_and_newer_files();
    void split_is_stratified_and_seeded();
    void split_is_stable_when_photos_are_added();
    void sidecar_conflicts();
    void merge_keeps_edits_and_adds_new_photos();
};

void TestDataProject::round_trip()
{
    QTemporaryDir temp;
    const fs::path folder(temp.path().toStdString());
    write_photo(folder / "photos/cats/a.png", 1);
    write_photo(folder / "photos/cats/b.png", 2);
    fs::copy_file(folder / "photos/cats/a.png", folder / "photos/cats/c.png");  // exact duplicate
    write_photo(folder / "photos/5_dogs/d.png", 3);
    write_photo(folder / fs::path(u8"photos/5_dogs/강아지 🐶.png"), 4);
    write_file_atomic(folder / "photos/5_dogs/d.txt", "a dog\nanother dog\n");
    write_file_atomic(folder / "photos/broken.jpg", "not a photo");

    const DatasetScan scan = scan_dataset({folder / "photos"});
    Project project = project_from_scan(scan, {0.5, 7});
    QCOMPARE(project.items.size(), std::size_t{5});
    QCOMPARE(project.skipped.size(), std::size_t{1});
    const auto& copy = project.items[4];  // sorted: 5_dogs/d.png, 5_dogs/강아지 🐶.png, cats/a.png, b.png, c.png
    QCOMPARE(copy.relative_path, std::string("cats/c.png"));
    QVERIFY(copy.excluded);
    QCOMPARE(copy.exclusion_reason, std::string("exact copy of cats/a.png"));
    project.items[2].tags = {"tabby", "indoor"};

    const fs::path file = folder / "my project.phototune.json";
    save_project(project, file);
    const std::string text = read_text_file(file);
    QVERIFY(contains(text, "\"schema_version\": 1"));
    QCOMPARE(nlohmann::json::parse(text)["roots"], nlohmann::json::array({"photos"}));  // relative to the project

    const Project loaded = load_project(file);
    QCOMPARE(loaded.roots.size(), std::size_t{1});
    QVERIFY(fs::equivalent(loaded.roots[0], folder / "photos"));
    QCOMPARE(loaded.split.validation_fraction, 0.5);
    QCOMPARE(loaded.split.seed, std::uint64_t{7});
    QCOMPARE(loaded.items.size(), project.items.size());
    for (std::size_t i = 0; i < project.items.size(); ++i) {
        const auto& a = project.items[i];
        const auto& b = loaded.items[i];
        QCOMPARE(b.relative_path, a.relative_path);
        QCOMPARE(b.label, a.label);
        QCOMPARE(b.repeats, a.repeats);
        QCOMPARE(b.captions, a.captions);
        QCOMPARE(b.tags, a.tags);
        QCOMPARE(b.split, a.split);
        QCOMPARE(b.excluded, a.excluded);
        QCOMPARE(b.exclusion_reason, a.exclusion_reason);
        QCOMPARE(b.sha256, a.sha256);
        QCOMPARE(b.width, a.width);
        QVERIFY(fs::exists(item_path(loaded, b)));
    }
    QCOMPARE(loaded.items[0].label, std::string("dogs"));
    QCOMPARE(loaded.items[0].repeats, 5);
    QCOMPARE(loaded.items[0].captions, (std::vector<std::string>{"a dog", "another dog"}));
    QCOMPARE(loaded.items[1].relative_path, std::string("5_dogs/강아지 🐶.png"));
    QCOMPARE(loaded.items[2].tags, (std::vector<std::string>{"tabby", "indoor"}));
    QCOMPARE(loaded.skipped.size(), std::size_t{1});
    QCOMPARE(loaded.skipped[0].reason, SkipReason::NotAnImage);
    QCOMPARE(loaded.skipped[0].path, folder / "photos/broken.jpg");
}

void TestDataProject::moves_with_its_folder()
{
    QTemporaryDir temp;
    const fs::path folder = fs::path(temp.path().toStdString()) / "project";
    write_photo(folder / "photos/a.png", 1);
    save_project(project_from_scan(scan_dataset({folder / "photos"}), {}), folder / "p.json");
    const fs::path moved = fs::path(temp.path().toStdString()) / "elsewhere";
    fs::rename(folder, moved);
    const Project loaded = load_project(moved / "p.json");
    QVERIFY(fs::exists(item_path(loaded, loaded.items.at(0))));
}

void TestDataProject::refuses_damaged_and_newer_files()
{
    QTemporaryDir temp;
    const fs::path folder(temp.path().toStdString());
    const struct {
        std::string json;
        ErrorCategory category;
        std::string says;
    } cases[] = {
        {"{ not json", ErrorCategory::InvalidInput, "not valid JSON"},
        {"[1, 2]", ErrorCategory::InvalidInput, "object"},
        {R"({"roots": []})", ErrorCategory::InvalidInput, "schema_version"},
        {R"({"schema_version": "1"})", ErrorCategory::InvalidInput, "schema_version"},
        {R"({"schema_version": 2, "roots": []})", ErrorCategory::Unsupported, "newer PhotoTune Studio"},
        {R"({"schema_version": 0})", ErrorCategory::InvalidInput, "schema_version"},
        {R"({"schema_version": 1, "roots": ["/x"], "items": [{"path": "a.jpg", "split": "test"}]})",
         ErrorCategory::InvalidInput, "item 0 \"split\""},
        {R"({"schema_version": 1, "roots": ["/x"], "items": [{"path": "a.jpg", "root": 3}]})",
         ErrorCategory::InvalidInput, "\"root\""},
        {R"({"schema_version": 1, "roots": ["/x"], "items": [{"label": "x"}]})", ErrorCategory::InvalidInput,
         "item 0 has no \"path\""},
        {R"({"schema_version": 1, "roots": ["/x"], "items": [{"path": "a.jpg", "captions": "one"}]})",
         ErrorCategory::InvalidInput, "\"captions\" must be a list"},
        {R"({"schema_version": 1, "split": {"validation_fraction": 1.5}})", ErrorCategory::InvalidInput,
         "validation_fraction"},
        {R"({"schema_version": 1, "skipped": [{"path": "/x/a", "reason": "haunted"}]})", ErrorCategory::InvalidInput,
         "reason"},
    };
    for (const auto& c : cases) {
        const Error error = load_error(folder, c.json);
        QVERIFY2(error.category() == c.category, (c.json + " -> " + error.what()).c_str());
        QVERIFY2(contains(error.what(), c.says), (c.json + " -> " + error.what()).c_str());
        QVERIFY2(contains(error.what(), "broken.phototune.json"), error.what());
    }
    try {
        load_project(folder / "absent.json");
        QFAIL("expected an error");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::NotFound);
    }
}

void TestDataProject::split_is_stratified_and_seeded()
{
    const auto keys = keys_for(100, 5);
    const auto splits = assign_splits(keys, {0.2, 1});
    for (int label = 0; label < 5; ++label) {
        int validation = 0;
        for (int i = 0; i < 100; ++i) validation += splits[label * 100 + i] == Split::Validation;
        QVERIFY2(validation >= 10 && validation <= 30, std::to_string(validation).c_str());
    }
    QCOMPARE(assign_splits(keys, {0.2, 1}), splits);  // reproducible
    QVERIFY(assign_splits(keys, {0.2, 2}) != splits);  // the seed matters

    // Small labels: one photo stays in training; two photos give one of each; the fraction 0 gives none.
    const std::vector<SplitKey> small = {{"solo", "solo/a.jpg"}, {"pair", "pair/a.jpg"}, {"pair", "pair/b.jpg"}};
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        const auto s = assign_splits(small, {0.2, seed});
        QCOMPARE(s[0], Split::Train);
        QVERIFY(s[1] != s[2]);
        const auto high = assign_splits(small, {0.95, seed});
        QVERIFY(high[1] != high[2]);
    }
    for (const Split s : assign_splits(small, {0.0, 3})) QCOMPARE(s, Split::Train);
    QVERIFY_THROWS_EXCEPTION(Error, assign_splits(small, {1.0, 0}));
    QVERIFY_THROWS_EXCEPTION(Error, assign_splits(small, {-0.1, 0}));
}

void TestDataProject::split_is_stable_when_photos_are_added()
{
    const SplitOptions options{0.2, 11};
    auto keys = keys_for(50, 4);
    const auto before = assign_splits(keys, options);
    const auto more = keys_for(20, 4, 1000);
    keys.insert(keys.end(), more.begin(), more.end());
    const auto after = assign_splits(keys, options);
    for (std::size_t i = 0; i < before.size(); ++i) QCOMPARE(after[i], before[i]);

    // Where a fix-up was needed (a label too small for the fraction), only the fixed-up photo can move.
    std::vector<SplitKey> tiny = {{"x", "x/1.jpg"}, {"x", "x/2.jpg"}};
    const auto tiny_before = assign_splits(tiny, options);
    tiny.push_back({"x", "x/3.jpg"});
    tiny.push_back({"x", "x/4.jpg"});
    const auto tiny_after = assign_splits(tiny, options);
    int moved = 0;
    for (std::size_t i = 0; i < tiny_before.size(); ++i) moved += tiny_after[i] != tiny_before[i];
    QVERIFY(moved <= 1);
}

void TestDataProject::sidecar_conflicts()
{
    QTemporaryDir temp;
    const fs::path folder(temp.path().toStdString());
    for (const char* name : {"a.png", "b.png", "c.png", "d.png"}) write_photo(folder / "photos" / name, name[0]);
    write_file_atomic(folder / "photos/b.txt", "\xEF\xBB\xBF" "same caption\r\n");
    write_file_atomic(folder / "photos/c.txt", "the person's own caption\n");
    Project project = project_from_scan(scan_dataset({folder / "photos"}), {});
    QCOMPARE(project.items.size(), std::size_t{4});
    project.items[0].captions = {"new caption", "second line"};
    project.items[1].captions = {"same caption"};
    project.items[2].captions = {"studio caption"};
    project.items[3].captions = {};

    const auto report = write_caption_sidecars(project, false);
    QCOMPARE(report.written, std::size_t{1});
    QCOMPARE(report.unchanged, std::size_t{1});
    QCOMPARE(report.conflicts.size(), std::size_t{1});
    QCOMPARE(report.conflicts[0].sidecar, folder / "photos/c.txt");
    QCOMPARE(report.conflicts[0].on_disk, std::vector<std::string>{"the person's own caption"});
    QCOMPARE(report.conflicts[0].in_project, std::vector<std::string>{"studio caption"});
    QCOMPARE(read_text_file(folder / "photos/a.txt"), std::string("new caption\nsecond line\n"));
    QCOMPARE(read_text_file(folder / "photos/b.txt"), std::string("\xEF\xBB\xBF" "same caption\r\n"));  // untouched
    QCOMPARE(read_text_file(folder / "photos/c.txt"), std::string("the person's own caption\n"));
    QVERIFY(!fs::exists(folder / "photos/d.txt"));

    const auto forced = write_caption_sidecars(project, true);
    QCOMPARE(forced.written, std::size_t{1});
    QCOMPARE(forced.unchanged, std::size_t{2});
    QVERIFY(forced.conflicts.empty());
    QCOMPARE(read_text_file(folder / "photos/c.txt"), std::string("studio caption\n"));
}

void TestDataProject::merge_keeps_edits_and_adds_new_photos()
{
    QTemporaryDir temp;
    const fs::path folder(temp.path().toStdString());
    write_photo(folder / "first/cats/a.png", 1);
    write_photo(folder / "first/cats/b.png", 2);
    write_photo(folder / "second/dogs/c.png", 3);
    write_photo(folder / "second/dogs/copy_of_a.png", 1);
    Project project = project_from_scan(scan_dataset({folder / "first"}), {0.5, 3});
    project.items[0].captions = {"my own caption"};

    // The second folder, and the first again: only the second's photos are new.
    const Project more = project_from_scan(scan_dataset({folder / "second", folder / "first"}), {0.5, 3});
    QCOMPARE(merge_project(project, more), std::size_t{2});
    QCOMPARE(project.items.size(), std::size_t{4});
    QCOMPARE(project.roots.size(), std::size_t{2});
    QCOMPARE(project.items[0].captions, std::vector<std::string>{"my own caption"});
    const auto copy = std::find_if(project.items.begin(), project.items.end(),
                                   [](const ProjectItem& item) { return item.relative_path == "dogs/copy_of_a.png"; });
    QVERIFY(copy != project.items.end());
    QVERIFY(copy->excluded);
    QVERIFY(contains(copy->exclusion_reason, "cats/a.png"));
    for (const auto& item : project.items) QVERIFY(fs::exists(item_path(project, item)));
    QCOMPARE(merge_project(project, more), std::size_t{0});
}

QTEST_GUILESS_MAIN(TestDataProject)
#include "test_data_project.moc"

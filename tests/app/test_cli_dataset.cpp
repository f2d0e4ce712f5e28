// phototune-cli caption and dataset: tagging and captions from the fixture model, sidecars never
// written over a person's own, project files, and exports open_clip reads (CSV, WebDataset tars).
#include "support/cli_runner.h"
#include "support/fixtures.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <archive.h>
#include <archive_entry.h>

#include <fstream>
#include <set>

using phototune::test::run_cli;
using phototune::test::str;
namespace fs = std::filesystem;

namespace {

// A folder of two labels made from the fixture images, one photo with the person's own caption.
fs::path make_photo_folder(const fs::path& root)
{
    const fs::path images = phototune::test::fixtures_dir() / "images";
    const fs::path data = root / "photos";
    fs::create_directories(data / "cats");
    fs::create_directories(data / "dogs");
    fs::copy_file(images / "img_640x480.jpg", data / "cats" / "a.jpg");
    fs::copy_file(images / "img_300x200.jpg", data / "cats" / "b.jpg");
    fs::copy_file(images / "img_200x300.png", data / "dogs" / "c.png");
    fs::copy_file(images / "img_gray_257x191.jpg", data / "dogs" / "d.jpg");
    std::ofstream(data / "dogs" / "d.txt") << "my own caption\n";
    return data;
}

std::vector<std::string> tar_members(const fs::path& tar)
{
    std::vector<std::string> names;
    archive* reader = archive_read_new();
    archive_read_support_format_tar(reader);
    if (archive_read_open_filename(reader, tar.c_str(), 10240) != ARCHIVE_OK) return names;
    archive_entry* entry = nullptr;
    while (archive_read_next_header(reader, &entry) == ARCHIVE_OK) names.emplace_back(archive_entry_pathname(entry));
    archive_read_free(reader);
    return names;
}

} // namespace

class TestCliDataset : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void captionTagsAndComposes()
    {
        PHOTOTUNE_REQUIRE_FIXTURE(model, "tiny-clip");
        QTemporaryDir dir;
        const fs::path data = make_photo_folder(dir.path().toStdString());
        const auto run = run_cli({"caption", "--model", str(model), "--data", str(data), "--top-k", "3", "--min-score", "1",
                                  "--template", "a photo of {label}, {tags}", "--json"});
        QVERIFY2(run.exit_code == 0, qPrintable(run.err));
        const auto report = nlohmann::json::parse(run.out.toStdString());
        QCOMPARE(report["photos"].size(), std::size_t{4});
        QVERIFY(report["vocabulary_terms"].get<int>() >= 300);
        for (const auto& photo : report["photos"]) {
            QVERIFY(photo["tags"].size() >= 1 && photo["tags"].size() <= 3);
            const std::string caption = photo["captions"][0];
            if (photo["kept_existing_captions"].get<bool>()) {
                QCOMPARE(caption, std::string("my own caption"));
                continue;
            }
            const std::string expected = "a photo of " + photo["label"].get<std::string>() + ", " +
                                         photo["tags"][0]["term"].get<std::string>();
            QVERIFY2(caption.rfind(expected, 0) == 0, caption.c_str());
            QCOMPARE(photo["too_long"].get<bool>(), false);
        }
        // Same photos, same tags: the second run reads the vocabulary's embeddings from the cache.
        const auto again = run_cli({"caption", "--model", str(model), "--data", str(data), "--top-k", "3", "--min-score",
                                    "1", "--json"});
        QCOMPARE(again.exit_code, 0);
        const auto second = nlohmann::json::parse(again.out.toStdString());
        QVERIFY(second["text_embeddings_from_cache"].get<bool>());
        for (std::size_t i = 0; i < 4; ++i) QCOMPARE(second["photos"][i]["tags"], report["photos"][i]["tags"]);
    }

    void captionWritesSidecarsButNeverOverAPersonsOwn()
    {
        PHOTOTUNE_REQUIRE_FIXTURE(model, "tiny-clip");
        QTemporaryDir dir;
        const fs::path data = make_photo_folder(dir.path().toStdString());
        const auto run = run_cli({"caption", "--model", str(model), "--data", str(data), "--replace-captions",
                                  "--write-sidecars", "--json"});
        QVERIFY2(run.exit_code == 0, qPrintable(run.err));
        const auto report = nlohmann::json::parse(run.out.toStdString());
        QCOMPARE(report["sidecars"]["written"].get<int>(), 3);
        QCOMPARE(report["sidecars"]["conflicts"].size(), std::size_t{1}); // d.txt says something else
        std::ifstream own(data / "dogs" / "d.txt");
        std::string line;
        std::getline(own, line);
        QCOMPARE(line, std::string("my own caption"));
        QVERIFY(fs::exists(data / "cats" / "a.txt"));
    }

    void projectInitCaptionAndExport()
    {
        PHOTOTUNE_REQUIRE_FIXTURE(model, "tiny-clip");
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        const fs::path data = make_photo_folder(root);
        const fs::path project = root / "my.phototune.json";
        const auto init = run_cli({"dataset", "init", "--data", str(data), "--out", str(project), "--val-split", "0.25"});
        QVERIFY2(init.exit_code == 0, qPrintable(init.err));
        QVERIFY(fs::exists(project));

        const auto caption = run_cli({"caption", "--model", str(model), "--project", str(project), "--min-score", "1"});
        QVERIFY2(caption.exit_code == 0, qPrintable(caption.err));
        std::ifstream in(project);
        const auto saved = nlohmann::json::parse(in);
        std::size_t tagged = 0;
        for (const auto& item : saved["items"]) tagged += !item["tags"].empty();
        QCOMPARE(tagged, std::size_t{4});

        const fs::path csv_dir = root / "csv";
        const auto csv = run_cli({"dataset", "export", "--project", str(project), "--format", "csv", "--out", str(csv_dir)});
        QVERIFY2(csv.exit_code == 0, qPrintable(csv.err));
        std::ifstream table(csv_dir / "train.csv");
        std::string header;
        std::getline(table, header);
        QCOMPARE(header, std::string("filepath\ttitle"));
        std::size_t rows = 0;
        for (std::string row; std::getline(table, row);) rows += !row.empty();
        QVERIFY(rows >= 2);

        const fs::path shards = root / "shards";
        const auto wds = run_cli({"dataset", "export", "--project", str(project), "--format", "webdataset", "--out",
                                  str(shards), "--shard-size", "2"});
        QVERIFY2(wds.exit_code == 0, qPrintable(wds.err));
        QVERIFY(wds.out.contains("open_clip_train --dataset-type webdataset"));
        const auto members = tar_members(shards / "000000.tar");
        QCOMPARE(members.size(), std::size_t{4}); // 2 samples: key.jpg + key.txt each
        QVERIFY(members[0].size() > 4 && members[0].substr(members[0].size() - 4) == ".jpg");
    }

    void exportWithoutSourceIsAClearError()
    {
        const auto run = run_cli({"dataset", "export", "--format", "csv", "--out", "/tmp/x"});
        QCOMPARE(run.exit_code, 1);
        QVERIFY(run.err.contains("--data or --project"));
    }
};

QTEST_GUILESS_MAIN(TestCliDataset)
#include "test_cli_dataset.moc"

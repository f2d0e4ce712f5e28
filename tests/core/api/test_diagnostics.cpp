// The diagnostics zip: versions, hardware, the runs' configurations and logs and the crash reports
// are inside; photos, weights and anything else in a run folder are not.
#include "core/api/diagnostics.h"

#include "support/zip_reader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace phototune;
using phototune::test::zip_contents;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& file, const std::string& text)
{
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

// runs/run-1 as the trainer leaves it, plus a photo and a log; runs/notes is not a run.
fs::path make_runs(const fs::path& root)
{
    const fs::path run = root / "runs" / "run-1";
    write(run / "run.json", R"({"schema_version": 1})");
    write(run / "metrics.jsonl", "{\"step\": 1, \"loss\": 2.5}\n");
    write(run / "train.log", "step 1\n");
    write(run / "photo.jpg", "\xFF\xD8\xFF not really a photo");
    write(run / "adapter_model.safetensors", "weights");
    write(run / "checkpoints" / "step-1" / "adapter_model.safetensors", "weights");
    write(root / "runs" / "notes" / "todo.log", "not a run\n");
    return root / "runs";
}

} // namespace

class DiagnosticsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_root = fs::path(m_dir.path().toStdString()) / QTest::currentTestFunction();
        fs::create_directories(m_root);
        // Crash reports are read from the cache dir: give each test its own.
        qputenv("PHOTOTUNE_CACHE_DIR", QByteArray::fromStdString((m_root / "cache").string()));
    }

    void packsAllowListedFilesAndNoPhotosOrWeights()
    {
        const fs::path runs = make_runs(m_root);
        write(m_root / "cache" / "crash-reports" / "crash-1765000000-42.txt", "signal: SIGSEGV (11)\n");
        DiagnosticsRequest request;
        request.output = m_root / "diagnostics.zip";
        request.runs_dir = runs;
        const auto written = write_diagnostics(request);
        QVERIFY2(written, written ? "" : written.failure().message.c_str());
        QCOMPARE(*written, request.output);

        const auto members = zip_contents(request.output);
        for (const char* expected : {"manifest.txt", "versions.txt", "hardware.json", "runs/run-1/run.json",
                                     "runs/run-1/metrics.jsonl", "runs/run-1/train.log",
                                     "crash-reports/crash-1765000000-42.txt"})
            QVERIFY2(members.count(expected), expected);
        QCOMPARE(members.at("runs/run-1/metrics.jsonl"), std::string("{\"step\": 1, \"loss\": 2.5}\n"));
        QVERIFY(members.at("versions.txt").find("PhotoTune Studio") != std::string::npos);
        QVERIFY(members.at("hardware.json").find("cpu") != std::string::npos);
        QCOMPARE(members.size(), std::size_t(7));
        for (const auto& [name, data] : members) {
            QVERIFY2(name.find("photo") == std::string::npos, name.c_str());
            QVERIFY2(name.find("safetensors") == std::string::npos, name.c_str());
            QVERIFY2(name.find("notes") == std::string::npos, name.c_str());
        }
        const auto& manifest = members.at("manifest.txt");
        QVERIFY(manifest.find("Photos are never included") != std::string::npos);
        QVERIFY(manifest.find("runs/run-1/run.json") != std::string::npos);
        QVERIFY(manifest.find("not on the allow-list") != std::string::npos);
        QVERIFY2(manifest.find("photo.jpg") == std::string::npos, "left-out files are counted, not named");
        // Written to a temporary name and renamed: nothing else is left beside it.
        int files = 0;
        for (const auto& entry : fs::directory_iterator(m_root)) files += entry.is_regular_file();
        QCOMPARE(files, 1);
    }

    void acceptsOneRunFolder()
    {
        const fs::path runs = make_runs(m_root);
        DiagnosticsRequest request{m_root / "one.zip", runs / "run-1"};
        QVERIFY(write_diagnostics(request));
        const auto members = zip_contents(request.output);
        QVERIFY(members.count("runs/run-1/run.json"));
        QVERIFY(!members.count("runs/run-1/photo.jpg"));
    }

    void skipsLinksThatLookAllowed()
    {
#ifdef _WIN32
        QSKIP("symbolic links need privileges on Windows");
#else
        const fs::path runs = make_runs(m_root);
        fs::create_symlink(runs / "run-1" / "photo.jpg", runs / "run-1" / "sneaky.log");
        DiagnosticsRequest request{m_root / "links.zip", runs};
        QVERIFY(write_diagnostics(request));
        const auto members = zip_contents(request.output);
        QVERIFY(!members.count("runs/run-1/sneaky.log"));
        QVERIFY(members.at("manifest.txt").find("sneaky.log: a link") != std::string::npos);
#endif
    }

    void worksWithoutRuns()
    {
        DiagnosticsRequest request{m_root / "bare.zip", {}};
        QVERIFY(write_diagnostics(request));
        QCOMPARE(zip_contents(request.output).size(), std::size_t(3)); // manifest, versions, hardware
    }

    void missingRunsFolderIsRefused()
    {
        DiagnosticsRequest request{m_root / "none.zip", m_root / "no-such-folder"};
        const auto written = write_diagnostics(request);
        QVERIFY(!written);
        QCOMPARE(written.failure().category, ErrorCategory::NotFound);
        QVERIFY(written.failure().message.find("no-such-folder") != std::string::npos);
        QVERIFY(!fs::exists(request.output));
    }

private:
    QTemporaryDir m_dir;
    fs::path m_root;
};

QTEST_GUILESS_MAIN(DiagnosticsTest)
#include "test_diagnostics.moc"

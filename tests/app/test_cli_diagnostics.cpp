// phototune-cli diagnostics: writes the zip with a run's config and logs but not its photos or
// weights, and refuses to run without --out.
#include "support/cli_runner.h"
#include "support/zip_reader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using phototune::test::run_cli;
using phototune::test::str;
namespace fs = std::filesystem;

class TestCliDiagnostics : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void writesZipWithoutPhotos()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        const fs::path run = root / "runs" / "first";
        fs::create_directories(run);
        std::ofstream(run / "run.json") << "{}";
        std::ofstream(run / "metrics.jsonl") << "{\"step\": 1}\n";
        std::ofstream(run / "photo.jpg") << "jpeg";
        std::ofstream(run / "adapter_model.safetensors") << "weights";
        phototune::test::ScopedEnvironmentVariable cache("PHOTOTUNE_CACHE_DIR", QByteArray::fromStdString((root / "cache").string()));

        const fs::path zip = root / "report.zip";
        const auto result = run_cli({"diagnostics", "--out", str(zip), "--runs", str(root / "runs")});
        QVERIFY2(result.exit_code == 0, qPrintable(result.err));
        QVERIFY(result.out.contains("report.zip"));
        const auto members = phototune::test::zip_contents(zip);
        QVERIFY(members.count("manifest.txt"));
        QVERIFY(members.count("runs/first/run.json"));
        QVERIFY(members.count("runs/first/metrics.jsonl"));
        QVERIFY(!members.count("runs/first/photo.jpg"));
        QVERIFY(!members.count("runs/first/adapter_model.safetensors"));
    }

    void needsOut()
    {
        const auto result = run_cli({"diagnostics"});
        QVERIFY(result.exit_code != 0);
        QVERIFY(result.err.contains("--out"));
        const auto help = run_cli({"diagnostics", "--help"});
        QCOMPARE(help.exit_code, 0);
        QVERIFY(help.out.contains("never included"));
    }
};

QTEST_GUILESS_MAIN(TestCliDiagnostics)
#include "test_cli_diagnostics.moc"

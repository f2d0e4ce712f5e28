// phototune-cli train -> export -> zeroshot --adapter: the trained adapter changes the answers,
// the merged export gives the same answers as the adapter, and the events are JSON lines.
#include "../core/train/shapes_dataset.h"
#include "support/cli_runner.h"

#include <nlohmann/json.hpp>

#include <fstream>

#include <QTemporaryDir>
#include <QtTest>

using phototune::test::run_cli;
using phototune::test::str;

namespace {

// label -> probability rows of `zeroshot` output, one per image.
std::vector<nlohmann::json> probabilities(const QString& out)
{
    std::vector<nlohmann::json> rows;
    for (const auto& line : out.split('\n', Qt::SkipEmptyParts)) rows.push_back(nlohmann::json::parse(line.toStdString())["probabilities"]);
    return rows;
}

double max_difference(const std::vector<nlohmann::json>& a, const std::vector<nlohmann::json>& b)
{
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        for (const auto& [label, p] : a[i].items()) worst = std::max(worst, std::abs(p.get<double>() - b[i][label].get<double>()));
    return worst;
}

} // namespace

class TestCliTrain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void train_export_zeroshot();
    void recipe_fills_what_flags_do_not_set();
    void bad_usage();
    void measure_memory_reports_the_steps_peak();
};

void TestCliTrain::train_export_zeroshot()
{
    QTemporaryDir tmp;
    const std::filesystem::path root = tmp.path().toStdString();
    phototune::test::write_shapes_dataset(root / "data", 4, 5);
    const auto init = run_cli({"init-model", "--preset", "tiny", "--out", str(root / "model")});
    QVERIFY2(init.exit_code == 0, qPrintable(init.err));

    const auto train = run_cli({"train", "--model", str(root / "model"), "--data", str(root / "data"), "--out", str(root / "run"),
                                "--rank", "8", "--targets", "q_proj,v_proj,fc1", "--steps", "20", "--batch", "16", "--lr", "5e-3",
                                "--events", "jsonl"});
    QVERIFY2(train.exit_code == 0, qPrintable(train.err));
    QVERIFY(train.err.contains("each photo is seen about"));
    QStringList kinds;
    for (const auto& line : train.out.split('\n', Qt::SkipEmptyParts))
        kinds << QString::fromStdString(nlohmann::json::parse(line.toStdString())["event"].get<std::string>());
    QCOMPARE(kinds.first(), QStringLiteral("plan"));
    QCOMPARE(kinds.last(), QStringLiteral("finished"));
    QCOMPARE(kinds.count("step"), 20);
    QVERIFY(kinds.contains("eval") && kinds.contains("checkpoint"));

    const auto exported = run_cli({"export", "--run", str(root / "run"), "--out", str(root / "adapter")});
    QVERIFY2(exported.exit_code == 0, qPrintable(exported.err));
    QVERIFY(std::filesystem::exists(root / "adapter/adapter_config.json"));
    const auto merged = run_cli({"export", "--run", str(root / "run"), "--out", str(root / "merged"), "--merged"});
    QVERIFY2(merged.exit_code == 0, qPrintable(merged.err));
    QVERIFY(std::filesystem::exists(root / "merged/vocab.json") && std::filesystem::exists(root / "merged/merges.txt"));

    const QStringList images = {str(root / "data/red circle/0.png"), str(root / "data/blue square/1.png"),
                                str(root / "data/yellow triangle/2.png")};
    const QString labels = "red circle,blue square,yellow triangle,green circle";
    const auto plain = run_cli(QStringList{"zeroshot", "--model", str(root / "model"), "--labels", labels} + images);
    const auto adapted = run_cli(QStringList{"zeroshot", "--model", str(root / "model"), "--adapter", str(root / "adapter"),
                                             "--labels", labels} + images);
    const auto folded = run_cli(QStringList{"zeroshot", "--model", str(root / "merged"), "--labels", labels} + images);
    QVERIFY2(plain.exit_code == 0 && adapted.exit_code == 0 && folded.exit_code == 0,
             qPrintable(plain.err + adapted.err + folded.err));
    const auto p0 = probabilities(plain.out), p1 = probabilities(adapted.out), p2 = probabilities(folded.out);
    QCOMPARE(p1.size(), std::size_t{3});
    QVERIFY2(max_difference(p0, p1) > 0.05, qPrintable(QString::number(max_difference(p0, p1))));
    QVERIFY2(max_difference(p1, p2) < 1e-4, qPrintable(QString::number(max_difference(p1, p2))));

    // The run's own adapter/ works the same as the exported one; strength 0 gives the base model.
    const auto zero = run_cli({"export", "--run", str(root / "run"), "--out", str(root / "zero"), "--strength", "0"});
    QVERIFY2(zero.exit_code == 0, qPrintable(zero.err));
    const auto at_zero = run_cli(QStringList{"zeroshot", "--model", str(root / "model"), "--adapter", str(root / "zero"),
                                             "--labels", labels} + images);
    QVERIFY(max_difference(p0, probabilities(at_zero.out)) < 1e-5);

    const auto embed = run_cli({"embed", "--model", str(root / "model"), "--adapter", str(root / "adapter"), "--text", "a red circle",
                                "--out", str(root / "e.safetensors")});
    QVERIFY2(embed.exit_code == 0, qPrintable(embed.err));
}

// --recipe clip-lora: rank 2, alpha 1, q/k/v in both towers, unless a flag says otherwise.
void TestCliTrain::recipe_fills_what_flags_do_not_set()
{
    QTemporaryDir tmp;
    const std::filesystem::path root = tmp.path().toStdString();
    phototune::test::write_shapes_dataset(root / "data", 2, 5);
    QCOMPARE(run_cli({"init-model", "--preset", "tiny", "--out", str(root / "model")}).exit_code, 0);
    const auto config_of = [&](const char* run, const QStringList& extra) {
        const auto train = run_cli(QStringList{"train", "--model", str(root / "model"), "--data", str(root / "data"), "--out",
                                               str(root / run), "--steps", "1", "--recipe", "clip-lora"} + extra);
        if (train.exit_code != 0) qWarning("%s", qPrintable(train.err));
        return nlohmann::json::parse(std::ifstream(root / run / "run.json"))["config"];
    };
    const auto recipe = config_of("recipe", {});
    QCOMPARE(recipe["rank"].get<int>(), 2);
    QCOMPARE(recipe["alpha"].get<double>(), 1.0);
    QCOMPARE(recipe["targets"], nlohmann::json({"q_proj", "k_proj", "v_proj"}));
    QCOMPARE(recipe["towers"].get<std::string>(), std::string("both"));
    const auto overridden = config_of("overridden", {"--rank", "4", "--towers", "vision"});
    QCOMPARE(overridden["rank"].get<int>(), 4);
    QCOMPARE(overridden["alpha"].get<double>(), 1.0);
    QCOMPARE(overridden["towers"].get<std::string>(), std::string("vision"));
    QCOMPARE(run_cli({"train", "--model", str(root / "model"), "--data", str(root / "data"), "--out", str(root / "x"),
                      "--recipe", "magic"}).exit_code, 105); // CLI11's validation error
}

void TestCliTrain::bad_usage()
{
    QTemporaryDir tmp;
    const std::filesystem::path root = tmp.path().toStdString();
    const auto missing = run_cli({"train", "--out", str(root / "run")});
    QCOMPARE(missing.exit_code, 1);
    QVERIFY(missing.err.contains("--model and --data (or --project) are required"));
    const auto resume = run_cli({"train", "--out", str(root / "nothing"), "--resume"});
    QCOMPARE(resume.exit_code, 1);
    QVERIFY(resume.err.contains("no run to resume"));
    const auto export_missing = run_cli({"export", "--run", str(root), "--out", str(root / "x")});
    QCOMPARE(export_missing.exit_code, 1);
    QVERIFY(export_missing.err.contains("not a training run folder"));
}

// train --measure-memory prints the steps' measured peak, which `plan` predicts for the same
// settings (the plan assumes every caption distinct, so it may only over-predict here).
void TestCliTrain::measure_memory_reports_the_steps_peak()
{
    QTemporaryDir tmp;
    const std::filesystem::path root = tmp.path().toStdString();
    phototune::test::write_shapes_dataset(root / "data", 4, 5);
    QCOMPARE(run_cli({"init-model", "--preset", "tiny", "--out", str(root / "model")}).exit_code, 0);
    const auto train = run_cli({"train", "--model", str(root / "model"), "--data", str(root / "data"), "--out", str(root / "run"),
                                "--steps", "3", "--batch", "8", "--measure-memory", "--events", "jsonl"});
    QVERIFY2(train.exit_code == 0, qPrintable(train.err));
    QVERIFY(train.err.contains("measured peak tensor memory of the training steps"));
    const auto finished = nlohmann::json::parse(train.out.split('\n', Qt::SkipEmptyParts).last().toStdString());
    const double measured = finished["peak_step_bytes"].get<double>();

    const auto plan = [&] {
        const phototune::test::ScopedEnvironmentVariable cache_dir("PHOTOTUNE_CACHE_DIR", tmp.path().toUtf8());
        return run_cli({"plan", "--model", str(root / "model"), "--batch", "8", "--json"});
    }();
    QVERIFY2(plan.exit_code == 0, qPrintable(plan.err));
    const double predicted = nlohmann::json::parse(plan.out.toStdString())["prediction"]["memory"]["total_bytes"].get<double>();
    QVERIFY2(measured > 0.6 * predicted && measured < 1.1 * predicted,
             qPrintable(QStringLiteral("measured %1, predicted %2").arg(measured).arg(predicted)));
}

QTEST_GUILESS_MAIN(TestCliTrain)
#include "test_cli_train.moc"

// The run history on real runs of an untrained tiny model (kept where the Hugging Face cache would
// keep it) in one runs folder: a finished run of rank 2, a run of rank 4 at another learning rate
// stopped after 3 of its 8 steps, a folder with a broken run.json and one without a run.json. The
// table lists what read_run_history reads, newest first, the broken run with its error; two
// selected runs are compared (differing settings in bold, a loss and an accuracy curve each);
// Export… and Continue act on one run when they can; Refresh lists a new run and keeps the selection.
#include "core/api/clip_engine.h"
#include "core/api/training.h"
#include "support/shape_photos.h"
#include "support/widget_lookup.h"
#include "ui/widgets/run_history_dialog.h"

#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include "ui/support/qcustomplot_include.h"
#include "support/own_settings.h"

#include <algorithm>

using phototune::RunHistory;
using phototune::TrainConfig;
using phototune::test::child;
using phototune::ui::RunHistoryDialog;

namespace {

constexpr int kStoppedAtStep = 3;

struct StopAfterStep final : phototune::TrainObserver {
    explicit StopAfterStep(std::int64_t step) : step(step) {}
    void on_step(const phototune::TrainStepEvent& event) override
    {
        if (event.step == step) cancel.request_cancel();
    }
    std::int64_t step;
    phototune::CancelToken cancel;
};

void writeFile(const QString& path, const QByteArray& contents)
{
    QVERIFY(QDir().mkpath(QFileInfo(path).path()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(contents), contents.size());
}

RunHistory historyOf(const QString& runDir)
{
    auto history = phototune::read_run_history(runDir.toStdString());
    if (!history) qWarning("%s", history.failure().message.c_str());
    return history ? std::move(history).value() : RunHistory{};
}

int rowOf(QTableWidget* table, const QString& run)
{
    for (int row = 0; row < table->rowCount(); ++row)
        if (table->item(row, 0)->text() == run) return row;
    return -1;
}

int settingRow(QTableWidget* settings, const QString& name)
{
    for (int row = 0; row < settings->rowCount(); ++row)
        if (settings->verticalHeaderItem(row)->text() == name) return row;
    return -1;
}

bool rowIsBold(QTableWidget* settings, int row)
{
    for (int column = 0; column < settings->columnCount(); ++column)
        if (!settings->item(row, column)->font().bold()) return false;
    return true;
}

QCPGraph* graphNamed(QCustomPlot* plot, const QString& name)
{
    for (int i = 0; i < plot->graphCount(); ++i)
        if (plot->graph(i)->name() == name) return plot->graph(i);
    return nullptr;
}

// Clicks a run's row as a user would; with Ctrl it is added to the selection.
void clickRun(RunHistoryDialog& dialog, const QString& run, Qt::KeyboardModifiers modifiers = {})
{
    auto* table = child<QTableWidget>(&dialog, "runTable");
    const int row = rowOf(table, run);
    QVERIFY2(row >= 0, qPrintable(run));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, modifiers, table->visualItemRect(table->item(row, 0)).center());
}

} // namespace

class TestRunHistory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void lists_runs_newest_first_as_their_folders_tell();
    void two_selected_runs_are_compared_side_by_side();
    void export_and_continue_act_on_one_run_that_allows_it();
    void refresh_lists_a_new_run_and_keeps_the_selection();

private:
    QString path(const QString& relative) const { return m_dir.filePath(relative); }
    QString runDir(const char* run) const { return path(QStringLiteral("runs/") + QLatin1String(run)); }
    TrainConfig config(const char* run, int rank, double lr, std::int64_t steps) const;
    // A dialog on the runs folder, shown, after its first listing arrived (false when it did not).
    bool openDialog(RunHistoryDialog& dialog);

    QTemporaryDir m_dir;
};

void TestRunHistory::initTestCase()
{
    phototune::test::useOwnSettings();
    QVERIFY(m_dir.isValid());
    phototune::test::writeShapes(path(QStringLiteral("photos")), 4);
    const auto model = phototune::create_untrained_model(
        "tiny", path(QStringLiteral("hub/models--phototune--tiny/snapshots/0123abcd")).toStdString(), 3);
    QVERIFY2(model.ok(), model.ok() ? "" : model.failure().message.c_str());

    phototune::TrainObserver ignore;
    const auto finished = phototune::run_training(config("run-a", 2, 1e-2, 4), ignore);
    QVERIFY2(finished.status == phototune::TrainStatus::Finished, finished.failure.message.c_str());
    StopAfterStep stop(kStoppedAtStep);
    const auto stopped = phototune::run_training(config("run-b", 4, 1e-3, 8), stop, stop.cancel);
    QCOMPARE(stopped.status, phototune::TrainStatus::Cancelled);

    writeFile(runDir("broken") + QStringLiteral("/run.json"), "{\"schema_version\": 1, \"config\": ");
    writeFile(runDir("notes") + QStringLiteral("/readme.txt"), "not a run");

    // What the dialog's answers are checked against.
    const RunHistory a = historyOf(runDir("run-a"));
    QVERIFY(a.finished);
    QCOMPARE(static_cast<int>(a.steps.size()), 4);
    const RunHistory b = historyOf(runDir("run-b"));
    QVERIFY(!b.finished);
    QCOMPARE(b.latest_checkpoint_step, std::int64_t{kStoppedAtStep});
    QCOMPARE(static_cast<int>(b.steps.size()), kStoppedAtStep);
    QCOMPARE(b.total_steps, std::int64_t{8});
}

TrainConfig TestRunHistory::config(const char* run, int rank, double lr, std::int64_t steps) const
{
    TrainConfig c;
    c.model_dir = path(QStringLiteral("hub/models--phototune--tiny/snapshots/0123abcd")).toStdString();
    c.data_dir = path(QStringLiteral("photos")).toStdString();
    c.run_dir = runDir(run).toStdString();
    c.rank = rank;
    c.alpha = 2.0 * rank;
    c.steps = steps;
    c.batch = 4;
    c.lr = lr;
    c.seed = 3;
    c.eval_every = 2;
    c.save_every = 1000; // checkpoints only at a stop and at the end
    c.device = "cpu";
    return c;
}

bool TestRunHistory::openDialog(RunHistoryDialog& dialog)
{
    QSignalSpy loaded(&dialog, &RunHistoryDialog::loaded);
    dialog.show();
    // Listed in the background: nothing is in the table when the constructor returns.
    if (child<QTableWidget>(&dialog, "runTable")->rowCount() != 0) return false;
    return QTest::qWaitForWindowExposed(&dialog) && (loaded.count() == 1 || loaded.wait(60000));
}

void TestRunHistory::lists_runs_newest_first_as_their_folders_tell()
{
    RunHistoryDialog dialog(path(QStringLiteral("runs")));
    QVERIFY(openDialog(dialog));
    auto* table = child<QTableWidget>(&dialog, "runTable");
    QCOMPARE(table->rowCount(), 3); // the folder without run.json is not a run
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("broken"));
    QCOMPARE(table->item(1, 0)->text(), QStringLiteral("run-b"));
    QCOMPARE(table->item(2, 0)->text(), QStringLiteral("run-a"));
    for (int column = 0; column < table->columnCount(); ++column)
        QVERIFY(!table->horizontalHeaderItem(column)->toolTip().isEmpty());

    // The broken run: its error across the other columns.
    const auto broken = phototune::read_run_history(runDir("broken").toStdString());
    QVERIFY(!broken.ok());
    QCOMPARE(table->item(0, 1)->text(), QString::fromStdString(broken.failure().message));
    QCOMPARE(table->columnSpan(0, 1), table->columnCount() - 1);

    for (const char* run : {"run-a", "run-b"}) {
        const RunHistory history = historyOf(runDir(run));
        const int row = rowOf(table, QLatin1String(run));
        double best = -1.0;
        for (const auto& evaluation : history.evaluations)
            if (!evaluation.base_model) best = std::max(best, evaluation.val_accuracy);
        QVERIFY(best >= 0); // evaluated at step 2
        QCOMPARE(table->item(row, 1)->text(), QStringLiteral("phototune/tiny")); // not the snapshot's hash
        QCOMPARE(table->item(row, 2)->text(), QString::number(history.config.rank));
        QCOMPARE(table->item(row, 3)->text(), QStringLiteral("%1 / %2").arg(history.steps.back().step).arg(history.total_steps));
        QCOMPARE(table->item(row, 4)->text(), QString::number(best * 100.0, 'f', 1) + QStringLiteral(" %"));
    }
    QCOMPARE(table->item(rowOf(table, QStringLiteral("run-a")), 6)->text(), QStringLiteral("finished"));
    QCOMPARE(table->item(rowOf(table, QStringLiteral("run-b")), 6)->text(),
             QStringLiteral("stopped at step 3, checkpoint of step 3"));
}

void TestRunHistory::two_selected_runs_are_compared_side_by_side()
{
    RunHistoryDialog dialog(path(QStringLiteral("runs")));
    QVERIFY(openDialog(dialog));
    auto* settings = child<QTableWidget>(&dialog, "runSettingsComparison");
    auto* loss = child<QCustomPlot>(&dialog, "runLossComparison");
    auto* accuracy = child<QCustomPlot>(&dialog, "runAccuracyComparison");
    QCOMPARE(settings->columnCount(), 0);
    QCOMPARE(loss->graphCount(), 0);

    clickRun(dialog, QStringLiteral("run-a"));
    clickRun(dialog, QStringLiteral("run-b"), Qt::ControlModifier);
    QCOMPARE(settings->columnCount(), 2);
    QCOMPARE(settings->horizontalHeaderItem(0)->text(), QStringLiteral("run-b")); // in the table's order
    QCOMPARE(settings->horizontalHeaderItem(1)->text(), QStringLiteral("run-a"));
    const int rank = settingRow(settings, QStringLiteral("LoRA rank"));
    QVERIFY(rank >= 0);
    QCOMPARE(settings->item(rank, 0)->text(), QStringLiteral("4"));
    QCOMPARE(settings->item(rank, 1)->text(), QStringLiteral("2"));
    QVERIFY(rowIsBold(settings, rank));
    const int rate = settingRow(settings, QStringLiteral("Learning rate"));
    QVERIFY(rate >= 0);
    QVERIFY(rowIsBold(settings, rate));
    const int model = settingRow(settings, QStringLiteral("Model"));
    QVERIFY(model >= 0);
    QCOMPARE(settings->item(model, 0)->text(), settings->item(model, 1)->text());
    QVERIFY(!settings->item(model, 0)->font().bold());
    QVERIFY(!settings->item(model, 1)->font().bold());

    QCOMPARE(loss->graphCount(), 2);
    for (const char* run : {"run-a", "run-b"}) {
        const RunHistory history = historyOf(runDir(run));
        QCPGraph* curve = graphNamed(loss, QLatin1String(run));
        QVERIFY(curve);
        QCOMPARE(curve->dataCount(), static_cast<int>(history.steps.size()));
        QCOMPARE(curve->data()->at(0)->value, history.steps.front().loss);

        QCPGraph* validation = graphNamed(accuracy, QStringLiteral("%1: learns your photos").arg(QLatin1String(run)));
        QVERIFY(validation);
        QVector<double> steps, values;
        for (const auto& evaluation : history.evaluations) {
            steps.append(static_cast<double>(evaluation.step));
            values.append(evaluation.val_accuracy * 100.0);
        }
        QCOMPARE(validation->dataCount(), static_cast<int>(steps.size()));
        for (int i = 0; i < validation->dataCount(); ++i) {
            QCOMPARE(validation->data()->at(i)->key, steps[i]);
            QCOMPARE(validation->data()->at(i)->value, values[i]);
        }
        const bool measuredRetention = std::any_of(history.evaluations.begin(), history.evaluations.end(),
                                                   [](const auto& evaluation) { return evaluation.retention_accuracy >= 0; });
        QCPGraph* retention = graphNamed(accuracy, QStringLiteral("%1: keeps general knowledge").arg(QLatin1String(run)));
        QCOMPARE(retention != nullptr, measuredRetention);
        if (retention) QCOMPARE(retention->pen().style(), Qt::DashLine);
    }
    // The legends sit below the axes, not over the curves, and leave the axes their width.
    for (QCustomPlot* chart : {loss, accuracy}) {
        chart->replot(); // lays the chart out now rather than in the next event-loop pass
        QVERIFY(chart->legend->visible());
        QVERIFY(chart->legend->outerRect().top() >= chart->axisRect()->outerRect().bottom());
        QVERIFY(chart->axisRect()->width() > chart->width() / 2);
    }

    // One run alone: shown, nothing to set apart.
    clickRun(dialog, QStringLiteral("run-a"));
    QCOMPARE(settings->columnCount(), 1);
    QCOMPARE(settings->item(rank, 0)->text(), QStringLiteral("2"));
    for (int row = 0; row < settings->rowCount(); ++row) QVERIFY(!settings->item(row, 0)->font().bold());
    QCOMPARE(loss->graphCount(), 1);
}

void TestRunHistory::export_and_continue_act_on_one_run_that_allows_it()
{
    RunHistoryDialog dialog(path(QStringLiteral("runs")));
    QVERIFY(openDialog(dialog));
    auto* exportButton = child<QPushButton>(&dialog, "exportRunButton");
    auto* continueButton = child<QPushButton>(&dialog, "continueRunButton");
    QSignalSpy exports(&dialog, &RunHistoryDialog::exportRequested);
    QSignalSpy continues(&dialog, &RunHistoryDialog::continueRequested);
    QVERIFY(!exportButton->isEnabled());
    QVERIFY(!continueButton->isEnabled());

    // The stopped run with a checkpoint: both.
    clickRun(dialog, QStringLiteral("run-b"));
    QVERIFY(exportButton->isEnabled());
    QVERIFY(continueButton->isEnabled());
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QTest::mouseClick(continueButton, Qt::LeftButton);
    QCOMPARE(exports.count(), 1);
    QCOMPARE(exports.front().at(0).toString(), runDir("run-b"));
    QCOMPARE(continues.count(), 1);
    QCOMPARE(continues.front().at(0).toString(), runDir("run-b"));

    // The finished run: export only.
    clickRun(dialog, QStringLiteral("run-a"));
    QVERIFY(exportButton->isEnabled());
    QVERIFY(!continueButton->isEnabled());
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QCOMPARE(exports.count(), 2);
    QCOMPARE(exports.back().at(0).toString(), runDir("run-a"));

    // Two runs, or the unreadable one: neither.
    clickRun(dialog, QStringLiteral("run-b"), Qt::ControlModifier);
    QVERIFY(!exportButton->isEnabled());
    QVERIFY(!continueButton->isEnabled());
    clickRun(dialog, QStringLiteral("broken"));
    QVERIFY(!exportButton->isEnabled());
    QVERIFY(!continueButton->isEnabled());
}

void TestRunHistory::refresh_lists_a_new_run_and_keeps_the_selection()
{
    RunHistoryDialog dialog(path(QStringLiteral("runs")));
    QVERIFY(openDialog(dialog));
    auto* table = child<QTableWidget>(&dialog, "runTable");
    clickRun(dialog, QStringLiteral("run-a"));
    writeFile(runDir("later") + QStringLiteral("/run.json"), "not json");

    QSignalSpy loaded(&dialog, &RunHistoryDialog::loaded);
    QTest::mouseClick(child<QPushButton>(&dialog, "refreshRunsButton"), Qt::LeftButton);
    QVERIFY(loaded.wait(60000));
    QCOMPARE(table->rowCount(), 4);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("later"));
    const QModelIndexList selected = table->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(table->item(selected.front().row(), 0)->text(), QStringLiteral("run-a"));
    QCOMPARE(child<QTableWidget>(&dialog, "runSettingsComparison")->columnCount(), 1);
    QVERIFY(child<QPushButton>(&dialog, "exportRunButton")->isEnabled());
}

QTEST_MAIN(TestRunHistory)
#include "test_run_history.moc"

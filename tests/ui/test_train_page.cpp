// The Train step on an untrained tiny model and generated photos: a run started by one click keeps
// the event loop responsive, the loss chart holds every step, the accuracy chart every evaluation
// and the gallery the held-out photos; Pause holds the steps, Resume continues them, and Stop
// leaves a run that read_run_history finds resumable and that resumeRun finishes.
#include "core/api/clip_engine.h"
#include "core/api/training.h"
#include "ui/pages/train_page.h"
#include "ui/training_controller.h"
#include "ui/widgets/prediction_gallery.h"
#include "support/shape_photos.h"
#include "support/widget_lookup.h"

#include <QCheckBox>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include "ui/support/qcustomplot_include.h"
#include "support/own_settings.h"

using phototune::TrainConfig;
using phototune::test::child;
using phototune::ui::PredictionGallery;
using phototune::ui::PredictionModel;
using phototune::ui::TrainPage;

namespace {

// Enough steps that the run cannot end in the ~100 ms between a step reaching the chart and Pause.
constexpr int kStoppedRunSteps = 80;

int lossPoints(TrainPage& page)
{
    return child<QCustomPlot>(&page, "lossChart")->graph(0)->dataCount();
}

int pausedLogs(TrainPage& page)
{
    return child<QPlainTextEdit>(&page, "trainLog")->toPlainText().count(QStringLiteral("paused at step"));
}

} // namespace

class TestTrainPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void run_keeps_event_loop_responsive_and_charts_every_step();
    void pause_holds_steps_and_stop_leaves_resumable_run();
    void gallery_shows_photos_of_every_folder();

private:
    TrainConfig config(std::int64_t steps) const;

    QTemporaryDir m_dir;
};

void TestTrainPage::initTestCase()
{
    phototune::test::useOwnSettings();
    QVERIFY(m_dir.isValid());
    phototune::test::writeShapes(m_dir.filePath(QStringLiteral("photos")), 6);
    const auto model = phototune::create_untrained_model("tiny", m_dir.filePath(QStringLiteral("model")).toStdString(), 3);
    QVERIFY2(model.ok(), model.ok() ? "" : model.failure().message.c_str());
}

TrainConfig TestTrainPage::config(std::int64_t steps) const
{
    TrainConfig c;
    c.model_dir = m_dir.filePath(QStringLiteral("model")).toStdString();
    c.data_dir = m_dir.filePath(QStringLiteral("photos")).toStdString();
    c.rank = 4;
    c.alpha = 8;
    c.steps = steps;
    c.batch = 4;
    c.lr = 1e-3;
    c.seed = 11;
    c.eval_every = 10;
    c.save_every = 1000; // checkpoints only where the test asks for them (stop, best, end)
    c.device = "cpu";
    return c;
}

void TestTrainPage::run_keeps_event_loop_responsive_and_charts_every_step()
{
    TrainPage page;
    page.setRunsFolder(m_dir.filePath(QStringLiteral("runs")));
    page.setTrainConfig(config(30));
    page.resize(1200, 800);
    page.show();
    auto* start = child<QPushButton>(&page, "startTrainingButton");
    QVERIFY(start->isEnabled());
    QVERIFY(!child<QPushButton>(&page, "pauseTrainingButton")->isEnabled());

    // A GUI-thread timer measures the longest the event loop went without running it.
    QElapsedTimer sinceTick;
    qint64 longestGap = 0;
    int ticks = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this, [&] {
        longestGap = std::max(longestGap, sinceTick.restart());
        ++ticks;
    });
    QSignalSpy finished(&page, &TrainPage::runFinished);
    QSignalSpy batches(page.controller(), &phototune::ui::TrainingController::stepsArrived);
    auto* gallery = child<PredictionGallery>(&page, "predictionGallery");
    auto* accuracy = child<QCustomPlot>(&page, "accuracyChart");

    sinceTick.start();
    ticker.start();
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(page.controller()->isRunning());
    QVERIFY(!start->isEnabled());
    QVERIFY(page.controller()->runDir().contains(QStringLiteral("/runs/run-")));
    // The first adapter evaluation (step 10) reaches the chart and the gallery.
    QTRY_VERIFY_WITH_TIMEOUT(accuracy->graph(0)->dataCount() >= 2, 300000);
    QVERIFY(gallery->model()->rowCount() > 0);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 300000);
    ticker.stop();
    qInfo("training: %d timer ticks, %lld step batches, longest event-loop gap %lld ms", ticks,
          static_cast<long long>(batches.count()), longestGap);

    QCOMPARE(finished.front().at(1).toBool(), true);
    QCOMPARE(finished.front().at(0).toString(), page.controller()->runDir());
    QVERIFY(!page.controller()->isRunning());
    QCOMPARE(lossPoints(page), 30);
    // The memory the trainer measured with its last step (the process's working set).
    const QString memory = child<QLabel>(&page, "memoryLabel")->text();
    QVERIFY2(memory.endsWith(QStringLiteral(" MiB")) || memory.endsWith(QStringLiteral(" GiB")), qPrintable(memory));
    QCOMPARE(accuracy->graph(0)->dataCount(), 4); // the base model and steps 10, 20, 30
    QVERIFY(batches.count() <= 30);
    QVERIFY(gallery->model()->rowCount() > 0);
    const QModelIndex first = gallery->model()->index(0);
    QVERIFY(!first.data().toString().isEmpty());
    QVERIFY(first.data(Qt::ToolTipRole).toString().contains(QStringLiteral("True label")));
    // The thumbnails are decoded off the GUI thread and arrive.
    QTRY_VERIFY_WITH_TIMEOUT(!first.data(Qt::DecorationRole).value<QPixmap>().isNull(), 10000);
    // Most wrong first: wrong before right, the most confident mistake on top.
    child<QCheckBox>(gallery, "mostWrongFirst")->setChecked(true);
    const QAbstractItemModel* predictions = gallery->model();
    for (int row = 1; row < predictions->rowCount(); ++row) {
        const QModelIndex above = predictions->index(row - 1, 0), here = predictions->index(row, 0);
        const bool aboveRight = above.data(PredictionModel::CorrectRole).toBool();
        const bool hereRight = here.data(PredictionModel::CorrectRole).toBool();
        QVERIFY(!aboveRight || hereRight);
        if (!aboveRight && !hereRight)
            QVERIFY(above.data(PredictionModel::ConfidenceRole).toFloat() >= here.data(PredictionModel::ConfidenceRole).toFloat());
    }
    // Before: the base model's evaluation.
    child<QRadioButton>(gallery, "galleryBeforeButton")->setChecked(true);
    QVERIFY(child<QLabel>(gallery, "gallerySummary")->text().startsWith(QStringLiteral("Base model")));
    child<QRadioButton>(gallery, "galleryAfterButton")->setChecked(true);
    QVERIFY(child<QLabel>(gallery, "gallerySummary")->text().startsWith(QStringLiteral("Step 30")));
    QVERIFY(child<QPlainTextEdit>(&page, "trainLog")->toPlainText().contains(QStringLiteral("Finished 30 steps")));
    // ~100 ms, with headroom for a loaded two-core machine; a run in the GUI thread would take seconds.
    QVERIFY2(longestGap < 150, qPrintable(QStringLiteral("event loop blocked for %1 ms").arg(longestGap)));
    QVERIFY(start->isEnabled());
}

void TestTrainPage::pause_holds_steps_and_stop_leaves_resumable_run()
{
    TrainPage page;
    TrainConfig c = config(kStoppedRunSteps);
    c.run_dir = m_dir.filePath(QStringLiteral("stopped")).toStdString();
    page.setTrainConfig(c);
    auto* pause = child<QPushButton>(&page, "pauseTrainingButton");
    QSignalSpy finished(&page, &TrainPage::runFinished);
    int ticks = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this, [&] { ++ticks; });
    ticker.start();

    // Paused before the first step (the run still loads its data and model).
    QTest::mouseClick(child<QPushButton>(&page, "startTrainingButton"), Qt::LeftButton);
    QTest::mouseClick(pause, Qt::LeftButton);
    QCOMPARE(pause->text(), QStringLiteral("Resume"));
    QTRY_COMPARE_WITH_TIMEOUT(pausedLogs(page), 1, 300000);
    const int ticksWhenPaused = ticks;
    QTRY_VERIFY(ticks >= ticksWhenPaused + 30); // a while of event-loop turns
    QCOMPARE(lossPoints(page), 0);

    QTest::mouseClick(pause, Qt::LeftButton);
    QCOMPARE(pause->text(), QStringLiteral("Pause"));
    QTRY_VERIFY_WITH_TIMEOUT(lossPoints(page) > 0, 300000);
    QTest::mouseClick(pause, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(pausedLogs(page), 2, 300000);
    const int pausedAt = lossPoints(page); // every step before the pause has arrived
    QVERIFY(pausedAt > 0);
    QVERIFY2(pausedAt < kStoppedRunSteps, "the run ended before the pause took effect");
    const int ticksWhenPausedAgain = ticks;
    QTRY_VERIFY(ticks >= ticksWhenPausedAgain + 30);
    QCOMPARE(lossPoints(page), pausedAt);

    QTest::mouseClick(child<QPushButton>(&page, "stopTrainingButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 300000);
    QCOMPARE(finished.front().at(1).toBool(), false);
    const auto history = phototune::read_run_history(c.run_dir);
    QVERIFY2(history.ok(), history.ok() ? "" : history.failure().message.c_str());
    QCOMPARE(history.value().latest_checkpoint_step, static_cast<std::int64_t>(pausedAt));
    QVERIFY(!history.value().finished);

    page.resumeRun(finished.front().at(0).toString());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 300000);
    QCOMPARE(finished.back().at(1).toBool(), true);
    QCOMPARE(lossPoints(page), kStoppedRunSteps); // the steps before the stop, read from the run, and the rest
    const auto resumed = phototune::read_run_history(c.run_dir);
    QVERIFY(resumed.ok());
    QVERIFY(resumed.value().finished);
    QCOMPARE(static_cast<int>(resumed.value().steps.size()), kStoppedRunSteps);
}

void TestTrainPage::gallery_shows_photos_of_every_folder()
{
    // A project of two folders: a prediction names its own file, here one that the run's data folder
    // (6 photos a label) does not have. One from an older run has only its path relative to that folder.
    QTemporaryDir other;
    QVERIFY(other.isValid());
    phototune::test::writeShapes(other.path(), 7);
    phototune::PhotoPrediction fromOtherFolder;
    fromOtherFolder.photo = "red circle/6.png";
    fromOtherFolder.file = QDir(other.path()).filePath(QStringLiteral("red circle/6.png")).toStdString();
    fromOtherFolder.label = "red circle";
    fromOtherFolder.top = {{"red circle", 0.9f}, {"blue square", 0.1f}};
    phototune::PhotoPrediction fromOlderRun = fromOtherFolder;
    fromOlderRun.photo = "blue square/0.png";
    fromOlderRun.label = "blue square";
    fromOlderRun.file.clear();
    phototune::TrainEvalEvent evaluation;
    evaluation.base_model = true;
    evaluation.predictions = {fromOtherFolder, fromOlderRun};

    PredictionGallery gallery;
    gallery.setDataDir(m_dir.filePath(QStringLiteral("photos")));
    gallery.addEvaluation(evaluation);
    const QAbstractItemModel* model = gallery.model();
    QCOMPARE(model->rowCount(), 2);
    for (int row = 0; row < 2; ++row)
        QTRY_VERIFY_WITH_TIMEOUT(!model->index(row, 0).data(Qt::DecorationRole).value<QPixmap>().isNull(), 10000);
}

QTEST_MAIN(TestTrainPage)
#include "test_train_page.moc"

// The whole studio flow in one window, as a person would go through it: a folder dropped onto the
// window → its photos and labels listed → auto-captioned → the Setup step's plan accepted → a run
// trained while a GUI-thread timer keeps firing → the loss chart holds every step and the gallery
// the predictions → the adapter exported, loaded by the core and changing the outputs → a second
// run stopped part way that leaves a checkpoint and continues to the end.
#include "core/api/project.h"
#include "core/api/training.h"
#include "support/drop_folder.h"
#include "support/embedding_check.h"
#include "support/shape_photos.h"
#include "support/widget_lookup.h"
#include "ui/main_window.h"
#include "ui/models/caption_table_model.h"
#include "ui/models/photo_list_model.h"
#include "ui/pages/captions_page.h"
#include "ui/pages/export_page.h"
#include "ui/pages/photos_page.h"
#include "ui/pages/setup_page.h"
#include "ui/pages/train_page.h"
#include "ui/project_session.h"
#include "ui/support/qt_convert.h"
#include "ui/widgets/prediction_gallery.h"
#include "ui/widgets/run_history_dialog.h"
#include "ui/support/qcustomplot_include.h"
#include "support/own_settings.h"

#include <QAction>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>
#include <QtTest>

#include <algorithm>

using phototune::test::child;
using phototune::ui::MainWindow;

namespace {

constexpr int kPerLabel = 6; // 24 photos in 4 labels: a validation photo or more per label
constexpr int kLong = 300000; // ms; a loaded two-core machine under a sanitizer is slow

QString currentPage(MainWindow& window)
{
    return window.findChild<QStackedWidget*>()->currentWidget()->objectName();
}

void goToStep(MainWindow& window, int step)
{
    child<QAction>(&window, qPrintable(QStringLiteral("goToStep%1").arg(step)))->trigger();
}

int lossPoints(MainWindow& window)
{
    return child<QCustomPlot>(window.trainPage(), "lossChart")->graph(0)->dataCount();
}

} // namespace

class TestWholeFlow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { phototune::test::useOwnSettings(); }
    void drop_caption_plan_train_export_stop();
};

void TestWholeFlow::drop_caption_plan_train_export_stop()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString photos = dir.filePath(QStringLiteral("photos"));
    phototune::test::writeShapes(photos, kPerLabel);
    if (QTest::currentTestFailed()) return;

    MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.newProject(QStringLiteral("Whole flow"));

    // Photos: the dropped folder's photos and labels.
    phototune::test::dropFolder(window, photos);
    if (QTest::currentTestFailed()) return;
    QTRY_COMPARE_WITH_TIMEOUT(window.photosPage()->model()->rowCount(), 4 * kPerLabel, 20000);
    auto* labels = child<QTreeWidget>(&window, "labelList");
    QCOMPARE(labels->topLevelItemCount(), 4);
    for (int row = 0; row < labels->topLevelItemCount(); ++row)
        QCOMPARE(labels->topLevelItem(row)->text(1), QString::number(kPerLabel));
    QTRY_COMPARE_WITH_TIMEOUT(window.captionsPage()->model()->rowCount(), 4 * kPerLabel, 20000);

    // Captions: the Setup step's model (the demo model, made on first use) tags every photo.
    goToStep(window, 2);
    QCOMPARE(currentPage(window), QStringLiteral("captionsPage"));
    auto* autoCaption = child<QPushButton>(window.captionsPage(), "autoCaptionButton");
    QTRY_VERIFY_WITH_TIMEOUT(autoCaption->isEnabled(), kLong);
    QSignalSpy captioned(window.captionsPage(), &phototune::ui::CaptionsPage::autoCaptionFinished);
    QTest::mouseClick(autoCaption, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(captioned.count(), 1, kLong);
    const std::shared_ptr<phototune::PhotoProject> project = window.session()->project();
    for (const auto& photo : project->photos())
        QVERIFY2(!photo.captions.empty(), photo.relative_path.c_str());

    // Setup: the plan for this machine, accepted; it becomes the Train step's settings.
    goToStep(window, 3);
    QTRY_VERIFY_WITH_TIMEOUT(window.setupPage()->hasPlan(), kLong);
    auto* accept = child<QPushButton>(window.setupPage(), "acceptPlanButton");
    QTRY_VERIFY_WITH_TIMEOUT(accept->isEnabled(), kLong);
    QTest::mouseClick(accept, Qt::LeftButton);
    QCOMPARE(currentPage(window), QStringLiteral("trainPage"));

    // Train: one click; a GUI-thread timer measures the longest the event loop went without running.
    auto* start = child<QPushButton>(window.trainPage(), "startTrainingButton");
    QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), kLong);
    QElapsedTimer sinceTick;
    qint64 longestGap = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this, [&] { longestGap = std::max(longestGap, sinceTick.restart()); });
    QSignalSpy ended(window.trainPage(), &phototune::ui::TrainPage::runFinished);
    sinceTick.start();
    ticker.start();
    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, kLong);
    ticker.stop();
    QVERIFY(ended.front().at(1).toBool());
    const QString runDir = ended.front().at(0).toString();
    QVERIFY(runDir.startsWith(window.session()->runsFolder()));
    const auto trained = phototune::read_run_history(phototune::ui::toPath(runDir));
    QVERIFY2(trained.ok(), trained.ok() ? "" : trained.failure().message.c_str());
    qInfo("whole flow: %lld steps trained, longest event-loop gap %lld ms",
          static_cast<long long>(trained->steps.size()), longestGap);
    QVERIFY(trained->steps.size() >= 20);
    QCOMPARE(lossPoints(window), static_cast<int>(trained->steps.size()));
    // The run trained on the project the window shows, captions included.
    QVERIFY(!trained->config.project_file.empty());
    auto* gallery = child<phototune::ui::PredictionGallery>(window.trainPage(), "predictionGallery");
    QVERIFY(gallery->model()->rowCount() > 0);
    QVERIFY(!gallery->model()->index(0, 0).data().toString().isEmpty());
    // ~100 ms, with headroom for a loaded two-core machine; a run in the GUI thread would take seconds.
    QVERIFY2(longestGap < 150, qPrintable(QStringLiteral("event loop blocked for %1 ms").arg(longestGap)));

    // Export: the finished run is offered; the adapter written is loaded by the core and changes it.
    goToStep(window, 5);
    auto* exportFolder = child<QLineEdit>(window.exportPage(), "exportFolder");
    auto* exportButton = child<QPushButton>(window.exportPage(), "exportButton");
    QTRY_VERIFY(exportButton->isEnabled());
    const QString adapter = dir.filePath(QStringLiteral("adapter"));
    exportFolder->clear();
    QTest::keyClicks(exportFolder, adapter);
    QSignalSpy exported(window.exportPage(), &phototune::ui::ExportPage::exported);
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QVERIFY(exported.wait(kLong));
    QCOMPARE(exported.front().at(1).toString(), QString());
    const QString model = window.setupPage()->modelFolder();
    const auto base = phototune::test::promptEmbedding(model);
    const auto adapted = phototune::test::promptEmbedding(model, adapter);
    QVERIFY(!base.empty());
    QCOMPARE(adapted.size(), base.size());
    QVERIFY(phototune::test::largestDifference(base, adapted) > 1e-4f);

    // Stop during a second run: it ends at a step boundary with a checkpoint, and continues later.
    goToStep(window, 4);
    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(lossPoints(window) >= 2, kLong);
    QTest::mouseClick(child<QPushButton>(window.trainPage(), "stopTrainingButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 2, kLong);
    QVERIFY(!ended.at(1).at(1).toBool());
    const QString stoppedRun = ended.at(1).at(0).toString();
    QVERIFY(stoppedRun != runDir);
    const auto stopped = phototune::read_run_history(phototune::ui::toPath(stoppedRun));
    QVERIFY2(stopped.ok(), stopped.ok() ? "" : stopped.failure().message.c_str());
    QVERIFY(!stopped->finished);
    QVERIFY(stopped->latest_checkpoint_step > 0);
    QVERIFY(stopped->latest_checkpoint_step < stopped->total_steps);
    window.resumeInterruptedRun(stoppedRun);
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 3, kLong);
    QCOMPARE(ended.at(2).at(0).toString(), stoppedRun);
    QVERIFY(ended.at(2).at(1).toBool());

    // File → Run history lists both runs of the project.
    child<QAction>(&window, "runHistoryAction")->trigger();
    auto* history = child<phototune::ui::RunHistoryDialog>(&window, "runHistoryDialog");
    QVERIFY(history);
    auto* runs = child<QTableWidget>(history, "runTable");
    QTRY_COMPARE_WITH_TIMEOUT(runs->rowCount(), 2, 20000);
    history->close();
}

QTEST_MAIN(TestWholeFlow)
#include "test_whole_flow.moc"

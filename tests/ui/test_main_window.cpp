// The window shell: five steps that switch pages, the demo folder listed with its labels and
// thumbnails decoded without blocking the event loop, and folders dropped onto the window.
#include "core/api/resources.h"
#include "core/api/system_info.h"
#include "core/api/clip_engine.h"
#include "core/api/project.h"
#include "core/api/training.h"
#include "ui/main_window.h"
#include "ui/models/caption_table_model.h"
#include "ui/models/photo_list_model.h"
#include "ui/pages/captions_page.h"
#include "ui/pages/train_page.h"
#include "ui/models/thumbnail_loader.h"
#include "ui/pages/photos_page.h"
#include "ui/support/qt_convert.h"
#include "support/shape_photos.h"
#include "support/zip_reader.h"

#include <QAction>

#include <QDropEvent>
#include <QFile>
#include <QPushButton>
#include <QImage>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QMimeData>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>
#include <QtTest>

using phototune::ui::MainWindow;
using phototune::ui::PhotoListModel;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void has_five_steps_that_switch_pages();
    void setup_page_shows_build_report();
    void demo_folder_lists_photos_by_label();
    void thumbnails_arrive_while_event_loop_runs();
    void dropped_folder_is_loaded();
    void dropped_file_is_refused();
    void go_menu_switches_steps();
    void diagnostics_zip_holds_reports_and_no_photos();
    void run_trains_on_the_edited_captions();
    void photos_page_shows_split_and_unused_files();

private:
    QString demoFolder() const;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // window geometry goes to a test settings file
}

QString TestMainWindow::demoFolder() const
{
    return phototune::ui::toQString(phototune::demo_photos_dir());
}

void TestMainWindow::has_five_steps_that_switch_pages()
{
    MainWindow window(QStringLiteral("Demo"));
    QCOMPARE(window.windowTitle(), QStringLiteral("PhotoTune Studio — Demo"));
    auto* sidebar = window.findChild<QListWidget*>(QStringLiteral("stepSidebar"));
    auto* pages = window.findChild<QStackedWidget*>();
    QVERIFY(sidebar);
    QVERIFY(pages);
    const QStringList steps = {QStringLiteral("Photos"), QStringLiteral("Captions"), QStringLiteral("Setup"),
                               QStringLiteral("Train"), QStringLiteral("Export")};
    QCOMPARE(sidebar->count(), steps.size());
    QCOMPARE(pages->count(), steps.size());
    for (int row = 0; row < steps.size(); ++row) QCOMPARE(sidebar->item(row)->text(), steps[row]);
    QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("photosPage"));

    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QStringList pageNames = {QStringLiteral("photosPage"), QStringLiteral("captionsPage"),
                                   QStringLiteral("setupPage"), QStringLiteral("trainPage"),
                                   QStringLiteral("exportPage")};
    for (int row = steps.size() - 1; row >= 0; --row) {
        // A real click on the sidebar entry, as a user would.
        const QRect rect = sidebar->visualItemRect(sidebar->item(row));
        QTest::mouseClick(sidebar->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(sidebar->currentRow(), row);
        QCOMPARE(pages->currentWidget()->objectName(), pageNames[row]);
        auto* heading = pages->currentWidget()->findChild<QLabel*>(QStringLiteral("pageHeading"));
        QVERIFY(heading);
        QCOMPARE(heading->text(), steps[row]);
    }
}

void TestMainWindow::setup_page_shows_build_report()
{
    MainWindow window(QStringLiteral("Demo"));
    auto* report = window.findChild<QLabel*>(QStringLiteral("hardwareReport"));
    QVERIFY(report);
    // Filled in from a background probe, not while the window is built.
    QTRY_VERIFY_WITH_TIMEOUT(report->text().contains(QString::fromStdString(phototune::version_report())), 20000);
    QVERIFY(report->text().contains(QStringLiteral("LibTorch")));
}

void TestMainWindow::demo_folder_lists_photos_by_label()
{
    const QString demo = demoFolder();
    QVERIFY2(!demo.isEmpty(), "the demo photos (resources/demo) were not found");
    MainWindow window(QStringLiteral("Demo"));
    window.show();
    window.addFolder(demo);
    PhotoListModel* model = window.photosPage()->model();
    QTRY_COMPARE(model->rowCount(), 143);

    auto* labels = window.findChild<QTreeWidget*>(QStringLiteral("labelList"));
    QVERIFY(labels);
    const QList<QPair<QString, int>> expected = {
        {QStringLiteral("animals"), 24},   {QStringLiteral("everyday_scenes"), 25}, {QStringLiteral("fish"), 18},
        {QStringLiteral("flowers"), 20},   {QStringLiteral("landmarks"), 25},       {QStringLiteral("landscapes"), 20},
        {QStringLiteral("windmills"), 11}};
    QCOMPARE(labels->topLevelItemCount(), expected.size());
    for (int row = 0; row < expected.size(); ++row) {
        QCOMPARE(labels->topLevelItem(row)->text(0), expected[row].first);
        QCOMPARE(labels->topLevelItem(row)->text(1), QString::number(expected[row].second));
    }

    // The caption is the sidecar's first line, shown as the tooltip.
    const QModelIndex first = model->index(0);
    QVERIFY(first.data(PhotoListModel::PathRole).toString().endsWith(QStringLiteral("animals/gcompris_bison.jpg")));
    QCOMPARE(first.data(PhotoListModel::LabelRole).toString(), QStringLiteral("animals"));
    QFile sidecar(demo + QStringLiteral("/animals/gcompris_bison.txt"));
    QVERIFY(sidecar.open(QIODevice::ReadOnly | QIODevice::Text));
    const QString caption = QString::fromUtf8(sidecar.readLine()).trimmed();
    QVERIFY(!caption.isEmpty());
    QCOMPARE(first.data(PhotoListModel::CaptionRole).toString(), caption);
    QCOMPARE(first.data(Qt::ToolTipRole).toString(), caption);

    // Adding the same folder again adds nothing.
    QSignalSpy added(window.photosPage(), &phototune::ui::PhotosPage::folderAdded);
    window.addFolder(demo);
    QTRY_COMPARE(added.count(), 1);
    QCOMPARE(added.first().at(1).toInt(), 0);
    QCOMPARE(model->rowCount(), 143);
}

void TestMainWindow::thumbnails_arrive_while_event_loop_runs()
{
    MainWindow window(QStringLiteral("Demo"));
    window.addFolder(demoFolder());
    PhotoListModel* model = window.photosPage()->model();
    QTRY_COMPARE(model->rowCount(), 143);

    // Ticks of a timer prove the event loop keeps running while the thumbnails decode.
    int ticks = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, this, [&ticks] { ++ticks; });
    ticker.start(5);

    // Asking for every thumbnail returns placeholders at once: nothing decodes on this thread.
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row);
        QVERIFY(!index.data(Qt::DecorationRole).value<QPixmap>().isNull());
        QVERIFY(!index.data(PhotoListModel::ThumbnailReadyRole).toBool());
    }
    QCOMPARE(ticks, 0);

    const auto readyCount = [model] {
        int ready = 0;
        for (int row = 0; row < model->rowCount(); ++row)
            ready += model->index(row).data(PhotoListModel::ThumbnailReadyRole).toBool() ? 1 : 0;
        return ready;
    };
    QTRY_VERIFY(readyCount() > 0);
    const int ticksAtFirstThumbnail = ticks;
    QTRY_VERIFY_WITH_TIMEOUT(readyCount() == model->rowCount(), 60000);
    QVERIFY2(ticks > ticksAtFirstThumbnail, "the event loop did not run while thumbnails decoded");

    // Every decoration is a square of the thumbnail edge (the photo centred on it), and every demo
    // photo is larger than a thumbnail, so its decoded longer side is exactly the edge.
    const QSize square(model->thumbnailEdge(), model->thumbnailEdge());
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row);
        QCOMPARE(index.data(Qt::DecorationRole).value<QPixmap>().size(), square);
        QVERIFY2(index.data(Qt::ToolTipRole).toString() == index.data(PhotoListModel::CaptionRole).toString(),
                 qPrintable(index.data(PhotoListModel::PathRole).toString()));
    }
    const QImage bison =
        phototune::ui::decodeThumbnail(model->index(0).data(PhotoListModel::PathRole).toString(), 128).image;
    QCOMPARE(qMax(bison.width(), bison.height()), 128);
}

namespace {

// A folder with 3 tiny PNGs in 2 sub-folders: cats/a.png, cats/b.png, dogs/c.png.
void makeTinyPhotoFolder(const QString& root)
{
    QVERIFY(QDir(root).mkpath(QStringLiteral("cats")));
    QVERIFY(QDir(root).mkpath(QStringLiteral("dogs")));
    QImage image(8, 6, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    for (const char* name : {"cats/a.png", "cats/b.png", "dogs/c.png"})
        QVERIFY(image.save(root + QLatin1Char('/') + QLatin1String(name)));
}

} // namespace

void TestMainWindow::dropped_folder_is_loaded()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    makeTinyPhotoFolder(dir.path());
    if (QTest::currentTestFailed()) return;

    MainWindow window(QStringLiteral("Dropped"));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(dir.path())});
    const QPoint centre = window.rect().center();

    QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    enter.setAccepted(false);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(centre), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    drop.setAccepted(false);
    QApplication::sendEvent(&window, &drop);
    QVERIFY(drop.isAccepted());

    PhotoListModel* model = window.photosPage()->model();
    QTRY_COMPARE(model->rowCount(), 3);
    auto* labels = window.findChild<QTreeWidget*>(QStringLiteral("labelList"));
    QCOMPARE(labels->topLevelItemCount(), 2);
    QCOMPARE(labels->topLevelItem(0)->text(0), QStringLiteral("cats"));
    QCOMPARE(labels->topLevelItem(0)->text(1), QStringLiteral("2"));
    QCOMPARE(labels->topLevelItem(1)->text(0), QStringLiteral("dogs"));
    QCOMPARE(labels->topLevelItem(1)->text(1), QStringLiteral("1"));
}

void TestMainWindow::dropped_file_is_refused()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("notes.txt"));
    QFile note(file);
    QVERIFY(note.open(QIODevice::WriteOnly));
    note.close();

    MainWindow window(QStringLiteral("Dropped"));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(file), QUrl(QStringLiteral("https://example.com/photos/"))});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    enter.setAccepted(false);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(!enter.isAccepted());
}

void TestMainWindow::go_menu_switches_steps()
{
    MainWindow window(QStringLiteral("Demo"));
    auto* pages = window.findChild<QStackedWidget*>();
    const QStringList pageNames = {QStringLiteral("photosPage"), QStringLiteral("captionsPage"), QStringLiteral("setupPage"),
                                   QStringLiteral("trainPage"), QStringLiteral("exportPage")};
    for (int step = pageNames.size(); step >= 1; --step) {
        auto* go = window.findChild<QAction*>(QStringLiteral("goToStep%1").arg(step));
        QVERIFY(go);
        QCOMPARE(go->shortcut(), QKeySequence(QStringLiteral("Ctrl+%1").arg(step)));
        go->trigger();
        QCOMPARE(pages->currentWidget()->objectName(), pageNames[step - 1]);
    }
}

void TestMainWindow::diagnostics_zip_holds_reports_and_no_photos()
{
    // A run folder in the window's runs folder (test mode: a test data location) with a photo in it.
    const QString runs = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/runs");
    const QString run = runs + QStringLiteral("/run-diagnostics-test");
    QVERIFY(QDir().mkpath(run));
    for (const auto& [name, bytes] : {std::pair{"run.json", QByteArray("{\"schema_version\": 1}")},
                                      std::pair{"metrics.jsonl", QByteArray("{\"event\": \"step\"}\n")},
                                      std::pair{"photo.jpg", QByteArray("\xff\xd8\xff not really a photo")}}) {
        QFile file(run + QLatin1Char('/') + QLatin1String(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }
    QTemporaryDir out;
    MainWindow window(QStringLiteral("Demo"));
    QVERIFY(window.findChild<QAction*>(QStringLiteral("saveDiagnosticsAction")));
    QSignalSpy saved(&window, &MainWindow::diagnosticsSaved);
    const QString zip = out.filePath(QStringLiteral("diagnostics.zip"));
    window.saveDiagnostics(zip);
    QVERIFY(saved.wait(60000));
    QCOMPARE(saved.front().at(1).toString(), QString());
    QCOMPARE(saved.front().at(0).toString(), zip);
    const auto members = phototune::test::zip_contents(zip.toStdString());
    QVERIFY(members.count("versions.txt"));
    QCOMPARE(QString::fromStdString(members.at("versions.txt")).trimmed(),
             QString::fromStdString(phototune::version_report()).trimmed());
    QVERIFY(members.count("hardware.json") || members.count("hardware.txt"));
    QVERIFY(members.count("runs/run-diagnostics-test/run.json"));
    QVERIFY(members.count("runs/run-diagnostics-test/metrics.jsonl"));
    for (const auto& [name, contents] : members) QVERIFY2(!QString::fromStdString(name).endsWith(QStringLiteral(".jpg")), name.c_str());
    QVERIFY(QDir(run).removeRecursively());

    // A place that cannot be written is reported, not thrown.
    saved.clear();
    QFile blocker(out.filePath(QStringLiteral("a-file")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    window.saveDiagnostics(out.filePath(QStringLiteral("a-file/diagnostics.zip")));
    QVERIFY(saved.wait(60000));
    QVERIFY(saved.front().at(0).toString().isEmpty());
    QVERIFY(!saved.front().at(1).toString().isEmpty());
}

void TestMainWindow::run_trains_on_the_edited_captions()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    phototune::test::writeShapes(dir.filePath(QStringLiteral("photos")), 3);
    const auto model = phototune::create_untrained_model("tiny", dir.filePath(QStringLiteral("model")).toStdString(), 1);
    QVERIFY2(model.ok(), model.ok() ? "" : model.failure().message.c_str());

    MainWindow window(QStringLiteral("Shapes"));
    window.addFolder(dir.filePath(QStringLiteral("photos")));
    auto* captions = window.captionsPage()->model();
    QTRY_COMPARE_WITH_TIMEOUT(captions->rowCount(), 12, 20000);
    auto* start = window.trainPage()->findChild<QPushButton*>(QStringLiteral("startTrainingButton"));
    QVERIFY(start);
    // The demo's settings arrive once its model is made; the test's tiny settings replace them.
    QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 120000);
    const QString edited = QStringLiteral("a caption typed a moment before training");
    QVERIFY(captions->setData(captions->index(0, phototune::ui::CaptionTableModel::CaptionColumn), edited));

    phototune::TrainConfig config;
    config.model_dir = dir.filePath(QStringLiteral("model")).toStdString();
    config.data_dir = dir.filePath(QStringLiteral("photos")).toStdString();
    config.steps = 2;
    config.batch = 4;
    config.device = "cpu";
    window.trainPage()->setTrainConfig(config);
    QSignalSpy finished(window.trainPage(), &phototune::ui::TrainPage::runFinished);
    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    QVERIFY(finished.front().at(1).toBool());

    // The run trained on a snapshot of the project, saved beside it, that holds the edit.
    const QString runDir = finished.front().at(0).toString();
    const QString snapshot = runDir + QStringLiteral(".phototune.json");
    QFile file(snapshot);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(snapshot));
    QVERIFY(QString::fromUtf8(file.readAll()).contains(edited));
    const auto history = phototune::read_run_history(runDir.toStdString());
    QVERIFY2(history.ok(), history.ok() ? "" : history.failure().message.c_str());
    QCOMPARE(phototune::ui::toQString(history->config.project_file), snapshot);
}

void TestMainWindow::photos_page_shows_split_and_unused_files()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString photos = dir.filePath(QStringLiteral("photos"));
    phototune::test::writeShapes(photos, 5);
    const auto write = [&](const QString& relative, const QByteArray& bytes) {
        QFile file(photos + QLatin1Char('/') + relative);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    };
    write(QStringLiteral("red circle/empty.jpg"), {});
    write(QStringLiteral("blue square/notes.png"), "not a picture at all, only words");
    QVERIFY(QFile::copy(photos + QStringLiteral("/red circle/0.png"), photos + QStringLiteral("/red circle/copy.png")));

    // What the core says about this folder, to compare the page with.
    auto expected = phototune::PhotoProject::from_scan(phototune::ScanRequest{{photos.toStdString()}, false});
    QVERIFY2(expected.ok(), expected.ok() ? "" : expected.failure().message.c_str());
    QMap<QString, int> heldOut;
    int excluded = 0;
    for (const auto& photo : expected->photos()) {
        if (photo.excluded) ++excluded;
        else if (photo.validation) ++heldOut[QString::fromStdString(photo.label)];
    }
    const int unusedExpected = static_cast<int>(expected->skipped().size()) + excluded;
    QCOMPARE(unusedExpected, 3); // the empty file, the text file and the copy

    MainWindow window(QStringLiteral("Shapes"));
    window.addFolder(photos);
    auto* unused = window.findChild<QTreeWidget*>(QStringLiteral("unusedFiles"));
    auto* labels = window.findChild<QTreeWidget*>(QStringLiteral("labelList"));
    QVERIFY(unused);
    QVERIFY(labels);
    QTRY_COMPARE_WITH_TIMEOUT(unused->topLevelItemCount(), unusedExpected, 20000);
    QVERIFY(!unused->isHidden());
    QStringList files;
    for (int row = 0; row < unused->topLevelItemCount(); ++row) {
        files << unused->topLevelItem(row)->text(0);
        QVERIFY2(!unused->topLevelItem(row)->text(1).isEmpty(), "every unused file says why");
    }
    for (const QString& name : {QStringLiteral("empty.jpg"), QStringLiteral("notes.png"), QStringLiteral("copy.png")})
        QVERIFY2(std::any_of(files.begin(), files.end(), [&](const QString& f) { return f.endsWith(name); }), qPrintable(files.join(", ")));

    // Held out per label, as the project split them; the total in the summary.
    QTRY_VERIFY(!labels->topLevelItem(0)->text(2).isEmpty());
    int total = 0;
    for (int row = 0; row < labels->topLevelItemCount(); ++row) {
        const QString label = labels->topLevelItem(row)->text(0);
        QCOMPARE(labels->topLevelItem(row)->text(2).toInt(), heldOut.value(label));
        total += heldOut.value(label);
    }
    QVERIFY(total > 0);
    QVERIFY(window.findChild<QLabel*>(QStringLiteral("photoSummary"))->text().contains(
        QStringLiteral("%1 held out for validation").arg(total)));

    // Two photos selected and left out: marked in the grid and listed as not used.
    auto* grid = window.findChild<QListView*>(QStringLiteral("photoGrid"));
    auto* leaveOut = window.findChild<QPushButton*>(QStringLiteral("excludePhotosButton"));
    auto* include = window.findChild<QPushButton*>(QStringLiteral("includePhotosButton"));
    QVERIFY(grid && leaveOut && include);
    QVERIFY(!leaveOut->isEnabled()); // nothing selected
    const QModelIndex first = grid->model()->index(0, 0), second = grid->model()->index(1, 0);
    grid->selectionModel()->select(first, QItemSelectionModel::Select);
    grid->selectionModel()->select(second, QItemSelectionModel::Select);
    QVERIFY(leaveOut->isEnabled());
    QTest::mouseClick(leaveOut, Qt::LeftButton);
    QCOMPARE(unused->topLevelItemCount(), unusedExpected + 2);
    QVERIFY(first.data(PhotoListModel::ExcludedRole).toBool());
    QVERIFY(second.data(PhotoListModel::ExcludedRole).toBool());
    QVERIFY(first.data(Qt::ToolTipRole).toString().startsWith(QStringLiteral("Left out of training")));
    QVERIFY(!grid->model()->index(2, 0).data(PhotoListModel::ExcludedRole).toBool());

    // Another folder merges into the project and keeps the choice.
    QTemporaryDir more;
    QVERIFY(more.isValid());
    QVERIFY(QDir(more.path()).mkpath(QStringLiteral("green")));
    for (int i = 0; i < 3; ++i) {
        QImage image(96, 96, QImage::Format_RGB32);
        image.fill(QColor::fromHsv(120, 200, 100 + 50 * i)); // three different greens: no copies
        QVERIFY(image.save(more.filePath(QStringLiteral("green/%1.png").arg(i))));
    }
    window.addFolder(more.path());
    QTRY_COMPARE_WITH_TIMEOUT(window.captionsPage()->model()->rowCount(), static_cast<int>(expected->photos().size()) + 3, 20000);
    QVERIFY(first.data(PhotoListModel::ExcludedRole).toBool());
    QCOMPARE(unused->topLevelItemCount(), unusedExpected + 2);

    grid->selectionModel()->select(first, QItemSelectionModel::ClearAndSelect);
    QTest::mouseClick(include, Qt::LeftButton);
    QVERIFY(!first.data(PhotoListModel::ExcludedRole).toBool());
    QCOMPARE(unused->topLevelItemCount(), unusedExpected + 1);
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"

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
#include "ui/project_session.h"
#include "ui/support/qt_convert.h"
#include "support/drop_folder.h"
#include "support/shape_photos.h"
#include "support/zip_reader.h"
#include "support/own_settings.h"

#include <QAction>

#include <QDropEvent>
#include <QFile>
#include <QPushButton>
#include <QImage>
#include <QInputDialog>
#include <QMenu>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QMimeData>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTimer>
#include <QTreeWidget>
#include <QtTest>

#include <functional>

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
    void projects_are_autosaved_reopened_and_recent();
    void photos_are_relabelled_and_removed();
    void listing_of_the_previous_project_is_dropped();

private:
    QString demoFolder() const;
};

void TestMainWindow::initTestCase()
{
    phototune::test::useOwnSettings();
}

QString TestMainWindow::demoFolder() const
{
    return phototune::ui::toQString(phototune::demo_photos_dir());
}

void TestMainWindow::has_five_steps_that_switch_pages()
{
    MainWindow window;
    QCOMPARE(window.windowTitle(), QStringLiteral("PhotoTune Studio")); // no project yet
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
    MainWindow window;
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
    MainWindow window;
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
    MainWindow window;
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

// A folder with 3 small PNGs in 2 sub-folders: cats/a.png, cats/b.png, dogs/c.png. Each a different
// colour and large enough to train on, so the project keeps all three (the grid shows the project's).
void makeTinyPhotoFolder(const QString& root)
{
    QVERIFY(QDir(root).mkpath(QStringLiteral("cats")));
    QVERIFY(QDir(root).mkpath(QStringLiteral("dogs")));
    int hue = 0;
    for (const char* name : {"cats/a.png", "cats/b.png", "dogs/c.png"}) {
        QImage image(96, 72, QImage::Format_RGB32);
        image.fill(QColor::fromHsv(hue += 100, 200, 180));
        QVERIFY(image.save(root + QLatin1Char('/') + QLatin1String(name)));
    }
}

} // namespace

void TestMainWindow::dropped_folder_is_loaded()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    makeTinyPhotoFolder(dir.path());
    if (QTest::currentTestFailed()) return;

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    phototune::test::dropFolder(window, dir.path());
    if (QTest::currentTestFailed()) return;

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

    MainWindow window;
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(file), QUrl(QStringLiteral("https://example.com/photos/"))});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    enter.setAccepted(false);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(!enter.isAccepted());
}

void TestMainWindow::go_menu_switches_steps()
{
    MainWindow window;
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
    // A run folder in the project's runs folder (test mode: a test data location) with a photo in it.
    MainWindow window;
    window.newProject(QStringLiteral("Diagnostics"));
    const QString run = window.session()->runsFolder() + QStringLiteral("/run-diagnostics-test");
    QVERIFY(QDir().mkpath(run));
    for (const auto& [name, bytes] : {std::pair{"run.json", QByteArray("{\"schema_version\": 1}")},
                                      std::pair{"metrics.jsonl", QByteArray("{\"event\": \"step\"}\n")},
                                      std::pair{"photo.jpg", QByteArray("\xff\xd8\xff not really a photo")}}) {
        QFile file(run + QLatin1Char('/') + QLatin1String(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }
    QTemporaryDir out;
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

    MainWindow window;
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

    MainWindow window;
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

namespace {

// Answers the next modal dialog (once it is up) with `answer`, from the event loop its exec() runs.
template <typename Dialog>
void answerNextDialog(QObject* context, std::function<void(Dialog*)> answer)
{
    auto* poll = new QTimer(context);
    QObject::connect(poll, &QTimer::timeout, context, [poll, answer] {
        if (auto* dialog = qobject_cast<Dialog*>(QApplication::activeModalWidget())) {
            poll->deleteLater();
            answer(dialog);
        }
    });
    poll->start(10);
}

QString readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

void TestMainWindow::projects_are_autosaved_reopened_and_recent()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString photos = dir.filePath(QStringLiteral("photos"));
    phototune::test::writeShapes(photos, 2);
    const QString edited = QStringLiteral("my own caption, kept in the project");
    QString projectFile;
    QDir(phototune::ui::ProjectSession::projectsFolder()).removeRecursively(); // a free name: no "Shapes project 2"
    {
        MainWindow window;
        window.newProject(QStringLiteral("Shapes project"));
        QCOMPARE(window.windowTitle(), QStringLiteral("PhotoTune Studio — Shapes project"));
        projectFile = window.session()->file();
        QVERIFY(QFileInfo::exists(projectFile));
        QCOMPARE(phototune::ui::ProjectSession::recentProjects().value(0), projectFile);
        QVERIFY(window.session()->runsFolder().endsWith(QStringLiteral("/Shapes project-runs")));

        window.addFolder(photos);
        auto* captions = window.captionsPage()->model();
        QTRY_COMPARE_WITH_TIMEOUT(captions->rowCount(), 8, 20000);
        // An edit is saved on its own a moment later, without File → Save.
        QSignalSpy saved(window.session(), &phototune::ui::ProjectSession::saved);
        QVERIFY(captions->setData(captions->index(0, phototune::ui::CaptionTableModel::CaptionColumn), edited));
        QVERIFY(saved.wait(10000));
        QVERIFY(readFile(projectFile).contains(edited));
    }

    // The next launch: Open recent lists the project; opening it fills every step from the file.
    MainWindow window;
    auto* recent = window.findChild<QMenu*>(QStringLiteral("recentProjectsMenu"));
    QVERIFY(recent);
    QVERIFY(recent->isEnabled());
    QVERIFY(!recent->actions().isEmpty());
    QCOMPARE(recent->actions().first()->text(), QDir::toNativeSeparators(projectFile));
    recent->actions().first()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(window.windowTitle(), QStringLiteral("PhotoTune Studio — Shapes project"), 10000);
    QCOMPARE(window.photosPage()->model()->rowCount(), 8);
    auto* labels = window.findChild<QTreeWidget*>(QStringLiteral("labelList"));
    QCOMPARE(labels->topLevelItemCount(), 4);
    QVERIFY(!labels->topLevelItem(0)->text(2).isEmpty()); // the split came with the project
    auto* captions = window.captionsPage()->model();
    QCOMPARE(captions->rowCount(), 8);
    QCOMPARE(captions->index(0, phototune::ui::CaptionTableModel::CaptionColumn).data().toString(), edited);

    // Save as moves the project (and where its runs go); the title follows.
    QVERIFY(window.session()->saveAs(dir.filePath(QStringLiteral("elsewhere/Moved"))));
    QCOMPARE(window.windowTitle(), QStringLiteral("PhotoTune Studio — Moved"));
    QVERIFY(readFile(dir.filePath(QStringLiteral("elsewhere/Moved.phototune.json"))).contains(edited));
    QCOMPARE(window.session()->runsFolder(), dir.filePath(QStringLiteral("elsewhere/Moved-runs")));

    // A new project empties every step.
    window.newProject(QStringLiteral("Empty"));
    QCOMPARE(window.photosPage()->model()->rowCount(), 0);
    QCOMPARE(captions->rowCount(), 0);
}

void TestMainWindow::photos_are_relabelled_and_removed()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString photos = dir.filePath(QStringLiteral("photos"));
    phototune::test::writeShapes(photos, 3);
    MainWindow window;
    window.addFolder(photos);
    QTRY_COMPARE_WITH_TIMEOUT(window.captionsPage()->model()->rowCount(), 12, 20000);
    const std::shared_ptr<phototune::PhotoProject> project = window.session()->project();
    auto* grid = window.findChild<QListView*>(QStringLiteral("photoGrid"));
    auto* labels = window.findChild<QTreeWidget*>(QStringLiteral("labelList"));
    auto* relabel = window.findChild<QPushButton*>(QStringLiteral("relabelPhotosButton"));
    auto* remove = window.findChild<QPushButton*>(QStringLiteral("removePhotosButton"));
    QVERIFY(grid && labels && relabel && remove);
    QVERIFY(!relabel->isEnabled()); // nothing selected
    const auto projectLabelOf = [&](const QString& path) {
        for (const auto& photo : project->photos())
            if (phototune::ui::toQString(photo.path) == path) return QString::fromStdString(photo.label);
        return QString();
    };

    // Two photos filed in the wrong folder get a new label, typed in the dialog.
    const QString firstPath = grid->model()->index(0, 0).data(PhotoListModel::PathRole).toString();
    const QString secondPath = grid->model()->index(1, 0).data(PhotoListModel::PathRole).toString();
    const QString firstLabel = projectLabelOf(firstPath);
    grid->selectionModel()->select(grid->model()->index(0, 0), QItemSelectionModel::Select);
    grid->selectionModel()->select(grid->model()->index(1, 0), QItemSelectionModel::Select);
    QString offered;
    answerNextDialog<QInputDialog>(this, [&offered](QInputDialog* dialog) {
        offered = dialog->textValue();
        dialog->setTextValue(QStringLiteral("odd ones"));
        dialog->accept();
    });
    QTest::mouseClick(relabel, Qt::LeftButton);
    QCOMPARE(offered, firstLabel); // the dialog starts from the photo's label
    QCOMPARE(projectLabelOf(firstPath), QStringLiteral("odd ones"));
    QCOMPARE(projectLabelOf(secondPath), QStringLiteral("odd ones"));
    QCOMPARE(grid->model()->index(0, 0).data(PhotoListModel::LabelRole).toString(), QStringLiteral("odd ones"));
    const QList<QTreeWidgetItem*> odd = labels->findItems(QStringLiteral("odd ones"), Qt::MatchExactly);
    QCOMPARE(odd.size(), 1);
    QCOMPARE(odd.front()->text(1), QStringLiteral("2"));
    QCOMPARE(labels->topLevelItemCount(), 5);
    // The split is stratified again with the new label: the held-out column follows the project.
    int heldOut = 0, heldOutShown = 0;
    for (const auto& photo : project->photos()) heldOut += photo.validation ? 1 : 0;
    for (int row = 0; row < labels->topLevelItemCount(); ++row) heldOutShown += labels->topLevelItem(row)->text(2).toInt();
    QCOMPARE(heldOutShown, heldOut);

    // Removing takes a photo out of the project and the grid, and leaves its file alone.
    grid->selectionModel()->select(grid->model()->index(2, 0), QItemSelectionModel::ClearAndSelect);
    const QString removedPath = grid->model()->index(2, 0).data(PhotoListModel::PathRole).toString();
    QSignalSpy saved(window.session(), &phototune::ui::ProjectSession::saved);
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(project->size(), std::size_t{11});
    QCOMPARE(window.photosPage()->model()->rowCount(), 11);
    QCOMPARE(window.captionsPage()->model()->rowCount(), 11);
    QVERIFY(projectLabelOf(removedPath).isEmpty());
    QVERIFY(QFileInfo::exists(removedPath));
    QVERIFY(saved.wait(10000)); // autosaved
    const auto reopened = phototune::PhotoProject::open(phototune::ui::toPath(window.session()->file()));
    QVERIFY2(reopened.ok(), reopened.ok() ? "" : reopened.failure().message.c_str());
    QCOMPARE(reopened->size(), std::size_t{11});
    for (const auto& photo : reopened->photos()) QVERIFY(phototune::ui::toQString(photo.path) != removedPath);
}

void TestMainWindow::listing_of_the_previous_project_is_dropped()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString photos = dir.filePath(QStringLiteral("photos"));
    phototune::test::writeShapes(photos, 3);
    QDir(phototune::ui::ProjectSession::projectsFolder()).removeRecursively(); // free names
    MainWindow window;
    window.newProject(QStringLiteral("First"));
    window.addFolder(photos);
    // Another project before the grid's listing of the folder has come back.
    window.newProject(QStringLiteral("Second"));
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents(); // deliver the listing's and the scan's results
    QCOMPARE(window.windowTitle(), QStringLiteral("PhotoTune Studio — Second"));
    QCOMPARE(window.photosPage()->model()->rowCount(), 0);
    QCOMPARE(window.session()->project()->size(), std::size_t{0});
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"

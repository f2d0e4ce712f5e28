#include "ui/main_window.h"

#include "core/api/clip_engine.h"
#include "core/api/diagnostics.h"
#include "core/api/project.h"
#include "core/api/training.h"
#include "core/api/system_info.h"
#include "ui/pages/captions_page.h"
#include "ui/pages/export_page.h"
#include "ui/pages/photos_page.h"
#include "ui/pages/setup_page.h"
#include "ui/pages/step_page.h"
#include "ui/pages/train_page.h"
#include "ui/training_controller.h"
#include "ui/support/crash_handler.h"
#include "ui/support/language.h"
#include "ui/support/qt_convert.h"
#include "ui/support/async_call.h"
#include "ui/support/studio_settings.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSet>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>

#include <initializer_list>
#include <memory>

namespace phototune::ui {
namespace {

const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kWindowStateKey = QStringLiteral("mainWindow/state");
const QString kLastFolderKey = QStringLiteral("photos/lastFolder");

// The local folders among a drag's URLs: only folders are projects' photo sources.
QStringList droppedFolders(const QMimeData* mime)
{
    QStringList folders;
    if (!mime || !mime->hasUrls()) return folders;
    for (const QUrl& url : mime->urls()) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isDir()) folders.append(url.toLocalFile());
    }
    return folders;
}

} // namespace

MainWindow::MainWindow(const QString& projectName, QWidget* parent)
    : QMainWindow(parent)
    , m_steps(new QListWidget)
    , m_pages(new QStackedWidget)
    , m_photosPage(new PhotosPage)
    , m_captionsPage(new CaptionsPage)
{
    setWindowTitle(tr("PhotoTune Studio — %1").arg(projectName));
    setAcceptDrops(true);

    m_photosPage->setObjectName(QStringLiteral("photosPage"));
    m_captionsPage->setObjectName(QStringLiteral("captionsPage"));
    m_setupPage = new SetupPage;
    m_setupPage->setObjectName(QStringLiteral("setupPage"));
    connect(m_setupPage, &SetupPage::planAccepted, this, &MainWindow::usePlan);
    m_trainPage = new TrainPage;
    m_trainPage->setObjectName(QStringLiteral("trainPage"));
    m_runsFolder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/runs");
    m_trainPage->setRunsFolder(m_runsFolder);
    m_trainPage->setBeforeStart([this](TrainConfig& config) { return snapshotProjectFor(config); });
    // A run marks itself active, so a crash during it is offered for resuming at the next start.
    connect(m_trainPage->controller(), &TrainingController::started, this, [](const QString& runDir) { setActiveRun(runDir); });
    m_exportPage = new ExportPage;
    m_exportPage->setObjectName(QStringLiteral("exportPage"));
    // Every run that ends (finished, or stopped with a checkpoint) is the one the Export step offers.
    connect(m_trainPage, &TrainPage::runFinished, this, [this](const QString& runDir) {
        clearActiveRun();
        m_exportPage->setRun(runDir);
    });

    m_steps->setObjectName(QStringLiteral("stepSidebar"));
    for (StepPage* page : std::initializer_list<StepPage*>{m_photosPage, m_captionsPage, m_setupPage, m_trainPage, m_exportPage}) {
        m_pages->addWidget(page);
        m_steps->addItem(page->title());
    }
    m_steps->setCurrentRow(0);
    m_steps->setFixedWidth(m_steps->sizeHintForColumn(0) + 48);
    m_steps->setSpacing(4);
    connect(m_steps, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);

    auto* central = new QWidget;
    auto* layout = new QHBoxLayout(central);
    layout->addWidget(m_steps);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    connect(m_photosPage, &PhotosPage::addFolderRequested, this, &MainWindow::chooseFolder);
    connect(m_photosPage, &PhotosPage::exclusionRequested, this, &MainWindow::setPhotosExcluded);
    connect(m_captionsPage, &CaptionsPage::autoCaptionFinished, this, &MainWindow::mergePendingScans);
    connect(m_photosPage, &PhotosPage::folderAdded, this, [this](const QString& folder, int newPhotos) {
        statusBar()->showMessage(newPhotos == 0
                                     ? tr("No new photos in %1").arg(QDir::toNativeSeparators(folder))
                                     : tr("Added %1 photos from %2").arg(newPhotos).arg(QDir::toNativeSeparators(folder)));
        if (newPhotos == 0) return;
        m_projectFolders.emplace_back(folder.toStdU16String());
        readFolderIntoProject(folder);
    });

    createMenus();
    statusBar()->showMessage(tr("Ready"));
    restoreWindowState();
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* addFolderAction = file->addAction(tr("&Add folder…"), this, &MainWindow::chooseFolder);
    addFolderAction->setObjectName(QStringLiteral("addFolderAction"));
    addFolderAction->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* quitAction = file->addAction(tr("&Quit"), this, &QWidget::close);
    quitAction->setObjectName(QStringLiteral("quitAction"));
    quitAction->setShortcut(QKeySequence::Quit);

    // Ctrl+1..5 go to the steps, in the sidebar's order.
    QMenu* go = menuBar()->addMenu(tr("&Go"));
    for (int row = 0; row < m_steps->count(); ++row) {
        QAction* step = go->addAction(m_steps->item(row)->text(), this, [this, row] { m_steps->setCurrentRow(row); });
        step->setObjectName(QStringLiteral("goToStep%1").arg(row + 1));
        step->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + row)));
    }

    menuBar()->addMenu(createLanguageMenu(this));
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* diagnosticsAction = help->addAction(tr("Save &diagnostics…"), this, &MainWindow::chooseDiagnosticsFile);
    diagnosticsAction->setObjectName(QStringLiteral("saveDiagnosticsAction"));
    diagnosticsAction->setStatusTip(tr("Write one zip to attach to a bug report: versions, hardware, your runs' "
                                       "settings and logs, crash reports. Never your photos or models."));
    help->addSeparator();
    QAction* aboutAction = help->addAction(tr("&About PhotoTune Studio…"), this, &MainWindow::showAbout);
    aboutAction->setObjectName(QStringLiteral("aboutAction"));
}

void MainWindow::addFolder(const QString& folder)
{
    studioSettings().setValue(kLastFolderKey, folder);
    statusBar()->showMessage(tr("Listing %1…").arg(QDir::toNativeSeparators(folder)));
    m_steps->setCurrentRow(m_pages->indexOf(m_photosPage));
    m_photosPage->addFolder(folder);
    prepareTraining(folder);
}

void MainWindow::prepareTraining(const QString& folder)
{
    // The demo model is made once, off the GUI thread. Until a plan is accepted on the Setup step, a run
    // trains it with the demo's settings (apply_demo_settings) on the latest folder.
    runInBackground(
        this, [] { return std::make_shared<Result<std::filesystem::path>>(ensure_demo_model()); },
        [this, folder](const std::shared_ptr<Result<std::filesystem::path>>& model) {
            if (!*model) {
                statusBar()->showMessage(tr("Could not make the demo model: %1").arg(QString::fromStdString(model->failure().message)));
                return;
            }
            m_setupPage->setDemoModelFolder(toQString(model->value()));
            if (m_planAccepted) return;
            TrainConfig config;
            apply_demo_settings(config);
            config.model_dir = model->value();
            config.data_dir = toPath(folder);
            m_trainPage->setTrainConfig(config);
        });
}

void MainWindow::usePlan()
{
    if (m_projectFolders.empty()) {
        statusBar()->showMessage(tr("Add a folder of photos first: the plan trains on them."));
        m_steps->setCurrentRow(m_pages->indexOf(m_photosPage));
        return;
    }
    TrainConfig config = m_setupPage->trainSettings();
    config.data_dir = m_projectFolders.back();
    m_planAccepted = true;
    m_trainPage->setTrainConfig(config);
    statusBar()->showMessage(m_setupPage->explanation());
    m_steps->setCurrentRow(m_pages->indexOf(m_trainPage));
}

Result<void> MainWindow::snapshotProjectFor(TrainConfig& config)
{
    if (!m_project) return {}; // the photos' captions are still being read: the run scans the folder itself
    if (m_captionsPage->isAutoCaptioning())
        return Failure{ErrorCategory::InvalidInput,
                       tr("Auto-captioning is still running: let it finish (or cancel it) on the Captions step, then "
                          "start training.")
                           .toStdString()};
    // Beside the runs, named after the run: the exact dataset a run trained on stays with it.
    std::filesystem::path file = config.run_dir;
    file += ".phototune.json";
    QDir().mkpath(toQString(file.parent_path()));
    if (auto saved = m_project->save(file); !saved) return saved.failure();
    config.project_file = file;
    return {};
}

void MainWindow::resumeInterruptedRun(const QString& runDir)
{
    m_steps->setCurrentRow(m_pages->indexOf(m_trainPage));
    m_trainPage->resumeRun(runDir);
}

void MainWindow::readFolderIntoProject(const QString& folder)
{
    using ScannedProject = std::shared_ptr<Result<PhotoProject>>;
    // Listing only (no decoding): the Photos page already shows the photos; this is for their captions,
    // the split and the files that will not be used (found from their headers).
    runInBackground(
        this,
        [path = toPath(folder)]() -> ScannedProject {
            return std::make_shared<Result<PhotoProject>>(PhotoProject::from_scan(ScanRequest{{path}, false}));
        },
        [this](const ScannedProject& scanned) {
            if (!*scanned) {
                statusBar()->showMessage(tr("Could not read the photos' captions: %1")
                                             .arg(QString::fromStdString(scanned->failure().message)));
                return;
            }
            m_pendingScans.push_back(std::make_shared<PhotoProject>(std::move(scanned->value())));
            mergePendingScans();
        });
}

void MainWindow::mergePendingScans()
{
    // Auto-captioning writes to the project from its thread: the merge waits for it to end.
    if (m_pendingScans.empty() || m_captionsPage->isAutoCaptioning()) return;
    for (auto& scanned : m_pendingScans) {
        if (!m_project) m_project = std::move(scanned);
        else m_project->add_photos_from(*scanned); // keeps the edits made so far
    }
    m_pendingScans.clear();
    showProject();
}

void MainWindow::showProject()
{
    m_photosPage->setProject(*m_project);
    m_captionsPage->setProject(m_project);
    m_setupPage->setDatasetSize(static_cast<int>(m_project->size()));
}

void MainWindow::setPhotosExcluded(const QStringList& paths, bool excluded)
{
    if (!m_project) return;
    if (m_captionsPage->isAutoCaptioning()) {
        statusBar()->showMessage(tr("Auto-captioning is running: leave photos out or include them after it ends."));
        return;
    }
    const QSet<QString> chosen(paths.begin(), paths.end());
    int changed = 0;
    for (std::size_t i = 0; i < m_project->size(); ++i) {
        const ProjectPhoto photo = m_project->photo(i);
        if (!chosen.contains(toQString(photo.path)) || photo.excluded == excluded) continue;
        m_project->set_excluded(i, excluded, excluded ? tr("left out by you").toStdString() : std::string());
        ++changed;
    }
    statusBar()->showMessage(excluded ? tr("Left out %1 photos; the next run trains without them.").arg(changed)
                                      : tr("Included %1 photos again.").arg(changed));
    if (changed > 0) showProject();
}

void MainWindow::chooseFolder()
{
    const QString start = studioSettings().value(kLastFolderKey, QDir::homePath()).toString();
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Add a folder of photos"), start);
    if (!folder.isEmpty()) addFolder(folder);
}

void MainWindow::chooseDiagnosticsFile()
{
    QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (documents.isEmpty()) documents = QDir::homePath();
    const QString suggested = documents + QStringLiteral("/phototune-diagnostics-%1.zip")
                                              .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    const QString zip = QFileDialog::getSaveFileName(this, tr("Save diagnostics"), suggested, tr("Zip archives (*.zip)"));
    if (!zip.isEmpty()) saveDiagnostics(zip);
}

void MainWindow::saveDiagnostics(const QString& zipPath)
{
    statusBar()->showMessage(tr("Saving diagnostics…"));
    DiagnosticsRequest request;
    request.output = toPath(zipPath);
    request.runs_dir = toPath(m_runsFolder);
    using Written = std::shared_ptr<Result<std::filesystem::path>>;
    runInBackground(
        this,
        [request] {
            return std::make_shared<Result<std::filesystem::path>>(write_diagnostics(request));
        },
        [this](const Written& written) {
            if (*written) {
                const QString zip = toQString(written->value());
                statusBar()->showMessage(tr("Saved diagnostics to %1: attach it to your bug report.")
                                             .arg(QDir::toNativeSeparators(zip)));
                Q_EMIT diagnosticsSaved(zip, {});
            } else {
                const QString error = QString::fromStdString(written->failure().message);
                statusBar()->showMessage(tr("Could not save the diagnostics."));
                // open(), not exec(): the window goes on while the message is read.
                auto* box = new QMessageBox(QMessageBox::Warning, tr("Save diagnostics"),
                                            tr("Could not save the diagnostics: %1").arg(error), QMessageBox::Ok, this);
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
                Q_EMIT diagnosticsSaved({}, error);
            }
        });
}

void MainWindow::showAbout()
{
    // The report probes CUDA, which can take a moment: build it off the GUI thread.
    runInBackground(this, [] { return phototune::version_report(); }, [this](const std::string& report) {
        QMessageBox::about(this, tr("About PhotoTune Studio"),
                           tr("<h3>PhotoTune Studio</h3><p>Fine-tune CLIP on your own photos with LoRA.</p>"
                              "<pre>%1</pre>")
                               .arg(QString::fromStdString(report).toHtmlEscaped()));
    });
}

void MainWindow::restoreWindowState()
{
    const QSettings settings = studioSettings();
    if (!restoreGeometry(settings.value(kGeometryKey).toByteArray())) resize(1180, 740);
    restoreState(settings.value(kWindowStateKey).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // Training asks first, then stops at a step boundary with a checkpoint (resumable later).
    if (!m_trainPage->confirmStopForClose(this)) {
        event->ignore();
        return;
    }
    QSettings settings = studioSettings();
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kWindowStateKey, saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!droppedFolders(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QStringList folders = droppedFolders(event->mimeData());
    if (folders.isEmpty()) return;
    event->acceptProposedAction();
    for (const QString& folder : folders) addFolder(folder);
}

} // namespace phototune::ui

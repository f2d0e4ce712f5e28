#include "ui/main_window.h"

#include "core/api/clip_engine.h"
#include "core/api/diagnostics.h"
#include "core/api/project.h"
#include "core/api/training.h"
#include "core/api/system_info.h"
#include "ui/models/caption_table_model.h"
#include "ui/pages/captions_page.h"
#include "ui/pages/export_page.h"
#include "ui/pages/photos_page.h"
#include "ui/pages/setup_page.h"
#include "ui/pages/step_page.h"
#include "ui/pages/train_page.h"
#include "ui/project_session.h"
#include "ui/widgets/run_history_dialog.h"
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
#include <QInputDialog>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenu>
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
#include <utility>

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

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_steps(new QListWidget)
    , m_pages(new QStackedWidget)
    , m_photosPage(new PhotosPage)
    , m_captionsPage(new CaptionsPage)
    , m_session(new ProjectSession(this))
{
    setWindowTitle(tr("PhotoTune Studio"));
    setAcceptDrops(true);

    m_photosPage->setObjectName(QStringLiteral("photosPage"));
    m_captionsPage->setObjectName(QStringLiteral("captionsPage"));
    m_setupPage = new SetupPage;
    m_setupPage->setObjectName(QStringLiteral("setupPage"));
    connect(m_setupPage, &SetupPage::planAccepted, this, &MainWindow::usePlan);
    // The model chosen on the Setup step is the one that counts tokens and tags on the Captions step.
    connect(m_setupPage, &SetupPage::modelFolderChanged, this, [this](const QString& folder) {
        if (!folder.isEmpty()) m_captionsPage->setModelFolder(folder);
    });
    m_trainPage = new TrainPage;
    m_trainPage->setObjectName(QStringLiteral("trainPage"));
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
    connect(m_photosPage, &PhotosPage::exclusionRequested, this, [this](const QStringList& paths, bool excluded) {
        const std::string reason = tr("left out by you").toStdString();
        editPhotos(
            paths,
            [excluded, reason](PhotoProject& project, const std::vector<std::size_t>& photos) {
                project.set_excluded(photos, excluded, reason);
            },
            excluded ? tr("Left out %1 photos; the next run trains without them.")
                     : tr("Included %1 photos again."));
    });
    connect(m_photosPage, &PhotosPage::relabelRequested, this, [this](const QStringList& paths, const QString& label) {
        editPhotos(
            paths,
            [label = label.toStdString()](PhotoProject& project, const std::vector<std::size_t>& photos) {
                project.set_label(photos, label);
            },
            tr("Labelled %1 photos “%2”.").arg(QStringLiteral("%1"), label));
    });
    connect(m_photosPage, &PhotosPage::removalRequested, this, [this](const QStringList& paths) {
        editPhotos(
            paths, [](PhotoProject& project, const std::vector<std::size_t>& photos) { project.remove_photos(photos); },
            tr("Removed %1 photos from the project; their files are untouched."));
    });
    // Auto-captioning writes to the project from its thread: merges and saves wait for it.
    connect(m_captionsPage, &CaptionsPage::autoCaptioningChanged, m_session, &ProjectSession::setHeld);
    connect(m_captionsPage->model(), &QAbstractItemModel::dataChanged, m_session, &ProjectSession::markEdited);

    connect(m_session, &ProjectSession::projectChanged, this, &MainWindow::adoptProject);
    connect(m_session, &ProjectSession::photosAdded, this, [this](int added, const QStringList& paths) {
        const QString where = QDir::toNativeSeparators(paths.join(QStringLiteral(", ")));
        statusBar()->showMessage(added == 0 ? tr("No new photos in %1").arg(where)
                                            : tr("Added %1 photos from %2").arg(added).arg(where));
        showProject();
    });
    connect(m_session, &ProjectSession::failed, this, [this](const QString& message) {
        statusBar()->showMessage(message);
        // The demo project could not be read: a fresh one ("Demo 2") keeps the demo one click away.
        if (const QString demoPhotos = std::exchange(m_folderAfterOpen, {}); !demoPhotos.isEmpty()) {
            m_session->newProject(QStringLiteral("Demo"));
            addFolder(demoPhotos);
        }
        auto* box = new QMessageBox(QMessageBox::Warning, tr("PhotoTune Studio"), message, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });

    createMenus();
    statusBar()->showMessage(tr("Ready"));
    restoreWindowState();
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* newAction = file->addAction(tr("&New project…"), this, &MainWindow::askForNewProject);
    newAction->setObjectName(QStringLiteral("newProjectAction"));
    newAction->setShortcut(QKeySequence::New);
    QAction* openAction = file->addAction(tr("&Open project…"), this, &MainWindow::chooseProjectFile);
    openAction->setObjectName(QStringLiteral("openProjectAction"));
    openAction->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentProjectsMenu"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    fillRecentMenu();
    QAction* saveAction = file->addAction(tr("&Save project"), m_session, &ProjectSession::save);
    saveAction->setObjectName(QStringLiteral("saveProjectAction"));
    saveAction->setShortcut(QKeySequence::Save);
    saveAction->setStatusTip(tr("Projects are also saved on their own a moment after each change."));
    QAction* saveAsAction = file->addAction(tr("Save project &as…"), this, &MainWindow::chooseSaveAsFile);
    saveAsAction->setObjectName(QStringLiteral("saveProjectAsAction"));
    saveAsAction->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    QAction* addFolderAction = file->addAction(tr("&Add folder of photos…"), this, &MainWindow::chooseFolder);
    addFolderAction->setObjectName(QStringLiteral("addFolderAction"));
    addFolderAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    QAction* historyAction = file->addAction(tr("Run &history…"), this, &MainWindow::showRunHistory);
    historyAction->setObjectName(QStringLiteral("runHistoryAction"));
    historyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
    historyAction->setStatusTip(tr("Every run of this project: its settings, curves and accuracy; compare two side by side."));
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

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    for (const QString& file : ProjectSession::recentProjects()) {
        if (!QFileInfo::exists(file)) continue; // moved or deleted since
        m_recentMenu->addAction(QDir::toNativeSeparators(file), this, [this, file] { openProject(file); });
    }
    m_recentMenu->setEnabled(!m_recentMenu->isEmpty());
}

bool MainWindow::refuseWhileCaptioning(const QString& what)
{
    if (!m_captionsPage->isAutoCaptioning()) return false;
    statusBar()->showMessage(tr("Auto-captioning is running: %1 after it ends (or cancel it on the Captions step).").arg(what));
    return true;
}

void MainWindow::newProject(const QString& name)
{
    if (refuseWhileCaptioning(tr("start a new project"))) return;
    m_session->newProject(name);
}

void MainWindow::openProject(const QString& file)
{
    if (refuseWhileCaptioning(tr("open another project"))) return;
    statusBar()->showMessage(tr("Opening %1…").arg(QDir::toNativeSeparators(file)));
    m_session->open(file);
}

void MainWindow::openDemo(const QString& photosFolder)
{
    const QString demoFile = ProjectSession::projectsFolder() + QStringLiteral("/Demo.phototune.json");
    if (!QFileInfo::exists(demoFile)) {
        m_session->newProject(QStringLiteral("Demo"));
        addFolder(photosFolder);
        return;
    }
    // Added once it is open: a scan started before would belong to the project being replaced. Adding
    // the folder again finds the photos if the studio moved since (nothing new otherwise).
    m_folderAfterOpen = photosFolder;
    openProject(demoFile);
}

void MainWindow::askForNewProject()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("New project"), tr("Name of the project:"), QLineEdit::Normal,
                                               tr("My photos"), &ok).trimmed();
    if (ok && !name.isEmpty()) newProject(name);
}

void MainWindow::chooseProjectFile()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Open project"), ProjectSession::projectsFolder(),
                                                      tr("PhotoTune projects (*.phototune.json)"));
    if (!file.isEmpty()) openProject(file);
}

void MainWindow::chooseSaveAsFile()
{
    if (!m_session->project()) return;
    const QString file = QFileDialog::getSaveFileName(this, tr("Save project as"), m_session->file(),
                                                      tr("PhotoTune projects (*.phototune.json)"));
    if (!file.isEmpty() && m_session->saveAs(file))
        statusBar()->showMessage(tr("Saved the project to %1; its runs from now on go beside it.")
                                     .arg(QDir::toNativeSeparators(m_session->file())));
}

void MainWindow::showRunHistory()
{
    if (m_session->runsFolder().isEmpty()) return;
    auto* dialog = new RunHistoryDialog(m_session->runsFolder(), this);
    dialog->setObjectName(QStringLiteral("runHistoryDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RunHistoryDialog::exportRequested, this, [this, dialog](const QString& runDir) {
        m_exportPage->setRun(runDir);
        m_steps->setCurrentRow(m_pages->indexOf(m_exportPage));
        dialog->close();
    });
    connect(dialog, &RunHistoryDialog::continueRequested, this, [this, dialog](const QString& runDir) {
        resumeInterruptedRun(runDir);
        dialog->close();
    });
    dialog->open();
}

void MainWindow::adoptProject()
{
    m_photosPage->dropPendingListings();
    setWindowTitle(tr("PhotoTune Studio — %1").arg(m_session->name()));
    m_trainPage->setRunsFolder(m_session->runsFolder());
    const PhotoProject& project = *m_session->project();
    if (project.size() > 0) {
        // The root folder of the first photo: the run's data folder when there is no project snapshot.
        const ProjectPhoto first = project.photo(0);
        QString root = toQString(first.path);
        root.chop(static_cast<int>(QString::fromStdString(first.relative_path).size()));
        m_photoFolder = QDir::cleanPath(root);
        prepareTraining(m_photoFolder);
    }
    showProject();
    fillRecentMenu();
    statusBar()->showMessage(tr("Project %1 (%2)").arg(m_session->name(), QDir::toNativeSeparators(m_session->file())));
    if (const QString folder = std::exchange(m_folderAfterOpen, {}); !folder.isEmpty()) addFolder(folder);
}

void MainWindow::addFolder(const QString& folder)
{
    if (!m_session->project()) m_session->newProject(QFileInfo(folder).fileName());
    studioSettings().setValue(kLastFolderKey, folder);
    statusBar()->showMessage(tr("Listing %1…").arg(QDir::toNativeSeparators(folder)));
    m_steps->setCurrentRow(m_pages->indexOf(m_photosPage));
    m_photosPage->addFolder(folder); // the grid fills at once; the project's scan follows
    m_session->addPaths({folder});
    m_photoFolder = folder;
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
    if (!m_session->project() || m_session->project()->size() == 0) {
        statusBar()->showMessage(tr("Add a folder of photos first: the plan trains on them."));
        m_steps->setCurrentRow(m_pages->indexOf(m_photosPage));
        return;
    }
    TrainConfig config = m_setupPage->trainSettings();
    config.data_dir = toPath(m_photoFolder);
    m_planAccepted = true;
    m_trainPage->setTrainConfig(config);
    statusBar()->showMessage(m_setupPage->explanation());
    m_steps->setCurrentRow(m_pages->indexOf(m_trainPage));
}

Result<void> MainWindow::snapshotProjectFor(TrainConfig& config)
{
    const std::shared_ptr<PhotoProject> project = m_session->project();
    if (!project) return {}; // no project yet: the run scans the folder itself
    if (m_captionsPage->isAutoCaptioning())
        return Failure{ErrorCategory::InvalidInput,
                       tr("Auto-captioning is still running: let it finish (or cancel it) on the Captions step, then "
                          "start training.")
                           .toStdString()};
    // Beside the runs, named after the run: the exact dataset a run trained on stays with it.
    std::filesystem::path file = config.run_dir;
    file += ".phototune.json";
    QDir().mkpath(toQString(file.parent_path()));
    if (auto saved = project->save(file); !saved) return saved.failure();
    config.project_file = file;
    m_session->save(); // the project's own file is as current as the run's copy
    return {};
}

void MainWindow::resumeInterruptedRun(const QString& runDir)
{
    m_steps->setCurrentRow(m_pages->indexOf(m_trainPage));
    m_trainPage->resumeRun(runDir);
}

void MainWindow::showProject()
{
    const std::shared_ptr<PhotoProject> project = m_session->project();
    m_photosPage->setProject(*project);
    m_captionsPage->setProject(project);
    m_setupPage->setDatasetSize(static_cast<int>(project->size()));
}

void MainWindow::editPhotos(const QStringList& paths,
                            const std::function<void(PhotoProject&, const std::vector<std::size_t>&)>& edit,
                            const QString& done)
{
    const std::shared_ptr<PhotoProject> project = m_session->project();
    if (!project || refuseWhileCaptioning(tr("change the photos"))) return;
    const QSet<QString> chosen(paths.begin(), paths.end());
    std::vector<std::size_t> photos;
    for (std::size_t i = 0; i < project->size(); ++i)
        if (chosen.contains(toQString(project->photo(i).path))) photos.push_back(i);
    if (photos.empty()) return;
    edit(*project, photos);
    m_session->markEdited();
    showProject();
    statusBar()->showMessage(done.arg(photos.size()));
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
    // A project that never trained has no runs folder yet.
    if (const QString runs = m_session->runsFolder(); QFileInfo(runs).isDir()) request.runs_dir = toPath(runs);
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

#pragma once
// The studio's window: a sidebar of workflow steps (Photos → Captions → Setup → Train → Export)
// driving a stack of pages, the File, Go and Help menus, and a status bar. It works on one project
// at a time (ProjectSession: new, open, recent, save, autosave; each project has its runs folder).
// Folders can be dropped on it.

#include <QMainWindow>

#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

class QListWidget;
class QMenu;
class QStackedWidget;

#include "core/api/result.h"

namespace phototune {
class PhotoProject;
struct TrainConfig;
}

namespace phototune::ui {

class CaptionsPage;
class ExportPage;
class PhotosPage;
class ProjectSession;
class SetupPage;
class TrainPage;

class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    PhotosPage* photosPage() const { return m_photosPage; }
    CaptionsPage* captionsPage() const { return m_captionsPage; }
    SetupPage* setupPage() const { return m_setupPage; }
    TrainPage* trainPage() const { return m_trainPage; }
    ExportPage* exportPage() const { return m_exportPage; }
    ProjectSession* session() const { return m_session; }
    // Another project (refused while auto-captioning writes to this one): an empty one called name,
    // or the project file, read in the background.
    void newProject(const QString& name);
    void openProject(const QString& file);
    // The demo project (created on first use) with the demo photos of photosFolder added.
    void openDemo(const QString& photosFolder);
    // Continues a run that a crash or a close interrupted, on the Train step.
    void resumeInterruptedRun(const QString& runDir);
    // Adds the photos of folder to the project (listed in the background); with no project yet,
    // starts one named after the folder.
    void addFolder(const QString& folder);
    // Writes the diagnostics zip (versions, hardware, the runs' configurations and logs, crash
    // reports; never photos) in the background; Help → "Save diagnostics…" asks where first.
    void saveDiagnostics(const QString& zipPath);

Q_SIGNALS:
    // After saveDiagnostics: the zip written, or an empty path and the error.
    void diagnosticsSaved(const QString& zipPath, const QString& error);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void fillRecentMenu();
    void chooseFolder();
    void askForNewProject();
    void chooseProjectFile();
    void chooseSaveAsFile();
    void showRunHistory();
    // Project switches are refused while auto-captioning writes to the project; says so.
    bool refuseWhileCaptioning(const QString& what);
    void adoptProject();
    void showAbout();
    void chooseDiagnosticsFile();
    void restoreWindowState();
    void showProject();
    // Edits of the Photos step: the project changes, is autosaved, and every page is refreshed.
    void editPhotos(const QStringList& paths, const std::function<void(PhotoProject&, const std::vector<std::size_t>&)>& edit,
                    const QString& done);
    void prepareTraining(const QString& folder);
    // The Setup step's accepted plan becomes the Train step's settings.
    void usePlan();
    // Saves the project as the new run's dataset (its photos, split and edited captions) and points
    // the run at it; see TrainPage::setBeforeStart.
    Result<void> snapshotProjectFor(TrainConfig& config);

    QListWidget* m_steps;
    QStackedWidget* m_pages;
    PhotosPage* m_photosPage;
    CaptionsPage* m_captionsPage;
    SetupPage* m_setupPage;
    TrainPage* m_trainPage;
    ExportPage* m_exportPage;
    QMenu* m_recentMenu = nullptr;
    ProjectSession* m_session;
    bool m_planAccepted = false; // the demo default no longer replaces an accepted plan
    // A folder of the project's (the first photo's root, or the one added last): the run's data
    // folder when it has no project snapshot, and where older runs' gallery photos are found.
    QString m_photoFolder;
    QString m_folderAfterOpen; // the demo photos, added once the demo project is open
};

} // namespace phototune::ui

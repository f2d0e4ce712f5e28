#pragma once
// The studio's window: a sidebar of workflow steps (Photos → Captions → Setup → Train → Export)
// driving a stack of pages, the File and Help menus, and a status bar. Folders can be dropped on it.

#include <QMainWindow>

#include <filesystem>
#include <memory>
#include <vector>

class QListWidget;
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
class SetupPage;
class TrainPage;

class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const QString& projectName, QWidget* parent = nullptr);

    PhotosPage* photosPage() const { return m_photosPage; }
    CaptionsPage* captionsPage() const { return m_captionsPage; }
    SetupPage* setupPage() const { return m_setupPage; }
    TrainPage* trainPage() const { return m_trainPage; }
    ExportPage* exportPage() const { return m_exportPage; }
    // Continues a run that a crash or a close interrupted, on the Train step.
    void resumeInterruptedRun(const QString& runDir);
    // Adds the photos of folder to the project (listed in the background).
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
    void chooseFolder();
    void showAbout();
    void chooseDiagnosticsFile();
    void restoreWindowState();
    // Reads folder's photos (captions, split, unused files) in the background and merges them into
    // the project, keeping its edits.
    void readFolderIntoProject(const QString& folder);
    void mergePendingScans();
    void showProject();
    void setPhotosExcluded(const QStringList& paths, bool excluded);
    void prepareTraining(const QString& folder);
    // The Setup step's accepted plan becomes the Train step's settings, on the latest folder.
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
    QString m_runsFolder;
    bool m_planAccepted = false; // the demo default no longer replaces an accepted plan
    // The project of every folder added so far, shared with the pages that edit it.
    std::shared_ptr<PhotoProject> m_project;
    std::vector<std::filesystem::path> m_projectFolders;
    std::vector<std::shared_ptr<PhotoProject>> m_pendingScans; // read, waiting to be merged
};

} // namespace phototune::ui

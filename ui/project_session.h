#pragma once
// The project the window works on: the shared PhotoProject that the pages edit, the file it is
// saved to (autosaved shortly after each edit), its runs folder and the recent-projects list.
// Scanning dropped folders and opening files run off the GUI thread; the merge of a scan into the
// project happens on the GUI thread. While a page writes to the project from a thread
// (auto-captioning), merges and saves wait: see setHeld.

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace phototune {
class PhotoProject;
}

namespace phototune::ui {

class ProjectSession final : public QObject {
    Q_OBJECT
public:
    explicit ProjectSession(QObject* parent = nullptr);
    ~ProjectSession() override;

    std::shared_ptr<PhotoProject> project() const { return m_project; }
    QString name() const { return m_name; }
    // Where the project is saved: a file the person chose, else <projects folder>/<name>.phototune.json.
    QString file() const { return m_file; }
    // <file's folder>/<file's base name>-runs: one sub-folder per training run.
    QString runsFolder() const;
    bool isScanning() const { return m_scansRunning > 0; }

    // An empty project called `name`, saved under projectsFolder() (a free file name is chosen).
    void newProject(const QString& name);
    // Opens a project file in the background: projectChanged() or failed().
    void open(const QString& file);
    // Scans folders or photo files in the background and adds their photos: photosAdded(). The
    // scan reads the files' headers, not their pixels, so a 12 MP folder lists in seconds; a file
    // damaged further inside is reported when a run decodes it.
    void addPaths(const QStringList& paths);
    // False when the project could not be written (failed() says why). While held, the save is
    // made when the hold ends, and true is returned.
    bool save();
    bool saveAs(const QString& file);
    // A page changed the project: it is saved a moment later (edits come in bursts).
    void markEdited();
    // While held, scanned photos wait to be merged and saves wait (a page is writing to the project
    // from a thread); both happen when the hold ends.
    void setHeld(bool held);

    // AppDataLocation/projects: where untitled projects and the demo live.
    static QString projectsFolder();
    static QStringList recentProjects();

Q_SIGNALS:
    void projectChanged();               // another project: new or opened
    void photosAdded(int added, const QStringList& paths);
    void saved(const QString& file);
    void failed(const QString& message);

private:
    void adopt(std::shared_ptr<PhotoProject> project, const QString& name, const QString& file);
    void merge(std::shared_ptr<PhotoProject> scanned, const QStringList& paths);
    static void remember(const QString& file);

    std::shared_ptr<PhotoProject> m_project;
    QString m_name;
    QString m_file;
    QTimer m_autosave;
    int m_generation = 0;   // a scan or open started for an older project is dropped
    int m_scansRunning = 0;
    bool m_held = false;
    bool m_saveWhenReleased = false;
    struct PendingMerge {
        std::shared_ptr<PhotoProject> scanned;
        QStringList paths;
    };
    QList<PendingMerge> m_pendingMerges;
};

} // namespace phototune::ui

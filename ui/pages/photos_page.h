#pragma once
// Photos: the folders of photos the adapter learns from, as a thumbnail grid with a count per
// label. Folders are listed off the GUI thread; thumbnails decode in the background. Once the
// window's project is read, the page also shows its split (photos held out for validation, per
// label) and every file that will not be used, with the reason and what to do.

#include "ui/pages/step_page.h"

#include <map>
#include <optional>

class QLabel;
class QListView;
class QPushButton;
class QTreeWidget;

namespace phototune {
class PhotoProject;
}

namespace phototune::ui {

class PhotoListModel;

class PhotosPage final : public StepPage {
    Q_OBJECT
public:
    explicit PhotosPage(QWidget* parent = nullptr);

    PhotoListModel* model() const { return m_model; }
    // Lists folder in the background and adds its photos to the grid at once, before the
    // project's own scan of it ends.
    void addFolder(const QString& folder);
    // Another project is opened: folders still being listed belong to the one before.
    void dropPendingListings() { ++m_listingGeneration; }
    // The window's project: the grid becomes its photos (with their labels), and the page shows
    // its split and the files it will not use. Read once here, as pages may edit the project from
    // a worker thread later (auto-captioning).
    void setProject(const PhotoProject& project);

Q_SIGNALS:
    void addFolderRequested();
    void folderAdded(const QString& folder, int newPhotos);
    // "Leave out" / "Include" on the selected photos: the window changes the project, then calls
    // setProject again.
    void exclusionRequested(const QStringList& paths, bool excluded);
    // "Relabel…" (the new label asked for) and "Remove" on the selected photos, the same way.
    void relabelRequested(const QStringList& paths, const QString& label);
    void removalRequested(const QStringList& paths);

private:
    void refreshLabels();
    void refreshSummary();
    void refreshSelectionButtons();
    void requestExclusion(bool excluded);
    void askForLabel();
    QStringList selectedPaths() const;

    PhotoListModel* m_model;
    QListView* m_grid;
    QTreeWidget* m_labels;
    QTreeWidget* m_unused;
    std::optional<std::map<QString, int>> m_heldOut; // per label; empty until a project is set
    int m_listingGeneration = 0;
    QLabel* m_summary;
    QPushButton* m_addButton;
    QPushButton* m_excludeButton;
    QPushButton* m_includeButton;
    QPushButton* m_relabelButton;
    QPushButton* m_removeButton;
};

} // namespace phototune::ui

#pragma once
// Photos: the folders of photos the adapter learns from, as a thumbnail grid with a count per
// label. Folders are listed off the GUI thread; thumbnails decode in the background.

#include "ui/pages/step_page.h"

class QLabel;
class QListView;
class QPushButton;
class QTreeWidget;

namespace phototune::ui {

class PhotoListModel;

class PhotosPage final : public StepPage {
    Q_OBJECT
public:
    explicit PhotosPage(QWidget* parent = nullptr);

    PhotoListModel* model() const { return m_model; }
    // Lists folder in the background and adds its photos to the project.
    void addFolder(const QString& folder);

Q_SIGNALS:
    void addFolderRequested();
    void folderAdded(const QString& folder, int newPhotos);

private:
    void refreshLabels();

    PhotoListModel* m_model;
    QListView* m_grid;
    QTreeWidget* m_labels;
    QLabel* m_summary;
    QPushButton* m_addButton;
};

} // namespace phototune::ui

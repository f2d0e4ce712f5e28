#pragma once
// The studio's window: a sidebar of workflow steps (Photos → Captions → Setup → Train → Export)
// driving a stack of pages, the File and Help menus, and a status bar. Folders can be dropped on it.

#include <QMainWindow>

class QListWidget;
class QStackedWidget;

namespace phototune::ui {

class PhotosPage;

class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const QString& projectName, QWidget* parent = nullptr);

    PhotosPage* photosPage() const { return m_photosPage; }
    // Adds the photos of folder to the project (listed in the background).
    void addFolder(const QString& folder);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void chooseFolder();
    void showAbout();
    void restoreWindowState();

    QListWidget* m_steps;
    QStackedWidget* m_pages;
    PhotosPage* m_photosPage;
};

} // namespace phototune::ui

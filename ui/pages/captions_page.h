#pragma once
// Captions: each photo's caption and tags, reviewed and edited keyboard-first (Enter saves and moves
// on, Up/Down move keeping what was typed, Escape reverts), filtered by label, tag, "no caption" or text,
// edited in bulk on a selection, and suggested by CLIP zero-shot tagging ("Auto-caption…") in the
// background with a progress bar and Cancel. Token counts and auto-captioning need a CLIP model.

#include "core/api/captioning.h"
#include "core/api/clip_engine.h"
#include "core/api/progress.h"
#include "core/api/project.h"
#include "ui/pages/step_page.h"

#include <QFutureWatcher>

#include <memory>

class QCheckBox;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace phototune::ui {

class CaptionFilterProxy;
class CaptionTableModel;

class CaptionsPage final : public StepPage {
    Q_OBJECT
public:
    explicit CaptionsPage(QWidget* parent = nullptr);
    // Stops a running auto-caption and waits for it: its progress reports address this page.
    ~CaptionsPage() override;

    // The project to caption (the window's: another one when a project is opened). While
    // auto-captioning runs, the switch waits until it ends.
    void setProject(std::shared_ptr<PhotoProject> project);
    // The CLIP model folder that counts tokens and auto-captions; loaded in the background.
    void setModelFolder(const QString& folder);

    CaptionTableModel* model() const { return m_model; }
    bool isAutoCaptioning() const { return m_run.isRunning(); }

Q_SIGNALS:
    // The model folder was loaded (or failed to load: ok is false).
    void modelFolderLoaded(bool ok);
    void autoCaptionFinished();
    // Auto-captioning began or ended: while it runs, it writes to the project from its thread.
    void autoCaptioningChanged(bool running);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    using CaptionRun = std::shared_ptr<Result<CaptionReport>>;

    QWidget* createFilterBar();
    QWidget* createEditor();
    QWidget* createBulkBar();
    QWidget* createAutoCaptionBar();

    void showCurrentPhoto();
    void refreshTokenCount();
    void refreshTagChips();
    void refreshFilterChoices();
    void refreshAutoCaptionAvailability();
    void saveCaption();
    void moveCurrent(int step);
    void addTagToCurrent();
    QList<int> selectedRows() const;
    void bulkAddTag();
    void bulkRemoveTag();
    void bulkReplace();
    void startAutoCaption();
    void showCaptionProgress(std::size_t done, std::size_t total);
    void finishAutoCaption();
    void setAutoCaptioning(bool running);

    CaptionTableModel* m_model;
    CaptionFilterProxy* m_filter;
    std::shared_ptr<ClipEngine> m_engine;
    std::shared_ptr<PhotoProject> m_pendingProject; // arrived during an auto-caption run
    int m_modelGeneration = 0;                      // ignores a load that a newer folder replaced
    int m_currentRow = -1;                          // source row in the editor

    QLineEdit* m_search;
    QComboBox* m_labelFilter;
    QComboBox* m_tagFilter;
    QCheckBox* m_uncaptionedOnly;
    QTableView* m_table;

    QWidget* m_editor;
    QLabel* m_photoName;
    QLineEdit* m_captionEdit;
    QLabel* m_tokenCount;
    QWidget* m_tagChips;
    QHBoxLayout* m_tagChipLayout;
    QLineEdit* m_newTag;

    QWidget* m_bulkBar;
    QLineEdit* m_bulkTag;
    QLineEdit* m_find;
    QLineEdit* m_replace;
    QLabel* m_bulkResult;

    QLabel* m_modelStatus;
    QLineEdit* m_template;
    QCheckBox* m_replaceCaptions;
    QPushButton* m_autoCaptionButton;
    QProgressBar* m_progress;
    QPushButton* m_cancelButton;
    QLabel* m_captionStatus;
    CancelToken m_cancel;
    QFutureWatcher<CaptionRun> m_run;
};

} // namespace phototune::ui

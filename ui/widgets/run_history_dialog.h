#pragma once
// The runs of a project: every sub-folder of the runs folder that holds a run.json, newest first,
// with its model, LoRA rank, progress, accuracies and state (read off the GUI thread; a run that
// cannot be read is listed with the reason). One selected run is shown and two are compared side
// by side: their settings (the ones that differ in bold), loss curves and accuracy curves.
// Export… and Continue act on one selected run; the window decides what they do.

#include "core/api/training.h"

#include <QDialog>
#include <QString>

#include <vector>

class QCustomPlot;
class QLabel;
class QPushButton;
class QTableWidget;

namespace phototune::ui {

class RunHistoryDialog final : public QDialog {
    Q_OBJECT
public:
    explicit RunHistoryDialog(const QString& runsFolder, QWidget* parent = nullptr);

    // Lists the runs folder again in the background; loaded() follows once the table shows it.
    void reload();

Q_SIGNALS:
    void loaded();
    void exportRequested(const QString& runDir);
    // Only for a run that is not finished and has a checkpoint to continue from.
    void continueRequested(const QString& runDir);

private:
    // A sub-folder with a run.json: its history, or why it cannot be read.
    struct ListedRun {
        QString folder;
        Result<RunHistory> history;
    };
    static std::vector<ListedRun> listRuns(const QString& runsFolder);

    QWidget* createComparison();
    void showRuns(std::vector<ListedRun> runs);
    void showRun(int row, const ListedRun& run);
    void showSelection();
    void showSettings(const std::vector<const ListedRun*>& runs);
    void showCurves(const std::vector<const ListedRun*>& runs);
    std::vector<int> selectedRows() const;
    // The one selected run when exactly one is selected and it could be read, else null.
    const ListedRun* singleSelectedRun() const;
    void refreshButtons();

    QString m_runsFolder;
    std::vector<ListedRun> m_runs; // in the table's row order
    quint64 m_reloads = 0;         // a reload's results are shown only if no later reload started

    QLabel* m_status;
    QTableWidget* m_table;
    QLabel* m_comparisonNote;
    QTableWidget* m_settings;
    QCustomPlot* m_lossChart;
    QCustomPlot* m_accuracyChart;
    QPushButton* m_refreshButton;
    QPushButton* m_exportButton;
    QPushButton* m_continueButton;
};

} // namespace phototune::ui

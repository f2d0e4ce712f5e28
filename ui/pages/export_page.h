#pragma once
// Export: a training run's LoRA adapter as a PEFT folder (small; loads with PeftModel.from_pretrained)
// or merged into a whole CLIP model folder (loads with plain transformers), at a chosen strength.
// After writing, the page shows the provenance written with it, a Python snippet that loads it, and
// a button that opens the folder. Exporting runs off the GUI thread.

#include "ui/pages/step_page.h"

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSlider;
class QTableWidget;

namespace phototune {
struct ExportedAdapter;
}

namespace phototune::ui {

class ExportPage final : public StepPage {
    Q_OBJECT
public:
    explicit ExportPage(QWidget* parent = nullptr);

    // The run to export (a run folder; its adapter when finished, else its newest checkpoint). The
    // output folder is suggested next to it unless the user typed one.
    void setRun(const QString& runDir);
    QString run() const { return m_runDir; }

Q_SIGNALS:
    // After each export: the folder written, or an empty folder and the error.
    void exported(const QString& folder, const QString& error);

private:
    void chooseRun();
    void chooseOutput();
    void suggestOutput();
    void showStrength(int percent);
    void startExport();
    void showExported(const ExportedAdapter& adapter);
    void refreshButtons();

    QString m_runDir;
    QString m_exportedFolder;
    bool m_outputEdited = false; // a folder the user chose is never replaced by a suggestion
    bool m_exporting = false;

    QLabel* m_runLabel;
    QRadioButton* m_adapterFormat;
    QRadioButton* m_mergedFormat;
    QSlider* m_strength;
    QLabel* m_strengthValue;
    QLineEdit* m_output;
    QPushButton* m_exportButton;
    QLabel* m_status;
    QTableWidget* m_metadata;
    QPlainTextEdit* m_snippet;
    QPushButton* m_copySnippet;
    QPushButton* m_openFolder;
};

} // namespace phototune::ui

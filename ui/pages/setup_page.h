#pragma once
// Setup, the hardware wizard: what this computer has, a goal (fastest / balanced / best), and the
// plan that fits it (model, LoRA rank, batch and accumulation, precision, checkpointing) with one
// sentence saying why, its predicted peak memory as a stacked bar against the budget and its time.
// "Advanced" overrides any choice and re-estimates live; a plan that does not fit turns red with a
// suggestion. A catalogue model that is not downloaded yet downloads here, with progress.
// Probing, measuring the device (~2 s, once per machine) and planning all run off the GUI thread.

#include "core/api/hardware.h"
#include "core/api/training.h"
#include "ui/pages/step_page.h"

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace phototune::ui {

class MemoryBar;

class SetupPage final : public StepPage {
    Q_OBJECT
public:
    explicit SetupPage(QWidget* parent = nullptr);
    ~SetupPage() override;

    // The built-in demo's untrained model; offered first and chosen while no real model is on disk.
    void setDemoModelFolder(const QString& folder);
    // Photos in the project: the plan's batch and epoch time follow it.
    void setDatasetSize(int images);

    // The chosen plan as training settings (no photos or run folder yet).
    TrainConfig trainSettings() const;
    // The chosen model's folder; empty while a catalogue model is not downloaded.
    QString modelFolder() const;
    bool hasPlan() const { return m_prediction.has_value(); }
    bool planFits() const;
    QString explanation() const;
    MemoryBar* memoryBar() const { return m_memoryBar; }

Q_SIGNALS:
    void planChanged();
    void planAccepted();
    void modelFolderChanged(const QString& folder);

private:
    struct ModelChoice {
        QString id;         // catalogue id, or the folder for the demo and local models
        QString name;
        QString folder;     // empty: not downloaded
        QString licence;
        bool researchOnly = false;
        bool demo = false;
    };

    QWidget* createPlanBox();
    QWidget* createAdvancedBox();
    void machineProbed();
    static QString choiceLabel(const ModelChoice& choice);
    void addModelChoice(const ModelChoice& choice);
    const ModelChoice* currentModel() const;
    void recommend();
    void estimate();
    void showPrediction(const TrainingSetup& setup, const TrainingPrediction& prediction, const QString& explanation,
                        const std::vector<std::string>& warnings);
    void suggestFix(const TrainingSetup& setup);
    void fillControls(const TrainingSetup& setup);
    TrainingSetup setupFromControls() const;
    std::uint64_t budget() const;
    void chooseLocalFolder();
    void downloadModel();
    void refreshModelStatus();

    QString m_demoFolder;
    int m_datasetSize = 0;
    std::optional<DeviceProbe> m_probe;
    std::optional<DeviceThroughput> m_throughput;
    std::uint64_t m_machineBudget = 0;     // free VRAM or available RAM
    std::uint64_t m_usableBudget = 0;      // after the planner's safety margin
    QList<ModelChoice> m_models;
    std::optional<TrainingSetup> m_setup;
    std::optional<TrainingPrediction> m_prediction;
    QString m_explanation;
    int m_generation = 0;                  // drops a plan or estimate that a newer one replaced
    bool m_filling = false;                // controls are being set from a plan, not by the person
    CancelToken m_downloadCancel;
    bool m_downloading = false;

    QLabel* m_hardware;
    QComboBox* m_goal;
    QComboBox* m_model;
    QLabel* m_modelStatus;
    QPushButton* m_download;
    QPushButton* m_cancelDownload;
    QProgressBar* m_downloadProgress;
    QLabel* m_explanationLabel;
    QLabel* m_warnings;
    MemoryBar* m_memoryBar;
    QLabel* m_time;
    QLabel* m_suggestion;
    QGroupBox* m_advanced;
    QSpinBox* m_rank;
    QSpinBox* m_batch;
    QSpinBox* m_accum;
    QComboBox* m_precision;
    QCheckBox* m_checkpointing;
    QComboBox* m_towers;
    QDoubleSpinBox* m_budgetOverride;
    QPushButton* m_accept;
};

} // namespace phototune::ui

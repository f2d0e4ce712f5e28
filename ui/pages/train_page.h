#pragma once
// Train: one click starts the LoRA run in the background (TrainingController); a live loss chart
// (raw steps, EMA, learning rate on the right axis; zoom, pan, log scale, save as PNG), an accuracy
// chart ("learns your photos" = validation, "keeps general knowledge" = retention, best marked),
// the held-out photos' predictions, speed / ETA / step / memory, and a log of the run.
// Charts replot at most 10 times a second.

#include "core/api/training.h"
#include "ui/pages/step_page.h"

#include <QVector>

#include <functional>

class QCheckBox;
class QCPGraph;
class QCustomPlot;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace phototune::ui {

class PredictionGallery;
class TrainingController;

class TrainPage final : public StepPage {
    Q_OBJECT
public:
    explicit TrainPage(QWidget* parent = nullptr);

    // Model, LoRA and batch settings plus data_dir; run_dir empty: a new folder in the runs folder.
    void setTrainConfig(const TrainConfig& config);
    // Where new runs go as run-YYYYMMDD-HHMMSS.
    void setRunsFolder(const QString& folder);
    // Called when Start is clicked, before a new run starts, to complete its settings: the window
    // points the run at a snapshot of the project, so captions edited a moment ago are trained on.
    // A failure cancels the start and is shown in the log.
    using StartHook = std::function<Result<void>(TrainConfig&)>;
    void setBeforeStart(StartHook hook) { m_beforeStart = std::move(hook); }
    // Continues the interrupted run in runDir from its newest checkpoint; its history is drawn first.
    void resumeRun(const QString& runDir);
    // While training: asks whether to stop it (a checkpoint is written) and close; on yes, stops and
    // waits. True when the window may close.
    bool confirmStopForClose(QWidget* parent);

    TrainingController* controller() const { return m_controller; }

Q_SIGNALS:
    // finished: every step done and the adapter written (false: stopped, diverged or failed).
    void runFinished(const QString& runDir, bool finished);

private:
    QWidget* createButtons();
    QWidget* createLossChart();
    QWidget* createAccuracyChart();
    QWidget* createStats();

    void startTraining();
    void startRun(const TrainConfig& config);
    void clearCharts();
    void showPlan(const TrainPlan& plan);
    void addSteps(const QVector<TrainStepEvent>& steps);
    void addEvaluation(const TrainEvalEvent& event);
    void markBest(std::int64_t step);
    void showOutcome(const TrainOutcome& outcome);
    void appendLog(const QString& line, bool warning = false);
    void refreshButtons();
    void setLogScale(bool on);
    void saveChart();
    void replot();

    TrainingController* m_controller;
    TrainConfig m_config;
    StartHook m_beforeStart;
    QString m_runsFolder;
    bool m_resuming = false;

    QPushButton* m_startButton;
    QPushButton* m_pauseButton;
    QPushButton* m_stopButton;
    QCustomPlot* m_lossChart;
    QCPGraph* m_lossGraph;
    QCPGraph* m_emaGraph;
    QCPGraph* m_lrGraph;
    QCheckBox* m_logScale;
    QCustomPlot* m_accuracyChart;
    QCPGraph* m_valGraph;
    QCPGraph* m_retentionGraph;
    QCPGraph* m_bestGraph;
    PredictionGallery* m_gallery;
    QLabel* m_speed;
    QLabel* m_eta;
    QLabel* m_stepLabel;
    QLabel* m_memory;
    QPlainTextEdit* m_log;
};

} // namespace phototune::ui

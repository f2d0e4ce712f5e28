#include "ui/pages/train_page.h"

#include "core/api/hardware.h"
#include "ui/support/async_call.h"
#include "ui/support/qt_convert.h"
#include "ui/training_controller.h"
#include "ui/widgets/prediction_gallery.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>
#include "ui/support/qcustomplot_include.h"

#include <memory>
#include <utility>

namespace phototune::ui {
namespace {

using HistoryRead = std::shared_ptr<Result<RunHistory>>;

QString duration(double seconds)
{
    const qint64 s = qRound64(seconds);
    return s >= 3600 ? TrainPage::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60)
                     : TrainPage::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
}

QCPGraph* addGraph(QCustomPlot* plot, QCPAxis* valueAxis, const QString& name, const QColor& colour)
{
    QCPGraph* graph = plot->addGraph(plot->xAxis, valueAxis);
    graph->setName(name);
    graph->setPen(QPen(colour, 2));
    return graph;
}

} // namespace

TrainPage::TrainPage(QWidget* parent)
    : StepPage(tr("Train"),
               tr("Train the LoRA adapter on your photos. The loss should fall; \"learns your photos\" should "
                  "rise while \"keeps general knowledge\" stays near where it started. You can pause, or stop "
                  "and resume later from the last checkpoint."),
               parent)
    , m_controller(new TrainingController(this))
    , m_gallery(new PredictionGallery)
    , m_log(new QPlainTextEdit)
{
    m_gallery->setObjectName(QStringLiteral("predictionGallery"));
    m_log->setObjectName(QStringLiteral("trainLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setToolTip(tr("The run's plan, warnings, checkpoints and outcome."));

    auto* charts = new QSplitter(Qt::Horizontal);
    charts->addWidget(createLossChart());
    charts->addWidget(createAccuracyChart());
    charts->addWidget(m_gallery);
    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(charts);
    vertical->addWidget(m_log);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 1);

    body()->addWidget(createButtons());
    body()->addWidget(createStats());
    body()->addWidget(vertical, 1);

    connect(m_controller, &TrainingController::planReady, this, &TrainPage::showPlan);
    connect(m_controller, &TrainingController::stepsArrived, this, &TrainPage::addSteps);
    connect(m_controller, &TrainingController::evaluated, this, &TrainPage::addEvaluation);
    connect(m_controller, &TrainingController::checkpointWritten, this, [this](const TrainCheckpointEvent& event) {
        appendLog(event.best ? tr("Checkpoint of step %1 written (the best so far): %2")
                                   .arg(event.step)
                                   .arg(QDir::toNativeSeparators(toQString(event.folder)))
                             : tr("Checkpoint of step %1 written: %2")
                                   .arg(event.step)
                                   .arg(QDir::toNativeSeparators(toQString(event.folder))));
    });
    connect(m_controller, &TrainingController::logged, this,
            [this](bool warning, const QString& message) { appendLog(message, warning); });
    connect(m_controller, &TrainingController::pausedChanged, this, &TrainPage::refreshButtons);
    connect(m_controller, &TrainingController::finished, this, &TrainPage::showOutcome);
    refreshButtons();
}

QWidget* TrainPage::createButtons()
{
    m_startButton = new QPushButton(tr("Start training"));
    m_startButton->setObjectName(QStringLiteral("startTrainingButton"));
    m_startButton->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_pauseButton = new QPushButton(tr("Pause"));
    m_pauseButton->setObjectName(QStringLiteral("pauseTrainingButton"));
    m_stopButton = new QPushButton(tr("Stop"));
    m_stopButton->setObjectName(QStringLiteral("stopTrainingButton"));
    m_stopButton->setToolTip(tr("Stop after the current step; a checkpoint is written so the run can be resumed."));

    connect(m_startButton, &QPushButton::clicked, this, &TrainPage::startTraining);
    connect(m_pauseButton, &QPushButton::clicked, this, [this] {
        if (m_controller->isPaused())
            m_controller->resume();
        else
            m_controller->pause();
    });
    connect(m_stopButton, &QPushButton::clicked, this, [this] {
        m_controller->stop();
        m_stopButton->setEnabled(false);
        appendLog(tr("Stopping after the current step…"));
    });

    auto* bar = new QWidget;
    auto* layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_startButton);
    layout->addWidget(m_pauseButton);
    layout->addWidget(m_stopButton);
    layout->addStretch();
    return bar;
}

QWidget* TrainPage::createLossChart()
{
    m_lossChart = new QCustomPlot;
    m_lossChart->setObjectName(QStringLiteral("lossChart"));
    m_lossChart->setToolTip(tr("Loss per step (dots), its moving average (line) and the learning rate (right axis). "
                               "Drag to pan, wheel to zoom, double-click to fit."));
    m_lossChart->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_lossChart->setNoAntialiasingOnDrag(true);
    m_lossChart->xAxis->setLabel(tr("step"));
    m_lossChart->yAxis->setLabel(tr("loss"));
    m_lossChart->yAxis2->setVisible(true);
    m_lossChart->yAxis2->setLabel(tr("learning rate"));
    m_lossChart->legend->setVisible(true);
    m_lossGraph = addGraph(m_lossChart, m_lossChart->yAxis, tr("loss"), QColor(0x95, 0xa5, 0xa6));
    m_lossGraph->setLineStyle(QCPGraph::lsNone);
    m_lossGraph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 3));
    m_emaGraph = addGraph(m_lossChart, m_lossChart->yAxis, tr("loss (average)"), QColor(0x29, 0x80, 0xb9));
    m_lrGraph = addGraph(m_lossChart, m_lossChart->yAxis2, tr("learning rate"), QColor(0xe6, 0x7e, 0x22));
    m_lrGraph->setPen(QPen(QColor(0xe6, 0x7e, 0x22), 1, Qt::DashLine));
    connect(m_lossChart, &QCustomPlot::mouseDoubleClick, this, [this] {
        m_lossChart->rescaleAxes();
        m_lossChart->replot(QCustomPlot::rpQueuedReplot);
    });

    m_logScale = new QCheckBox(tr("Log scale"));
    m_logScale->setObjectName(QStringLiteral("logScaleCheck"));
    m_logScale->setToolTip(tr("Show the loss on a logarithmic axis, where late small improvements stay visible."));
    connect(m_logScale, &QCheckBox::toggled, this, &TrainPage::setLogScale);
    auto* save = new QPushButton(tr("Save chart as PNG…"));
    save->setObjectName(QStringLiteral("saveChartButton"));
    save->setToolTip(tr("Save the loss chart as a PNG image."));
    connect(save, &QPushButton::clicked, this, &TrainPage::saveChart);

    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_lossChart, 1);
    auto* row = new QHBoxLayout;
    row->addWidget(m_logScale);
    row->addStretch();
    row->addWidget(save);
    layout->addLayout(row);
    return box;
}

QWidget* TrainPage::createAccuracyChart()
{
    m_accuracyChart = new QCustomPlot;
    m_accuracyChart->setObjectName(QStringLiteral("accuracyChart"));
    m_accuracyChart->setToolTip(tr("\"Learns your photos\": zero-shot accuracy on your held-out photos. \"Keeps general "
                                   "knowledge\": accuracy on a generic probe set. The star marks the best checkpoint."));
    m_accuracyChart->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_accuracyChart->xAxis->setLabel(tr("step"));
    m_accuracyChart->yAxis->setLabel(tr("accuracy (%)"));
    m_accuracyChart->yAxis->setRange(0, 100);
    m_accuracyChart->legend->setVisible(true);
    m_valGraph = addGraph(m_accuracyChart, m_accuracyChart->yAxis, tr("learns your photos"), QColor(0x27, 0xae, 0x60));
    m_retentionGraph =
        addGraph(m_accuracyChart, m_accuracyChart->yAxis, tr("keeps general knowledge"), QColor(0x8e, 0x44, 0xad));
    for (QCPGraph* graph : {m_valGraph, m_retentionGraph})
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
    m_bestGraph = addGraph(m_accuracyChart, m_accuracyChart->yAxis, tr("best checkpoint"), QColor(0xf1, 0xc4, 0x0f));
    m_bestGraph->setLineStyle(QCPGraph::lsNone);
    m_bestGraph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssStar, QColor(0xd3, 0x54, 0x00), 14));
    return m_accuracyChart;
}

QWidget* TrainPage::createStats()
{
    const auto stat = [](const char* name, const QString& tip) {
        auto* label = new QLabel;
        label->setObjectName(QString::fromLatin1(name));
        label->setToolTip(tip);
        return label;
    };
    m_stepLabel = stat("stepLabel", tr("Steps done of the run's steps."));
    m_speed = stat("speedLabel", tr("Photos trained on per second at the latest step."));
    m_eta = stat("etaLabel", tr("Estimated time until the last step."));
    m_memory = stat("memoryLabel", tr("Memory the studio's process holds now."));
    auto* bar = new QWidget;
    auto* layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QLabel* label : {m_stepLabel, m_speed, m_eta, m_memory}) layout->addWidget(label);
    layout->addStretch();
    return bar;
}

void TrainPage::setTrainConfig(const TrainConfig& config)
{
    m_config = config;
    m_gallery->setDataDir(toQString(config.data_dir));
    refreshButtons();
}

void TrainPage::setRunsFolder(const QString& folder)
{
    m_runsFolder = folder;
}

void TrainPage::startTraining()
{
    TrainConfig config = m_config;
    config.resume = false;
    if (config.run_dir.empty()) {
        const QString name = QStringLiteral("run-") + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
        const QString folder = QDir(m_runsFolder.isEmpty() ? QDir::currentPath() : m_runsFolder).filePath(name);
        config.run_dir = std::filesystem::path(folder.toStdU16String());
    }
    if (m_beforeStart) {
        if (const auto ready = m_beforeStart(config); !ready) {
            appendLog(QString::fromStdString(ready.failure().message), true);
            return;
        }
    }
    clearCharts();
    startRun(config);
}

void TrainPage::resumeRun(const QString& runDir)
{
    if (m_controller->isRunning() || m_resuming) return;
    m_resuming = true;
    refreshButtons();
    clearCharts();
    appendLog(tr("Reading the run in %1…").arg(QDir::toNativeSeparators(runDir)));
    const std::filesystem::path dir(runDir.toStdU16String());
    // The history is read before the run starts: resuming truncates metrics after the checkpoint.
    runInBackground(
        this, [dir]() -> HistoryRead { return std::make_shared<Result<RunHistory>>(read_run_history(dir)); },
        [this, dir](const HistoryRead& read) {
            m_resuming = false;
            if (!*read) {
                appendLog(tr("Cannot resume: %1").arg(QString::fromStdString(read->failure().message)), true);
                refreshButtons();
                return;
            }
            const RunHistory& history = read->value();
            const std::int64_t kept = history.latest_checkpoint_step;
            QVector<TrainStepEvent> steps;
            for (const TrainStepEvent& step : history.steps)
                if (step.step <= kept) steps.append(step);
            addSteps(steps);
            for (const TrainEvalEvent& eval : history.evaluations)
                if (eval.step <= kept) addEvaluation(eval);
            TrainConfig config = m_config;
            config.run_dir = dir;
            config.resume = true;
            m_gallery->setDataDir(toQString(history.config.data_dir));
            startRun(config);
        });
}

void TrainPage::startRun(const TrainConfig& config)
{
    if (!m_controller->start(config)) return;
    appendLog(tr("%1 the run in %2")
                  .arg(config.resume ? tr("Resuming") : tr("Starting"),
                       QDir::toNativeSeparators(toQString(config.run_dir))));
    refreshButtons();
}

bool TrainPage::confirmStopForClose(QWidget* parent)
{
    if (!m_controller->isRunning()) return true;
    const auto answer = QMessageBox::question(
        parent, tr("Training is running"),
        tr("Training is running: stop it (a checkpoint is written, so it can be resumed) and close?"),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer != QMessageBox::Yes) return false;
    m_controller->stopAndWait();
    return true;
}

void TrainPage::clearCharts()
{
    for (QCPGraph* graph : {m_lossGraph, m_emaGraph, m_lrGraph, m_valGraph, m_retentionGraph, m_bestGraph})
        graph->data()->clear();
    m_gallery->clear();
    replot();
}

void TrainPage::showPlan(const TrainPlan& plan)
{
    appendLog(tr("Plan: %1 photos to train on, %2 held out, %3 labels; %4 steps of %5 photos (%6 epochs), "
                 "evaluated every %7 steps, on %8.")
                  .arg(plan.train_photos)
                  .arg(plan.validation_photos)
                  .arg(plan.labels.size())
                  .arg(plan.total_steps)
                  .arg(plan.batch)
                  .arg(plan.epochs, 0, 'f', 1)
                  .arg(plan.eval_every)
                  .arg(QString::fromStdString(plan.device)));
    if (plan.start_step > 0) appendLog(tr("Continuing after step %1.").arg(plan.start_step));
    for (const std::string& warning : plan.warnings) appendLog(QString::fromStdString(warning), true);
    m_stepLabel->setText(tr("Step %1 / %2").arg(plan.start_step).arg(plan.total_steps));
    m_lossChart->xAxis->setRange(0, static_cast<double>(plan.total_steps));
    m_accuracyChart->xAxis->setRange(0, static_cast<double>(plan.total_steps));
    replot();
}

void TrainPage::addSteps(const QVector<TrainStepEvent>& steps)
{
    if (steps.isEmpty()) return;
    QVector<double> keys, losses, emas, rates;
    for (const TrainStepEvent& step : steps) {
        keys.append(static_cast<double>(step.step));
        losses.append(step.loss);
        emas.append(step.ema_loss);
        rates.append(step.lr);
    }
    m_lossGraph->addData(keys, losses, true);
    m_emaGraph->addData(keys, emas, true);
    m_lrGraph->addData(keys, rates, true);
    bool found = false;
    const QCPRange lossRange = m_lossGraph->getValueRange(found);
    if (found) m_lossChart->yAxis->setRange(m_logScale->isChecked() ? QCPRange(lossRange.lower * 0.9, lossRange.upper * 1.1)
                                                                   : lossRange.expanded(0.0));
    m_lrGraph->rescaleValueAxis();

    const TrainStepEvent& last = steps.back();
    m_stepLabel->setText(tr("Step %1 / %2").arg(last.step).arg(last.total_steps));
    m_speed->setText(tr("%1 images/s").arg(last.images_per_second, 0, 'f', 1));
    m_eta->setText(tr("ETA %1").arg(duration(last.eta_seconds)));
    m_memory->setText(last.resident_bytes ? tr("Memory: %1").arg(QString::fromStdString(format_bytes(last.resident_bytes)))
                                          : tr("Memory: unknown"));
    replot();
}

void TrainPage::addEvaluation(const TrainEvalEvent& event)
{
    const double step = static_cast<double>(event.step);
    if (event.val_accuracy >= 0) m_valGraph->addData(step, event.val_accuracy * 100.0);
    if (event.retention_accuracy >= 0) m_retentionGraph->addData(step, event.retention_accuracy * 100.0);
    if (event.best) markBest(event.step);
    m_gallery->addEvaluation(event);
    QString line = event.base_model ? tr("Base model") : tr("Evaluation at step %1").arg(event.step);
    if (event.val_accuracy >= 0) line += tr(": learns your photos %1 %").arg(event.val_accuracy * 100.0, 0, 'f', 1);
    if (event.retention_accuracy >= 0)
        line += tr(", keeps general knowledge %1 %").arg(event.retention_accuracy * 100.0, 0, 'f', 1);
    if (event.best) line += tr(" (best so far)");
    appendLog(line, event.retention_collapsed);
    if (event.retention_collapsed)
        appendLog(tr("General knowledge dropped sharply: try a lower learning rate, a smaller rank or fewer steps."), true);
    replot();
}

void TrainPage::markBest(std::int64_t step)
{
    const auto found = m_valGraph->data()->findBegin(static_cast<double>(step), false);
    if (found == m_valGraph->data()->constEnd()) return;
    m_bestGraph->data()->clear();
    m_bestGraph->addData(found->key, found->value);
}

void TrainPage::showOutcome(const TrainOutcome& outcome)
{
    const QString runDir = m_controller->runDir();
    switch (outcome.status) {
    case TrainStatus::Finished:
        appendLog(tr("Finished %1 steps in %2. The adapter is in %3.")
                      .arg(outcome.steps_done)
                      .arg(duration(outcome.seconds))
                      .arg(QDir::toNativeSeparators(toQString(outcome.adapter_dir))));
        break;
    case TrainStatus::Cancelled:
        appendLog(tr("Stopped after step %1 of %2; resume it later from its last checkpoint.")
                      .arg(outcome.steps_done)
                      .arg(outcome.total_steps));
        break;
    case TrainStatus::Diverged:
    case TrainStatus::Failed:
        appendLog(tr("Training failed: %1").arg(QString::fromStdString(outcome.failure.message)), true);
        break;
    }
    if (outcome.best_step > 0)
        appendLog(tr("Best checkpoint: step %1 (learns your photos %2 %).")
                      .arg(outcome.best_step)
                      .arg(outcome.best_val_accuracy * 100.0, 0, 'f', 1));
    m_eta->clear();
    refreshButtons();
    Q_EMIT runFinished(runDir, outcome.status == TrainStatus::Finished);
}

void TrainPage::appendLog(const QString& line, bool warning)
{
    m_log->appendPlainText(warning ? tr("Warning: %1").arg(line) : line);
}

void TrainPage::refreshButtons()
{
    const bool running = m_controller->isRunning();
    const bool ready = !m_config.model_dir.empty() && !m_config.data_dir.empty();
    m_startButton->setEnabled(!running && !m_resuming && ready);
    m_startButton->setToolTip(ready ? tr("Start a new training run with the settings of the Setup step (Ctrl+Enter).")
                                    : tr("Choose photos and a model in the earlier steps first."));
    m_pauseButton->setEnabled(running);
    const bool paused = m_controller->isPaused();
    m_pauseButton->setText(paused ? tr("Resume") : tr("Pause"));
    m_pauseButton->setToolTip(paused ? tr("Continue training from where it paused.")
                                     : tr("Pause after the current step; nothing is lost."));
    m_stopButton->setEnabled(running);
}

void TrainPage::setLogScale(bool on)
{
    m_lossChart->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    m_lossChart->yAxis->setTicker(on ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog)
                                     : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    m_lossChart->rescaleAxes();
    replot();
}

void TrainPage::saveChart()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Save chart as PNG"), tr("loss.png"), tr("PNG images (*.png)"));
    if (file.isEmpty()) return;
    if (!m_lossChart->savePng(file)) appendLog(tr("Could not save the chart to %1").arg(QDir::toNativeSeparators(file)), true);
}

void TrainPage::replot()
{
    // Queued: several updates in one event-loop pass draw once.
    m_lossChart->replot(QCustomPlot::rpQueuedReplot);
    m_accuracyChart->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace phototune::ui

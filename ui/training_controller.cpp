#include "ui/training_controller.h"

#include "ui/support/qt_convert.h"

#include <utility>

namespace phototune::ui {

// Runs in the training thread: it only copies events and posts them to the controller's thread.
class TrainingController::Observer final : public TrainObserver {
public:
    explicit Observer(TrainingController* controller) : m_controller(controller) {}

    void on_plan(const TrainPlan& plan) override
    {
        post([plan](TrainingController* c) { Q_EMIT c->planReady(plan); });
    }
    void on_step(const TrainStepEvent& event) override { m_controller->queueStep(event); }
    void on_eval(const TrainEvalEvent& event) override
    {
        post([event](TrainingController* c) { Q_EMIT c->evaluated(event); });
    }
    void on_checkpoint(const TrainCheckpointEvent& event) override
    {
        post([event](TrainingController* c) { Q_EMIT c->checkpointWritten(event); });
    }
    void on_log(TrainLogLevel level, const std::string& message) override
    {
        const QString text = QString::fromStdString(message);
        post([level, text](TrainingController* c) { Q_EMIT c->logged(level == TrainLogLevel::Warning, text); });
    }
    void on_finished(const TrainOutcome& outcome) override
    {
        post([outcome](TrainingController* c) { c->finish(outcome); });
    }

private:
    template <typename Emit>
    void post(Emit emit)
    {
        TrainingController* controller = m_controller;
        // The controller joins this thread before it dies, so it outlives every posted call.
        QMetaObject::invokeMethod(
            controller,
            [controller, emit = std::move(emit)] {
                controller->flushSteps();
                emit(controller);
            },
            Qt::QueuedConnection);
    }

    TrainingController* m_controller;
};

TrainingController::TrainingController(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<TrainPlan>();
    qRegisterMetaType<TrainStepEvent>();
    qRegisterMetaType<TrainEvalEvent>();
    qRegisterMetaType<TrainCheckpointEvent>();
    qRegisterMetaType<TrainOutcome>();
    m_flushTimer.setInterval(100); // at most 10 step batches a second
    connect(&m_flushTimer, &QTimer::timeout, this, &TrainingController::flushSteps);
}

TrainingController::~TrainingController()
{
    stopAndWait();
}

bool TrainingController::start(const TrainConfig& config)
{
    if (isRunning()) return false;
    m_runDir = toQString(config.run_dir);
    m_cancel = CancelToken();
    m_pause = PauseToken();
    m_observer = std::make_unique<Observer>(this);
    m_worker = std::thread([config, observer = m_observer.get(), cancel = m_cancel, pause = m_pause] {
        run_training(config, *observer, cancel, pause);
    });
    m_flushTimer.start();
    Q_EMIT started(m_runDir);
    return true;
}

void TrainingController::pause()
{
    if (!isRunning() || m_pause.paused()) return;
    m_pause.pause();
    Q_EMIT pausedChanged(true);
}

void TrainingController::resume()
{
    if (!m_pause.paused()) return;
    m_pause.resume();
    Q_EMIT pausedChanged(false);
}

void TrainingController::stop()
{
    if (isRunning()) m_cancel.request_cancel(); // a paused trainer notices it within 100 ms
}

void TrainingController::stopAndWait()
{
    if (!isRunning()) return;
    stop();
    m_worker.join();
    // The posted finish() still comes and emits finished; the run's state is already final.
}

void TrainingController::queueStep(const TrainStepEvent& event)
{
    const std::lock_guard lock(m_stepsMutex);
    m_pendingSteps.append(event);
}

void TrainingController::flushSteps()
{
    QVector<TrainStepEvent> steps;
    {
        const std::lock_guard lock(m_stepsMutex);
        steps.swap(m_pendingSteps);
    }
    if (!steps.isEmpty()) Q_EMIT stepsArrived(steps);
}

void TrainingController::finish(const TrainOutcome& outcome)
{
    if (m_worker.joinable()) m_worker.join(); // on_finished is the trainer's last call: returns at once
    m_flushTimer.stop();
    if (m_pause.paused()) {
        m_pause.resume();
        Q_EMIT pausedChanged(false);
    }
    Q_EMIT finished(outcome);
}

} // namespace phototune::ui

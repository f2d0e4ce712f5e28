#pragma once
// Runs phototune::run_training on a worker thread and re-emits the observer's calls as queued
// signals in the GUI thread. Step events (hundreds per second on a small model) are collected
// and handed over at most 10 times a second as one stepsArrived, so views redraw at that rate.
// Every other event first flushes the collected steps, so signals keep the trainer's order.

#include "core/api/training.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QVector>

#include <memory>
#include <mutex>
#include <thread>

Q_DECLARE_METATYPE(phototune::TrainPlan)
Q_DECLARE_METATYPE(phototune::TrainStepEvent)
Q_DECLARE_METATYPE(phototune::TrainEvalEvent)
Q_DECLARE_METATYPE(phototune::TrainCheckpointEvent)
Q_DECLARE_METATYPE(phototune::TrainOutcome)

namespace phototune::ui {

class TrainingController final : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject* parent = nullptr);
    // Stops a running training and waits for it (its checkpoint is written first).
    ~TrainingController() override;

    // Starts a run; false (and nothing started) while one is running.
    bool start(const TrainConfig& config);
    void pause();
    void resume();
    // The trainer stops at the next step boundary and writes a checkpoint; finished follows.
    void stop();
    // stop(), then blocks until the worker has ended: for closing the window only.
    void stopAndWait();

    bool isRunning() const { return m_worker.joinable(); }
    bool isPaused() const { return m_pause.paused(); }
    QString runDir() const { return m_runDir; }

Q_SIGNALS:
    void started(const QString& runDir);
    void planReady(const phototune::TrainPlan& plan);
    void stepsArrived(const QVector<phototune::TrainStepEvent>& steps);
    void evaluated(const phototune::TrainEvalEvent& event);
    void checkpointWritten(const phototune::TrainCheckpointEvent& event);
    void logged(bool warning, const QString& message);
    void pausedChanged(bool paused);
    void finished(const phototune::TrainOutcome& outcome);

private:
    class Observer;
    friend class Observer;

    void queueStep(const TrainStepEvent& event);
    void flushSteps();
    void finish(const TrainOutcome& outcome);

    QString m_runDir;
    CancelToken m_cancel;
    PauseToken m_pause;
    std::unique_ptr<Observer> m_observer;
    std::thread m_worker;
    QTimer m_flushTimer;
    std::mutex m_stepsMutex;
    QVector<TrainStepEvent> m_pendingSteps; // guarded by m_stepsMutex
};

} // namespace phototune::ui

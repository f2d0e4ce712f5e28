#pragma once
// The window's side of crash reports (core/api/crash_report.h): install the handler at start-up,
// mark the training run in progress, and on the next start offer to resume the run a crash
// interrupted.

#include <QString>

#include <optional>

class QWidget;

namespace phototune::ui {

struct PendingCrash {
    QString reportPath;        // empty when the studio ended without a report (e.g. it was killed)
    QString reportText;
    QString interruptedRunDir; // empty when no run was active
};

// Reports go to <user cache dir>/crash-reports; false (with a warning logged) if it cannot be made.
bool installCrashHandler();

// When a training run starts or resumes, and when it ends in any way (finished, stopped, failed).
void setActiveRun(const QString& runDir);
void clearActiveRun();

// What the last session left behind if it did not end cleanly; call before starting a run.
std::optional<PendingCrash> pendingCrash();
// Marks the report as offered and forgets the interrupted run.
void dismissPendingCrash();

// If the last session crashed: says so (the report is behind "Show Details…") and, when a run was
// interrupted, asks whether to resume it. Returns the run folder to resume, or an empty string.
// The pending crash is dismissed either way.
QString offerCrashRecovery(QWidget* parent);

} // namespace phototune::ui

#include "ui/support/crash_handler.h"

#include "core/api/crash_report.h"
#include "ui/support/qt_convert.h"

#include <QCoreApplication>
#include <QDir>
#include <QMessageBox>
#include <QPushButton>
#include <QtGlobal>

namespace phototune::ui {
namespace {

// The translation context of the recovery dialog's strings.
class CrashRecovery {
    Q_DECLARE_TR_FUNCTIONS(CrashRecovery)
};

} // namespace

bool installCrashHandler()
{
    const auto installed = install_crash_handler();
    if (!installed) qWarning("crash reports are off: %s", installed.failure().message.c_str());
    return installed.ok();
}

void setActiveRun(const QString& runDir)
{
    if (const auto marked = set_active_run(toPath(runDir)); !marked)
        qWarning("cannot mark the run in progress: %s", marked.failure().message.c_str());
}

void clearActiveRun()
{
    clear_active_run();
}

std::optional<PendingCrash> pendingCrash()
{
    const auto pending = pending_crash();
    if (!pending) return std::nullopt;
    return PendingCrash{pending->report.empty() ? QString() : toQString(pending->report),
                        QString::fromStdString(pending->report_text),
                        pending->interrupted_run.empty() ? QString() : toQString(pending->interrupted_run)};
}

void dismissPendingCrash()
{
    dismiss_pending_crash();
}

QString offerCrashRecovery(QWidget* parent)
{
    const auto pending = pendingCrash();
    if (!pending) return {};
    dismissPendingCrash();

    QMessageBox box(parent);
    box.setIcon(QMessageBox::Warning);
    box.setWindowTitle(CrashRecovery::tr("PhotoTune Studio closed unexpectedly"));
    const QString run = QDir::toNativeSeparators(pending->interruptedRunDir);
    box.setText(run.isEmpty() ? CrashRecovery::tr("The studio closed unexpectedly last time.")
                              : CrashRecovery::tr("The studio closed unexpectedly while training “%1”. Resume the interrupted "
                                        "run from its last checkpoint?")
                                    .arg(QDir(run).dirName()));
    if (!pending->reportPath.isEmpty()) {
        box.setInformativeText(CrashRecovery::tr("A crash report was saved to %1. “phototune-cli diagnostics” packs it with "
                                       "your runs' settings and logs for a bug report; photos are never included.")
                                   .arg(QDir::toNativeSeparators(pending->reportPath)));
        box.setDetailedText(pending->reportText);
    }
    QPushButton* resume = nullptr;
    if (!run.isEmpty()) {
        resume = box.addButton(CrashRecovery::tr("Resume"), QMessageBox::AcceptRole);
        box.addButton(CrashRecovery::tr("Not now"), QMessageBox::RejectRole);
        box.setDefaultButton(resume);
    } else {
        box.addButton(QMessageBox::Ok);
    }
    box.exec();
    return resume && box.clickedButton() == resume ? pending->interruptedRunDir : QString();
}

} // namespace phototune::ui

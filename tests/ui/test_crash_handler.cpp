// Crash reports: a helper process (this program started with --crash) installs the handler, marks
// a run active and dies of a signal; the report it leaves and the interrupted run are then found
// by pendingCrash(), offered by offerCrashRecovery(), and forgotten once dismissed.
#include "core/api/version.h"
#include "ui/support/crash_handler.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <limits>

using namespace phototune::ui;

namespace {

// Deep enough to overflow the stack: the handler must then run on its alternate stack.
int recurse(int depth)
{
    volatile char frame[1024];
    frame[0] = static_cast<char>(depth);
    if (depth == std::numeric_limits<int>::max()) return 0;
    return recurse(depth + 1) + frame[0]; // not a tail call
}

// The helper: never returns when the handler works.
int crashWithActiveRun(const char* how, const char* runDir)
{
    if (!installCrashHandler()) return 3;
    setActiveRun(QString::fromLocal8Bit(runDir));
    if (std::strcmp(how, "abort") == 0) std::abort();
    if (std::strcmp(how, "overflow") == 0) return recurse(0);
    std::raise(SIGSEGV);
    return 4;
}

} // namespace

class TestCrashHandler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_cache = std::make_unique<QTemporaryDir>();
        QVERIFY(m_cache->isValid());
        // Read by this process and inherited by the helper.
        qputenv("PHOTOTUNE_CACHE_DIR", QFile::encodeName(m_cache->path()));
    }

    void crashLeavesReportAndInterruptedRun_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<QString>("signalName");
        QTest::newRow("segfault") << QStringLiteral("segv") << QStringLiteral("SIGSEGV");
        QTest::newRow("abort") << QStringLiteral("abort") << QStringLiteral("SIGABRT");
        QTest::newRow("stack overflow") << QStringLiteral("overflow") << QStringLiteral("SIGSEGV");
    }
    void crashLeavesReportAndInterruptedRun()
    {
        QFETCH(QString, how);
        QFETCH(QString, signalName);
        const QString run = m_cache->filePath(QStringLiteral("runs/run-7"));
        QProcess helper;
        helper.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--crash"), how, run});
        QVERIFY(helper.waitForFinished(60000));
        QCOMPARE(helper.exitStatus(), QProcess::CrashExit); // the handler lets the signal end it

        const auto pending = pendingCrash();
        QVERIFY(pending);
        QCOMPARE(pending->interruptedRunDir, run);
        QVERIFY(QFileInfo(pending->reportPath).fileName().startsWith(QStringLiteral("crash-")));
        QVERIFY2(pending->reportText.contains(QStringLiteral("signal: ") + signalName), qPrintable(pending->reportText));
        QVERIFY(pending->reportText.contains(QStringLiteral("PhotoTune Studio " PHOTOTUNE_VERSION)));
        QVERIFY(pending->reportText.contains(QStringLiteral("interrupted run: ") + run));
#ifdef __GLIBC__
        QVERIFY(pending->reportText.contains(QStringLiteral("backtrace:\n")));
        QVERIFY(pending->reportText.section(QStringLiteral("backtrace:\n"), 1).count(QLatin1Char('\n')) >= 2);
#endif

        dismissPendingCrash();
        QVERIFY(!pendingCrash());
        // Kept for a diagnostics zip, marked as offered.
        const QStringList seen = QDir(QFileInfo(pending->reportPath).path()).entryList({QStringLiteral("crash-*.seen.txt")});
        QCOMPARE(seen.size(), 1);
    }

    void cleanEndLeavesNothingPending()
    {
        QVERIFY(!pendingCrash());
        setActiveRun(m_cache->filePath(QStringLiteral("runs/run-1")));
        // Killed without a report (e.g. SIGKILL, power loss): the run is still offered.
        const auto killed = pendingCrash();
        QVERIFY(killed);
        QVERIFY(killed->reportPath.isEmpty());
        QCOMPARE(killed->interruptedRunDir, m_cache->filePath(QStringLiteral("runs/run-1")));
        clearActiveRun();
        QVERIFY(!pendingCrash());
    }

    void offerReturnsTheRunToResume()
    {
        const QString run = m_cache->filePath(QStringLiteral("runs/run-2"));
        setActiveRun(run);
        QTimer clicker;
        connect(&clicker, &QTimer::timeout, this, [] {
            for (QWidget* widget : QApplication::topLevelWidgets()) {
                auto* box = qobject_cast<QMessageBox*>(widget);
                if (!box || !box->isVisible()) continue;
                for (QAbstractButton* button : box->buttons())
                    if (button->text() == QStringLiteral("Resume")) button->click();
            }
        });
        clicker.start(20);
        QCOMPARE(offerCrashRecovery(nullptr), run);
        QVERIFY(!pendingCrash());
        QCOMPARE(offerCrashRecovery(nullptr), QString()); // nothing pending: no dialog
    }

private:
    std::unique_ptr<QTemporaryDir> m_cache;
};

int main(int argc, char* argv[])
{
    if (argc == 4 && std::strcmp(argv[1], "--crash") == 0) return crashWithActiveRun(argv[2], argv[3]);
    QApplication app(argc, argv);
    TestCrashHandler test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_crash_handler.moc"

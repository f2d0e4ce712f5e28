#pragma once
// Running the built phototune-cli from a test (PHOTOTUNE_CLI_PATH is defined by the test's CMake).

#include <QProcess>
#include <QString>
#include <QStringList>

#include <filesystem>

namespace phototune::test {

struct CliRun {
    int exit_code = -1; // -1: crashed or timed out
    QString out;
    QString err;
};

inline CliRun run_cli(const QStringList& arguments, int timeout_ms = 600000)
{
    QProcess process;
    process.start(QStringLiteral(PHOTOTUNE_CLI_PATH), arguments);
    if (!process.waitForFinished(timeout_ms)) return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

inline QString str(const std::filesystem::path& path)
{
    return QString::fromStdString(path.string());
}

} // namespace phototune::test

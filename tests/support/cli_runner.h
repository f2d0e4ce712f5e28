#pragma once
// Running the built phototune-cli from a test (PHOTOTUNE_CLI_PATH is defined by the test's CMake).

#include <QByteArray>
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

// An environment variable set for the processes a test starts, restored when the scope ends.
class ScopedEnvironmentVariable {
public:
    ScopedEnvironmentVariable(const char* name, const QByteArray& value)
        : m_name(name), m_was_set(qEnvironmentVariableIsSet(name)), m_before(qgetenv(name))
    {
        qputenv(name, value);
    }
    ~ScopedEnvironmentVariable()
    {
        if (m_was_set)
            qputenv(m_name, m_before);
        else
            qunsetenv(m_name);
    }
    ScopedEnvironmentVariable(const ScopedEnvironmentVariable&) = delete;
    ScopedEnvironmentVariable& operator=(const ScopedEnvironmentVariable&) = delete;

private:
    const char* m_name;
    bool m_was_set;
    QByteArray m_before;
};

} // namespace phototune::test

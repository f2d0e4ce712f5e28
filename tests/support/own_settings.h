#pragma once
// Each test program keeps the studio's settings (recent projects, language, window geometry) in a
// folder of its own. CTest runs the programs in parallel, and with one shared file a project that
// one program created showed up first in another program's recent list.

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>

namespace phototune::test {

inline void useOwnSettings()
{
    QStandardPaths::setTestModeEnabled(true);
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
                           + QLatin1Char('/') + QCoreApplication::applicationName();
    for (const auto format : {QSettings::NativeFormat, QSettings::IniFormat})
        QSettings::setPath(format, QSettings::UserScope, folder);
}

} // namespace phototune::test

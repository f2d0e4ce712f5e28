#pragma once
// The studio's settings (window geometry, last folders, recent projects, language): one place for
// the names main() also gives the application, so tests and the window read the same file.

#include <QSettings>

namespace phototune::ui {

inline QSettings studioSettings()
{
    return QSettings(QStringLiteral("PhotoTune"), QStringLiteral("PhotoTune Studio"));
}

} // namespace phototune::ui

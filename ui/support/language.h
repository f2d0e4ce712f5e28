#pragma once
// The studio's language, English or Korean: it follows the system locale until the user picks one
// in the Language menu; the choice is kept in QSettings ("PhotoTune", "PhotoTune Studio") under
// ui/language. Translations are compiled from resources/translations/*.ts into the binary
// (docs/building.md says how to update them).

#include <QString>
#include <QStringList>

class QCoreApplication;
class QMenu;
class QWidget;

namespace phototune::ui {

// The languages the studio speaks, as codes: "en", "ko".
QStringList studioLanguages();

// The user's choice: a code of studioLanguages(), or empty to follow the system.
QString savedLanguage();
void saveLanguage(const QString& code);

// The language to show: the saved choice, else the first of the system's UI languages that the
// studio speaks, else "en".
QString effectiveLanguage();

// Replaces the translations loaded so far with those of `code` (the studio's, and Qt's own where
// installed); "en" needs none. Widgets made afterwards speak the language; existing ones keep
// their text. False when `code` is not one of studioLanguages() or its translation did not load.
bool loadStudioLanguage(const QString& code);

// loadStudioLanguage(effectiveLanguage()): call in main() once the application exists and has
// its organization and application names.
bool installStudioTranslator(QCoreApplication& app);

// "Language": System default, English, 한국어. Choosing one saves it, loads it for windows opened
// from then on, and says that the whole studio switches at the next start.
QMenu* createLanguageMenu(QWidget* parent);

} // namespace phototune::ui

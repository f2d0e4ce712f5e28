#include "ui/support/language.h"

#include "ui/support/studio_settings.h"

#include <QActionGroup>
#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QTranslator>

namespace phototune::ui {
namespace {

const QString kLanguageKey = QStringLiteral("ui/language");

// The translation context of the menu's strings.
class LanguageMenu {
    Q_DECLARE_TR_FUNCTIONS(LanguageMenu)
};

// The translators installed now; owned by the application, so they go when it does.
QPointer<QTranslator> g_studioTranslator;
QPointer<QTranslator> g_qtTranslator;

void removeTranslators()
{
    for (QPointer<QTranslator>* translator : {&g_studioTranslator, &g_qtTranslator}) {
        if (!*translator) continue;
        QCoreApplication::removeTranslator(*translator);
        delete translator->data();
    }
}

} // namespace

QStringList studioLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("ko")};
}

QString savedLanguage()
{
    const QString code = studioSettings().value(kLanguageKey).toString();
    return studioLanguages().contains(code) ? code : QString();
}

void saveLanguage(const QString& code)
{
    auto settings = studioSettings();
    if (studioLanguages().contains(code)) settings.setValue(kLanguageKey, code);
    else settings.remove(kLanguageKey);
}

QString effectiveLanguage()
{
    if (const QString saved = savedLanguage(); !saved.isEmpty()) return saved;
    for (const QString& name : QLocale::system().uiLanguages()) {
        const QString code = QLocale::languageToCode(QLocale(name).language());
        if (studioLanguages().contains(code)) return code;
    }
    return QStringLiteral("en");
}

bool loadStudioLanguage(const QString& code)
{
    if (!studioLanguages().contains(code)) return false;
    removeTranslators();
    if (code == QLatin1String("en")) return true; // the sources are English
    auto* app = QCoreApplication::instance();
    auto* studio = new QTranslator(app);
    if (!studio->load(QStringLiteral(":/i18n/phototune_%1.qm").arg(code))) {
        delete studio;
        return false;
    }
    QCoreApplication::installTranslator(studio);
    g_studioTranslator = studio;
    // Qt's own dialogs (buttons of file dialogs, message boxes), when the distribution ships them.
    auto* qt = new QTranslator(app);
    if (qt->load(QStringLiteral("qtbase_%1").arg(code), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
        g_qtTranslator = qt;
    } else {
        delete qt;
    }
    return true;
}

bool installStudioTranslator(QCoreApplication& app)
{
    Q_UNUSED(app) // translators are process-wide; the parameter says an application must exist
    return loadStudioLanguage(effectiveLanguage());
}

QMenu* createLanguageMenu(QWidget* parent)
{
    auto* menu = new QMenu(LanguageMenu::tr("&Language"), parent);
    menu->setObjectName(QStringLiteral("languageMenu"));
    auto* group = new QActionGroup(menu);
    const QString saved = savedLanguage();
    // Each language is named in itself, so that a person who cannot read the current one finds theirs.
    const QList<QPair<QString, QString>> choices = {{QString(), LanguageMenu::tr("System default")},
                                                    {QStringLiteral("en"), QStringLiteral("English")},
                                                    {QStringLiteral("ko"), QStringLiteral("한국어")}};
    for (const auto& choice : choices) {
        const QString code = choice.first;
        QAction* action = menu->addAction(choice.second);
        action->setObjectName(QStringLiteral("language_") + (code.isEmpty() ? QStringLiteral("system") : code));
        action->setCheckable(true);
        action->setChecked(code == saved);
        group->addAction(action);
        QObject::connect(action, &QAction::triggered, menu, [code, parent] {
            if (code == savedLanguage()) return;
            saveLanguage(code);
            loadStudioLanguage(effectiveLanguage()); // the notice below is already in the new language
            QMessageBox::information(parent, LanguageMenu::tr("Language"),
                                     LanguageMenu::tr("PhotoTune Studio will speak the new language after a restart."));
        });
    }
    return menu;
}

} // namespace phototune::ui

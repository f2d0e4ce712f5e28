// English and Korean: with the Korean translation loaded the window's menus and steps are Korean,
// switching back gives English, and the saved choice and the Language menu decide which one loads.
#include "ui/main_window.h"
#include "ui/support/language.h"
#include "support/own_settings.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QTimer>
#include <QtTest>

#include <memory>

using namespace phototune::ui;

namespace {

QString firstMenuTitle(const MainWindow& window)
{
    return window.menuBar()->actions().value(0) ? window.menuBar()->actions().first()->text() : QString();
}

QString firstStep(const MainWindow& window)
{
    auto* steps = window.findChild<QListWidget*>(QStringLiteral("stepSidebar"));
    return steps && steps->count() > 0 ? steps->item(0)->text() : QString();
}

} // namespace

class TestLanguage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        phototune::test::useOwnSettings();
        saveLanguage(QString());
    }
    void cleanup()
    {
        loadStudioLanguage(QStringLiteral("en"));
        saveLanguage(QString());
    }

    void koreanTranslationIsEmbedded()
    {
        QVERIFY(QFile::exists(QStringLiteral(":/i18n/phototune_ko.qm")));
        QCOMPARE(studioLanguages(), (QStringList{QStringLiteral("en"), QStringLiteral("ko")}));
    }

    void windowSpeaksKoreanThenEnglish()
    {
        QVERIFY(loadStudioLanguage(QStringLiteral("ko")));
        {
            MainWindow window;
            QCOMPARE(firstMenuTitle(window), QStringLiteral("파일(&F)"));
            QCOMPARE(firstStep(window), QStringLiteral("사진"));
        }
        QVERIFY(loadStudioLanguage(QStringLiteral("en")));
        MainWindow window;
        QCOMPARE(firstMenuTitle(window), QStringLiteral("&File"));
        QCOMPARE(firstStep(window), QStringLiteral("Photos"));
        QCOMPARE(window.windowTitle(), QStringLiteral("PhotoTune Studio"));
    }

    void savedChoiceDecides()
    {
        saveLanguage(QStringLiteral("ko"));
        QCOMPARE(savedLanguage(), QStringLiteral("ko"));
        QCOMPARE(effectiveLanguage(), QStringLiteral("ko"));
        QVERIFY(installStudioTranslator(*qApp));
        QCOMPARE(QCoreApplication::translate("phototune::ui::MainWindow", "&Help"), QStringLiteral("도움말(&H)"));

        saveLanguage(QStringLiteral("en"));
        QCOMPARE(effectiveLanguage(), QStringLiteral("en"));
        QVERIFY(installStudioTranslator(*qApp));
        QCOMPARE(QCoreApplication::translate("phototune::ui::MainWindow", "&Help"), QStringLiteral("&Help"));

        saveLanguage(QStringLiteral("xx")); // not a studio language: back to following the system
        QCOMPARE(savedLanguage(), QString());
        QVERIFY(studioLanguages().contains(effectiveLanguage()));
    }

    void unknownLanguageIsRefused()
    {
        QVERIFY(!loadStudioLanguage(QStringLiteral("de")));
    }

    void languageMenuSavesChoiceAndSaysRestart()
    {
        std::unique_ptr<QMenu> menu(createLanguageMenu(nullptr));
        QCOMPARE(menu->title(), QStringLiteral("&Language"));
        QCOMPARE(menu->actions().size(), 3);
        QVERIFY(menu->findChild<QAction*>(QStringLiteral("language_system"))->isChecked());

        QString notice;
        QTimer closer;
        connect(&closer, &QTimer::timeout, this, [&notice] {
            for (QWidget* widget : QApplication::topLevelWidgets()) {
                if (auto* box = qobject_cast<QMessageBox*>(widget); box && box->isVisible()) {
                    notice = box->text();
                    box->accept();
                }
            }
        });
        closer.start(20);
        menu->findChild<QAction*>(QStringLiteral("language_ko"))->trigger();
        QCOMPARE(savedLanguage(), QStringLiteral("ko"));
        QCOMPARE(notice, QStringLiteral("PhotoTune Studio를 다시 시작하면 새 언어로 표시됩니다.")); // already in Korean
    }
};

QTEST_MAIN(TestLanguage)
#include "test_language.moc"

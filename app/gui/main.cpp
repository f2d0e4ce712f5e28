// phototune [--demo | FOLDER]: opens the studio on the built-in demo photos or on a folder.
#include "core/api/resources.h"
#include "core/api/version.h"
#include "ui/main_window.h"
#include "ui/support/crash_handler.h"
#include "ui/support/language.h"
#include "ui/support/qt_convert.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QStatusBar>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("PhotoTune"));
    QApplication::setApplicationName(QStringLiteral("PhotoTune Studio"));
    QApplication::setApplicationVersion(QStringLiteral(PHOTOTUNE_VERSION));
    phototune::ui::installCrashHandler();
    phototune::ui::installStudioTranslator(app); // before the first translated string

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Fine-tune CLIP on your own photos with LoRA."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QApplication::translate("main", "Open the built-in demo photos (the default)."));
    parser.addOption(demo);
    parser.addPositionalArgument(QStringLiteral("folder"),
                                 QApplication::translate("main", "A folder of photos, one sub-folder per label."),
                                 QStringLiteral("[folder]"));
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1 || (parser.isSet(demo) && !positional.isEmpty()))
        parser.showHelp(2); // exits

    QString projectName = QApplication::translate("main", "Demo");
    QString folder;
    if (!positional.isEmpty()) {
        const QFileInfo given(QDir::cleanPath(positional.first()));
        if (!given.isDir()) {
            qCritical("%s", qPrintable(QApplication::translate("main", "%1 is not a folder; give a folder of photos.")
                                           .arg(QDir::toNativeSeparators(given.absoluteFilePath()))));
            return 2;
        }
        folder = given.absoluteFilePath();
        projectName = QDir(folder).dirName();
    } else {
        folder = phototune::ui::toQString(phototune::demo_photos_dir());
    }

    phototune::ui::MainWindow window(projectName);
    window.show();
    if (folder.isEmpty()) {
        window.statusBar()->showMessage(QApplication::translate(
            "main", "The demo photos were not found; set PHOTOTUNE_RESOURCES to the studio's resources folder."));
    } else {
        window.addFolder(folder);
    }
    // The studio closed unexpectedly last time: offer to continue the run it was training.
    if (const QString run = phototune::ui::offerCrashRecovery(&window); !run.isEmpty()) window.resumeInterruptedRun(run);
    return QApplication::exec();
}

// phototune [--demo | FOLDER | PROJECT.phototune.json]: opens the studio on the built-in demo
// photos, on a new project of a folder, or on a saved project. With nothing given it reopens the
// last project, and the demo on the first launch.
#include "core/api/resources.h"
#include "core/api/version.h"
#include "ui/main_window.h"
#include "ui/project_session.h"
#include "ui/support/crash_handler.h"
#include "ui/support/language.h"
#include "ui/support/qt_convert.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QStatusBar>

#include <algorithm>

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
                                  QApplication::translate("main", "Open the built-in demo project (the first launch does)."));
    parser.addOption(demo);
    parser.addPositionalArgument(QStringLiteral("folder"),
                                 QApplication::translate("main", "A folder of photos, one sub-folder per label (a new "
                                                                 "project), or a .phototune.json project file."),
                                 QStringLiteral("[folder|project]"));
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1 || (parser.isSet(demo) && !positional.isEmpty()))
        parser.showHelp(2); // exits

    phototune::ui::MainWindow window;
    window.show();
    const QString demoPhotos = phototune::ui::toQString(phototune::demo_photos_dir());
    const auto openDemo = [&] {
        if (demoPhotos.isEmpty())
            window.statusBar()->showMessage(QApplication::translate(
                "main", "The demo photos were not found; set PHOTOTUNE_RESOURCES to the studio's resources folder."));
        else
            window.openDemo(demoPhotos);
    };
    if (!positional.isEmpty()) {
        const QFileInfo given(QDir::cleanPath(positional.first()));
        if (given.isDir()) {
            window.addFolder(given.absoluteFilePath()); // a new project, named after the folder
        } else if (given.isFile()) {
            window.openProject(given.absoluteFilePath());
        } else {
            qCritical("%s", qPrintable(QApplication::translate("main", "%1 was not found; give a folder of photos or a "
                                                                       "project file (.phototune.json).")
                                           .arg(QDir::toNativeSeparators(given.absoluteFilePath()))));
            return 2;
        }
    } else if (parser.isSet(demo)) {
        openDemo();
    } else {
        const QStringList recent = phototune::ui::ProjectSession::recentProjects();
        const auto last = std::find_if(recent.begin(), recent.end(), [](const QString& file) { return QFileInfo::exists(file); });
        if (last != recent.end()) window.openProject(*last);
        else openDemo();
    }
    // The studio closed unexpectedly last time: offer to continue the run it was training.
    if (const QString run = phototune::ui::offerCrashRecovery(&window); !run.isEmpty()) window.resumeInterruptedRun(run);
    return QApplication::exec();
}

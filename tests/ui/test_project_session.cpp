// The window's project: new projects get a file of their own, dropped folders are scanned in the
// background and merged (edits stay), edits are autosaved, projects reopen with what was edited,
// and merges wait while a page holds the project.
#include "core/api/project.h"
#include "ui/project_session.h"
#include "support/own_settings.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using phototune::ui::ProjectSession;

namespace {

void writePhotos(const QString& root, const QStringList& names, Qt::GlobalColor colour)
{
    for (const QString& name : names) {
        QVERIFY(QDir(root).mkpath(QFileInfo(name).path()));
        QImage image(48, 40, QImage::Format_RGB32);
        image.fill(colour);
        image.setPixel(name.size() % 48, 0, qRgb(name.size() * 7 % 255, 3, 5)); // distinct bytes: not duplicates
        QVERIFY(image.save(root + QLatin1Char('/') + name));
    }
}

} // namespace

class TestProjectSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { phototune::test::useOwnSettings(); }

    void newProjectsGetTheirOwnFile()
    {
        QDir(ProjectSession::projectsFolder()).removeRecursively();
        ProjectSession first;
        first.newProject(QStringLiteral("Holiday"));
        ProjectSession second;
        second.newProject(QStringLiteral("Holiday"));
        QVERIFY(QFileInfo::exists(first.file()));
        QVERIFY(QFileInfo::exists(second.file()));
        QVERIFY(first.file() != second.file());
        QVERIFY(first.file().endsWith(QStringLiteral("/Holiday.phototune.json")));
        QVERIFY(first.runsFolder().endsWith(QStringLiteral("/Holiday-runs")));
        QCOMPARE(second.name(), QStringLiteral("Holiday 2"));
        QVERIFY(second.runsFolder().endsWith(QStringLiteral("/Holiday 2-runs")));
        QCOMPARE(first.project()->size(), std::size_t{0});
    }

    void foldersMergeAndEditsAreAutosaved()
    {
        QTemporaryDir photos;
        writePhotos(photos.path() + QStringLiteral("/one"), {QStringLiteral("cats/a.png"), QStringLiteral("cats/b.png")}, Qt::red);
        writePhotos(photos.path() + QStringLiteral("/two"), {QStringLiteral("dogs/c.png")}, Qt::blue);

        ProjectSession session;
        QSignalSpy added(&session, &ProjectSession::photosAdded);
        QSignalSpy saved(&session, &ProjectSession::saved);
        session.addPaths({photos.path() + QStringLiteral("/one")});
        QTRY_COMPARE(added.count(), 1);
        QCOMPARE(added.at(0).at(0).toInt(), 2);
        QVERIFY(session.project());
        QCOMPARE(session.name(), QStringLiteral("one"));

        session.project()->set_captions(0, {"a cat I know"});
        session.markEdited();
        session.addPaths({photos.path() + QStringLiteral("/two"), photos.path() + QStringLiteral("/one")});
        QTRY_COMPARE(added.count(), 2);
        QCOMPARE(added.at(1).at(0).toInt(), 1);
        QCOMPARE(session.project()->size(), std::size_t{3});
        QCOMPARE(session.project()->photo(0).captions, std::vector<std::string>{"a cat I know"});
        // Creating the project saved it empty; the merge must be autosaved after it.
        const int savesBeforeAutosave = saved.count();
        QTRY_VERIFY(saved.count() > savesBeforeAutosave);

        // Reopened, the project holds the edit and all three photos.
        ProjectSession reopened;
        QSignalSpy changed(&reopened, &ProjectSession::projectChanged);
        reopened.open(session.file());
        QTRY_COMPARE(changed.count(), 1);
        QCOMPARE(reopened.project()->size(), std::size_t{3});
        QCOMPARE(reopened.project()->photo(0).captions, std::vector<std::string>{"a cat I know"});
        QCOMPARE(ProjectSession::recentProjects().value(0), session.file());
    }

    void mergesAndSavesWaitWhileHeld()
    {
        QTemporaryDir photos;
        writePhotos(photos.path(), {QStringLiteral("birds/x.png"), QStringLiteral("birds/y.png")}, Qt::green);
        ProjectSession session;
        session.newProject(QStringLiteral("Held"));
        QSignalSpy added(&session, &ProjectSession::photosAdded);
        QSignalSpy saved(&session, &ProjectSession::saved);
        session.setHeld(true);
        session.addPaths({photos.path()});
        QTRY_VERIFY(!session.isScanning());
        QCOMPARE(added.count(), 0);
        QCOMPARE(session.project()->size(), std::size_t{0});
        QVERIFY(session.save()); // promised, made when the hold ends
        QCOMPARE(saved.count(), 0);
        session.setHeld(false);
        QCOMPARE(added.count(), 1);
        QCOMPARE(session.project()->size(), std::size_t{2});
        QCOMPARE(saved.count(), 1);
        const auto reopened = phototune::PhotoProject::open(session.file().toStdString());
        QVERIFY(reopened.ok());
        QCOMPARE(reopened->size(), std::size_t{2}); // saved after the merges that waited
    }

    void saveAsMovesTheProject()
    {
        QTemporaryDir target;
        ProjectSession session;
        session.newProject(QStringLiteral("Draft"));
        QVERIFY(session.saveAs(target.filePath(QStringLiteral("Portraits"))));
        QCOMPARE(session.file(), target.filePath(QStringLiteral("Portraits.phototune.json")));
        QCOMPARE(session.name(), QStringLiteral("Portraits"));
        QCOMPARE(session.runsFolder(), target.filePath(QStringLiteral("Portraits-runs")));
        QVERIFY(QFileInfo::exists(session.file()));

        QSignalSpy failed(&session, &ProjectSession::failed);
        QVERIFY(!session.saveAs(QStringLiteral("/proc/not-writable/x")));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(session.file(), target.filePath(QStringLiteral("Portraits.phototune.json")));
    }

    void aDamagedFileIsReported()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("broken.phototune.json"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("{ not json");
        out.close();
        ProjectSession session;
        QSignalSpy failed(&session, &ProjectSession::failed);
        session.open(file);
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("broken.phototune.json")));
        QVERIFY(!session.project());
    }
};

QTEST_MAIN(TestProjectSession)
#include "test_project_session.moc"

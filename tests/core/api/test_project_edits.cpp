// PhotoProject's edits of a selection: relabel, leave out, remove. Each checks every index before
// it changes anything and re-splits the project once.

#include "core/api/project.h"

#include "../train/shapes_dataset.h"

#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <stdexcept>

using namespace phototune;
namespace fs = std::filesystem;

namespace {

std::vector<std::size_t> photosLabelled(const PhotoProject& project, const std::string& label)
{
    std::vector<std::size_t> indices;
    for (std::size_t i = 0; i < project.size(); ++i)
        if (project.photo(i).label == label) indices.push_back(i);
    return indices;
}

// Validation photos per label, which a stratified split keeps near validation_fraction of each.
std::map<std::string, int> heldOutPerLabel(const PhotoProject& project)
{
    std::map<std::string, int> held;
    for (const ProjectPhoto& photo : project.photos())
        if (photo.validation) ++held[photo.label];
    return held;
}

} // namespace

class TestProjectEdits : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        test::write_shapes_dataset(fs::path(m_dir.path().toStdString()) / "shapes", 5, 3); // 12 labels, 60 photos
        auto scanned = PhotoProject::from_scan(ScanRequest{{fs::path(m_dir.path().toStdString()) / "shapes"}, false});
        QVERIFY2(scanned, scanned ? "" : scanned.failure().message.c_str());
        m_project = std::move(*scanned);
        QCOMPARE(m_project->size(), std::size_t{60});
    }

    void relabel_moves_photos_to_a_label_and_splits_again()
    {
        PhotoProject& project = *m_project;
        std::vector<std::size_t> chosen = photosLabelled(project, "red circle");
        const std::vector<std::size_t> squares = photosLabelled(project, "red square");
        chosen.insert(chosen.end(), squares.begin(), squares.end());
        project.set_label(chosen, "red");
        QVERIFY(photosLabelled(project, "red circle").empty());
        QVERIFY(photosLabelled(project, "red square").empty());
        QCOMPARE(photosLabelled(project, "red").size(), std::size_t{10});
        // Split again: the new label holds photos out, the old ones are gone from the split.
        const std::map<std::string, int> held = heldOutPerLabel(project);
        QVERIFY(held.count("red") == 1 && held.at("red") >= 1 && held.at("red") < 10);
        QCOMPARE(held.count("red circle"), std::size_t{0});
        QCOMPARE(held.count("red square"), std::size_t{0});
    }

    void a_bad_index_changes_nothing()
    {
        PhotoProject& project = *m_project;
        const std::vector<ProjectPhoto> before = project.photos();
        for (const auto& edit : std::vector<std::function<void()>>{
                 [&] { project.set_label({0, 1, project.size()}, "elsewhere"); },
                 [&] { project.set_excluded({2, project.size() + 5}, true, "blurry"); },
                 [&] { project.remove_photos({3, project.size()}); }}) {
            QVERIFY_THROWS_EXCEPTION(std::exception, edit());
            QCOMPARE(project.size(), before.size());
            for (std::size_t i = 0; i < before.size(); ++i) {
                QCOMPARE(project.photo(i).label, before[i].label);
                QCOMPARE(project.photo(i).excluded, before[i].excluded);
            }
        }
    }

    void left_out_photos_leave_the_split_and_come_back()
    {
        PhotoProject& project = *m_project;
        const std::map<std::string, int> before = heldOutPerLabel(project);
        const std::vector<std::size_t> circles = photosLabelled(project, "blue circle");
        project.set_excluded(circles, true, "blurry");
        QCOMPARE(heldOutPerLabel(project).count("blue circle"), std::size_t{0});
        for (std::size_t i : circles) {
            QVERIFY(project.photo(i).excluded);
            QCOMPARE(project.photo(i).exclusion_reason, std::string("blurry"));
            QVERIFY(!project.photo(i).validation);
        }
        project.set_excluded(circles, false);
        for (std::size_t i : circles) {
            QVERIFY(!project.photo(i).excluded);
            QVERIFY(project.photo(i).exclusion_reason.empty());
        }
        QCOMPARE(heldOutPerLabel(project), before); // the split is drawn from the photos' paths: the same again
    }

    void removed_photos_are_gone_and_the_rest_shift_down()
    {
        PhotoProject& project = *m_project;
        const fs::path kept = project.photo(2).path;
        project.remove_photos({1, 0, 1}); // in any order, repeated
        QCOMPARE(project.size(), std::size_t{58});
        QCOMPARE(project.photo(0).path, kept);
        QVERIFY(fs::exists(kept.parent_path())); // the files stay on disk
    }

private:
    QTemporaryDir m_dir;
    std::optional<PhotoProject> m_project;
};

QTEST_GUILESS_MAIN(TestProjectEdits)
#include "test_project_edits.moc"

// The Captions step: the caption table and its filters over a project, edits through the model and
// the keyboard-first editor reaching the project, bulk edits on a selection, the window handing the
// page a project (keeping edits when another folder is added), token counts only with a model, and auto-captioning
// on the fixture model without blocking the event loop, with progress, and cancelled.
#include "core/api/project.h"
#include "support/fixtures.h"
#include "support/widget_lookup.h"
#include "ui/main_window.h"
#include "ui/models/caption_table_model.h"
#include "ui/pages/captions_page.h"
#include "support/own_settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTimer>
#include <QToolButton>
#include <QtTest>

#include <fstream>
#include <memory>
#include <utility>

using phototune::PhotoProject;
using phototune::test::child;
using phototune::ui::CaptionFilterProxy;
using phototune::ui::CaptionsPage;
using phototune::ui::CaptionTableModel;

namespace {

// cat/whiskers.png "a cat on a sofa", cat/tabby.png (no caption), dog/rex.png "a dog in the park".
void writePhotos(const QString& root)
{
    const auto write = [&](const QString& relative, QColor colour, const char* caption) {
        const QString path = root + QLatin1Char('/') + relative;
        QDir().mkpath(QFileInfo(path).path());
        QImage image(64, 64, QImage::Format_RGB32);
        image.fill(colour); // distinct colours: identical files would be excluded as duplicates
        QVERIFY(image.save(path));
        if (!caption) return;
        std::ofstream(QString(path).replace(QStringLiteral(".png"), QStringLiteral(".txt")).toStdString()) << caption;
    };
    write(QStringLiteral("cat/whiskers.png"), Qt::darkGray, "a cat on a sofa");
    write(QStringLiteral("cat/tabby.png"), Qt::darkYellow, nullptr);
    write(QStringLiteral("dog/rex.png"), Qt::darkGreen, "a dog in the park");
}

std::shared_ptr<PhotoProject> scanProject(const QString& root)
{
    auto scanned = PhotoProject::from_scan(phototune::ScanRequest{{root.toStdString()}, false});
    if (!scanned) qWarning("scan failed: %s", scanned.failure().message.c_str());
    return scanned ? std::make_shared<PhotoProject>(std::move(scanned.value())) : nullptr;
}

int rowOf(const PhotoProject& project, const std::string& relativePath)
{
    for (std::size_t i = 0; i < project.size(); ++i)
        if (project.photo(i).relative_path == relativePath) return static_cast<int>(i);
    return -1;
}

// Selects the given source rows in the page's table.
void selectRows(CaptionsPage& page, const QList<int>& rows)
{
    auto* table = child<QTableView>(&page, "captionTable");
    auto* proxy = static_cast<QSortFilterProxyModel*>(table->model());
    table->clearSelection();
    for (const int row : rows)
        table->selectionModel()->select(proxy->mapFromSource(page.model()->index(row, 0)),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

// Occupies Qt's global thread pool with one task, allowed one thread, until release(): work started
// meanwhile (an auto-caption run) waits in the queue, so a test sees the page's running state and
// can cancel before the tiny fixture model would have finished.
class ThreadPoolHold {
public:
    ThreadPoolHold()
        : m_pool(QThreadPool::globalInstance())
        , m_threads(m_pool->maxThreadCount())
    {
        m_pool->setMaxThreadCount(1);
        m_pool->start([this] {
            m_holding.release();
            m_released.acquire();
        });
        m_holding.acquire();
    }
    ~ThreadPoolHold()
    {
        release();
        m_pool->setMaxThreadCount(m_threads);
    }
    void release()
    {
        if (std::exchange(m_isReleased, true)) return;
        m_released.release();
    }

private:
    QThreadPool* m_pool;
    int m_threads;
    QSemaphore m_holding;
    QSemaphore m_released;
    bool m_isReleased = false;
};

} // namespace

class TestCaptionsPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void filter_by_label_tag_no_caption_and_text();
    void editing_caption_through_model_updates_project();
    void bulk_tag_and_replace_change_only_the_selection();
    void enter_saves_and_moves_to_next_photo();
    void window_gives_page_the_project_and_keeps_edits_when_a_folder_is_added();
    void without_model_no_tokens_are_counted();
    void token_count_warns_over_model_context();
    void auto_caption_runs_without_blocking_event_loop();
    void cancelled_auto_caption_changes_nothing();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<PhotoProject> m_project;
};

void TestCaptionsPage::initTestCase()
{
    phototune::test::useOwnSettings();
}

void TestCaptionsPage::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    writePhotos(m_dir->path());
    m_project = scanProject(m_dir->path());
    QVERIFY(m_project);
    QCOMPARE(m_project->size(), std::size_t{3});
}

void TestCaptionsPage::filter_by_label_tag_no_caption_and_text()
{
    CaptionTableModel model;
    model.setProject(m_project);
    CaptionFilterProxy filter;
    filter.setSourceModel(&model);
    QCOMPARE(filter.rowCount(), 3);
    QCOMPARE(model.labels(), (QStringList{QStringLiteral("cat"), QStringLiteral("dog")}));
    QCOMPARE(model.addTag({rowOf(*m_project, "dog/rex.png")}, QStringLiteral("outdoor")), 1);

    filter.setLabel(QStringLiteral("cat"));
    QCOMPARE(filter.rowCount(), 2);
    filter.setUncaptionedOnly(true);
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.index(0, CaptionTableModel::PhotoColumn).data().toString(), QStringLiteral("cat/tabby.png"));
    filter.setUncaptionedOnly(false);
    filter.setLabel({});

    filter.setTag(QStringLiteral("outdoor"));
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.index(0, CaptionTableModel::LabelColumn).data().toString(), QStringLiteral("dog"));
    filter.setTag({});

    filter.setText(QStringLiteral("SOFA"));
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.index(0, CaptionTableModel::PhotoColumn).data().toString(), QStringLiteral("cat/whiskers.png"));
}

void TestCaptionsPage::editing_caption_through_model_updates_project()
{
    CaptionTableModel model;
    model.setProject(m_project);
    const int whiskers = rowOf(*m_project, "cat/whiskers.png");
    const int tabby = rowOf(*m_project, "cat/tabby.png");
    QVERIFY(model.flags(model.index(whiskers, CaptionTableModel::CaptionColumn)) & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(model.index(whiskers, CaptionTableModel::LabelColumn)) & Qt::ItemIsEditable));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.setData(model.index(whiskers, CaptionTableModel::CaptionColumn), QStringLiteral(" a grey cat ")));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m_project->photo(whiskers).captions, std::vector<std::string>{"a grey cat"});

    QVERIFY(model.setData(model.index(tabby, CaptionTableModel::CaptionColumn), QStringLiteral("a tabby cat")));
    QCOMPARE(m_project->photo(tabby).captions, std::vector<std::string>{"a tabby cat"});
    QVERIFY(model.setData(model.index(tabby, CaptionTableModel::CaptionColumn), QString()));
    QVERIFY(m_project->photo(tabby).captions.empty());
}

void TestCaptionsPage::bulk_tag_and_replace_change_only_the_selection()
{
    CaptionsPage page;
    page.setProject(m_project);
    const int whiskers = rowOf(*m_project, "cat/whiskers.png");
    const int tabby = rowOf(*m_project, "cat/tabby.png");
    const int rex = rowOf(*m_project, "dog/rex.png");
    selectRows(page, {whiskers, tabby});

    child<QLineEdit>(&page, "bulkTagEdit")->setText(QStringLiteral("indoor"));
    QTest::mouseClick(child<QPushButton>(&page, "bulkAddTagButton"), Qt::LeftButton);
    QCOMPARE(m_project->photo(whiskers).tags, std::vector<std::string>{"indoor"});
    QCOMPARE(m_project->photo(tabby).tags, std::vector<std::string>{"indoor"});
    QVERIFY(m_project->photo(rex).tags.empty());
    // The new tag becomes a filter choice.
    QVERIFY(child<QComboBox>(&page, "tagFilter")->findData(QStringLiteral("indoor")) >= 0);

    selectRows(page, {tabby});
    QTest::mouseClick(child<QPushButton>(&page, "bulkRemoveTagButton"), Qt::LeftButton);
    QVERIFY(m_project->photo(tabby).tags.empty());
    QCOMPARE(m_project->photo(whiskers).tags, std::vector<std::string>{"indoor"});

    selectRows(page, {whiskers, tabby});
    child<QLineEdit>(&page, "findEdit")->setText(QStringLiteral("a "));
    child<QLineEdit>(&page, "replaceEdit")->setText(QStringLiteral("one "));
    QTest::mouseClick(child<QPushButton>(&page, "bulkReplaceButton"), Qt::LeftButton);
    QCOMPARE(m_project->photo(whiskers).captions, std::vector<std::string>{"one cat on one sofa"});
    QVERIFY(m_project->photo(tabby).captions.empty());
    QCOMPARE(m_project->photo(rex).captions, std::vector<std::string>{"a dog in the park"}); // not selected
    QVERIFY(child<QLabel>(&page, "bulkResult")->text().contains(QStringLiteral("1 of 2")));
}

void TestCaptionsPage::enter_saves_and_moves_to_next_photo()
{
    CaptionsPage page;
    page.setProject(m_project);
    auto* table = child<QTableView>(&page, "captionTable");
    auto* editor = child<QLineEdit>(&page, "captionEditor");
    auto* filter = static_cast<QSortFilterProxyModel*>(table->model());
    const auto sourceRowOfCurrent = [&] { return filter->mapToSource(table->currentIndex()).row(); };
    QCOMPARE(table->currentIndex().row(), 0); // the first photo is ready to edit
    QVERIFY(editor->isEnabled());
    const int first = sourceRowOfCurrent();
    QCOMPARE(editor->text(), page.model()->caption(first));

    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("typed by hand"));
    QTest::keyClick(editor, Qt::Key_Return);
    QCOMPARE(m_project->photo(first).captions.front(), std::string("typed by hand"));
    QCOMPARE(table->currentIndex().row(), 1);
    const int second = sourceRowOfCurrent();
    QCOMPARE(editor->text(), page.model()->caption(second));

    // Escape reverts what was typed; Up goes back without a change.
    QTest::keyClicks(editor, QStringLiteral(" and more"));
    QTest::keyClick(editor, Qt::Key_Escape);
    QCOMPARE(editor->text(), page.model()->caption(second));
    QTest::keyClick(editor, Qt::Key_Up);
    QCOMPARE(table->currentIndex().row(), 0);
    QCOMPARE(editor->text(), QStringLiteral("typed by hand"));
    QTest::keyClick(editor, Qt::Key_Down);
    QTest::keyClick(editor, Qt::Key_Down);
    QCOMPARE(table->currentIndex().row(), 2);

    // Choosing another photo in the table keeps what was typed.
    const int third = sourceRowOfCurrent();
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("chosen away"));
    table->setCurrentIndex(filter->index(0, CaptionTableModel::CaptionColumn));
    QCOMPARE(m_project->photo(third).captions.front(), std::string("chosen away"));
    QCOMPARE(editor->text(), QStringLiteral("typed by hand"));

    // With "no caption only", a photo that gets its caption leaves the list and the next one takes its place.
    for (const char* photo : {"cat/whiskers.png", "cat/tabby.png"})
        page.model()->setCaption(rowOf(*m_project, photo), {});
    child<QCheckBox>(&page, "uncaptionedOnly")->setChecked(true);
    QCOMPARE(table->model()->rowCount(), 2);
    table->setCurrentIndex(table->model()->index(0, CaptionTableModel::CaptionColumn));
    const int captioned = sourceRowOfCurrent();
    const int next = filter->mapToSource(filter->index(1, 0)).row();
    QTest::keyClicks(editor, QStringLiteral("a tabby cat"));
    QTest::keyClick(editor, Qt::Key_Return);
    QCOMPARE(m_project->photo(captioned).captions, std::vector<std::string>{"a tabby cat"});
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(sourceRowOfCurrent(), next);
    QVERIFY(editor->text().isEmpty());

    // Tags: added from the field, removed with their chip.
    child<QCheckBox>(&page, "uncaptionedOnly")->setChecked(false);
    table->setCurrentIndex(table->model()->index(0, CaptionTableModel::CaptionColumn));
    auto* newTag = child<QLineEdit>(&page, "newTagEdit");
    QTest::keyClicks(newTag, QStringLiteral("sofa"));
    QTest::keyClick(newTag, Qt::Key_Return);
    QCOMPARE(m_project->photo(sourceRowOfCurrent()).tags, std::vector<std::string>{"sofa"});
    auto* chipBox = child<QWidget>(&page, "tagChips");
    const QList<QToolButton*> chips = chipBox->findChildren<QToolButton*>(QStringLiteral("tagChip"));
    QCOMPARE(chips.size(), 1);
    QCOMPARE(chips.front()->property("tag").toString(), QStringLiteral("sofa"));
    QTest::mouseClick(chips.front(), Qt::LeftButton);
    QVERIFY(m_project->photo(sourceRowOfCurrent()).tags.empty());
    QVERIFY(chipBox->findChildren<QToolButton*>(QStringLiteral("tagChip")).isEmpty());
}

void TestCaptionsPage::window_gives_page_the_project_and_keeps_edits_when_a_folder_is_added()
{
    phototune::ui::MainWindow window;
    CaptionTableModel* model = window.captionsPage()->model();
    window.addFolder(m_dir->path());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, 10000);
    const std::shared_ptr<PhotoProject> first = model->project();
    const int tabby = rowOf(*first, "cat/tabby.png");
    model->setCaption(tabby, QStringLiteral("edited before another folder came"));

    QTemporaryDir more;
    QImage bird(64, 64, QImage::Format_RGB32);
    bird.fill(Qt::darkBlue);
    QVERIFY(QDir().mkpath(more.path() + QStringLiteral("/bird")));
    QVERIFY(bird.save(more.path() + QStringLiteral("/bird/robin.png")));
    window.addFolder(more.path());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 4, 10000);
    QCOMPARE(model->project(), first); // the new folder's photos were merged into the same project
    const int tabbyNow = rowOf(*model->project(), "cat/tabby.png");
    QCOMPARE(model->project()->photo(tabbyNow).captions, std::vector<std::string>{"edited before another folder came"});
}

void TestCaptionsPage::without_model_no_tokens_are_counted()
{
    CaptionsPage page;
    page.setProject(m_project);
    QVERIFY(!page.model()->countsTokens());
    QVERIFY(!page.model()->index(0, CaptionTableModel::TokensColumn).data().isValid());
    QVERIFY(child<QLabel>(&page, "tokenCount")->text().contains(QStringLiteral("without a model")));
    auto* autoCaption = child<QPushButton>(&page, "autoCaptionButton");
    QVERIFY(!autoCaption->isEnabled());
    QVERIFY(autoCaption->toolTip().contains(QStringLiteral("model")));
    QVERIFY(child<QLabel>(&page, "modelStatus")->text().contains(QStringLiteral("No CLIP model")));
}

void TestCaptionsPage::token_count_warns_over_model_context()
{
    PHOTOTUNE_REQUIRE_FIXTURE(modelDir, "tiny-clip");
    CaptionsPage page;
    page.setProject(m_project);
    QSignalSpy loaded(&page, &CaptionsPage::modelFolderLoaded);
    page.setModelFolder(QString::fromStdString(modelDir.string()));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
    QVERIFY(loaded.front().front().toBool());
    QVERIFY(page.model()->countsTokens());
    const int context = page.model()->contextLength();
    QVERIFY(context > 0);

    auto* editor = child<QLineEdit>(&page, "captionEditor");
    auto* tokens = child<QLabel>(&page, "tokenCount");
    editor->setText(QStringLiteral("a cat"));
    QCOMPARE(tokens->text(), QStringLiteral("4 / %1 tokens").arg(context)); // start, "a", "cat", end
    QVERIFY(!tokens->property("tooLong").toBool());
    editor->setText(QStringLiteral("cat ").repeated(context));
    QVERIFY(tokens->property("tooLong").toBool());
    QVERIFY(tokens->toolTip().contains(QStringLiteral("cut off")));

    const QModelIndex whiskersTokens =
        page.model()->index(rowOf(*m_project, "cat/whiskers.png"), CaptionTableModel::TokensColumn);
    QCOMPARE(whiskersTokens.data().toInt(), 7); // start, a, cat, on, a, sofa, end
}

void TestCaptionsPage::auto_caption_runs_without_blocking_event_loop()
{
    PHOTOTUNE_REQUIRE_FIXTURE(modelDir, "tiny-clip");
    CaptionsPage page;
    page.setProject(m_project);
    page.setModelFolder(QString::fromStdString(modelDir.string()));
    auto* autoCaption = child<QPushButton>(&page, "autoCaptionButton");
    QTRY_VERIFY_WITH_TIMEOUT(autoCaption->isEnabled(), 60000);
    QCOMPARE(child<QLineEdit>(&page, "captionTemplate")->text(),
             QString::fromUtf8(phototune::default_caption_template));

    // A GUI-thread timer measures the longest the event loop went without running it.
    QElapsedTimer sinceTick;
    qint64 longestGap = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this, [&] {
        longestGap = std::max(longestGap, sinceTick.restart());
    });
    int ticks = 0;
    connect(&ticker, &QTimer::timeout, this, [&] { ++ticks; });
    QSignalSpy finished(&page, &CaptionsPage::autoCaptionFinished);
    auto* progress = child<QProgressBar>(&page, "captionProgress");
    QSignalSpy progressValues(progress, &QProgressBar::valueChanged);

    ThreadPoolHold hold;
    QTest::mouseClick(autoCaption, Qt::LeftButton);
    QVERIFY(page.isAutoCaptioning());
    QVERIFY(!autoCaption->isEnabled());
    QVERIFY(child<QPushButton>(&page, "cancelCaptionButton")->isVisibleTo(&page));
    QVERIFY(progress->isVisibleTo(&page));
    QVERIFY(!child<QLineEdit>(&page, "captionEditor")->isEnabled()); // no edits while the run writes
    QVERIFY(m_project->photo(rowOf(*m_project, "cat/tabby.png")).captions.empty());

    sinceTick.start();
    ticker.start();
    hold.release();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    ticker.stop();
    qInfo("auto-captioning: %d timer ticks, longest event-loop gap %lld ms", ticks, longestGap);
    QVERIFY(ticks > 0); // the click did not do the work itself
    QVERIFY(!progressValues.isEmpty());
    QCOMPARE(progressValues.last().front().toInt(), 3); // photos done, reported from the worker
    // ~100 ms, with headroom for a loaded two-core machine.
    QVERIFY2(longestGap < 150, qPrintable(QStringLiteral("event loop blocked for %1 ms").arg(longestGap)));

    QVERIFY2(child<QLabel>(&page, "captionStatus")->text().startsWith(QStringLiteral("Captioned 3 photos")),
             qPrintable(child<QLabel>(&page, "captionStatus")->text()));
    for (std::size_t i = 0; i < m_project->size(); ++i) {
        const phototune::ProjectPhoto photo = m_project->photo(i);
        if (!photo.excluded) QVERIFY2(!photo.captions.empty(), photo.relative_path.c_str());
    }
    // Photos with a caption keep it; the one without got one from the template; the table shows it.
    const int rex = rowOf(*m_project, "dog/rex.png");
    QCOMPARE(m_project->photo(rex).captions, std::vector<std::string>{"a dog in the park"});
    const int tabby = rowOf(*m_project, "cat/tabby.png");
    QVERIFY(m_project->photo(tabby).captions.front().rfind("a photo of cat", 0) == 0);
    QCOMPARE(page.model()->caption(tabby), QString::fromStdString(m_project->photo(tabby).captions.front()));
    QVERIFY(!child<QPushButton>(&page, "cancelCaptionButton")->isVisibleTo(&page));
    QVERIFY(child<QLineEdit>(&page, "captionEditor")->isEnabled());
}

void TestCaptionsPage::cancelled_auto_caption_changes_nothing()
{
    PHOTOTUNE_REQUIRE_FIXTURE(modelDir, "tiny-clip");
    CaptionsPage page;
    page.setProject(m_project);
    page.setModelFolder(QString::fromStdString(modelDir.string()));
    auto* autoCaption = child<QPushButton>(&page, "autoCaptionButton");
    QTRY_VERIFY_WITH_TIMEOUT(autoCaption->isEnabled(), 60000);
    child<QCheckBox>(&page, "replaceCaptions")->setChecked(true);

    QSignalSpy finished(&page, &CaptionsPage::autoCaptionFinished);
    ThreadPoolHold hold;
    QTest::mouseClick(autoCaption, Qt::LeftButton);
    QVERIFY(page.isAutoCaptioning());
    QTest::mouseClick(child<QPushButton>(&page, "cancelCaptionButton"), Qt::LeftButton);
    QCOMPARE(child<QLabel>(&page, "captionStatus")->text(), QStringLiteral("Stopping…"));
    hold.release();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QCOMPARE(child<QLabel>(&page, "captionStatus")->text(),
             QStringLiteral("Auto-captioning stopped; no caption was changed."));
    QVERIFY(m_project->photo(rowOf(*m_project, "cat/tabby.png")).captions.empty());
    QCOMPARE(m_project->photo(rowOf(*m_project, "dog/rex.png")).captions,
             std::vector<std::string>{"a dog in the park"});
    QVERIFY(autoCaption->isEnabled()); // ready for another run
}

QTEST_MAIN(TestCaptionsPage)
#include "test_captions_page.moc"

// The Export step on a short finished run of an untrained tiny model: it describes the run,
// suggests a folder per format, writes a PEFT adapter that the core loads and that changes the
// model's outputs, shows its provenance and a loading snippet; a merged model at 0 % strength is the
// base model; a folder that already holds files is left alone unless the user confirms.
#include "core/api/training.h"
#include "support/embedding_check.h"
#include "support/shape_photos.h"
#include "support/widget_lookup.h"
#include "ui/pages/export_page.h"
#include "support/own_settings.h"

#include <QAbstractButton>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using phototune::test::child;
using phototune::test::largestDifference;
using phototune::test::promptEmbedding;
using phototune::ui::ExportPage;

namespace {

QString metadataValue(QTableWidget* table, const QString& key)
{
    for (int row = 0; row < table->rowCount(); ++row)
        if (table->item(row, 0)->text() == key) return table->item(row, 1)->text();
    return {};
}

// Types a folder into the page's folder field as a user would.
void typeFolder(ExportPage& page, const QString& folder)
{
    auto* field = child<QLineEdit>(&page, "exportFolder");
    field->clear();
    QTest::keyClicks(field, folder);
}

} // namespace

class TestExportPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void describes_the_run_and_suggests_a_folder_per_format();
    void exported_adapter_loads_and_changes_outputs();
    void merged_model_at_zero_strength_is_the_base_model();
    void non_empty_folder_is_kept_unless_confirmed();

private:
    QString path(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    // Clicks Export and waits for the outcome: the folder written, or the error.
    QString exportNow(ExportPage& page);

    QTemporaryDir m_dir;
};

void TestExportPage::initTestCase()
{
    phototune::test::useOwnSettings();
    QVERIFY(m_dir.isValid());
    phototune::test::writeShapes(path("photos"), 4);
    const auto model = phototune::create_untrained_model("tiny", path("model").toStdString(), 3);
    QVERIFY2(model.ok(), model.ok() ? "" : model.failure().message.c_str());

    phototune::TrainConfig config;
    config.model_dir = path("model").toStdString();
    config.data_dir = path("photos").toStdString();
    config.run_dir = path("run").toStdString();
    config.rank = 4;
    config.alpha = 8;
    config.steps = 6;
    config.batch = 4;
    config.lr = 1e-2; // large, so that six steps move the adapter measurably
    config.seed = 3;
    config.device = "cpu";
    phototune::TrainObserver ignore;
    const auto outcome = phototune::run_training(config, ignore);
    QVERIFY2(outcome.status == phototune::TrainStatus::Finished, outcome.failure.message.c_str());
}

QString TestExportPage::exportNow(ExportPage& page)
{
    QSignalSpy done(&page, &ExportPage::exported);
    auto* button = child<QPushButton>(&page, "exportButton");
    if (!button->isEnabled()) return QStringLiteral("error: Export is disabled");
    QTest::mouseClick(button, Qt::LeftButton);
    if (!done.wait(120000)) return QStringLiteral("error: no outcome");
    const QString error = done.front().at(1).toString();
    return error.isEmpty() ? done.front().at(0).toString() : QStringLiteral("error: ") + error;
}

void TestExportPage::describes_the_run_and_suggests_a_folder_per_format()
{
    ExportPage page;
    QVERIFY(!child<QPushButton>(&page, "exportButton")->isEnabled()); // nothing to export yet
    page.setRun(path("run"));
    QTRY_VERIFY(child<QLabel>(&page, "exportRun")->text().contains(QStringLiteral("finished, 6 steps")));
    QVERIFY(child<QPushButton>(&page, "exportButton")->isEnabled());
    auto* folder = child<QLineEdit>(&page, "exportFolder");
    QVERIFY(folder->text().endsWith(QStringLiteral("run-adapter")));
    child<QRadioButton>(&page, "mergedFormat")->setChecked(true);
    QVERIFY(folder->text().endsWith(QStringLiteral("run-merged")));
    // A folder the user typed stays when the format changes.
    typeFolder(page, path("mine"));
    child<QRadioButton>(&page, "adapterFormat")->setChecked(true);
    QCOMPARE(folder->text(), path("mine"));

    child<QSlider>(&page, "exportStrength")->setValue(35);
    QCOMPARE(child<QLabel>(&page, "exportStrengthValue")->text(), QStringLiteral("35 %"));
    QVERIFY(!child<QPushButton>(&page, "openExportFolderButton")->isEnabled());

    page.setRun(path("no-such-run"));
    QTRY_VERIFY(child<QLabel>(&page, "exportRun")->text().contains(QStringLiteral("run.json")));
}

void TestExportPage::exported_adapter_loads_and_changes_outputs()
{
    ExportPage page;
    page.setRun(path("run"));
    typeFolder(page, path("adapter"));
    QCOMPARE(exportNow(page), path("adapter"));
    QVERIFY(QFile::exists(path("adapter/adapter_config.json")));
    QVERIFY(QFile::exists(path("adapter/adapter_model.safetensors")));

    const QString status = child<QLabel>(&page, "exportStatus")->text();
    QVERIFY2(status.contains(QStringLiteral("adapter of step 6 at 100 % strength")), qPrintable(status));
    auto* metadata = child<QTableWidget>(&page, "exportMetadata");
    QCOMPARE(metadataValue(metadata, QStringLiteral("phototune_steps")), QStringLiteral("6"));
    QCOMPARE(metadataValue(metadata, QStringLiteral("phototune_seed")), QStringLiteral("3"));
    QVERIFY(metadataValue(metadata, QStringLiteral("base_model_licence")).startsWith(QStringLiteral("none: an untrained")));
    const QString snippet = child<QPlainTextEdit>(&page, "loadingSnippet")->toPlainText();
    QVERIFY2(snippet.contains(QStringLiteral("PeftModel.from_pretrained(base, \"%1\")").arg(path("adapter"))),
             qPrintable(snippet));
    QVERIFY(child<QPushButton>(&page, "openExportFolderButton")->isEnabled());
    QTest::mouseClick(child<QPushButton>(&page, "copySnippetButton"), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), snippet);

    // The core loads what the page wrote, and the adapter moves the embeddings.
    const auto base = promptEmbedding(path("model"));
    const auto adapted = promptEmbedding(path("model"), path("adapter"));
    QVERIFY(!base.empty());
    QCOMPARE(adapted.size(), base.size());
    const float moved = largestDifference(base, adapted);
    qInfo("adapter moves the prompt embedding by up to %g", moved);
    QVERIFY(moved > 1e-4f);
}

void TestExportPage::merged_model_at_zero_strength_is_the_base_model()
{
    ExportPage page;
    page.setRun(path("run"));
    child<QRadioButton>(&page, "mergedFormat")->setChecked(true);
    child<QSlider>(&page, "exportStrength")->setValue(0);
    typeFolder(page, path("merged"));
    QCOMPARE(exportNow(page), path("merged"));
    QVERIFY(QFile::exists(path("merged/config.json")));
    QVERIFY(QFile::exists(path("merged/model.safetensors")));
    QVERIFY(child<QPlainTextEdit>(&page, "loadingSnippet")->toPlainText().contains(
        QStringLiteral("CLIPModel.from_pretrained(\"%1\")").arg(path("merged"))));
    const auto base = promptEmbedding(path("model"));
    const auto merged = promptEmbedding(path("merged"));
    QVERIFY(!base.empty());
    QCOMPARE(merged.size(), base.size());
    QVERIFY(largestDifference(base, merged) < 1e-5f);
}

void TestExportPage::non_empty_folder_is_kept_unless_confirmed()
{
    QVERIFY(QDir().mkpath(path("occupied")));
    QFile note(path("occupied/notes.txt"));
    QVERIFY(note.open(QIODevice::WriteOnly));
    note.write("mine");
    note.close();

    ExportPage page;
    page.setRun(path("run"));
    typeFolder(page, path("occupied"));
    // Answers the confirmation with No as soon as it is shown.
    bool asked = false;
    QTimer answer;
    answer.setInterval(20);
    connect(&answer, &QTimer::timeout, this, [&] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
            asked = true;
            box->button(QMessageBox::No)->click();
        }
    });
    answer.start();
    QTest::mouseClick(child<QPushButton>(&page, "exportButton"), Qt::LeftButton);
    answer.stop();
    QVERIFY(asked);
    QVERIFY(!QFile::exists(path("occupied/adapter_config.json")));
    QCOMPARE(QDir(path("occupied")).entryList(QDir::Files), QStringList{QStringLiteral("notes.txt")});
    QVERIFY(child<QLabel>(&page, "exportStatus")->text().isEmpty());
}

QTEST_MAIN(TestExportPage)
#include "test_export_page.moc"

// The Setup step (the hardware wizard) on this machine: it reports the hardware, plans for the demo
// model, shows the plan's memory as a stacked bar against the budget, re-estimates live when
// "Advanced" overrides the plan, turns red with a suggestion when the plan does not fit, and hands
// the chosen plan on as training settings. Catalogue models that are not downloaded offer Download
// and cannot be accepted.
#include "core/api/clip_engine.h"
#include "core/api/system_info.h"
#include "core/api/training.h"
#include "ui/pages/setup_page.h"
#include "ui/support/qt_convert.h"
#include "ui/widgets/memory_bar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using phototune::ui::MemoryBar;
using phototune::ui::SetupPage;

namespace {

// Planning waits for the device micro-benchmark (~2 s, once per machine), so allow for it.
constexpr int kPlanTimeoutMs = 30000;

template <typename T>
T* child(const QWidget& parent, const char* name)
{
    auto* widget = parent.findChild<T*>(QLatin1String(name));
    if (!widget) qFatal("no child named %s", name);
    return widget;
}

} // namespace

class TestSetupPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void reports_hardware_and_plans_the_demo_model();
    void advanced_overrides_re_estimate_and_warn_when_over_budget();
    void dataset_size_bounds_the_demo_batch();
    void catalogue_model_not_downloaded_offers_download();
    void every_setting_has_a_tooltip();

private:
    // A page planning for the demo model, its first plan made.
    void planDemo(SetupPage& page);

    QTemporaryDir m_huggingFaceHome;
    QString m_demoModel;
};

void TestSetupPage::initTestCase()
{
    // An empty Hugging Face cache: no catalogue model is downloaded, whatever this machine holds.
    QVERIFY(m_huggingFaceHome.isValid());
    qputenv("HF_HOME", m_huggingFaceHome.path().toUtf8());
    auto demo = phototune::ensure_demo_model();
    QVERIFY2(demo, demo ? "" : demo.failure().message.c_str());
    m_demoModel = phototune::ui::toQString(demo.value());
}

void TestSetupPage::planDemo(SetupPage& page)
{
    page.setDemoModelFolder(m_demoModel);
    QTRY_VERIFY_WITH_TIMEOUT(page.hasPlan(), kPlanTimeoutMs);
}

void TestSetupPage::reports_hardware_and_plans_the_demo_model()
{
    SetupPage page;
    auto* hardware = child<QLabel>(page, "hardwareReport");
    planDemo(page);

    // The probe and the build: what a bug report needs.
    QVERIFY(hardware->text().contains(QString::fromStdString(phototune::version_report())));
    QVERIFY(hardware->text().contains(QStringLiteral("LibTorch")));

    // With nothing downloaded, the demo is chosen, and says plainly that it is no pretrained CLIP.
    auto* model = child<QComboBox>(page, "modelCombo");
    QCOMPARE(model->currentIndex(), 0);
    QVERIFY(model->currentText().contains(QStringLiteral("Demo")));
    QCOMPARE(page.modelFolder(), m_demoModel);
    QVERIFY(child<QLabel>(page, "modelStatus")->text().contains(QStringLiteral("Not a pretrained CLIP")));

    // One sentence of reason, a memory bar of four parts within the budget, and a time.
    QVERIFY(page.explanation().contains(QStringLiteral("demo")));
    QCOMPARE(child<QLabel>(page, "planExplanation")->text(), page.explanation());
    MemoryBar* bar = page.memoryBar();
    QCOMPARE(bar->segments().size(), 4);
    // On CPU there is no CUDA context or workspace: only the overhead part may be empty.
    for (const MemoryBar::Segment& segment : bar->segments())
        QVERIFY2(segment.bytes > 0 || segment.name == QStringLiteral("overhead"), qPrintable(segment.name));
    QVERIFY(bar->segments().front().bytes > 0);
    QVERIFY(bar->budgetBytes() > 0);
    QVERIFY(page.planFits());
    QVERIFY(bar->fits());
    QVERIFY(child<QLabel>(page, "planTime")->text().contains(QStringLiteral("per epoch")));
    QVERIFY(child<QLabel>(page, "planSuggestion")->text().isEmpty());
    QVERIFY(child<QPushButton>(page, "acceptPlanButton")->isEnabled());

    // The plan becomes the run's settings: the demo's own, at the plan's batch and rank.
    phototune::TrainConfig demoSettings;
    phototune::apply_demo_settings(demoSettings);
    const phototune::TrainConfig settings = page.trainSettings();
    QCOMPARE(phototune::ui::toQString(settings.model_dir), m_demoModel);
    QCOMPARE(settings.rank, child<QSpinBox>(page, "rankSpin")->value());
    QCOMPARE(settings.batch, child<QSpinBox>(page, "batchSpin")->value());
    QCOMPARE(settings.rank, demoSettings.rank);
    QCOMPARE(settings.epochs, demoSettings.epochs);
    QCOMPARE(settings.lr, demoSettings.lr);

    QSignalSpy accepted(&page, &SetupPage::planAccepted);
    QTest::mouseClick(child<QPushButton>(page, "acceptPlanButton"), Qt::LeftButton);
    QCOMPARE(accepted.count(), 1);
}

void TestSetupPage::advanced_overrides_re_estimate_and_warn_when_over_budget()
{
    SetupPage page;
    planDemo(page);
    MemoryBar* bar = page.memoryBar();
    const std::uint64_t planned = bar->totalBytes();
    const int plannedBatch = child<QSpinBox>(page, "batchSpin")->value();

    child<QGroupBox>(page, "advancedBox")->setChecked(true);
    // A batch of 1024 in 0.2 GiB: every override is estimated again, and this one cannot fit.
    QSignalSpy changed(&page, &SetupPage::planChanged);
    child<QDoubleSpinBox>(page, "budgetSpin")->setValue(0.2);
    QVERIFY(changed.wait(kPlanTimeoutMs));
    child<QSpinBox>(page, "batchSpin")->setValue(1024);
    QTRY_VERIFY_WITH_TIMEOUT(page.trainSettings().batch == 1024, kPlanTimeoutMs);
    QVERIFY(bar->totalBytes() > planned);
    QVERIFY(page.explanation().startsWith(QStringLiteral("Your plan")));
    QVERIFY(!page.planFits());
    QVERIFY(!bar->fits());
    QCOMPARE(bar->budgetBytes(), phototune::usable_memory_budget(static_cast<std::uint64_t>(0.2 * (1ull << 30))));
    QVERIFY(!child<QPushButton>(page, "acceptPlanButton")->isEnabled());
    // The suggestion comes from a search off the GUI thread: the cheapest change that fits.
    QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(page, "planSuggestion")->text().contains(QStringLiteral("Too large")),
                             kPlanTimeoutMs);
    QVERIFY(!child<QLabel>(page, "planSuggestion")->text().contains(QStringLiteral("more memory than")));

    // Checkpointing keeps only each layer's input: less memory for the same batch.
    const std::uint64_t eager = bar->totalBytes();
    child<QCheckBox>(page, "checkpointingCheck")->setChecked(true);
    QTRY_VERIFY_WITH_TIMEOUT(page.trainSettings().grad_checkpointing, kPlanTimeoutMs);
    QVERIFY(bar->totalBytes() < eager);

    // Back to the plan's batch and this machine's memory: it fits again and can be accepted.
    child<QCheckBox>(page, "checkpointingCheck")->setChecked(false);
    child<QSpinBox>(page, "batchSpin")->setValue(plannedBatch);
    child<QDoubleSpinBox>(page, "budgetSpin")->setValue(0);
    QTRY_VERIFY_WITH_TIMEOUT(page.planFits() && page.trainSettings().batch == plannedBatch, kPlanTimeoutMs);
    QTRY_VERIFY(child<QPushButton>(page, "acceptPlanButton")->isEnabled());
    QVERIFY(child<QLabel>(page, "planSuggestion")->text().isEmpty());
}

void TestSetupPage::dataset_size_bounds_the_demo_batch()
{
    SetupPage page;
    planDemo(page);
    QSignalSpy changed(&page, &SetupPage::planChanged);
    page.setDatasetSize(10);
    QVERIFY(changed.wait(kPlanTimeoutMs));
    QCOMPARE(page.trainSettings().batch, 10);
    QCOMPARE(child<QSpinBox>(page, "batchSpin")->value(), 10);
}

void TestSetupPage::catalogue_model_not_downloaded_offers_download()
{
    SetupPage page;
    planDemo(page);
    auto* model = child<QComboBox>(page, "modelCombo");
    const int row = model->findData(QStringLiteral("openai/clip-vit-base-patch32"));
    QVERIFY(row > 0);
    QVERIFY(model->itemText(row).contains(QStringLiteral("download")));

    QSignalSpy changed(&page, &SetupPage::planChanged);
    model->setCurrentIndex(row);
    QVERIFY(changed.wait(kPlanTimeoutMs));
    // Planned from the catalogue's shapes, without the weights; accepted only once downloaded.
    QVERIFY(page.hasPlan());
    QVERIFY(page.explanation().contains(QStringLiteral("B/32")));
    QVERIFY(page.modelFolder().isEmpty());
    QVERIFY(!child<QPushButton>(page, "downloadModelButton")->isHidden());
    QVERIFY(!child<QPushButton>(page, "acceptPlanButton")->isEnabled());
    QVERIFY(child<QLabel>(page, "modelStatus")->text().contains(QStringLiteral("Not downloaded")));
}

void TestSetupPage::every_setting_has_a_tooltip()
{
    SetupPage page;
    QStringList missing;
    for (QWidget* widget : page.findChildren<QWidget*>()) {
        const bool setting = qobject_cast<QSpinBox*>(widget) || qobject_cast<QDoubleSpinBox*>(widget) ||
                             qobject_cast<QComboBox*>(widget) || qobject_cast<QCheckBox*>(widget) ||
                             qobject_cast<QPushButton*>(widget);
        if (setting && widget->toolTip().isEmpty()) missing << widget->objectName();
    }
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
}

QTEST_MAIN(TestSetupPage)
#include "test_setup_page.moc"

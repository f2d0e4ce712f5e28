#include "ui/pages/setup_page.h"

#include "core/api/system_info.h"
#include "ui/support/async_call.h"
#include "ui/support/qt_convert.h"
#include "ui/widgets/memory_bar.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

namespace phototune::ui {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
const QString kOverColour = QStringLiteral("#cf222e");

QString text(const std::string& s)
{
    return QString::fromStdString(s);
}

QString bytes(std::uint64_t n)
{
    return text(format_bytes(n));
}

// What the wizard learns about the machine once, off the GUI thread.
struct MachineFacts {
    Result<DeviceProbe> probe = Failure{};
    Result<RecommendRequest> request = Failure{};
    Result<DeviceThroughput> throughput = Failure{};
    Result<std::vector<CatalogModel>> models = Failure{};
};

struct PlanResult {
    Result<Recommendation> recommendation = Failure{};
};

struct EstimateResult {
    Result<TrainingPrediction> prediction = Failure{};
    TrainingSetup setup;
};

std::string precisionFor(const RecommendRequest& request)
{
    if (request.device == "cuda") return request.fast_bf16 ? "bf16" : "fp16";
    return request.fast_bf16 ? "bf16" : "fp32";
}

} // namespace

SetupPage::SetupPage(QWidget* parent)
    : StepPage(tr("Setup"),
               tr("Choose what to train: the studio measures this computer, predicts the memory and time of a plan "
                  "before anything starts, and recommends the best plan that fits."),
               parent)
    , m_hardware(new QLabel(tr("Looking at this computer…")))
    , m_memoryBar(new MemoryBar)
{
    m_hardware->setObjectName(QStringLiteral("hardwareReport"));
    m_hardware->setTextFormat(Qt::PlainText);
    m_hardware->setTextInteractionFlags(Qt::TextSelectableByMouse); // pasted into bug reports
    m_hardware->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_hardware->setWordWrap(true);
    m_memoryBar->setObjectName(QStringLiteral("memoryBar"));

    auto* machine = new QGroupBox(tr("This computer"));
    auto* machineLayout = new QVBoxLayout(machine);
    machineLayout->addWidget(m_hardware);

    body()->addWidget(machine);
    body()->addWidget(createPlanBox());
    body()->addWidget(createAdvancedBox());
    body()->addStretch(1);

    runInBackground(
        this,
        [] {
            auto facts = std::make_shared<MachineFacts>();
            facts->probe = probe_hardware();
            facts->request = request_for_this_machine(PlanGoal::Balanced, 0);
            if (facts->request) facts->throughput = device_throughput(facts->request->device, precisionFor(*facts->request));
            facts->models = list_catalog_models();
            return facts;
        },
        [this](const std::shared_ptr<MachineFacts>& facts) {
            if (facts->probe) {
                m_probe = facts->probe.value();
                m_hardware->setText(text(describe_hardware(*m_probe)) + QLatin1Char('\n') + text(version_report()));
            } else {
                m_hardware->setText(tr("Could not look at this computer: %1").arg(text(facts->probe.failure().message)));
            }
            if (facts->request) m_machineBudget = facts->request->budget_bytes;
            if (facts->throughput) m_throughput = facts->throughput.value();
            if (facts->models) {
                for (const CatalogModel& model : *facts->models) {
                    if (!model.supported) continue;
                    addModelChoice({text(model.id), text(model.display_name),
                                    model.local_folder ? toQString(*model.local_folder) : QString(), text(model.licence),
                                    model.research_only, false});
                }
            }
            machineProbed();
        });
}

SetupPage::~SetupPage()
{
    m_downloadCancel.request_cancel();
}

QWidget* SetupPage::createPlanBox()
{
    auto* box = new QGroupBox(tr("The plan"));
    m_goal = new QComboBox;
    m_goal->setObjectName(QStringLiteral("goalCombo"));
    m_goal->addItem(tr("Fastest"), QStringLiteral("fastest"));
    m_goal->addItem(tr("Balanced"), QStringLiteral("balanced"));
    m_goal->addItem(tr("Best quality"), QStringLiteral("best"));
    m_goal->setCurrentIndex(1);
    m_goal->setToolTip(tr("Fastest trains only the image side at a small rank; balanced trains both sides on the "
                          "largest model that stays quick; best quality takes the largest model and rank that fit, "
                          "and the most time."));

    m_model = new QComboBox;
    m_model->setObjectName(QStringLiteral("modelCombo"));
    m_model->setToolTip(tr("The CLIP model to adapt. Larger models learn more from your photos and need more memory "
                           "and time; a model that is not downloaded yet downloads once into the Hugging Face cache."));
    auto* otherFolder = new QPushButton(tr("Model folder…"));
    otherFolder->setObjectName(QStringLiteral("setupModelFolderButton"));
    otherFolder->setToolTip(tr("Use a Hugging Face CLIP folder on disk (config.json, model.safetensors, vocab.json, "
                               "merges.txt)."));
    m_modelStatus = new QLabel;
    m_modelStatus->setObjectName(QStringLiteral("modelStatus"));
    m_modelStatus->setWordWrap(true);
    m_download = new QPushButton(tr("Download"));
    m_download->setObjectName(QStringLiteral("downloadModelButton"));
    m_download->setToolTip(tr("Download the model's files into the Hugging Face cache (~/.cache/huggingface), where "
                              "Python tools find them too. Resumes if interrupted."));
    m_cancelDownload = new QPushButton(tr("Cancel"));
    m_cancelDownload->setObjectName(QStringLiteral("cancelDownloadButton"));
    m_cancelDownload->setToolTip(tr("Stop the download; what has arrived is kept and the next download resumes from it."));
    m_downloadProgress = new QProgressBar;
    m_downloadProgress->setObjectName(QStringLiteral("downloadProgress"));
    for (QWidget* widget : {static_cast<QWidget*>(m_download), static_cast<QWidget*>(m_cancelDownload),
                            static_cast<QWidget*>(m_downloadProgress)})
        widget->hide();

    m_explanationLabel = new QLabel(tr("Planning…"));
    m_explanationLabel->setObjectName(QStringLiteral("planExplanation"));
    m_explanationLabel->setWordWrap(true);
    QFont bold = m_explanationLabel->font();
    bold.setBold(true);
    m_explanationLabel->setFont(bold);
    m_warnings = new QLabel;
    m_warnings->setObjectName(QStringLiteral("planWarnings"));
    m_warnings->setWordWrap(true);
    m_time = new QLabel;
    m_time->setObjectName(QStringLiteral("planTime"));
    m_suggestion = new QLabel;
    m_suggestion->setObjectName(QStringLiteral("planSuggestion"));
    m_suggestion->setWordWrap(true);
    m_suggestion->setStyleSheet(QStringLiteral("color: %1;").arg(kOverColour));
    m_accept = new QPushButton(tr("Use this plan"));
    m_accept->setObjectName(QStringLiteral("acceptPlanButton"));
    m_accept->setEnabled(false);
    m_accept->setToolTip(tr("Take this plan to the Train step."));

    connect(m_goal, &QComboBox::currentIndexChanged, this, [this] { recommend(); });
    connect(m_model, &QComboBox::currentIndexChanged, this, [this] {
        refreshModelStatus();
        Q_EMIT modelFolderChanged(modelFolder());
        recommend();
    });
    connect(otherFolder, &QPushButton::clicked, this, &SetupPage::chooseLocalFolder);
    connect(m_download, &QPushButton::clicked, this, &SetupPage::downloadModel);
    connect(m_cancelDownload, &QPushButton::clicked, this, [this] { m_downloadCancel.request_cancel(); });
    connect(m_accept, &QPushButton::clicked, this, &SetupPage::planAccepted);

    auto* modelRow = new QHBoxLayout;
    modelRow->addWidget(m_model, 1);
    modelRow->addWidget(otherFolder);
    auto* downloadRow = new QHBoxLayout;
    downloadRow->addWidget(m_modelStatus, 1);
    downloadRow->addWidget(m_download);
    downloadRow->addWidget(m_downloadProgress);
    downloadRow->addWidget(m_cancelDownload);

    auto* form = new QFormLayout;
    form->addRow(tr("Goal"), m_goal);
    form->addRow(tr("Model"), modelRow);
    form->addRow(QString(), downloadRow);
    auto* layout = new QVBoxLayout(box);
    layout->addLayout(form);
    layout->addWidget(m_explanationLabel);
    layout->addWidget(m_memoryBar);
    layout->addWidget(m_time);
    layout->addWidget(m_suggestion);
    layout->addWidget(m_warnings);
    auto* acceptRow = new QHBoxLayout;
    acceptRow->addStretch(1);
    acceptRow->addWidget(m_accept);
    layout->addLayout(acceptRow);
    return box;
}

QWidget* SetupPage::createAdvancedBox()
{
    m_advanced = new QGroupBox(tr("Advanced"));
    m_advanced->setObjectName(QStringLiteral("advancedBox"));
    m_advanced->setCheckable(true);
    m_advanced->setChecked(false);
    m_advanced->setToolTip(tr("Override the plan; memory and time are estimated again as you change anything."));

    m_rank = new QSpinBox;
    m_rank->setObjectName(QStringLiteral("rankSpin"));
    m_rank->setRange(1, 256);
    m_rank->setToolTip(tr("LoRA rank: how much the adapter can learn. Memory and file size grow with it (a few MiB "
                          "per step of 8 on ViT-B); time barely changes."));
    m_batch = new QSpinBox;
    m_batch->setObjectName(QStringLiteral("batchSpin"));
    m_batch->setRange(1, 1024);
    m_batch->setToolTip(tr("Photos per step. CLIP learns by telling each photo from the others in its batch, so "
                           "larger is better (32 or more); activation memory grows in proportion."));
    m_accum = new QSpinBox;
    m_accum->setObjectName(QStringLiteral("accumSpin"));
    m_accum->setRange(1, 64);
    m_accum->setToolTip(tr("Split each batch into this many parts: the same negatives per photo with 1/N of the "
                           "activation memory, for one extra forward pass of time."));
    m_precision = new QComboBox;
    m_precision->setObjectName(QStringLiteral("precisionCombo"));
    m_precision->addItem(tr("fp32 (exact)"), QStringLiteral("fp32"));
    m_precision->addItem(tr("bf16 (fast on recent GPUs and CPUs)"), QStringLiteral("bf16"));
    m_precision->addItem(tr("fp16 (CUDA only)"), QStringLiteral("fp16"));
    m_precision->setToolTip(tr("Half precision roughly halves activation memory and is 2-4x faster where the hardware "
                               "has it; elsewhere it is emulated and slower. Weights stay in fp32."));
    m_checkpointing = new QCheckBox(tr("Gradient checkpointing"));
    m_checkpointing->setObjectName(QStringLiteral("checkpointingCheck"));
    m_checkpointing->setToolTip(tr("Keep only each layer's input and recompute the rest during backward: most of the "
                                   "activation memory saved, for about 40 % more time."));
    m_towers = new QComboBox;
    m_towers->setObjectName(QStringLiteral("towersCombo"));
    m_towers->addItem(tr("Images and text"), QStringLiteral("both"));
    m_towers->addItem(tr("Images only (text cached)"), QStringLiteral("vision"));
    m_towers->addItem(tr("Text only (images cached)"), QStringLiteral("text"));
    m_towers->setToolTip(tr("Which side of CLIP the adapter changes. One side only is faster and smaller: the other "
                            "side's embeddings are computed once and cached."));
    m_budgetOverride = new QDoubleSpinBox;
    m_budgetOverride->setObjectName(QStringLiteral("budgetSpin"));
    m_budgetOverride->setRange(0, 4096);
    m_budgetOverride->setDecimals(1);
    m_budgetOverride->setSuffix(tr(" GiB"));
    m_budgetOverride->setSpecialValueText(tr("this computer's free memory"));
    m_budgetOverride->setToolTip(tr("The memory the run may use. Lower it to leave room for other programs, or to "
                                    "plan for another machine."));

    auto* form = new QFormLayout(m_advanced);
    form->addRow(tr("LoRA rank"), m_rank);
    form->addRow(tr("Batch"), m_batch);
    form->addRow(tr("Accumulation"), m_accum);
    form->addRow(tr("Precision"), m_precision);
    form->addRow(QString(), m_checkpointing);
    form->addRow(tr("Train"), m_towers);
    form->addRow(tr("Memory budget"), m_budgetOverride);
    // A collapsed group shows its title only.
    const auto showContents = [this](bool shown) {
        for (QWidget* child : m_advanced->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly)) child->setVisible(shown);
    };
    showContents(false);
    connect(m_advanced, &QGroupBox::toggled, this, showContents);

    const auto edited = [this] {
        if (!m_filling) estimate();
    };
    for (QSpinBox* spin : {m_rank, m_batch, m_accum}) connect(spin, &QSpinBox::valueChanged, this, edited);
    for (QComboBox* combo : {m_precision, m_towers}) connect(combo, &QComboBox::currentIndexChanged, this, edited);
    connect(m_checkpointing, &QCheckBox::toggled, this, edited);
    // A new budget changes what fits: plan again, unless the person is already overriding the plan.
    connect(m_budgetOverride, &QDoubleSpinBox::valueChanged, this, [this] {
        if (m_advanced->isChecked() && m_setup) estimate();
        else recommend();
    });
    return m_advanced;
}

void SetupPage::setDemoModelFolder(const QString& folder)
{
    m_demoFolder = folder;
    for (const ModelChoice& choice : m_models)
        if (choice.demo) return;
    addModelChoice({folder, tr("Demo model (small, untrained — not a pretrained CLIP)"), folder,
                    tr("made on this computer; learns only from your photos"), false, true});
    // Nothing usable was chosen yet (no real model on disk): the demo is.
    const ModelChoice* current = currentModel();
    if (m_throughput && (!current || current->folder.isEmpty() || current->demo)) {
        const QSignalBlocker blocker(m_model);
        m_model->setCurrentIndex(0);
        refreshModelStatus();
        Q_EMIT modelFolderChanged(modelFolder());
        recommend();
    }
}

void SetupPage::setDatasetSize(int images)
{
    if (images == m_datasetSize) return;
    m_datasetSize = images;
    if (m_throughput) recommend();
}

void SetupPage::addModelChoice(const ModelChoice& choice)
{
    m_models.append(choice);
    const QSignalBlocker blocker(m_model);
    // The demo goes first; catalogue models keep their order after it.
    const int row = choice.demo ? 0 : m_model->count();
    m_model->insertItem(row, choiceLabel(choice), choice.id);
    if (choice.demo) m_models.move(m_models.size() - 1, 0);
}

QString SetupPage::choiceLabel(const ModelChoice& choice)
{
    QString label = choice.name;
    if (!choice.demo) label += choice.folder.isEmpty() ? tr(" — download") : tr(" — downloaded");
    if (choice.researchOnly) label += tr(" (research use only)");
    return label;
}

const SetupPage::ModelChoice* SetupPage::currentModel() const
{
    const int row = m_model->currentIndex();
    return row >= 0 && row < m_models.size() ? &m_models[row] : nullptr;
}

void SetupPage::machineProbed()
{
    // Start on a model that is on disk: the first downloaded catalogue model, else the demo.
    int row = -1;
    for (int i = 0; i < m_models.size() && row < 0; ++i)
        if (!m_models[i].demo && !m_models[i].folder.isEmpty()) row = i;
    for (int i = 0; i < m_models.size() && row < 0; ++i)
        if (m_models[i].demo) row = i;
    {
        const QSignalBlocker blocker(m_model);
        m_model->setCurrentIndex(std::max(row, 0));
    }
    refreshModelStatus();
    Q_EMIT modelFolderChanged(modelFolder());
    recommend();
}

std::uint64_t SetupPage::budget() const
{
    if (m_budgetOverride->value() > 0) return static_cast<std::uint64_t>(m_budgetOverride->value() * kGiB);
    return m_machineBudget;
}

void SetupPage::recommend()
{
    const ModelChoice* model = currentModel();
    if (!m_throughput || !model) return;
    const int generation = ++m_generation;
    m_explanationLabel->setText(tr("Planning…"));
    RecommendRequest request;
    request.budget_bytes = budget();
    request.device = m_throughput->device;
    request.goal = parse_plan_goal(m_goal->currentData().toString().toStdString()).value_or(PlanGoal::Balanced);
    request.dataset_images = m_datasetSize;
    request.fast_bf16 = m_throughput->precision == "bf16";
    request.model = model->id.toStdString();
    if (m_probe && request.device == "cuda" && !m_probe->gpus.empty())
        request.dedicated_vram_bytes = m_probe->gpus.front().memory_total_bytes;
    const bool demo = model->demo;
    runInBackground(
        this,
        [request, throughput = *m_throughput, demo] {
            auto result = std::make_shared<PlanResult>();
            result->recommendation = recommend_training(request, throughput);
            if (demo && result->recommendation) {
                // The untrained demo model trains with its own settings (apply_demo_settings).
                Recommendation& r = result->recommendation.value();
                TrainConfig settings;
                apply_demo_settings(settings);
                r.setup.rank = settings.rank;
                r.setup.targets = settings.targets;
                r.setup.towers = settings.towers;
                if (request.dataset_images > 1)
                    r.setup.batch = std::min<int>(settings.batch, static_cast<int>(request.dataset_images));
                else
                    r.setup.batch = settings.batch;
                r.setup.accumulation = 1;
                r.setup.gradient_checkpointing = false;
                r.setup.epochs = settings.epochs;
                if (auto predicted = predict_training(r.setup, throughput)) r.prediction = predicted.value();
            }
            return result;
        },
        [this, generation, demo](const std::shared_ptr<PlanResult>& result) {
            if (generation != m_generation) return;
            if (!result->recommendation) {
                m_prediction.reset();
                m_explanationLabel->setText(tr("No plan fits: %1").arg(text(result->recommendation.failure().message)));
                m_accept->setEnabled(false);
                Q_EMIT planChanged();
                return;
            }
            const Recommendation& r = result->recommendation.value();
            m_usableBudget = r.budget_bytes;
            fillControls(r.setup);
            const QString explanation =
                demo ? tr("The demo model with the demo's settings: LoRA rank %1 on every layer (close to training the whole "
                          "small model, which an untrained model needs), batch %2, %3 epochs: %4 of %5.")
                           .arg(r.setup.rank)
                           .arg(r.setup.batch)
                           .arg(r.setup.epochs)
                           .arg(bytes(r.prediction.memory.total()), bytes(r.budget_bytes))
                     : text(r.explanation);
            showPrediction(r.setup, r.prediction, explanation, r.warnings);
        });
}

void SetupPage::estimate()
{
    if (!m_setup || !m_throughput) return;
    const int generation = ++m_generation;
    TrainingSetup setup = setupFromControls();
    if (m_usableBudget == 0 || m_budgetOverride->value() > 0) m_usableBudget = usable_memory_budget(budget());
    runInBackground(
        this,
        [setup, throughput = *m_throughput] {
            auto result = std::make_shared<EstimateResult>();
            result->setup = setup;
            result->prediction = predict_training(setup, throughput);
            return result;
        },
        [this, generation](const std::shared_ptr<EstimateResult>& result) {
            if (generation != m_generation) return;
            if (!result->prediction) {
                m_explanationLabel->setText(tr("Cannot estimate this plan: %1").arg(text(result->prediction.failure().message)));
                return;
            }
            showPrediction(result->setup, result->prediction.value(),
                           tr("Your plan: %1 at batch %2%3, rank %4, %5: %6 of %7.")
                               .arg(text(result->setup.model.name))
                               .arg(result->setup.batch)
                               .arg(result->setup.gradient_checkpointing ? tr(" with checkpointing") : QString())
                               .arg(result->setup.rank)
                               .arg(text(result->setup.precision))
                               .arg(bytes(result->prediction->memory.total()), bytes(m_usableBudget)),
                           {});
        });
}

void SetupPage::showPrediction(const TrainingSetup& setup, const TrainingPrediction& prediction, const QString& explanation,
                               const std::vector<std::string>& warnings)
{
    m_setup = setup;
    m_prediction = prediction;
    m_explanation = explanation;
    m_explanationLabel->setText(explanation);
    m_memoryBar->setMemory(prediction.memory, m_usableBudget);
    const TimeEstimate& time = prediction.time;
    m_time->setText(tr("Predicted: %1 per step, %2 per epoch (%3 steps), %4 in all.")
                        .arg(QString::number(time.step_seconds, 'g', 2) + tr(" s"))
                        .arg(text(format_duration(time.epoch_seconds)))
                        .arg(time.steps_per_epoch)
                        .arg(text(format_duration(time.total_seconds))));
    QStringList lines;
    for (const std::string& warning : warnings) lines << text(warning);
    if (const ModelChoice* model = currentModel(); model && model->researchOnly)
        lines << tr("%1's licence allows research use only: %2").arg(model->name, model->licence);
    m_warnings->setText(lines.join(QLatin1Char('\n')));
    m_suggestion->clear();
    if (!planFits()) suggestFix(setup);
    m_accept->setEnabled(planFits() && !modelFolder().isEmpty());
    Q_EMIT planChanged();
}

void SetupPage::suggestFix(const TrainingSetup& setup)
{
    m_suggestion->setText(tr("This plan needs more memory than this computer can give."));
    const int generation = m_generation;
    runInBackground(
        this,
        [setup, throughput = *m_throughput, budget = m_usableBudget] {
            // The cheapest change that fits: checkpointing first (same batch), else a smaller batch.
            TrainingSetup trial = setup;
            trial.gradient_checkpointing = true;
            if (auto p = predict_training(trial, throughput); p && p->memory.total() <= budget)
                return std::make_pair(std::string("checkpointing"), trial.batch);
            for (trial.batch = setup.batch / 2; trial.batch >= 1; trial.batch /= 2)
                if (auto p = predict_training(trial, throughput); p && p->memory.total() <= budget)
                    return std::make_pair(std::string("batch"), trial.batch);
            return std::make_pair(std::string(), 0);
        },
        [this, generation](const std::pair<std::string, int>& fix) {
            if (generation != m_generation) return;
            if (fix.first == "checkpointing")
                m_suggestion->setText(tr("Too large for this computer: turn on gradient checkpointing and it fits."));
            else if (fix.first == "batch")
                m_suggestion->setText(tr("Too large for this computer: with gradient checkpointing, batch %1 fits (use "
                                         "accumulation to keep more negatives).")
                                          .arg(fix.second));
            else
                m_suggestion->setText(tr("Too large for this computer even at batch 1: choose a smaller model."));
        });
}

void SetupPage::fillControls(const TrainingSetup& setup)
{
    m_filling = true;
    m_rank->setValue(setup.rank);
    m_batch->setValue(setup.batch);
    m_accum->setValue(setup.accumulation);
    m_precision->setCurrentIndex(std::max(0, m_precision->findData(text(setup.precision))));
    m_checkpointing->setChecked(setup.gradient_checkpointing);
    m_towers->setCurrentIndex(std::max(0, m_towers->findData(text(setup.towers))));
    m_filling = false;
}

TrainingSetup SetupPage::setupFromControls() const
{
    TrainingSetup setup = *m_setup;
    setup.rank = m_rank->value();
    setup.batch = m_batch->value();
    setup.accumulation = std::min(m_accum->value(), setup.batch);
    setup.precision = m_precision->currentData().toString().toStdString();
    setup.gradient_checkpointing = m_checkpointing->isChecked();
    setup.towers = m_towers->currentData().toString().toStdString();
    return setup;
}

bool SetupPage::planFits() const
{
    return m_prediction && m_prediction->memory.total() <= m_usableBudget;
}

QString SetupPage::explanation() const
{
    return m_explanation;
}

QString SetupPage::modelFolder() const
{
    const ModelChoice* model = currentModel();
    return model ? model->folder : QString();
}

TrainConfig SetupPage::trainSettings() const
{
    TrainConfig config;
    const ModelChoice* model = currentModel();
    if (model && model->demo) apply_demo_settings(config);
    if (model) config.model_dir = toPath(model->folder);
    if (m_setup) {
        config.rank = m_setup->rank;
        if (!model || !model->demo) config.alpha = 2.0 * m_setup->rank;
        config.targets = m_setup->targets;
        config.towers = m_setup->towers;
        config.batch = m_setup->batch;
        config.accum = m_setup->accumulation;
        config.precision = m_setup->precision;
        config.grad_checkpointing = m_setup->gradient_checkpointing;
        config.device = m_setup->device;
    }
    return config;
}

void SetupPage::chooseLocalFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Choose a Hugging Face CLIP folder"));
    if (folder.isEmpty()) return;
    if (!QFileInfo::exists(folder + QStringLiteral("/config.json"))) {
        m_modelStatus->setText(tr("%1 has no config.json: choose the folder of a Hugging Face CLIP model.")
                                   .arg(QDir::toNativeSeparators(folder)));
        return;
    }
    addModelChoice({folder, QDir(folder).dirName(), folder, tr("see the model's own licence"), false, false});
    m_model->setCurrentIndex(m_model->count() - 1);
}

void SetupPage::refreshModelStatus()
{
    const ModelChoice* model = currentModel();
    const bool missing = model && model->folder.isEmpty();
    m_download->setVisible(missing && !m_downloading);
    if (!model) {
        m_modelStatus->clear();
    } else if (model->demo) {
        m_modelStatus->setText(tr("Not a pretrained CLIP: it knows nothing before training, so it shows how the studio "
                                  "works, not what a real model learns. For real use choose OpenAI CLIP ViT-B/32 (about "
                                  "600 MB) and Download, or give a model folder."));
    } else if (missing) {
        m_modelStatus->setText(tr("Not downloaded yet. Licence: %1.").arg(model->licence));
    } else {
        m_modelStatus->setText(tr("In %1. Licence: %2.").arg(QDir::toNativeSeparators(model->folder), model->licence));
    }
    if (m_setup) m_accept->setEnabled(planFits() && !modelFolder().isEmpty());
}

void SetupPage::downloadModel()
{
    const ModelChoice* model = currentModel();
    if (!model || m_downloading) return;
    m_downloading = true;
    m_downloadCancel = CancelToken();
    m_download->hide();
    m_downloadProgress->setRange(0, 0);
    m_downloadProgress->show();
    m_cancelDownload->show();
    m_modelStatus->setText(tr("Downloading %1…").arg(model->name));
    const QString id = model->id;
    QPointer<SetupPage> self(this);
    const auto progress = [self](std::size_t done, std::size_t total) {
        // From the download thread: hand the numbers to the GUI thread, where the page may be gone.
        QMetaObject::invokeMethod(qApp, [self, done, total] {
            if (!self) return;
            self->m_downloadProgress->setRange(0, 1000);
            self->m_downloadProgress->setValue(total ? static_cast<int>(1000.0 * done / total) : 0);
            self->m_downloadProgress->setFormat(tr("%1 of %2").arg(bytes(done), bytes(total)));
        });
    };
    runInBackground(
        this,
        [id, progress, cancel = m_downloadCancel] {
            return std::make_shared<Result<std::filesystem::path>>(download_catalog_model(id.toStdString(), progress, cancel));
        },
        [this, id](const std::shared_ptr<Result<std::filesystem::path>>& result) {
            m_downloading = false;
            m_downloadProgress->hide();
            m_cancelDownload->hide();
            for (ModelChoice& choice : m_models)
                if (choice.id == id && *result) choice.folder = toQString(result->value());
            if (!*result) {
                refreshModelStatus();
                m_modelStatus->setText(tr("The download stopped: %1").arg(text(result->failure().message)));
                return;
            }
            const int row = m_model->findData(id);
            if (row >= 0) m_model->setItemText(row, choiceLabel(m_models[row]));
            refreshModelStatus();
            Q_EMIT modelFolderChanged(modelFolder());
        });
}

} // namespace phototune::ui

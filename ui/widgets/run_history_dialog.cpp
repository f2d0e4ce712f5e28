#include "ui/widgets/run_history_dialog.h"

#include "ui/support/async_call.h"
#include "ui/support/qt_convert.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QItemSelection>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include "ui/support/qcustomplot_include.h"

#include <algorithm>
#include <utility>

namespace phototune::ui {
namespace {


enum Column { RunColumn, ModelColumn, RankColumn, StepsColumn, ValidationColumn, RetentionColumn, StateColumn, ColumnCount };

// The colours of the first and the second compared run, in the settings' header and the charts.
const QColor kRunColours[] = {QColor(0x29, 0x80, 0xb9), QColor(0xe6, 0x7e, 0x22)};

QString percent(double fraction)
{
    return RunHistoryDialog::tr("%1 %").arg(fraction * 100.0, 0, 'f', 1);
}

QString notMeasured()
{
    return RunHistoryDialog::tr("—");
}

// A model from the Hugging Face cache sits in models--org--name/snapshots/<revision>: the model's
// id says more than the revision's hash. Anything else is named by its folder.
QString modelName(const std::filesystem::path& modelDir)
{
    const QStringList parts = QDir::cleanPath(toQString(modelDir)).split(QLatin1Char('/'));
    const qsizetype n = parts.size();
    const QString cacheEntry = n >= 3 ? parts[n - 3] : QString();
    if (n >= 3 && parts[n - 2] == QLatin1String("snapshots") && cacheEntry.startsWith(QLatin1String("models--")))
        return cacheEntry.mid(8).replace(QLatin1String("--"), QLatin1String("/"));
    return parts.last();
}

std::int64_t stepsDone(const RunHistory& run)
{
    return run.steps.empty() ? 0 : run.steps.back().step;
}

// The highest "learns your photos" accuracy the adapter reached; < 0 when never measured.
double bestValidationAccuracy(const RunHistory& run)
{
    double best = -1.0;
    for (const TrainEvalEvent& evaluation : run.evaluations)
        if (!evaluation.base_model) best = std::max(best, evaluation.val_accuracy);
    return best;
}

// "Keeps general knowledge" at the latest evaluation that measured it; < 0 when none did.
double lastRetentionAccuracy(const RunHistory& run)
{
    const auto last = std::find_if(run.evaluations.rbegin(), run.evaluations.rend(),
                                   [](const TrainEvalEvent& evaluation) { return evaluation.retention_accuracy >= 0; });
    return last == run.evaluations.rend() ? -1.0 : last->retention_accuracy;
}

QString stateOf(const RunHistory& run)
{
    if (run.finished) return RunHistoryDialog::tr("finished");
    if (run.latest_checkpoint_step > 0)
        return RunHistoryDialog::tr("stopped at step %1, checkpoint of step %2").arg(stepsDone(run)).arg(run.latest_checkpoint_step);
    return RunHistoryDialog::tr("stopped at step %1, no checkpoint").arg(stepsDone(run));
}

QString yesNo(bool on)
{
    return on ? RunHistoryDialog::tr("yes") : RunHistoryDialog::tr("no");
}

// Zero or less means "chosen for the photos when the run started" (TrainConfig).
QString automaticOr(bool automatic, const QString& value)
{
    return automatic ? RunHistoryDialog::tr("auto") : value;
}

QString lengthAskedFor(const TrainConfig& config)
{
    if (config.steps > 0) return RunHistoryDialog::tr("%1 steps").arg(config.steps);
    return automaticOr(config.epochs <= 0, RunHistoryDialog::tr("%1 epochs").arg(config.epochs));
}

QString warmUp(double warmup)
{
    if (warmup < 0) return RunHistoryDialog::tr("auto (5 % of the steps)");
    if (warmup == 0) return RunHistoryDialog::tr("none");
    if (warmup < 1) return RunHistoryDialog::tr("%1 % of the steps").arg(warmup * 100.0);
    return RunHistoryDialog::tr("%1 steps").arg(warmup);
}

QString towersName(const std::string& towers)
{
    if (towers == "vision") return RunHistoryDialog::tr("images only");
    if (towers == "text") return RunHistoryDialog::tr("text only");
    return RunHistoryDialog::tr("images and text");
}

QString joined(const std::vector<std::string>& names)
{
    QStringList list;
    for (const std::string& name : names) list.append(QString::fromStdString(name));
    return list.join(QStringLiteral(", "));
}

struct Setting {
    QString name;
    QString value;
};

// What a person compares between two runs, in the same order for every run. (core/api offers no
// printable list of a TrainConfig; the CLI's flags are not words for this dialog.)
std::vector<Setting> settingsOf(const RunHistory& run)
{
    const TrainConfig& c = run.config;
    return {
        {RunHistoryDialog::tr("Model"), modelName(c.model_dir)},
        {RunHistoryDialog::tr("Photos"), QDir::toNativeSeparators(toQString(c.project_file.empty() ? c.data_dir : c.project_file))},
        {RunHistoryDialog::tr("Trains"), towersName(c.towers)},
        {RunHistoryDialog::tr("LoRA rank"), QString::number(c.rank)},
        {RunHistoryDialog::tr("LoRA alpha"), QString::number(c.alpha)},
        {RunHistoryDialog::tr("LoRA dropout"), QString::number(c.dropout)},
        {RunHistoryDialog::tr("LoRA targets"), joined(c.targets)},
        {RunHistoryDialog::tr("Layers"), c.last_layers > 0 ? RunHistoryDialog::tr("last %1").arg(c.last_layers) : RunHistoryDialog::tr("all")},
        {RunHistoryDialog::tr("Length asked for"), lengthAskedFor(c)},
        {RunHistoryDialog::tr("Steps planned"), QString::number(run.total_steps)},
        {RunHistoryDialog::tr("Batch"), automaticOr(c.batch <= 0, QString::number(c.batch))},
        {RunHistoryDialog::tr("Accumulation"), QString::number(c.accum)},
        {RunHistoryDialog::tr("Learning rate"), QString::number(c.lr, 'g', 3)},
        {RunHistoryDialog::tr("Warm-up"), warmUp(c.warmup)},
        {RunHistoryDialog::tr("Weight decay"), QString::number(c.weight_decay)},
        {RunHistoryDialog::tr("Gradient clipping"), QString::number(c.max_grad_norm)},
        {RunHistoryDialog::tr("Precision"), QString::fromStdString(c.precision)},
        {RunHistoryDialog::tr("Gradient checkpointing"), yesNo(c.grad_checkpointing)},
        {RunHistoryDialog::tr("Loss"), QString::fromStdString(c.loss)},
        {RunHistoryDialog::tr("Held out"), RunHistoryDialog::tr("%1 %").arg(c.val_split * 100.0)},
        {RunHistoryDialog::tr("Augmentation"), yesNo(c.augment)},
        {RunHistoryDialog::tr("Label prompts"), yesNo(c.label_prompts)},
        {RunHistoryDialog::tr("Seed"), QString::number(c.seed)},
        {RunHistoryDialog::tr("Evaluate every"), automaticOr(c.eval_every <= 0, RunHistoryDialog::tr("%1 steps").arg(c.eval_every))},
        {RunHistoryDialog::tr("Device"), QString::fromStdString(c.device)},
    };
}

QString runName(const QString& folder)
{
    return QFileInfo(folder).fileName();
}

QTableWidgetItem* cell(const QString& text)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    return item;
}

QCustomPlot* createChart(const char* objectName, const QString& valueLabel, const QString& tip)
{
    auto* plot = new QCustomPlot;
    plot->setObjectName(QString::fromLatin1(objectName));
    plot->setToolTip(tip);
    plot->setMinimumSize(280, 200);
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->setNoAntialiasingOnDrag(true);
    plot->xAxis->setLabel(RunHistoryDialog::tr("step"));
    plot->yAxis->setLabel(valueLabel);
    // Below the axes, where it never covers a curve; one row per run. The grid around it keeps the
    // legend's narrow width from narrowing the axes above it.
    auto* legendRow = new QCPLayoutGrid;
    plot->plotLayout()->addElement(1, 0, legendRow);
    plot->plotLayout()->setRowStretchFactor(1, 0.001);
    legendRow->addElement(0, 0, plot->legend);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot->legend->setWrap(2);
    plot->legend->setVisible(true);
    QObject::connect(plot, &QCustomPlot::mouseDoubleClick, plot, [plot] {
        plot->rescaleAxes();
        plot->replot(QCustomPlot::rpQueuedReplot);
    });
    return plot;
}

QCPGraph* addCurve(QCustomPlot* plot, const QString& name, const QPen& pen, const QVector<double>& steps,
                   const QVector<double>& values)
{
    QCPGraph* graph = plot->addGraph();
    graph->setName(name);
    graph->setPen(pen);
    graph->setData(steps, values, true);
    return graph;
}

// Evaluations are few and far apart: each is marked, as on the Train step.
void addEvaluationCurve(QCustomPlot* plot, const QString& name, const QPen& pen, const QVector<double>& steps,
                        const QVector<double>& values)
{
    addCurve(plot, name, pen, steps, values)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
}

} // namespace

RunHistoryDialog::RunHistoryDialog(const QString& runsFolder, QWidget* parent)
    : QDialog(parent)
    , m_runsFolder(runsFolder)
    , m_status(new QLabel)
    , m_table(new QTableWidget(0, ColumnCount))
    , m_comparisonNote(new QLabel)
    , m_settings(new QTableWidget)
    , m_lossChart(createChart("runLossComparison", tr("loss"),
                              tr("Each compared run's loss per step. Drag to pan, wheel to zoom, double-click to fit.")))
    , m_accuracyChart(createChart("runAccuracyComparison", tr("accuracy (%)"),
                                  tr("\"Learns your photos\" (solid): zero-shot accuracy on the held-out photos at each "
                                     "evaluation, the base model's at step 0. \"Keeps general knowledge\" (dashed): "
                                     "accuracy on a generic probe set.")))
    , m_refreshButton(new QPushButton(tr("Refresh")))
    , m_exportButton(new QPushButton(tr("Export…")))
    , m_continueButton(new QPushButton(tr("Continue")))
{
    setWindowTitle(tr("Run history"));
    resize(1200, 800);
    m_status->setObjectName(QStringLiteral("runHistoryStatus"));
    m_status->setWordWrap(true);

    m_table->setObjectName(QStringLiteral("runTable"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setToolTip(tr("Newest first. Select one run to see it, or two (Ctrl+click) to compare them."));
    const std::pair<QString, QString> headers[ColumnCount] = {
        {tr("Run"), tr("The run's folder in the runs folder.")},
        {tr("Model"), tr("The base model the adapter was trained on.")},
        {tr("LoRA rank"), tr("How much the adapter can learn: a larger rank learns more and needs more memory.")},
        {tr("Steps"), tr("Training steps done of the steps planned.")},
        {tr("Learns your photos"),
         tr("The best zero-shot accuracy on your held-out photos at the run's evaluations (the base model's not "
            "counted).")},
        {tr("Keeps general knowledge"),
         tr("Zero-shot accuracy on a generic probe set at the last evaluation that measured it: far below the base "
            "model's means the adapter made CLIP forget what it knew.")},
        {tr("State"),
         tr("Finished (the adapter is written), or stopped: a run stopped with a checkpoint can be continued.")},
    };
    for (int column = 0; column < ColumnCount; ++column) {
        auto* header = new QTableWidgetItem(headers[column].first);
        header->setToolTip(headers[column].second);
        m_table->setHorizontalHeaderItem(column, header);
    }
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunHistoryDialog::showSelection);

    m_refreshButton->setObjectName(QStringLiteral("refreshRunsButton"));
    m_refreshButton->setToolTip(tr("List the runs folder again."));
    m_exportButton->setObjectName(QStringLiteral("exportRunButton"));
    m_exportButton->setToolTip(tr("Export the selected run's adapter (of its newest checkpoint when it was stopped)."));
    m_continueButton->setObjectName(QStringLiteral("continueRunButton"));
    m_continueButton->setToolTip(tr("Continue the selected stopped run from its newest checkpoint."));
    connect(m_refreshButton, &QPushButton::clicked, this, &RunHistoryDialog::reload);
    connect(m_exportButton, &QPushButton::clicked, this, [this] {
        if (const ListedRun* run = singleSelectedRun()) Q_EMIT exportRequested(run->folder);
    });
    connect(m_continueButton, &QPushButton::clicked, this, [this] {
        if (const ListedRun* run = singleSelectedRun()) Q_EMIT continueRequested(run->folder);
    });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_refreshButton, QDialogButtonBox::ActionRole);
    buttons->addButton(m_exportButton, QDialogButtonBox::ActionRole);
    buttons->addButton(m_continueButton, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_table);
    split->addWidget(createComparison());
    split->setSizes({200, 540});

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);

    refreshButtons();
    reload();
}

QWidget* RunHistoryDialog::createComparison()
{
    m_comparisonNote->setObjectName(QStringLiteral("comparisonNote"));
    m_settings->setObjectName(QStringLiteral("runSettingsComparison"));
    m_settings->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_settings->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_settings->setToolTip(tr("The settings in each run's run.json; the ones that differ are in bold. \"auto\": chosen "
                              "for the photos when the run started."));

    // The charts one above the other: wide enough for their legends, with the steps side by side.
    auto* charts = new QSplitter(Qt::Vertical);
    charts->addWidget(m_lossChart);
    charts->addWidget(m_accuracyChart);
    auto* side = new QSplitter(Qt::Horizontal);
    side->addWidget(m_settings);
    side->addWidget(charts);
    side->setSizes({480, 720});

    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_comparisonNote);
    layout->addWidget(side, 1);
    return box;
}

void RunHistoryDialog::reload()
{
    const quint64 reload = ++m_reloads;
    m_status->setText(tr("Reading the runs in %1…").arg(QDir::toNativeSeparators(m_runsFolder)));
    runInBackground(
        this, [folder = m_runsFolder] { return listRuns(folder); },
        [this, reload](std::vector<ListedRun> runs) {
            if (reload != m_reloads) return;
            showRuns(std::move(runs));
            Q_EMIT loaded();
        });
}

std::vector<RunHistoryDialog::ListedRun> RunHistoryDialog::listRuns(const QString& runsFolder)
{
    QFileInfoList runFiles;
    for (const QFileInfo& folder : QDir(runsFolder).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QFileInfo runFile(QDir(folder.filePath()).filePath(QStringLiteral("run.json")));
        if (runFile.isFile()) runFiles.append(runFile);
    }
    // Newest first, by when run.json was written: when the run started or was last resumed.
    std::stable_sort(runFiles.begin(), runFiles.end(),
                     [](const QFileInfo& a, const QFileInfo& b) { return a.lastModified() > b.lastModified(); });
    std::vector<ListedRun> runs;
    for (const QFileInfo& runFile : runFiles) runs.push_back({runFile.path(), read_run_history(toPath(runFile.path()))});
    return runs;
}

void RunHistoryDialog::showRuns(std::vector<ListedRun> runs)
{
    QStringList selected;
    for (const int row : selectedRows()) selected.append(m_runs[static_cast<std::size_t>(row)].folder);

    m_table->setRowCount(0);
    m_runs = std::move(runs);
    m_table->setRowCount(static_cast<int>(m_runs.size()));
    QItemSelection keep; // the runs selected before, where they are now
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const ListedRun& run = m_runs[static_cast<std::size_t>(row)];
        showRun(row, run);
        if (selected.contains(run.folder))
            keep.select(m_table->model()->index(row, 0), m_table->model()->index(row, ColumnCount - 1));
    }
    m_table->resizeColumnsToContents();
    m_table->selectionModel()->select(keep, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_status->setText(m_runs.empty()
                          ? tr("No runs in %1 yet: train one on the Train step.").arg(QDir::toNativeSeparators(m_runsFolder))
                          : tr("The runs in %1. Select one to see it, or two (Ctrl+click) to compare them.")
                                .arg(QDir::toNativeSeparators(m_runsFolder)));
    showSelection();
}

void RunHistoryDialog::showRun(int row, const ListedRun& run)
{
    auto* name = cell(runName(run.folder));
    name->setToolTip(QDir::toNativeSeparators(run.folder));
    m_table->setItem(row, RunColumn, name);
    if (!run.history) {
        const QString reason = QString::fromStdString(run.history.failure().message);
        auto* error = cell(reason);
        error->setToolTip(reason);
        error->setForeground(QColor(0xc0, 0x39, 0x2b));
        error->setSizeHint(QSize(0, 0)); // it spans the other columns: resizing must not widen Model to its length
        m_table->setItem(row, ModelColumn, error);
        m_table->setSpan(row, ModelColumn, 1, ColumnCount - ModelColumn);
        return;
    }
    const RunHistory& history = run.history.value();
    const double validation = bestValidationAccuracy(history);
    const double retention = lastRetentionAccuracy(history);
    auto* model = cell(modelName(history.config.model_dir));
    model->setToolTip(QDir::toNativeSeparators(toQString(history.config.model_dir)));
    m_table->setItem(row, ModelColumn, model);
    m_table->setItem(row, RankColumn, cell(QString::number(history.config.rank)));
    m_table->setItem(row, StepsColumn, cell(tr("%1 / %2").arg(stepsDone(history)).arg(history.total_steps)));
    m_table->setItem(row, ValidationColumn, cell(validation >= 0 ? percent(validation) : notMeasured()));
    m_table->setItem(row, RetentionColumn, cell(retention >= 0 ? percent(retention) : notMeasured()));
    m_table->setItem(row, StateColumn, cell(stateOf(history)));
}

std::vector<int> RunHistoryDialog::selectedRows() const
{
    std::vector<int> rows;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows()) rows.push_back(index.row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

const RunHistoryDialog::ListedRun* RunHistoryDialog::singleSelectedRun() const
{
    const std::vector<int> rows = selectedRows();
    if (rows.size() != 1) return nullptr;
    const ListedRun& run = m_runs[static_cast<std::size_t>(rows.front())];
    return run.history ? &run : nullptr;
}

void RunHistoryDialog::showSelection()
{
    std::vector<const ListedRun*> readable;
    for (const int row : selectedRows())
        if (const ListedRun& run = m_runs[static_cast<std::size_t>(row)]; run.history) readable.push_back(&run);
    const std::size_t selected = readable.size();
    constexpr std::size_t kCompared = 2;
    if (selected > kCompared) readable.resize(kCompared);
    if (selected > kCompared) m_comparisonNote->setText(tr("%1 runs selected: the first two are compared.").arg(selected));
    m_comparisonNote->setVisible(selected > kCompared);
    showSettings(readable);
    showCurves(readable);
    refreshButtons();
}

void RunHistoryDialog::showSettings(const std::vector<const ListedRun*>& runs)
{
    std::vector<std::vector<Setting>> columns;
    for (const ListedRun* run : runs) columns.push_back(settingsOf(run->history.value()));
    const int rows = columns.empty() ? 0 : static_cast<int>(columns.front().size());
    m_settings->clear();
    m_settings->setColumnCount(static_cast<int>(columns.size()));
    m_settings->setRowCount(rows);
    for (std::size_t column = 0; column < columns.size(); ++column) {
        auto* header = new QTableWidgetItem(runName(runs[column]->folder));
        header->setForeground(kRunColours[column]);
        m_settings->setHorizontalHeaderItem(static_cast<int>(column), header);
    }
    for (int row = 0; row < rows; ++row) {
        const auto r = static_cast<std::size_t>(row);
        m_settings->setVerticalHeaderItem(row, new QTableWidgetItem(columns.front()[r].name));
        const bool differs = std::any_of(columns.begin(), columns.end(), [&](const std::vector<Setting>& settings) {
            return settings[r].value != columns.front()[r].value;
        });
        for (std::size_t column = 0; column < columns.size(); ++column) {
            auto* item = cell(columns[column][r].value);
            item->setToolTip(columns[column][r].value);
            QFont font = item->font();
            font.setBold(differs);
            item->setFont(font);
            m_settings->setItem(row, static_cast<int>(column), item);
        }
    }
}

void RunHistoryDialog::showCurves(const std::vector<const ListedRun*>& runs)
{
    m_lossChart->clearGraphs();
    m_accuracyChart->clearGraphs();
    for (std::size_t index = 0; index < runs.size(); ++index) {
        const RunHistory& history = runs[index]->history.value();
        const QString name = runName(runs[index]->folder);
        const QColor colour = kRunColours[index];

        QVector<double> steps, losses;
        for (const TrainStepEvent& step : history.steps) {
            steps.append(static_cast<double>(step.step));
            losses.append(step.loss);
        }
        addCurve(m_lossChart, name, QPen(colour, 2), steps, losses);

        QVector<double> validationSteps, validation, retentionSteps, retention;
        for (const TrainEvalEvent& evaluation : history.evaluations) {
            if (evaluation.val_accuracy >= 0) {
                validationSteps.append(static_cast<double>(evaluation.step));
                validation.append(evaluation.val_accuracy * 100.0);
            }
            if (evaluation.retention_accuracy >= 0) {
                retentionSteps.append(static_cast<double>(evaluation.step));
                retention.append(evaluation.retention_accuracy * 100.0);
            }
        }
        addEvaluationCurve(m_accuracyChart, tr("%1: learns your photos").arg(name), QPen(colour, 2), validationSteps,
                           validation);
        if (!retention.isEmpty())
            addEvaluationCurve(m_accuracyChart, tr("%1: keeps general knowledge").arg(name), QPen(colour, 2, Qt::DashLine),
                               retentionSteps, retention);
    }
    m_lossChart->rescaleAxes();
    m_accuracyChart->xAxis->rescale();
    m_accuracyChart->yAxis->setRange(0, 100);
    // Queued: a selection that changes twice in one event-loop pass draws once.
    m_lossChart->replot(QCustomPlot::rpQueuedReplot);
    m_accuracyChart->replot(QCustomPlot::rpQueuedReplot);
}

void RunHistoryDialog::refreshButtons()
{
    const ListedRun* run = singleSelectedRun();
    const RunHistory* history = run ? &run->history.value() : nullptr;
    m_exportButton->setEnabled(history && (history->finished || history->latest_checkpoint_step > 0));
    m_continueButton->setEnabled(history && !history->finished && history->latest_checkpoint_step > 0);
}

} // namespace phototune::ui

#include "ui/pages/export_page.h"

#include "core/api/hardware.h"
#include "core/api/training.h"
#include "ui/support/async_call.h"
#include "ui/support/qt_convert.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QDirIterator>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSlider>
#include <QStandardPaths>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <memory>

namespace phototune::ui {
namespace {

std::uint64_t folderBytes(const QString& folder)
{
    std::uint64_t total = 0;
    QDirIterator files(folder, QDir::Files, QDirIterator::Subdirectories);
    while (files.hasNext()) total += static_cast<std::uint64_t>(QFileInfo(files.next()).size());
    return total;
}

bool isNonEmptyFolder(const QString& folder)
{
    const QDir dir(folder);
    return dir.exists() && !dir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

} // namespace

ExportPage::ExportPage(QWidget* parent)
    : StepPage(tr("Export"),
               tr("Save what the run learned: a small LoRA adapter that PEFT loads on top of the base model, or "
                  "a whole model with the adapter folded in, for tools that do not know PEFT."),
               parent)
    , m_runLabel(new QLabel(tr("No run yet: train one on the Train step, or choose a run folder.")))
    , m_adapterFormat(new QRadioButton(tr("LoRA adapter (PEFT layout)")))
    , m_mergedFormat(new QRadioButton(tr("Merged model (Hugging Face CLIP folder)")))
    , m_strength(new QSlider(Qt::Horizontal))
    , m_strengthValue(new QLabel)
    , m_output(new QLineEdit)
    , m_exportButton(new QPushButton(tr("Export")))
    , m_status(new QLabel)
    , m_metadata(new QTableWidget(0, 2))
    , m_snippet(new QPlainTextEdit)
    , m_copySnippet(new QPushButton(tr("Copy")))
    , m_openFolder(new QPushButton(tr("Open folder")))
{
    m_runLabel->setObjectName(QStringLiteral("exportRun"));
    m_runLabel->setWordWrap(true);
    m_runLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* chooseRunButton = new QPushButton(tr("Choose run…"));
    chooseRunButton->setObjectName(QStringLiteral("chooseRunButton"));
    chooseRunButton->setToolTip(tr("Export another run: pick its folder (the one holding run.json)."));
    connect(chooseRunButton, &QPushButton::clicked, this, &ExportPage::chooseRun);

    m_adapterFormat->setObjectName(QStringLiteral("adapterFormat"));
    m_adapterFormat->setToolTip(tr("A few megabytes: only the LoRA weights. Load it with PEFT on top of the same "
                                   "base model; it can be switched off or scaled later."));
    m_adapterFormat->setChecked(true);
    m_mergedFormat->setObjectName(QStringLiteral("mergedFormat"));
    m_mergedFormat->setToolTip(tr("As large as the base model: its weights with the adapter added in. Loads in any "
                                  "tool that reads Hugging Face CLIP folders, without PEFT; no longer separable."));
    connect(m_adapterFormat, &QRadioButton::toggled, this, &ExportPage::suggestOutput);

    m_strength->setObjectName(QStringLiteral("exportStrength"));
    m_strength->setRange(0, 200);
    m_strength->setSingleStep(5);
    m_strength->setPageStep(25);
    m_strength->setValue(100);
    m_strength->setToolTip(tr("How much of the learned change to keep: 0 % is the base model, 100 % the adapter as "
                              "trained. Lower values keep more of the model's general knowledge; above 100 % "
                              "exaggerates the change. Costs nothing at export."));
    m_strengthValue->setObjectName(QStringLiteral("exportStrengthValue"));
    m_strengthValue->setMinimumWidth(m_strengthValue->fontMetrics().horizontalAdvance(QStringLiteral("200 %")));
    connect(m_strength, &QSlider::valueChanged, this, &ExportPage::showStrength);
    showStrength(m_strength->value());

    m_output->setObjectName(QStringLiteral("exportFolder"));
    m_output->setToolTip(tr("The folder to write. An existing folder with files in it is only replaced after you "
                            "confirm."));
    connect(m_output, &QLineEdit::textEdited, this, [this] {
        m_outputEdited = true;
        refreshButtons();
    });
    auto* browse = new QPushButton(tr("Browse…"));
    browse->setObjectName(QStringLiteral("browseExportFolder"));
    connect(browse, &QPushButton::clicked, this, &ExportPage::chooseOutput);

    m_exportButton->setObjectName(QStringLiteral("exportButton"));
    m_exportButton->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_exportButton->setToolTip(tr("Write the export (Ctrl+Enter). An adapter takes a moment; a merged model is as large "
                                  "as the base model and takes as long as saving it."));
    connect(m_exportButton, &QPushButton::clicked, this, &ExportPage::startExport);
    m_status->setObjectName(QStringLiteral("exportStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* runRow = new QHBoxLayout;
    runRow->addWidget(m_runLabel, 1);
    runRow->addWidget(chooseRunButton);
    auto* formatRow = new QHBoxLayout;
    formatRow->addWidget(m_adapterFormat);
    formatRow->addWidget(m_mergedFormat);
    formatRow->addStretch(1);
    auto* strengthRow = new QHBoxLayout;
    strengthRow->addWidget(m_strength, 1);
    strengthRow->addWidget(m_strengthValue);
    auto* outputRow = new QHBoxLayout;
    outputRow->addWidget(m_output, 1);
    outputRow->addWidget(browse);
    auto* form = new QFormLayout;
    form->addRow(tr("Run:"), runRow);
    form->addRow(tr("Format:"), formatRow);
    form->addRow(tr("Strength:"), strengthRow);
    form->addRow(tr("Folder:"), outputRow);
    auto* exportRow = new QHBoxLayout;
    exportRow->addWidget(m_exportButton);
    exportRow->addWidget(m_status, 1);

    m_metadata->setObjectName(QStringLiteral("exportMetadata"));
    m_metadata->setHorizontalHeaderLabels({tr("Key"), tr("Value")});
    m_metadata->horizontalHeader()->setStretchLastSection(true);
    m_metadata->verticalHeader()->hide();
    m_metadata->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_metadata->setToolTip(tr("Where the export comes from, written into its files so that it travels with them."));
    auto* metadataBox = new QGroupBox(tr("Written with it"));
    (new QVBoxLayout(metadataBox))->addWidget(m_metadata);

    m_snippet->setObjectName(QStringLiteral("loadingSnippet"));
    m_snippet->setReadOnly(true);
    m_snippet->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_snippet->setPlaceholderText(tr("After the export: Python that loads it."));
    m_copySnippet->setObjectName(QStringLiteral("copySnippetButton"));
    connect(m_copySnippet, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_snippet->toPlainText()); });
    m_openFolder->setObjectName(QStringLiteral("openExportFolderButton"));
    connect(m_openFolder, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(m_exportedFolder)); });
    auto* snippetBox = new QGroupBox(tr("Use it in Python"));
    auto* snippetLayout = new QVBoxLayout(snippetBox);
    snippetLayout->addWidget(m_snippet, 1);
    auto* snippetButtons = new QHBoxLayout;
    snippetButtons->addStretch(1);
    snippetButtons->addWidget(m_copySnippet);
    snippetButtons->addWidget(m_openFolder);
    snippetLayout->addLayout(snippetButtons);

    auto* results = new QHBoxLayout;
    results->addWidget(metadataBox, 1);
    results->addWidget(snippetBox, 1);

    body()->addLayout(form);
    body()->addLayout(exportRow);
    body()->addLayout(results, 1);
    refreshButtons();
}

void ExportPage::setRun(const QString& runDir)
{
    m_runDir = runDir;
    m_runLabel->setText(tr("%1 — reading…").arg(QDir::toNativeSeparators(runDir)));
    suggestOutput();
    refreshButtons();
    using History = std::shared_ptr<Result<RunHistory>>;
    runInBackground(
        this, [path = toPath(runDir)] { return std::make_shared<Result<RunHistory>>(read_run_history(path)); },
        [this, runDir](const History& history) {
            if (runDir != m_runDir) return; // another run was chosen meanwhile
            const QString folder = QDir::toNativeSeparators(runDir);
            if (!*history) {
                m_runLabel->setText(tr("%1 — %2").arg(folder, QString::fromStdString(history->failure().message)));
                return;
            }
            const RunHistory& run = history->value();
            if (run.finished)
                m_runLabel->setText(tr("%1 — finished, %2 steps").arg(folder).arg(run.total_steps));
            else if (run.latest_checkpoint_step > 0)
                m_runLabel->setText(tr("%1 — stopped: its checkpoint of step %2 of %3 is exported")
                                        .arg(folder)
                                        .arg(run.latest_checkpoint_step)
                                        .arg(run.total_steps));
            else
                m_runLabel->setText(tr("%1 — no checkpoint yet: train it longer first").arg(folder));
        });
}

void ExportPage::chooseRun()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Choose a training run folder"), m_runDir);
    if (!folder.isEmpty()) setRun(folder);
}

void ExportPage::chooseOutput()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export into folder"), m_output->text());
    if (folder.isEmpty()) return;
    m_output->setText(folder);
    m_outputEdited = true;
    refreshButtons();
}

void ExportPage::suggestOutput()
{
    if (m_outputEdited || m_runDir.isEmpty()) return;
    // In the user's documents, where they will look for it, not in the studio's data folder.
    QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (documents.isEmpty()) documents = QDir::homePath();
    const QString suffix = m_mergedFormat->isChecked() ? QStringLiteral("-merged") : QStringLiteral("-adapter");
    m_output->setText(QDir::toNativeSeparators(documents + QStringLiteral("/PhotoTune/") +
                                               QFileInfo(m_runDir).fileName() + suffix));
}

void ExportPage::showStrength(int percent)
{
    m_strengthValue->setText(tr("%1 %").arg(percent));
}

void ExportPage::startExport()
{
    const QString folder = QDir::fromNativeSeparators(m_output->text().trimmed());
    if (m_runDir.isEmpty() || folder.isEmpty()) return;
    if (isNonEmptyFolder(folder) &&
        QMessageBox::question(this, tr("Replace files?"),
                              tr("%1 already holds files. Write the export into it, replacing files of the same "
                                 "names?")
                                  .arg(QDir::toNativeSeparators(folder))) != QMessageBox::Yes)
        return;
    m_exporting = true;
    m_status->setText(tr("Exporting…"));
    refreshButtons();
    const bool merged = m_mergedFormat->isChecked();
    const double strength = m_strength->value() / 100.0;
    using Exported = std::shared_ptr<Result<ExportedAdapter>>;
    runInBackground(
        this,
        [run = toPath(m_runDir), out = toPath(folder), merged, strength] {
            return std::make_shared<Result<ExportedAdapter>>(export_run(run, out, merged, strength));
        },
        [this, folder](const Exported& result) {
            m_exporting = false;
            if (*result) {
                showExported(result->value());
                Q_EMIT exported(folder, {});
            } else {
                const QString error = QString::fromStdString(result->failure().message);
                m_status->setText(tr("Export failed: %1").arg(error));
                Q_EMIT exported({}, error);
            }
            refreshButtons();
        });
}

void ExportPage::showExported(const ExportedAdapter& adapter)
{
    m_exportedFolder = toQString(adapter.folder);
    const QString size = QString::fromStdString(format_bytes(folderBytes(m_exportedFolder)));
    m_status->setText((adapter.merged ? tr("Wrote the merged model of step %1 at %2 % strength to %3 (%4).")
                                      : tr("Wrote the adapter of step %1 at %2 % strength to %3 (%4)."))
                          .arg(adapter.step)
                          .arg(qRound(adapter.strength * 100))
                          .arg(QDir::toNativeSeparators(m_exportedFolder), size));
    m_metadata->setRowCount(0);
    for (const auto& [key, value] : adapter.metadata) {
        const int row = m_metadata->rowCount();
        m_metadata->insertRow(row);
        m_metadata->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(key)));
        auto* valueItem = new QTableWidgetItem(QString::fromStdString(value));
        valueItem->setToolTip(valueItem->text());
        m_metadata->setItem(row, 1, valueItem);
    }
    m_metadata->resizeColumnToContents(0);
    m_snippet->setPlainText(QString::fromStdString(adapter.python_snippet));
}

void ExportPage::refreshButtons()
{
    m_exportButton->setEnabled(!m_exporting && !m_runDir.isEmpty() && !m_output->text().trimmed().isEmpty());
    m_copySnippet->setEnabled(!m_snippet->toPlainText().isEmpty());
    m_openFolder->setEnabled(!m_exportedFolder.isEmpty());
}

} // namespace phototune::ui

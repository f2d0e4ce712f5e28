#include "ui/pages/captions_page.h"

#include "ui/models/caption_table_model.h"
#include "ui/support/async_call.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <filesystem>
#include <utility>

namespace phototune::ui {
namespace {

using ModelLoad = std::shared_ptr<Result<std::shared_ptr<ClipEngine>>>;

// Fills a filter combo box with "any" and the choices, keeping the current choice where it still exists.
void fillChoices(QComboBox* box, const QString& anyText, const QStringList& choices)
{
    const QString current = box->currentData().toString();
    const QSignalBlocker blocker(box);
    box->clear();
    box->addItem(anyText, QString());
    for (const QString& choice : choices) box->addItem(choice, choice);
    box->setCurrentIndex(std::max(0, box->findData(current)));
}

QString photoCount(qsizetype photos)
{
    return photos == 1 ? CaptionsPage::tr("1 photo") : CaptionsPage::tr("%1 photos").arg(photos);
}

QString describeReport(const CaptionReport& report)
{
    QString text = CaptionsPage::tr("Captioned %1").arg(photoCount(static_cast<qsizetype>(report.photos.size())));
    if (report.kept_existing > 0) text += CaptionsPage::tr("; %1 kept their own captions").arg(report.kept_existing);
    if (report.too_long > 0)
        text += CaptionsPage::tr("; %1 longer than %2 tokens will be cut")
                    .arg(report.too_long)
                    .arg(report.context_length);
    return text + QLatin1Char('.');
}

} // namespace

CaptionsPage::CaptionsPage(QWidget* parent)
    : StepPage(tr("Captions"),
               tr("What each photo shows, in words: the adapter learns to match photos to their captions. Edit "
                  "them one by one (Up/Down move, Enter saves and moves on), change a selection at once, or "
                  "have them suggested by zero-shot tagging."),
               parent)
    , m_model(new CaptionTableModel(this))
    , m_filter(new CaptionFilterProxy(this))
    , m_table(new QTableView)
{
    m_filter->setSourceModel(m_model);

    m_table->setObjectName(QStringLiteral("captionTable"));
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::DoubleClicked);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // the project's order until a header is clicked
    m_table->verticalHeader()->hide();
    // Fixed widths: sizing to contents would count the tokens of every row.
    QHeaderView* header = m_table->horizontalHeader();
    header->resizeSection(CaptionTableModel::PhotoColumn, 220);
    header->resizeSection(CaptionTableModel::LabelColumn, 110);
    header->resizeSection(CaptionTableModel::TagsColumn, 200);
    header->resizeSection(CaptionTableModel::TokensColumn, 64);
    header->setSectionResizeMode(CaptionTableModel::CaptionColumn, QHeaderView::Stretch);

    body()->addWidget(createAutoCaptionBar());
    body()->addWidget(createFilterBar());
    body()->addWidget(m_table, 1);
    body()->addWidget(createEditor());
    body()->addWidget(createBulkBar());

    // Choosing another photo keeps what was typed for this one, as Up/Down do.
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        saveCaption();
        showCurrentPhoto();
    });
    connect(m_filter, &QAbstractItemModel::modelReset, this, [this] {
        m_currentRow = -1; // its row may be another photo now: nothing to save into it
        if (m_filter->rowCount() > 0) m_table->setCurrentIndex(m_filter->index(0, CaptionTableModel::CaptionColumn));
        showCurrentPhoto();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& first, const QModelIndex& last) {
        if (m_currentRow < first.row() || m_currentRow > last.row()) return;
        // A bulk edit may have changed the photo in the editor; what the person is typing wins.
        if (!m_captionEdit->isModified()) m_captionEdit->setText(m_model->caption(m_currentRow));
        refreshTagChips();
        refreshTokenCount();
    });
    connect(m_model, &CaptionTableModel::vocabularyChanged, this, &CaptionsPage::refreshFilterChoices);
    connect(&m_run, &QFutureWatcherBase::finished, this, &CaptionsPage::finishAutoCaption);

    showCurrentPhoto();
    refreshFilterChoices();
    refreshAutoCaptionAvailability();
}

CaptionsPage::~CaptionsPage()
{
    if (!m_run.isRunning()) return;
    m_cancel.request_cancel();
    m_run.waitForFinished();
}

QWidget* CaptionsPage::createAutoCaptionBar()
{
    m_modelStatus = new QLabel;
    m_modelStatus->setObjectName(QStringLiteral("modelStatus"));
    auto* chooseModel = new QPushButton(tr("Model folder…"));
    chooseModel->setObjectName(QStringLiteral("chooseModelButton"));
    chooseModel->setToolTip(tr("The CLIP model that tags the photos and counts caption tokens. A pretrained CLIP gives "
                               "meaningful tags; tagging takes about a second per 10 photos on a CPU."));
    connect(chooseModel, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Choose a CLIP model folder"));
        if (!folder.isEmpty()) setModelFolder(folder);
    });

    m_template = new QLineEdit(QString::fromUtf8(default_caption_template));
    m_template->setObjectName(QStringLiteral("captionTemplate"));
    m_template->setToolTip(tr("{label} is the photo's label, {tags} its tags joined by commas."));
    m_replaceCaptions = new QCheckBox(tr("Replace existing captions"));
    m_replaceCaptions->setObjectName(QStringLiteral("replaceCaptions"));
    m_replaceCaptions->setToolTip(tr("Also write new captions over the ones photos already have (from sidecar files or "
                                     "your edits). Off: only photos without a caption get one."));
    m_autoCaptionButton = new QPushButton(tr("Auto-caption…"));
    m_autoCaptionButton->setObjectName(QStringLiteral("autoCaptionButton"));
    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("captionProgress"));
    m_progress->hide();
    m_cancelButton = new QPushButton(tr("Cancel"));
    m_cancelButton->setObjectName(QStringLiteral("cancelCaptionButton"));
    m_cancelButton->hide();
    m_captionStatus = new QLabel;
    m_captionStatus->setObjectName(QStringLiteral("captionStatus"));
    m_captionStatus->setWordWrap(true);

    connect(m_autoCaptionButton, &QPushButton::clicked, this, &CaptionsPage::startAutoCaption);
    connect(m_cancelButton, &QPushButton::clicked, this, [this] {
        m_cancel.request_cancel();
        m_cancelButton->setEnabled(false);
        m_captionStatus->setText(tr("Stopping…"));
    });

    auto* bar = new QWidget;
    auto* layout = new QVBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* modelRow = new QHBoxLayout;
    modelRow->addWidget(m_modelStatus, 1);
    modelRow->addWidget(chooseModel);
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(new QLabel(tr("Template:")));
    runRow->addWidget(m_template, 1);
    runRow->addWidget(m_replaceCaptions);
    runRow->addWidget(m_autoCaptionButton);
    runRow->addWidget(m_progress);
    runRow->addWidget(m_cancelButton);
    layout->addLayout(modelRow);
    layout->addLayout(runRow);
    layout->addWidget(m_captionStatus);
    return bar;
}

QWidget* CaptionsPage::createFilterBar()
{
    m_search = new QLineEdit;
    m_search->setObjectName(QStringLiteral("captionSearch"));
    m_search->setPlaceholderText(tr("Search photos, captions and tags"));
    m_search->setClearButtonEnabled(true);
    m_labelFilter = new QComboBox;
    m_labelFilter->setObjectName(QStringLiteral("labelFilter"));
    m_tagFilter = new QComboBox;
    m_tagFilter->setObjectName(QStringLiteral("tagFilter"));
    m_uncaptionedOnly = new QCheckBox(tr("No caption only"));
    m_uncaptionedOnly->setObjectName(QStringLiteral("uncaptionedOnly"));

    connect(m_search, &QLineEdit::textChanged, m_filter, &CaptionFilterProxy::setText);
    connect(m_labelFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setLabel(m_labelFilter->currentData().toString()); });
    connect(m_tagFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setTag(m_tagFilter->currentData().toString()); });
    connect(m_uncaptionedOnly, &QCheckBox::toggled, m_filter, &CaptionFilterProxy::setUncaptionedOnly);

    auto* bar = new QWidget;
    auto* layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_search, 1);
    layout->addWidget(m_labelFilter);
    layout->addWidget(m_tagFilter);
    layout->addWidget(m_uncaptionedOnly);
    return bar;
}

QWidget* CaptionsPage::createEditor()
{
    m_photoName = new QLabel;
    m_photoName->setObjectName(QStringLiteral("editedPhoto"));
    m_captionEdit = new QLineEdit;
    m_captionEdit->setObjectName(QStringLiteral("captionEditor"));
    m_captionEdit->setPlaceholderText(tr("Caption: what the photo shows"));
    m_captionEdit->installEventFilter(this);
    m_tokenCount = new QLabel;
    m_tokenCount->setObjectName(QStringLiteral("tokenCount"));
    m_tagChips = new QWidget;
    m_tagChips->setObjectName(QStringLiteral("tagChips"));
    m_tagChipLayout = new QHBoxLayout(m_tagChips);
    m_tagChipLayout->setContentsMargins(0, 0, 0, 0);
    m_newTag = new QLineEdit;
    m_newTag->setObjectName(QStringLiteral("newTagEdit"));
    m_newTag->setPlaceholderText(tr("Add a tag"));

    connect(m_captionEdit, &QLineEdit::returnPressed, this, [this] { moveCurrent(1); });
    connect(m_captionEdit, &QLineEdit::textChanged, this, &CaptionsPage::refreshTokenCount);
    connect(m_newTag, &QLineEdit::returnPressed, this, &CaptionsPage::addTagToCurrent);

    m_editor = new QWidget;
    auto* layout = new QVBoxLayout(m_editor);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* captionRow = new QHBoxLayout;
    captionRow->addWidget(m_captionEdit, 1);
    captionRow->addWidget(m_tokenCount);
    auto* tagRow = new QHBoxLayout;
    tagRow->addWidget(new QLabel(tr("Tags:")));
    tagRow->addWidget(m_tagChips, 1);
    tagRow->addWidget(m_newTag);
    layout->addWidget(m_photoName);
    layout->addLayout(captionRow);
    layout->addLayout(tagRow);
    return m_editor;
}

QWidget* CaptionsPage::createBulkBar()
{
    m_bulkTag = new QLineEdit;
    m_bulkTag->setObjectName(QStringLiteral("bulkTagEdit"));
    m_bulkTag->setPlaceholderText(tr("Tag"));
    auto* addTag = new QPushButton(tr("Add to selected"));
    addTag->setObjectName(QStringLiteral("bulkAddTagButton"));
    auto* removeTag = new QPushButton(tr("Remove from selected"));
    removeTag->setObjectName(QStringLiteral("bulkRemoveTagButton"));
    m_find = new QLineEdit;
    m_find->setObjectName(QStringLiteral("findEdit"));
    m_find->setPlaceholderText(tr("Find in captions"));
    m_replace = new QLineEdit;
    m_replace->setObjectName(QStringLiteral("replaceEdit"));
    m_replace->setPlaceholderText(tr("Replace with"));
    auto* replace = new QPushButton(tr("Replace in selected"));
    replace->setObjectName(QStringLiteral("bulkReplaceButton"));
    m_bulkResult = new QLabel;
    m_bulkResult->setObjectName(QStringLiteral("bulkResult"));

    connect(addTag, &QPushButton::clicked, this, &CaptionsPage::bulkAddTag);
    connect(removeTag, &QPushButton::clicked, this, &CaptionsPage::bulkRemoveTag);
    connect(replace, &QPushButton::clicked, this, &CaptionsPage::bulkReplace);

    m_bulkBar = new QWidget;
    auto* layout = new QHBoxLayout(m_bulkBar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_bulkTag);
    layout->addWidget(addTag);
    layout->addWidget(removeTag);
    layout->addSpacing(16);
    layout->addWidget(m_find);
    layout->addWidget(m_replace);
    layout->addWidget(replace);
    layout->addWidget(m_bulkResult, 1);
    return m_bulkBar;
}

void CaptionsPage::setProject(std::shared_ptr<PhotoProject> project)
{
    // The run writes to the current project from its thread; switching now would lose its captions.
    if (m_run.isRunning()) {
        m_pendingProject = std::move(project);
        return;
    }
    saveCaption();
    m_model->setProject(std::move(project));
    refreshAutoCaptionAvailability();
}

void CaptionsPage::setModelFolder(const QString& folder)
{
    const int generation = ++m_modelGeneration;
    m_engine.reset();
    m_model->setEngine(nullptr);
    m_modelStatus->setText(tr("Loading the model in %1…").arg(QDir::toNativeSeparators(folder)));
    refreshAutoCaptionAvailability();
    refreshTokenCount();
    runInBackground(
        this,
        [path = std::filesystem::path(folder.toStdU16String())]() -> ModelLoad {
            return std::make_shared<Result<std::shared_ptr<ClipEngine>>>(ClipEngine::load(path));
        },
        [this, generation, folder](const ModelLoad& loaded) {
            if (generation != m_modelGeneration) return;
            if (!*loaded) {
                m_modelStatus->setText(tr("Could not load the model in %1: %2")
                                           .arg(QDir::toNativeSeparators(folder),
                                                QString::fromStdString(loaded->failure().message)));
            } else {
                m_engine = loaded->value();
                m_model->setEngine(m_engine);
                const ModelSummary& summary = m_engine->summary();
                m_modelStatus->setText(
                    summary.untrained
                        ? tr("Model: %1, untrained (the demo's): it counts tokens, but its tags are random. Choose "
                             "a pretrained CLIP on the Setup step for real tags.")
                              .arg(QString::fromStdString(summary.name))
                        : tr("Model: %1 (%2 tokens of context)")
                              .arg(QString::fromStdString(summary.name))
                              .arg(summary.context_length));
            }
            refreshAutoCaptionAvailability();
            refreshTokenCount();
            Q_EMIT modelFolderLoaded(loaded->ok());
        });
}

bool CaptionsPage::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_captionEdit && event->type() == QEvent::KeyPress) {
        switch (static_cast<QKeyEvent*>(event)->key()) {
        case Qt::Key_Up: moveCurrent(-1); return true;
        case Qt::Key_Down: moveCurrent(1); return true;
        case Qt::Key_Escape: showCurrentPhoto(); return true; // reverts what was typed
        default: break;
        }
    }
    return StepPage::eventFilter(watched, event);
}

void CaptionsPage::showCurrentPhoto()
{
    const QModelIndex current = m_filter->mapToSource(m_table->currentIndex());
    m_currentRow = current.isValid() ? current.row() : -1;
    const bool hasPhoto = m_currentRow >= 0;
    m_editor->setEnabled(hasPhoto && !m_run.isRunning());
    m_photoName->setText(hasPhoto ? m_model->index(m_currentRow, CaptionTableModel::PhotoColumn).data().toString()
                                  : tr("No photo selected."));
    m_captionEdit->setText(hasPhoto ? m_model->caption(m_currentRow) : QString());
    refreshTagChips();
    refreshTokenCount();
}

void CaptionsPage::refreshTokenCount()
{
    if (!m_model->countsTokens()) {
        m_tokenCount->setText(tr("no token count without a model"));
        m_tokenCount->setToolTip(tr("Choose a CLIP model folder to count the caption's tokens."));
        m_tokenCount->setStyleSheet(QString());
        m_tokenCount->setProperty("tooLong", false);
        return;
    }
    const std::optional<int> count = m_model->tokenCount(m_captionEdit->text());
    const int limit = m_model->contextLength();
    const bool tooLong = count && *count > limit;
    m_tokenCount->setText(count ? tr("%1 / %2 tokens").arg(*count).arg(limit) : tr("? tokens"));
    m_tokenCount->setToolTip(tooLong ? tr("Longer than the model's %1 tokens: the end will be cut off.").arg(limit)
                                     : tr("Tokens the caption takes, start and end included."));
    m_tokenCount->setStyleSheet(tooLong ? QStringLiteral("color: #c0392b; font-weight: bold;") : QString());
    m_tokenCount->setProperty("tooLong", tooLong);
}

void CaptionsPage::refreshTagChips()
{
    while (QLayoutItem* item = m_tagChipLayout->takeAt(0)) {
        if (QWidget* chip = item->widget()) {
            // A chip may be the sender of the click that got here: delete it later, but out of sight now.
            chip->hide();
            chip->setParent(nullptr);
            chip->deleteLater();
        }
        delete item;
    }
    if (m_currentRow >= 0) {
        for (const QString& tag : m_model->tags(m_currentRow)) {
            auto* chip = new QToolButton;
            chip->setObjectName(QStringLiteral("tagChip"));
            chip->setText(tag + QStringLiteral("  ✕"));
            chip->setProperty("tag", tag);
            chip->setToolTip(tr("Remove the tag “%1”").arg(tag));
            connect(chip, &QToolButton::clicked, this, [this, tag] { m_model->removeTag({m_currentRow}, tag); });
            m_tagChipLayout->addWidget(chip);
        }
    }
    m_tagChipLayout->addStretch();
}

void CaptionsPage::refreshFilterChoices()
{
    fillChoices(m_labelFilter, tr("All labels"), m_model->labels());
    fillChoices(m_tagFilter, tr("All tags"), m_model->allTags());
    m_filter->setLabel(m_labelFilter->currentData().toString());
    m_filter->setTag(m_tagFilter->currentData().toString());
}

void CaptionsPage::refreshAutoCaptionAvailability()
{
    const bool hasPhotos = m_model->rowCount() > 0;
    m_autoCaptionButton->setEnabled(m_engine && hasPhotos && !m_run.isRunning());
    if (!m_engine) {
        m_autoCaptionButton->setToolTip(
            tr("Auto-captioning tags photos with a CLIP model: choose a model folder first."));
        if (m_modelGeneration == 0)
            m_modelStatus->setText(tr("No CLIP model chosen: auto-captioning and token counts need one."));
    } else if (!hasPhotos) {
        m_autoCaptionButton->setToolTip(tr("Add photos in the Photos step first."));
    } else {
        m_autoCaptionButton->setToolTip(tr("Tag every included photo with the model and caption those without one."));
    }
}

void CaptionsPage::saveCaption()
{
    if (m_currentRow < 0 || !m_captionEdit->isModified()) return;
    m_model->setCaption(m_currentRow, m_captionEdit->text());
    m_captionEdit->setModified(false);
}

void CaptionsPage::moveCurrent(int step)
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) return;
    const int targetRow = std::clamp(current.row() + step, 0, m_filter->rowCount() - 1);
    // Saving may filter the photo out ("no caption only") or re-sort it: find the target by its source row.
    const QModelIndex target = m_filter->mapToSource(m_filter->index(targetRow, CaptionTableModel::CaptionColumn));
    saveCaption();
    const QModelIndex next = m_filter->mapFromSource(target);
    if (next.isValid()) m_table->setCurrentIndex(next);
    m_table->scrollTo(m_table->currentIndex());
}

void CaptionsPage::addTagToCurrent()
{
    if (m_currentRow < 0) return;
    m_model->addTag({m_currentRow}, m_newTag->text());
    m_newTag->clear();
}

QList<int> CaptionsPage::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        rows.append(m_filter->mapToSource(index).row());
    return rows;
}

void CaptionsPage::bulkAddTag()
{
    const QList<int> rows = selectedRows();
    const int changed = m_model->addTag(rows, m_bulkTag->text());
    m_bulkResult->setText(tr("Added “%1” to %2 of %3.")
                              .arg(m_bulkTag->text().trimmed(), QString::number(changed), photoCount(rows.size())));
}

void CaptionsPage::bulkRemoveTag()
{
    const QList<int> rows = selectedRows();
    const int changed = m_model->removeTag(rows, m_bulkTag->text());
    m_bulkResult->setText(tr("Removed “%1” from %2 of %3.")
                              .arg(m_bulkTag->text().trimmed(), QString::number(changed), photoCount(rows.size())));
}

void CaptionsPage::bulkReplace()
{
    const QList<int> rows = selectedRows();
    const int changed = m_model->replaceInCaptions(rows, m_find->text(), m_replace->text());
    m_bulkResult->setText(tr("Replaced in the captions of %1 of %2.").arg(changed).arg(photoCount(rows.size())));
}

void CaptionsPage::startAutoCaption()
{
    if (!m_engine || !m_model->project() || m_run.isRunning()) return;
    saveCaption();
    CaptionOptions options;
    const QString captionTemplate = m_template->text().trimmed();
    options.caption_template = captionTemplate.isEmpty() ? default_caption_template : captionTemplate.toStdString();
    options.replace_captions = m_replaceCaptions->isChecked();
    m_cancel = CancelToken();
    options.tagging.batch.cancel = m_cancel;
    options.tagging.batch.progress = [this](std::size_t done, std::size_t total) {
        // Called on the worker thread; the destructor waits for the run, so `this` outlives it.
        QMetaObject::invokeMethod(
            this, [this, done, total] { showCaptionProgress(done, total); }, Qt::QueuedConnection);
    };
    m_run.setFuture(QtConcurrent::run([engine = m_engine, project = m_model->project(), options]() -> CaptionRun {
        auto vocabulary = builtin_vocabulary();
        if (!vocabulary) return std::make_shared<Result<CaptionReport>>(vocabulary.failure());
        return std::make_shared<Result<CaptionReport>>(caption_project(*engine, *project, *vocabulary, options));
    }));
    setAutoCaptioning(true); // after setFuture: the page's state follows m_run
}

void CaptionsPage::showCaptionProgress(std::size_t done, std::size_t total)
{
    m_progress->setMaximum(static_cast<int>(total));
    m_progress->setValue(static_cast<int>(done));
    if (m_cancelButton->isEnabled()) m_captionStatus->setText(tr("Tagging photo %1 of %2…").arg(done).arg(total));
}

void CaptionsPage::finishAutoCaption()
{
    const CaptionRun outcome = m_run.result();
    setAutoCaptioning(false);
    if (m_pendingProject)
        setProject(std::exchange(m_pendingProject, nullptr));
    else
        m_model->reload();
    if (outcome->ok())
        m_captionStatus->setText(describeReport(outcome->value()));
    else if (outcome->failure().category == ErrorCategory::Cancelled)
        m_captionStatus->setText(tr("Auto-captioning stopped; no caption was changed."));
    else
        m_captionStatus->setText(
            tr("Auto-captioning failed: %1").arg(QString::fromStdString(outcome->failure().message)));
    Q_EMIT autoCaptionFinished();
}

void CaptionsPage::setAutoCaptioning(bool running)
{
    // The run writes to the project from its thread: no edits until it is done.
    m_editor->setEnabled(!running && m_currentRow >= 0);
    m_bulkBar->setEnabled(!running);
    m_table->setEditTriggers(running ? QAbstractItemView::NoEditTriggers
                                     : QAbstractItemView::EditKeyPressed | QAbstractItemView::DoubleClicked);
    m_template->setEnabled(!running);
    m_replaceCaptions->setEnabled(!running);
    m_progress->setVisible(running);
    m_progress->setRange(0, 0); // busy until the first photo is done
    m_cancelButton->setVisible(running);
    m_cancelButton->setEnabled(running);
    if (running) m_captionStatus->setText(tr("Reading the vocabulary…"));
    refreshAutoCaptionAvailability();
    Q_EMIT autoCaptioningChanged(running);
}

} // namespace phototune::ui

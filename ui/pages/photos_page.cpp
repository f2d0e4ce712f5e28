#include "ui/pages/photos_page.h"

#include "core/api/project.h"
#include "ui/support/qt_convert.h"
#include "ui/models/photo_folder_scan.h"
#include "ui/models/photo_list_model.h"
#include "ui/support/async_call.h"

#include <QDir>
#include <QHash>
#include <QItemSelectionModel>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace phototune::ui {
namespace {

constexpr int kThumbnailEdge = 128;

QString describePhotoCount(int photos, int labels)
{
    if (photos == 0) return PhotosPage::tr("No photos yet.");
    const QString photoText = photos == 1 ? PhotosPage::tr("1 photo") : PhotosPage::tr("%1 photos").arg(photos);
    const QString labelText = labels == 1 ? PhotosPage::tr("1 label") : PhotosPage::tr("%1 labels").arg(labels);
    return PhotosPage::tr("%1 in %2").arg(photoText, labelText);
}

} // namespace

PhotosPage::PhotosPage(QWidget* parent)
    : StepPage(tr("Photos"),
               tr("The photos the adapter learns from: each sub-folder is a label, and a .txt file beside a "
                  "photo is its caption. Add a folder, or drop one onto the window."),
               parent)
    , m_model(new PhotoListModel(kThumbnailEdge, this))
    , m_grid(new QListView)
    , m_labels(new QTreeWidget)
    , m_unused(new QTreeWidget)
    , m_summary(new QLabel(tr("No photos yet.")))
    , m_addButton(new QPushButton(tr("Add folder…")))
    , m_excludeButton(new QPushButton(tr("Leave out")))
    , m_includeButton(new QPushButton(tr("Include")))
    , m_relabelButton(new QPushButton(tr("Relabel…")))
    , m_removeButton(new QPushButton(tr("Remove")))
{
    m_relabelButton->setObjectName(QStringLiteral("relabelPhotosButton"));
    m_relabelButton->setToolTip(tr("Give the selected photos another label, for a photo filed in the wrong folder. "
                                   "The files are not moved."));
    m_removeButton->setObjectName(QStringLiteral("removePhotosButton"));
    m_removeButton->setToolTip(tr("Take the selected photos out of the project. The files stay on disk; adding "
                                  "their folder again brings them back."));
    connect(m_relabelButton, &QPushButton::clicked, this, &PhotosPage::askForLabel);
    connect(m_removeButton, &QPushButton::clicked, this, [this] {
        if (const QStringList paths = selectedPaths(); !paths.isEmpty()) Q_EMIT removalRequested(paths);
    });
    m_excludeButton->setObjectName(QStringLiteral("excludePhotosButton"));
    m_excludeButton->setToolTip(tr("Leave the selected photos out of training and validation (a blurred shot, a wrong "
                                   "label). The files stay where they are."));
    m_includeButton->setObjectName(QStringLiteral("includePhotosButton"));
    m_includeButton->setToolTip(tr("Use the selected photos again, also copies the studio left out."));
    connect(m_excludeButton, &QPushButton::clicked, this, [this] { requestExclusion(true); });
    connect(m_includeButton, &QPushButton::clicked, this, [this] { requestExclusion(false); });
    m_addButton->setObjectName(QStringLiteral("addFolderButton"));
    m_summary->setObjectName(QStringLiteral("photoSummary"));
    auto* toolbar = new QHBoxLayout;
    toolbar->addWidget(m_addButton);
    toolbar->addWidget(m_summary, 1);
    toolbar->addWidget(m_excludeButton);
    toolbar->addWidget(m_includeButton);
    toolbar->addWidget(m_relabelButton);
    toolbar->addWidget(m_removeButton);

    m_grid->setObjectName(QStringLiteral("photoGrid"));
    m_grid->setViewMode(QListView::IconMode);
    m_grid->setResizeMode(QListView::Adjust);
    m_grid->setMovement(QListView::Static);
    m_grid->setUniformItemSizes(true);
    m_grid->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_grid->setIconSize(QSize(kThumbnailEdge, kThumbnailEdge));
    m_grid->setGridSize(QSize(kThumbnailEdge + 16, kThumbnailEdge + 2 * fontMetrics().height() + 8));
    m_grid->setTextElideMode(Qt::ElideMiddle);
    m_grid->setModel(m_model);

    m_labels->setObjectName(QStringLiteral("labelList"));
    m_labels->setColumnCount(3);
    m_labels->setHeaderLabels({tr("Label"), tr("Photos"), tr("Held out")});
    m_labels->headerItem()->setToolTip(2, tr("Photos kept out of training to measure what the adapter learned "
                                             "(the validation split, the same for every run)."));
    m_labels->setRootIsDecorated(false);
    m_labels->setSortingEnabled(false);
    m_labels->header()->setStretchLastSection(false);
    m_labels->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_labels->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_labels->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);

    m_unused->setObjectName(QStringLiteral("unusedFiles"));
    m_unused->setColumnCount(2);
    m_unused->setHeaderLabels({tr("Not used"), tr("Why")});
    m_unused->setRootIsDecorated(false);
    m_unused->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_unused->hide();

    auto* side = new QSplitter(Qt::Vertical);
    side->addWidget(m_labels);
    side->addWidget(m_unused);
    side->setChildrenCollapsible(false);

    auto* splitter = new QSplitter;
    splitter->addWidget(m_grid);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 0);
    splitter->setSizes({760, 300});
    splitter->setChildrenCollapsible(false);

    body()->addLayout(toolbar);
    body()->addWidget(splitter, 1);

    connect(m_addButton, &QPushButton::clicked, this, &PhotosPage::addFolderRequested);
    connect(m_model, &PhotoListModel::labelsChanged, this, &PhotosPage::refreshLabels);
    connect(m_grid->selectionModel(), &QItemSelectionModel::selectionChanged, this, &PhotosPage::refreshSelectionButtons);
    refreshSelectionButtons();
}

void PhotosPage::refreshSelectionButtons()
{
    // Leaving out needs the project (set once the folders are read): it records the choice.
    const bool selected = m_grid->selectionModel()->hasSelection() && m_heldOut.has_value();
    for (QPushButton* button : {m_excludeButton, m_includeButton, m_relabelButton, m_removeButton})
        button->setEnabled(selected);
}

QStringList PhotosPage::selectedPaths() const
{
    QStringList paths;
    for (const QModelIndex& index : m_grid->selectionModel()->selectedIndexes())
        paths.append(index.data(PhotoListModel::PathRole).toString());
    return paths;
}

void PhotosPage::requestExclusion(bool excluded)
{
    if (const QStringList paths = selectedPaths(); !paths.isEmpty()) Q_EMIT exclusionRequested(paths, excluded);
}

void PhotosPage::askForLabel()
{
    const QModelIndexList selected = m_grid->selectionModel()->selectedIndexes();
    if (selected.isEmpty()) return;
    QStringList labels;
    for (const LabelCount& entry : m_model->labelCounts()) labels.append(entry.label);
    QInputDialog dialog(this);
    dialog.setObjectName(QStringLiteral("relabelDialog"));
    dialog.setWindowTitle(tr("Relabel photos"));
    dialog.setLabelText(selected.size() == 1 ? tr("New label for the selected photo:")
                                             : tr("New label for the %1 selected photos:").arg(selected.size()));
    dialog.setComboBoxItems(labels);
    dialog.setComboBoxEditable(true);
    dialog.setTextValue(selected.first().data(PhotoListModel::LabelRole).toString());
    if (dialog.exec() != QDialog::Accepted) return;
    const QString label = dialog.textValue().trimmed();
    if (!label.isEmpty()) Q_EMIT relabelRequested(selectedPaths(), label);
}

void PhotosPage::addFolder(const QString& folder)
{
    m_summary->setText(tr("Listing %1…").arg(QDir::toNativeSeparators(folder)));
    runInBackground(this, [folder] { return scanPhotoFolder(folder); },
                    [this, folder, generation = m_listingGeneration](const QList<PhotoEntry>& photos) {
                        if (generation != m_listingGeneration) return;
                        const int added = m_model->addPhotos(photos);
                        if (added == 0) refreshLabels(); // otherwise labelsChanged did it
                        Q_EMIT folderAdded(folder, added);
                    });
}

void PhotosPage::setProject(const PhotoProject& project)
{
    m_unused->clear();
    const auto addUnused = [this](const QString& name, const std::string& why, const std::filesystem::path& path) {
        auto* item = new QTreeWidgetItem(m_unused, {name, QString::fromStdString(why)});
        item->setToolTip(0, QDir::toNativeSeparators(toQString(path)));
        item->setToolTip(1, item->text(1));
    };
    for (const SkippedPhoto& skipped : project.skipped()) addUnused(toQString(skipped.path.filename()), skipped.message, skipped.path);
    m_heldOut.emplace();
    QList<PhotoEntry> photos;
    QHash<QString, QString> excluded;
    for (const ProjectPhoto& photo : project.photos()) {
        const QString path = toQString(photo.path);
        photos.append({path, QString::fromStdString(photo.label),
                       photo.captions.empty() ? QString() : QString::fromStdString(photo.captions.front())});
        if (photo.excluded) {
            excluded.insert(path, QString::fromStdString(photo.exclusion_reason));
            addUnused(QString::fromStdString(photo.relative_path), photo.exclusion_reason, photo.path);
        } else if (photo.validation) {
            ++(*m_heldOut)[QString::fromStdString(photo.label)];
        }
    }
    m_unused->setHeaderLabels({tr("Not used (%1)").arg(m_unused->topLevelItemCount()), tr("Why")});
    m_unused->resizeColumnToContents(0);
    m_unused->setVisible(m_unused->topLevelItemCount() > 0);
    m_model->setPhotos(photos);
    m_model->setExcluded(excluded);
    refreshLabels();
    refreshSelectionButtons();
}

void PhotosPage::refreshLabels()
{
    m_labels->clear();
    for (const LabelCount& entry : m_model->labelCounts()) {
        QString heldText;
        if (m_heldOut) {
            const auto held = m_heldOut->find(entry.label);
            heldText = QString::number(held == m_heldOut->end() ? 0 : held->second);
        }
        auto* item = new QTreeWidgetItem(m_labels, {entry.label, QString::number(entry.count), heldText});
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
    }
    refreshSummary();
}

void PhotosPage::refreshSummary()
{
    QString summary = describePhotoCount(m_model->rowCount(), m_labels->topLevelItemCount());
    if (m_heldOut && m_model->rowCount() > 0) {
        int heldOut = 0;
        for (const auto& [label, count] : *m_heldOut) heldOut += count;
        summary += tr("; %1 held out for validation").arg(heldOut);
        if (const int unused = m_unused->topLevelItemCount(); unused > 0) summary += tr("; %1 files not used").arg(unused);
    }
    m_summary->setText(summary);
}

} // namespace phototune::ui

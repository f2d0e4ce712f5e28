#include "ui/pages/photos_page.h"

#include "ui/models/photo_folder_scan.h"
#include "ui/models/photo_list_model.h"
#include "ui/support/async_call.h"

#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
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
    , m_summary(new QLabel(tr("No photos yet.")))
    , m_addButton(new QPushButton(tr("Add folder…")))
{
    m_addButton->setObjectName(QStringLiteral("addFolderButton"));
    m_summary->setObjectName(QStringLiteral("photoSummary"));
    auto* toolbar = new QHBoxLayout;
    toolbar->addWidget(m_addButton);
    toolbar->addWidget(m_summary, 1);

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
    m_labels->setColumnCount(2);
    m_labels->setHeaderLabels({tr("Label"), tr("Photos")});
    m_labels->setRootIsDecorated(false);
    m_labels->setSortingEnabled(false);
    m_labels->header()->setStretchLastSection(false);
    m_labels->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_labels->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);

    auto* splitter = new QSplitter;
    splitter->addWidget(m_grid);
    splitter->addWidget(m_labels);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 0);
    splitter->setSizes({820, 200});
    splitter->setChildrenCollapsible(false);

    body()->addLayout(toolbar);
    body()->addWidget(splitter, 1);

    connect(m_addButton, &QPushButton::clicked, this, &PhotosPage::addFolderRequested);
    connect(m_model, &PhotoListModel::labelsChanged, this, &PhotosPage::refreshLabels);
}

void PhotosPage::addFolder(const QString& folder)
{
    m_summary->setText(tr("Listing %1…").arg(QDir::toNativeSeparators(folder)));
    runInBackground(this, [folder] { return scanPhotoFolder(folder); },
                    [this, folder](const QList<PhotoEntry>& photos) {
                        const int added = m_model->addPhotos(photos);
                        if (added == 0) refreshLabels(); // otherwise labelsChanged did it
                        Q_EMIT folderAdded(folder, added);
                    });
}

void PhotosPage::refreshLabels()
{
    const QList<LabelCount> counts = m_model->labelCounts();
    m_labels->clear();
    for (const LabelCount& entry : counts) {
        auto* item = new QTreeWidgetItem(m_labels, {entry.label, QString::number(entry.count)});
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    }
    m_summary->setText(describePhotoCount(m_model->rowCount(), static_cast<int>(counts.size())));
}

} // namespace phototune::ui

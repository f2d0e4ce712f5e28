#include "ui/models/photo_list_model.h"

#include "ui/models/thumbnail_loader.h"

#include <QColor>
#include <QFileInfo>
#include <QMap>
#include <QPainter>
#include <QSet>

namespace phototune::ui {
namespace {

// Every decoration is an edge x edge square with the picture centred, so that the file names
// under the thumbnails line up in the grid whatever the photos' aspect ratios.
QPixmap centredOnSquare(const QImage& image, int edge)
{
    QPixmap square(edge, edge);
    square.fill(Qt::transparent);
    QPainter painter(&square);
    painter.drawImage((edge - image.width()) / 2, (edge - image.height()) / 2, image);
    return square;
}

// A neutral landscape tile; a cross on it marks a photo that did not decode.
QPixmap makePlaceholder(int edge, bool broken)
{
    QImage tile(edge, edge * 3 / 4, QImage::Format_ARGB32_Premultiplied);
    tile.fill(Qt::transparent);
    QPainter painter(&tile);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0, 0, 0, 28));
    painter.drawRoundedRect(tile.rect().adjusted(1, 1, -1, -1), 6, 6);
    if (broken) {
        painter.setPen(QPen(QColor(180, 40, 40), 3));
        const QRect cross = QRect(0, 0, edge / 4, edge / 4);
        painter.translate(tile.rect().center() - cross.center());
        painter.drawLine(cross.topLeft(), cross.bottomRight());
        painter.drawLine(cross.topRight(), cross.bottomLeft());
    }
    painter.end();
    return centredOnSquare(tile, edge);
}

} // namespace

PhotoListModel::PhotoListModel(int edge, QObject* parent)
    : QAbstractListModel(parent)
    , m_edge(edge)
    , m_loader(new ThumbnailLoader(edge, this))
    , m_placeholder(makePlaceholder(edge, false))
    , m_brokenPlaceholder(makePlaceholder(edge, true))
{
    connect(m_loader, &ThumbnailLoader::thumbnailDecoded, this, &PhotoListModel::storeThumbnail);
}

int PhotoListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

QVariant PhotoListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    Item& item = m_items[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return m_excluded.contains(item.photo.path) ? tr("%1 (left out)").arg(QFileInfo(item.photo.path).fileName())
                                                    : QFileInfo(item.photo.path).fileName();
    case Qt::ForegroundRole:
        if (m_excluded.contains(item.photo.path)) return QColor(Qt::gray);
        return {};
    case Qt::ToolTipRole:
        if (!item.thumbnailError.isEmpty()) return tr("Cannot read this photo: %1").arg(item.thumbnailError);
        if (const auto why = m_excluded.constFind(item.photo.path); why != m_excluded.cend())
            return tr("Left out of training: %1").arg(*why);
        return item.photo.caption.isEmpty() ? tr("No caption yet") : item.photo.caption;
    case ExcludedRole:
        return m_excluded.contains(item.photo.path);
    case Qt::DecorationRole:
        return decoration(item);
    case PathRole:
        return item.photo.path;
    case LabelRole:
        return item.photo.label;
    case CaptionRole:
        return item.photo.caption;
    case ThumbnailReadyRole:
        return item.ready;
    default:
        return {};
    }
}

QVariant PhotoListModel::decoration(Item& item) const
{
    if (item.ready) return item.thumbnailError.isEmpty() ? item.thumbnail : m_brokenPlaceholder;
    if (!item.requested) {
        item.requested = true;
        m_loader->request(item.photo.path);
    }
    return m_placeholder;
}

QHash<int, QByteArray> PhotoListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(PathRole, "path");
    names.insert(LabelRole, "label");
    names.insert(CaptionRole, "caption");
    names.insert(ThumbnailReadyRole, "thumbnailReady");
    names.insert(ExcludedRole, "excluded");
    return names;
}

int PhotoListModel::addPhotos(const QList<PhotoEntry>& photos)
{
    QList<PhotoEntry> fresh;
    QSet<QString> seen;
    for (const PhotoEntry& photo : photos) {
        if (m_rowOfPath.contains(photo.path) || seen.contains(photo.path)) continue;
        seen.insert(photo.path);
        fresh.append(photo);
    }
    if (fresh.isEmpty()) return 0;
    const int first = static_cast<int>(m_items.size());
    beginInsertRows({}, first, first + static_cast<int>(fresh.size()) - 1);
    for (const PhotoEntry& photo : std::as_const(fresh)) {
        m_rowOfPath.insert(photo.path, static_cast<int>(m_items.size()));
        m_items.append(Item{photo, {}, {}, false, false});
    }
    endInsertRows();
    Q_EMIT labelsChanged();
    return static_cast<int>(fresh.size());
}

void PhotoListModel::setPhotos(const QList<PhotoEntry>& photos)
{
    QHash<QString, const PhotoEntry*> wanted;
    for (const PhotoEntry& photo : photos) wanted.insert(photo.path, &photo);
    bool labelsMoved = false;
    // Runs of rows that left, removed from the end so that earlier rows keep their numbers.
    for (int row = static_cast<int>(m_items.size()) - 1; row >= 0; --row) {
        if (wanted.contains(m_items[row].photo.path)) continue;
        int first = row;
        while (first > 0 && !wanted.contains(m_items[first - 1].photo.path)) --first;
        beginRemoveRows({}, first, row);
        m_items.remove(first, row - first + 1);
        endRemoveRows();
        labelsMoved = true;
        row = first;
    }
    reindexRows();
    for (int row = 0; row < static_cast<int>(m_items.size()); ++row) {
        PhotoEntry& listed = m_items[row].photo;
        const PhotoEntry& now = *wanted.value(listed.path);
        if (listed.label == now.label && listed.caption == now.caption) continue;
        labelsMoved = labelsMoved || listed.label != now.label;
        listed.label = now.label;
        listed.caption = now.caption;
        Q_EMIT dataChanged(index(row), index(row), {LabelRole, CaptionRole, Qt::ToolTipRole});
    }
    // addPhotos skips the ones listed and announces the new labels itself.
    if (addPhotos(photos) == 0 && labelsMoved) Q_EMIT labelsChanged();
}

void PhotoListModel::reindexRows()
{
    m_rowOfPath.clear();
    for (int row = 0; row < static_cast<int>(m_items.size()); ++row) m_rowOfPath.insert(m_items[row].photo.path, row);
}

void PhotoListModel::setExcluded(const QHash<QString, QString>& reasons)
{
    if (reasons == m_excluded) return;
    m_excluded = reasons;
    if (!m_items.isEmpty())
        Q_EMIT dataChanged(index(0), index(static_cast<int>(m_items.size()) - 1),
                           {Qt::DisplayRole, Qt::ForegroundRole, Qt::ToolTipRole, ExcludedRole});
}

QList<LabelCount> PhotoListModel::labelCounts() const
{
    QMap<QString, int> counts;
    for (const Item& item : std::as_const(m_items)) ++counts[item.photo.label];
    QList<LabelCount> result;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) result.append({it.key(), it.value()});
    return result;
}

void PhotoListModel::storeThumbnail(const QString& path, const QImage& image, const QString& error)
{
    const auto found = m_rowOfPath.constFind(path);
    if (found == m_rowOfPath.cend()) return; // the photo left the project while it was decoding
    Item& item = m_items[*found];
    item.thumbnail = image.isNull() ? QPixmap() : centredOnSquare(image, m_edge);
    item.thumbnailError = image.isNull() ? (error.isEmpty() ? tr("unknown image format") : error) : QString();
    item.ready = true;
    const QModelIndex changed = index(*found);
    Q_EMIT dataChanged(changed, changed, {Qt::DecorationRole, Qt::ToolTipRole, ThumbnailReadyRole});
}

} // namespace phototune::ui

#pragma once
// The photos of the project: path, label, caption and a thumbnail that is decoded in the
// background the first time a view asks for it (until then a placeholder is shown). Decorations
// are edge x edge squares with the photo centred.

#include "ui/models/photo_folder_scan.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QPixmap>

namespace phototune::ui {

class ThumbnailLoader;

struct LabelCount {
    QString label;
    int count = 0;
};

class PhotoListModel final : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        PathRole = Qt::UserRole + 1,
        LabelRole,
        CaptionRole,
        ThumbnailReadyRole, // true once the thumbnail was decoded (or failed to decode)
        ExcludedRole,       // left out of training (by the person, or as a copy of another photo)
    };

    // edge: the longer side of a thumbnail, in pixels.
    explicit PhotoListModel(int edge = 128, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Adds photos whose path is not listed yet; returns how many were new.
    int addPhotos(const QList<PhotoEntry>& photos);
    // The listed photos become exactly `photos` (the project's): others leave, new ones are added at
    // the end, labels and captions are updated. Photos already listed keep their row and thumbnail.
    void setPhotos(const QList<PhotoEntry>& photos);

    // Marks the photos left out of training (path -> why); every other photo is included.
    void setExcluded(const QHash<QString, QString>& reasons);

    // Sorted by label.
    QList<LabelCount> labelCounts() const;
    int thumbnailEdge() const { return m_edge; }

Q_SIGNALS:
    void labelsChanged();

private:
    struct Item {
        PhotoEntry photo;
        QPixmap thumbnail;      // null until decoded; the photo centred on an edge x edge square
        QString thumbnailError; // set when decoding failed
        bool ready = false;
        bool requested = false;
    };

    void reindexRows();
    void storeThumbnail(const QString& path, const QImage& image, const QString& error);
    QVariant decoration(Item& item) const;

    int m_edge;
    // Mutable: data() (const) starts a thumbnail decode the first time a view shows a row.
    mutable QList<Item> m_items;
    QHash<QString, int> m_rowOfPath;
    QHash<QString, QString> m_excluded; // path -> why
    ThumbnailLoader* m_loader;
    QPixmap m_placeholder;
    QPixmap m_brokenPlaceholder;
};

} // namespace phototune::ui

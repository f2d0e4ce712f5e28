#pragma once
// Decodes photo thumbnails on a private thread pool, never on the GUI thread.

#include <QHash>
#include <QImage>
#include <QObject>
#include <QString>
#include <QThreadPool>

template <typename T>
class QFutureWatcher;

namespace phototune::ui {

struct Thumbnail {
    QImage image;  // null when the photo could not be decoded
    QString error; // why, for the tooltip
};

// Reads the file at a reduced size (QImageReader::setScaledSize: JPEGs decode at 1/2, 1/4, 1/8
// scale, so a 12-megapixel photo never lands in memory whole); the longer side becomes edge px.
Thumbnail decodeThumbnail(const QString& path, int edge);

class ThumbnailLoader final : public QObject {
    Q_OBJECT
public:
    explicit ThumbnailLoader(int edge, QObject* parent = nullptr);
    // Drops queued requests and waits for those already decoding.
    ~ThumbnailLoader() override;

    int edge() const { return m_edge; }
    // Queues path unless it is already queued; thumbnailDecoded follows on this object's thread.
    void request(const QString& path);

Q_SIGNALS:
    void thumbnailDecoded(const QString& path, const QImage& image, const QString& error);

private:
    int m_edge;
    QThreadPool m_pool;
    QHash<QString, QFutureWatcher<Thumbnail>*> m_pending;
};

} // namespace phototune::ui

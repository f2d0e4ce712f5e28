#include "ui/models/thumbnail_loader.h"

#include <QFutureWatcher>
#include <QImageReader>
#include <QtConcurrent/QtConcurrentRun>

namespace phototune::ui {

Thumbnail decodeThumbnail(const QString& path, int edge)
{
    QImageReader reader(path);
    reader.setAutoTransform(true); // EXIF orientation: portrait phone photos stand upright
    const QSize full = reader.size();
    if (full.isValid() && (full.width() > edge || full.height() > edge))
        reader.setScaledSize(full.scaled(edge, edge, Qt::KeepAspectRatio));
    Thumbnail thumbnail;
    thumbnail.image = reader.read();
    if (thumbnail.image.isNull()) {
        thumbnail.error = reader.errorString();
    } else if (thumbnail.image.width() > edge || thumbnail.image.height() > edge) {
        // Formats that ignore setScaledSize, or an unknown size up front.
        thumbnail.image = thumbnail.image.scaled(edge, edge, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    }
    return thumbnail;
}

ThumbnailLoader::ThumbnailLoader(int edge, QObject* parent)
    : QObject(parent)
    , m_edge(edge)
{
    // Leave a core to the GUI thread on small machines.
    m_pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount() - 1));
}

ThumbnailLoader::~ThumbnailLoader()
{
    for (QFutureWatcher<Thumbnail>* watcher : std::as_const(m_pending)) watcher->cancel();
    m_pool.waitForDone();
}

void ThumbnailLoader::request(const QString& path)
{
    if (m_pending.contains(path)) return;
    auto* watcher = new QFutureWatcher<Thumbnail>(this);
    m_pending.insert(path, watcher);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path] {
        m_pending.remove(path);
        watcher->deleteLater();
        const Thumbnail thumbnail = watcher->result();
        Q_EMIT thumbnailDecoded(path, thumbnail.image, thumbnail.error);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, decodeThumbnail, path, m_edge));
}

} // namespace phototune::ui

#include "ui/models/photo_folder_scan.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace phototune::ui {
namespace {

// The still-image formats a CLIP dataset is made of; Qt decodes all of them (webp/tiff via plugins).
bool isPhotoSuffix(const QString& suffix)
{
    static const QSet<QString> kSuffixes = {QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("png"),
                                            QStringLiteral("webp"), QStringLiteral("bmp"), QStringLiteral("tif"),
                                            QStringLiteral("tiff")};
    return kSuffixes.contains(suffix.toLower());
}

QString readCaption(const QFileInfo& photo)
{
    QFile sidecar(photo.dir().filePath(photo.completeBaseName() + QStringLiteral(".txt")));
    if (!sidecar.open(QIODevice::ReadOnly | QIODevice::Text)) return {};
    // A caption is one line; a hostile multi-gigabyte sidecar must not be read whole.
    constexpr qint64 kMaxCaptionBytes = 4096;
    return QString::fromUtf8(sidecar.readLine(kMaxCaptionBytes)).trimmed();
}

} // namespace

QList<PhotoEntry> scanPhotoFolder(const QString& root)
{
    const QDir rootDir(root);
    const QString rootName = QFileInfo(rootDir.absolutePath()).fileName();
    QList<PhotoEntry> photos;
    QDirIterator it(rootDir.absolutePath(), QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info(it.next());
        if (!isPhotoSuffix(info.suffix())) continue;
        const QString folder = rootDir.relativeFilePath(info.absolutePath());
        photos.append({info.absoluteFilePath(), folder == QStringLiteral(".") ? rootName : folder, readCaption(info)});
    }
    std::sort(photos.begin(), photos.end(), [](const PhotoEntry& a, const PhotoEntry& b) { return a.path < b.path; });
    return photos;
}

} // namespace phototune::ui

// Listing a folder of photos (labels, captions, what is skipped) and the model's thumbnails,
// including a photo that does not decode.
#include "ui/models/photo_folder_scan.h"
#include "ui/models/photo_list_model.h"
#include "ui/models/thumbnail_loader.h"

#include <QAbstractItemModelTester>
#include <QImage>
#include <QPixmap>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace phototune::ui;

class TestPhotoListModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void scan_labels_captions_and_skips();
    void empty_and_missing_folders_list_nothing();
    void thumbnails_keep_aspect_and_report_broken_files();
    void add_skips_known_paths();

private:
    void writeFile(const QString& relative, const QByteArray& bytes);
    void writePhoto(const QString& relative, QSize size);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestPhotoListModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestPhotoListModel::writeFile(const QString& relative, const QByteArray& bytes)
{
    const QString path = m_dir->filePath(relative);
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

void TestPhotoListModel::writePhoto(const QString& relative, QSize size)
{
    QVERIFY(QDir().mkpath(QFileInfo(m_dir->filePath(relative)).absolutePath()));
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::darkGreen);
    QVERIFY(image.save(m_dir->filePath(relative)));
}

void TestPhotoListModel::scan_labels_captions_and_skips()
{
    writePhoto(QStringLiteral("cats/tabby.png"), {10, 10});
    writeFile(QStringLiteral("cats/tabby.txt"), "a tabby cat on a sofa\nsecond line is not the caption\n");
    writePhoto(QStringLiteral("cats/kittens/small.JPG"), {10, 10}); // upper-case suffix counts
    writePhoto(QStringLiteral("loose.png"), {10, 10});               // directly in the folder
    writeFile(QStringLiteral("cats/readme.md"), "not a photo");
    writeFile(QStringLiteral("dogs/notes.txt"), "a caption without a photo");
    writePhoto(QStringLiteral("dogs/.hidden.png"), {10, 10});

    const QList<PhotoEntry> photos = scanPhotoFolder(m_dir->path());
    QCOMPARE(photos.size(), 3);
    const QString rootName = QDir(m_dir->path()).dirName();
    QCOMPARE(photos[0].path, QDir(m_dir->path()).absoluteFilePath(QStringLiteral("cats/kittens/small.JPG")));
    QCOMPARE(photos[0].label, QStringLiteral("cats/kittens"));
    QCOMPARE(photos[0].caption, QString());
    QCOMPARE(photos[1].label, QStringLiteral("cats"));
    QCOMPARE(photos[1].caption, QStringLiteral("a tabby cat on a sofa"));
    QCOMPARE(photos[2].label, rootName);
}

void TestPhotoListModel::empty_and_missing_folders_list_nothing()
{
    QVERIFY(scanPhotoFolder(m_dir->path()).isEmpty());
    QVERIFY(scanPhotoFolder(m_dir->filePath(QStringLiteral("no-such-folder"))).isEmpty());
}

void TestPhotoListModel::thumbnails_keep_aspect_and_report_broken_files()
{
    writePhoto(QStringLiteral("wide.png"), {400, 100});
    writePhoto(QStringLiteral("tiny.png"), {20, 30}); // never enlarged
    writeFile(QStringLiteral("broken.jpg"), QByteArray("\xff\xd8\xff\xe0 truncated", 15));

    PhotoListModel model(64);
    QAbstractItemModelTester tester(&model);
    QCOMPARE(model.addPhotos(scanPhotoFolder(m_dir->path())), 3);
    for (int row = 0; row < model.rowCount(); ++row) model.index(row).data(Qt::DecorationRole); // request all
    const auto allReady = [&model] {
        for (int row = 0; row < model.rowCount(); ++row)
            if (!model.index(row).data(PhotoListModel::ThumbnailReadyRole).toBool()) return false;
        return true;
    };
    QTRY_VERIFY(allReady());

    // Sorted by path: broken.jpg, tiny.png, wide.png.
    QVERIFY(model.index(0).data(Qt::ToolTipRole).toString().startsWith(QStringLiteral("Cannot read this photo")));
    QVERIFY(!model.index(0).data(Qt::DecorationRole).value<QPixmap>().isNull()); // a marked placeholder
    // Decorations are 64 x 64 squares with the photo centred: a wide photo leaves the corners clear.
    const QImage wide = model.index(2).data(Qt::DecorationRole).value<QPixmap>().toImage();
    QCOMPARE(wide.size(), QSize(64, 64));
    QCOMPARE(qAlpha(wide.pixel(0, 0)), 0);
    QCOMPARE(QColor(wide.pixel(32, 32)), QColor(Qt::darkGreen));
    QCOMPARE(model.index(2).data(Qt::ToolTipRole).toString(), QStringLiteral("No caption yet"));

    // The decoded thumbnail keeps the aspect ratio and never enlarges a small photo.
    QCOMPARE(decodeThumbnail(m_dir->filePath(QStringLiteral("wide.png")), 64).image.size(), QSize(64, 16));
    QCOMPARE(decodeThumbnail(m_dir->filePath(QStringLiteral("tiny.png")), 64).image.size(), QSize(20, 30));

    QVERIFY(decodeThumbnail(m_dir->filePath(QStringLiteral("missing.png")), 64).image.isNull());
    QVERIFY(!decodeThumbnail(m_dir->filePath(QStringLiteral("missing.png")), 64).error.isEmpty());
}

void TestPhotoListModel::add_skips_known_paths()
{
    PhotoListModel model;
    QAbstractItemModelTester tester(&model);
    QSignalSpy labelsChanged(&model, &PhotoListModel::labelsChanged);
    const PhotoEntry a{QStringLiteral("/p/a.jpg"), QStringLiteral("x"), {}};
    const PhotoEntry b{QStringLiteral("/p/b.jpg"), QStringLiteral("y"), {}};
    QCOMPARE(model.addPhotos({a, b, a}), 2);
    QCOMPARE(model.addPhotos({b}), 0);
    QCOMPARE(model.rowCount(), 2);
    const QList<LabelCount> counts = model.labelCounts();
    QCOMPARE(counts.size(), 2);
    QCOMPARE(counts[0].label, QStringLiteral("x"));
    QCOMPARE(counts[1].count, 1);
    QCOMPARE(labelsChanged.count(), 1); // only the call that added photos
}

QTEST_MAIN(TestPhotoListModel)
#include "test_photo_list_model.moc"

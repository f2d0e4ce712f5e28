// Scrolling the Photos step's grid through thousands of photos: how long each frame takes on the GUI
// thread (listing, layout and painting; thumbnails decode on the thread pool) and how soon the
// visible thumbnails arrive. Prints figures, asserts nothing (docs/benchmarks.md).
//
//   bench_thumbnail_scroll [--photos N] [--frames F] [SOURCE_FOLDER]
//
// SOURCE_FOLDER (default: the demo photos) is copied round-robin into a temporary folder until it
// holds N photos (default 5000), in label sub-folders like a real dataset.
#include "core/api/resources.h"
#include "ui/models/photo_list_model.h"
#include "ui/pages/photos_page.h"
#include "ui/support/qt_convert.h"

#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QListView>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QThreadPool>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

QStringList photosUnder(const QString& folder)
{
    QStringList photos;
    QDirIterator it(folder, {QStringLiteral("*.jpg"), QStringLiteral("*.jpeg"), QStringLiteral("*.png")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) photos.append(it.next());
    photos.sort();
    return photos;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

// Share of the rows the grid shows now whose thumbnail has arrived.
double visibleReady(QListView& grid)
{
    const QRect area = grid.viewport()->rect();
    int shown = 0, ready = 0;
    for (int row = 0; row < grid.model()->rowCount(); ++row) {
        const QModelIndex index = grid.model()->index(row, 0);
        if (!grid.visualRect(index).intersects(area)) continue;
        ++shown;
        ready += index.data(phototune::ui::PhotoListModel::ThumbnailReadyRole).toBool() ? 1 : 0;
    }
    return shown == 0 ? 1.0 : static_cast<double>(ready) / shown;
}

} // namespace

int main(int argc, char* argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int photoCount = 5000;
    int frames = 600;
    QString source = phototune::ui::toQString(phototune::demo_photos_dir());
    const QStringList args = QApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QStringLiteral("--photos") && i + 1 < args.size()) photoCount = args[++i].toInt();
        else if (args[i] == QStringLiteral("--frames") && i + 1 < args.size()) frames = args[++i].toInt();
        else source = args[i];
    }
    const QStringList originals = photosUnder(source);
    if (originals.isEmpty()) {
        std::fprintf(stderr, "no photos under '%s': give a folder of JPEG or PNG photos\n", qPrintable(source));
        return 2;
    }

    QTemporaryDir copies;
    for (int i = 0; i < photoCount; ++i) {
        const QString original = originals[i % originals.size()];
        const QString label = QStringLiteral("label%1").arg(i % 20);
        QDir().mkpath(copies.filePath(label));
        QFile::copy(original, copies.filePath(QStringLiteral("%1/%2-%3").arg(label).arg(i).arg(QFileInfo(original).fileName())));
    }

    phototune::ui::PhotosPage page;
    page.resize(1280, 800);
    page.show();
    auto* grid = page.findChild<QListView*>(QStringLiteral("photoGrid"));
    bool listed = false;
    QObject::connect(&page, &phototune::ui::PhotosPage::folderAdded, &page, [&listed] { listed = true; });
    QElapsedTimer clock;
    clock.start();
    page.addFolder(copies.path());
    while (!listed) QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    const double listingMs = static_cast<double>(clock.elapsed());
    QApplication::processEvents();

    // A steady flick: one screen every 10 frames, top to bottom and back, each frame painted at once.
    QScrollBar* bar = grid->verticalScrollBar();
    const int step = std::max(1, grid->viewport()->height() / 10);
    std::vector<double> frameMs;
    std::vector<double> readyShare;
    int direction = 1;
    for (int frame = 0; frame < frames; ++frame) {
        clock.restart();
        int next = bar->value() + direction * step;
        if (next > bar->maximum() || next < 0) {
            direction = -direction;
            next = std::clamp(next, 0, bar->maximum());
        }
        bar->setValue(next);
        QApplication::processEvents();
        grid->viewport()->repaint();
        frameMs.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
        readyShare.push_back(visibleReady(*grid));
    }
    // Where the flick stopped: how long until every thumbnail on screen has arrived.
    clock.restart();
    while (visibleReady(*grid) < 1.0 && clock.elapsed() < 60000) QApplication::processEvents(QEventLoop::AllEvents, 5);
    const double settleMs = static_cast<double>(clock.elapsed());

    double meanReady = 0.0;
    for (double share : readyShare) meanReady += share / static_cast<double>(readyShare.size());
    const auto slow = std::count_if(frameMs.begin(), frameMs.end(), [](double ms) { return ms > 1000.0 / 60.0; });
    std::printf("photos %d (copies of %lld under %s), %d threads in the pool\n", page.model()->rowCount(),
                static_cast<long long>(originals.size()), qPrintable(QDir::toNativeSeparators(source)),
                QThreadPool::globalInstance()->maxThreadCount());
    std::printf("listing %.0f ms\n", listingMs);
    std::printf("frames %zu: median %.2f ms, p95 %.2f ms, max %.2f ms, %lld over 16.7 ms\n", frameMs.size(),
                percentile(frameMs, 0.5), percentile(frameMs, 0.95), percentile(frameMs, 1.0), static_cast<long long>(slow));
    std::printf("thumbnails on screen while scrolling: %.0f %% arrived on average\n", 100.0 * meanReady);
    std::printf("after the scroll stops: every thumbnail on screen in %.0f ms\n", settleMs);
    return 0;
}

#pragma once
// Listing the photos of a folder for the Photos page. Kept to this one function so that the core's
// dataset scanner (which also reports broken files and why) can replace it through the facade.

#include <QList>
#include <QString>

namespace phototune::ui {

struct PhotoEntry {
    QString path;     // absolute file path
    QString label;    // sub-folder relative to the scanned folder ("animals", "animals/cats")
    QString caption;  // first line of the sidecar <name>.txt, empty when there is none
};

// Every photo under root (recursively, symlinks not followed, hidden files skipped), sorted by path.
// A photo's label is its folder relative to root; photos directly in root take root's own name.
// Runs on any thread; reads only the folder listing and the sidecar captions, never the images.
QList<PhotoEntry> scanPhotoFolder(const QString& root);

} // namespace phototune::ui

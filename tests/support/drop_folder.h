#pragma once
// A drag of a folder from a file manager, entered and dropped on the middle of a widget, as the
// window tests synthesise it. Both events must be accepted (checked with QVERIFY).

#include <QApplication>
#include <QDropEvent>
#include <QMimeData>
#include <QUrl>
#include <QWidget>
#include <QtTest>

namespace phototune::test {

inline void dropFolder(QWidget& target, const QString& folder)
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(folder)});
    const QPoint centre = target.rect().center();
    QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    enter.setAccepted(false);
    QApplication::sendEvent(&target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(centre), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    drop.setAccepted(false);
    QApplication::sendEvent(&target, &drop);
    QVERIFY(drop.isAccepted());
}

} // namespace phototune::test

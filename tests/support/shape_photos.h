#pragma once
// Generated photos that a tiny model can learn within a few dozen steps: four labels (red / blue
// circle / square), each a sub-folder of PNGs with the shape at random sizes and places.

#include <QColor>
#include <QDir>
#include <QImage>
#include <QPainter>
#include <QString>
#include <QtTest>

#include <random>

namespace phototune::test {

// Four labels (a colour and a shape each), `perLabel` photos of each at random sizes and places.
inline void writeShapes(const QString& root, int perLabel)
{
    struct Kind {
        const char* label;
        QColor colour;
        bool round;
    };
    const Kind kinds[] = {{"red circle", QColor(220, 40, 40), true},
                          {"blue circle", QColor(30, 80, 210), true},
                          {"red square", QColor(220, 40, 40), false},
                          {"blue square", QColor(30, 80, 210), false}};
    std::mt19937 rng(5);
    for (const Kind& kind : kinds) {
        const QString folder = root + QLatin1Char('/') + QLatin1String(kind.label);
        QVERIFY(QDir().mkpath(folder));
        for (int i = 0; i < perLabel; ++i) {
            QImage image(96, 96, QImage::Format_RGB32);
            image.fill(QColor::fromHsv(0, 0, 200 + static_cast<int>(rng() % 50)));
            QPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setPen(Qt::NoPen);
            painter.setBrush(kind.colour);
            const int r = 16 + static_cast<int>(rng() % 14);
            const QRect shape(4 + static_cast<int>(rng() % (88 - 2 * r)), 4 + static_cast<int>(rng() % (88 - 2 * r)), 2 * r, 2 * r);
            if (kind.round)
                painter.drawEllipse(shape);
            else
                painter.drawRect(shape);
            painter.end();
            QVERIFY(image.save(folder + QStringLiteral("/%1.png").arg(i)));
        }
    }
}

} // namespace phototune::test

#include "app_icon.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace telar::desktop {

namespace {

// A loom ("telar") motif: a rounded tile with three warp threads and three weft threads woven
// over and under each other. Coordinates are on a 64×64 grid, as in telar.svg.
QPixmap drawIcon(int size) {
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 64.0, size / 64.0);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0x1f, 0x4e, 0x5f));
    p.drawRoundedRect(QRectF(2, 2, 60, 60), 12, 12);
    const QColor warp(0xf2, 0xb1, 0x34);
    const QColor weft(0xe8, 0xee, 0xf1);
    const double pos[3] = {18, 32, 46};
    for (double x : pos) {
        p.setBrush(warp);
        p.drawRoundedRect(QRectF(x - 4, 10, 8, 44), 3, 3);
    }
    for (int row = 0; row < 3; ++row) {
        const double y = pos[row];
        p.setBrush(weft);
        p.drawRoundedRect(QRectF(10, y - 4, 44, 8), 3, 3);
        // Where the warp passes over the weft, draw the warp again on top.
        for (int col = 0; col < 3; ++col) {
            if ((row + col) % 2 == 0) continue;
            p.setBrush(warp);
            p.drawRect(QRectF(pos[col] - 4, y - 5, 8, 10));
        }
    }
    return pm;
}

} // namespace

QIcon appIcon() {
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256}) icon.addPixmap(drawIcon(size));
    return icon;
}

} // namespace telar::desktop

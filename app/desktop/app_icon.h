#pragma once
// The application icon, drawn with QPainter (the same woven design as resources/icons/telar.svg;
// Qt's SVG module is not a dependency).

#include <QIcon>

namespace telar::desktop {

QIcon appIcon();

} // namespace telar::desktop

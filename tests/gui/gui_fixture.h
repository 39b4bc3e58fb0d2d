#pragma once
// Shared by the GUI tests: a QApplication on the offscreen platform, the example commons built
// by the real telar-example-gen, and pixel statistics of screenshots.

#include "test_support.h"

#include <QImage>
#include <QRect>

#include <filesystem>
#include <memory>

namespace telar::test {

// A QApplication for widget tests, created once (offscreen unless QT_QPA_PLATFORM is set).
void ensureGuiApplication();

// A fresh copy of the Open Press commons (telar-example-gen OUT); open-press() is its repository.
class ExampleCommons {
public:
    ExampleCommons();
    std::filesystem::path openPress() const { return m_dir.path() / "open-press"; }

private:
    TempDir m_dir{"telar-gui"};
};

// Standard deviation of the luminance (0–255) of image's pixels within rect (whole image if empty).
double luminanceStdDev(const QImage& image, const QRect& rect = {});
// How many pixels in rect differ from colour by more than tolerance in some channel.
long pixelsDifferentFrom(const QImage& image, const QRect& rect, QColor colour, int tolerance);

} // namespace telar::test

#include "gui_fixture.h"

#include <QApplication>
#include <QColor>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>

namespace telar::test {

void ensureGuiApplication() {
    if (QApplication::instance()) return;
    if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
    // The per-user store (geometry cache, history index) of windows under test: never the
    // tester's own. Tests that need a fresh one set their own.
    static TempDir home("telar-gui-home");
    if (!std::getenv("TELAR_HOME")) setenv("TELAR_HOME", home.path().c_str(), 1);
    static int argc = 1;
    static char name[] = "telar_gui_tests";
    static char* argv[] = {name, nullptr};
    // Never destroyed: Qt's globals outlive the test runner's static objects.
    new QApplication(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("TelarTests"));
    QApplication::setApplicationName(QStringLiteral("telar_gui_tests"));
}

ExampleCommons::ExampleCommons() {
    auto result = run({(binaryDir() / "telar-example-gen").string(), m_dir.path().string()});
    INFO(result.err);
    REQUIRE(result.exitCode == 0);
    REQUIRE(std::filesystem::exists(openPress() / "telar.toml"));
}

double luminanceStdDev(const QImage& image, const QRect& rect) {
    const QRect r = rect.isEmpty() ? image.rect() : rect.intersected(image.rect());
    double sum = 0;
    double sumSq = 0;
    long n = 0;
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) {
            const QRgb p = image.pixel(x, y);
            const double l = 0.299 * qRed(p) + 0.587 * qGreen(p) + 0.114 * qBlue(p);
            sum += l;
            sumSq += l * l;
            ++n;
        }
    if (n == 0) return 0;
    const double mean = sum / double(n);
    return std::sqrt(std::max(0.0, sumSq / double(n) - mean * mean));
}

long pixelsDifferentFrom(const QImage& image, const QRect& rect, QColor colour, int tolerance) {
    const QRect r = rect.intersected(image.rect());
    long n = 0;
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) {
            const QRgb p = image.pixel(x, y);
            if (std::abs(qRed(p) - colour.red()) > tolerance || std::abs(qGreen(p) - colour.green()) > tolerance ||
                std::abs(qBlue(p) - colour.blue()) > tolerance)
                ++n;
        }
    return n;
}

} // namespace telar::test

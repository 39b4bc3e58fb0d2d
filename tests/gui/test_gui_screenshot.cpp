// The real telar-desktop binary rendering itself to PNG: offscreen for the tree and parts
// views, under xvfb-run (Mesa llvmpipe) for the 3D view.
#include "gui_fixture.h"

#include <QColor>
#include <QImage>
#include <QRegularExpression>

#include <catch2/catch.hpp>

#include <cstdlib>

using telar::test::ExampleCommons;
namespace fs = std::filesystem;

namespace {

std::string desktopBinary() { return (telar::test::binaryDir() / "telar-desktop").string(); }

std::optional<std::string> xvfbRun() {
    for (const char* dir : {"/usr/bin", "/usr/local/bin", "/bin"}) {
        fs::path p = fs::path(dir) / "xvfb-run";
        if (fs::exists(p)) return p.string();
    }
    return std::nullopt;
}

// The background of MeshView::backgroundColour().
const QColor kViewBackground(236, 239, 243);

QRect parseViewRect(const std::string& out) {
    static const QRegularExpression re(QStringLiteral("3d view at (\\d+),(\\d+) (\\d+)x(\\d+)"));
    auto m = re.match(QString::fromStdString(out));
    if (!m.hasMatch()) return {};
    return QRect(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt(), m.captured(4).toInt());
}

} // namespace

TEST_CASE("telar-desktop --screenshot renders the tree, parts and BOM views offscreen", "[gui]") {
    ExampleCommons commons;
    telar::test::TempDir out;
    for (const char* view : {"tree", "parts", "bom"}) {
        INFO("view " << view);
        const fs::path png = out / (std::string(view) + ".png");
        auto r = telar::test::run({desktopBinary(), "--repo", commons.openPress().string(), "--view", view,
                                   "--size", "1000x640", "--screenshot", png.string()},
                                  {}, {"QT_QPA_PLATFORM=offscreen", "TELAR_HOME=" + (out / "home").string()});
        INFO(r.out << r.err);
        REQUIRE(r.exitCode == 0);
        REQUIRE(fs::exists(png));
        QImage image(QString::fromStdString(png.string()));
        REQUIRE_FALSE(image.isNull());
        CHECK(image.width() == 1000);
        CHECK(image.height() == 640);
        CHECK(r.out.find("wrote " + png.string() + " (1000x640)") != std::string::npos);
        // Text, tables and chrome: far from a flat image.
        CHECK(telar::test::luminanceStdDev(image) > 15.0);
    }
}

TEST_CASE("telar-desktop --screenshot without a repository renders the start page", "[gui]") {
    telar::test::TempDir out;
    const fs::path png = out / "start.png";
    auto r = telar::test::run({desktopBinary(), "--size", "800x600", "--screenshot", png.string()}, {},
                              {"QT_QPA_PLATFORM=offscreen", "XDG_CONFIG_HOME=" + (out / "config").string()});
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0);
    QImage image(QString::fromStdString(png.string()));
    REQUIRE(image.size() == QSize(800, 600));
    CHECK(telar::test::luminanceStdDev(image) > 5.0);
}

TEST_CASE("telar-desktop --screenshot fails with the core's message when the repository cannot be read",
          "[gui]") {
    telar::test::TempDir empty;
    const fs::path png = empty / "x.png";
    auto r = telar::test::run({desktopBinary(), "--repo", empty.path().string(), "--screenshot", png.string()}, {},
                              {"QT_QPA_PLATFORM=offscreen"});
    CHECK(r.exitCode == 1);
    CHECK(r.err.find("not a git repository") != std::string::npos);
    CHECK_FALSE(fs::exists(png));

    auto bad = telar::test::run({desktopBinary(), "--view", "sideways"}, {}, {"QT_QPA_PLATFORM=offscreen"});
    CHECK(bad.exitCode == 2);
    CHECK(bad.err == "telar-desktop: --view must be tree, parts, bom, licences, 3d, history or diff, not 'sideways'\n");
}

TEST_CASE("telar-desktop --screenshot --view 3d draws the geometry with its CAD colours under Xvfb", "[gui]") {
    auto xvfb = xvfbRun();
    if (!xvfb) {
        WARN("SKIPPED: xvfb-run is not installed (apt-get install xvfb xauth)");
        return;
    }
    ExampleCommons commons;
    telar::test::TempDir out;
    const fs::path png = out / "3d.png";
    auto r = telar::test::run({*xvfb, "-a", "-s", "-screen 0 1600x1200x24", desktopBinary(), "--repo",
                               commons.openPress().string(), "--module", "controller", "--part",
                               "cad/enclosure.step", "--view", "3d", "--size", "1100x700", "--screenshot",
                               png.string()},
                              {}, {"QT_QPA_PLATFORM=xcb", "LIBGL_ALWAYS_SOFTWARE=1"});
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0);
    QImage image(QString::fromStdString(png.string()));
    REQUIRE(image.size() == QSize(1100, 700));
    const QRect view = parseViewRect(r.out);
    REQUIRE(view.width() > 200);
    REQUIRE(view.height() > 150);
    REQUIRE(image.rect().contains(view));

    // The corners of the view are background; a good part of it is geometry.
    CHECK(telar::test::pixelsDifferentFrom(image, QRect(view.topLeft() + QPoint(2, 2), QSize(4, 4)),
                                           kViewBackground, 3) == 0);
    const long area = long(view.width()) * view.height();
    const long drawn = telar::test::pixelsDifferentFrom(image, view, kViewBackground, 12);
    INFO("drawn " << drawn << " of " << area);
    CHECK(drawn > area / 10);
    // The enclosure base is green in the STEP file (0.20, 0.45, 0.30): its colour reaches the screen.
    long green = 0;
    for (int y = view.top(); y <= view.bottom(); ++y)
        for (int x = view.left(); x <= view.right(); ++x) {
            const QRgb p = image.pixel(x, y);
            if (qGreen(p) > qRed(p) + 25 && qGreen(p) > qBlue(p) + 10) ++green;
        }
    INFO("green " << green);
    CHECK(green > area / 50);
}

// Picking in the 3D view: the ray through a viewport point, ray/triangle intersection and which
// instance a point shows (exact values on hand-made meshes and cameras); the mapping of assembly
// instances to the core's BOM lines; the selection sync of the main window (offscreen, without
// OpenGL: the same pick functions a click uses); and, under xvfb-run, a real click in the drawn
// view whose highlight colour reaches the screen where the CPU ray cast says the instance is.
#include "gui_fixture.h"

#include "bom_panel.h"
#include "bom_table_model.h"
#include "bom_tree_model.h"
#include "design_jobs.h"
#include "main_window.h"
#include "mesh_view.h"
#include "module_tree_model.h"
#include "orbit_camera.h"
#include "part_table_model.h"
#include "picking.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeView>
#include <QtMath>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>

using namespace telar::desktop;
using telar::test::ExampleCommons;
namespace fs = std::filesystem;

namespace {

// A flat axis-aligned square [x0, x1] × [y0, y1] at height z, as two triangles, appended to mesh
// as one instance (group) named name.
void addSquare(telar::cad::Mesh& mesh, const std::string& name, int part, float x0, float y0, float x1,
               float y1, float z) {
    const auto base = static_cast<std::uint32_t>(mesh.vertexCount());
    for (auto [x, y] : {std::pair{x0, y0}, std::pair{x1, y0}, std::pair{x1, y1}, std::pair{x0, y1}}) {
        mesh.positions.insert(mesh.positions.end(), {x, y, z});
        mesh.normals.insert(mesh.normals.end(), {0.0f, 0.0f, 1.0f});
    }
    telar::cad::MeshGroup group;
    group.name = name;
    group.part = part;
    group.firstIndex = static_cast<std::uint32_t>(mesh.indices.size());
    mesh.indices.insert(mesh.indices.end(), {base, base + 1, base + 2, base, base + 2, base + 3});
    group.indexCount = 6;
    mesh.groups.push_back(group);
}

// Three instances: a 2 × 2 square at the origin (z = 0), a 1 × 1 square above it (z = 5) and a
// 2 × 2 square around x = 10 (z = 0).
std::shared_ptr<telar::cad::Mesh> threeSquares() {
    auto mesh = std::make_shared<telar::cad::Mesh>();
    addSquare(*mesh, "floor", 0, -1, -1, 1, 1, 0);
    addSquare(*mesh, "roof", 1, 0, 0, 1, 1, 5);
    addSquare(*mesh, "side", 0, 9, -1, 11, 1, 0);
    return mesh;
}

// A camera looking straight down −Z at the origin from 100 mm, +Y up the screen, 30° field of view.
OrbitCamera topCamera() {
    OrbitCamera camera;
    camera.setView(QQuaternion(), QVector3D(0, 0, 0), 100.0f, 20.0f);
    return camera;
}

// Pixels per mm at z = 0 for topCamera() in a viewport 200 px tall.
double topPixelsPerMm() {
    return 100.0 / (100.0 * std::tan(qDegreesToRadians(15.0)));
}

bool openAndWait(MainWindow& window, const fs::path& path) {
    QSignalSpy loaded(&window, &MainWindow::designLoaded);
    QSignalSpy failed(&window, &MainWindow::designLoadFailed);
    window.openRepository(QString::fromStdString(path.string()));
    for (int i = 0; i < 600 && loaded.isEmpty() && failed.isEmpty(); ++i)
        loaded.wait(100);
    return !loaded.isEmpty();
}

bool waitIdle(MainWindow& window) {
    for (int i = 0; i < 1200 && window.isBusy(); ++i)
        QTest::qWait(50);
    return !window.isBusy();
}

// The n-th instance (0-based) of the unique part called partName in a file's geometry; -1 if none.
int instanceOf(const GeometrySnapshot& geometry, const std::string& partName, size_t n = 0) {
    for (size_t p = 0; p < geometry.analysis.parts.size(); ++p) {
        if (geometry.analysis.parts[p].name != partName) continue;
        const std::vector<int> instances = instancesOfPart(geometry.mesh, int(p));
        return n < instances.size() ? instances[n] : -1;
    }
    return -1;
}

QString currentTreeModule(MainWindow& window) {
    return window.treeView()->currentIndex().data(ModuleTreeModel::ModuleIdRole).toString();
}

QString currentPartFile(MainWindow& window) {
    return window.partView()->currentIndex().data(PartTableModel::FilePathRole).toString();
}

QString currentBomPart(MainWindow& window) {
    const QModelIndex i = window.bomPanel()->view()->currentIndex();
    return i.data(BomTableModel::ModuleIdRole).toString() + "/" +
           i.data(BomTableModel::PartIdRole).toString();
}

// Selects a BOM row the way a user does (the table's current row changes).
bool userSelectsBomLine(MainWindow& window, const QString& module, const QString& partId) {
    QAbstractItemModel* model = window.bomPanel()->view()->model();
    for (int r = 0; r < model->rowCount(); ++r) {
        const QModelIndex index = model->index(r, 0);
        if (index.data(BomTableModel::ModuleIdRole).toString() == module &&
            index.data(BomTableModel::PartIdRole).toString() == partId) {
            window.bomPanel()->view()->setCurrentIndex(index);
            return true;
        }
    }
    return false;
}

// The part row module/partId in the BOM's tree view (depth first), or an invalid index.
QModelIndex treeRow(MainWindow& window, const QString& module, const QString& partId,
                    const QModelIndex& parent = {}) {
    QAbstractItemModel* model = window.bomPanel()->treeView()->model();
    for (int r = 0; r < model->rowCount(parent); ++r) {
        const QModelIndex index = model->index(r, 0, parent);
        if (!index.data(BomTreeModel::IsModuleRole).toBool() &&
            index.data(BomTreeModel::ModuleIdRole).toString() == module &&
            index.data(BomTreeModel::PartIdRole).toString() == partId)
            return index;
        if (const QModelIndex found = treeRow(window, module, partId, index); found.isValid()) return found;
    }
    return {};
}

// Sets TELAR_HOME to a fresh folder (the per-user store) for the life of the object.
class ScopedHome {
public:
    ScopedHome() { setenv("TELAR_HOME", m_dir.path().c_str(), 1); }
    ~ScopedHome() { unsetenv("TELAR_HOME"); }

private:
    telar::test::TempDir m_dir{"telar-pick-home"};
};

std::optional<std::string> xvfbRun() {
    for (const char* dir : {"/usr/bin", "/usr/local/bin", "/bin"}) {
        fs::path p = fs::path(dir) / "xvfb-run";
        if (fs::exists(p)) return p.string();
    }
    return std::nullopt;
}

} // namespace

TEST_CASE("Ray and triangle intersect at the exact distance, from either side", "[gui]") {
    const QVector3D a(-1, -1, 0), b(1, -1, 0), c(0, 1, 0);
    const Ray down{QVector3D(0, 0, 10), QVector3D(0, 0, -1)};
    REQUIRE(intersectTriangle(down, a, b, c));
    CHECK(*intersectTriangle(down, a, b, c) == 10.0);
    CHECK(*intersectTriangle(down, a, c, b) == 10.0); // the back face too
    // A vertex and an edge count as inside.
    CHECK(*intersectTriangle(Ray{QVector3D(-1, -1, 4), QVector3D(0, 0, -1)}, a, b, c) == 4.0);
    CHECK(*intersectTriangle(Ray{QVector3D(0, -1, 4), QVector3D(0, 0, -1)}, a, b, c) == 4.0);
    // Misses: beside it, behind the origin, parallel to it, a degenerate triangle.
    CHECK_FALSE(intersectTriangle(Ray{QVector3D(5, 0, 10), QVector3D(0, 0, -1)}, a, b, c));
    CHECK_FALSE(intersectTriangle(Ray{QVector3D(0, 0, -10), QVector3D(0, 0, -1)}, a, b, c));
    CHECK_FALSE(intersectTriangle(Ray{QVector3D(-5, 0, 0), QVector3D(1, 0, 0)}, a, b, c));
    CHECK_FALSE(intersectTriangle(down, a, b, QVector3D(3, -1, 0)));
    // A slanted ray: from (0, 0, 10) towards (0.5, 0, 0), length √(0.25 + 100).
    const Ray slanted{QVector3D(0, 0, 10), QVector3D(0.5f, 0, -10).normalized()};
    CHECK(*intersectTriangle(slanted, a, b, c) == Approx(std::sqrt(100.25)).epsilon(1e-6));
}

TEST_CASE("The nearest instance along a ray is picked", "[gui]") {
    const auto mesh = threeSquares();
    const MeshPicker picker(mesh);
    // Straight down through the roof, which is above the floor: the roof, 95 mm away.
    auto hit = picker.pick(Ray{QVector3D(0.5f, 0.5f, 100), QVector3D(0, 0, -1)});
    REQUIRE(hit);
    CHECK(hit->instance == 1);
    CHECK(hit->distance == 95.0);
    CHECK(hit->point == QVector3D(0.5f, 0.5f, 5));
    // Straight up from below: the floor is nearer.
    hit = picker.pick(Ray{QVector3D(0.5f, 0.5f, -100), QVector3D(0, 0, 1)});
    REQUIRE(hit);
    CHECK(hit->instance == 0);
    CHECK(hit->distance == 100.0);
    // The floor where the roof does not cover it, the side square, and nothing.
    CHECK(picker.pick(Ray{QVector3D(-0.5f, -0.5f, 100), QVector3D(0, 0, -1)})->instance == 0);
    CHECK(picker.pick(Ray{QVector3D(10.5f, 0, 100), QVector3D(0, 0, -1)})->instance == 2);
    CHECK(picker.pick(Ray{QVector3D(10.5f, 0, 100), QVector3D(0, 0, -1)})->triangle == 4);
    CHECK_FALSE(picker.pick(Ray{QVector3D(5, 0, 100), QVector3D(0, 0, -1)}));
    CHECK_FALSE(MeshPicker().pick(Ray{QVector3D(0, 0, 100), QVector3D(0, 0, -1)}));
    CHECK(instancesOfPart(*mesh, 0) == std::vector<int>{0, 2});
    CHECK(instancesOfPart(*mesh, 1) == std::vector<int>{1});
    const telar::cad::Box3 box = instanceBox(*mesh, 2);
    CHECK(box.min == telar::cad::Vec3{9, -1, 0});
    CHECK(box.max == telar::cad::Vec3{11, 1, 0});
}

TEST_CASE("A viewport point of a known camera picks the instance drawn there", "[gui]") {
    const auto mesh = threeSquares();
    const MeshPicker picker(mesh);
    const OrbitCamera camera = topCamera();
    const QSize viewport(300, 200);
    const double ppm = topPixelsPerMm(); // 3.732 px per mm

    // The centre of the viewport looks at the origin: the ray starts at the eye and points down.
    const Ray centre = rayThrough(camera, QPointF(150, 100), viewport);
    CHECK(centre.origin == QVector3D(0, 0, 100));
    CHECK(centre.direction.z() == Approx(-1.0));
    CHECK(std::abs(centre.direction.x()) < 1e-6);
    // World (10, 0, 0) is 37.3 px right of the centre, (0, 5, 0) 18.7 px above it.
    const auto right = projectToViewport(camera, QVector3D(10, 0, 0), viewport);
    REQUIRE(right);
    CHECK(right->x() == Approx(150 + 10 * ppm).epsilon(1e-6));
    CHECK(right->y() == Approx(100).epsilon(1e-6));
    CHECK(projectToViewport(camera, QVector3D(0, 5, 0), viewport)->y() ==
          Approx(100 - 5 * ppm).epsilon(1e-6));
    CHECK_FALSE(projectToViewport(camera, QVector3D(0, 0, 150), viewport)); // behind the eye
    // rayThrough is the inverse: the ray through that point passes (10, 0, 0).
    const Ray through = rayThrough(camera, *right, viewport);
    const QVector3D at = through.origin + through.direction * (through.origin - QVector3D(10, 0, 0)).length();
    CHECK(at.x() == Approx(10).epsilon(1e-5));
    CHECK(std::abs(at.y()) < 1e-4);

    CHECK(picker.instanceAt(camera, QPointF(150, 100), viewport) == 1); // the roof over the origin
    CHECK(picker.instanceAt(camera, QPointF(150 - 0.5 * ppm, 100), viewport) == 0); // the floor left of it
    CHECK(picker.instanceAt(camera, QPointF(150 + 10 * ppm, 100), viewport) == 2);  // the side square
    CHECK(picker.instanceAt(camera, QPointF(150 + 5 * ppm, 100), viewport) == -1);  // the gap between
    CHECK(picker.instanceAt(camera, QPointF(2, 2), viewport) == -1);                // a corner
    // A visible point of each instance picks it; the floor is found where the roof leaves it bare.
    for (int instance = 0; instance < 3; ++instance) {
        INFO("instance " << instance);
        const auto point = picker.visiblePoint(camera, viewport, instance);
        REQUIRE(point);
        CHECK(picker.instanceAt(camera, *point, viewport) == instance);
    }
    CHECK_FALSE(picker.visiblePoint(camera, viewport, 3));
}

TEST_CASE("Assembly parts map to the BOM lines the core made of them, duplicate names in order", "[gui]") {
    // Two different parts both called "Bolt" became lines bolt and bolt-2 (docs/bom.md).
    telar::cad::AnalysisResult analysis;
    analysis.parts.resize(4);
    analysis.parts[0].name = "Bolt";
    analysis.parts[0].quantity = 4;
    analysis.parts[1].name = "Plate";
    analysis.parts[1].quantity = 1;
    analysis.parts[2].name = "Bolt";
    analysis.parts[2].quantity = 2;
    analysis.parts[3].name = "Ghost";
    analysis.parts[3].quantity = 0; // no line
    telar::core::Bom bom;
    auto line = [&](std::string module, std::string id, std::string name, std::string assembly) {
        telar::core::BomLine l;
        l.module = std::move(module);
        l.partId = std::move(id);
        l.name = std::move(name);
        l.assembly = std::move(assembly);
        bom.lines.push_back(l);
    };
    line("top", "bolt", "Bolt", "");                 // a [[part]] named Bolt: not from the assembly
    line("top", "bolt-2", "Bolt", "top/cad/a.step"); // the first Bolt of the file
    line("top", "plate", "Plate", "top/cad/a.step");
    line("top", "bolt-3", "Bolt", "top/cad/a.step"); // the second Bolt of the file
    line("other", "bolt", "Bolt", "other/cad/a.step");

    CHECK(bomLineOfAssemblyPart(bom, "top", "top/cad/a.step", analysis, 0) == std::optional<size_t>(1));
    CHECK(bomLineOfAssemblyPart(bom, "top", "top/cad/a.step", analysis, 1) == std::optional<size_t>(2));
    CHECK(bomLineOfAssemblyPart(bom, "top", "top/cad/a.step", analysis, 2) == std::optional<size_t>(3));
    CHECK_FALSE(bomLineOfAssemblyPart(bom, "top", "top/cad/a.step", analysis, 3));
    CHECK_FALSE(bomLineOfAssemblyPart(bom, "top", "top/cad/a.step", analysis, 4));
    CHECK_FALSE(bomLineOfAssemblyPart(bom, "top", "top/cad/b.step", analysis, 0));
    CHECK(bomLineOfAssemblyPart(bom, "other", "other/cad/a.step", analysis, 0) == std::optional<size_t>(4));

    CHECK_FALSE(assemblyPartOfBomLine(bom, 0, analysis)); // a [[part]] line
    CHECK(assemblyPartOfBomLine(bom, 1, analysis) == std::optional<int>(0));
    CHECK(assemblyPartOfBomLine(bom, 2, analysis) == std::optional<int>(1));
    CHECK(assemblyPartOfBomLine(bom, 3, analysis) == std::optional<int>(2));
    CHECK_FALSE(assemblyPartOfBomLine(bom, 5, analysis));
}

TEST_CASE("The controller enclosure's instances map to the core's BOM lines of the module", "[gui]") {
    ExampleCommons commons;
    ScopedHome home;
    const DesignSnapshot design = loadDesignSnapshot(commons.openPress(), "", {});
    const GeometrySnapshot geometry = loadGeometry(design.tree, "controller/cad/enclosure.step", {});
    const BomSnapshot bom = computeModuleBom(design.design, design.tree, "controller", {});
    const auto& mesh = geometry.mesh;
    REQUIRE(mesh.groups.size() == 6);

    // Every instance (as OpenCASCADE's STEP writer names them) with the line of its part.
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"Enclosure base:1", "enclosure-base"}, {"Enclosure lid:2", "enclosure-lid"},
        {"Lid screw:3", "lid-screw"},           {"Lid screw:4", "lid-screw"},
        {"Lid screw:5", "lid-screw"},           {"Lid screw:6", "lid-screw"}};
    for (size_t instance = 0; instance < expected.size(); ++instance) {
        const auto& [instanceName, lineId] = expected[instance];
        INFO(instanceName);
        CHECK(mesh.groups[instance].name == instanceName);
        const int part = mesh.groups[instance].part;
        const auto line = bomLineOfAssemblyPart(bom.bom, "controller", "controller/cad/enclosure.step",
                                                geometry.analysis, part);
        REQUIRE(line);
        CHECK(bom.bom.lines[*line].partId == lineId);
        CHECK(bom.bom.lines[*line].module == "controller");
        CHECK(assemblyPartOfBomLine(bom.bom, *line, geometry.analysis) == std::optional<int>(part));
    }
    const int screw = mesh.groups[size_t(instanceOf(geometry, "Lid screw", 2))].part;
    const auto screwLine = bomLineOfAssemblyPart(bom.bom, "controller", "controller/cad/enclosure.step",
                                                 geometry.analysis, screw);
    CHECK(bom.bom.lines[*screwLine].quantity == 4);
    CHECK(bom.bom.lines[*screwLine].process == "purchased");
    const std::vector<int> screws = instancesOfPart(mesh, screw);
    REQUIRE(screws.size() == 4);
    CHECK(screws == std::vector<int>{2, 3, 4, 5});
}

TEST_CASE("Picking an instance selects its assembly row, its BOM line and keeps its module", "[gui]") {
    telar::test::ensureGuiApplication();
    ExampleCommons commons;
    ScopedHome home;
    MainWindow window(false);
    window.setErrorDialogsEnabled(false);
    window.resize(1200, 800);
    window.show();
    REQUIRE(openAndWait(window, commons.openPress()));

    // A module with an [[assembly]] is shown as a whole in 3D: its assembly file, no part row.
    window.applySelection("controller", {}, View::ThreeD);
    REQUIRE(waitIdle(window));
    REQUIRE(window.shownGeometry());
    CHECK(window.shownGeometry()->filePath == "controller/cad/enclosure.step");
    CHECK(currentTreeModule(window) == "controller");
    CHECK_FALSE(window.partView()->currentIndex().isValid());
    const GeometrySnapshot* shown = window.shownGeometry();
    const auto& mesh = shown->mesh;
    const int screw2 = instanceOf(*shown, "Lid screw", 1);
    REQUIRE(screw2 >= 0);

    // Where a click lands for a fitted camera: the ray cast finds the screw there.
    const QSize viewport(800, 600);
    OrbitCamera camera;
    const telar::cad::Box3 box = shown->analysis.totals.bbox;
    camera.fit(QVector3D(float(box.min.x), float(box.min.y), float(box.min.z)),
               QVector3D(float(box.max.x), float(box.max.y), float(box.max.z)), 800.0f / 600.0f);
    const MeshPicker picker(std::make_shared<const telar::cad::Mesh>(mesh));
    const auto point = picker.visiblePoint(camera, viewport, screw2);
    REQUIRE(point);
    const int picked = picker.instanceAt(camera, *point, viewport);
    REQUIRE(picked == screw2);

    QSignalSpy pickedSpy(&window, &MainWindow::instancePicked);
    REQUIRE(window.pickInstance(picked));
    CHECK(pickedSpy.size() == 1);
    CHECK(window.highlightedInstances() == std::vector<int>{screw2});
    CHECK(currentPartFile(window) == "controller/cad/enclosure.step"); // the assembly row
    CHECK(currentTreeModule(window) == "controller");
    CHECK_FALSE(window.isBusy());
    CHECK(window.shownGeometry() == shown); // the same geometry, not read again

    // The BOM was not computed yet: its line is selected once the BOM tab computes it.
    window.showView(View::Bom);
    REQUIRE(waitIdle(window));
    REQUIRE(window.bomPanel()->model()->rowCount() > 0);
    CHECK(currentBomPart(window) == "controller/lid-screw");

    // A BOM line the user selects highlights every instance of its part in the view.
    REQUIRE(userSelectsBomLine(window, "controller", "enclosure-lid"));
    CHECK(window.highlightedInstances() == std::vector<int>{instanceOf(*shown, "Enclosure lid")});
    REQUIRE(userSelectsBomLine(window, "controller", "lid-screw"));
    CHECK(window.highlightedInstances() ==
          instancesOfPart(mesh, mesh.groups[size_t(screw2)].part)); // all four screws
    CHECK(window.highlightedInstances().size() == 4);
    // A line of a sub-module is not in this file: nothing is highlighted.
    REQUIRE(userSelectsBomLine(window, "controller/sensors", "sensor-bracket"));
    CHECK(window.highlightedInstances().empty());
    CHECK(window.shownGeometry() == shown);

    // Picking again with the BOM shown selects the line at once, in the flat table and the tree.
    REQUIRE(window.pickInstance(instanceOf(*shown, "Enclosure base")));
    CHECK(currentBomPart(window) == "controller/enclosure-base");
    const QModelIndex treeCurrent = window.bomPanel()->treeView()->currentIndex();
    CHECK(treeCurrent.data(BomTreeModel::ModuleIdRole).toString() == "controller");
    CHECK(treeCurrent.data(BomTreeModel::PartIdRole).toString() == "enclosure-base");
    // A part row the user selects in the tree highlights it in the view too.
    const QModelIndex lidRow = treeRow(window, "controller", "enclosure-lid");
    REQUIRE(lidRow.isValid());
    window.bomPanel()->treeView()->setCurrentIndex(lidRow);
    CHECK(window.highlightedInstances() == std::vector<int>{instanceOf(*shown, "Enclosure lid")});
    REQUIRE(window.pickInstance(instanceOf(*shown, "Enclosure base")));
    CHECK(window.highlightedInstances() == std::vector<int>{instanceOf(*shown, "Enclosure base")});
    REQUIRE(window.pickInstance(-1));
    CHECK(window.highlightedInstances().empty());
    CHECK_FALSE(window.pickInstance(int(mesh.groups.size())));

    // A part row shows its own file; picking it selects that part and its BOM line.
    REQUIRE(window.selectPart("front-knob"));
    REQUIRE(waitIdle(window));
    REQUIRE(window.shownGeometry());
    CHECK(window.shownGeometry()->filePath == "controller/cad/front-knob.stl");
    CHECK(window.highlightedInstances().empty());
    REQUIRE(window.pickInstance(0));
    CHECK(window.partView()->currentIndex().data(PartTableModel::PartIdRole).toString() == "front-knob");
    CHECK(currentBomPart(window) == "controller/front-knob");

    // A module without an assembly shows nothing as a whole and starts no job.
    window.showView(View::ThreeD);
    REQUIRE(window.selectModule("frame"));
    CHECK_FALSE(window.isBusy());
    CHECK(window.shownGeometry() == nullptr);
    CHECK_FALSE(window.pickInstance(0));
}

TEST_CASE("The main window's actions have the documented shortcuts", "[gui]") {
    telar::test::ensureGuiApplication();
    MainWindow window(false);
    std::map<std::string, std::string> shortcuts; // action text without '&' → shortcut
    for (QAction* action : window.findChildren<QAction*>())
        if (!action->shortcut().isEmpty())
            shortcuts[action->text().remove('&').toStdString()] =
                action->shortcut().toString(QKeySequence::PortableText).toStdString();
    CHECK(shortcuts["Open repository…"] == "Ctrl+O");
    CHECK(shortcuts["Reload"] == "F5");
    CHECK(shortcuts["Close repository"] == "Ctrl+W");
    CHECK(shortcuts["Quit"] == "Ctrl+Q");
    CHECK(shortcuts["Module tree"] == "Ctrl+1");
    CHECK(shortcuts["Parts"] == "Ctrl+2");
    CHECK(shortcuts["Bill of materials"] == "Ctrl+3");
    CHECK(shortcuts["3D view"] == "Ctrl+4");
    CHECK(shortcuts["Problems"] == "Ctrl+5");
    CHECK(shortcuts["History"] == "Ctrl+6");
    CHECK(shortcuts["Diff between revisions"] == "Ctrl+7");
    CHECK(shortcuts["Licences"] == "Ctrl+8");
    CHECK(shortcuts["Filter parts"] == "Ctrl+F");
    CHECK(shortcuts["Cancel"] == "Esc");
    CHECK(shortcuts["Fit all"] == "F");
    CHECK(shortcuts["Reset view"] == "Home");
}

// Run by the next test under xvfb-run (OpenGL through Mesa llvmpipe); hidden from normal runs.
TEST_CASE("xvfb: a click in the drawn 3D view picks the instance the ray cast finds", "[.xvfb]") {
    if (!std::getenv("TELAR_TEST_XVFB")) {
        WARN("SKIPPED: run by the test below under xvfb-run");
        return;
    }
    telar::test::ensureGuiApplication();
    ExampleCommons commons;
    ScopedHome home;
    MainWindow window(false);
    window.setErrorDialogsEnabled(false);
    window.resize(1100, 700);
    window.show();
    REQUIRE(QTest::qWaitForWindowExposed(&window));
    REQUIRE(openAndWait(window, commons.openPress()));
    CHECK(window.meshView() == nullptr); // made when the 3D tab is first shown
    window.applySelection("controller", {}, View::ThreeD);
    MeshView* view = window.meshView();
    REQUIRE(view); // OpenGL is available under Xvfb
    REQUIRE(waitIdle(window));
    REQUIRE(view->hasMesh());
    for (int i = 0; i < 100 && view->framesWithMesh() == 0; ++i) {
        view->update();
        QTest::qWait(50);
    }
    REQUIRE(view->framesWithMesh() > 0);

    const int screw = instanceOf(*window.shownGeometry(), "Lid screw", 1);
    const auto point = view->visiblePoint(screw);
    REQUIRE(point);
    const QPoint pixel = point->toPoint();
    const QImage before = view->grabFramebuffer();
    const qreal dpr = before.devicePixelRatio();
    const QRgb beforePixel = before.pixel(QPoint(int(pixel.x() * dpr), int(pixel.y() * dpr)));
    INFO("before " << qRed(beforePixel) << "," << qGreen(beforePixel) << "," << qBlue(beforePixel));
    // The screw is dark grey in the STEP file (0.30, 0.30, 0.30).
    CHECK(std::abs(qRed(beforePixel) - qBlue(beforePixel)) < 12);

    QTest::mouseClick(view, Qt::LeftButton, {}, pixel);
    CHECK(window.highlightedInstances() == std::vector<int>{screw});
    CHECK(view->highlight() == std::vector<int>{screw});
    CHECK(currentPartFile(window) == "controller/cad/enclosure.step");
    CHECK(currentTreeModule(window) == "controller");

    // The highlight colour is on screen exactly where the ray cast found the screw.
    const QImage after = view->grabFramebuffer();
    const QRgb afterPixel = after.pixel(QPoint(int(pixel.x() * dpr), int(pixel.y() * dpr)));
    INFO("after " << qRed(afterPixel) << "," << qGreen(afterPixel) << "," << qBlue(afterPixel));
    CHECK(qRed(afterPixel) > qGreen(afterPixel) + 25);
    CHECK(qGreen(afterPixel) > qBlue(afterPixel) + 15);

    // A click on the background clears the highlight.
    QTest::mouseClick(view, Qt::LeftButton, {}, QPoint(3, 3));
    CHECK(window.highlightedInstances().empty());

    // F fits the view again while the 3D tab is shown, wherever the focus is in the window.
    const QVector3D fitted = view->camera().target();
    QTest::mousePress(view, Qt::RightButton, {}, QPoint(300, 300));
    QTest::mouseMove(view, QPoint(360, 340));
    QTest::mouseRelease(view, Qt::RightButton, {}, QPoint(360, 340));
    REQUIRE((view->camera().target() - fitted).length() > 1.0f); // panned
    window.activateWindow();                                     // window shortcuts act in the active window
    REQUIRE(QTest::qWaitForWindowActive(&window));
    window.treeView()->setFocus();
    QTest::keyClick(window.treeView(), Qt::Key_F);
    QTest::qWait(200); // the fit happens at the next paint
    CHECK((view->camera().target() - fitted).length() < 1e-3f);
}

TEST_CASE("A click in the 3D view picks the instance the ray cast finds, under Xvfb", "[gui]") {
    auto xvfb = xvfbRun();
    if (!xvfb) {
        WARN("SKIPPED: xvfb-run is not installed (apt-get install xvfb xauth)");
        return;
    }
    auto r = telar::test::run({*xvfb, "-a", "-s", "-screen 0 1600x1200x24",
                               fs::read_symlink("/proc/self/exe").string(),
                               "xvfb: a click in the drawn 3D view picks the instance the ray cast finds"},
                              {}, {"QT_QPA_PLATFORM=xcb", "LIBGL_ALWAYS_SOFTWARE=1", "TELAR_TEST_XVFB=1"});
    INFO(r.out << r.err);
    CHECK(r.exitCode == 0);
    CHECK(r.out.find("All tests passed") != std::string::npos);
}

TEST_CASE("telar-desktop --exit-when-ready prints the launch time once the tree and BOM are shown", "[gui]") {
    ExampleCommons commons;
    telar::test::TempDir home;
    const std::string desktop = (telar::test::binaryDir() / "telar-desktop").string();
    const std::vector<std::string> env = {"QT_QPA_PLATFORM=offscreen", "TELAR_HOME=" + home.path().string()};
    auto r = telar::test::run(
        {desktop, "--repo", commons.openPress().string(), "--view", "bom", "--exit-when-ready"}, {}, env);
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0);
    const QString out = QString::fromStdString(r.out);
    CHECK(
        out.contains(QRegularExpression(QStringLiteral("^telar-desktop: ready \\d+ ms after main\\(\\), \\d+ "
                                                       "ms after the process started; design shown \\d+ ms "
                                                       "after main\\(\\)\n"))));
    // The press's BOM (docs/desktop.md: 64 lines, 292 pieces) was on screen.
    CHECK(out.contains("\ntelar-desktop: tree: 1 top-level rows; BOM: 64 lines · 292 pieces · "));

    auto noRepo = telar::test::run({desktop, "--exit-when-ready"}, {}, env);
    CHECK(noRepo.exitCode == 2);
    CHECK(noRepo.err == "telar-desktop: --exit-when-ready needs --repo DIR\n");
    auto both =
        telar::test::run({desktop, "--repo", ".", "--exit-when-ready", "--screenshot", "x.png"}, {}, env);
    CHECK(both.exitCode == 2);
    CHECK(both.err == "telar-desktop: --exit-when-ready and --screenshot cannot be used together\n");
    auto notRepo = telar::test::run({desktop, "--repo", home.path().string(), "--exit-when-ready"}, {}, env);
    CHECK(notRepo.exitCode == 1);
    CHECK(notRepo.out.empty());
    CHECK(notRepo.err.find("telar-desktop: --exit-when-ready: not a git repository: ") != std::string::npos);
}

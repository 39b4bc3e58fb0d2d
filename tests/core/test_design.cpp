// Loading whole designs: module discovery, the module graph, roll-up quantities, effective
// licences, and the material/process catalogue.
#include "memory_tree.h"
#include "test_support.h"

#include "telar/core/catalog.h"
#include "telar/core/design.h"
#include "telar/core/worktree.h"
#include "telar/error.h"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace telar::core;
using telar::test::MemoryTree;

namespace {

const Catalog& catalog() {
    static const Catalog c = Catalog::load(telar::test::resourceDir());
    return c;
}

MemoryTree pressTree() {
    MemoryTree t;
    t.file("telar.toml", R"([project]
name = "Open Press"
license = "CERN-OHL-S-2.0"
products = ["press"]

[[license]]
id = "LicenseRef-Garage-1.0"
name = "Garage Licence"
commercial = "reciprocity"
)");
    t.file("press/module.toml", R"([module]
name = "Press"
version = "2.0.0"

[[use]]
module = "frame"

[[use]]
module = "drive"
quantity = 2
)");
    t.file("frame/module.toml", R"([module]
name = "Frame"
license = "CERN-OHL-W-2.0"

[[part]]
id = "side-plate"
name = "Side plate"
file = "cad/side-plate.step"
material = "steel-s235"
process = "laser-cut"
quantity = 2

[[use]]
module = "fasteners"
quantity = 4
)");
    t.file("frame/cad/side-plate.step", "ISO-10303-21;");
    t.file("drive/module.toml", R"([module]
name = "Drive"

[[part]]
id = "gear"
name = "Gear"
license = "LicenseRef-Garage-1.0"
material = "pom-acetal"
process = "cnc-mill"

[[use]]
module = "fasteners"
quantity = 3

[[use]]
module = "axes/x"
)");
    t.file("axes/x/module.toml", R"([module]
name = "X axis"

[[part]]
id = "rail"
name = "Rail"
file = "cad/rail.step"
material = "aluminium-6063"
process = "cnc-mill"

[[use]]
module = "fasteners"
quantity = 2
)");
    t.symlink("axes/x/cad", "../../common/cad");
    t.file("common/cad/rail.step", "ISO-10303-21;");
    t.file("fasteners/module.toml", R"([module]
name = "Fasteners"

[[part]]
id = "m8"
name = "Hex bolt M8x20"
process = "purchased"
quantity = 16
unit_cost = 0.12
currency = "USD"
)");
    t.file("spare/module.toml", "[module]\nname = \"Spare parts\"\n");
    t.file(".hidden/module.toml", "this is not TOML and must never be read");
    t.file("docs/README.md", "# docs");
    return t;
}

} // namespace

TEST_CASE("a valid multi-module design loads with exact roll-up quantities", "[core][design]") {
    MemoryTree tree = pressTree();
    Design d = loadDesign(tree, catalog());
    for (const auto& diag : d.diagnostics)
        INFO(diag.str());
    CHECK(d.diagnostics.empty());
    CHECK(d.ok());
    CHECK(d.hasProject);
    CHECK(d.treeName == "memory tree");
    std::vector<std::string> ids;
    for (const auto& [id, m] : d.modules)
        ids.push_back(id);
    CHECK(ids == std::vector<std::string>{"axes/x", "drive", "fasteners", "frame", "press", "spare"});

    const ModuleGraph& g = d.graph;
    CHECK(g.topologicalOrder() ==
          std::vector<std::string>{"press", "drive", "axes/x", "frame", "fasteners", "spare"});
    CHECK(g.roots() == std::vector<std::string>{"press", "spare"});
    CHECK(g.parents("fasteners") == std::vector<std::string>{"axes/x", "drive", "frame"});
    REQUIRE(g.children("drive").size() == 2);
    CHECK(g.children("drive")[0].module == "fasteners");
    CHECK(g.children("drive")[0].quantity == 3);
    CHECK(g.cycles().empty());

    auto qty = g.rollUp("press");
    CHECK(qty == std::map<std::string, std::int64_t>{
                     {"press", 1}, {"frame", 1}, {"drive", 2}, {"axes/x", 2}, {"fasteners", 14}});
    CHECK(g.rollUp("drive") ==
          std::map<std::string, std::int64_t>{{"drive", 1}, {"axes/x", 1}, {"fasteners", 5}});
    CHECK(g.rollUp("nope").empty());

    const ModuleManifest* frame = d.module("frame");
    REQUIRE(frame);
    CHECK(frame->parts[0].resolvedPath == "frame/cad/side-plate.step");
    const ModuleManifest* axis = d.module("axes/x");
    REQUIRE(axis);
    CHECK(axis->parts[0].filePath == "axes/x/cad/rail.step");
    CHECK(axis->parts[0].resolvedPath == "common/cad/rail.step");

    // part → module → project
    CHECK(d.effectiveLicense(*d.module("drive"), d.module("drive")->parts[0]) == "LicenseRef-Garage-1.0");
    CHECK(d.effectiveLicense(*frame, frame->parts[0]) == "CERN-OHL-W-2.0");
    CHECK(d.effectiveLicense(*d.module("fasteners"), d.module("fasteners")->parts[0]) == "CERN-OHL-S-2.0");
}

TEST_CASE("cycles are reported and the rest of the graph still rolls up", "[core][design]") {
    std::map<std::string, ModuleManifest> modules;
    auto add = [&](const std::string& id, std::vector<std::pair<std::string, int>> uses) {
        ModuleManifest m;
        m.id = id;
        for (auto& [u, q] : uses)
            m.uses.push_back({u, q, {}});
        modules[id] = m;
    };
    add("top", {{"a", 2}, {"leaf", 1}});
    add("a", {{"b", 3}});
    add("b", {{"a", 1}, {"leaf", 5}});
    add("leaf", {});
    ModuleGraph g = ModuleGraph::build(modules);
    REQUIRE(g.cycles().size() == 1);
    CHECK(g.cycles()[0] == std::vector<std::string>{"a", "b", "a"});
    CHECK(g.topologicalOrder() == std::vector<std::string>{"top", "a", "b", "leaf"});
    CHECK(g.rollUp("top") ==
          std::map<std::string, std::int64_t>{{"top", 1}, {"a", 2}, {"b", 6}, {"leaf", 31}});
}

TEST_CASE("roll-up saturates instead of overflowing", "[core][design]") {
    std::map<std::string, ModuleManifest> modules;
    for (int i = 0; i < 8; ++i) {
        ModuleManifest m;
        m.id = "m" + std::to_string(i);
        if (i < 7) m.uses.push_back({"m" + std::to_string(i + 1), 1000000, {}});
        modules[m.id] = m;
    }
    auto qty = ModuleGraph::build(modules).rollUp("m0");
    CHECK(qty["m3"] == 1000000000000000000LL);
    CHECK(qty["m7"] == INT64_MAX);
}

TEST_CASE("a design warns about a process that cannot work a material", "[core][design]") {
    MemoryTree tree = pressTree();
    tree.file("spare/module.toml", "[module]\nname = \"Spare\"\n[[part]]\nid = \"knob\"\nname = \"Knob\"\n"
                                   "material = \"pla\"\nprocess = \"laser-cut\"\n");
    Design d = loadDesign(tree, catalog());
    CHECK(d.ok());
    REQUIRE(d.diagnostics.size() == 1);
    CHECK(d.diagnostics[0].severity == Severity::Warning);
    CHECK(d.diagnostics[0].str() == "spare/module.toml:6:12: part[1].material: process 'laser-cut' does not "
                                    "take material 'pla' (filament)");
}

TEST_CASE("loading a design can be cancelled", "[core][design]") {
    MemoryTree tree = pressTree();
    telar::Progress progress;
    progress.cancel();
    CHECK_THROWS_AS(loadDesign(tree, catalog(), progress), telar::Cancelled);
}

TEST_CASE("the catalogue holds real materials and processes", "[core][catalog]") {
    const Catalog& c = catalog();
    CHECK(c.materials().size() >= 25);
    CHECK(c.processes().size() == 12);
    auto pla = c.material("pla");
    REQUIRE(pla);
    CHECK(pla->density == 1.24);
    CHECK(pla->kind() == "filament");
    auto steel = c.material("steel-s235");
    REQUIRE(steel);
    CHECK(steel->density == 7.85);
    CHECK(steel->kinds == std::vector<std::string>{"plate", "sheet", "bar", "tube"});
    CHECK(steel->thicknesses.front() == 1.0);
    CHECK(c.material("aluminium-6061")->density == 2.70);
    CHECK(c.material("brass-c360")->density == 8.50);
    CHECK(c.material("plywood-birch")->thicknesses == std::vector<double>{3, 4, 6, 9, 12, 15, 18, 24});
    auto fdm = c.process("fdm-print");
    REQUIRE(fdm);
    CHECK(fdm->estimator == "print");
    CHECK(fdm->parameter("infill") == 0.2);
    CHECK(fdm->parameter("shells") == 2);
    CHECK(fdm->parameter("nozzle_mm") == 0.4);
    CHECK(fdm->parameter("filament_diameter_mm") == 1.75);
    CHECK(fdm->parameter("missing", -1) == -1);
    CHECK(fdm->takes(*pla));
    CHECK_FALSE(fdm->takes(*steel));
    CHECK(c.process("laser-cut")->parameter("kerf_mm") == 0.2);
    CHECK(c.process("purchased")->takes(*steel));
    for (const char* id : {"fdm-print", "sla-print", "laser-cut", "waterjet-cut", "cnc-mill", "cnc-router",
                           "turning", "sheet-metal", "welding", "purchased", "assembly", "pcb"})
        CHECK(c.process(id));
    CHECK_FALSE(c.material("unobtainium"));
    CHECK_FALSE(c.process("teleport"));
    CHECK(c.suggestMaterials("steel-s253") == std::vector<std::string>{"steel-s235"});
    CHECK(c.suggestMaterials("stainless") == std::vector<std::string>{"stainless-304", "stainless-316"});
    CHECK(c.suggestProcesses("lasercut") == std::vector<std::string>{"laser-cut"});
}

TEST_CASE("the resource folder comes from the argument, then TELAR_RESOURCE_DIR, then the build",
          "[core][catalog]") {
    telar::test::TempDir dir;
    telar::test::writeFile(
        dir / "materials.toml",
        "[[material]]\nid = \"x\"\nname = \"X\"\nkind = \"sheet\"\ndensity = 1\nprice_per_kg = 2\n");
    telar::test::writeFile(
        dir / "processes.toml",
        "[[process]]\nid = \"p\"\nname = \"P\"\nestimator = \"purchased\"\naccepts = [\"*\"]\n");
    CHECK(Catalog::resourceDir(dir.path()) == dir.path());
    ::setenv("TELAR_RESOURCE_DIR", dir.path().c_str(), 1);
    CHECK(Catalog::resourceDir() == dir.path());
    Catalog c = Catalog::loadDefault();
    ::unsetenv("TELAR_RESOURCE_DIR");
    CHECK(c.materials().size() == 1);
    CHECK(c.material("x")->pricePerKg == 2);
    CHECK(Catalog::resourceDir() != dir.path());
    CHECK(Catalog::loadDefault().materials().size() >= 25);
}

TEST_CASE("an invalid catalogue is refused with file, line and field", "[core][catalog]") {
    const std::string procs =
        "[[process]]\nid = \"p\"\nname = \"P\"\nestimator = \"purchased\"\naccepts = [\"*\"]\n";
    try {
        Catalog::fromText("[[material]]\nid = \"x\"\nname = \"X\"\nkind = \"sheet\"\nprice_per_kg = 2\n",
                          procs);
        FAIL("no error");
    } catch (const telar::ManifestError& e) {
        CHECK(std::string(e.what()) == "materials.toml:1:1: material[1].density: required field is missing");
    }
    try {
        Catalog::fromText(
            "[[material]]\nid = \"x\"\nname = \"X\"\nkind = \"shet\"\ndensity = 1\nprice_per_kg = 2\n",
            procs);
        FAIL("no error");
    } catch (const telar::ManifestError& e) {
        CHECK(std::string(e.what()) ==
              "materials.toml:4:8: material[1].kind: unknown material kind 'shet' (did you mean 'sheet'?)");
    }
    try {
        Catalog::fromText(
            "[[material]]\nid = \"x\"\nname = \"X\"\nkind = \"sheet\"\ndensity = 1\nprice_per_kg = 2\n",
            "[[process]]\nid = \"p\"\nname = \"P\"\nestimator = \"print\"\naccepts = [\"filament\"]\n"
            "[process.parameters]\ninfill = 0.2\nshells = 2\n");
        FAIL("no error");
    } catch (const telar::ManifestError& e) {
        CHECK(std::string(e.what()) == "processes.toml:1:1: process[1].parameters.layer_height_mm: required "
                                       "parameter is missing");
    }
    CHECK_THROWS_AS(Catalog::load("/nonexistent/resources"), telar::Error);
}

TEST_CASE("a design on disk: real files and a real symlink out of the repository", "[core][design]") {
    telar::test::TempDir dir;
    telar::test::writeFile(dir / "telar.toml", "[project]\nname = \"Disk\"\nlicense = \"CERN-OHL-P-2.0\"\n");
    telar::test::writeFile(dir / "frame/module.toml",
                           "[module]\nname = \"Frame\"\n\n[[part]]\nid = \"plate\"\nname = \"Plate\"\n"
                           "file = \"cad/plate.step\"\nprocess = \"laser-cut\"\n\n[[part]]\nid = \"secret\"\n"
                           "name = \"Secret\"\nfile = \"out/passwd\"\nprocess = \"laser-cut\"\n");
    telar::test::writeFile(dir / "frame/cad/plate.step", "ISO-10303-21;");
    std::filesystem::create_directory_symlink("/etc", dir / "frame/out");
    telar::test::writeFile(dir / ".git/module.toml", "not a module");
    WorkingTree tree(dir.path());
    Design d = loadDesign(tree, catalog());
    REQUIRE(d.diagnostics.size() == 1);
    CHECK(d.diagnostics[0].str() ==
          "frame/module.toml:13:8: part[2].file: leads outside the repository through the symbolic link "
          "frame/out -> /etc");
    CHECK(d.modules.size() == 1);
    CHECK(d.module("frame")->parts[0].resolvedPath == "frame/cad/plate.step");
}

TEST_CASE("a part without a process is a warning naming the part", "[core][design]") {
    telar::test::TempDir dir;
    telar::test::writeFile(dir / "telar.toml", "[project]\nname = \"Disk\"\nlicense = \"CERN-OHL-P-2.0\"\n");
    telar::test::writeFile(dir / "frame/module.toml",
                           "[module]\nname = \"Frame\"\n\n[[part]]\nid = \"plate\"\nname = \"Plate\"\n");
    WorkingTree tree(dir.path());
    Design d = loadDesign(tree, catalog());
    REQUIRE(d.diagnostics.size() == 1);
    CHECK(d.ok());
    CHECK(d.diagnostics[0].severity == telar::core::Severity::Warning);
    CHECK(d.diagnostics[0].str() ==
          "frame/module.toml:4:1: part[1].process: part 'plate' has no process: the BOM cannot say how it is "
          "made or what it costs");
}

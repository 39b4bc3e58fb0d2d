// STL: ASCII and binary reading, divergence-theorem volume, watertightness, STEP/STL twins.
#include "cad_test_helpers.h"
#include "stl_fixtures.h"
#include "telar/cad/analyze.h"
#include "telar/error.h"
#include "test_support.h"

#include <catch2/catch.hpp>

using namespace telar::cad;
using namespace telar::cad::test;

TEST_CASE("a generated box: volume, area, boxes, watertight, in both encodings", "[cad]") {
    const auto box = boxTriangles(10, 20, 30);
    for (const std::string& bytes : {binaryStl(box), asciiStl(box)}) {
        const AnalysisResult r = analyzeBytes(bytes, "box.stl");
        REQUIRE(r.parts.size() == 1);
        const PartInfo& p = r.parts[0];
        CHECK(p.volume == Approx(6000.0).epsilon(1e-9));
        CHECK(p.area == Approx(2 * (200 + 600 + 300)).epsilon(1e-9));
        CHECK(p.triangles == 12);
        CHECK(p.vertices == 8);
        CHECK(p.edges == 18);
        CHECK(p.closed);
        CHECK(p.valid);
        CHECK(p.orientedSize == Vec3{30, 20, 10});
        CHECK(p.centroid.x == Approx(5.0));
        CHECK(p.centroid.y == Approx(10.0));
        CHECK(p.centroid.z == Approx(15.0));
        CHECK(r.totals.bbox.size() == Vec3{10, 20, 30});
        CHECK(r.warnings.empty());
        CHECK(p.name == "box");
    }
    CHECK(analyzeBytes(binaryStl(box), "box.stl").format == Format::StlBinary);
    CHECK(analyzeBytes(asciiStl(box), "box.stl").format == Format::StlAscii);
}

TEST_CASE("open and inconsistently oriented meshes are not watertight", "[cad]") {
    auto open = boxTriangles(1, 1, 1);
    open.pop_back();
    const AnalysisResult r = analyzeBytes(binaryStl(open), "open.stl");
    CHECK_FALSE(r.parts[0].closed);
    CHECK(hasWarningContaining(r, "not watertight (3 open"));

    auto flipped = boxTriangles(1, 1, 1);
    std::swap(flipped[0][1], flipped[0][2]);
    const AnalysisResult f = analyzeBytes(binaryStl(flipped), "flipped.stl");
    CHECK_FALSE(f.parts[0].closed);
    CHECK(hasWarningContaining(f, "inconsistently oriented"));

    auto inward = boxTriangles(2, 2, 2);
    for (auto& t : inward) std::swap(t[1], t[2]);
    const AnalysisResult in = analyzeBytes(binaryStl(inward), "inward.stl");
    CHECK(in.parts[0].volume == Approx(8.0));
    CHECK(in.parts[0].closed);
    CHECK_FALSE(in.parts[0].valid);
    CHECK(hasWarningContaining(in, "face inwards"));
}

TEST_CASE("real STL files: cube, bottle, Voron parts with upper-case extensions", "[cad]") {
    TELAR_REQUIRE_REALDATA(root);
    const AnalysisResult cube = analyzeFile(root / "pythonocc-core/test/test_io/cube_binary.stl");
    CHECK(cube.format == Format::StlBinary);
    CHECK(cube.parts[0].volume == Approx(1.0).epsilon(1e-9));
    CHECK(cube.parts[0].triangles == 12);
    CHECK(cube.parts[0].closed);

    const AnalysisResult bottle = analyzeFile(root / "pythonocc-core/test/test_io/bottle_ascii.stl");
    CHECK(bottle.format == Format::StlAscii);
    CHECK(bottle.parts[0].triangles == 1240);
    CHECK(bottle.nodes[0].productName == "FLIRIS");
    // The bottle mesh has T-junctions: 3428 edges are used by one triangle only (even when vertices
    // are merged within 1e-4 mm), so it is reported, faithfully, as not watertight.
    CHECK_FALSE(bottle.parts[0].closed);
    CHECK(hasWarningContaining(bottle, "not watertight (3428 open"));

    for (const char* file : {"Voron-0/STLs/[a]_Idler_Cam_Lock_x2.STL", "Voron-0/STLs/Electronics/PSU_Cover_x1.STL",
                             "Voron-0/STLs/[a]_Railstops_x5.stl", "Voron-0/STLs/Tophat/TH_Side_Clip_x4.stl",
                             "Voron-0/STLs/[a]_9mm_Spacer_x6.stl", "Voron-0/STLs/Panel_Mounting/Middle_Clip_x9.stl"}) {
        INFO(file);
        const AnalysisResult r = analyzeFile(root / file);
        CHECK((r.format == Format::StlBinary || r.format == Format::StlAscii));
        CHECK(r.parts.size() == 1);
        CHECK(r.parts[0].volume > 100.0);
        CHECK(r.parts[0].quantity == 1); // the _xN suffix is the BOM layer's business
        CHECK(r.parts[0].closed);
        CHECK(r.warnings.empty());
    }
    // The mirrored clip is a separately exported mesh of the mirrored part: close, not equal.
    const AnalysisResult clip = analyzeFile(root / "Voron-0/STLs/Tophat/TH_Side_Clip_x4.stl");
    const AnalysisResult mirror = analyzeFile(root / "Voron-0/STLs/Tophat/TH_Side_Clip_Mirror_x4.stl");
    CHECK(nearRel(mirror.parts[0].volume, clip.parts[0].volume, 5e-3));
    CHECK_FALSE(nearRel(mirror.parts[0].volume, clip.parts[0].volume, 1e-4));
    CHECK(mirror.parts[0].fingerprint != clip.parts[0].fingerprint);
}

TEST_CASE("STEP/STL twins agree within 0.5 % in volume", "[cad]") {
    TELAR_REQUIRE_REALDATA(root);
    const std::vector<std::pair<std::string, std::string>> twins = {
        {"Voron-0/CAD/Hotend Mounts/Standard/Hotend_Mount_Dragonfly_BMS_7_FINS.step",
         "Voron-0/STLs/Toolheads/Hotend_Mounts/Standard/[a]_Hotend_Mount_Dragonfly_BMS_7_FINS.stl"},
        {"Voron-0/CAD/Hotend Mounts/Standard/Hotend_Mount_Dragon.step",
         "Voron-0/STLs/Toolheads/Hotend_Mounts/Standard/[a]_Hotend_Mount_Dragon.stl"},
        {"Oak-Compact-Joystick/Design_Files/CAD_Files/Topper_Interface/Oak_Topper_Collet.step",
         "Oak-Compact-Joystick/Build_Files/3D_Printing_Files/Toppers/Oak_Topper_Collet.stl"},
        {"Oak-Compact-Joystick/Design_Files/CAD_Files/Topper_Interface/Oak_Topper_Nut.step",
         "Oak-Compact-Joystick/Build_Files/3D_Printing_Files/Toppers/Oak_Topper_Nut.stl"},
        {"Oak-Compact-Joystick/Design_Files/CAD_Files/Topper_Interface/Oak_Topper_Wrench.step",
         "Oak-Compact-Joystick/Build_Files/3D_Printing_Files/Toppers/Oak_Topper_Wrench.stl"},
    };
    for (const auto& [step, stl] : twins) {
        INFO(step << " vs " << stl);
        const AnalysisResult solid = analyzeFile(root / step);
        const AnalysisResult mesh = analyzeFile(root / stl);
        REQUIRE(mesh.parts.size() == 1);
        CHECK(mesh.parts[0].closed);
        CHECK(nearRel(mesh.totals.volume, solid.totals.volume, 5e-3));
        // The same part, so the same stock size (within mesh deviation).
        CHECK(mesh.parts[0].orientedSize.x == Approx(solid.parts[0].orientedSize.x).epsilon(0.01));
    }
}

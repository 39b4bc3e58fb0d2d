// Serialisation for the cache, tessellation and STL/3MF export.
#include "cad_test_helpers.h"
#include "stl_fixtures.h"
#include "telar/cad/analyze.h"
#include "telar/cad/mesh.h"
#include "telar/cad/serialize.h"
#include "telar/error.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <fstream>

using namespace telar::cad;
using namespace telar::cad::test;

namespace {
std::string readAll(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
const std::filesystem::path kCorpus = std::filesystem::path(TELAR_CAD_TEST_DIR) / "corpus";
} // namespace

TEST_CASE("JSON round trip is exact, one line, and versioned", "[cad]") {
    const AnalysisResult box = analyzeBytes(readAll(kCorpus / "box.step"), "box.step");
    const std::string json = toJson(box);
    CHECK(json.find('\n') == std::string::npos);
    CHECK(fromJson(json) == box);
    CHECK(toJson(fromJson(json)) == json);

    // A stale analyser version or corrupt record is a CadError, so the cache recomputes.
    std::string stale = json;
    stale.replace(stale.find("\"version\":" + std::to_string(kAnalyserVersion)),
                  std::string("\"version\":" + std::to_string(kAnalyserVersion)).size(), "\"version\":0");
    CHECK_THROWS_WITH(fromJson(stale), Catch::Contains("analyser version 0"));
    CHECK_THROWS_WITH(fromJson(json.substr(0, json.size() / 2)), Catch::Contains("corrupt analysis record"));
    CHECK_THROWS_AS(fromJson("{\"version\":1}"), telar::CadError);
    std::string badIndex = json;
    badIndex.replace(badIndex.find("\"roots\":[0]"), 11, "\"roots\":[9]");
    CHECK_THROWS_WITH(fromJson(badIndex), Catch::Contains("out of range"));
    CHECK(optionsKey({}) == "v" + std::to_string(kAnalyserVersion) + ";check=1;obb=1;size=0.01..5000;depth=64");
}

TEST_CASE("STEP, BREP and IGES of the same box agree", "[cad]") {
    for (const char* file : {"box.step", "box.brep", "box.igs"}) {
        INFO(file);
        const AnalysisResult r = analyzeBytes(readAll(kCorpus / file), file);
        REQUIRE(r.parts.size() == 1);
        const PartInfo& p = r.parts[0];
        CHECK(p.name == "box");
        CHECK(p.volume == Approx(6000.0));
        CHECK(p.area == Approx(2200.0));
        CHECK(p.orientedSize.x == Approx(30.0).margin(1e-6));
        CHECK(p.orientedSize.y == Approx(20.0).margin(1e-6));
        CHECK(p.orientedSize.z == Approx(10.0).margin(1e-6));
        CHECK(p.centroid.x == Approx(5.0));
        CHECK(p.faces == 6);
        CHECK(p.edges == 12);
        CHECK(p.vertices == 8);
        CHECK(p.closed);
        CHECK(p.valid);
    }
    CHECK(analyzeBytes(readAll(kCorpus / "box.brep"), "box.brep").format == Format::Brep);
    CHECK(analyzeBytes(readAll(kCorpus / "box.igs"), "box.igs").format == Format::Iges);
}

TEST_CASE("tessellation of a part and of a placed assembly, with colours", "[cad]") {
    const std::string step = readAll(kCorpus / "box.step");
    const Mesh mesh = tessellate(step, "box.step", 0, 0.1);
    CHECK(mesh.triangleCount() == 12);
    CHECK(mesh.normals.size() == mesh.positions.size());
    REQUIRE(mesh.groups.size() == 1);
    CHECK(mesh.groups[0].indexCount == 36);
    // Exported STL has the box's volume and is watertight.
    const AnalysisResult back = analyzeBytes(writeStl(mesh, "box"), "box.stl");
    CHECK(back.parts[0].volume == Approx(6000.0));
    CHECK(back.parts[0].closed);
    CHECK_THROWS_WITH(tessellate(step, "box.step", 3), Catch::Contains("part 3 does not exist"));

    TELAR_REQUIRE_REALDATA(root);
    const std::string as1 = readAll(root / "OCCT/data/step/as1-oc-214-mat.stp");
    const Mesh whole = tessellate(as1, "as1.stp", kWholeFile, 0.5);
    CHECK(whole.groups.size() == 18);
    int red = 0;
    for (const MeshGroup& g : whole.groups) red += g.colour == Rgb{255, 0, 0} ? 1 : 0;
    CHECK(red == 8); // the nuts
    const AnalysisResult placed = analyzeBytes(writeStl(whole), "as1.stl");
    CHECK(nearRel(placed.totals.volume, 764519.8, 5e-3));
    CHECK(placed.totals.bbox.size().x == Approx(200.0).epsilon(1e-3));
}

TEST_CASE("3MF export is a reproducible zip holding the model", "[cad]") {
    const Mesh mesh = tessellate(binaryStl(boxTriangles(1, 2, 3)), "b.stl");
    const std::string a = write3mf(mesh, "box");
    CHECK(a == write3mf(mesh, "box"));
    CHECK(a.substr(0, 4) == std::string("PK\x03\x04", 4));
    CHECK(a.find("3D/3dmodel.model") != std::string::npos);
    CHECK(a.find("<triangle v1=") != std::string::npos);
    CHECK(a.find("unit=\"millimeter\"") != std::string::npos);
    CHECK(detectFormat(a, "b.3mf") == Format::ThreeMf);
    // Vertices are welded: 8 corners of the box, 12 triangles.
    std::size_t vertices = 0, triangles = 0;
    for (std::size_t at = a.find("<vertex "); at != std::string::npos; at = a.find("<vertex ", at + 1)) ++vertices;
    for (std::size_t at = a.find("<triangle "); at != std::string::npos; at = a.find("<triangle ", at + 1)) ++triangles;
    CHECK(vertices == 8);
    CHECK(triangles == 12);
}

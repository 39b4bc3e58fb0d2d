// Every CAD file listed in shared/realdata/EXPECTED.md gives the structure, quantities, volumes,
// sizes and warnings stated there.
#include "cad_test_helpers.h"
#include "telar/cad/analyze.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <map>

using namespace telar::cad;
using telar::cad::test::findPart;
using telar::cad::test::hasWarningContaining;
using telar::cad::test::nearRel;
using telar::cad::test::overallSize;

namespace {

struct Expectation {
    std::string file;
    std::map<std::string, int> parts; // display name → quantity
    double volume;                    // mm³, relative 1e-4
    Vec3 size;                        // mm, ±0.01 (0,0,0: not stated)
};

void checkExpectation(const std::filesystem::path& root, const Expectation& e) {
    INFO(e.file);
    const AnalysisResult r = analyzeFile(root / e.file, e.file);
    CHECK(r.format == Format::Step);
    int instances = 0;
    for (const auto& [name, quantity] : e.parts) {
        INFO("part " << name);
        const PartInfo* p = findPart(r, name);
        REQUIRE(p != nullptr);
        CHECK(p->quantity == quantity);
        CHECK(p->closed);
        instances += quantity;
    }
    CHECK(r.parts.size() == e.parts.size());
    CHECK(r.totals.instances == instances);
    CHECK(r.totals.uniqueParts == static_cast<int>(e.parts.size()));
    CHECK(nearRel(r.totals.volume, e.volume, 1e-4));
    if (e.size != Vec3{}) {
        const Vec3 s = overallSize(r);
        CHECK(s.x == Approx(e.size.x).margin(0.01));
        CHECK(s.y == Approx(e.size.y).margin(0.01));
        CHECK(s.z == Approx(e.size.z).margin(0.01));
    }
}

const std::map<std::string, int> kAs1Lower = {{"plate", 1}, {"l-bracket", 2}, {"bolt", 6}, {"nut", 8}, {"rod", 1}};

} // namespace

TEST_CASE("as1 assemblies: five unique parts, eighteen instances, in mm and cm", "[cad]") {
    TELAR_REQUIRE_REALDATA(root);
    const std::vector<Expectation> table = {
        {"OCCT/data/step/as1-oc-214-mat.stp", kAs1Lower, 764519.8, {200, 150, 84}},
        {"pythonocc-core/test/test_io/as1-oc-214.stp", kAs1Lower, 764519.8, {200, 150, 84}},
        {"OCCT/data/step/trj6_as1-ec-214.stp",
         {{"Plate", 1}, {"L-Bracket", 2}, {"Bolt", 6}, {"Nut", 8}, {"Rod", 1}}, 764519.0, {200, 150, 84}},
        {"OCCT/data/step/trj2_as1-in-203.stp", kAs1Lower, 765932.1, {200, 150, 87}},
    };
    for (const Expectation& e : table) checkExpectation(root, e);
    const AnalysisResult cm = analyzeFile(root / "OCCT/data/step/trj2_as1-in-203.stp");
    CHECK(cm.lengthUnits == std::vector<std::string>{"CENTIMETRE"});
    CHECK(cm.unitToMm == 10.0);
    CHECK(cm.warnings.empty());
}

TEST_CASE("as1 with materials carries densities and masses", "[cad]") {
    TELAR_REQUIRE_REALDATA(root);
    const AnalysisResult r = analyzeFile(root / "OCCT/data/step/as1-oc-214-mat.stp");
    const PartInfo* plate = findPart(r, "plate");
    REQUIRE(plate != nullptr);
    REQUIRE(plate->material.has_value());
    CHECK(*plate->material == "BRONZE");
    REQUIRE(plate->density.has_value());
    CHECK(*plate->density == Approx(0.86)); // 860 in the file's density unit, as OCCT converts it
    REQUIRE(plate->mass.has_value());
    CHECK(*plate->mass == Approx(*plate->density * plate->volume / 1000.0));
    const PartInfo* bolt = findPart(r, "bolt");
    REQUIRE(bolt != nullptr);
    CHECK(bolt->material.value_or("") == "STEEL");
    // Plain as1 has no material: no density, no mass.
    const AnalysisResult plain = analyzeFile(root / "pythonocc-core/test/test_io/as1-oc-214.stp");
    CHECK_FALSE(findPart(plain, "plate")->density.has_value());
    CHECK_FALSE(findPart(plain, "plate")->mass.has_value());
    // Same geometry, so the same fingerprints.
    CHECK(findPart(plain, "plate")->fingerprint == plate->fingerprint);
}

TEST_CASE("s1 space ship, pm4 pump (4 levels), is1 instancing, screw", "[cad]") {
    TELAR_REQUIRE_REALDATA(root);
    checkExpectation(root, {"OCCT/data/step/trj4_s1-ug-214.stp",
                            {{"s1_foot_back", 2}, {"s1_foot_front", 2}, {"s1_head_back", 1}, {"s1_head_front", 1},
                             {"s1_main_body_back", 1}, {"s1_main_body_front", 1}, {"s1_tail_middle", 1},
                             {"s1_tail_turbine", 2}},
                            806703.0, {457.66, 296.0, 162.99}});
    checkExpectation(root, {"OCCT/data/step/trj6_pm4-ec-203.stp",
                            {{"Sphere", 18}, {"Bolt", 3}, {"Cover_Up", 1}, {"Cover_Bottom", 1}, {"Flange", 1},
                             {"Gland_1", 1}, {"Gland_2", 1}, {"Gland_3", 1}, {"Impeller", 1}, {"Pulley_Up", 1},
                             {"Pulley_Bottom", 1}, {"Ring", 1}, {"Rod", 1}},
                            612771.2, {146, 225.05, 160.12}});
    checkExpectation(root, {"OCCT/data/step/trj12_is1-oc-214.stp", {{"trj12_is1-oc-214", 5}}, 5000.0, {50, 10, 10}});
    checkExpectation(root, {"OCCT/data/step/screw.step", {{"the product name", 1}}, 3788.27, {65.96, 66.48, 43.12}});

    // pm4: the deepest parts sit four levels below the root product.
    const AnalysisResult pm4 = analyzeFile(root / "OCCT/data/step/trj6_pm4-ec-203.stp");
    int deepest = 0;
    for (std::size_t i = 0; i < pm4.nodes.size(); ++i) {
        int depth = 0;
        for (int p = pm4.nodes[i].parent; p >= 0; p = pm4.nodes[static_cast<std::size_t>(p)].parent) ++depth;
        deepest = std::max(deepest, depth);
    }
    CHECK(deepest == 4);
    // The screw's enclosing box follows its B-spline control points; the stock size is tight.
    const AnalysisResult screw = analyzeFile(root / "OCCT/data/step/screw.step");
    // (OCCT's exact optimiser: 42.295 × 20.0 × 19.843.)
    CHECK(screw.parts[0].orientedSize.x == Approx(42.30).margin(0.05));
    CHECK(screw.parts[0].orientedSize.y == Approx(20.0).margin(0.05));
    CHECK(screw.parts[0].orientedSize.z == Approx(19.84).margin(0.05));
}

TEST_CASE("bug25381: the edge and the plane are listed but never parts", "[cad]") {
    TELAR_REQUIRE_REALDATA(root);
    checkExpectation(root, {"OCCT/data/step/bug25381_test_assembly_invisible.step",
                            {{"Box1", 3}, {"Box2", 2}, {"Box3", 2}}, 98000.0, {200, 120, 120}});
    const AnalysisResult r = analyzeFile(root / "OCCT/data/step/bug25381_test_assembly_invisible.step");
    int edges = 0, planes = 0;
    for (const TreeNode& n : r.nodes) {
        if (n.productName == "Edge4") {
            ++edges;
            CHECK(n.kind == NodeKind::NonSolid);
            CHECK(n.part == -1);
        }
        if (n.productName == "Plane") {
            ++planes;
            CHECK(n.kind == NodeKind::NonSolid);
        }
    }
    CHECK(edges == 2);
    CHECK(planes == 1);
    CHECK(findPart(r, "Edge4") == nullptr);
    CHECK(findPart(r, "Plane") == nullptr);
    CHECK(hasWarningContaining(r, "non-solid"));
}

TEST_CASE("several roots and mixed-unit contexts", "[cad]") {
    TELAR_REQUIRE_REALDATA(root);
    const AnalysisResult multi = analyzeFile(root / "pythonocc-core/test/test_io/stp_multiple_shp_at_root.stp");
    CHECK(multi.roots.size() == 3);
    CHECK(multi.lengthUnits == std::vector<std::string>{"METRE"});
    for (const char* name : {"Part 1", "Part 2", "Part 3"}) {
        INFO(name);
        REQUIRE(findPart(multi, name) != nullptr);
        CHECK(findPart(multi, name)->quantity == 1);
    }
    CHECK(nearRel(multi.totals.volume, 17152.1, 1e-4));
    int coloured = 0;
    for (const TreeNode& n : multi.nodes) coloured += n.colour.has_value() ? 1 : 0;
    CHECK(coloured == 3);

    const AnalysisResult cyl = analyzeFile(root / "pythonocc-core/test/test_io/eight_cyl.stp");
    CHECK(cyl.roots.size() == 8);
    CHECK(cyl.totals.instances == 8);
    REQUIRE(cyl.parts.size() == 1);
    CHECK(cyl.parts[0].name == "8Cylinders v2");
    CHECK(cyl.parts[0].quantity == 8);
    CHECK(nearRel(cyl.totals.volume, 1178097.2, 1e-4));
}

TEST_CASE("as1_pe_203 declares inch: converted faithfully and warned about", "[cad]") {
    TELAR_REQUIRE_REALDATA(root);
    const AnalysisResult r = analyzeFile(root / "pythonocc-core/test/test_io/as1_pe_203.stp");
    CHECK(r.lengthUnits == std::vector<std::string>{"INCH"});
    CHECK(r.unitToMm == 25.4);
    const Vec3 s = overallSize(r);
    CHECK(s.x == Approx(5080.0).margin(0.01));
    CHECK(s.y == Approx(2209.8).margin(0.01));
    CHECK(s.z == Approx(3810.0).margin(0.01));
    CHECK(hasWarningContaining(r, "implausible size"));
    CHECK(hasWarningContaining(r, "INCH"));
    for (const auto& [name, quantity] : kAs1Lower) {
        INFO(name);
        REQUIRE(findPart(r, name) != nullptr);
        CHECK(findPart(r, name)->quantity == quantity);
    }
    // Same shapes as as1 in mm, 25.4³ times the volume.
    CHECK(nearRel(r.totals.volume / (25.4 * 25.4 * 25.4), 764519.8, 2e-3));
}

TEST_CASE("Voron MiniSB: instance suffixes grouped into one line of quantity 2", "[cad]") {
    TELAR_REQUIRE_REALDATA(root);
    const std::string file = "Voron-0/CAD/ADXL_Mounts/MiniSB_adxl_mount_ldo_15mm_c_c.step";
    const AnalysisResult r = analyzeFile(root / file);
    CHECK(r.totals.instances == 11);
    CHECK(nearRel(r.totals.volume, 16281.6, 1e-4));
    const Vec3 s = overallSize(r);
    CHECK(s.x == Approx(50.36).margin(0.01));
    CHECK(s.y == Approx(46.03).margin(0.01));
    CHECK(s.z == Approx(65.54).margin(0.01));
    const PartInfo* screw = findPart(r, "M2x6 SHCS");
    REQUIRE(screw != nullptr);
    CHECK(screw->quantity == 2);
    CHECK(screw->rawNames == std::vector<std::string>{"M2x6 SHCS:2", "M2x6 SHCS:3"});
    const PartInfo* spacer = findPart(r, "adxl_screw_spacer");
    REQUIRE(spacer != nullptr);
    CHECK(spacer->quantity == 2);
    CHECK(spacer->rawNames.size() == 2);
    CHECK(spacer->rawNames == std::vector<std::string>{"adxl_screw_spacer:1 (2)", "adxl_screw_spacer:2 (2)"});
    // The raw names stay in the tree: Fusion names the products "M2x6 SHCS:2" and their
    // occurrences "M2x6 SHCS:2:1".
    int suffixed = 0;
    for (const TreeNode& n : r.nodes)
        suffixed += (n.productName == "M2x6 SHCS:2" && n.name == "M2x6 SHCS:2:1") ||
                    (n.productName == "M2x6 SHCS:3" && n.name == "M2x6 SHCS:3:1");
    CHECK(suffixed == 2);
    CHECK(r.parts.size() == 8);
}

TEST_CASE("Voron single products: Manta 2pc is two solids, Spider Pro is named Drop Effect inside", "[cad]") {
    TELAR_REQUIRE_REALDATA(root);
    const AnalysisResult manta = analyzeFile(root / "Voron-0/CAD/Electronics Mounts/Manta_M4P_Din_Mount_2pc.step");
    REQUIRE(manta.parts.size() == 1);
    CHECK(manta.parts[0].quantity == 1);
    CHECK(manta.parts[0].solids == 2);
    CHECK(nearRel(manta.totals.volume, 8326.9, 1e-4));
    CHECK(overallSize(manta).x == Approx(72.22).margin(0.01));
    CHECK(overallSize(manta).y == Approx(97.46).margin(0.01));
    CHECK(overallSize(manta).z == Approx(7.42).margin(0.01));

    const AnalysisResult spider =
        analyzeFile(root / "Voron-0/CAD/Hotend Mounts/Standard/Hotend_Mount_Creality_Spider_Pro.step");
    REQUIRE(spider.parts.size() == 1);
    CHECK(spider.parts[0].name == "Hotend_Mount_Drop_Effect_XG");
    CHECK(spider.parts[0].rawNames == std::vector<std::string>{"Hotend_Mount_Drop_Effect_XG:1"});
    CHECK(nearRel(spider.totals.volume, 6167.6, 1e-4));
    CHECK(overallSize(spider).x == Approx(30.8).margin(0.01));
    CHECK(overallSize(spider).y == Approx(22.19).margin(0.01));
    CHECK(overallSize(spider).z == Approx(14.75).margin(0.01));

    const AnalysisResult vhb = analyzeFile(root / "Voron-0/CAD/Electronics Mounts/VHB DIN Mount.STEP");
    REQUIRE(vhb.parts.size() == 1);
    CHECK(vhb.parts[0].valid);
    CHECK(vhb.warnings.empty());
}

TEST_CASE("KiCad endstop board: 26 instances grouped by footprint as in its BOM", "[cad]") {
    TELAR_REQUIRE_REALDATA(root);
    // Quantities from Production Files/HallEffectXY-Endstop-BOM.csv, plus the board itself.
    checkExpectation(root, {"Voron-Hardware/Hall_Effect_XY_Endstop/CAD/Hall_Effect_XY_Endstop.step",
                            {{"R_0805_2012Metric", 7}, {"C_0805_2012Metric", 8}, {"LED_0805_2012Metric", 3},
                             {"SOT-23", 2}, {"SOIC-8_3.9x4.9mm_P1.27mm", 1}, {"SOT-23-5", 1},
                             {"PinHeader_1x04_P2.54mm_Vertical", 1}, {"CT-6EP10k_(103)", 2},
                             {"Hall_Effect_XY_Endstop", 1}},
                            2022.8, {56, 18, 15.54}});
}

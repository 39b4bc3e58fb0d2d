// BOMs of small designs built by the test in real git repositories: roll-up quantities, masses
// from exact STL boxes, estimator details, costs with and without a fab, make/buy decisions,
// problems on lines (missing file, unknown material, unreadable CAD), outputs.
#include "test_support.h"

#include "telar/core/bom.h"
#include "telar/core/bom_output.h"
#include "telar/core/catalog.h"
#include "telar/core/design.h"
#include "telar/core/fab_profile.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/git.h"
#include "telar/core/store.h"
#include "telar/error.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>

using namespace telar::core;
using telar::test::TempDir;
using telar::test::writeFile;

namespace {

const Catalog& catalog() {
    static const Catalog c = Catalog::load(telar::test::resourceDir());
    return c;
}

const Signature kAlice{"Alice Maker", "alice@example.org", 1700000000, 60};

// A binary STL of an axis-aligned box a × b × c mm (12 triangles, outward normals).
std::string boxStl(float a, float b, float c) {
    const float v[8][3] = {{0, 0, 0}, {a, 0, 0}, {a, b, 0}, {0, b, 0}, {0, 0, c}, {a, 0, c}, {a, b, c}, {0, b, c}};
    const int f[12][3] = {{0, 2, 1}, {0, 3, 2}, {4, 5, 6}, {4, 6, 7}, {0, 1, 5}, {0, 5, 4},
                          {1, 2, 6}, {1, 6, 5}, {2, 3, 7}, {2, 7, 6}, {3, 0, 4}, {3, 4, 7}};
    std::string out(80, ' ');
    out.replace(0, 10, "binary box");
    auto put = [&](const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); };
    std::uint32_t count = 12;
    put(&count, 4);
    for (const auto& t : f) {
        float normal[3] = {0, 0, 0};
        put(normal, 12);
        for (int k : t) put(v[k], 12);
        std::uint16_t attr = 0;
        put(&attr, 2);
    }
    return out;
}

void writeBinary(const std::filesystem::path& p, const std::string& bytes) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
}

// telar.toml + machine (uses axis ×3) + axis, with exact boxes; committed once.
struct TestDesign {
    TempDir dir{"telar-bom"};
    Repository repo = Repository::init(dir.path());
    std::unique_ptr<Store> store = Store::open(dir / "store.db");

    TestDesign() {
        writeFile(dir / "telar.toml", "[project]\nname = \"Test machine\"\nlicense = \"CERN-OHL-S-2.0\"\n"
                                      "products = [\"machine\"]\n");
        writeFile(dir / "machine/module.toml", R"([module]
name = "Machine"

[[part]]
id = "bracket"
name = "Bracket"
file = "cad/bracket.stl"
material = "pla"
process = "fdm-print"
quantity = 2

[[part]]
id = "plate"
name = "Base plate, birch"
file = "cad/plate.stl"
material = "plywood-birch"
process = "laser-cut"
license = "CC-BY-4.0"

[[part]]
id = "bolt"
name = "Hex bolt M5x20"
process = "purchased"
quantity = 8
unit_cost = 0.5
supplier = "Bolt \"Best\" Co."
sku = "M5-20"

[[use]]
module = "axis"
quantity = 3
)");
        writeFile(dir / "axis/module.toml", R"([module]
name = "Axis"

[[part]]
id = "block"
name = "Bearing block"
file = "cad/block.stl"
material = "aluminium-6061"
process = "cnc-mill"
quantity = 2

[[part]]
id = "beam"
name = "Long printed beam"
file = "cad/beam.stl"
material = "pla"
process = "fdm-print"
)");
        writeBinary(dir / "machine/cad/bracket.stl", boxStl(20, 10, 5));
        writeBinary(dir / "machine/cad/plate.stl", boxStl(300, 200, 6));
        writeBinary(dir / "axis/cad/block.stl", boxStl(50, 40, 30));
        writeBinary(dir / "axis/cad/beam.stl", boxStl(300, 20, 20));
        repo.commitAll("First design", kAlice);
    }

    Bom bom(const std::string& rev = "HEAD", const FabProfile* fab = nullptr, std::vector<std::string> roots = {}) {
        auto tree = rev.empty() ? repo.workingTree() : repo.treeAt(rev);
        Design design = loadDesign(*tree, catalog());
        GeometryCache cache(store.get());
        BomOptions o;
        o.fab = fab;
        o.roots = std::move(roots);
        return computeBom(design, *tree, catalog(), cache, o);
    }
};

const BomLine& line(const Bom& bom, const std::string& module, const std::string& part) {
    for (const auto& l : bom.lines)
        if (l.module == module && l.partId == part) return l;
    FAIL("no line " << module << "/" << part);
    throw 0;
}

FabProfile fablab() { return loadFabProfile(telar::test::resourceDir() / "fabs" / "community-fablab.toml"); }
FabProfile workshop() { return loadFabProfile(telar::test::resourceDir() / "fabs" / "forprofit-workshop.toml"); }

} // namespace

TEST_CASE("BOM rolls up quantities through use and measures exact boxes", "[core][bom]") {
    TestDesign t;
    Bom bom = t.bom();
    REQUIRE(bom.ok());
    CHECK(bom.roots == std::vector<std::string>{"machine"});
    CHECK(bom.currency == "USD");
    REQUIRE(bom.lines.size() == 5);
    std::vector<std::string> order;
    for (const auto& l : bom.lines) order.push_back(l.module + "/" + l.partId);
    CHECK(order == std::vector<std::string>{"machine/bracket", "machine/plate", "machine/bolt", "axis/block", "axis/beam"});

    const BomLine& bracket = line(bom, "machine", "bracket");
    CHECK(bracket.quantity == 2);
    CHECK(bracket.moduleQuantity == 2);
    CHECK(*bracket.volume == 1000.0);
    CHECK(*bracket.area == 700.0);
    CHECK(*bracket.mass == Approx(1.24).epsilon(1e-6));
    CHECK((*bracket.stockSize)[0] == Approx(20).epsilon(1e-6));
    CHECK((*bracket.stockSize)[2] == Approx(5).epsilon(1e-6));
    CHECK(bracket.license == "CERN-OHL-S-2.0");
    CHECK(bracket.file == "machine/cad/bracket.stl");
    CHECK(bracket.blobId == hashBlob(boxStl(20, 10, 5)));
    CHECK(bracket.estimator == "print");

    const BomLine& block = line(bom, "axis", "block");
    CHECK(block.quantity == 6); // 2 per axis, 3 axes
    CHECK(block.moduleQuantity == 2);
    CHECK(*block.mass == Approx(60.0 * 2.7).epsilon(1e-6));
    CHECK(line(bom, "axis", "beam").quantity == 3);
    CHECK(line(bom, "machine", "bolt").quantity == 8);
    CHECK(line(bom, "machine", "plate").license == "CC-BY-4.0");
    CHECK(*line(bom, "machine", "plate").mass == Approx(360.0 * 0.68).epsilon(1e-6));

    CHECK(bom.total.lines == 5);
    CHECK(bom.total.pieces == 2 + 1 + 8 + 6 + 3);
    CHECK(bom.moduleTotals.at("axis").pieces == 9);
    CHECK(bom.processTotals.at("fdm-print").lines == 2);
    CHECK(bom.processTotals.at("fdm-print").pieces == 5);
    CHECK(bom.total.mass == Approx(2 * 1.24 + 244.8 + 6 * 162.0 + 3 * 120.0 * 1.24).epsilon(1e-9));
    CHECK(bom.total.unknownCost == 0);
}

TEST_CASE("BOM estimators give exact details without a fab", "[core][bom]") {
    TestDesign t;
    Bom bom = t.bom();
    // print: shells 2 × 0.4 mm over 700 mm² = 560 mm³, interior at 20 %: 560 + 0.2 × 440 = 648 mm³
    const Estimate& p = *line(bom, "machine", "bracket").estimate;
    CHECK(p.printedVolume == Approx(648.0).epsilon(1e-9));
    CHECK(p.materialMass == Approx(0.648 * 1.24).epsilon(1e-9));
    CHECK(p.filamentLength == Approx(648.0 / (M_PI * 1.75 * 1.75 / 4.0) / 1000.0).epsilon(1e-9));
    CHECK(p.hours == Approx((648.0 / 8.0 + 300.0) / 3600.0).epsilon(1e-9));
    CHECK(p.pricePerKg == 20.0);
    CHECK(p.hourlyRate == 3.0);
    const double bracketUnit = 0.648 * 1.24 / 1000.0 * 20.0 + (648.0 / 8.0 + 300.0) / 3600.0 * 3.0;
    CHECK(*line(bom, "machine", "bracket").unitCost == Approx(bracketUnit).epsilon(1e-9));
    CHECK(*line(bom, "machine", "bracket").lineCost == Approx(2 * bracketUnit).epsilon(1e-9));

    // cut: 6 mm sheet, 1000 mm perimeter, (300 + 5) × (200 + 5) mm of sheet
    const Estimate& c = *line(bom, "machine", "plate").estimate;
    CHECK(c.thickness == Approx(6.0).epsilon(1e-9));
    CHECK(c.cutLength == Approx(1000.0).epsilon(1e-9));
    CHECK(c.sheetArea == Approx(305.0 * 205.0).epsilon(1e-9));
    CHECK(c.materialMass == Approx(305.0 * 205.0 * 6.0 / 1000.0 * 0.68).epsilon(1e-9));
    CHECK(c.hours == Approx((1000.0 / 20.0 + 0.5) / 3600.0).epsilon(1e-9));

    // machine: stock 54 × 44 × 34 (2 mm allowance), removed = stock − part
    const Estimate& m = *line(bom, "axis", "block").estimate;
    CHECK(m.stock[0] == Approx(54.0).epsilon(1e-9));
    CHECK(m.stock[1] == Approx(44.0).epsilon(1e-9));
    CHECK(m.stock[2] == Approx(34.0).epsilon(1e-9));
    CHECK(m.stockVolume == Approx(80784.0).epsilon(1e-9));
    CHECK(m.removedVolume == Approx(20784.0).epsilon(1e-9));
    CHECK(m.hours == Approx((30.0 + 20.784 / 8.0) / 60.0).epsilon(1e-9));

    // purchased: the manifest's unit cost
    const BomLine& bolt = line(bom, "machine", "bolt");
    CHECK(*bolt.unitCost == 0.5);
    CHECK(*bolt.lineCost == 4.0);
    CHECK(bolt.supplier == "Bolt \"Best\" Co.");
    CHECK(bolt.sku == "M5-20");
    CHECK_FALSE(bolt.mass);
}

TEST_CASE("BOM for the community fab lab: make, outsource and local prices in EUR", "[core][bom][fab]") {
    TestDesign t;
    FabProfile fab = fablab();
    Bom bom = t.bom("HEAD", &fab);
    REQUIRE(bom.ok());
    CHECK(bom.currency == "EUR");
    CHECK(bom.fabName == "Community Fab Lab");
    const BomLine& bracket = line(bom, "machine", "bracket");
    CHECK(bracket.fabStatus == "make");
    CHECK(bracket.fabMachine == "Prusa MK4 #1");
    CHECK(bracket.estimate->pricePerKg == 18.0);   // the fab's PLA price
    CHECK(bracket.estimate->hourlyRate == 2.5);    // the printer's rate
    CHECK(*bracket.unitCost ==
          Approx(0.648 * 1.24 / 1000.0 * 18.0 + (648.0 / 8.0 + 300.0) / 3600.0 * 2.5).epsilon(1e-9));
    CHECK(line(bom, "machine", "plate").fabStatus == "make"); // 6 mm, 300 × 200 on a 600 × 400 bed
    CHECK(line(bom, "axis", "block").fabStatus == "outsource");
    CHECK(line(bom, "axis", "block").fabReason == "no cnc-mill machine");
    // catalogue price converted: aluminium 6 USD/kg × 0.92
    CHECK(line(bom, "axis", "block").estimate->pricePerKg == Approx(6.0 * 0.92).epsilon(1e-12));
    CHECK(line(bom, "axis", "beam").fabStatus == "outsource");
    CHECK(line(bom, "axis", "beam").fabReason == "does not fit 250×210×220 build volume");
    CHECK(line(bom, "machine", "bolt").fabStatus == "buy");
    CHECK(*line(bom, "machine", "bolt").unitCost == Approx(0.5 * 0.92).epsilon(1e-12));
    CHECK(line(bom, "machine", "bolt").currency == "EUR");
}

TEST_CASE("BOM for the for-profit workshop: no printers", "[core][bom][fab]") {
    TestDesign t;
    FabProfile fab = workshop();
    Bom bom = t.bom("HEAD", &fab);
    CHECK(line(bom, "machine", "bracket").fabStatus == "outsource");
    CHECK(line(bom, "machine", "bracket").fabReason == "no fdm-print machine");
    CHECK(line(bom, "machine", "plate").fabStatus == "make");
    CHECK(line(bom, "machine", "plate").fabMachine == "Fibre laser 6 kW");
    CHECK(line(bom, "machine", "plate").estimate->hourlyRate == 140.0);
    CHECK(line(bom, "axis", "block").fabStatus == "make");
    CHECK(line(bom, "axis", "block").fabMachine == "3-axis VMC");
    CHECK(line(bom, "axis", "block").estimate->pricePerKg == 5.5);
}

TEST_CASE("BOM of one module and the tree view", "[core][bom]") {
    TestDesign t;
    Bom axis = t.bom("HEAD", nullptr, {"axis"});
    REQUIRE(axis.lines.size() == 2);
    CHECK(line(axis, "axis", "block").quantity == 2);

    Bom bom = t.bom();
    REQUIRE(bom.tree.size() == 1);
    const BomNode& root = bom.tree[0];
    CHECK(root.module == "machine");
    CHECK(root.name == "Machine");
    CHECK(root.lines.size() == 3);
    REQUIRE(root.children.size() == 1);
    CHECK(root.children[0].module == "axis");
    CHECK(root.children[0].quantity == 3);
    CHECK(root.children[0].count == 3);
    CHECK(root.children[0].lines.size() == 2);
    CHECK(root.unitCost == Approx(bom.total.cost).epsilon(1e-9));
    CHECK(root.unitMass == Approx(bom.total.mass).epsilon(1e-9));

    CHECK_THROWS_AS(t.bom("HEAD", nullptr, {"axes"}), telar::UsageError);
    try {
        t.bom("HEAD", nullptr, {"axes"});
    } catch (const telar::UsageError& e) {
        CHECK(std::string(e.what()) == "no module 'axes' in HEAD (" + t.repo.resolve("HEAD")->substr(0, 7) +
                                           ") (did you mean 'axis'?)");
    }
}

TEST_CASE("BOM problems are errors on their line, never a crash or a silent zero", "[core][bom]") {
    TestDesign t;
    writeFile(t.dir / "axis/module.toml", R"([module]
name = "Axis"

[[part]]
id = "block"
name = "Bearing block"
file = "cad/block.stl"
material = "aluminum-6061"
process = "cnc-mill"
quantity = 2

[[part]]
id = "beam"
name = "Long printed beam"
file = "cad/beam.stl"
material = "pla"
process = "fdm-print"

[[part]]
id = "cover"
name = "Cover"
file = "cad/cover.stl"
material = "pla"
process = "fdm-print"

[[part]]
id = "garbage"
name = "Garbage"
file = "cad/garbage.stl"
material = "pla"
process = "fdm-print"
)");
    writeBinary(t.dir / "axis/cad/garbage.stl", std::string(301, 'G'));
    t.repo.commitAll("Break the axis", kAlice);
    Bom bom = t.bom();
    CHECK_FALSE(bom.ok());
    CHECK(bom.total.errors == 3);
    const BomLine& block = line(bom, "axis", "block");
    REQUIRE(block.errors.size() == 1);
    CHECK(block.errors[0] == "unknown material 'aluminum-6061' (did you mean 'aluminium-6061'?)");
    CHECK(*block.volume == 60000.0); // geometry still measured
    CHECK_FALSE(block.mass);
    CHECK_FALSE(block.unitCost);
    const BomLine& cover = line(bom, "axis", "cover");
    REQUIRE(cover.errors.size() == 1);
    CHECK(cover.errors[0].rfind("axis/cad/cover.stl: file is missing in HEAD (", 0) == 0);
    CHECK_FALSE(cover.unitCost);
    const BomLine& garbage = line(bom, "axis", "garbage");
    REQUIRE(garbage.errors.size() == 1);
    CHECK(garbage.errors[0].rfind("axis/cad/garbage.stl: ", 0) == 0);
    CHECK(line(bom, "axis", "beam").ok());
    CHECK(bom.total.unknownCost == 3);
    // The cached failure is served again, marked.
    Bom again = t.bom();
    CHECK(line(again, "axis", "garbage").errors[0].find("(cached failure)") != std::string::npos);
    CHECK(again.geometry.analysed == 0);
}

TEST_CASE("BOM CSV: header, quoting and a golden row", "[core][bom]") {
    TestDesign t;
    Bom bom = t.bom();
    const std::string csv = formatBomCsv(bom, BomView::Flat);
    const std::string header = "Module,Part,Name,Qty,Process,Material,Mass (g),Volume (mm3),Stock (mm),Unit cost,"
                               "Line cost,Currency,Supplier,SKU,File,Blob,Licence,Fab status,Fab reason,Problems\r\n";
    CHECK(csv.substr(0, header.size()) == header);
    CHECK(csv.find("\r\nmachine,plate,\"Base plate, birch\",1,laser-cut,plywood-birch,244.800,360000.000,"
                   "300.0 x 200.0 x 6.0,") != std::string::npos);
    CHECK(csv.find("\r\nmachine,bolt,Hex bolt M5x20,8,purchased,,,,,0.50,4.00,USD,\"Bolt \"\"Best\"\" Co.\",M5-20,,,"
                   "CERN-OHL-S-2.0,,,\r\n") != std::string::npos);
    std::size_t rows = 0;
    for (std::size_t p = 0; (p = csv.find("\r\n", p)) != std::string::npos; p += 2) ++rows;
    CHECK(rows == 6);

    const std::string tree = formatBomCsv(bom, BomView::Tree);
    CHECK(tree.rfind("Level,Module,Part,", 0) == 0);
    CHECK(tree.find("\r\n1,axis,,Axis,3,") != std::string::npos);
    CHECK(tree.find("\r\n2,axis,block,Bearing block,2,") != std::string::npos);
    CHECK(csvField("a\nb") == "\"a\nb\"");
}

TEST_CASE("BOM JSON is stable and complete", "[core][bom]") {
    TestDesign t;
    FabProfile fab = fablab();
    Bom bom = t.bom("HEAD", &fab);
    const std::string text = formatBomJson(bom);
    CHECK(text == formatBomJson(t.bom("HEAD", &fab)));
    auto j = nlohmann::json::parse(text);
    CHECK(j["format"] == "telar-bom");
    CHECK(j["version"] == 1);
    CHECK(j["ok"] == true);
    CHECK(j["currency"] == "EUR");
    CHECK(j["lines"].size() == 5);
    CHECK(j["lines"][3]["part"] == "block");
    CHECK(j["lines"][3]["quantity"] == 6);
    CHECK(j["lines"][3]["fab"]["status"] == "outsource");
    CHECK(j["lines"][3]["estimate"]["removed_volume_mm3"].get<double>() == Approx(20784.0).epsilon(1e-9));
    CHECK(j["tree"][0]["children"][0]["module"] == "axis");
    CHECK(j["totals"]["overall"]["pieces"] == 20);
    CHECK(j["totals"]["processes"]["purchased"]["lines"] == 1);
    const auto first = text.find("\"format\"");
    CHECK(first < text.find("\"lines\""));
    CHECK(text.find("\"lines\"") < text.find("\"tree\""));
}

TEST_CASE("glob matching of assembly rules", "[core][bom]") {
    CHECK(globMatch("*screw*", "Lid screw"));
    CHECK(globMatch("*SCREW*", "lid screw:2"));
    CHECK(globMatch("M?x*", "m3x10"));
    CHECK_FALSE(globMatch("*screw", "Lid screw cap"));
    CHECK(globMatch("*", ""));
    CHECK_FALSE(globMatch("?", ""));
}

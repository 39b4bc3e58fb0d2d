// BOMs of the generated Open Press commons (telar-example-gen): roll-up through `wheels` used
// twice, the controller's enclosure assembly expanded with its screw rule, masses, make/buy for
// the two example fabs, revisions (v1.0 vs HEAD), and the cache counter across runs and commits.
#include "test_support.h"

#include "telar/core/bom.h"
#include "telar/core/catalog.h"
#include "telar/core/design.h"
#include "telar/core/fab_profile.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/git.h"
#include "telar/core/store.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>

using namespace telar::core;
using telar::test::TempDir;

namespace {

const Catalog& catalog() {
    static const Catalog c = Catalog::load(telar::test::resourceDir());
    return c;
}

// The Open Press repository, generated once per test process.
const std::filesystem::path& openPress() {
    static TempDir dir("telar-bom-press");
    static bool made = false;
    if (!made) {
        auto r = telar::test::run({(telar::test::binaryDir() / "telar-example-gen").string(), dir.path().string()});
        if (r.exitCode != 0) throw std::runtime_error("telar-example-gen failed: " + r.err);
        made = true;
    }
    static const std::filesystem::path repo = dir.path() / "open-press";
    return repo;
}

Bom pressBom(const Repository& repo, Store& store, const std::string& rev, const FabProfile* fab = nullptr) {
    auto tree = repo.treeAt(rev);
    Design design = loadDesign(*tree, catalog());
    GeometryCache cache(&store);
    BomOptions o;
    o.fab = fab;
    return computeBom(design, *tree, catalog(), cache, o);
}

const BomLine& line(const Bom& bom, const std::string& module, const std::string& part) {
    for (const auto& l : bom.lines)
        if (l.module == module && l.partId == part) return l;
    FAIL("no line " << module << "/" << part);
    throw 0;
}

const Signature kCarol{"Carol Tester", "carol@example.org", 1800000000, 0};

} // namespace

TEST_CASE("Open Press BOM: roll-up, assembly expansion, masses", "[core][bom][example]") {
    TempDir home("telar-bom-store");
    auto store = Store::open(home / "telar.db");
    Repository repo = Repository::open(openPress());
    Bom bom = pressBom(repo, *store, "HEAD");
    CHECK(bom.roots == std::vector<std::string>{"press"});
    CHECK(bom.ok());
    CHECK(bom.lines.size() == 64);
    CHECK(line(bom, "wheels", "wheel-hub").quantity == 4); // 2 per wheel set, wheels used twice
    CHECK(line(bom, "wheels", "wheel-hub").moduleQuantity == 2);
    CHECK(line(bom, "frame", "m10x30").quantity == 24);
    CHECK(line(bom, "controller/sensors", "cable-tie").quantity == 20);
    CHECK(line(bom, "hydraulics", "hose-assembly").quantity == 4);

    const BomLine& base = line(bom, "controller", "enclosure-base");
    const BomLine& lid = line(bom, "controller", "enclosure-lid");
    const BomLine& screw = line(bom, "controller", "lid-screw");
    CHECK(base.name == "Enclosure base");
    CHECK(base.quantity == 1);
    CHECK(base.process == "fdm-print");
    CHECK(base.material == "petg");
    CHECK(base.assembly == "controller/cad/enclosure.step");
    CHECK(lid.quantity == 1);
    CHECK(screw.name == "Lid screw");
    CHECK(screw.quantity == 4);
    CHECK(screw.process == "purchased");
    CHECK(screw.material.empty());
    CHECK(screw.blobId == base.blobId);

    // mass = volume × density for every made part with geometry
    int checked = 0;
    for (const auto& l : bom.lines) {
        if (!l.mass) continue;
        const double density = catalog().material(l.material)->density;
        CHECK(*l.mass == Approx(*l.volume / 1000.0 * density).epsilon(1e-6));
        ++checked;
    }
    CHECK(checked == 40); // 38 single-part files + enclosure base and lid
    CHECK(*line(bom, "controller", "front-knob").volume > 0);
    CHECK(line(bom, "wheels", "wheel-hub").license == "CC-BY-SA-4.0");
    CHECK(line(bom, "hydraulics", "manifold-block").license == "CERN-OHL-P-2.0");
    CHECK(bom.tree[0].children.size() == 7);
    CHECK(bom.tree[0].children[6].module == "wheels");
    CHECK(bom.tree[0].children[6].quantity == 2);
}

TEST_CASE("Open Press make/buy at the two example fabs", "[core][bom][example][fab]") {
    TempDir home("telar-bom-store");
    auto store = Store::open(home / "telar.db");
    Repository repo = Repository::open(openPress());
    const FabProfile lab = loadFabProfile(telar::test::resourceDir() / "fabs" / "community-fablab.toml");
    const FabProfile shop = loadFabProfile(telar::test::resourceDir() / "fabs" / "forprofit-workshop.toml");
    Bom atLab = pressBom(repo, *store, "HEAD", &lab);
    Bom atShop = pressBom(repo, *store, "HEAD", &shop);

    CHECK(line(atLab, "frame", "foot-pad").fabStatus == "make");
    CHECK(line(atShop, "frame", "foot-pad").fabStatus == "outsource");
    CHECK(line(atShop, "frame", "foot-pad").fabReason == "no fdm-print machine");
    CHECK(line(atLab, "wheels", "wheel-hub").fabReason == "no cnc-mill machine");
    CHECK(line(atShop, "wheels", "wheel-hub").fabStatus == "make");
    CHECK(line(atShop, "wheels", "wheel-hub").fabMachine == "3-axis VMC");
    CHECK(line(atLab, "frame", "side-plate").fabStatus == "outsource"); // 8 mm since "Thicken the frame side plates"
    CHECK(line(atLab, "frame", "side-plate").fabReason == "8 mm is thicker than the 6 mm maximum of CO2 laser 60 W");
    CHECK(line(atShop, "frame", "side-plate").fabStatus == "make");
    CHECK(line(atLab, "frame", "base-plate").fabReason == "8 mm is thicker than the 6 mm maximum of CO2 laser 60 W");
    CHECK(line(atLab, "drawer", "drawer-floor").fabReason == "12 mm is thicker than the 6 mm maximum of CO2 laser 60 W");
    CHECK(line(atLab, "controller", "gland-plate").fabStatus == "make");
    CHECK(line(atLab, "controller", "gland-plate").fabMachine == "CO2 laser 60 W");
    CHECK(line(atLab, "controller", "enclosure-base").fabStatus == "make");
    CHECK(line(atLab, "controller", "lid-screw").fabStatus == "buy");
    CHECK(line(atLab, "hopper", "agitator-shaft").fabReason == "no turning machine");
    CHECK(line(atShop, "hopper", "agitator-shaft").fabMachine == "CNC lathe");
    CHECK(atLab.currency == "EUR");
    CHECK(*line(atLab, "frame", "m10x30").unitCost == Approx(0.18 * 0.92).epsilon(1e-12));
}

TEST_CASE("Open Press BOM at v1.0 and HEAD differ in the hopper walls", "[core][bom][example]") {
    TempDir home("telar-bom-store");
    auto store = Store::open(home / "telar.db");
    Repository repo = Repository::open(openPress());
    Bom v1 = pressBom(repo, *store, "v1.0");
    Bom head = pressBom(repo, *store, "HEAD");
    const BomLine& a = line(v1, "hopper", "hopper-wall");
    const BomLine& b = line(head, "hopper", "hopper-wall");
    CHECK(a.blobId != b.blobId);
    CHECK((*a.stockSize)[0] == Approx(400.0).epsilon(1e-6));
    CHECK((*a.stockSize)[1] == Approx(350.0).epsilon(1e-6));
    CHECK((*b.stockSize)[0] == Approx(420.0).epsilon(1e-6));
    CHECK((*b.stockSize)[1] == Approx(400.0).epsilon(1e-6));
    CHECK(*b.volume > *a.volume);
    CHECK(line(v1, "frame", "side-plate").blobId == line(head, "frame", "side-plate").blobId);
    // Only the two changed hopper files were new to the cache at HEAD.
    CHECK(head.geometry.analysed == 2);
}

TEST_CASE("Open Press BOM: warm cache analyses nothing, one changed file exactly one", "[core][bom][example][cache]") {
    TempDir work("telar-bom-clone");
    TempDir home("telar-bom-store");
    auto store = Store::open(home / "telar.db");
    Repository repo = Repository::clone(openPress().string(), work / "open-press");
    const auto counter = [&] { return store->counter(GeometryCache::kAnalysedCounter); };

    Bom cold = pressBom(repo, *store, "HEAD");
    CHECK(counter() == 39);
    Bom warm = pressBom(repo, *store, "HEAD");
    CHECK(counter() == 39);
    CHECK(warm.geometry.analysed == 0);
    CHECK(warm.geometry.cacheHits == 39);
    CHECK(warm.lines.size() == cold.lines.size());
    CHECK(*line(warm, "wheels", "wheel-hub").volume == *line(cold, "wheels", "wheel-hub").volume);

    // A damaged cache value is recomputed (one analysis), with the same result.
    GeometryCache probe(store.get());
    const std::string blob = line(cold, "wheels", "wheel-hub").blobId;
    store->cachePut(GeometryCache::kCacheKind, probe.cacheKey(blob), "telar-geometry ok\n{not json");
    Bom repaired = pressBom(repo, *store, "HEAD");
    CHECK(counter() == 40);
    CHECK(*line(repaired, "wheels", "wheel-hub").volume == *line(cold, "wheels", "wheel-hub").volume);

    // Change one CAD file and commit: exactly one analysis.
    const auto knob = work / "open-press" / "controller" / "cad" / "front-knob.stl";
    std::string bytes = telar::test::readFile(knob);
    bytes[79] = bytes[79] == 'x' ? 'y' : 'x'; // the STL header: same geometry, new blob
    std::ofstream(knob, std::ios::binary | std::ios::trunc) << bytes;
    repo.commitAll("Touch the knob", kCarol);
    Bom changed = pressBom(repo, *store, "HEAD");
    CHECK(counter() == 41);
    CHECK(changed.geometry.analysed == 1);
    CHECK(line(changed, "controller", "front-knob").blobId != line(cold, "controller", "front-knob").blobId);

    // A file removed at a revision is an error line, the BOM is not ok, the rest is computed.
    std::filesystem::remove(work / "open-press" / "hopper" / "cad" / "hopper-end.step");
    repo.commitAll("Lose a file", kCarol);
    Bom broken = pressBom(repo, *store, "HEAD");
    CHECK_FALSE(broken.ok());
    CHECK(broken.total.errors == 1);
    const BomLine& end = line(broken, "hopper", "hopper-end");
    REQUIRE(end.errors.size() == 1);
    CHECK(end.errors[0].rfind("hopper/cad/hopper-end.step: file is missing in HEAD (", 0) == 0);
    CHECK(broken.lines.size() == 64);
    CHECK(pressBom(repo, *store, "HEAD~1").ok());
    CHECK(counter() == 41);
}

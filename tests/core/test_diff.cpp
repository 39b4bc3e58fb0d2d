// The hardware-aware diff and the BOM diff on the generated Open Press commons: v1.0 → HEAD (the
// hopper walls got taller and the hopper version went up) and the fork against its upstream
// (wider wheel hub, new tyre name, SKU and price).

#include "telar/core/bom.h"
#include "telar/core/bom_diff.h"
#include "telar/core/catalog.h"
#include "telar/core/design.h"
#include "telar/core/diff.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/git.h"
#include "telar/core/store.h"
#include "test_support.h"

#include <catch2/catch.hpp>

using namespace telar::core;
using telar::test::TempDir;
using Catch::Matchers::WithinAbs;

namespace {

const Catalog& catalog() {
    static const Catalog c = Catalog::load(telar::test::resourceDir());
    return c;
}

const std::filesystem::path& commons() {
    static TempDir dir("telar-diff-commons");
    static bool made = false;
    if (!made) {
        auto r = telar::test::run({(telar::test::binaryDir() / "telar-example-gen").string(), dir.path().string()});
        if (r.exitCode != 0) throw std::runtime_error("telar-example-gen failed: " + r.err);
        made = true;
    }
    return dir.path();
}

Store& store() {
    static TempDir dir("telar-diff-store");
    static std::unique_ptr<Store> s = Store::open(dir.path() / "store.db");
    return *s;
}

const ModuleDiff* moduleDiff(const DesignDiff& d, const std::string& id) {
    for (const auto& m : d.modules)
        if (m.module == id) return &m;
    return nullptr;
}

} // namespace

TEST_CASE("diff v1.0 → HEAD: the hopper's version and the taller hopper walls", "[core][diff]") {
    Repository repo = Repository::open(commons() / "open-press");
    auto before = repo.treeAt("v1.0");
    auto after = repo.treeAt("HEAD");
    GeometryCache cache(&store());
    DiffOptions o;
    o.cache = &cache;
    DesignDiff d = diffDesigns(*before, *after, catalog(), o);
    CHECK(d.licences.empty());
    CHECK(d.project.empty());
    REQUIRE(d.modules.size() == 1);
    const ModuleDiff& h = d.modules[0];
    CHECK(h.module == "hopper");
    CHECK(h.kind == ChangeKind::Changed);
    REQUIRE(h.fields.size() == 1);
    CHECK(h.fields[0].field == "version");
    CHECK(h.fields[0].before == "1.0.0");
    CHECK(h.fields[0].after == "1.1.0");
    REQUIRE(h.parts.size() == 2);
    CHECK(h.parts[0].part == "hopper-wall");
    CHECK(h.parts[0].geometryChanged);
    CHECK(h.parts[0].fields.empty());
    CHECK(h.parts[1].part == "hopper-end");
    REQUIRE(d.geometry.size() == 2);
    const GeometryDiff& g = d.geometry[0];
    CHECK(g.part == "hopper-wall");
    CHECK(g.pathBefore == "hopper/cad/hopper-wall.step");
    CHECK(g.pathAfter == "hopper/cad/hopper-wall.step");
    CHECK(g.blobBefore == *before->blobId("hopper/cad/hopper-wall.step"));
    CHECK(g.blobAfter == *after->blobId("hopper/cad/hopper-wall.step"));
    REQUIRE(g.volumeBefore);
    REQUIRE(g.volumeAfter);
    // a 400 x 350 x 3 plate and a 400 x 420 x 3 plate, each with the same four holes
    CHECK_THAT(*g.volumeAfter - *g.volumeBefore, WithinAbs(400.0 * 70.0 * 3.0, 1e-3));
    REQUIRE(g.sizeBefore);
    REQUIRE(g.sizeAfter);
    CHECK_THAT((*g.sizeBefore)[0], WithinAbs(400.0, 1e-3));
    CHECK_THAT((*g.sizeBefore)[1], WithinAbs(350.0, 1e-3));
    CHECK_THAT((*g.sizeAfter)[0], WithinAbs(420.0, 1e-3));
    CHECK_THAT((*g.sizeAfter)[1], WithinAbs(400.0, 1e-3));
    REQUIRE(g.massBefore);
    REQUIRE(g.massAfter);
    CHECK_THAT(*g.massAfter - *g.massBefore, WithinAbs(84000.0 / 1000.0 * 7.85, 1e-3));
    REQUIRE(d.cost);
    CHECK(d.cost->currency == "USD");
    CHECK(d.cost->after > d.cost->before);

    const std::string text = formatDiffText(d);
    CHECK(text.find("Licences: unchanged\n") != std::string::npos);
    CHECK(text.find("  ~ hopper (Soil hopper)\n      version: 1.0.0 → 1.1.0\n      ~ part hopper-wall (geometry changed)\n") !=
          std::string::npos);
}

TEST_CASE("diff upstream → fork: wheel hub geometry, tyre name, SKU and cost, the recorded upstream", "[core][diff]") {
    Repository fork = Repository::open(commons() / "open-press-fork");
    auto before = fork.treeAt("origin/main");
    auto after = fork.treeAt("HEAD");
    GeometryCache cache(&store());
    DiffOptions o;
    o.cache = &cache;
    DesignDiff d = diffDesigns(*before, *after, catalog(), o);
    CHECK(d.licences.empty());
    REQUIRE(d.project.size() == 3);
    CHECK(d.project[0].field == "upstream.url");
    CHECK(d.project[1].field == "upstream.commit");
    CHECK(d.project[1].after == *fork.resolve("origin/main"));
    CHECK(d.project[2].field == "upstream.forked");
    CHECK(d.project[2].after == "2026-03-01T10:00:00Z");
    const ModuleDiff* w = moduleDiff(d, "wheels");
    REQUIRE(w);
    REQUIRE(w->parts.size() == 2);
    CHECK(w->parts[0].part == "wheel-hub");
    CHECK(w->parts[0].geometryChanged);
    CHECK(w->parts[1].part == "tyre");
    REQUIRE(w->parts[1].fields.size() == 3);
    CHECK(w->parts[1].fields[0].field == "name");
    CHECK(w->parts[1].fields[0].before == "Pneumatic tyre 4.00-8");
    CHECK(w->parts[1].fields[0].after == "Pneumatic tyre 5.00-10 (soft ground)");
    CHECK(w->parts[1].fields[1].field == "unit_cost");
    CHECK(w->parts[1].fields[1].before == "21");
    CHECK(w->parts[1].fields[1].after == "34");
    CHECK(w->parts[1].fields[2].field == "sku");
    CHECK(w->parts[1].fields[2].before == "TYRE-400-8");
    CHECK(w->parts[1].fields[2].after == "TYRE-500-10");
    REQUIRE(d.geometry.size() == 1);
    CHECK(d.geometry[0].part == "wheel-hub");
    REQUIRE(d.geometry[0].sizeBefore);
    REQUIRE(d.geometry[0].sizeAfter);
    CHECK(*d.geometry[0].sizeBefore != *d.geometry[0].sizeAfter);
    REQUIRE(d.cost);
}

TEST_CASE("bom diff v1.0 → HEAD of the press: the two hopper plates", "[core][diff][bom]") {
    Repository repo = Repository::open(commons() / "open-press");
    auto before = repo.treeAt("v1.0");
    auto after = repo.treeAt("HEAD");
    GeometryCache cache(&store());
    Bom a = computeBom(loadDesign(*before, catalog()), *before, catalog(), cache);
    Bom b = computeBom(loadDesign(*after, catalog()), *after, catalog(), cache);
    BomDiff d = diffBoms(a, b);
    REQUIRE(d.lines.size() == 2);
    CHECK(d.lines[0].module == "hopper");
    CHECK(d.lines[0].partId == "hopper-wall");
    CHECK(d.lines[0].kind == ChangeKind::Changed);
    CHECK(d.lines[0].quantityBefore == 2);
    CHECK(d.lines[0].quantityAfter == 2);
    CHECK(d.lines[0].changes == std::vector<std::string>{"geometry", "volume", "size", "mass", "cost"});
    CHECK_THAT(*d.lines[0].volumeBefore, WithinAbs(419538.186, 1e-3));
    CHECK_THAT(*d.lines[0].volumeAfter, WithinAbs(503538.186, 1e-3));
    CHECK_THAT(*d.lines[0].massBefore, WithinAbs(3293.375, 1e-3));
    CHECK_THAT(*d.lines[0].massAfter, WithinAbs(3952.775, 1e-3));
    CHECK(d.lines[1].partId == "hopper-end");
    CHECK(d.totalBefore.lines == d.totalAfter.lines);
    CHECK_THAT(d.totalAfter.mass - d.totalBefore.mass, WithinAbs(2 * (400.0 + 300.0) * 70.0 * 3.0 / 1000.0 * 7.85, 1e-3));
    const std::string md = formatBomDiffMarkdown(d);
    CHECK(md.rfind("### Bill of materials\n\n| Change | Module | Part | Qty | Mass (g) | Line cost (USD) | What changed |\n", 0) == 0);
    CHECK(md.find("| changed | hopper | hopper-wall | 2 | ") != std::string::npos);
    CHECK(formatBomDiffCsv(d).rfind("Change,Module,Part,Name,Qty before,Qty after,", 0) == 0);
}

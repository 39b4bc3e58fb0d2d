// Releases on copies of the generated Open Press commons: each failing gate names itself and
// its reasons and creates no tag; a release of HEAD tags it with the BOM summary and the
// changes since v1.0; tag names that exist or are invalid are refused.
#include "test_support.h"

#include "telar/core/catalog.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/git.h"
#include "telar/core/release.h"
#include "telar/core/store.h"
#include "telar/error.h"

#include <catch2/catch.hpp>

using namespace telar::core;
using telar::test::TempDir;
using telar::test::writeFile;

namespace {

const Catalog& catalog() {
    static const Catalog c = Catalog::load(telar::test::resourceDir());
    return c;
}

// One store for the whole process, so each CAD file is analysed once.
Store& sharedStore() {
    static TempDir dir("telar-release-store");
    static auto store = Store::open(dir / "telar.db");
    return *store;
}

// A fresh Open Press repository (generated into a new folder).
struct Press {
    TempDir dir{"telar-release"};
    std::filesystem::path repoDir;
    Press() {
        auto r = telar::test::run({(telar::test::binaryDir() / "telar-example-gen").string(), dir.path().string()});
        if (r.exitCode != 0) throw std::runtime_error("telar-example-gen failed: " + r.err);
        repoDir = dir.path() / "open-press";
    }
};

const Signature kCarol{"Carol Tester", "carol@example.org", 1800000000, 0};

bool hasTag(const Repository& repo, const std::string& tag) {
    auto tags = repo.tags();
    return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

} // namespace

TEST_CASE("a release of the example's HEAD passes every gate and tags it with the BOM changes since v1.0",
          "[core][release]") {
    Press press;
    Repository repo = Repository::open(press.repoDir);
    GeometryCache cache(&sharedStore());
    ReleaseCheck check = createRelease(repo, "v1.1", "HEAD", "Open Press 1.1", kCarol, catalog(), cache);
    INFO(check.notes);
    REQUIRE(check.ok());
    REQUIRE(check.gates.size() == 4);
    CHECK(check.gates[0].id == "manifests");
    CHECK(check.gates[1].id == "licences");
    CHECK(check.gates[2].id == "cad");
    CHECK(check.gates[3].id == "bom");
    CHECK(check.previousTag == std::optional<std::string>("v1.0"));
    CHECK(hasTag(repo, "v1.1"));
    CHECK(repo.resolve("v1.1") == repo.resolve("HEAD"));
    CHECK(check.notes ==
          "BOM of press: 64 lines, 292 pieces, mass 158.635 kg, cost 3138.61 USD (1 lines without a cost)\n"
          "  cnc-mill: 10 lines, 25 pieces\n"
          "  fdm-print: 12 lines, 35 pieces\n"
          "  laser-cut: 14 lines, 35 pieces\n"
          "  purchased: 24 lines, 190 pieces\n"
          "  turning: 4 lines, 7 pieces\n"
          "\n"
          "Changes since v1.0:\n\n"
          "### Bill of materials\n\n"
          "| Change | Module | Part | Qty | Mass (g) | Line cost (USD) | What changed |\n"
          "|---|---|---|---|---|---|---|\n"
          "| changed | hopper | hopper-wall | 2 | 3293.375 → 3952.775 | 10.79 → 12.63 | geometry, volume, size, mass, "
          "cost |\n"
          "| changed | hopper | hopper-end | 2 | 2469.125 → 2963.675 | 8.45 → 9.89 | geometry, volume, size, mass, "
          "cost |\n"
          "\n"
          "Totals: 64 → 64 lines, 292 → 292 pieces, mass 156.327 → 158.635 kg, cost 3135.34 → 3138.61 USD (+3.28).\n");
    // The previous release of v1.1 is v1.0; of v1.0 there is none.
    CHECK(previousReleaseTag(repo, "v1.1", "v1.1") == std::optional<std::string>("v1.0"));
    CHECK(previousReleaseTag(repo, "v1.0", "v1.0") == std::nullopt);
    // The same tag again, or a bad name, is refused before any gate runs.
    CHECK_THROWS_AS(createRelease(repo, "v1.1", "HEAD", "", kCarol, catalog(), cache), telar::UsageError);
    CHECK_THROWS_AS(createRelease(repo, "bad name", "HEAD", "", kCarol, catalog(), cache), telar::UsageError);
}

TEST_CASE("a manifest error fails the manifests gate and creates no tag", "[core][release]") {
    Press press;
    Repository repo = Repository::open(press.repoDir);
    const auto file = press.repoDir / "drawer" / "module.toml";
    std::string text = telar::test::readFile(file);
    text.replace(text.find("quantity = "), 12, "quantity = 0"); // first part's quantity
    writeFile(file, text);
    repo.commitAll("Break the drawer", kCarol);
    GeometryCache cache(&sharedStore());
    ReleaseCheck check = createRelease(repo, "v1.1", "HEAD", "", kCarol, catalog(), cache);
    CHECK_FALSE(check.ok());
    REQUIRE(check.firstFailure() != nullptr);
    CHECK(check.firstFailure()->id == "manifests");
    CHECK(check.gates[0].reasons ==
          std::vector<std::string>{"drawer/module.toml:14:12: part[1].quantity: must be a positive integer, got 0"});
    CHECK_FALSE(hasTag(repo, "v1.1"));
}

TEST_CASE("a CAD file that cannot be read fails the cad and bom gates and creates no tag", "[core][release]") {
    Press press;
    Repository repo = Repository::open(press.repoDir);
    writeFile(press.repoDir / "frame" / "cad" / "gusset.step", "ISO-10303-21;\nthis is not a STEP file\n");
    repo.commitAll("Corrupt the gusset", kCarol);
    GeometryCache cache(&sharedStore());
    ReleaseCheck check = createRelease(repo, "v1.1", "HEAD", "", kCarol, catalog(), cache);
    CHECK(check.gates[0].passed);
    CHECK(check.gates[1].passed);
    CHECK_FALSE(check.gates[2].passed);
    CHECK(check.gates[2].reasons == std::vector<std::string>{"frame/cad/gusset.step: STEP file is truncated (it does "
                                                             "not end with END-ISO-10303-21;)"});
    CHECK_FALSE(check.gates[3].passed);
    REQUIRE(check.gates[3].reasons.size() == 1);
    CHECK(check.gates[3].reasons[0].rfind("frame/gusset: frame/cad/gusset.step: STEP file is truncated (it does not "
                                          "end with END-ISO-10303-21;)",
                                          0) == 0);
    CHECK(check.firstFailure()->id == "cad");
    CHECK_FALSE(hasTag(repo, "v1.1"));
}

TEST_CASE("an origin licence its module cannot honour fails the licences gate", "[core][release]") {
    Press press;
    Repository repo = Repository::open(press.repoDir);
    const auto file = press.repoDir / "wheels" / "module.toml";
    std::string text = telar::test::readFile(file);
    const std::string from = "license = \"CC-BY-4.0\"";
    REQUIRE(text.find(from) != std::string::npos);
    text.replace(text.find(from), from.size(), "license = \"CC-BY-NC-ND-4.0\"");
    writeFile(file, text);
    repo.commitAll("Hub under a no-derivatives licence", kCarol);
    GeometryCache cache(&sharedStore());
    ReleaseCheck check = createRelease(repo, "v1.1", "HEAD", "", kCarol, catalog(), cache);
    CHECK(check.gates[0].passed);
    CHECK_FALSE(check.gates[1].passed);
    CHECK(check.gates[1].reasons ==
          std::vector<std::string>{"wheels/module.toml:17:11: part[1].origin.license: part 'wheel-hub' imports geometry "
                                   "licensed CC-BY-NC-ND-4.0 from https://fieldcart.example.org/cad/wheel-hub.step, "
                                   "which the module's licence CC-BY-SA-4.0 does not honour: CC-BY-NC-ND-4.0 material "
                                   "cannot be relicensed, but CC-BY-SA-4.0 requires the whole design under "
                                   "CC-BY-SA-4.0"});
    CHECK(check.firstFailure()->id == "licences");
    CHECK_FALSE(hasTag(repo, "v1.1"));
}

TEST_CASE("release notes of a first release and of an unchanged BOM", "[core][release]") {
    Bom bom;
    bom.roots = {"p"};
    bom.total.lines = 1;
    bom.total.pieces = 2;
    bom.total.mass = 1500;
    bom.total.cost = 3.5;
    bom.processTotals["laser-cut"] = BomTotals{1, 2, 1500, 3.5, 0, 0};
    CHECK(releaseNotes(bom, nullptr, "") == "BOM of p: 1 lines, 2 pieces, mass 1.500 kg, cost 3.50 USD\n"
                                            "  laser-cut: 1 lines, 2 pieces\n\n"
                                            "First release: no earlier release tag to compare with.\n");
    CHECK(releaseNotes(bom, &bom, "v0.9").substr(releaseNotes(bom, &bom, "v0.9").rfind('\n', 
          releaseNotes(bom, &bom, "v0.9").size() - 2) + 1) == "No BOM changes since v0.9.\n");
}

// Fabrication packages of the generated Open Press commons at v1.0: the exact list of files,
// SHA256SUMS that verify, byte-identical zips from two builds, the licence verdict for the two
// example fabs, the OKH-LOSH fields, atomic writing and path safety.
#include "test_support.h"

#include "telar/core/catalog.h"
#include "telar/core/design.h"
#include "telar/core/fab_profile.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/git.h"
#include "telar/core/okh.h"
#include "telar/core/package.h"
#include "telar/core/sha256.h"
#include "telar/core/store.h"
#include "telar/error.h"

#include <catch2/catch.hpp>

#include <sstream>

using namespace telar::core;
using telar::test::TempDir;

namespace {

const Catalog& catalog() {
    static const Catalog c = Catalog::load(telar::test::resourceDir());
    return c;
}

Store& sharedStore() {
    static TempDir dir("telar-package-store");
    static auto store = Store::open(dir / "telar.db");
    return *store;
}

const std::filesystem::path& openPress() {
    static TempDir dir("telar-package-press");
    static bool made = false;
    if (!made) {
        auto r = telar::test::run({(telar::test::binaryDir() / "telar-example-gen").string(), dir.path().string()});
        if (r.exitCode != 0) throw std::runtime_error("telar-example-gen failed: " + r.err);
        made = true;
    }
    static const std::filesystem::path repo = dir.path() / "open-press";
    return repo;
}

FabProfile fab(const std::string& name) { return loadFabProfile(telar::test::resourceDir() / "fabs" / name); }

Package build(const std::string& fabName, const std::string& rev = "v1.0") {
    Repository repo = Repository::open(openPress());
    auto tree = repo.treeAt(rev);
    Design design = loadDesign(*tree, catalog());
    GeometryCache cache(&sharedStore());
    FabProfile f = fab(fabName);
    PackageOptions o;
    o.fab = &f;
    o.version = rev;
    o.repoUrl = "https://example.org/open-press.git";
    o.timestamp = 1700000000;
    return buildPackage(design, *tree, catalog(), cache, o);
}

const Package& fablabPackage() {
    static const Package p = build("community-fablab.toml");
    return p;
}

std::vector<std::string> paths(const Package& p) {
    std::vector<std::string> out;
    for (const auto& f : p.files) out.push_back(f.path);
    return out;
}

} // namespace

TEST_CASE("the package of v1.0 for the community fab lab holds exactly these files", "[core][package]") {
    const Package& p = fablabPackage();
    CHECK(paths(p) == std::vector<std::string>{
        "LICENSES.txt",
        "NOTICE.txt",
        "README.txt",
        "SHA256SUMS",
        "VERDICT.json",
        "VERDICT.txt",
        "bom/bom-tree.csv",
        "bom/bom.cdx.json",
        "bom/bom.csv",
        "bom/bom.html",
        "bom/bom.json",
        "bom/bom.xlsx",
        "okh.toml",
        "parts/compression-chamber/hinge-knuckle.step",
        "parts/compression-chamber/hinge-pin.step",
        "parts/compression-chamber/lid.step",
        "parts/compression-chamber/liner-plate.step",
        "parts/compression-chamber/piston-plate.step",
        "parts/compression-chamber/wear-strip.step",
        "parts/controller/din-rail-clip.stl",
        "parts/controller/enclosure-base.stl",
        "parts/controller/enclosure-lid.stl",
        "parts/controller/front-knob.stl",
        "parts/controller/gland-plate.step",
        "parts/controller/sensors/sensor-bracket.stl",
        "parts/controller/sensors/sensor-cover.stl",
        "parts/drawer/drawer-floor.step",
        "parts/drawer/drawer-front.step",
        "parts/drawer/drawer-handle.stl",
        "parts/drawer/drawer-runner.step",
        "parts/drawer/drawer-side.step",
        "parts/frame/base-plate.step",
        "parts/frame/corner-cap.stl",
        "parts/frame/cross-member.step",
        "parts/frame/foot-pad.stl",
        "parts/frame/gusset.step",
        "parts/frame/side-plate.step",
        "parts/frame/top-rail.step",
        "parts/hopper/agitator-paddle.step",
        "parts/hopper/agitator-shaft.step",
        "parts/hopper/funnel-guide.stl",
        "parts/hopper/hopper-end.step",
        "parts/hopper/hopper-wall.step",
        "parts/hopper/shaft-collar.step",
        "parts/hydraulics/clevis-pin.step",
        "parts/hydraulics/cylinder-mount.step",
        "parts/hydraulics/hose-guide.stl",
        "parts/hydraulics/manifold-block.step",
        "parts/press/nameplate.step",
        "parts/wheels/axle-bracket.step",
        "parts/wheels/axle.step",
        "parts/wheels/hubcap.stl",
        "parts/wheels/wheel-hub.step"});
    CHECK(p.files.size() == 53);
    CHECK(p.warnings.empty());
    CHECK(p.bom.ok());
}

TEST_CASE("SHA256SUMS lists and verifies every other file of the package", "[core][package]") {
    const Package& p = fablabPackage();
    const PackageFile* sums = p.find("SHA256SUMS");
    REQUIRE(sums);
    std::istringstream in(sums->bytes);
    std::string line;
    size_t n = 0;
    while (std::getline(in, line)) {
        REQUIRE(line.size() > 66);
        const std::string hex = line.substr(0, 64), path = line.substr(66);
        CHECK(line.substr(64, 2) == "  ");
        const PackageFile* f = p.find(path);
        REQUIRE(f);
        CHECK(sha256Hex(f->bytes) == hex);
        ++n;
    }
    CHECK(n == p.files.size() - 1);
}

TEST_CASE("two builds of the same revision and fab give byte-identical zips", "[core][package]") {
    const Package& a = fablabPackage();
    Package b = build("community-fablab.toml");
    REQUIRE(a.files.size() == b.files.size());
    for (size_t i = 0; i < a.files.size(); ++i) {
        INFO(a.files[i].path);
        CHECK(a.files[i].path == b.files[i].path);
        CHECK(a.files[i].bytes == b.files[i].bytes);
    }
    const std::string za = zipBytes(a.files), zb = zipBytes(b.files);
    CHECK(za == zb);

    // Written as a zip and read back, the same entries in the same order.
    TempDir out("telar-package-out");
    writePackage(a.files, out / "press.zip");
    CHECK(telar::test::readFile(out / "press.zip") == za);
    auto back = readZip(out / "press.zip");
    REQUIRE(back.size() == a.files.size());
    for (size_t i = 0; i < back.size(); ++i) {
        CHECK(back[i].path == a.files[i].path);
        CHECK(back[i].bytes == a.files[i].bytes);
    }
    // An existing output is refused and left untouched; no temporary is left behind.
    CHECK_THROWS_AS(writePackage(a.files, out / "press.zip"), telar::UsageError);
    writePackage(a.files, out / "folder");
    CHECK(telar::test::readFile(out / "folder" / "SHA256SUMS") == a.find("SHA256SUMS")->bytes);
    CHECK_THROWS_AS(writePackage(a.files, out / "folder"), telar::UsageError);
    size_t entries = 0;
    for (const auto& e : std::filesystem::directory_iterator(out.path())) {
        (void)e;
        ++entries;
    }
    CHECK(entries == 2);
}

TEST_CASE("the verdict in the package is the one for that fab", "[core][package]") {
    // Everything but the commit id, which differs between generated examples.
    auto withoutCommit = [](const std::string& text) {
        const size_t at = text.find("Revision: v1.0 (");
        return text.substr(0, at + 16) + text.substr(text.find(')', at));
    };
    const std::string fablab = withoutCommit(fablabPackage().find("VERDICT.txt")->bytes);
    CHECK(fablab.substr(0, fablab.find("\n\npress ")) ==
          "Licence verdict for Community Fab Lab (nonprofit, contributes to this commons,\n"
          "  non-commercial use)\n"
          "Revision: v1.0 ()\n\n"
          "Product press: free with obligations");
    CHECK(fablab.find("Reciprocity:") == std::string::npos);
    Package metal = build("forprofit-workshop.toml");
    const std::string workshop = withoutCommit(metal.find("VERDICT.txt")->bytes);
    CHECK(workshop.substr(0, workshop.find("compression-chamber ")) ==
          "Licence verdict for Metalworks Ltd (for-profit, does not contribute, commercial\n"
          "  use)\n"
          "Revision: v1.0 ()\n\n"
          "Product press: reciprocity required (controller, drawer, hopper)\n\n"
          "press (CERN-OHL-S-2.0, x1): free with obligations\n"
          "  obligations: attribute, share alike (whole design), publish sources\n"
          "  reason: CERN-OHL-S-2.0 allows any use, commercial included, on conditions:\n"
          "    attribute, share alike (whole design), publish sources\n");
    CHECK(workshop.substr(workshop.find("\nReciprocity: ")) ==
          "\nReciprocity: ask Open Press for-benefit association\n"
          "  (mailto:stewards@openpress.example); terms:\n"
          "  https://openpress.example/reciprocity\n");
}

TEST_CASE("okh.toml in the package names the product, its licence, mass and parts", "[core][package][okh]") {
    const std::string okh = fablabPackage().find("okh.toml")->bytes;
    std::istringstream in(okh);
    std::vector<std::string> head;
    for (std::string line; std::getline(in, line) && line != "source = [";) head.push_back(line);
    REQUIRE(head.size() == 10);
    CHECK(head[0].rfind("# OKH-LOSH manifest written by Telar from v1.0 (", 0) == 0);
    CHECK(std::vector<std::string>(head.begin() + 1, head.end()) ==
          std::vector<std::string>{"okhv = \"OKH-LOSHv1.0\"", "name = \"Open Press\"",
                                   "repo = \"https://example.org/open-press.git\"", "version = \"v1.0\"",
                                   "license = \"CERN-OHL-S-2.0\"", "licensor = \"Open Press contributors\"",
                                   "function = \"A compressed-earth brick press\"", "readme = \"README.txt\"",
                                   "bom = \"bom/bom.csv\""});
    CHECK(okh.find("\ntsdc = [\n  \"3DP\",\n  \"CNC\",\n  \"LAS\",\n]\n") != std::string::npos);
    CHECK(okh.find("\n[[part]]\nname = \"Side plate\"\ntsdc = \"LAS\"\nmaterial = \"steel-s235\"\n"
                   "source = \"frame/cad/side-plate.step\"\nexport = [\"parts/frame/side-plate.step\"]\n"
                   "# telar: module frame, part side-plate, quantity 2, process laser-cut\n") != std::string::npos);
    CHECK(okh.find("\n[mass]\nvalue = ") != std::string::npos);
}

TEST_CASE("package paths cannot leave the package", "[core][package]") {
    CHECK(isSafePackagePath("parts/frame/side-plate.step"));
    CHECK_FALSE(isSafePackagePath("../x"));
    CHECK_FALSE(isSafePackagePath("parts/../../x"));
    CHECK_FALSE(isSafePackagePath("/etc/passwd"));
    CHECK_FALSE(isSafePackagePath("a//b"));
    CHECK_FALSE(isSafePackagePath("a\\b"));
    CHECK_FALSE(isSafePackagePath("C:x"));
    CHECK_FALSE(isSafePackagePath("./a"));
    CHECK_FALSE(isSafePackagePath(""));
    CHECK_THROWS_AS(zipBytes({{"../evil", "x"}}), telar::Error);
    TempDir out("telar-package-evil");
    CHECK_THROWS_AS(writePackage({{"ok.txt", "x"}, {"../evil", "x"}}, out / "pkg"), telar::Error);
    CHECK_FALSE(std::filesystem::exists(out / "pkg"));
    CHECK_FALSE(std::filesystem::exists(out.path().parent_path() / "evil"));
}

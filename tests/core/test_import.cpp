// Importing geometry into a module of a real git repository: the copy, the exact [[part]] and
// [part.origin] written, refusals that leave every file as it was, and provenance telling the
// imported original from a later change.

#include "telar/core/git.h"
#include "telar/core/import.h"
#include "telar/core/provenance.h"
#include "telar/core/store.h"
#include "telar/error.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace telar::core;
using telar::test::git;
using telar::test::readFile;
using telar::test::TempDir;
using telar::test::writeFile;

namespace {

const std::string kProject = R"(# Import test project
[project]
name = "Import test"
license = "CERN-OHL-S-2.0"   # wheels has no licence of its own
licensor = "Import test contributors"
)";

const std::string kFrame = R"(# Frame of the cart
[module]
name = "Frame"   # shown in the BOM
version = "1.0.0"
license = "CERN-OHL-P-2.0"

[[part]]
id = "rail"
name = "Rail"
process = "purchased"
quantity = 2  # one per side

# Sub-modules
[[use]]
module = "wheels"
)";

const std::string kWheels = R"([module]
name = "Wheels"
version = "0.3.0"
)";

// A tetrahedron as ASCII STL; its SHA-256 is kStlSha256 (as `sha256sum` prints it).
const std::string kStl =
    "solid bracket\n"
    "facet normal 0 0 -1\n outer loop\n  vertex 0 0 0\n  vertex 0 10 0\n  vertex 10 0 0\n"
    " endloop\nendfacet\n"
    "facet normal 0 -1 0\n outer loop\n  vertex 0 0 0\n  vertex 10 0 0\n  vertex 0 0 10\n"
    " endloop\nendfacet\n"
    "facet normal -1 0 0\n outer loop\n  vertex 0 0 0\n  vertex 0 0 10\n  vertex 0 10 0\n"
    " endloop\nendfacet\n"
    "facet normal 0.577 0.577 0.577\n outer loop\n  vertex 10 0 0\n  vertex 0 10 0\n"
    "  vertex 0 0 10\n endloop\nendfacet\n"
    "endsolid bracket\n";
const std::string kStlSha256 = "be6b17858ba551a60fcf058d1fe73c08dca0f9ede9030b73767fbbebee7d954f";

void commitAll(const fs::path& repo, const std::string& message, int hours) {
    const std::string date = std::to_string(1767225600 + hours * 3600) + " +0000";
    git(repo, {"add", "-A"});
    git(repo, {"commit", "-q", "-m", message},
        {"GIT_AUTHOR_NAME=Ada Importer", "GIT_AUTHOR_EMAIL=ada@example.org", "GIT_AUTHOR_DATE=" + date,
         "GIT_COMMITTER_NAME=Ada Importer", "GIT_COMMITTER_EMAIL=ada@example.org",
         "GIT_COMMITTER_DATE=" + date});
}

// A design repository with the frame (CERN-OHL-P-2.0) and wheels (project licence) modules,
// committed, and the file to import outside it.
struct ImportRepo {
    TempDir tmp{"telar-import"};
    fs::path repo = tmp / "repo";
    fs::path download = tmp / "downloads" / "Corner Bracket.STL";

    ImportRepo() {
        fs::create_directories(repo);
        git(repo, {"init", "-q", "-b", "main"});
        writeFile(repo / "telar.toml", kProject);
        writeFile(repo / "frame/module.toml", kFrame);
        writeFile(repo / "wheels/module.toml", kWheels);
        commitAll(repo, "Frame and wheels", 0);
        writeFile(download, kStl);
    }

    ImportRequest request(const std::string& module, const std::string& license) const {
        ImportRequest r;
        r.file = download;
        r.module = module;
        r.source = "https://parts.example.org/corner-bracket";
        r.license = license;
        r.author = "Bea Maker";
        r.retrieved = "2026-03-14";
        return r;
    }

    // The working tree's changes as `git status --porcelain` prints them.
    std::string status() const { return git(repo, {"status", "--porcelain", "--untracked-files=all"}); }
};

// Runs f, which must throw E, and returns what() (empty when it did not throw E).
template <typename E, typename F> std::string messageOf(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    return {};
}

} // namespace

TEST_CASE("the test STL's SHA-256 is what sha256sum prints", "[core][import]") {
    TempDir tmp("telar-import-sha");
    writeFile(tmp / "b.stl", kStl);
    auto r = telar::test::run({"sha256sum", (tmp / "b.stl").string()});
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.substr(0, 64) == kStlSha256);
}

TEST_CASE("import copies the file and appends the part with its origin", "[core][import]") {
    ImportRepo t;
    ImportRequest req = t.request("frame", "cc-by-4.0");
    req.quantity = 4;
    req.process = "fdm-print";
    req.material = "petg";
    req.to = "frame/cad/";
    ImportResult r = importGeometry(t.repo, req);

    CHECK(r.module == "frame");
    CHECK(r.manifest == "frame/module.toml");
    CHECK(r.path == "frame/cad/Corner Bracket.STL");
    CHECK(r.part.id == "corner-bracket");
    CHECK(r.part.name == "Corner Bracket");
    CHECK(r.part.file == "cad/Corner Bracket.STL");
    CHECK(r.workLicense == "CERN-OHL-P-2.0");
    CHECK(r.size == kStl.size());
    REQUIRE(r.part.origin);
    CHECK(r.part.origin->license == "CC-BY-4.0"); // normalised to the catalogue's spelling
    CHECK(r.part.origin->sha256 == kStlSha256);
    CHECK(r.effects ==
          std::vector<std::string>{"keep the notices of the CC-BY-4.0 material and credit its authors"});

    CHECK(readFile(t.repo / "frame/cad/Corner Bracket.STL") == kStl);
    CHECK(readFile(t.repo / "frame/module.toml") == R"(# Frame of the cart
[module]
name = "Frame"   # shown in the BOM
version = "1.0.0"
license = "CERN-OHL-P-2.0"

[[part]]
id = "rail"
name = "Rail"
process = "purchased"
quantity = 2  # one per side

[[part]]
id = "corner-bracket"
name = "Corner Bracket"
file = "cad/Corner Bracket.STL"
material = "petg"
process = "fdm-print"
quantity = 4
[part.origin]
source = "https://parts.example.org/corner-bracket"
license = "CC-BY-4.0"
author = "Bea Maker"
retrieved = "2026-03-14"
sha256 = ")" + kStlSha256 + R"("

# Sub-modules
[[use]]
module = "wheels"
)");
    CHECK(readFile(t.repo / "telar.toml") == kProject);
    CHECK(t.status() == " M frame/module.toml\n?? \"frame/cad/Corner Bracket.STL\"");

    // A second import of the same file needs another id and another place.
    ImportRequest again = t.request("frame", "CC-BY-4.0");
    again.to = "frame/cad/";
    CHECK(messageOf<telar::UsageError>([&] { importGeometry(t.repo, again); }) ==
          "module 'frame' already has a part 'corner-bracket': give the new part another id with --id");
    again.partId = "corner-bracket-2";
    CHECK(messageOf<telar::UsageError>([&] { importGeometry(t.repo, again); }) ==
          "frame/cad/Corner Bracket.STL already exists: choose another place or name with --to, or remove it "
          "first");
}

TEST_CASE("import into another module's folder records a path relative to the module", "[core][import]") {
    ImportRepo t;
    ImportRequest req = t.request("wheels", "MIT");
    req.partId = "hub";
    req.name = "Wheel hub";
    req.to = "shared/hub.stl";
    ImportResult r = importGeometry(t.repo, req);
    CHECK(r.path == "shared/hub.stl");
    CHECK(r.part.file == "../shared/hub.stl");
    CHECK(r.workLicense == "CERN-OHL-S-2.0"); // wheels names none: the project's applies
    CHECK(readFile(t.repo / "wheels/module.toml") == kWheels + R"(
[[part]]
id = "hub"
name = "Wheel hub"
file = "../shared/hub.stl"
quantity = 1
[part.origin]
source = "https://parts.example.org/corner-bracket"
license = "MIT"
author = "Bea Maker"
retrieved = "2026-03-14"
sha256 = ")" + kStlSha256 + "\"\n");
    CHECK(readFile(t.repo / "shared/hub.stl") == kStl);
}

TEST_CASE("an origin licence the module cannot honour is refused and nothing is written", "[core][import]") {
    ImportRepo t;
    CHECK(
        messageOf<ImportRefused>([&] { importGeometry(t.repo, t.request("frame", "CC-BY-NC-4.0")); }) ==
        "cannot import Corner Bracket.STL into module 'frame': its licence CERN-OHL-P-2.0 cannot honour the "
        "origin licence CC-BY-NC-4.0: CC-BY-NC-4.0 forbids commercial use, so a work including it becomes "
        "non-commercial, which CERN-OHL-P-2.0 does not allow (license the work non-commercially or replace "
        "the "
        "material). Import it into a module whose licence can include CC-BY-NC-4.0, or obtain the geometry "
        "under a licence CERN-OHL-P-2.0 can include.");
    // wheels takes the project's CERN-OHL-S-2.0, which lets anyone use the work commercially.
    CHECK(
        messageOf<ImportRefused>([&] { importGeometry(t.repo, t.request("wheels", "PPL")); }) ==
        "cannot import Corner Bracket.STL into module 'wheels': its licence CERN-OHL-S-2.0 (from telar.toml) "
        "cannot honour the origin licence PPL: PPL reserves some commercial use to an agreement with its "
        "licensor, but CERN-OHL-S-2.0 would let anyone use the work commercially. Import it into a module "
        "whose licence can include PPL, or obtain the geometry under a licence CERN-OHL-S-2.0 can include.");
    CHECK(readFile(t.repo / "frame/module.toml") == kFrame);
    CHECK(readFile(t.repo / "wheels/module.toml") == kWheels);
    CHECK_FALSE(fs::exists(t.repo / "frame/Corner Bracket.STL"));
    CHECK_FALSE(fs::exists(t.repo / "wheels/Corner Bracket.STL"));
    CHECK(t.status().empty());

    // CC BY-SA geometry can go into a CC BY-SA module only; the frame's permissive licence cannot hold it.
    CHECK_THROWS_AS(importGeometry(t.repo, t.request("frame", "CC-BY-SA-4.0")), ImportRefused);
    CHECK(t.status().empty());
}

TEST_CASE("bad import requests are refused with what to do, leaving the tree as it was", "[core][import]") {
    ImportRepo t;
    auto usage = [&](ImportRequest req) {
        return messageOf<telar::UsageError>([&] { importGeometry(t.repo, req); });
    };

    CHECK(usage(t.request("frame", "MIT OR )")) ==
          "origin licence 'MIT OR )' is not a valid SPDX expression: unexpected ')' at column 8");
    CHECK(usage(t.request("frame", "CC-BY-4")) ==
          "origin licence 'CC-BY-4' is not a valid SPDX expression: unknown licence id 'CC-BY-4' at column 1 "
          "(did you mean 'CC-BY-4.0'?)");
    CHECK(
        usage(t.request("fram", "MIT")) ==
        "no module 'fram' (did you mean 'frame'?): fram/module.toml does not exist; name an existing module, "
        "or add it with `telar module add fram`");

    ImportRequest missing = t.request("frame", "MIT");
    missing.file = t.tmp / "downloads/nothing.step";
    CHECK(usage(missing) == "file to import not found: " + missing.file.string());

    ImportRequest date = t.request("frame", "MIT");
    date.retrieved = "2026-02-30";
    CHECK(usage(date) ==
          "retrieval date '2026-02-30' is not a valid date: write it YYYY-MM-DD (ISO 8601), e.g. "
          "2026-11-01");
    date.retrieved = "14.03.2026";
    CHECK(usage(date) ==
          "retrieval date '14.03.2026' is not a valid date: write it YYYY-MM-DD (ISO 8601), e.g. "
          "2026-11-01");

    ImportRequest outside = t.request("frame", "MIT");
    outside.to = "../elsewhere/bracket.stl";
    CHECK(usage(outside) ==
          "target ../elsewhere/bracket.stl is outside the repository (escapes the repository): "
          "give a path inside the repository, e.g. frame/Corner Bracket.STL");
    outside.to = (t.tmp / "bracket.stl").string();
    CHECK(usage(outside) == "target " + outside.to + " is outside the repository " + t.repo.string() +
                                ": give a path inside it, e.g. frame/Corner Bracket.STL");
    outside.to = ".git/bracket.stl";
    CHECK(usage(outside) == "target .git/bracket.stl is inside .git: give a path in the working folder, e.g. "
                            "frame/Corner Bracket.STL");

    ImportRequest exists = t.request("frame", "MIT");
    exists.to = "telar.toml";
    CHECK(usage(exists) ==
          "telar.toml already exists: choose another place or name with --to, or remove it first");

    ImportRequest badId = t.request("frame", "MIT");
    badId.partId = "Corner Bracket";
    CHECK(usage(badId) ==
          "'Corner Bracket' is not a valid part id ([a-z0-9][a-z0-9._-]*): give one with --id");

    ImportRequest noAuthor = t.request("frame", "MIT");
    noAuthor.author.clear();
    CHECK(usage(noAuthor) == "the author of the geometry is missing: give who made it");

    ImportRequest process = t.request("frame", "MIT");
    process.process = "laser-cutt";
    CHECK(usage(process).rfind("unknown process 'laser-cutt' (did you mean 'laser-cut'?)", 0) == 0);

    CHECK(readFile(t.repo / "frame/module.toml") == kFrame);
    CHECK(t.status().empty());
}

TEST_CASE("import needs a licence to check against and a target that stays inside", "[core][import]") {
    ImportRepo t;
    writeFile(t.repo / "telar.toml", "[project]\nname = \"Unlicensed\"\n");
    CHECK(messageOf<ImportRefused>([&] { importGeometry(t.repo, t.request("wheels", "MIT")); }) ==
          "cannot import Corner Bracket.STL into module 'wheels': neither wheels/module.toml nor telar.toml "
          "names a licence, so nothing says whether the module can honour MIT; set license in [module] or in "
          "telar.toml's [project] first");

    fs::create_directory_symlink(t.tmp / "downloads", t.repo / "frame/outside");
    ImportRequest link = t.request("frame", "MIT");
    link.to = "frame/outside/";
    CHECK(
        messageOf<telar::UsageError>([&] { importGeometry(t.repo, link); }) ==
        "target frame/outside/Corner Bracket.STL leads outside the repository through a symbolic link (to " +
            (t.tmp / "downloads/Corner Bracket.STL").string() + "): give a path inside the repository");
    CHECK(readFile(t.repo / "frame/module.toml") == kFrame);
    CHECK(readFile(t.repo / "wheels/module.toml") == kWheels);
}

TEST_CASE("import refuses to rewrite a module manifest that has errors", "[core][import]") {
    ImportRepo t;
    const std::string broken = kWheels + "\n[[part]]\nid = \"tyre\"\nname = \"Tyre\"\nquantity = 0\n";
    writeFile(t.repo / "wheels/module.toml", broken);
    CHECK(messageOf<telar::ManifestError>([&] { importGeometry(t.repo, t.request("wheels", "MIT")); }) ==
          "wheels/module.toml:8:12: part[1].quantity: must be a positive integer, got 0");
    CHECK(readFile(t.repo / "wheels/module.toml") == broken);
    CHECK_FALSE(fs::exists(t.repo / "wheels/Corner Bracket.STL"));
}

TEST_CASE("provenance tells the imported original from a later change", "[core][import][provenance]") {
    ImportRepo t;
    ImportRequest req = t.request("frame", "CC-BY-4.0");
    req.partId = "bracket";
    req.to = "frame/cad/bracket.stl";
    importGeometry(t.repo, req);
    commitAll(t.repo, "Import the corner bracket", 1);

    Repository repo = Repository::open(t.repo);
    auto store = Store::open(t.tmp / "store.db", [](const std::string&) {});
    Provenance p = provenanceOf(repo, *store, *repo.workingTree(), "frame:bracket");
    CHECK(p.kind == ProvenanceKind::Part);
    REQUIRE(p.commits.size() == 1);
    CHECK(p.commits[0].summary == "Import the corner bracket");
    REQUIRE(p.origins.size() == 1);
    CHECK(p.origins[0].file == "frame/cad/bracket.stl");
    CHECK(p.origins[0].license == "CC-BY-4.0");
    CHECK(p.origins[0].author == "Bea Maker");
    CHECK(p.origins[0].retrieved == "2026-03-14");
    CHECK(p.origins[0].recordedSha256 == kStlSha256);
    CHECK(p.origins[0].actualSha256 == kStlSha256);
    CHECK(p.origins[0].modified == false);

    writeFile(t.repo / "frame/cad/bracket.stl", kStl + "solid fillet\nendsolid fillet\n");
    commitAll(t.repo, "Bracket: add a fillet", 2);
    p = provenanceOf(repo, *store, *repo.workingTree(), "frame:bracket");
    REQUIRE(p.commits.size() == 2);
    CHECK(p.commits[0].summary == "Bracket: add a fillet");
    REQUIRE(p.origins.size() == 1);
    CHECK(p.origins[0].recordedSha256 == kStlSha256);
    CHECK(p.origins[0].actualSha256 != kStlSha256);
    CHECK(p.origins[0].modified == true);
}

TEST_CASE("part ids derived from file names", "[core][import]") {
    CHECK(partIdFromFileName("Side Plate v2.STEP") == "side-plate-v2");
    CHECK(partIdFromFileName("/tmp/x/[a]_Idler_Cam_Lock_x2.STL") == "a-idler-cam-lock-x2");
    CHECK(partIdFromFileName("bolt_M8x20.v2.step") == "bolt-m8x20.v2");
    CHECK(partIdFromFileName("hub.step") == "hub");
    CHECK(partIdFromFileName("Ösen-Blech.stl") == "sen-blech");
    CHECK(partIdFromFileName("___.stl").empty());
}

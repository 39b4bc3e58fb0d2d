// Three-way merges of design repositories built by the test with fixed signatures: structural
// manifest merges (different parts, different fields, new parts on both sides) with exact texts,
// field and part conflicts with their resolutions, abort restoring exact bytes, a dirty tree
// refused, fast-forward / up to date, and a merge that brings in an NC licence.

#include "telar/core/git.h"
#include "telar/core/merge.h"
#include "telar/error.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <map>

namespace fs = std::filesystem;
using namespace telar::core;
using telar::test::readFile;
using telar::test::TempDir;
using telar::test::writeFile;

namespace {

const Signature kAlice{"Alice Maker", "alice@example.org", 1700000000, 60};
const Signature kBob{"Bob Builder", "bob@example.org", 1700003600, -300};
const Signature kCarol{"Carol Merger", "carol@example.org", 1700007200, 0};

const std::string kProject = "# Test press project\n"
                             "[project]\n"
                             "name = \"Test Press\"\n"
                             "license = \"CERN-OHL-S-2.0\"\n"
                             "products = [\"frame\"]\n";

const std::string kFrame = "# Frame — welded box frame\n"
                           "[module]\n"
                           "name = \"Frame\"\n"
                           "version = \"1.0.0\"\n"
                           "license = \"CERN-OHL-S-2.0\"\n"
                           "\n"
                           "# The two side plates carry the load.\n"
                           "[[part]]\n"
                           "id = \"side-plate\"\n"
                           "name = \"Side plate\"\n"
                           "file = \"cad/side-plate.stl\"\n"
                           "material = \"steel-s235\"\n"
                           "process = \"laser-cut\"\n"
                           "quantity = 2\n"
                           "\n"
                           "[[part]]\n"
                           "id = \"m8x20\"\n"
                           "name = \"Hex bolt M8x20\"\n"
                           "process = \"purchased\"\n"
                           "quantity = 16 # four per corner\n"
                           "unit_cost = 0.12\n"
                           "currency = \"USD\"\n";

const std::string kReadme = "# Test press\n\nLine one.\nLine two.\nLine three.\n";

// Binary bytes standing in for a CAD file (NUL bytes make it binary for git).
std::string cad(const std::string& tag) { return std::string("solid\0\x01\x02 plate ", 15) + tag; }

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    auto pos = text.find(from);
    REQUIRE(pos != std::string::npos);
    return text.replace(pos, from.size(), to);
}

// A repository with one commit on main and a branch `theirs` at it.
struct Repo {
    TempDir tmp{"telar-merge"};
    fs::path root = tmp.path() / "repo";
    Repository repo = Repository::init(root);
    std::string baseId;

    Repo() {
        write("telar.toml", kProject);
        write("frame/module.toml", kFrame);
        write("frame/cad/side-plate.stl", cad("v1"));
        write("README.md", kReadme);
        baseId = commit("Base design", kAlice);
        repo.createBranch("theirs", "HEAD");
    }
    void write(const std::string& rel, const std::string& text) const { writeFile(root / rel, text); }
    std::string read(const std::string& rel) const { return readFile(root / rel); }
    std::string commit(const std::string& message, const Signature& who) {
        auto id = repo.commitAll(message, who);
        REQUIRE(id);
        return *id;
    }
    // Commits edits on `theirs`, then edits on main; returns {theirs, ours} commit ids.
    std::pair<std::string, std::string> branches(const std::function<void()>& theirsEdit,
                                                 const std::function<void()>& oursEdit) {
        repo.checkoutBranch("theirs");
        theirsEdit();
        std::string t = commit("Their change", kBob);
        repo.checkoutBranch("main");
        oursEdit();
        std::string o = commit("Our change", kAlice);
        return {t, o};
    }
    bool exists(const std::string& rel) const { return fs::exists(root / ".git" / rel); }
};

// Every file under dir (except .git) with its bytes.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
        if (it->path().filename() == ".git") {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file()) out[fs::relative(it->path(), dir).generic_string()] = readFile(it->path());
    }
    return out;
}

} // namespace

TEST_CASE("merge: edits to different parts merge cleanly into a commit with two parents", "[core][merge]") {
    Repo r;
    auto [theirs, ours] = r.branches([&] { r.write("frame/module.toml", replaced(kFrame, "unit_cost = 0.12", "unit_cost = 0.15")); },
                                     [&] { r.write("frame/module.toml", replaced(kFrame, "quantity = 2", "quantity = 3")); });
    MergeResult m = mergeRevision(r.repo, "theirs", kCarol);
    REQUIRE(m.conflicts.empty());
    CHECK(m.licenceFindings.empty());
    CHECK_FALSE(m.fastForward);
    CHECK_FALSE(m.upToDate);
    REQUIRE(m.committed);
    CHECK(r.repo.resolve("HEAD") == m.commitId);
    CHECK(r.read("frame/module.toml") ==
          replaced(replaced(kFrame, "quantity = 2", "quantity = 3"), "unit_cost = 0.12", "unit_cost = 0.15"));
    auto log = r.repo.log("HEAD", "", 1);
    REQUIRE(log.size() == 1);
    CHECK(log[0].parents == std::vector<std::string>{ours, theirs});
    CHECK(log[0].summary == "Merge theirs into main");
    CHECK(log[0].author.name == "Carol Merger");
    CHECK(log[0].author.time == 1700007200);
    CHECK(r.repo.status().empty());
    CHECK_FALSE(mergeInProgress(r.repo));
    CHECK_FALSE(r.exists("MERGE_HEAD"));
    CHECK_FALSE(r.exists("TELAR_MERGE"));
}

TEST_CASE("merge: different fields of one part and new parts on both sides, comments kept", "[core][merge]") {
    Repo r;
    const std::string washer = "\n[[part]]\nid = \"washer-m8\"\nname = \"Washer M8\"\nprocess = \"purchased\"\nquantity = 16\n";
    const std::string nut = "\n# Nuts to match the bolts\n[[part]]\nid = \"nut-m8\"\nname = \"Nut M8\"\nprocess = \"purchased\"\nquantity = 16\n";
    r.branches(
        [&] {
            std::string t = replaced(kFrame, "name = \"Side plate\"", "name = \"Side plate, 8 mm\"");
            t = replaced(t, "version = \"1.0.0\"", "version = \"1.1.0\"");
            r.write("frame/module.toml", t + nut);
        },
        [&] { r.write("frame/module.toml", replaced(kFrame, "quantity = 2", "quantity = 3") + washer); });
    MergeResult m = mergeRevision(r.repo, "theirs", kCarol);
    REQUIRE(m.conflicts.empty());
    REQUIRE(m.committed);
    const std::string expected = "# Frame — welded box frame\n"
                                 "[module]\n"
                                 "name = \"Frame\"\n"
                                 "version = \"1.1.0\"\n"
                                 "license = \"CERN-OHL-S-2.0\"\n"
                                 "\n"
                                 "# The two side plates carry the load.\n"
                                 "[[part]]\n"
                                 "id = \"side-plate\"\n"
                                 "name = \"Side plate, 8 mm\"\n"
                                 "file = \"cad/side-plate.stl\"\n"
                                 "material = \"steel-s235\"\n"
                                 "process = \"laser-cut\"\n"
                                 "quantity = 3\n"
                                 "\n"
                                 "[[part]]\n"
                                 "id = \"m8x20\"\n"
                                 "name = \"Hex bolt M8x20\"\n"
                                 "process = \"purchased\"\n"
                                 "quantity = 16 # four per corner\n"
                                 "unit_cost = 0.12\n"
                                 "currency = \"USD\"\n"
                                 "\n"
                                 "[[part]]\n"
                                 "id = \"washer-m8\"\n"
                                 "name = \"Washer M8\"\n"
                                 "process = \"purchased\"\n"
                                 "quantity = 16\n"
                                 "\n"
                                 "# Nuts to match the bolts\n"
                                 "[[part]]\n"
                                 "id = \"nut-m8\"\n"
                                 "name = \"Nut M8\"\n"
                                 "process = \"purchased\"\n"
                                 "quantity = 16\n";
    CHECK(r.read("frame/module.toml") == expected);
    CHECK(r.repo.status().empty());
}

TEST_CASE("merge: removed part and removed field on their side, added field kept", "[core][merge]") {
    Repo r;
    r.branches(
        [&] {
            // theirs drops the bolt and the bolt comment, adds a supplier to the plate
            std::string t = kFrame.substr(0, kFrame.find("\n[[part]]\nid = \"m8x20\""));
            t = replaced(t + "\n", "quantity = 2\n", "quantity = 2\nsupplier = \"Steel & Co\"\n");
            r.write("frame/module.toml", t);
        },
        [&] { r.write("frame/module.toml", replaced(kFrame, "version = \"1.0.0\"", "version = \"1.0.1\"")); });
    MergeResult m = mergeRevision(r.repo, "theirs", kCarol);
    REQUIRE(m.conflicts.empty());
    REQUIRE(m.committed);
    CHECK(r.read("frame/module.toml") == "# Frame — welded box frame\n"
                                         "[module]\n"
                                         "name = \"Frame\"\n"
                                         "version = \"1.0.1\"\n"
                                         "license = \"CERN-OHL-S-2.0\"\n"
                                         "\n"
                                         "# The two side plates carry the load.\n"
                                         "[[part]]\n"
                                         "id = \"side-plate\"\n"
                                         "name = \"Side plate\"\n"
                                         "file = \"cad/side-plate.stl\"\n"
                                         "material = \"steel-s235\"\n"
                                         "process = \"laser-cut\"\n"
                                         "quantity = 2\n"
                                         "supplier = \"Steel & Co\"\n");
}

TEST_CASE("merge: the same field changed both ways is one field conflict, resolve --theirs commits", "[core][merge]") {
    Repo r;
    auto [theirs, ours] = r.branches(
        [&] {
            std::string t = replaced(kFrame, "quantity = 2", "quantity = 4");
            r.write("frame/module.toml", replaced(t, "unit_cost = 0.12", "unit_cost = 0.15"));
        },
        [&] { r.write("frame/module.toml", replaced(kFrame, "quantity = 2", "quantity = 3")); });
    MergeResult m = mergeRevision(r.repo, "theirs", kCarol);
    CHECK_FALSE(m.committed);
    REQUIRE(m.conflicts.size() == 1);
    const MergeConflict& c = m.conflicts[0];
    CHECK(c.kind == "field");
    CHECK(c.module == "frame");
    CHECK(c.part == "side-plate");
    CHECK(c.field == "quantity");
    CHECK(c.path == "frame/module.toml");
    CHECK(c.base == "2");
    CHECK(c.ours == "3");
    CHECK(c.theirs == "4");
    CHECK(c.message == "frame/module.toml: part side-plate: quantity changed on both sides (base 2, ours 3, theirs 4)");
    // the clean change is applied, the conflicting field keeps ours
    const std::string working = replaced(replaced(kFrame, "quantity = 2", "quantity = 3"), "unit_cost = 0.12", "unit_cost = 0.15");
    CHECK(r.read("frame/module.toml") == working);
    CHECK(r.read(".git/MERGE_HEAD") == theirs + "\n");
    auto state = mergeInProgress(r.repo);
    REQUIRE(state);
    CHECK(state->theirs == "theirs");
    CHECK(state->theirsId == theirs);
    CHECK(state->oursId == ours);
    CHECK(state->baseId == r.baseId);
    CHECK(state->branch == "main");
    CHECK(state->conflicts.size() == 1);
    CHECK_THROWS_AS(mergeRevision(r.repo, "theirs", kCarol), telar::UsageError);
    CHECK_THROWS_AS(resolveConflict(r.repo, "side-plate", ResolveChoice::Both, kCarol), telar::UsageError);
    CHECK_THROWS_AS(resolveConflict(r.repo, "no-such-part", ResolveChoice::Ours, kCarol), telar::UsageError);

    MergeResult done = resolveConflict(r.repo, "side-plate", ResolveChoice::Theirs, kCarol);
    CHECK(done.conflicts.empty());
    REQUIRE(done.committed);
    CHECK(r.read("frame/module.toml") == replaced(working, "quantity = 3", "quantity = 4"));
    auto log = r.repo.log("HEAD", "", 1);
    CHECK(log[0].id == done.commitId);
    CHECK(log[0].parents == std::vector<std::string>{ours, theirs});
    CHECK(r.repo.treeAt("HEAD")->readFile("frame/module.toml") == replaced(working, "quantity = 3", "quantity = 4"));
    CHECK(r.repo.status().empty());
    CHECK_FALSE(mergeInProgress(r.repo));
    CHECK_FALSE(r.exists("MERGE_HEAD"));
}

TEST_CASE("merge: resolve --ours keeps our value of a field", "[core][merge]") {
    Repo r;
    r.branches([&] { r.write("frame/module.toml", replaced(kFrame, "quantity = 2", "quantity = 4")); },
               [&] { r.write("frame/module.toml", replaced(kFrame, "quantity = 2", "quantity = 3")); });
    REQUIRE(mergeRevision(r.repo, "theirs", kCarol).conflicts.size() == 1);
    MergeResult done = resolveConflict(r.repo, "frame/side-plate", ResolveChoice::Ours, kCarol);
    REQUIRE(done.committed);
    CHECK(r.read("frame/module.toml") == replaced(kFrame, "quantity = 2", "quantity = 3"));
    CHECK(r.repo.status().empty());
}

TEST_CASE("merge: a part deleted on one side and changed on the other is a part conflict", "[core][merge]") {
    Repo r;
    const std::string withoutBolt = kFrame.substr(0, kFrame.find("\n[[part]]\nid = \"m8x20\""));
    r.branches([&] { r.write("frame/module.toml", withoutBolt); },
               [&] { r.write("frame/module.toml", replaced(kFrame, "unit_cost = 0.12", "unit_cost = 0.10")); });
    MergeResult m = mergeRevision(r.repo, "theirs", kCarol);
    REQUIRE(m.conflicts.size() == 1);
    CHECK(m.conflicts[0].kind == "part");
    CHECK(m.conflicts[0].part == "m8x20");
    CHECK(m.conflicts[0].ours == "present");
    CHECK(m.conflicts[0].theirs == "deleted");
    CHECK(m.conflicts[0].message == "frame/module.toml: part[m8x20]: deleted in theirs, changed in ours");
    MergeResult done = resolveConflict(r.repo, "m8x20", ResolveChoice::Theirs, kCarol);
    REQUIRE(done.committed);
    CHECK(r.read("frame/module.toml") == withoutBolt);
}

TEST_CASE("merge: a CAD file changed on both sides is a part conflict, --both keeps theirs as a new part", "[core][merge]") {
    Repo r;
    auto [theirs, ours] = r.branches([&] { r.write("frame/cad/side-plate.stl", cad("v3 theirs")); },
                                     [&] { r.write("frame/cad/side-plate.stl", cad("v2 ours")); });
    MergeResult m = mergeRevision(r.repo, "theirs", kCarol);
    REQUIRE(m.conflicts.size() == 1);
    const MergeConflict& c = m.conflicts[0];
    CHECK(c.kind == "part");
    CHECK(c.module == "frame");
    CHECK(c.part == "side-plate");
    CHECK(c.path == "frame/cad/side-plate.stl");
    CHECK(c.base == hashBlob(cad("v1")));
    CHECK(c.ours == hashBlob(cad("v2 ours")));
    CHECK(c.theirs == hashBlob(cad("v3 theirs")));
    CHECK(c.message == "part side-plate (frame/cad/side-plate.stl): CAD file changed on both sides");
    CHECK(r.read("frame/cad/side-plate.stl") == cad("v2 ours"));
}

TEST_CASE("merge: resolve a CAD conflict --both", "[core][merge]") {
    Repo r;
    auto [theirs, ours] = r.branches([&] { r.write("frame/cad/side-plate.stl", cad("v3 theirs")); },
                                     [&] { r.write("frame/cad/side-plate.stl", cad("v2 ours")); });
    REQUIRE(mergeRevision(r.repo, "theirs", kCarol).conflicts.size() == 1);
    MergeResult done = resolveConflict(r.repo, "side-plate", ResolveChoice::Both, kCarol);
    REQUIRE(done.committed);
    CHECK(r.read("frame/cad/side-plate.stl") == cad("v2 ours"));
    CHECK(r.read("frame/cad/side-plate-theirs.stl") == cad("v3 theirs"));
    CHECK(r.read("frame/module.toml") == kFrame +
                                             "\n"
                                             "[[part]]\n"
                                             "id = \"side-plate-theirs\"\n"
                                             "name = \"Side plate\"\n"
                                             "file = \"cad/side-plate-theirs.stl\"\n"
                                             "material = \"steel-s235\"\n"
                                             "process = \"laser-cut\"\n"
                                             "quantity = 2\n");
    CHECK(r.repo.status().empty());
    CHECK(r.repo.log("HEAD", "", 1)[0].parents == std::vector<std::string>{ours, theirs});
}

TEST_CASE("merge: resolve a CAD conflict --theirs takes their bytes", "[core][merge]") {
    Repo r;
    r.branches([&] { r.write("frame/cad/side-plate.stl", cad("v3 theirs")); },
               [&] { r.write("frame/cad/side-plate.stl", cad("v2 ours")); });
    REQUIRE(mergeRevision(r.repo, "theirs", kCarol).conflicts.size() == 1);
    MergeResult done = resolveConflict(r.repo, "frame/cad/side-plate.stl", ResolveChoice::Theirs, kCarol);
    REQUIRE(done.committed);
    CHECK(r.read("frame/cad/side-plate.stl") == cad("v3 theirs"));
    CHECK(r.read("frame/module.toml") == kFrame);
    CHECK(r.repo.treeAt("HEAD")->blobId("frame/cad/side-plate.stl") == hashBlob(cad("v3 theirs")));
}

TEST_CASE("merge --abort restores HEAD, the index and every file byte for byte", "[core][merge]") {
    Repo r;
    r.branches(
        [&] {
            r.write("frame/module.toml", replaced(kFrame, "quantity = 2", "quantity = 4"));
            r.write("frame/cad/side-plate.stl", cad("v3 theirs"));
            r.write("README.md", replaced(kReadme, "Line two.", "Line two, theirs."));
            r.write("docs/new.md", "A new page\n");
        },
        [&] {
            r.write("frame/module.toml", replaced(kFrame, "quantity = 2", "quantity = 3"));
            r.write("frame/cad/side-plate.stl", cad("v2 ours"));
            r.write("README.md", replaced(kReadme, "Line two.", "Line two, ours."));
        });
    r.write("notes.txt", "untracked notes\n"); // untracked files are left alone
    const auto before = snapshot(r.root);
    const std::string index = r.read(".git/index");
    const auto head = r.repo.resolve("HEAD");

    MergeResult m = mergeRevision(r.repo, "theirs", kCarol);
    REQUIRE(m.conflicts.size() == 3);
    CHECK(m.conflicts[0].kind == "file");
    CHECK(m.conflicts[0].path == "README.md");
    CHECK(m.conflicts[1].kind == "part");
    CHECK(m.conflicts[2].kind == "field");
    CHECK(r.read("README.md") == "# Test press\n\nLine one.\n<<<<<<< main\nLine two, ours.\n=======\nLine two, theirs.\n"
                                 ">>>>>>> theirs\nLine three.\n");
    CHECK(r.read("docs/new.md") == "A new page\n");
    CHECK(snapshot(r.root) != before);

    abortMerge(r.repo);
    CHECK(snapshot(r.root) == before);
    CHECK(r.read(".git/index") == index);
    CHECK(r.repo.resolve("HEAD") == head);
    CHECK(r.repo.currentBranch() == "main");
    CHECK_FALSE(mergeInProgress(r.repo));
    CHECK_FALSE(r.exists("MERGE_HEAD"));
    CHECK_FALSE(r.exists("TELAR_MERGE"));
    CHECK_FALSE(r.exists("TELAR_MERGE.d"));
    CHECK_FALSE(fs::exists(r.root / "docs"));
    CHECK(r.repo.status().size() == 1); // notes.txt, untracked
    CHECK_THROWS_AS(abortMerge(r.repo), telar::UsageError);
}

TEST_CASE("merge refuses a dirty working tree and touches nothing", "[core][merge]") {
    Repo r;
    r.branches([&] { r.write("README.md", kReadme + "theirs\n"); }, [&] { r.write("frame/module.toml", kFrame + "\n"); });
    r.write("frame/module.toml", replaced(kFrame, "quantity = 2", "quantity = 9"));
    const auto before = snapshot(r.root);
    const auto head = r.repo.resolve("HEAD");
    try {
        mergeRevision(r.repo, "theirs", kCarol);
        FAIL("a dirty tree was merged into");
    } catch (const telar::UsageError& e) {
        CHECK(std::string(e.what()) == "the working tree has uncommitted changes (frame/module.toml): commit them "
                                       "(`telar commit`) or put them aside before merging");
    }
    CHECK(snapshot(r.root) == before);
    CHECK(r.repo.resolve("HEAD") == head);
    CHECK_FALSE(r.exists("MERGE_HEAD"));
    CHECK_THROWS_AS(mergeRevision(r.repo, "no-such-branch", kCarol), telar::UsageError);
}

TEST_CASE("merge: up to date and fast-forward", "[core][merge]") {
    Repo r;
    MergeResult same = mergeRevision(r.repo, "theirs", kCarol);
    CHECK(same.upToDate);
    CHECK(same.commitId == r.baseId);
    r.repo.checkoutBranch("theirs");
    r.write("README.md", kReadme + "more\n");
    std::string t = r.commit("More readme", kBob);
    r.repo.checkoutBranch("main");
    MergeResult ff = mergeRevision(r.repo, "theirs", kCarol);
    CHECK(ff.fastForward);
    CHECK_FALSE(ff.committed);
    CHECK(ff.commitId == t);
    CHECK(r.repo.resolve("HEAD") == t);
    CHECK(r.repo.currentBranch() == "main");
    CHECK(r.read("README.md") == kReadme + "more\n");
    CHECK(r.repo.status().empty());
}

TEST_CASE("merge: bringing an NC-licensed part into a CERN-OHL-S module is reported before committing", "[core][merge][license]") {
    Repo r;
    const std::string ncPart = "\n[[part]]\nid = \"logo-plate\"\nname = \"Logo plate\"\nprocess = \"purchased\"\nquantity = 1\n"
                               "license = \"CC-BY-NC-4.0\"\n";
    auto [theirs, ours] = r.branches([&] { r.write("frame/module.toml", kFrame + ncPart); },
                                     [&] { r.write("README.md", kReadme + "ours\n"); });
    MergeResult m = mergeRevision(r.repo, "theirs", kCarol);
    CHECK_FALSE(m.committed);
    CHECK(m.conflicts.empty());
    REQUIRE(m.licenceFindings.size() == 1);
    CHECK(m.licenceFindings[0].rfind("error: frame/module.toml:29:11: part[3].license: ", 0) == 0);
    // nothing was written
    CHECK(r.repo.resolve("HEAD") == ours);
    CHECK(r.read("frame/module.toml") == kFrame);
    CHECK_FALSE(mergeInProgress(r.repo));

    MergeOptions allow;
    allow.allowLicenceFindings = true;
    MergeResult forced = mergeRevision(r.repo, "theirs", kCarol, allow);
    REQUIRE(forced.committed);
    CHECK(forced.licenceFindings == m.licenceFindings);
    CHECK(r.read("frame/module.toml") == kFrame + ncPart);
}

// [upstream] and [[lineage]] say where THIS repository was forked from: a merge keeps ours.
namespace {

const std::string kUpstream = "\n[upstream]\n"
                              "url = \"https://example.org/test-press.git\"\n"
                              "commit = \"0123456789abcdef0123456789abcdef01234567\"\n"
                              "forked = \"2026-11-21T10:00:00Z\"\n";
const std::string kLineage = "\n[[lineage]]\n"
                             "url = \"https://example.org/first-press.git\"\n"
                             "commit = \"89abcdef0123456789abcdef0123456789abcdef\"\n"
                             "forked = \"2025-01-02T03:04:05Z\"\n";

} // namespace

TEST_CASE("merge: [upstream] added by theirs stays out of our telar.toml, their part change merges", "[core][merge][fork]") {
    Repo r;
    auto [theirs, ours] = r.branches(
        [&] {
            r.write("telar.toml", kProject + kUpstream + kLineage);
            r.write("frame/module.toml", replaced(kFrame, "quantity = 2", "quantity = 3"));
        },
        [&] { r.write("README.md", kReadme + "ours\n"); });
    MergeResult m = mergeRevision(r.repo, "theirs", kCarol);
    REQUIRE(m.conflicts.empty());
    REQUIRE(m.committed);
    CHECK(r.read("telar.toml") == kProject);
    CHECK(r.repo.treeAt("HEAD")->readFile("telar.toml") == kProject);
    CHECK(r.read("frame/module.toml") == replaced(kFrame, "quantity = 2", "quantity = 3"));
    CHECK(r.read("README.md") == kReadme + "ours\n");
    auto log = r.repo.log("HEAD", "", 1);
    REQUIRE(log.size() == 1);
    CHECK(log[0].parents == std::vector<std::string>{ours, theirs});
    CHECK(r.repo.status().empty());
}

TEST_CASE("merge: our [upstream] and [[lineage]] stay when theirs changes them, other project fields merge", "[core][merge][fork]") {
    Repo r;
    r.write("telar.toml", kProject + kUpstream);
    r.commit("Fork of https://example.org/test-press.git", kAlice);
    r.repo.createBranch("fork-theirs", "HEAD");
    r.repo.checkoutBranch("fork-theirs");
    // theirs: another upstream (the old one moved to [[lineage]]) and a new project name
    std::string t = replaced(kProject, "name = \"Test Press\"", "name = \"Test Press II\"");
    t += replaced(replaced(kUpstream, "test-press.git", "other-press.git"), "0123456789abcdef0123456789abcdef01234567",
                  "fedcba9876543210fedcba9876543210fedcba98");
    t += replaced(kLineage, "first-press.git", "test-press.git");
    r.write("telar.toml", t);
    const std::string theirs = r.commit("Refork", kBob);
    r.repo.checkoutBranch("main");
    const std::string oursText = replaced(kProject, "products = [\"frame\"]\n",
                                          "products = [\"frame\"]\nlicensor = \"Test Press makers\"\n") +
                                 kUpstream;
    r.write("telar.toml", oursText);
    const std::string ours = r.commit("Licensor", kAlice);

    MergeResult m = mergeRevision(r.repo, "fork-theirs", kCarol);
    REQUIRE(m.conflicts.empty());
    REQUIRE(m.committed);
    CHECK(r.read("telar.toml") == replaced(oursText, "name = \"Test Press\"", "name = \"Test Press II\""));
    auto log = r.repo.log("HEAD", "", 1);
    REQUIRE(log.size() == 1);
    CHECK(log[0].parents == std::vector<std::string>{ours, theirs});
}

TEST_CASE("merge: noFastForward makes a merge commit that keeps our fork record", "[core][merge][fork]") {
    SECTION("theirs adds [upstream] and [[lineage]]") {
        Repo r;
        r.repo.checkoutBranch("theirs");
        r.write("telar.toml", kProject + kUpstream + kLineage);
        r.write("frame/module.toml", replaced(kFrame, "unit_cost = 0.12", "unit_cost = 0.15"));
        const std::string theirs = r.commit("Fork, then cheaper bolts", kBob);
        r.repo.checkoutBranch("main");
        MergeOptions noFf;
        noFf.noFastForward = true;
        MergeResult m = mergeRevision(r.repo, "theirs", kCarol, noFf);
        REQUIRE(m.conflicts.empty());
        CHECK_FALSE(m.fastForward);
        REQUIRE(m.committed);
        CHECK(r.repo.resolve("HEAD") == m.commitId);
        CHECK(r.read("telar.toml") == kProject);
        CHECK(r.read("frame/module.toml") == replaced(kFrame, "unit_cost = 0.12", "unit_cost = 0.15"));
        auto log = r.repo.log("HEAD", "", 1);
        REQUIRE(log.size() == 1);
        CHECK(log[0].parents == std::vector<std::string>{r.baseId, theirs});
        CHECK(log[0].summary == "Merge theirs into main");
        CHECK(r.repo.status().empty());
        CHECK_FALSE(r.exists("MERGE_HEAD"));
        // merged: a second merge is up to date
        CHECK(mergeRevision(r.repo, "theirs", kCarol, noFf).upToDate);
    }
    SECTION("theirs removes our [upstream]") {
        Repo r;
        r.write("telar.toml", kProject + kUpstream + kLineage);
        const std::string fork = r.commit("Fork of https://example.org/test-press.git", kAlice);
        r.repo.createBranch("up", "HEAD");
        r.repo.checkoutBranch("up");
        r.write("telar.toml", kProject);
        r.write("frame/module.toml", replaced(kFrame, "quantity = 2", "quantity = 4"));
        const std::string theirs = r.commit("Upstream design", kBob);
        r.repo.checkoutBranch("main");
        MergeOptions noFf;
        noFf.noFastForward = true;
        MergeResult m = mergeRevision(r.repo, "up", kCarol, noFf);
        REQUIRE(m.conflicts.empty());
        REQUIRE(m.committed);
        CHECK(r.read("telar.toml") == kProject + kUpstream + kLineage);
        CHECK(r.read("frame/module.toml") == replaced(kFrame, "quantity = 2", "quantity = 4"));
        auto log = r.repo.log("HEAD", "", 1);
        REQUIRE(log.size() == 1);
        CHECK(log[0].parents == std::vector<std::string>{fork, theirs});
    }
}

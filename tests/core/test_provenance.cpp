// Provenance and lineage on repositories built by the test: a fork chain of two levels (plus an
// ancestor that is not present locally), paths in a repository without Telar files, and a
// renamed file's releases.

#include "telar/core/lineage.h"
#include "telar/core/manifest.h"
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
using telar::test::run;
using telar::test::TempDir;
using telar::test::writeFile;

namespace {

std::string commit(const fs::path& repo, const std::string& message, const std::string& name, int hours) {
    std::string date = std::to_string(1767225600 + hours * 3600) + " +0000";
    std::string email = name.substr(0, name.find(' ')) + "@example.org";
    git(repo, {"add", "-A"});
    git(repo, {"commit", "-q", "-m", message},
        {"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + email, "GIT_AUTHOR_DATE=" + date,
         "GIT_COMMITTER_NAME=" + name, "GIT_COMMITTER_EMAIL=" + email, "GIT_COMMITTER_DATE=" + date});
    return git(repo, {"rev-parse", "HEAD"});
}

} // namespace

TEST_CASE("a fork of a fork keeps the chain and provenance marks inherited commits", "[core][provenance]") {
    TempDir tmp("telar-lineage");
    fs::path a = tmp / "a", b = tmp / "b", c = tmp / "c";
    fs::create_directories(a);
    git(a, {"init", "-q", "-b", "main"});
    writeFile(a / "doc/notes.txt", "one\n");
    commit(a, "A1", "Ann Origin", 0);
    writeFile(a / "doc/notes.txt", "one\ntwo\n");
    std::string a2 = commit(a, "A2", "Ann Origin", 1);
    git(tmp.path(), {"clone", "-q", a.string(), b.string()});
    writeFile(b / "doc/notes.txt", "one\ntwo\nthree\n");
    std::string b1 = commit(b, "B1", "Ben Fork", 2);
    git(tmp.path(), {"clone", "-q", b.string(), c.string()});
    writeFile(c / "telar.toml",
              "[project]\nname = \"C\"\nlicense = \"CERN-OHL-S-2.0\"\n\n[upstream]\nurl = \"" + b.string() +
                  "\"\ncommit = \"" + b1 + "\"\n\n[[lineage]]\nurl = \"" + a.string() + "\"\ncommit = \"" +
                  a2 +
                  "\"\n\n[[lineage]]\nurl = \"https://gone.example/x.git\"\n"
                  "commit = \"1111111111111111111111111111111111111111\"\n");
    commit(c, "C1 record the fork", "Cleo Second", 3);
    writeFile(c / "doc/notes.txt", "one\ntwo\nthree\nfour\n");
    std::string c2 = commit(c, "C2", "Cleo Second", 4);

    std::vector<Diagnostic> diags;
    Repository repo = Repository::open(c);
    auto tree = repo.treeAt("HEAD");
    ProjectManifest project = parseProjectManifest(*tree->readFile("telar.toml"), "telar.toml", diags);
    auto chain = lineageOf(repo, project, c2);
    REQUIRE(chain.size() == 3);
    CHECK(chain[0].depth == 1);
    CHECK(chain[0].field == "upstream");
    CHECK(chain[0].commit == b1);
    CHECK(chain[0].present);
    CHECK(chain[0].ahead == 2u);
    CHECK(chain[0].behind == 0u);
    CHECK(chain[1].field == "lineage[1]");
    CHECK(chain[1].ahead == 3u);
    CHECK(chain[2].field == "lineage[2]");
    CHECK_FALSE(chain[2].present);
    CHECK_FALSE(chain[2].ahead);

    // The design has no modules; a path works and commits up to the upstream are inherited.
    auto store = Store::open(tmp / "store.db", [](const std::string&) {});
    auto p = provenanceOf(repo, *store, *tree, "doc/notes.txt");
    CHECK(p.kind == ProvenanceKind::Path);
    CHECK(p.index.indexed == 5);
    REQUIRE(p.commits.size() == 4);
    CHECK(p.commits[0].summary == "C2");
    CHECK_FALSE(p.commits[0].inherited);
    CHECK(p.commits[1].summary == "B1");
    CHECK(p.commits[1].inherited);
    CHECK(p.commits[3].summary == "A1");
    CHECK(p.commits[3].inherited);
    CHECK(p.firstChange()->summary == "A1");
    CHECK(p.lastChange()->summary == "C2");
    REQUIRE(p.contributors.size() == 3);
    CHECK(p.contributors[0].name == "Ann Origin");
    CHECK(p.contributors[0].authored == 2);
    REQUIRE(p.upstream.size() == 3);
    CHECK_THROWS_AS(provenanceOf(repo, *store, *tree, "no/such/file"), telar::UsageError);
}

TEST_CASE("provenance of a path without Telar files, with releases across a rename", "[core][provenance]") {
    TempDir tmp("telar-plain");
    fs::path dir = tmp / "repo";
    fs::create_directories(dir);
    git(dir, {"init", "-q", "-b", "main"});
    writeFile(dir / "cad/bracket.stl", std::string(500, 's'));
    commit(dir, "Bracket", "Ann Origin", 0);
    git(dir, {"tag", "v0.1"});
    git(dir, {"mv", "cad/bracket.stl", "cad/bracket-v2.stl"});
    commit(dir, "Rename bracket", "Ben Fork", 1);
    git(dir, {"tag", "v0.2"});
    writeFile(dir / "cad/bracket-v2.stl", std::string(600, 's'));
    commit(dir, "Longer bracket", "Ben Fork", 2);

    auto store = Store::open(tmp / "store.db", [](const std::string&) {});
    Repository repo = Repository::open(dir);
    auto tree = repo.workingTree();
    auto p = provenanceOf(repo, *store, *tree, "cad/bracket-v2.stl");
    REQUIRE(p.commits.size() == 3);
    CHECK(p.names == std::vector<std::string>{"cad/bracket-v2.stl", "cad/bracket.stl"});
    CHECK(p.notes == std::vector<std::string>{"no telar.toml in working tree: reading paths only"});
    REQUIRE(p.releases.size() == 2);
    CHECK(p.releases[0].tag == "v0.1");
    CHECK(p.releases[0].path == "cad/bracket.stl");
    CHECK_FALSE(p.releases[0].sameAsRev);
    CHECK(p.releases[1].tag == "v0.2");
    CHECK(p.releases[1].path == "cad/bracket-v2.stl");
    CHECK(p.origins.empty());
    CHECK(p.upstream.empty());
}

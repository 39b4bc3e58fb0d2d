// The history index on repositories built by the test with the git CLI, fixed identities and
// dates: renames (file and folder), co-authors, a merge, branches, .mailmap, a missing blob, and
// that indexing is incremental.

#include "telar/core/history.h"
#include "telar/core/provenance.h"
#include "telar/core/store.h"
#include "telar/core/worktree.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <thread>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace telar::core;
using telar::test::git;
using telar::test::run;
using telar::test::TempDir;
using telar::test::writeFile;

namespace {

// Commits everything staged and unstaged as who, at 2026-01-01 + hours.
std::string commit(const fs::path& repo, const std::string& message, const std::string& name,
                   const std::string& email, int hours) {
    std::string date = std::to_string(1767225600 + hours * 3600) + " +0100";
    git(repo, {"add", "-A"});
    git(repo, {"commit", "-q", "--allow-empty", "-m", message},
        {"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + email, "GIT_AUTHOR_DATE=" + date,
         "GIT_COMMITTER_NAME=" + name, "GIT_COMMITTER_EMAIL=" + email, "GIT_COMMITTER_DATE=" + date});
    return git(repo, {"rev-parse", "HEAD"});
}

std::vector<std::string> summaries(const std::vector<PathCommit>& commits) {
    std::vector<std::string> out;
    for (const auto& c : commits)
        out.push_back(c.commit.summary);
    return out;
}

// History (oldest first):
//   c1 Alice   add a/x.step (100 bytes), a/module.toml, README.md
//   c2 Bob     rename a/x.step → a/y.step; Co-authored-by: Carol
//   c3 Alice   rename folder a → b
//   side: c4 Bob   b/y.step grows by 50 bytes
//   main: c5 Carol add other/z.txt
//   c6 Alice   merge side (clean)
struct Fixture {
    TempDir tmp{"telar-history"};
    fs::path repo = tmp / "repo";
    std::unique_ptr<Store> store = Store::open(tmp / "store.db", [](const std::string&) {});
    std::vector<std::string> ids;

    Fixture() {
        fs::create_directories(repo);
        git(repo, {"init", "-q", "-b", "main"});
        writeFile(repo / "a/x.step", std::string(100, 'x'));
        writeFile(repo / "a/module.toml", "[module]\nname = \"A\"\n");
        writeFile(repo / "README.md", "readme\n");
        ids.push_back(commit(repo, "Add a", "Alice Maker", "alice@example.org", 0));
        git(repo, {"mv", "a/x.step", "a/y.step"});
        ids.push_back(commit(repo, "Rename x to y\n\nCo-authored-by: Carol Chen <carol@example.org>",
                             "Bob Builder", "bob@example.org", 1));
        git(repo, {"mv", "a", "b"});
        ids.push_back(commit(repo, "Move a to b", "Alice Maker", "alice@example.org", 2));
        git(repo, {"checkout", "-q", "-b", "side"});
        writeFile(repo / "b/y.step", std::string(150, 'x'));
        ids.push_back(commit(repo, "Grow y", "Bob Builder", "bob@example.org", 3));
        git(repo, {"checkout", "-q", "main"});
        writeFile(repo / "other/z.txt", "z\n");
        ids.push_back(commit(repo, "Add z", "Carol Chen", "carol@example.org", 4));
        std::string date = std::to_string(1767225600 + 5 * 3600) + " +0100";
        git(repo, {"merge", "-q", "--no-ff", "-m", "Merge side", "side"},
            {"GIT_AUTHOR_NAME=Alice Maker", "GIT_AUTHOR_EMAIL=alice@example.org", "GIT_AUTHOR_DATE=" + date,
             "GIT_COMMITTER_NAME=Alice Maker", "GIT_COMMITTER_EMAIL=alice@example.org",
             "GIT_COMMITTER_DATE=" + date});
        ids.push_back(git(repo, {"rev-parse", "HEAD"}));
    }
};

} // namespace

TEST_CASE("the index follows file and folder renames and skips clean merges", "[core][history]") {
    Fixture f;
    Repository repo = Repository::open(f.repo);
    HistoryIndex index(repo, *f.store);
    auto up = index.update("HEAD");
    CHECK(up.indexed == 6);
    CHECK(up.reachable == 6);
    CHECK(up.tip == f.ids[5]);

    auto touched = index.touching(up.tip, PathQuery{{"b"}, {}});
    CHECK(summaries(touched) == std::vector<std::string>{"Grow y", "Move a to b", "Rename x to y", "Add a"});
    REQUIRE(touched.size() == 4);
    CHECK(touched[1].commit.changes.size() == 2);
    CHECK(touched[1].commit.changes[0].status == 'R');
    CHECK(touched[1].commit.changes[0].oldPath == "a/module.toml");
    CHECK(touched[1].commit.changes[0].path == "b/module.toml");
    CHECK(touched[0].commit.changes[0].oldSize == 100);
    CHECK(touched[0].commit.changes[0].newSize == 150);
    REQUIRE(touched[2].commit.coAuthors.size() == 1);
    CHECK(touched[2].commit.coAuthors[0].name == "Carol Chen");
    CHECK(touched[2].commit.coAuthors[0].email == "carol@example.org");

    // A single file, followed through both renames.
    auto file = index.touching(up.tip, PathQuery{{"b/y.step"}, {}});
    CHECK(summaries(file) == std::vector<std::string>{"Grow y", "Move a to b", "Rename x to y", "Add a"});
    PathFollower follower(PathQuery{{"b/y.step"}, {}});
    for (const auto& c : index.reachable(up.tip, true))
        follower.accept(c);
    CHECK(follower.names() == std::vector<std::string>{"b/y.step", "a/y.step", "a/x.step"});

    // The merge: its changes against the first parent are recorded but are not its own.
    auto merge = index.commit(f.ids[5]);
    REQUIRE(merge);
    CHECK(merge->parents == std::vector<std::string>{f.ids[4], f.ids[3]});
    REQUIRE(merge->changes.size() == 1);
    CHECK(merge->changes[0].path == "b/y.step");
    CHECK_FALSE(merge->changes[0].own);
    CHECK(merge->generation == 5);

    // Excluded sub-folders do not count.
    auto other = index.touching(up.tip, PathQuery{{""}, {"b"}});
    CHECK(summaries(other) == std::vector<std::string>{"Add z", "Move a to b", "Rename x to y", "Add a"});
}

TEST_CASE("indexing is incremental and answers only for reachable commits", "[core][history]") {
    Fixture f;
    Repository repo = Repository::open(f.repo);
    HistoryIndex index(repo, *f.store);
    CHECK(index.update("HEAD").indexed == 6);
    CHECK(index.update("HEAD").indexed == 0);
    CHECK(index.update("side").indexed == 0);
    CHECK(f.store->counter("history.indexed") == 6);

    writeFile(f.repo / "b/y.step", std::string(10, 'y'));
    commit(f.repo, "Shrink y", "Bob Builder", "bob@example.org", 6);
    auto up = index.update("HEAD");
    CHECK(up.indexed == 1);
    CHECK(up.reachable == 7);

    // An abandoned branch: its commits stay in the store but never answer for main.
    git(f.repo, {"checkout", "-q", "-b", "experiment", f.ids[0]});
    writeFile(f.repo / "a/x.step", std::string(7, 'e'));
    std::string experiment = commit(f.repo, "Experiment", "Eve Tester", "eve@example.org", 7);
    git(f.repo, {"checkout", "-q", "main"});
    CHECK(index.update("experiment").indexed == 1);
    auto onMain = index.touching(up.tip, PathQuery{{"b"}, {}});
    CHECK(summaries(onMain) ==
          std::vector<std::string>{"Shrink y", "Grow y", "Move a to b", "Rename x to y", "Add a"});
    auto onExperiment = index.touching(experiment, PathQuery{{"a"}, {}});
    CHECK(summaries(onExperiment) == std::vector<std::string>{"Experiment", "Add a"});
    CHECK(index.reachableIds(experiment) == std::vector<std::string>{experiment, f.ids[0]});
}

TEST_CASE("co-author trailers follow git's trailer rules", "[core][history]") {
    auto co =
        coAuthorsOf("Title\n\nBody mentions Co-authored-by: Nobody <no@x>\n\n"
                    "Co-authored-by: Ann One <ann@example.org>\nco-authored-by: Ben Two <ben@example.org>\n"
                    "Signed-off-by: Ann One <ann@example.org>\n");
    REQUIRE(co.size() == 2);
    CHECK(co[0].name == "Ann One");
    CHECK(co[0].email == "ann@example.org");
    CHECK(co[1].name == "Ben Two");
    CHECK(coAuthorsOf("Only a title\n").empty());
}

TEST_CASE(".mailmap merges identities", "[core][history]") {
    Mailmap m = Mailmap::parse("Alice Maker <alice@example.org> <alice@old.example>\n"
                               "<bob@example.org> Bobby <bob@home.example>\n");
    Signature s = m.resolve({"A. Maker", "alice@old.example", 5, 60});
    CHECK(s.name == "Alice Maker");
    CHECK(s.email == "alice@example.org");
    CHECK(s.time == 5);
    CHECK(m.key({"Bobby", "bob@home.example", 0, 0}) == "bob@example.org");
    CHECK(m.key({"Carol", "Carol@Example.org", 0, 0}) == "carol@example.org");
    CHECK(Mailmap().key({"No Mail", "", 0, 0}) == "no mail");
}

TEST_CASE("a missing blob is reported, not fatal", "[core][history]") {
    Fixture f;
    writeFile(f.repo / "b/lost.step", std::string(64, 'L'));
    std::string withLost = commit(f.repo, "Add lost", "Bob Builder", "bob@example.org", 6);
    std::string blob = git(f.repo, {"rev-parse", "HEAD:b/lost.step"});
    writeFile(f.repo / "b/lost.step", std::string(80, 'M'));
    commit(f.repo, "Change lost", "Bob Builder", "bob@example.org", 7);
    fs::remove(f.repo / ".git/objects" / blob.substr(0, 2) / blob.substr(2));

    Repository repo = Repository::open(f.repo);
    HistoryIndex index(repo, *f.store);
    CHECK(index.update("HEAD").indexed == 8);
    auto added = index.commit(withLost);
    REQUIRE(added);
    REQUIRE(added->changes.size() == 1);
    CHECK(added->changes[0].newSize == -1);
    REQUIRE(added->unreadable.size() == 1);
    CHECK(added->unreadable[0] ==
          "blob " + blob.substr(0, 7) + " of b/lost.step: missing from the object database");

    // Provenance of that file still answers, saying what could not be read.
    auto tree = repo.treeAt("HEAD");
    auto p = provenanceOf(repo, *f.store, *tree, "b/lost.step");
    CHECK(p.kind == ProvenanceKind::Path);
    CHECK(p.index.indexed == 0);
    REQUIRE(p.commits.size() == 2);
    CHECK(p.commits[0].summary == "Change lost");
    CHECK(p.commits[1].summary == "Add lost");
    CHECK(p.unreadable.size() == 2); // both commits read the lost blob
    CHECK(p.unreadable[0] == "commit " + p.commits[0].id.substr(0, 7) + ": blob " + blob.substr(0, 7) +
                                 " of b/lost.step: missing from the object database");
}

namespace {

// A linear history of n commits made with git fast-import: commit i (1-based) by author i % 3
// writes m<i % 3>/part.step with i bytes.
fs::path longHistory(const TempDir& tmp, int n) {
    fs::path repo = tmp / "long";
    fs::create_directories(repo);
    git(repo, {"init", "-q", "-b", "main"});
    std::string stream;
    const char* people[] = {"Ana <ana@example.org>", "Ben <ben@example.org>", "Cy <cy@example.org>"};
    for (int i = 1; i <= n; ++i) {
        std::string who = std::string(people[i % 3]) + " " + std::to_string(1767225600 + i * 60) + " +0000";
        std::string msg = "Change " + std::to_string(i);
        stream += "commit refs/heads/main\nmark :" + std::to_string(i) + "\nauthor " + who + "\ncommitter " + who +
                  "\ndata " + std::to_string(msg.size()) + "\n" + msg + "\n";
        if (i > 1) stream += "from :" + std::to_string(i - 1) + "\n";
        stream += "M 100644 inline m" + std::to_string(i % 3) + "/part.step\ndata " + std::to_string(i) + "\n" +
                  std::string(static_cast<size_t>(i), 'p') + "\n";
    }
    writeFile(tmp / "stream", stream);
    auto r = run({"/bin/sh", "-c", "git fast-import --quiet < '" + (tmp / "stream").string() + "'"}, repo);
    REQUIRE(r.exitCode == 0);
    return repo;
}

class CancelOnFirstReport : public telar::ProgressSink {
public:
    void update(double, std::string_view) override { progress->cancel(); }
    const telar::Progress* progress = nullptr;
};

} // namespace

TEST_CASE("a long history reads commits on a second thread with the same answers", "[core][history]") {
    TempDir tmp{"telar-history-long"};
    const fs::path repoDir = longHistory(tmp, 300);
    auto store = Store::open(tmp / "store.db", [](const std::string&) {});
    Repository repo = Repository::open(repoDir);
    HistoryIndex index(repo, *store);

    // Cancelled at the first progress report (after 50 commits): nothing half-indexed remains.
    CancelOnFirstReport sink;
    telar::Progress cancelling(&sink);
    sink.progress = &cancelling;
    CHECK_THROWS_AS(index.update("HEAD", cancelling), telar::Cancelled);
    CHECK(store->counter("history.indexed") == 0);

    auto up = index.update("HEAD");
    CHECK(up.indexed == 300);
    CHECK(up.reachable == 300);
    auto m1 = index.touching(up.tip, PathQuery{{"m1"}, {}});
    REQUIRE(m1.size() == 100);
    CHECK(m1.front().commit.summary == "Change 298");
    CHECK(m1.front().commit.author.name == "Ben");
    CHECK(m1.back().commit.summary == "Change 1");
    // Every change of m1 in order, newest first, with its sizes: commit i grows the file to i bytes.
    bool sizesRight = true;
    for (size_t k = 0; k < m1.size(); ++k) {
        const int i = 298 - 3 * static_cast<int>(k);
        REQUIRE(m1[k].commit.changes.size() == 1);
        const FileChange& change = m1[k].commit.changes[0];
        sizesRight = sizesRight && m1[k].commit.summary == "Change " + std::to_string(i) && change.newSize == i &&
                     change.oldSize == (i == 1 ? 0 : i - 3);
    }
    CHECK(sizesRight);
}

TEST_CASE("a long history indexes the same from a linked worktree and from a clone sharing objects",
          "[core][history]") {
    // The second thread reads through its own handle on the objects folder: the layouts where
    // that folder is elsewhere (a worktree's common dir, another repository's alternates).
    TempDir tmp{"telar-history-layouts"};
    const fs::path repoDir = longHistory(tmp, 150);
    git(repoDir, {"branch", "side"});
    git(repoDir, {"worktree", "add", "-q", (tmp / "linked").string(), "side"});
    git(tmp.path(), {"clone", "-q", "--shared", repoDir.string(), (tmp / "shared").string()});
    REQUIRE(fs::exists(tmp / "shared/.git/objects/info/alternates"));
    for (const fs::path& dir : {tmp / "linked", tmp / "shared"}) {
        INFO(dir.string());
        auto store = Store::open(dir.string() + "-store.db", [](const std::string&) {});
        Repository repo = Repository::open(dir);
        HistoryIndex index(repo, *store);
        auto up = index.update("HEAD");
        CHECK(up.indexed == 150);
        auto m2 = index.touching(up.tip, PathQuery{{"m2"}, {}});
        REQUIRE(m2.size() == 50);
        CHECK(m2.front().commit.summary == "Change 149");
        CHECK(m2.front().commit.changes.at(0).newSize == 149);
        CHECK(m2.back().commit.summary == "Change 2");
    }
}

TEST_CASE("two indexers on one store at once both finish and index each commit once", "[core][history]") {
    TempDir tmp{"telar-history-race"};
    const fs::path repoDir = longHistory(tmp, 300);
    size_t indexed[2] = {0, 0};
    std::string errors[2];
    auto indexer = [&](int k) {
        try {
            auto store = Store::open(tmp / "store.db", [](const std::string&) {});
            Repository repo = Repository::open(repoDir);
            HistoryIndex index(repo, *store);
            indexed[k] = index.update("HEAD").indexed;
        } catch (const std::exception& e) {
            errors[k] = e.what();
        }
    };
    std::thread a(indexer, 0), b(indexer, 1);
    a.join();
    b.join();
    CHECK(errors[0].empty());
    CHECK(errors[1].empty());
    CHECK(indexed[0] + indexed[1] == 300);

    auto store = Store::open(tmp / "store.db", [](const std::string&) {});
    Repository repo = Repository::open(repoDir);
    HistoryIndex index(repo, *store);
    auto up = index.update("HEAD");
    CHECK(up.indexed == 0);
    CHECK(up.reachable == 300);
    CHECK(index.touching(up.tip, PathQuery{{"m2"}, {}}).size() == 100);
}

// The git layer against real repositories built by the test with fixed signatures and dates, so
// every commit id is exact; cross-checked against the git CLI.

#include "telar/core/git.h"
#include "telar/error.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using telar::core::CommitInfo;
using telar::core::Repository;
using telar::core::Signature;
using telar::core::StatusEntry;
using telar::test::run;
using telar::test::TempDir;
using telar::test::writeFile;

namespace {

const Signature kAlice{"Alice Maker", "alice@example.org", 1700000000, 60};
const Signature kBob{"Bob Builder", "bob@example.org", 1700003600, -300};

Signature at(const Signature& who, int64_t time) {
    Signature s = who;
    s.time = time;
    return s;
}

// The git CLI with no user or system configuration, so its answers do not depend on the machine.
std::string git(const fs::path& repo, const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv = {"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> fullEnv = {"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "LC_ALL=C"};
    fullEnv.insert(fullEnv.end(), env.begin(), env.end());
    auto r = run(argv, repo, fullEnv);
    INFO("git " << args.front() << ": " << r.err);
    REQUIRE(r.exitCode == 0);
    return r.out;
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

std::vector<std::string> ids(const std::vector<CommitInfo>& log) {
    std::vector<std::string> out;
    for (const auto& c : log) out.push_back(c.id);
    return out;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        out.push_back(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    return out;
}

std::string porcelain(const std::vector<StatusEntry>& status) {
    std::string out;
    for (const auto& e : status) out += std::string(1, e.index) + e.worktree + " " + e.path + "\n";
    return out;
}

// A five-commit history touching different folders, one commit per hour from kAlice's time.
struct History {
    std::vector<std::string> commits; // oldest first
};

History buildHistory(Repository& repo, const fs::path& dir) {
    History h;
    writeFile(dir / "README.md", "Open Press\n");
    writeFile(dir / "frame/module.toml", "[module]\nname = \"Frame\"\n");
    h.commits.push_back(*repo.commitAll("Add the frame", at(kAlice, 1700000000)));
    writeFile(dir / "README.md", "Open Press, a brick press\n");
    h.commits.push_back(*repo.commitAll("Describe the project", at(kBob, 1700003600)));
    writeFile(dir / "axes/x/module.toml", "[module]\nname = \"X axis\"\n");
    h.commits.push_back(*repo.commitAll("Add the X axis", at(kAlice, 1700007200)));
    writeFile(dir / "frame/module.toml", "[module]\nname = \"Frame\"\nversion = \"1.1.0\"\n");
    h.commits.push_back(*repo.commitAll("Frame 1.1.0", at(kBob, 1700010800)));
    writeFile(dir / "axes/x/module.toml", "[module]\nname = \"X axis\"\nversion = \"0.2.0\"\n");
    writeFile(dir / "README.md", "Open Press, a compressed-earth brick press\n");
    h.commits.push_back(*repo.commitAll("X axis 0.2.0", at(kAlice, 1700014400)));
    return h;
}

} // namespace

TEST_CASE("a commit with a fixed signature has the exact id git gives it", "[core][git]") {
    TempDir tmp;
    auto repo = Repository::init(tmp / "ours");
    writeFile(tmp / "ours/README.md", "Open Press\n");
    writeFile(tmp / "ours/frame/module.toml", "[module]\nname = \"Frame\"\n");
    auto id = repo.commitAll("Initial import", kAlice);
    REQUIRE(id);
    CHECK(*id == "88cbf13ace079089c261246ab25a4c20572eda2a");
    CHECK(repo.currentBranch() == "main");

    // What git itself reads back.
    CHECK(trimmed(git(tmp / "ours", {"rev-parse", "HEAD"})) == *id);
    CHECK(trimmed(git(tmp / "ours", {"symbolic-ref", "HEAD"})) == "refs/heads/main");
    CHECK(git(tmp / "ours", {"cat-file", "-p", "HEAD"}) ==
          "tree 6fec0dd31d7e9e898712e096c692eca6856573e5\n"
          "author Alice Maker <alice@example.org> 1700000000 +0100\n"
          "committer Alice Maker <alice@example.org> 1700000000 +0100\n"
          "\n"
          "Initial import\n");

    // The same files committed by git with the same identity and date give the same id.
    fs::create_directories(tmp / "theirs");
    git(tmp / "theirs", {"init", "-q", "-b", "main"});
    writeFile(tmp / "theirs/README.md", "Open Press\n");
    writeFile(tmp / "theirs/frame/module.toml", "[module]\nname = \"Frame\"\n");
    git(tmp / "theirs", {"add", "-A"});
    git(tmp / "theirs", {"commit", "-q", "-m", "Initial import"},
        {"GIT_AUTHOR_NAME=Alice Maker", "GIT_AUTHOR_EMAIL=alice@example.org", "GIT_AUTHOR_DATE=1700000000 +0100",
         "GIT_COMMITTER_NAME=Alice Maker", "GIT_COMMITTER_EMAIL=alice@example.org",
         "GIT_COMMITTER_DATE=1700000000 +0100"});
    CHECK(trimmed(git(tmp / "theirs", {"rev-parse", "HEAD"})) == *id);

    auto log = repo.log();
    REQUIRE(log.size() == 1);
    CHECK(log[0].id == *id);
    CHECK(log[0].shortId == "88cbf13");
    CHECK(log[0].summary == "Initial import");
    CHECK(log[0].message == "Initial import\n");
    CHECK(log[0].author.name == "Alice Maker");
    CHECK(log[0].author.email == "alice@example.org");
    CHECK(log[0].author.time == 1700000000);
    CHECK(log[0].author.offsetMinutes == 60);
    CHECK(log[0].committer.name == "Alice Maker");
    CHECK(log[0].parents.empty());
}

TEST_CASE("commitAll writes a distinct committer and a parent", "[core][git]") {
    TempDir tmp;
    auto repo = Repository::init(tmp.path());
    writeFile(tmp / "a.txt", "one\n");
    auto first = repo.commitAll("First\n\nWith a body that\nspans lines.\n\n\n", kAlice, kBob);
    REQUIRE(first);
    writeFile(tmp / "a.txt", "two\n");
    auto second = repo.commitAll("Second", at(kBob, 1700100000));
    REQUIRE(second);
    auto log = repo.log();
    REQUIRE(log.size() == 2);
    CHECK(log[0].id == *second);
    CHECK(log[0].parents == std::vector<std::string>{*first});
    CHECK(log[1].summary == "First");
    CHECK(log[1].message == "First\n\nWith a body that\nspans lines.\n");
    CHECK(log[1].committer.name == "Bob Builder");
    CHECK(log[1].committer.offsetMinutes == -300);
    CHECK(git(tmp.path(), {"log", "-1", "--format=%an|%cn|%ct|%ci", *first}) ==
          "Alice Maker|Bob Builder|1700003600|2023-11-14 18:13:20 -0500\n");
}

TEST_CASE("commitAll returns nullopt when nothing changed", "[core][git]") {
    TempDir tmp;
    auto repo = Repository::init(tmp.path());
    // An unborn branch with nothing to commit.
    CHECK_FALSE(repo.commitAll("Empty", kAlice));
    CHECK(repo.log().empty());
    CHECK_FALSE(repo.resolve("HEAD"));

    writeFile(tmp / "a.txt", "one\n");
    auto first = repo.commitAll("First", kAlice);
    REQUIRE(first);
    CHECK_FALSE(repo.commitAll("Again", kAlice));
    // Rewriting a file with the same bytes is no change either.
    writeFile(tmp / "a.txt", "one\n");
    CHECK_FALSE(repo.commitAll("Again", kAlice));
    CHECK(repo.log().size() == 1);
    CHECK(*repo.resolve("HEAD") == *first);
}

TEST_CASE("commitAll stages new, modified and deleted files and respects .gitignore", "[core][git]") {
    TempDir tmp;
    auto repo = Repository::init(tmp.path());
    writeFile(tmp / ".gitignore", "build/\n*.log\n");
    writeFile(tmp / "keep.txt", "keep\n");
    writeFile(tmp / "gone.txt", "gone\n");
    writeFile(tmp / "cad/plate.step", "ISO-10303-21;\n");
    REQUIRE(repo.commitAll("First", kAlice));

    fs::remove(tmp / "gone.txt");
    writeFile(tmp / "keep.txt", "kept\n");
    writeFile(tmp / "cad/new/bracket.step", "ISO-10303-21;\nbracket\n");
    writeFile(tmp / "build/out.stl", "solid\n");
    writeFile(tmp / "run.log", "noise\n");
    auto second = repo.commitAll("Second", at(kAlice, 1700000100));
    REQUIRE(second);

    CHECK(git(tmp.path(), {"ls-tree", "-r", "--name-only", "HEAD"}) ==
          ".gitignore\ncad/new/bracket.step\ncad/plate.step\nkeep.txt\n");
    CHECK(git(tmp.path(), {"show", "HEAD:keep.txt"}) == "kept\n");
    CHECK(git(tmp.path(), {"diff", "--name-status", "HEAD~1", "HEAD"}) ==
          "A\tcad/new/bracket.step\nD\tgone.txt\nM\tkeep.txt\n");
    CHECK(repo.status().empty());
    CHECK(git(tmp.path(), {"status", "--porcelain"}).empty());
}

TEST_CASE("status reports porcelain letters like git", "[core][git]") {
    TempDir tmp;
    auto repo = Repository::init(tmp.path());
    writeFile(tmp / ".gitignore", "*.log\n");
    writeFile(tmp / "modified.txt", "1\n");
    writeFile(tmp / "deleted.txt", "2\n");
    writeFile(tmp / "staged.txt", "3\n");
    writeFile(tmp / "same.txt", "4\n");
    REQUIRE(repo.commitAll("First", kAlice));

    writeFile(tmp / "modified.txt", "1 changed\n");
    fs::remove(tmp / "deleted.txt");
    writeFile(tmp / "new.txt", "5\n");
    writeFile(tmp / "newdir/inner/file.txt", "6\n");
    writeFile(tmp / "ignored.log", "7\n");
    writeFile(tmp / "added.txt", "8\n");
    writeFile(tmp / "staged.txt", "3 staged\n");
    git(tmp.path(), {"add", "added.txt", "staged.txt"});
    writeFile(tmp / "staged.txt", "3 staged then changed\n");
    git(tmp.path(), {"mv", "same.txt", "renamed.txt"});

    auto status = repo.status();
    CHECK(porcelain(status) == "A  added.txt\n"
                               " D deleted.txt\n"
                               " M modified.txt\n"
                               "R  renamed.txt\n"
                               "MM staged.txt\n"
                               "?? new.txt\n"
                               "?? newdir/inner/file.txt\n");
    // git prints renames as "R  old -> new"; apart from that the lines are the same.
    std::string theirs = git(tmp.path(), {"status", "--porcelain", "-uall"});
    auto pos = theirs.find("same.txt -> ");
    REQUIRE(pos != std::string::npos);
    theirs.erase(pos, std::string("same.txt -> ").size());
    CHECK(theirs == porcelain(status));
}

TEST_CASE("log with a path lists exactly the commits that changed it", "[core][git]") {
    TempDir tmp;
    auto repo = Repository::init(tmp.path());
    auto h = buildHistory(repo, tmp.path());
    const auto& c = h.commits;
    CHECK(c[4] == "fae5bece0cb55ee1dd562d3247d9edf276128cd3");

    CHECK(ids(repo.log()) == std::vector<std::string>{c[4], c[3], c[2], c[1], c[0]});
    CHECK(ids(repo.log("HEAD", "frame")) == std::vector<std::string>{c[3], c[0]});
    CHECK(ids(repo.log("HEAD", "frame/module.toml")) == std::vector<std::string>{c[3], c[0]});
    CHECK(ids(repo.log("HEAD", "axes")) == std::vector<std::string>{c[4], c[2]});
    CHECK(ids(repo.log("HEAD", "axes/x/")) == std::vector<std::string>{c[4], c[2]});
    CHECK(ids(repo.log("HEAD", "README.md")) == std::vector<std::string>{c[4], c[1], c[0]});
    CHECK(repo.log("HEAD", "no/such/thing").empty());
    CHECK(ids(repo.log("HEAD", "", 2)) == std::vector<std::string>{c[4], c[3]});
    CHECK(ids(repo.log("HEAD", "README.md", 2)) == std::vector<std::string>{c[4], c[1]});
    CHECK(ids(repo.log("HEAD~2")) == std::vector<std::string>{c[2], c[1], c[0]});
    CHECK(ids(repo.log(c[1], "frame")) == std::vector<std::string>{c[0]});

    // git agrees.
    auto gitIds = [&](const std::string& path) {
        return lines(git(tmp.path(), {"log", "--format=%H", "HEAD", "--", path}));
    };
    CHECK(gitIds("frame") == ids(repo.log("HEAD", "frame")));
    CHECK(gitIds("axes") == ids(repo.log("HEAD", "axes")));
    CHECK(gitIds("README.md") == ids(repo.log("HEAD", "README.md")));

    auto full = repo.log();
    CHECK(full[1].summary == "Frame 1.1.0");
    CHECK(full[1].author.name == "Bob Builder");
    CHECK(full[1].author.time == 1700010800);

    CHECK_THROWS_MATCHES(repo.log("nope"), telar::GitError, Catch::Message("unknown revision 'nope'"));
}

TEST_CASE("revisions resolve to commits, tags are annotated or lightweight", "[core][git]") {
    TempDir tmp;
    auto repo = Repository::init(tmp.path());
    auto h = buildHistory(repo, tmp.path());
    const auto& c = h.commits;

    CHECK(repo.resolve("HEAD") == c[4]);
    CHECK(repo.resolve("main") == c[4]);
    CHECK(repo.resolve("HEAD~1") == c[3]);
    CHECK(repo.resolve("main^") == c[3]);
    CHECK(repo.resolve("HEAD~4") == c[0]);
    CHECK(repo.resolve(c[2]) == c[2]);
    CHECK(repo.resolve(c[2].substr(0, 8)) == c[2]);
    CHECK_FALSE(repo.resolve("HEAD~5"));
    CHECK_FALSE(repo.resolve("nope"));
    CHECK_FALSE(repo.resolve("0000000000000000000000000000000000000000"));
    CHECK_FALSE(repo.resolve("HEAD^{tree}")); // names a tree, not a commit

    repo.createTag("v1.0", "HEAD~3", "Release 1.0\n\nFirst press that works.", kBob);
    repo.createTag("snapshot", "HEAD", "", kBob);
    CHECK(repo.tags() == std::vector<std::string>{"snapshot", "v1.0"});
    // An annotated tag resolves to its commit, not to the tag object.
    CHECK(repo.resolve("v1.0") == c[1]);
    CHECK(repo.resolve("snapshot") == c[4]);
    std::string tagObject = trimmed(git(tmp.path(), {"rev-parse", "v1.0"}));
    CHECK(tagObject != c[1]);
    CHECK(trimmed(git(tmp.path(), {"cat-file", "-t", "v1.0"})) == "tag");
    CHECK(trimmed(git(tmp.path(), {"cat-file", "-t", "snapshot"})) == "commit");
    CHECK(git(tmp.path(), {"cat-file", "-p", "v1.0"}) == "object " + c[1] +
                                                             "\n"
                                                             "type commit\n"
                                                             "tag v1.0\n"
                                                             "tagger Bob Builder <bob@example.org> 1700003600 -0500\n"
                                                             "\n"
                                                             "Release 1.0\n"
                                                             "\n"
                                                             "First press that works.\n");
    CHECK_THROWS_MATCHES(repo.createTag("v1.0", "HEAD", "again", kBob), telar::GitError,
                         Catch::Message("tag 'v1.0' already exists"));
    CHECK_THROWS_MATCHES(repo.createTag("v2.0", "nope", "x", kBob), telar::GitError,
                         Catch::Message("unknown revision 'nope'"));
}

TEST_CASE("open finds the repository from a subfolder and names a missing one", "[core][git]") {
    TempDir tmp;
    {
        auto repo = Repository::init(tmp / "design");
        writeFile(tmp / "design/frame/module.toml", "x\n");
        REQUIRE(repo.commitAll("First", kAlice));
    }
    auto repo = Repository::open(tmp / "design/frame");
    CHECK(repo.workdir() == tmp / "design");
    CHECK_FALSE(repo.isBare());
    CHECK(repo.log().size() == 1);

    fs::create_directories(tmp / "plain");
    CHECK_THROWS_MATCHES(Repository::open(tmp / "plain"), telar::GitError,
                         Catch::Message("not a git repository: " + (tmp / "plain").string()));

    // Moving a Repository keeps it working.
    Repository moved = std::move(repo);
    CHECK(moved.resolve("HEAD"));
}

TEST_CASE("init with another initial branch, bare repositories", "[core][git]") {
    TempDir tmp;
    auto repo = Repository::init(tmp / "r", "trunk");
    CHECK(repo.currentBranch() == "trunk");
    writeFile(tmp / "r/a.txt", "a\n");
    REQUIRE(repo.commitAll("First", kAlice));
    CHECK(trimmed(git(tmp / "r", {"branch", "--show-current"})) == "trunk");

    git(tmp.path(), {"clone", "-q", "--bare", "r", "bare.git"});
    auto bare = Repository::open(tmp / "bare.git");
    CHECK(bare.isBare());
    CHECK(bare.workdir().empty());
    CHECK(bare.treeAt("trunk")->readFile("a.txt") == "a\n");
    CHECK_THROWS_AS(bare.workingTree(), telar::GitError);
}

TEST_CASE("branches are listed: local ones, and a clone's remote-tracking ones without origin/HEAD",
          "[core][git]") {
    TempDir tmp;
    auto repo = Repository::init(tmp / "r");
    buildHistory(repo, tmp / "r");
    repo.createBranch("fork", "HEAD~2");
    repo.createBranch("feature/hopper", "HEAD");
    CHECK(repo.localBranches() == std::vector<std::string>{"feature/hopper", "fork", "main"});
    CHECK(repo.remoteBranches().empty());

    git(tmp.path(), {"clone", "-q", "r", "c"});
    auto clone = Repository::open(tmp / "c");
    CHECK(clone.localBranches() == std::vector<std::string>{"main"});
    CHECK(clone.remoteBranches() == std::vector<std::string>{"origin/feature/hopper", "origin/fork", "origin/main"});
    CHECK(clone.resolve("origin/fork") == repo.resolve("fork"));
}

TEST_CASE("branches: create, safe checkout, refusal to overwrite local changes", "[core][git]") {
    TempDir tmp;
    auto repo = Repository::init(tmp.path());
    auto h = buildHistory(repo, tmp.path());
    repo.createBranch("fork", "HEAD~2"); // before "Frame 1.1.0" and "X axis 0.2.0"
    CHECK(repo.resolve("fork") == h.commits[2]);
    CHECK_THROWS_MATCHES(repo.createBranch("fork", "HEAD"), telar::GitError,
                         Catch::Message("branch 'fork' already exists"));

    // An untouched working tree switches, keeping an unrelated untracked file.
    writeFile(tmp / "notes.txt", "mine\n");
    repo.checkoutBranch("fork");
    CHECK(repo.currentBranch() == "fork");
    CHECK(telar::test::readFile(tmp / "frame/module.toml") == "[module]\nname = \"Frame\"\n");
    CHECK(telar::test::readFile(tmp / "notes.txt") == "mine\n");
    CHECK(porcelain(repo.status()) == "?? notes.txt\n");

    // A local change to a file that differs between the branches blocks the switch.
    writeFile(tmp / "frame/module.toml", "local edit\n");
    CHECK_THROWS_MATCHES(repo.checkoutBranch("main"), telar::GitError,
                         Catch::Message("cannot switch to branch 'main': local changes would be overwritten in "
                                        "frame/module.toml"));
    CHECK(repo.currentBranch() == "fork");
    CHECK(telar::test::readFile(tmp / "frame/module.toml") == "local edit\n");
    CHECK(telar::test::readFile(tmp / "axes/x/module.toml") == "[module]\nname = \"X axis\"\n");

    writeFile(tmp / "frame/module.toml", "[module]\nname = \"Frame\"\n");
    repo.checkoutBranch("main");
    CHECK(repo.currentBranch() == "main");
    CHECK(telar::test::readFile(tmp / "axes/x/module.toml") == "[module]\nname = \"X axis\"\nversion = \"0.2.0\"\n");
    CHECK(porcelain(repo.status()) == "?? notes.txt\n");
    CHECK_THROWS_MATCHES(repo.checkoutBranch("missing"), telar::GitError, Catch::Message("no branch 'missing'"));
}

TEST_CASE("hashBlob gives git's blob ids", "[core][git]") {
    CHECK(telar::core::hashBlob("") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    CHECK(telar::core::hashBlob("hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a");
    std::string binary("\0\x01\xff", 3);
    TempDir tmp;
    writeFile(tmp / "bin", binary);
    CHECK(telar::core::hashBlob(binary) == trimmed(git(tmp.path(), {"hash-object", "bin"})));
}

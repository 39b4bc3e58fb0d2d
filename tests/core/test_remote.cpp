// Remotes over local paths (no server): configured remotes, fetch and push between repositories
// built with fixed signatures, ahead/behind, fast-forward that never overwrites local changes,
// release tags, forks recorded in telar.toml, cancel. Cross-checked with the git CLI.

#include "telar/core/git.h"
#include "telar/core/manifest.h"
#include "telar/core/remote.h"
#include "telar/error.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace telar::core;
using telar::test::readFile;
using telar::test::git;
using telar::test::run;
using telar::test::TempDir;
using telar::test::writeFile;

namespace {

const Signature kAmara{"Amara Okafor", "amara@example.org", 1767603600, 60};
const Signature kBruno{"Bruno Silva", "bruno@example.org", 1767690000, -180};

Signature at(const Signature& who, int64_t time) {
    Signature s = who;
    s.time = time;
    return s;
}

// The git CLI with no user or system configuration.
const char* kProject = "# The press.\n[project]\nname = \"Press\"\nlicense = \"CERN-OHL-S-2.0\"\n";

// A design repository with two commits by Amara; returns the second commit's id.
std::string makeDesign(const fs::path& dir) {
    auto repo = Repository::init(dir);
    writeFile(dir / "telar.toml", kProject);
    writeFile(dir / "frame/module.toml", "[module]\nname = \"Frame\"\n");
    repo.commitAll("Start the press", kAmara);
    writeFile(dir / "wheels/module.toml", "[module]\nname = \"Wheels\"\n");
    return *repo.commitAll("Add wheels", at(kAmara, kAmara.time + 3600));
}

// A bare repository (HEAD → main) to push to.
fs::path makeBare(const fs::path& dir) {
    git(dir.parent_path(), {"init", "--quiet", "--bare", "--initial-branch=main", dir.string()});
    return dir;
}

// Cancels the work as soon as any progress is reported.
class CancelOnFirstReport : public telar::ProgressSink {
public:
    telar::Progress* progress = nullptr;
    int reports = 0;
    void update(double, std::string_view) override {
        ++reports;
        progress->cancel();
    }
};

} // namespace

TEST_CASE("remotes are listed sorted, added once, and never hold a password", "[core][remote]") {
    TempDir tmp;
    auto repo = Repository::init(tmp / "r");
    CHECK(listRemotes(repo).empty());
    addRemote(repo, "origin", "http://127.0.0.1:9/git/press.git");
    addRemote(repo, "backup", "/srv/backup/press.git");
    auto remotes = listRemotes(repo);
    REQUIRE(remotes.size() == 2);
    CHECK(remotes[0].name == "backup");
    CHECK(remotes[0].url == "/srv/backup/press.git");
    CHECK(remotes[1].name == "origin");
    CHECK(remotes[1].url == "http://127.0.0.1:9/git/press.git");
    CHECK(remotes[1].pushUrl.empty());
    CHECK(git(tmp / "r", {"config", "remote.origin.fetch"}) == "+refs/heads/*:refs/remotes/origin/*");

    CHECK_THROWS_WITH(addRemote(repo, "origin", "/elsewhere"),
                      "a remote called 'origin' already exists (http://127.0.0.1:9/git/press.git)");
    CHECK_THROWS_AS(addRemote(repo, "bad name", "/x"), telar::UsageError);
    CHECK_THROWS_WITH(addRemote(repo, "mine", "https://ann:secret@example.org/press.git"),
                      Catch::Contains("Telar does not store passwords"));
    CHECK_FALSE(findRemote(repo, "mine"));
    setRemoteUrl(repo, "backup", "/srv/other.git");
    CHECK(findRemote(repo, "backup")->url == "/srv/other.git");
    CHECK_THROWS_WITH(setRemoteUrl(repo, "nope", "/x"), "no remote called 'nope'");

    CHECK(displayUrl("https://ann:secret@example.org/press.git") == "https://ann:***@example.org/press.git");
    CHECK(displayUrl("https://ann@example.org/press.git") == "https://ann@example.org/press.git");
    CHECK(displayUrl("/srv/a:b@c/press.git") == "/srv/a:b@c/press.git");
}

TEST_CASE("push, fetch, ahead/behind and fast-forward between repositories", "[core][remote]") {
    TempDir tmp;
    std::string second = makeDesign(tmp / "designer");
    fs::path bare = makeBare(tmp / "press.git");
    auto designer = Repository::open(tmp / "designer");
    addRemote(designer, "origin", bare.string());

    auto pushed = push(designer, "origin", {"main"});
    CHECK(pushed.remote == "origin");
    CHECK(pushed.url == bare.string());
    REQUIRE(pushed.updated.size() == 1);
    CHECK(pushed.updated[0].name == "refs/heads/main");
    CHECK(pushed.updated[0].oldId.empty());
    CHECK(pushed.updated[0].newId == second);
    CHECK(git(bare, {"rev-parse", "refs/heads/main"}) == second);
    CHECK(designer.resolve("origin/main") == second); // the remote-tracking branch followed
    setTrackingBranch(designer, "main", "origin");
    auto tracking = trackingBranch(designer, "main");
    REQUIRE(tracking);
    CHECK(tracking->remote == "origin");
    CHECK(tracking->branch == "main");
    CHECK(tracking->name == "origin/main");

    auto again = push(designer, "origin", {"main"});
    CHECK(again.updated.empty());
    CHECK(again.upToDate == std::vector<std::string>{"refs/heads/main"});

    // A contributor clones, the designer moves on.
    auto contributor = cloneRepository(bare.string(), tmp / "contributor");
    CHECK(contributor.resolve("HEAD") == second);
    writeFile(tmp / "designer/frame/module.toml", "[module]\nname = \"Frame\"\ndescription = \"Steel\"\n");
    std::string third = *designer.commitAll("Describe the frame", at(kAmara, kAmara.time + 7200));
    push(designer, "origin", {"main"});

    auto fetched = fetch(contributor, "origin");
    CHECK(fetched.remote == "origin");
    CHECK(fetched.defaultBranch == "main");
    REQUIRE(fetched.updated.size() == 1);
    CHECK(fetched.updated[0].name == "refs/remotes/origin/main");
    CHECK(fetched.updated[0].oldId == second);
    CHECK(fetched.updated[0].newId == third);
    CHECK(fetched.receivedObjects == 4);          // commit, root tree, frame tree, frame/module.toml
    CHECK(contributor.resolve("HEAD") == second); // fetch changes no branch and no file
    CHECK(git(tmp / "contributor", {"symbolic-ref", "refs/remotes/origin/HEAD"}) ==
          "refs/remotes/origin/main");
    auto counts = aheadBehind(contributor, "HEAD", "origin/main");
    CHECK(counts.ahead == 0);
    CHECK(counts.behind == 1);

    // A local change to the file the fast-forward rewrites: refused, nothing changes.
    writeFile(tmp / "contributor/frame/module.toml", "[module]\nname = \"Frame (mine)\"\n");
    CHECK_THROWS_WITH(
        fastForward(contributor, "origin/main"),
        "cannot fast-forward to origin/main: local changes would be overwritten in frame/module.toml; "
        "commit them (`telar commit`) or undo them, then try again");
    CHECK(contributor.resolve("HEAD") == second);
    CHECK(readFile(tmp / "contributor/frame/module.toml") == "[module]\nname = \"Frame (mine)\"\n");

    // A local change elsewhere is kept across the fast-forward.
    writeFile(tmp / "contributor/frame/module.toml", "[module]\nname = \"Frame\"\n");
    writeFile(tmp / "contributor/wheels/module.toml",
              "[module]\nname = \"Wheels\"\ndescription = \"Wide\"\n");
    auto ff = fastForward(contributor, "origin/main");
    CHECK(ff.status == FastForwardStatus::FastForwarded);
    CHECK(ff.oldId == second);
    CHECK(ff.newId == third);
    CHECK(contributor.resolve("HEAD") == third);
    CHECK(contributor.resolve("main") == third);
    CHECK(readFile(tmp / "contributor/frame/module.toml") ==
          "[module]\nname = \"Frame\"\ndescription = \"Steel\"\n");
    CHECK(readFile(tmp / "contributor/wheels/module.toml") ==
          "[module]\nname = \"Wheels\"\ndescription = \"Wide\"\n");
    auto status = contributor.status();
    REQUIRE(status.size() == 1);
    CHECK(status[0].path == "wheels/module.toml");
    CHECK(status[0].worktree == 'M');
    CHECK(fastForward(contributor, "origin/main").status == FastForwardStatus::UpToDate);

    // Both sides commit: diverged, nothing changes; the push is refused as non-fast-forward.
    std::string mine = *contributor.commitAll("Wide wheels", kBruno);
    writeFile(tmp / "designer/frame/module.toml", "[module]\nname = \"Frame\"\ndescription = \"Oak\"\n");
    std::string theirs = *designer.commitAll("Oak frame", at(kAmara, kAmara.time + 9000));
    push(designer, "origin", {"main"});
    fetch(contributor, "origin");
    auto diverged = fastForward(contributor, "origin/main");
    CHECK(diverged.status == FastForwardStatus::Diverged);
    CHECK(diverged.newId == mine);
    CHECK(contributor.resolve("HEAD") == mine);
    counts = aheadBehind(contributor, "HEAD", "origin/main");
    CHECK(counts.ahead == 1);
    CHECK(counts.behind == 1);
    CHECK(fastForward(designer, "origin/main").status == FastForwardStatus::UpToDate);

    // Bruno pushes without fetching first: rejected with what to do; the remote keeps its commit.
    auto bruno = cloneRepository(bare.string(), tmp / "bruno");
    git(tmp / "bruno", {"reset", "--quiet", "--hard", second});
    writeFile(tmp / "bruno/hopper.txt", "a hopper\n");
    bruno.commitAll("Hopper notes", kBruno);
    try {
        push(bruno, "origin", {"main"});
        FAIL("the push was accepted");
    } catch (const PushRejected& e) {
        CHECK(std::string(e.what()) == std::string(kNonFastForwardMessage));
        CHECK(e.nonFastForward());
        CHECK(e.refs() == std::vector<std::string>{"refs/heads/main"});
    }
    CHECK(git(bare, {"rev-parse", "refs/heads/main"}) == theirs);
    CHECK_THROWS_WITH(push(bruno, "origin", {"nothing-here"}),
                      "nothing called 'nothing-here' to push: it is neither a branch nor a tag");
    CHECK_THROWS_WITH(fetch(bruno, "upstream"),
                      "no remote called 'upstream' (add one with `telar remote add upstream URL`)");
}

TEST_CASE("release tags are the annotated tags on the published history", "[core][remote]") {
    TempDir tmp;
    std::string second = makeDesign(tmp / "d");
    auto repo = Repository::open(tmp / "d");
    std::string first = *repo.resolve("HEAD~1");
    repo.createTag("v1.0", first, "First release", kAmara);
    repo.createTag("v1.1", second, "Wheels", kAmara);
    repo.createTag("wip", second, "", kAmara); // lightweight: not a release
    repo.createBranch("experiment", first);
    repo.checkoutBranch("experiment");
    writeFile(tmp / "d/experiment.txt", "x\n");
    std::string exp = *repo.commitAll("Experiment", kBruno);
    repo.createTag("v2.0-exp", exp, "Experimental", kBruno);
    CHECK(releaseTags(repo, "main") == std::vector<std::string>{"v1.0", "v1.1"});
    CHECK(releaseTags(repo, "experiment") == std::vector<std::string>{"v1.0", "v2.0-exp"});

    fs::path bare = makeBare(tmp / "d.git");
    addRemote(repo, "origin", bare.string());
    auto r = push(repo, "origin", {"refs/heads/main", "refs/tags/v1.0", "v1.1"});
    REQUIRE(r.updated.size() == 3);
    CHECK(git(bare, {"rev-parse", "v1.0^{commit}"}) == first);
    CHECK(git(bare, {"cat-file", "-t", "v1.1"}) == "tag");
    CHECK(git(bare, {"tag", "--list"}) == "v1.0\nv1.1");
}

TEST_CASE("recording a fork keeps comments and moves the old upstream to the front of the lineage",
          "[core][remote]") {
    Upstream mine{"git://127.0.0.1:9418/press.git",
                  "0123456789abcdef0123456789abcdef01234567",
                  "2026-11-21T10:00:00Z",
                  {}};
    SECTION("a first fork adds [upstream]") {
        std::string out = recordFork(kProject, mine);
        CHECK(
            out ==
            std::string(kProject) +
                "\n[upstream]\nurl = \"git://127.0.0.1:9418/press.git\"\n"
                "commit = \"0123456789abcdef0123456789abcdef01234567\"\nforked = \"2026-11-21T10:00:00Z\"\n");
    }
    SECTION("a fork of a fork keeps the previous upstream as the nearest lineage") {
        std::string text = std::string(kProject) +
                           "\n# Where this came from.\n[upstream]\nurl = \"https://example.org/press.git\"\n"
                           "commit = \"89abcdef0123456789abcdef0123456789abcdef\"\nforked = 2026-02-01\n"
                           "\n[[lineage]] # the oldest\nurl = \"https://example.org/earth.git\"\n"
                           "commit = \"fedcba9876543210fedcba9876543210fedcba98\"\n";
        std::string out = recordFork(text, mine);
        CHECK(out ==
              std::string(kProject) +
                  "\n# Where this came from.\n[upstream]\nurl = \"git://127.0.0.1:9418/press.git\"\n"
                  "commit = \"0123456789abcdef0123456789abcdef01234567\"\nforked = \"2026-11-21T10:00:00Z\"\n"
                  "\n[[lineage]]\nurl = \"https://example.org/press.git\"\n"
                  "commit = \"89abcdef0123456789abcdef0123456789abcdef\"\nforked = \"2026-02-01\"\n"
                  "\n[[lineage]] # the oldest\nurl = \"https://example.org/earth.git\"\n"
                  "commit = \"fedcba9876543210fedcba9876543210fedcba98\"\n");
        std::vector<Diagnostic> diags;
        auto project = parseProjectManifest(out, "telar.toml", diags);
        CHECK(diags.empty());
        REQUIRE(project.lineage.size() == 2);
        CHECK(project.lineage[0].url == "https://example.org/press.git");
        CHECK(project.lineage[0].forked == "2026-02-01");
        CHECK(project.lineage[1].url == "https://example.org/earth.git");
    }
    SECTION("an invalid manifest is refused") {
        CHECK_THROWS_AS(recordFork("[project]\n", mine), telar::ManifestError);
    }
}

TEST_CASE("forking a design clones it, records [upstream] and commits the fork", "[core][remote]") {
    TempDir tmp;
    std::string head = makeDesign(tmp / "press");
    auto fork = forkRepository((tmp / "press").string(), tmp / "fork", kBruno, "2026-11-21");
    CHECK(fork.url == (tmp / "press").string());
    CHECK(fork.upstreamCommit == head);
    CHECK(fork.forked == "2026-11-21");
    CHECK_FALSE(fork.previousUpstream);
    auto repo = Repository::open(tmp / "fork");
    CHECK(repo.resolve("HEAD") == fork.forkCommit);
    auto log = repo.log("HEAD", "", 1);
    CHECK(log[0].summary == "Fork of " + (tmp / "press").string());
    CHECK(log[0].author.name == "Bruno Silva");
    CHECK(log[0].parents == std::vector<std::string>{head});
    auto remotes = listRemotes(repo);
    REQUIRE(remotes.size() == 1);
    CHECK(remotes[0].name == "upstream");
    CHECK(repo.resolve("upstream/main") == head);
    CHECK_FALSE(trackingBranch(repo, "main")); // pushes go to a remote of the fork's own
    auto up = forkUpstream(repo);
    REQUIRE(up);
    CHECK(up->url == (tmp / "press").string());
    CHECK(up->commit == head);
    CHECK(repo.status().empty());

    // Forking the fork: the first fork's upstream becomes lineage.
    auto second = forkRepository((tmp / "fork").string(), tmp / "fork2", kAmara, "2026-12-01");
    REQUIRE(second.previousUpstream);
    CHECK(second.previousUpstream->url == (tmp / "press").string());
    std::vector<Diagnostic> diags;
    auto project = parseProjectManifest(readFile(tmp / "fork2/telar.toml"), "telar.toml", diags);
    REQUIRE(project.upstream);
    CHECK(project.upstream->url == (tmp / "fork").string());
    CHECK(project.upstream->commit == fork.forkCommit);
    REQUIRE(project.lineage.size() == 1);
    CHECK(project.lineage[0].commit == head);
    CHECK(project.lineage[0].forked == "2026-11-21");

    // Not a design: refused, nothing left behind.
    auto plain = Repository::init(tmp / "plain");
    writeFile(tmp / "plain/readme.txt", "hi\n");
    plain.commitAll("Readme", kAmara);
    CHECK_THROWS_WITH(
        forkRepository((tmp / "plain").string(), tmp / "fork3", kAmara),
        (tmp / "plain").string() +
            " is not a Telar design (it has no telar.toml); use `telar clone` for a plain git repository");
    CHECK_FALSE(fs::exists(tmp / "fork3"));
}

TEST_CASE("the fork record differs only when [upstream] or [[lineage]] change", "[core][remote]") {
    TempDir tmp;
    std::string head = makeDesign(tmp / "press");
    auto fork = forkRepository((tmp / "press").string(), tmp / "fork", kBruno, "2026-11-21");
    auto repo = Repository::open(tmp / "fork");
    CHECK(forkRecordDiffers(repo, head, fork.forkCommit));
    CHECK(forkRecordDiffers(repo, fork.forkCommit, head));
    CHECK_FALSE(forkRecordDiffers(repo, "upstream/main~1", "upstream/main")); // neither has one
    CHECK_FALSE(forkRecordDiffers(repo, fork.forkCommit, fork.forkCommit));

    // Other project fields, comments and modules are not the fork record.
    const std::string forked = readFile(tmp / "fork/telar.toml");
    std::string text = forked;
    text.replace(text.find("name = \"Press\""), 14, "name = \"Field press\"");
    writeFile(tmp / "fork/telar.toml", "# Our press.\n" + text);
    writeFile(tmp / "fork/frame/module.toml", "[module]\nname = \"Frame, welded\"\n");
    std::string edited = *repo.commitAll("Rename", at(kBruno, kBruno.time + 60));
    CHECK_FALSE(forkRecordDiffers(repo, fork.forkCommit, edited));

    // Another fork date, or a lineage entry more, is.
    text = forked;
    text.replace(text.find("forked = \"2026-11-21\""), 21, "forked = \"2026-11-22\"");
    writeFile(tmp / "fork/telar.toml", text);
    std::string redated = *repo.commitAll("Redate", at(kBruno, kBruno.time + 120));
    CHECK(forkRecordDiffers(repo, edited, redated));
    writeFile(tmp / "fork/telar.toml", forked + "\n[[lineage]]\nurl = \"https://example.org/earth.git\"\n"
                                                "commit = \"fedcba9876543210fedcba9876543210fedcba98\"\n");
    std::string older = *repo.commitAll("Lineage", at(kBruno, kBruno.time + 180));
    CHECK(forkRecordDiffers(repo, fork.forkCommit, older));
    CHECK_THROWS_AS(forkRecordDiffers(repo, "HEAD", "no-such-branch"), telar::GitError);
}

TEST_CASE("a cancelled fetch or clone changes nothing", "[core][remote]") {
    TempDir tmp;
    std::string second = makeDesign(tmp / "press");
    auto clone = cloneRepository((tmp / "press").string(), tmp / "clone");
    auto press = Repository::open(tmp / "press");
    writeFile(tmp / "press/hopper/module.toml", "[module]\nname = \"Hopper\"\n");
    press.commitAll("Hopper", kBruno);

    CancelOnFirstReport sink;
    telar::Progress progress(&sink);
    sink.progress = &progress;
    CHECK_THROWS_AS(fetch(clone, "origin", progress), telar::Cancelled);
    CHECK(sink.reports >= 1);
    CHECK(clone.resolve("origin/main") == second);
    CHECK(git(tmp / "clone", {"fsck", "--no-progress"}).empty());

    CancelOnFirstReport sink2;
    telar::Progress progress2(&sink2);
    sink2.progress = &progress2;
    CHECK_THROWS_AS(cloneRepository((tmp / "press").string(), tmp / "clone2", progress2), telar::Cancelled);
    CHECK_FALSE(fs::exists(tmp / "clone2"));
}

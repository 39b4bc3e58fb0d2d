// The remote story with the real `telar` binary against real servers on 127.0.0.1: a designer
// publishes the example commons over smart HTTP (nginx + fcgiwrap + git-http-backend, password
// needed to push), a contributor forks it over git:// (git daemon), both change different
// modules, the contributor syncs and pushes to a remote of their own, the designer pulls that
// work (a merge commit that keeps the designer's telar.toml without the fork's [upstream]), the
// fork syncs again and keeps its [upstream]; refused pushes say what to do; an interrupted fetch
// changes no reference.

#include "cli_fixture.h"
#include "git_servers.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fcntl.h>
#include <random>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using Json = nlohmann::json;
using telar::test::binaryDir;
using telar::test::CliFixture;
using telar::test::exampleCommons;
using telar::test::GitDaemon;
using telar::test::GitHttpServer;
using telar::test::makeBareRepository;
using telar::test::readFile;
using telar::test::RunResult;
using telar::test::writeFile;

namespace {

const std::string kPushAdvice = "push rejected: the remote has commits you do not have; run `telar pull` (or "
                                "`telar sync` for a fork) and push "
                                "again";

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    return s;
}

// git's answer, trimmed; the test fails when git fails.
std::string git(const CliFixture& f, const fs::path& dir, const std::vector<std::string>& args) {
    std::vector<std::string> argv{"git", "-C", dir.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = f.program(argv);
    INFO("git " << args.front() << ": " << r.err);
    REQUIRE(r.exitCode == 0);
    return trimmed(r.out);
}

// `telar ARGS…` with the designer's push credentials in the environment.
RunResult telarAs(const CliFixture& f, const std::vector<std::string>& env,
                  const std::vector<std::string>& args, const fs::path& cwd) {
    std::vector<std::string> argv{"env"};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.push_back((binaryDir() / "telar").string());
    argv.insert(argv.end(), args.begin(), args.end());
    return f.program(argv, cwd);
}

const std::vector<std::string> kDesignerCredentials{"TELAR_USERNAME=designer", "TELAR_PASSWORD=open-sesame"};

} // namespace

TEST_CASE("publish, fork, sync, push and pull across real servers", "[cli][remote][server]") {
    TELAR_REQUIRE_GIT_SERVERS();
    CliFixture f;
    const fs::path srv = f / "srv";
    fs::create_directories(srv);
    makeBareRepository(srv, "open-press.git");
    makeBareRepository(srv, "contributor.git");
    GitHttpServer http(srv);
    GitDaemon daemon(srv);
    const fs::path designer = f / "designer";
    fs::copy(exampleCommons() / "open-press", designer, fs::copy_options::recursive);
    const std::string designerHead = git(f, designer, {"rev-parse", "HEAD"});
    const std::string release = git(f, designer, {"rev-parse", "v1.0^{commit}"});
    const std::string httpUrl = http.url("open-press.git");

    auto added = f.telar({"remote", "add", "origin", httpUrl}, designer);
    REQUIRE(added.exitCode == 0);
    CHECK(added.out == "Added remote origin: " + httpUrl + "\n");

    // Publishing needs the password: without it, refused with what to do and nothing on the server.
    auto anonymous = f.telar({"publish"}, designer);
    CHECK(anonymous.exitCode == 1);
    CHECK(anonymous.err ==
          "telar: error: authentication required by " + httpUrl +
              ": no credentials found; set TELAR_USERNAME and TELAR_PASSWORD (or TELAR_TOKEN), or "
              "configure a git credential helper\n");
    CHECK(git(f, srv / "open-press.git", {"for-each-ref"}).empty());

    auto published = telarAs(f, kDesignerCredentials, {"publish", "--json"}, designer);
    INFO(published.err);
    REQUIRE(published.exitCode == 0);
    auto pub = Json::parse(published.out);
    CHECK(pub["remote"] == "origin");
    CHECK(pub["branch"] == "main");
    CHECK(pub["tags"] == Json::array({"v1.0"}));
    CHECK(pub["now_tracking"] == "origin/main");
    REQUIRE(pub["updated"].size() == 2);
    CHECK(pub["updated"][0]["ref"] == "refs/heads/main");
    CHECK(pub["updated"][0]["new"] == designerHead);
    CHECK(pub["updated"][1]["ref"] == "refs/tags/v1.0");
    CHECK(git(f, srv / "open-press.git", {"rev-parse", "refs/heads/main"}) == designerHead);
    CHECK(git(f, srv / "open-press.git", {"rev-parse", "v1.0^{commit}"}) == release);

    // A second clone of the designer's, made now, will fall behind.
    auto cloned = f.telar({"clone", httpUrl, "designer2"});
    REQUIRE(cloned.exitCode == 0);
    CHECK(cloned.out ==
          "Cloned " + httpUrl + " into designer2 (main at " + designerHead.substr(0, 7) + ")\n");

    // The contributor forks over git://.
    const std::string gitUrl = daemon.url("open-press.git");
    auto forked = f.telar({"fork", gitUrl, "contributor", "--json"});
    INFO(forked.err);
    REQUIRE(forked.exitCode == 0);
    auto fork = Json::parse(forked.out);
    CHECK(fork["url"] == gitUrl);
    CHECK(fork["upstream_commit"] == designerHead);
    CHECK(fork["previous_upstream"].is_null());
    const fs::path contributor = f / "contributor";
    std::string manifest = readFile(contributor / "telar.toml");
    CHECK(manifest.find("[upstream]\nurl = \"" + gitUrl + "\"\ncommit = \"" + designerHead +
                        "\"\nforked = \"" + fork["forked"].get<std::string>() + "\"\n") != std::string::npos);
    CHECK(git(f, contributor, {"log", "-1", "--format=%s|%an|%P"}) ==
          "Fork of " + gitUrl + "|Test Author|" + designerHead);
    auto remotes = Json::parse(f.telar({"remote", "--json"}, contributor).out);
    CHECK(remotes["remotes"] ==
          Json::parse(R"([{"name": "upstream", "url": ")" + gitUrl + R"(", "push_url": null}])"));
    REQUIRE(f.telar({"remote", "add", "origin", daemon.url("contributor.git")}, contributor).exitCode == 0);

    // Both change different modules.
    writeFile(designer / "hydraulics/service-notes.md", "Bleed the cylinder every 500 bricks.\n");
    REQUIRE(f.telar({"commit", "-m", "Hydraulics service notes"}, designer).exitCode == 0);
    const std::string designerSecond = git(f, designer, {"rev-parse", "HEAD"});
    REQUIRE(telarAs(f, kDesignerCredentials, {"publish"}, designer).exitCode == 0);
    writeFile(contributor / "wheels/soft-ground.md", "Wider tyres for soft ground.\n");
    REQUIRE(f.telar({"commit", "-m", "Wheels for soft ground"}, contributor).exitCode == 0);
    const std::string contributorSecond = git(f, contributor, {"rev-parse", "HEAD"});

    // Sync: the upstream's new commit is merged in.
    auto synced = f.telar({"sync", "--json"}, contributor);
    INFO(synced.err);
    REQUIRE(synced.exitCode == 0);
    auto sync = Json::parse(synced.out);
    CHECK(sync["upstream"] == gitUrl);
    CHECK(sync["fetch"]["updated"][0]["ref"] == "refs/remotes/upstream/main");
    CHECK(sync["fetch"]["updated"][0]["new"] == designerSecond);
    CHECK(sync["integrate"]["status"] == "merged");
    CHECK(sync["integrate"]["ahead"] == 2);
    CHECK(sync["integrate"]["behind"] == 1);
    CHECK(sync["integrate"]["conflicts"].empty());
    const std::string merge = git(f, contributor, {"rev-parse", "HEAD"});
    CHECK(sync["integrate"]["new"] == merge);
    CHECK(git(f, contributor, {"log", "-1", "--format=%P"}) == contributorSecond + " " + designerSecond);
    CHECK(readFile(contributor / "hydraulics/service-notes.md") == "Bleed the cylinder every 500 bricks.\n");
    CHECK(readFile(contributor / "wheels/soft-ground.md") == "Wider tyres for soft ground.\n");
    CHECK(git(f, contributor, {"status", "--porcelain"}).empty());
    CHECK(sync["integrate"]["keeps_fork_record"] == false);
    CHECK(readFile(contributor / "telar.toml") == manifest); // the fork keeps its own [upstream]

    // The contributor pushes to their own remote (git daemon, anonymous push).
    auto pushed = f.telar({"push", "--json"}, contributor);
    INFO(pushed.err);
    REQUIRE(pushed.exitCode == 0);
    auto push = Json::parse(pushed.out);
    CHECK(push["remote"] == "origin");
    CHECK(push["updated"][0]["new"] == merge);
    CHECK(push["now_tracking"] == "origin/main");
    CHECK(git(f, srv / "contributor.git", {"rev-parse", "refs/heads/main"}) == merge);
    CHECK(git(f, srv / "open-press.git", {"rev-parse", "refs/heads/main"}) == designerSecond); // untouched

    // The designer pulls the contributor's work. A fast-forward to the merge would bring in the
    // contributor's "Fork of URL" commit and make the designer's telar.toml a fork of itself: the
    // pull makes a merge commit instead, which keeps the designer's telar.toml (no [upstream]).
    const std::string designerManifest = readFile(designer / "telar.toml");
    REQUIRE(designerManifest.find("[upstream]") == std::string::npos);
    REQUIRE(f.telar({"remote", "add", "contributor", daemon.url("contributor.git")}, designer).exitCode == 0);
    auto pulled = f.telar({"pull", "contributor", "--json"}, designer);
    INFO(pulled.err);
    REQUIRE(pulled.exitCode == 0);
    auto pull = Json::parse(pulled.out);
    CHECK(pull["integrate"]["status"] == "merged");
    CHECK(pull["integrate"]["keeps_fork_record"] == true);
    CHECK(pull["integrate"]["ahead"] == 0);
    CHECK(pull["integrate"]["behind"] == 3); // Fork of URL, the wheels, the contributor's merge
    CHECK(pull["integrate"]["conflicts"].empty());
    CHECK(pull["integrate"]["old"] == designerSecond);
    const std::string pulledMerge = git(f, designer, {"rev-parse", "HEAD"});
    CHECK(pull["integrate"]["new"] == pulledMerge);
    CHECK(git(f, designer, {"log", "-1", "--format=%P|%s"}) ==
          designerSecond + " " + merge + "|Merge contributor/main into main");
    CHECK(readFile(designer / "telar.toml") == designerManifest);
    CHECK(readFile(designer / "telar.toml").find("[upstream]") == std::string::npos);
    CHECK(git(f, designer, {"show", "HEAD:telar.toml"}) == trimmed(designerManifest));
    CHECK(readFile(designer / "wheels/soft-ground.md") == "Wider tyres for soft ground.\n");
    CHECK(readFile(designer / "hydraulics/service-notes.md") == "Bleed the cylinder every 500 bricks.\n");
    CHECK(git(f, designer, {"status", "--porcelain"}).empty());
    auto republished = telarAs(f, kDesignerCredentials, {"publish"}, designer);
    REQUIRE(republished.exitCode == 0);
    CHECK(republished.out == "Pushed to origin (" + httpUrl + ")\n  " + designerSecond.substr(0, 7) + ".." +
                                 pulledMerge.substr(0, 7) + "   main\n");
    CHECK(git(f, srv / "open-press.git", {"rev-parse", "refs/heads/main"}) == pulledMerge);

    // The contributor syncs again: the upstream's main now contains all of the fork's commits, and
    // a fast-forward would drop the fork's [upstream]; a merge commit keeps it.
    auto resynced = f.telar({"sync", "--json"}, contributor);
    INFO(resynced.err);
    REQUIRE(resynced.exitCode == 0);
    auto resync = Json::parse(resynced.out);
    CHECK(resync["integrate"]["status"] == "merged");
    CHECK(resync["integrate"]["keeps_fork_record"] == true);
    CHECK(resync["integrate"]["ahead"] == 0);
    CHECK(resync["integrate"]["behind"] == 1);
    CHECK(resync["integrate"]["old"] == merge);
    CHECK(git(f, contributor, {"log", "-1", "--format=%P"}) == merge + " " + pulledMerge);
    CHECK(readFile(contributor / "telar.toml") == manifest);
    CHECK(git(f, contributor, {"status", "--porcelain"}).empty());

    // designer2 still stands at the first publication: its push is refused as non-fast-forward.
    const fs::path designer2 = f / "designer2";
    writeFile(designer2 / "frame/paint.md", "Linseed oil paint.\n");
    REQUIRE(f.telar({"commit", "-m", "Paint the frame"}, designer2).exitCode == 0);
    auto refused = telarAs(f, kDesignerCredentials, {"push"}, designer2);
    CHECK(refused.exitCode == 1);
    CHECK(refused.err == "telar: error: " + kPushAdvice + "\n");
    CHECK(git(f, srv / "open-press.git", {"rev-parse", "refs/heads/main"}) == pulledMerge);

    // Fetch says how far behind it is; pull merges; the push goes through.
    auto fetched = f.telar({"fetch"}, designer2);
    REQUIRE(fetched.exitCode == 0);
    CHECK(fetched.out == "Fetched origin (" + httpUrl + "): 1 reference updated\n  " +
                             designerHead.substr(0, 7) + ".." + pulledMerge.substr(0, 7) +
                             "   origin/main\nmain and origin/main have diverged (1 and 5 "
                             "commits): run `telar pull`\n");
    auto pulled2 = f.telar({"pull", "--json"}, designer2);
    INFO(pulled2.err);
    REQUIRE(pulled2.exitCode == 0);
    CHECK(Json::parse(pulled2.out)["integrate"]["status"] == "merged");
    REQUIRE(telarAs(f, kDesignerCredentials, {"push"}, designer2).exitCode == 0);
    CHECK(git(f, srv / "open-press.git", {"rev-parse", "refs/heads/main"}) ==
          git(f, designer2, {"rev-parse", "HEAD"}));
}

TEST_CASE("a fork of a fork keeps the lineage and a design that is no fork cannot sync", "[cli][remote]") {
    CliFixture f;
    const fs::path fork = exampleCommons() / "open-press-fork";
    std::string before = readFile(fork / "telar.toml");
    auto r = f.telar({"fork", fork.string(), "refork", "--json"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    auto j = Json::parse(r.out);
    REQUIRE(j["previous_upstream"].is_object());
    std::string manifest = readFile(f / "refork/telar.toml");
    const std::string previousUrl = j["previous_upstream"]["url"];
    CHECK(manifest.find("[upstream]\nurl = \"" + fork.string() + "\"") != std::string::npos);
    CHECK(manifest.find("[[lineage]]\nurl = \"" + previousUrl + "\"\ncommit = \"" +
                        j["previous_upstream"]["commit"].get<std::string>() + "\"") != std::string::npos);
    CHECK(f.telar({"check"}, f / "refork").exitCode == 0);
    CHECK(readFile(fork / "telar.toml") == before);

    auto sync = f.telar({"sync"}, exampleCommons() / "open-press");
    CHECK(sync.exitCode == 2);
    CHECK(sync.err ==
          "telar: this design is not a fork: telar.toml has no [upstream] (a fork made with `telar fork` "
          "has one); use `telar pull` to bring in changes from a remote\n");
    auto noRemote = f.telar({"push"}, f / "refork");
    CHECK(noRemote.exitCode == 2);
    CHECK(noRemote.err ==
          "telar: no remote called 'origin': add the remote to publish to with `telar remote add origin "
          "URL`\n");
}

TEST_CASE("a fetch interrupted by a dying server leaves the references unchanged", "[cli][remote][server]") {
    TELAR_REQUIRE_GIT_SERVERS();
    CliFixture f;
    const fs::path srv = f / "srv";
    fs::create_directories(srv);
    const fs::path bare = makeBareRepository(srv, "scans.git");
    const fs::path work = f / "work";
    git(f, f.dir(), {"init", "--quiet", "--initial-branch=main", work.string()});
    writeFile(work / "telar.toml", "[project]\nname = \"Scans\"\n");
    git(f, work, {"add", "-A"});
    git(f, work,
        {"-c", "user.name=Scanner", "-c", "user.email=scanner@example.org", "commit", "--quiet", "-m",
         "Start"});
    git(f, work, {"push", "--quiet", bare.string(), "main"});
    const std::string first = git(f, work, {"rev-parse", "HEAD"});
    auto cloned = f.telar({"clone", bare.string(), "reader"});
    REQUIRE(cloned.exitCode == 0);
    const fs::path reader = f / "reader";

    // 3 MB that do not compress, served at 256 KiB/s.
    std::mt19937 rng(7);
    for (int i = 0; i < 200; ++i) {
        std::string bytes(16 * 1024, '\0');
        for (auto& c : bytes)
            c = static_cast<char>(rng() & 0xff);
        writeFile(work / "scans" / ("scan-" + std::to_string(i) + ".bin"), bytes);
    }
    git(f, work, {"add", "-A"});
    git(f, work,
        {"-c", "user.name=Scanner", "-c", "user.email=scanner@example.org", "commit", "--quiet", "-m",
         "Scans"});
    git(f, work, {"push", "--quiet", bare.string(), "main"});
    GitHttpServer::Options slow;
    slow.rateLimit = 256 * 1024;
    GitHttpServer http(srv, slow);
    git(f, reader, {"remote", "set-url", "origin", http.url("scans.git")});
    const std::string refsBefore = git(f, reader, {"for-each-ref"});

    // `telar fetch` in the background; the server dies once the pack is arriving.
    const fs::path out = f / "fetch.out", err = f / "fetch.err";
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(o, 1);
        ::dup2(e, 2);
        if (::chdir(reader.c_str()) != 0) ::_exit(127);
        const std::string telar = (binaryDir() / "telar").string();
        ::execl(telar.c_str(), telar.c_str(), "fetch", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    bool arriving = false;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!arriving && std::chrono::steady_clock::now() < deadline) {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(reader / ".git/objects/pack", ec))
            if (e.path().filename().string().rfind("pack_git2_", 0) == 0 && e.file_size(ec) > 64 * 1024)
                arriving = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    http.kill();
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(arriving);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);
    CHECK_THAT(readFile(err),
               Catch::StartsWith("telar: error: cannot fetch from origin (" + http.url("scans.git") + "): "));
    CHECK(git(f, reader, {"for-each-ref"}) == refsBefore);
    CHECK(git(f, reader, {"rev-parse", "origin/main"}) == first);
    CHECK(git(f, reader, {"fsck", "--no-progress"}).empty());
    bool leftovers = false;
    for (const auto& e : fs::directory_iterator(reader / ".git/objects/pack"))
        if (e.path().filename().string().rfind("pack_git2_", 0) == 0) leftovers = true;
    CHECK_FALSE(leftovers);
}

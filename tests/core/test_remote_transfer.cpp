// Remotes against real servers started by the test on 127.0.0.1: smart HTTP (nginx + fcgiwrap +
// git-http-backend, basic authentication for push) and git daemon. Credentials from the
// environment and from a git credential helper; a server killed mid-fetch, a cancelled push and
// a dead server leave every reference as it was.

#include "git_servers.h"
#include "telar/core/git.h"
#include "telar/core/remote.h"
#include "telar/error.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace telar::core;
using telar::test::GitDaemon;
using telar::test::GitHttpServer;
using telar::test::makeBareRepository;
using telar::test::readFile;
using telar::test::git;
using telar::test::run;
using telar::test::TempDir;
using telar::test::writeFile;

namespace {

const Signature kAmara{"Amara Okafor", "amara@example.org", 1767603600, 60};

using EnvVars = std::map<std::string, std::optional<std::string>>;

// Sets (or, with nullopt, removes) environment variables for one scope and restores them after.
class ScopedEnv {
public:
    explicit ScopedEnv(const std::map<std::string, std::optional<std::string>>& vars) {
        for (const auto& [name, value] : vars) {
            const char* old = std::getenv(name.c_str());
            m_saved[name] = old ? std::optional<std::string>(old) : std::nullopt;
            if (value)
                ::setenv(name.c_str(), value->c_str(), 1);
            else
                ::unsetenv(name.c_str());
        }
    }
    ~ScopedEnv() {
        for (const auto& [name, value] : m_saved) {
            if (value)
                ::setenv(name.c_str(), value->c_str(), 1);
            else
                ::unsetenv(name.c_str());
        }
    }

private:
    std::map<std::string, std::optional<std::string>> m_saved;
};

// No credentials from this machine: no TELAR_* variables, no user or system git configuration.
std::map<std::string, std::optional<std::string>> cleanEnv(const fs::path& home) {
    return {{"TELAR_TOKEN", std::nullopt},    {"TELAR_USERNAME", std::nullopt},
            {"TELAR_PASSWORD", std::nullopt}, {"GIT_CONFIG_NOSYSTEM", "1"},
            {"HOME", home.string()},          {"XDG_CONFIG_HOME", (home / ".config").string()},
            {"GIT_TERMINAL_PROMPT", "0"}};
}

// A small design with one commit; returns its id.
std::string makeDesign(const fs::path& dir) {
    auto repo = Repository::init(dir);
    writeFile(dir / "telar.toml", "[project]\nname = \"Press\"\n");
    writeFile(dir / "frame/module.toml", "[module]\nname = \"Frame\"\n");
    return *repo.commitAll("Start the press", kAmara);
}

// Adds `files` incompressible files of `size` bytes (fixed seed) and commits them.
std::string addBulk(Repository& repo, const std::string& folder, int files, size_t size, unsigned seed) {
    std::mt19937 rng(seed);
    for (int i = 0; i < files; ++i) {
        std::string bytes(size, '\0');
        for (auto& c : bytes)
            c = static_cast<char>(rng() & 0xff);
        writeFile(repo.workdir() / folder / ("scan-" + std::to_string(i) + ".bin"), bytes);
    }
    Signature s = kAmara;
    s.time += 3600 + seed;
    return *repo.commitAll("Add " + folder, s);
}

// Calls act once, the first time a report passes `threshold` and its label starts with prefix.
class TriggerSink : public telar::ProgressSink {
public:
    TriggerSink(double threshold, std::string prefix, std::function<void()> act)
        : m_threshold(threshold), m_prefix(std::move(prefix)), m_act(std::move(act)) {}
    void update(double fraction, std::string_view label) override {
        if (m_fired || fraction < m_threshold || label.substr(0, m_prefix.size()) != m_prefix) return;
        m_fired = true;
        m_act();
    }
    bool fired() const { return m_fired; }

private:
    double m_threshold;
    std::string m_prefix;
    std::function<void()> m_act;
    bool m_fired = false;
};

} // namespace

TEST_CASE("smart HTTP: anyone fetches, only a known user pushes", "[core][remote][server]") {
    TELAR_REQUIRE_GIT_SERVERS();
    TempDir tmp;
    ScopedEnv env(cleanEnv(tmp.path()));
    fs::create_directories(tmp / "srv");
    fs::path bare = makeBareRepository(tmp / "srv", "press.git");
    GitHttpServer server(tmp / "srv");
    const std::string url = server.url("press.git");
    std::string head = makeDesign(tmp / "designer");
    auto designer = Repository::open(tmp / "designer");
    addRemote(designer, "origin", url);

    // No credentials anywhere: refused, with what to do.
    CHECK_THROWS_WITH(
        push(designer, "origin", {"main"}),
        "authentication required by " + url +
            ": no credentials found; set TELAR_USERNAME and TELAR_PASSWORD (or TELAR_TOKEN), or "
            "configure a git credential helper");
    CHECK(git(bare, {"for-each-ref"}).empty());
    CHECK_FALSE(designer.resolve("origin/main"));

    {
        ScopedEnv wrong(EnvVars{{"TELAR_USERNAME", "designer"}, {"TELAR_PASSWORD", "guess"}});
        CHECK_THROWS_WITH(push(designer, "origin", {"main"}),
                          "authentication failed for " + url +
                              ": the server refused the credentials from TELAR_USERNAME/TELAR_PASSWORD");
        CHECK(git(bare, {"for-each-ref"}).empty());
    }
    {
        ScopedEnv right(EnvVars{{"TELAR_USERNAME", "designer"}, {"TELAR_PASSWORD", "open-sesame"}});
        auto r = push(designer, "origin", {"main"});
        REQUIRE(r.updated.size() == 1);
        CHECK(r.updated[0].newId == head);
        CHECK(git(bare, {"rev-parse", "refs/heads/main"}) == head);
        CHECK(designer.resolve("origin/main") == head);
    }

    // Anonymous clone and fetch.
    auto reader = cloneRepository(url, tmp / "reader");
    CHECK(reader.resolve("HEAD") == head);
    writeFile(tmp / "designer/frame/module.toml", "[module]\nname = \"Frame\"\ndescription = \"Steel\"\n");
    Signature later = kAmara;
    later.time += 60;
    std::string second = *designer.commitAll("Steel frame", later);
    {
        ScopedEnv token(EnvVars{{"TELAR_USERNAME", "designer"}, {"TELAR_TOKEN", "open-sesame"}});
        push(designer, "origin", {"main"});
    }
    auto fetched = fetch(reader, "origin");
    CHECK(fetched.url == url);
    CHECK(fetched.defaultBranch == "main");
    REQUIRE(fetched.updated.size() == 1);
    CHECK(fetched.updated[0].oldId == head);
    CHECK(fetched.updated[0].newId == second);
}

TEST_CASE("a git credential helper answers through a pipe and hears the outcome", "[core][remote][server]") {
    TELAR_REQUIRE_GIT_SERVERS();
    TempDir tmp;
    ScopedEnv env(cleanEnv(tmp.path()));
    fs::create_directories(tmp / "srv");
    fs::path bare = makeBareRepository(tmp / "srv", "press.git");
    GitHttpServer server(tmp / "srv");
    std::string head = makeDesign(tmp / "designer");
    auto designer = Repository::open(tmp / "designer");
    addRemote(designer, "origin", server.url("press.git"));

    // The helper knows the password from its own environment and logs what git asks of it.
    const fs::path log = tmp / "helper.log";
    git(tmp / "designer",
        {"config", "credential.helper",
         "!f() { echo \"$1\" >> '" + log.string() +
             "'; test \"$1\" = get && echo username=designer && echo password=$TELAR_TEST_SECRET; "
             "true; }; f"});
    {
        ScopedEnv secret(EnvVars{{"TELAR_TEST_SECRET", "open-sesame"}});
        push(designer, "origin", {"main"});
    }
    CHECK(git(bare, {"rev-parse", "refs/heads/main"}) == head);
    CHECK(readFile(log) == "get\nstore\n");
    // The secret is nowhere in the repository.
    auto grep = run({"grep", "-r", "-l", "open-sesame", (tmp / "designer").string()});
    CHECK(grep.exitCode == 1);

    // A wrong answer is reported as refused and erased from the helper.
    writeFile(tmp / "designer/frame/module.toml", "[module]\nname = \"Frame 2\"\n");
    Signature later = kAmara;
    later.time += 60;
    designer.commitAll("Frame 2", later);
    {
        ScopedEnv secret(EnvVars{{"TELAR_TEST_SECRET", "wrong"}});
        CHECK_THROWS_WITH(push(designer, "origin", {"main"}),
                          "authentication failed for " + server.url("press.git") +
                              ": the server refused the credentials from a git credential helper");
    }
    CHECK(readFile(log) == "get\nstore\nget\nerase\n");
    CHECK(git(bare, {"rev-parse", "refs/heads/main"}) == head);
}

TEST_CASE("git daemon: clone, anonymous push and fetch over git://", "[core][remote][server]") {
    TELAR_REQUIRE_GIT_SERVERS();
    TempDir tmp;
    ScopedEnv env(cleanEnv(tmp.path()));
    fs::create_directories(tmp / "srv");
    fs::path bare = makeBareRepository(tmp / "srv", "press.git");
    GitDaemon daemon(tmp / "srv");
    std::string head = makeDesign(tmp / "designer");
    auto designer = Repository::open(tmp / "designer");
    addRemote(designer, "origin", daemon.url("press.git"));
    auto pushed = push(designer, "origin", {"main"});
    REQUIRE(pushed.updated.size() == 1);
    CHECK(git(bare, {"rev-parse", "refs/heads/main"}) == head);

    auto contributor = cloneRepository(daemon.url("press.git"), tmp / "contributor");
    CHECK(contributor.resolve("HEAD") == head);
    CHECK(listRemotes(contributor)[0].url == daemon.url("press.git"));
    std::string bulk = addBulk(designer, "scans", 3, 1000, 1);
    push(designer, "origin", {"main"});
    auto fetched = fetch(contributor, "origin");
    REQUIRE(fetched.updated.size() == 1);
    CHECK(fetched.updated[0].newId == bulk);
    CHECK(fetched.receivedObjects == 6); // commit, root tree, scans tree, 3 files
}

TEST_CASE("a server killed in the middle of a fetch leaves every reference as it was",
          "[core][remote][server]") {
    TELAR_REQUIRE_GIT_SERVERS();
    TempDir tmp;
    ScopedEnv env(cleanEnv(tmp.path()));
    fs::create_directories(tmp / "srv");
    fs::path bare = makeBareRepository(tmp / "srv", "press.git");
    std::string head = makeDesign(tmp / "designer");
    auto designer = Repository::open(tmp / "designer");
    addRemote(designer, "origin", bare.string());
    push(designer, "origin", {"main"});
    auto contributor = cloneRepository(bare.string(), tmp / "contributor");
    std::string bulk = addBulk(designer, "scans", 200, 16 * 1024, 2); // 3.2 MB that do not compress
    push(designer, "origin", {"main"});
    const std::string refsBefore = git(tmp / "contributor", {"for-each-ref"});

    GitHttpServer::Options slow;
    slow.rateLimit = 256 * 1024; // the whole pack would take over 12 s
    auto server = std::make_unique<GitHttpServer>(tmp / "srv", slow);
    setRemoteUrl(contributor, "origin", server->url("press.git"));
    TriggerSink killer(0.02, "receiving objects", [&] { server->kill(); });
    telar::Progress progress(&killer);
    CHECK_THROWS_AS(fetch(contributor, "origin", progress), telar::GitError);
    CHECK(killer.fired());
    CHECK(git(tmp / "contributor", {"for-each-ref"}) == refsBefore);
    CHECK(contributor.resolve("origin/main") == head);
    CHECK(git(tmp / "contributor", {"fsck", "--no-progress"}).empty());
    CHECK(contributor.status().empty());

    // A server again: the same repository fetches everything.
    server = std::make_unique<GitHttpServer>(tmp / "srv");
    setRemoteUrl(contributor, "origin", server->url("press.git"));
    auto fetched = fetch(contributor, "origin");
    REQUIRE(fetched.updated.size() == 1);
    CHECK(fetched.updated[0].newId == bulk);
    CHECK(contributor.resolve("origin/main") == bulk);
}

TEST_CASE("a cancelled push and a push to a dead server change no reference", "[core][remote][server]") {
    TELAR_REQUIRE_GIT_SERVERS();
    TempDir tmp;
    ScopedEnv env(cleanEnv(tmp.path()));
    ScopedEnv creds(EnvVars{{"TELAR_USERNAME", "designer"}, {"TELAR_PASSWORD", "open-sesame"}});
    fs::create_directories(tmp / "srv");
    fs::path bare = makeBareRepository(tmp / "srv", "press.git");
    GitHttpServer server(tmp / "srv");
    std::string head = makeDesign(tmp / "designer");
    auto designer = Repository::open(tmp / "designer");
    addRemote(designer, "origin", server.url("press.git"));
    push(designer, "origin", {"main"});
    std::string bulk = addBulk(designer, "scans", 50, 16 * 1024, 3);

    telar::Progress progress;
    TriggerSink canceller(0.0, "", [&] { progress.cancel(); });
    progress = telar::Progress(&canceller);
    CHECK_THROWS_AS(push(designer, "origin", {"main"}, progress), telar::Cancelled);
    CHECK(git(bare, {"rev-parse", "refs/heads/main"}) == head);
    CHECK(designer.resolve("origin/main") == head);

    server.kill();
    try {
        push(designer, "origin", {"main"});
        FAIL("pushed to a dead server");
    } catch (const telar::GitError& e) {
        CHECK_THAT(e.what(), Catch::StartsWith("cannot push to origin (" + server.url("press.git") + "): "));
    }
    CHECK(git(bare, {"rev-parse", "refs/heads/main"}) == head);
    CHECK(designer.resolve("origin/main") == head);
    CHECK(designer.resolve("main") == bulk);
}

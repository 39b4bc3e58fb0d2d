// Getting one revision of a remote without its history: git's shallow fetch when a `git`
// executable exists (libgit2 1.5 has no shallow fetch), else a full clone through libgit2.

#include "telar/core/package.h"
#include "telar/error.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace telar::core {

namespace fs = std::filesystem;

namespace {

// The full path of an executable found on PATH, or empty.
std::string findOnPath(const std::string& name) {
    const char* path = std::getenv("PATH");
    if (!path) return {};
    std::stringstream ss(path);
    std::string dir;
    while (std::getline(ss, dir, ':')) {
        if (dir.empty()) continue;
        fs::path candidate = fs::path(dir) / name;
        if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    return {};
}

// Runs argv (no shell) and returns its exit code; stdout and stderr are collected in output.
int runCaptured(const std::vector<std::string>& argv, std::string& output) {
    int fds[2];
    if (pipe(fds) != 0) throw Error(std::string("cannot create a pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        throw Error("cannot run " + argv[0] + ": " + std::strerror(rc));
    }
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0) output.append(buf, size_t(n));
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

std::string lastLines(const std::string& text) {
    std::string t = text;
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
    return t;
}

} // namespace

FetchedRevision fetchRevision(const std::string& url, const std::string& tag, const fs::path& dir,
                              const Progress& progress) {
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) throw GitError(dir.string() + " is not empty");
    fs::create_directories(dir, ec);
    progress.throwIfCancelled();
    const std::string git = findOnPath("git");
    if (!git.empty()) {
        std::string out;
        if (runCaptured({git, "init", "-q", "--bare", dir.string()}, out) != 0)
            throw GitError("git init failed: " + lastLines(out));
        progress.report(0.1, "fetching " + (tag.empty() ? std::string("HEAD") : tag));
        const std::string ref = tag.empty() ? "refs/heads/telar-get" : "refs/tags/" + tag;
        const std::string spec = tag.empty() ? "+HEAD:" + ref : "+refs/tags/" + tag + ":" + ref;
        out.clear();
        int rc = runCaptured({git, "-C", dir.string(), "-c", "advice.detachedHead=false", "fetch", "-q", "--depth", "1",
                              "--no-tags", url, spec},
                             out);
        progress.throwIfCancelled();
        if (rc != 0)
            throw GitError("cannot fetch " + (tag.empty() ? std::string("HEAD") : "tag '" + tag + "'") + " from " + url +
                           ": " + lastLines(out));
        Repository repo = Repository::open(dir);
        auto commit = repo.resolve(ref);
        if (!commit) throw GitError("the fetched " + ref + " names no commit");
        progress.report(1.0);
        // Read it by its tag name, as a build from a clone would (same README and notices).
        const std::string rev = tag.empty() ? ref : tag;
        return FetchedRevision{std::move(repo), rev, *commit, true,
                               "fetched " + (tag.empty() ? std::string("HEAD") : tag) + " of " + url +
                                   " without its history (git fetch --depth 1)"};
    }
    // No git executable: libgit2 1.5 cannot fetch shallow, so the whole history comes along.
    Repository repo = Repository::clone(url, dir, progress);
    const std::string rev = tag.empty() ? "HEAD" : tag;
    auto commit = repo.resolve(rev);
    if (!commit) throw GitError("unknown revision '" + (tag.empty() ? std::string("HEAD") : tag) + "' at " + url);
    return FetchedRevision{std::move(repo), rev, *commit, false,
                           "no git executable found: cloned the whole history of " + url +
                               " through libgit2, which cannot fetch a single revision"};
}

} // namespace telar::core

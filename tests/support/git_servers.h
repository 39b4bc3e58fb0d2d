#pragma once
// Real git servers on 127.0.0.1 for the remote tests, started by a test and stopped by it:
// `git daemon` (git://, anonymous push enabled) and a smart-HTTP server made of nginx +
// fcgiwrap + git-http-backend (anonymous read, HTTP basic authentication for push). Both run as
// the current user from a temporary folder that holds their configuration, logs, pid files and
// sockets; each runs in its own process group so kill() takes down every connection it serves.

#include "test_support.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace telar::test {

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
uint16_t freeLoopbackPort();

// What is missing for GitDaemon / GitHttpServer to run here ("nginx not found"); nullopt when
// they can run. Tests skip visibly with TELAR_REQUIRE_GIT_SERVERS.
std::optional<std::string> missingGitDaemon();
std::optional<std::string> missingHttpServer();

// Creates an empty bare repository root/name whose HEAD names main; returns its path.
std::filesystem::path makeBareRepository(const std::filesystem::path& root, const std::string& name);

// A server process (and the processes it forks) in its own process group. Stopped (SIGTERM,
// then SIGKILL) on destruction.
class ServerProcess {
public:
    ServerProcess() = default;
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;
    // Starts argv with stdout and stderr appended to log. Throws std::runtime_error.
    void start(const std::vector<std::string>& argv, const std::filesystem::path& log);
    // Sends signal to the whole group and waits for the leader (up to a few seconds, then SIGKILL).
    void stop(int signal);
    // True while the leader runs.
    bool running();
    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
};

// `git daemon` serving every repository under root at git://127.0.0.1:PORT/NAME, with
// receive-pack enabled (anyone may push).
class GitDaemon {
public:
    explicit GitDaemon(const std::filesystem::path& root);
    ~GitDaemon();
    GitDaemon(const GitDaemon&) = delete;
    GitDaemon& operator=(const GitDaemon&) = delete;
    // git://127.0.0.1:PORT/name
    std::string url(const std::string& name) const;
    uint16_t port() const { return m_port; }
    // Kills the daemon and every connection it is serving (SIGKILL), as a crash would.
    void kill();
    // What the daemon logged.
    std::string log() const;

private:
    TempDir m_dir{"telar-gitd"};
    uint16_t m_port = 0;
    ServerProcess m_daemon;
};

// nginx + fcgiwrap + git-http-backend serving every repository under root at
// http://127.0.0.1:PORT/git/NAME: anonymous fetch and clone, push only with HTTP basic
// authentication as user/password (htpasswd line made with `openssl passwd -apr1`).
// rateLimit (bytes per second, 0 = none) slows responses so a test can interrupt a transfer.
class GitHttpServer {
public:
    struct Options {
        std::string user = "designer";
        std::string password = "open-sesame";
        size_t rateLimit = 0;
    };
    GitHttpServer(const std::filesystem::path& root, const Options& options);
    explicit GitHttpServer(const std::filesystem::path& root) : GitHttpServer(root, Options{}) {}
    ~GitHttpServer();
    GitHttpServer(const GitHttpServer&) = delete;
    GitHttpServer& operator=(const GitHttpServer&) = delete;
    // http://127.0.0.1:PORT/git/name
    std::string url(const std::string& name) const;
    uint16_t port() const { return m_port; }
    // Kills nginx (SIGKILL to master and workers): open connections drop mid-transfer.
    void kill();
    // nginx's error log and fcgiwrap's output.
    std::string log() const;

private:
    TempDir m_dir{"telar-httpd"};
    Options m_options;
    uint16_t m_port = 0;
    ServerProcess m_fcgiwrap;
    ServerProcess m_nginx;
};

} // namespace telar::test

// Skips the rest of a test case, visibly, when the servers' programs are not installed.
#define TELAR_REQUIRE_GIT_SERVERS()                                                                          \
    do {                                                                                                     \
        auto telarMissing_ = ::telar::test::missingGitDaemon();                                              \
        if (!telarMissing_) telarMissing_ = ::telar::test::missingHttpServer();                              \
        if (telarMissing_) {                                                                                 \
            WARN("SKIPPED: " << *telarMissing_ << " (run scripts/setup)");                                   \
            return;                                                                                          \
        }                                                                                                    \
    } while (false)

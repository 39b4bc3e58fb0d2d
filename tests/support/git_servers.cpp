#include "git_servers.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <functional>
#include <netinet/in.h>
#include <pwd.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace telar::test {

namespace {

using namespace std::chrono_literals;

// The first of candidates that is an executable file, or else the program found on PATH.
std::optional<fs::path> findProgram(const std::string& name, const std::vector<fs::path>& candidates) {
    for (const auto& c : candidates)
        if (::access(c.c_str(), X_OK) == 0) return c;
    if (const char* path = std::getenv("PATH")) {
        std::string p = path;
        size_t start = 0;
        while (start <= p.size()) {
            size_t end = p.find(':', start);
            if (end == std::string::npos) end = p.size();
            fs::path candidate = fs::path(p.substr(start, end - start)) / name;
            if (::access(candidate.c_str(), X_OK) == 0) return candidate;
            start = end + 1;
        }
    }
    return std::nullopt;
}

// git's folder of helper programs (git-daemon, git-http-backend).
fs::path gitExecPath() {
    auto r = run({"git", "--exec-path"});
    std::string out = r.out;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
        out.pop_back();
    return r.exitCode == 0 && !out.empty() ? fs::path(out) : fs::path("/usr/lib/git-core");
}

std::optional<fs::path> nginxProgram() {
    return findProgram("nginx", {"/usr/sbin/nginx"});
}
std::optional<fs::path> fcgiwrapProgram() {
    return findProgram("fcgiwrap", {"/usr/sbin/fcgiwrap"});
}

// True once something accepts connections on 127.0.0.1:port.
bool accepts(uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

// Waits until ready() or the process died or 15 s passed; throws with the log otherwise.
template <typename Ready>
void waitUntil(Ready ready, ServerProcess& process, const std::string& what,
               const std::function<std::string()>& log) {
    auto deadline = std::chrono::steady_clock::now() + 15s;
    while (!ready()) {
        if (!process.running()) throw std::runtime_error(what + " exited at start:\n" + log());
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error(what + " did not start:\n" + log());
        std::this_thread::sleep_for(20ms);
    }
}

std::string readIfExists(const fs::path& file) {
    std::error_code ec;
    return fs::exists(file, ec) ? readFile(file) : std::string();
}

} // namespace

uint16_t freeLoopbackPort() {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot find a free port on 127.0.0.1");
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

std::optional<std::string> missingGitDaemon() {
    if (!findProgram("git", {})) return "git not found";
    if (::access((gitExecPath() / "git-daemon").c_str(), X_OK) != 0)
        return "git-daemon not found in git --exec-path";
    return std::nullopt;
}

std::optional<std::string> missingHttpServer() {
    if (!nginxProgram()) return "nginx not found";
    if (!fcgiwrapProgram()) return "fcgiwrap not found";
    if (!findProgram("openssl", {})) return "openssl not found";
    if (::access((gitExecPath() / "git-http-backend").c_str(), X_OK) != 0)
        return "git-http-backend not found in git --exec-path";
    return std::nullopt;
}

fs::path makeBareRepository(const fs::path& root, const std::string& name) {
    fs::path dir = root / name;
    auto r = run({"git", "init", "--quiet", "--bare", "--initial-branch=main", dir.string()});
    if (r.exitCode != 0) throw std::runtime_error("git init --bare failed: " + r.err);
    return dir;
}

// ---- ServerProcess ------------------------------------------------------------------------

ServerProcess::~ServerProcess() {
    stop(SIGTERM);
}

void ServerProcess::start(const std::vector<std::string>& argv, const fs::path& log) {
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0 || in < 0) throw std::runtime_error("cannot open " + log.string());
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::setpgid(0, 0);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(out, 2);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    ::setpgid(pid, pid); // also here: no race with a kill right after start
    ::close(out);
    ::close(in);
    m_pid = pid;
}

bool ServerProcess::running() {
    if (m_pid <= 0) return false;
    int status = 0;
    pid_t r = ::waitpid(m_pid, &status, WNOHANG);
    if (r == m_pid) {
        ::kill(-m_pid, SIGKILL); // whatever it forked goes too
        m_pid = -1;
        return false;
    }
    return true;
}

void ServerProcess::stop(int signal) {
    if (m_pid <= 0) return;
    ::kill(-m_pid, signal);
    auto deadline = std::chrono::steady_clock::now() + 5s;
    int status = 0;
    while (::waitpid(m_pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(-m_pid, SIGKILL);
            ::waitpid(m_pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(10ms);
    }
    ::kill(-m_pid, SIGKILL); // children left in the group (connections being served)
    m_pid = -1;
}

// ---- GitDaemon ----------------------------------------------------------------------------

GitDaemon::GitDaemon(const fs::path& root) {
    if (auto missing = missingGitDaemon()) throw std::runtime_error(*missing);
    m_port = freeLoopbackPort();
    m_daemon.start({"git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack",
                    "--informative-errors", "--base-path=" + root.string(), "--listen=127.0.0.1",
                    "--port=" + std::to_string(m_port), "--pid-file=" + (m_dir / "daemon.pid").string(),
                    root.string()},
                   m_dir / "daemon.log");
    waitUntil([this] { return accepts(m_port); }, m_daemon, "git daemon", [this] { return log(); });
}

GitDaemon::~GitDaemon() {
    m_daemon.stop(SIGTERM);
}

std::string GitDaemon::url(const std::string& name) const {
    return "git://127.0.0.1:" + std::to_string(m_port) + "/" + name;
}

void GitDaemon::kill() {
    m_daemon.stop(SIGKILL);
}

std::string GitDaemon::log() const {
    return readIfExists(m_dir / "daemon.log");
}

// ---- GitHttpServer ------------------------------------------------------------------------

GitHttpServer::GitHttpServer(const fs::path& root, const Options& options) : m_options(options) {
    if (auto missing = missingHttpServer()) throw std::runtime_error(*missing);
    const fs::path dir = m_dir.path();
    fs::create_directories(dir / "tmp");

    auto hash = run({"openssl", "passwd", "-apr1", m_options.password});
    if (hash.exitCode != 0) throw std::runtime_error("openssl passwd failed: " + hash.err);
    std::string line = hash.out;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.pop_back();
    writeFile(dir / "htpasswd", m_options.user + ":" + line + "\n");

    const fs::path socket = dir / "fcgiwrap.sock";
    m_fcgiwrap.start({fcgiwrapProgram()->string(), "-f", "-c", "4", "-s", "unix:" + socket.string()},
                     dir / "fcgiwrap.log");
    waitUntil([&] { return fs::exists(socket); }, m_fcgiwrap, "fcgiwrap", [this] { return log(); });

    m_port = freeLoopbackPort();
    const std::string d = dir.string();
    std::string conf;
    conf += "daemon off;\nmaster_process on;\nworker_processes 1;\n";
    // Started by root, nginx's workers would switch to "nobody" and could not reach the socket
    // or the files here: they stay the current user.
    if (::geteuid() == 0)
        if (const passwd* pw = ::getpwuid(0)) conf += "user " + std::string(pw->pw_name) + ";\n";
    conf += "pid " + d + "/nginx.pid;\nerror_log " + d + "/error.log info;\n";
    conf += "events { worker_connections 64; }\n";
    conf += "http {\n";
    conf += "  access_log " + d + "/access.log;\n";
    for (const char* kind : {"client_body", "fastcgi", "proxy", "uwsgi", "scgi"})
        conf += std::string("  ") + kind + "_temp_path " + d + "/tmp/" + kind + ";\n";
    conf += "  client_max_body_size 0;\n";
    // Only receive-pack (push) asks for a password: its ref advertisement and its POST.
    conf += "  map $request_uri $telar_realm {\n    default off;\n    \"~git-receive-pack\" \"Telar "
            "push\";\n  }\n";
    conf += "  server {\n";
    conf += "    listen 127.0.0.1:" + std::to_string(m_port) + ";\n";
    conf += "    server_name localhost;\n";
    // A named capture: the map's regex would overwrite $1 before fastcgi_param reads it.
    conf += "    location ~ ^/git(?<git_path>/.*)$ {\n";
    conf += "      auth_basic $telar_realm;\n";
    conf += "      auth_basic_user_file " + d + "/htpasswd;\n";
    if (m_options.rateLimit > 0) conf += "      limit_rate " + std::to_string(m_options.rateLimit) + ";\n";
    conf += "      fastcgi_pass unix:" + socket.string() + ";\n";
    conf += "      fastcgi_param SCRIPT_FILENAME " + (gitExecPath() / "git-http-backend").string() + ";\n";
    conf += "      fastcgi_param GIT_PROJECT_ROOT " + root.string() + ";\n";
    conf += "      fastcgi_param GIT_HTTP_EXPORT_ALL \"\";\n";
    conf += "      fastcgi_param PATH_INFO $git_path;\n";
    conf += "      fastcgi_param REMOTE_USER $remote_user;\n";
    conf += "      fastcgi_param REMOTE_ADDR $remote_addr;\n";
    conf += "      fastcgi_param QUERY_STRING $query_string;\n";
    conf += "      fastcgi_param REQUEST_METHOD $request_method;\n";
    conf += "      fastcgi_param CONTENT_TYPE $content_type;\n";
    conf += "      fastcgi_param CONTENT_LENGTH $content_length;\n";
    conf += "      fastcgi_param SERVER_PROTOCOL $server_protocol;\n";
    conf += "      fastcgi_param GATEWAY_INTERFACE CGI/1.1;\n";
    conf += "    }\n  }\n}\n";
    writeFile(dir / "nginx.conf", conf);

    m_nginx.start({nginxProgram()->string(), "-e", d + "/error.log", "-p", d, "-c", d + "/nginx.conf"},
                  dir / "nginx.out");
    waitUntil([this] { return accepts(m_port); }, m_nginx, "nginx", [this] { return log(); });
}

GitHttpServer::~GitHttpServer() {
    m_nginx.stop(SIGTERM);
    m_fcgiwrap.stop(SIGTERM);
}

std::string GitHttpServer::url(const std::string& name) const {
    return "http://127.0.0.1:" + std::to_string(m_port) + "/git/" + name;
}

void GitHttpServer::kill() {
    m_nginx.stop(SIGKILL);
}

std::string GitHttpServer::log() const {
    return readIfExists(m_dir / "nginx.out") + readIfExists(m_dir / "error.log") +
           readIfExists(m_dir / "fcgiwrap.log");
}

} // namespace telar::test

#include "test_support.h"

#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>



namespace fs = std::filesystem;

namespace telar::test {

TempDir::TempDir(const std::string& prefix) {
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto candidate = fs::temp_directory_path() / (prefix + "-" + std::to_string(rd()));
        std::error_code ec;
        if (fs::create_directory(candidate, ec)) {
            m_path = fs::canonical(candidate);
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

std::optional<fs::path> realdataDir() {
    if (const char* env = std::getenv("TELAR_REALDATA"); env && *env) {
        if (fs::is_directory(env)) return fs::path(env);
        return std::nullopt;
    }
    fs::path p = fs::path(TELAR_SOURCE_DIR) / ".." / "shared" / "realdata";
    if (fs::is_directory(p)) return fs::canonical(p);
    return std::nullopt;
}

fs::path resourceDir() { return fs::path(TELAR_SOURCE_DIR) / "resources"; }

fs::path binaryDir() { return fs::path(TELAR_BINARY_DIR); }

void writeFile(const fs::path& file, const std::string& text) {
    if (file.has_parent_path()) fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

std::string readFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}


RunResult run(const std::vector<std::string>& argv, const fs::path& cwd, const std::vector<std::string>& env) {
    // stdout and stderr go to temporary files so neither pipe can fill up and block the child.
    TempDir io("telar-run");
    auto outPath = io / "out";
    auto errPath = io / "err";
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        int o = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int devnull = ::open("/dev/null", O_RDONLY);
        ::dup2(devnull, 0);
        ::dup2(o, 1);
        ::dup2(e, 2);
        if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) _exit(127);
        for (const auto& kv : env) ::putenv(const_cast<char*>(kv.c_str()));
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    RunResult r;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = readFile(outPath);
    r.err = readFile(errPath);
    return r;
}

std::string git(const fs::path& cwd, const std::vector<std::string>& args, const std::vector<std::string>& env) {
    std::vector<std::string> argv = {"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> fullEnv = {"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "LC_ALL=C"};
    fullEnv.insert(fullEnv.end(), env.begin(), env.end());
    RunResult r = run(argv, cwd, fullEnv);
    if (r.exitCode != 0)
        throw std::runtime_error("git " + (args.empty() ? std::string() : args.front()) + " failed (exit " +
                                 std::to_string(r.exitCode) + "): " + r.err);
    std::string out = r.out;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

} // namespace telar::test

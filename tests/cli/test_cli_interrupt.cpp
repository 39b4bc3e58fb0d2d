// Ctrl-C during a long command: the real binary gets SIGINT while its CAD workers analyse a cold
// BOM, stops them, says so, exits 130 and leaves a store the next run completes from.

#include "cli_fixture.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

using telar::test::binaryDir;
using telar::test::CliFixture;
using telar::test::readFile;

namespace fs = std::filesystem;

namespace {

// The pids of the running telar-cad-worker children of parent.
std::vector<pid_t> workersOf(pid_t parent) {
    std::vector<pid_t> out;
    for (const auto& entry : fs::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat(entry.path() / "stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        // pid (comm) state ppid …; comm may hold spaces, so read after the last ')'.
        const auto open = line.find('('), close = line.rfind(')');
        if (open == std::string::npos || close == std::string::npos) continue;
        const std::string comm = line.substr(open + 1, close - open - 1);
        int ppid = 0;
        char state = 0;
        if (std::sscanf(line.c_str() + close + 1, " %c %d", &state, &ppid) != 2) continue;
        if (ppid == parent && comm.rfind("telar-cad-work", 0) == 0 && state != 'Z') out.push_back(std::stoi(name));
    }
    return out;
}

bool alive(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    return stat.good();
}

} // namespace

TEST_CASE("Ctrl-C during a cold BOM stops the workers and exits 130", "[cli][interrupt]") {
    CliFixture f;
    auto gen = f.program({(binaryDir() / "telar-example-gen").string(), (f / "big").string(), "--modules", "6",
                          "--parts", "120"});
    REQUIRE(gen.exitCode == 0);
    const fs::path repo = f / "big" / "generated";
    const fs::path store = f / "store.db";
    const fs::path err = f / "bom.err";

    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&files, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const std::string telar = (binaryDir() / "telar").string();
    std::vector<std::string> args{telar, "--repo", repo.string(), "--store", store.string(), "bom", "--format", "csv"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, telar.c_str(), &files, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&files);

    // Wait until the analysis is under way: a worker process runs.
    std::vector<pid_t> workers;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (workers.empty() && std::chrono::steady_clock::now() < deadline) {
        workers = workersOf(pid);
        if (workers.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE_FALSE(workers.empty());
    REQUIRE(::kill(pid, SIGINT) == 0);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 130);
    CHECK(readFile(err) == "\ntelar: cancelling (Ctrl-C again to stop at once)\ntelar: cancelled\n");
    for (pid_t w : workers) CHECK_FALSE(alive(w));

    // The next run completes: 120 parts over 6 modules (a header line and one line per part).
    auto again = f.telar({"--repo", repo.string(), "--store", store.string(), "--quiet", "bom", "--format", "csv"});
    INFO(again.err);
    REQUIRE(again.exitCode == 0);
    const auto lines = std::count(again.out.begin(), again.out.end(), '\n');
    CHECK(lines == 1 + 120);
}

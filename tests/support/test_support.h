#pragma once
// Helpers shared by the test suites: temporary folders, the real-data folder, the resources
// folder, and running a program to capture its output and exit code.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace telar::test {

// A fresh folder under the system temp dir, removed (recursively) on destruction.
class TempDir {
public:
    explicit TempDir(const std::string& prefix = "telar-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& rel) const { return m_path / rel; }

private:
    std::filesystem::path m_path;
};

// ../shared/realdata beside the checkout, or $TELAR_REALDATA. nullopt when absent: callers
// skip visibly with TELAR_REQUIRE_REALDATA.
std::optional<std::filesystem::path> realdataDir();
// The resources/ folder of the source tree.
std::filesystem::path resourceDir();
// The folder holding the built binaries (telar, telar-example-gen).
std::filesystem::path binaryDir();

// Writes text to a file, creating parent folders.
void writeFile(const std::filesystem::path& file, const std::string& text);
std::string readFile(const std::filesystem::path& file);

struct RunResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};
// Runs argv[0] with the arguments (no shell), in cwd when given, with extra environment
// assignments ("NAME=value") added; captures stdout and stderr.
RunResult run(const std::vector<std::string>& argv, const std::filesystem::path& cwd = {},
              const std::vector<std::string>& env = {});

} // namespace telar::test

namespace telar::test {

// Runs `git ARGS…` in cwd with the user's and the system's git configuration ignored (plus the
// extra "NAME=value" assignments in env) and returns its stdout without trailing newlines.
// Throws std::runtime_error with git's stderr when git fails.
std::string git(const std::filesystem::path& cwd, const std::vector<std::string>& args,
                const std::vector<std::string>& env = {});

} // namespace telar::test

// Skips the rest of a test case, visibly, when the real-data folder is missing.
#define TELAR_REQUIRE_REALDATA(var)                                                              \
    auto var##_opt = ::telar::test::realdataDir();                                               \
    if (!var##_opt) {                                                                            \
        WARN("SKIPPED: ../shared/realdata not found (set TELAR_REALDATA)");                      \
        return;                                                                                  \
    }                                                                                            \
    const std::filesystem::path var = *var##_opt

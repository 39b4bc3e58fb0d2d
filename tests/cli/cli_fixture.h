#pragma once
// Runs the real `telar` binary in a scratch folder with its own store and a fixed git identity.

#include "test_support.h"

#include <string>
#include <vector>

namespace telar::test {

class CliFixture {
public:
    CliFixture();
    // Runs `telar ARGS…` in the given folder (default: the scratch folder).
    RunResult telar(const std::vector<std::string>& args, const std::filesystem::path& cwd = {}) const;
    // The same with extra environment assignments ("NAME=value").
    RunResult telarEnv(const std::vector<std::string>& args, const std::vector<std::string>& env,
                       const std::filesystem::path& cwd = {}) const;
    // Runs any program (git, telar-example-gen) with the fixture's environment.
    RunResult program(const std::vector<std::string>& argv, const std::filesystem::path& cwd = {}) const;
    const std::filesystem::path& dir() const { return m_tmp.path(); }
    std::filesystem::path operator/(const std::string& rel) const { return m_tmp.path() / rel; }

private:
    TempDir m_tmp{"telar-cli"};
    std::vector<std::string> m_env;
};

// The folder holding the generated Open Press commons (generated once per test process).
const std::filesystem::path& exampleCommons();

} // namespace telar::test

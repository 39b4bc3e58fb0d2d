#include "cli_fixture.h"

#include <stdexcept>

namespace fs = std::filesystem;

namespace telar::test {

CliFixture::CliFixture() {
    m_env = {"TELAR_HOME=" + (m_tmp.path() / "home").string(),
             "GIT_AUTHOR_NAME=Test Author",
             "GIT_AUTHOR_EMAIL=author@example.org",
             "GIT_CONFIG_NOSYSTEM=1",
             "HOME=" + m_tmp.path().string(),
             "XDG_CONFIG_HOME=" + (m_tmp.path() / "config").string()};
}

RunResult CliFixture::telar(const std::vector<std::string>& args, const fs::path& cwd) const {
    std::vector<std::string> argv{(binaryDir() / "telar").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, cwd.empty() ? m_tmp.path() : cwd, m_env);
}

RunResult CliFixture::telarEnv(const std::vector<std::string>& args, const std::vector<std::string>& env,
                               const fs::path& cwd) const {
    std::vector<std::string> argv{(binaryDir() / "telar").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> all = m_env;
    all.insert(all.end(), env.begin(), env.end());
    return run(argv, cwd.empty() ? m_tmp.path() : cwd, all);
}

RunResult CliFixture::program(const std::vector<std::string>& argv, const fs::path& cwd) const {
    return run(argv, cwd.empty() ? m_tmp.path() : cwd, m_env);
}

const fs::path& exampleCommons() {
    static TempDir dir("telar-example");
    static bool made = false;
    if (!made) {
        auto r = run({(binaryDir() / "telar-example-gen").string(), dir.path().string()});
        if (r.exitCode != 0) throw std::runtime_error("telar-example-gen failed: " + r.err);
        made = true;
    }
    return dir.path();
}

} // namespace telar::test

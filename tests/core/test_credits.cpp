// Contribution accounting: rounding, credited bytes, the policy and ledger formats, and credits
// over a repository built by the test with fixed identities, a .mailmap and a ledger.

#include "telar/core/credits.h"
#include "telar/core/store.h"
#include "telar/error.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace telar::core;
using telar::test::run;
using telar::test::TempDir;
using telar::test::writeFile;

namespace {

void git(const fs::path& repo, const std::vector<std::string>& args,
         const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv = {"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> fullEnv = {"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "LC_ALL=C"};
    fullEnv.insert(fullEnv.end(), env.begin(), env.end());
    auto r = run(argv, repo, fullEnv);
    INFO("git " << args.front() << ": " << r.err);
    REQUIRE(r.exitCode == 0);
}

void commit(const fs::path& repo, const std::string& message, const std::string& name,
            const std::string& email, int hours) {
    std::string date = std::to_string(1767225600 + hours * 3600) + " +0000";
    git(repo, {"add", "-A"});
    git(repo, {"commit", "-q", "-m", message},
        {"GIT_AUTHOR_NAME=" + name, "GIT_AUTHOR_EMAIL=" + email, "GIT_AUTHOR_DATE=" + date,
         "GIT_COMMITTER_NAME=" + name, "GIT_COMMITTER_EMAIL=" + email, "GIT_COMMITTER_DATE=" + date});
}

const char* kPolicy = R"(
[history]
per_commit = 10
per_cad_kib = 1.0
per_manifest_kib = 20
per_other_kib = 2
max_commit_points = 100
co_author_weight = 1
[ledger.per_hour]
testing = 8
)";

} // namespace

TEST_CASE("shares are rounded to basis points that sum to exactly 100 %", "[core][credits]") {
    CHECK(shareBasisPoints({1, 1, 1}) == std::vector<int>{3334, 3333, 3333});
    CHECK(shareBasisPoints({17.5, 5.5, 16}) == std::vector<int>{4487, 1410, 4103});
    CHECK(shareBasisPoints({2, 1}) == std::vector<int>{6667, 3333});
    CHECK(shareBasisPoints({0, 0}) == std::vector<int>{0, 0});
    CHECK(shareBasisPoints({}).empty());
}

TEST_CASE("credited bytes of a change", "[core][credits]") {
    CHECK(creditedBytes({'A', "p", "", "", "b1", 0, 300, true}) == 300);
    CHECK(creditedBytes({'M', "p", "", "b0", "b1", 300, 200, true}) == 100);
    CHECK(creditedBytes({'M', "p", "", "b0", "b1", 300, 300, true}) == 1);
    CHECK(creditedBytes({'R', "q", "p", "b0", "b0", 300, 300, true}) == 0);
    CHECK(creditedBytes({'D', "p", "", "b0", "", 300, 0, true}) == 0);
    CHECK(creditedBytes({'A', "p", "", "", "b1", 0, -1, true}) == 0);
}

TEST_CASE("policy and ledger files", "[core][credits]") {
    CreditPolicy p = parseCreditPolicy(kPolicy, "policy.toml");
    CHECK(p.perManifestKib == 20.0);
    CHECK(p.perHour.at("testing") == 8.0);
    CHECK(p.perHour.at("design") == 10.0); // default kept
    CHECK_THROWS_WITH(parseCreditPolicy("[history]\nper_comit = 1\n", "policy.toml"),
                      "policy.toml:2:1: history.per_comit: unknown field");
    CHECK(defaultCreditPolicy().perCommit == 10.0);

    auto entries =
        parseContributions("[[contribution]]\nkind = \"funding\"\nwho = \"Fund\"\ndate = 2026-02-01\n"
                           "value = 250\nnote = \"grant\"\n\n[[contribution]]\nkind = \"testing\"\n"
                           "who = \"Dana\"\nemail = \"dana@example.org\"\ndate = 2026-02-03\n"
                           "module = \"frame\"\nhours = 2.5\n");
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].kind == "funding");
    CHECK(entries[0].date == "2026-02-01");
    CHECK(entries[0].value == 250.0);
    CHECK_FALSE(entries[0].hours);
    CHECK(entries[1].module == "frame");
    CHECK(entries[1].hours == 2.5);
    CHECK(entries[1].line == 8);
    CHECK_THROWS_WITH(
        parseContributions(
            "[[contribution]]\nkind = \"coding\"\nwho = \"X\"\ndate = 2026-01-01\nhours = 1\n"),
        Catch::StartsWith("contributions.toml:2:8: contribution[1].kind: unknown kind 'coding'"));
    CHECK_THROWS_WITH(
        parseContributions("[[contribution]]\nkind = \"testing\"\nwho = \"X\"\ndate = 2026-01-01\n"),
        "contributions.toml:1:1: contribution[1]: give either hours or value (exactly one)");
}

TEST_CASE("credits from history and the ledger, identities merged by .mailmap", "[core][credits]") {
    TempDir tmp("telar-credits");
    fs::path dir = tmp / "repo";
    fs::create_directories(dir);
    git(dir, {"init", "-q", "-b", "main"});
    writeFile(dir / "part.step", std::string(2048, 'x'));
    writeFile(dir / ".mailmap", "Alice Maker <alice@example.org> <alice@old.example>\n");
    commit(dir, "Add the part", "A. Maker", "alice@old.example", 0);
    writeFile(dir / "part.step", std::string(3072, 'x'));
    writeFile(dir / "contributions.toml",
              "[[contribution]]\nkind = \"testing\"\nwho = \"Dana\"\ndate = 2026-01-02\nhours = 2\n");
    commit(dir, "Grow the part\n\nCo-authored-by: Alice Maker <alice@example.org>", "Bob Builder",
           "bob@example.org", 1);

    auto store = Store::open(tmp / "store.db", [](const std::string&) {});
    Repository repo = Repository::open(dir);
    auto tree = repo.treeAt("HEAD");
    CreditsReport r = computeCredits(repo, *store, *tree, nullptr, parseCreditPolicy(kPolicy, "policy.toml"));
    CHECK(r.index.indexed == 2);
    REQUIRE(r.modules.size() == 1);
    const ScopeCredits& s = r.modules[0];
    CHECK(s.scope == "(project)");
    CHECK(s.points == Approx(39.0));
    REQUIRE(s.lines.size() == 3);
    CHECK(s.lines[0].name == "Alice Maker");
    CHECK(s.lines[0].email == "alice@example.org");
    CHECK(s.lines[0].commits == 2);
    CHECK(s.lines[0].cadBytes == 2048 + 512);
    CHECK(s.lines[0].historyPoints == Approx(17.5));
    CHECK(s.lines[0].shareBasisPoints == 4487);
    CHECK(s.lines[1].name == "Dana");
    CHECK(s.lines[1].ledgerPoints == Approx(16.0));
    CHECK(s.lines[1].shareBasisPoints == 4103);
    CHECK(s.lines[2].name == "Bob Builder");
    CHECK(s.lines[2].historyPoints == Approx(5.5));
    CHECK(s.lines[2].shareBasisPoints == 1410);
    CHECK(r.products.empty());

    // The second run reads nothing from git.
    CHECK(computeCredits(repo, *store, *tree, nullptr, parseCreditPolicy(kPolicy, "p")).index.indexed == 0);
}

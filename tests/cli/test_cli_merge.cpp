// `telar diff`, `telar bom diff`, `telar merge` and `telar resolve` as the real binary: on the
// generated Open Press commons and its fork, and on a repository the test builds with git.

#include "cli_fixture.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using telar::test::CliFixture;
using telar::test::exampleCommons;
using telar::test::readFile;
using telar::test::writeFile;
using Json = nlohmann::json;

namespace {

std::string pressRepo() { return (exampleCommons() / "open-press").string(); }
std::string forkRepo() { return (exampleCommons() / "open-press-fork").string(); }

const std::string kFrame = "# Frame\n[module]\nname = \"Frame\"\nversion = \"1.0.0\"\nlicense = \"CERN-OHL-S-2.0\"\n\n"
                           "[[part]]\nid = \"side-plate\"\nname = \"Side plate\"\nprocess = \"purchased\"\nquantity = 2\n";

// git with a fixed identity and no user configuration.
void git(const CliFixture& f, const fs::path& repo, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"git", "-c", "user.name=Test Author", "-c", "user.email=author@example.org"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = f.program(argv, repo);
    INFO("git " << args.front() << ": " << r.err);
    REQUIRE(r.exitCode == 0);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    return text.replace(text.find(from), from.size(), to);
}

// main and theirs both changed side-plate's quantity (3 and 4).
fs::path conflicted(const CliFixture& f) {
    fs::path repo = f / "design";
    writeFile(repo / "telar.toml", "[project]\nname = \"T\"\nlicense = \"CERN-OHL-S-2.0\"\n");
    writeFile(repo / "frame/module.toml", kFrame);
    git(f, f.dir(), {"init", "-q", "-b", "main", repo.string()});
    git(f, repo, {"add", "-A"});
    git(f, repo, {"commit", "-q", "-m", "base"});
    git(f, repo, {"checkout", "-q", "-b", "theirs"});
    writeFile(repo / "frame/module.toml", replaced(kFrame, "quantity = 2", "quantity = 4"));
    git(f, repo, {"commit", "-q", "-am", "theirs"});
    git(f, repo, {"checkout", "-q", "main"});
    writeFile(repo / "frame/module.toml", replaced(kFrame, "quantity = 2", "quantity = 3"));
    git(f, repo, {"commit", "-q", "-am", "ours"});
    return repo;
}

} // namespace

TEST_CASE("telar diff v1.0 HEAD: the hopper's version and wall geometry", "[cli][diff]") {
    CliFixture f;
    auto r = f.telar({"--repo", pressRepo(), "--quiet", "diff", "v1.0", "HEAD"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.rfind("Changes from v1.0 (", 0) == 0);
    CHECK(r.out.find("\nLicences: unchanged\n") != std::string::npos);
    CHECK(r.out.find("\n  ~ hopper (Soil hopper)\n      version: 1.0.0 → 1.1.0\n      ~ part hopper-wall (geometry changed)\n"
                     "      ~ part hopper-end (geometry changed)\n") != std::string::npos);
    CHECK(r.out.find("\n  hopper/hopper-wall  hopper/cad/hopper-wall.step\n") != std::string::npos);

    auto j = f.telar({"--repo", pressRepo(), "--quiet", "diff", "v1.0", "HEAD", "--json", "--no-cost"});
    REQUIRE(j.exitCode == 0);
    auto doc = Json::parse(j.out);
    CHECK(doc["format"] == "telar-diff");
    CHECK(doc["modules"].size() == 1);
    CHECK(doc["modules"][0]["fields"][0] == Json({{"field", "version"}, {"before", "1.0.0"}, {"after", "1.1.0"}}));
    CHECK(doc["geometry"].size() == 2);
    CHECK(doc["cost"].is_null());
}

TEST_CASE("telar diff between the fork and its upstream: wheel hub and tyre", "[cli][diff]") {
    CliFixture f;
    auto r = f.telar({"--repo", forkRepo(), "--quiet", "diff", "origin/main", "HEAD", "--json"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    auto doc = Json::parse(r.out);
    REQUIRE(doc["modules"].size() == 1);
    const auto& wheels = doc["modules"][0];
    CHECK(wheels["module"] == "wheels");
    CHECK(wheels["parts"][0]["part"] == "wheel-hub");
    CHECK(wheels["parts"][0]["geometry_changed"] == true);
    CHECK(wheels["parts"][1]["fields"][1] == Json({{"field", "unit_cost"}, {"before", "21"}, {"after", "34"}}));
    CHECK(doc["geometry"][0]["part"] == "wheel-hub");
    CHECK(doc["geometry"][0]["before"]["size"] == Json::array({100.0, 100.0, 60.0}));
    CHECK(doc["geometry"][0]["after"]["size"] == Json::array({100.0, 100.0, 80.0}));
    CHECK(doc["cost"]["after"].get<double>() > doc["cost"]["before"].get<double>());
}

TEST_CASE("telar bom diff v1.0 HEAD", "[cli][diff][bom]") {
    CliFixture f;
    auto r = f.telar({"--repo", pressRepo(), "--quiet", "bom", "diff", "v1.0", "HEAD", "--format", "csv"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.rfind("Change,Module,Part,Name,Qty before,Qty after,Volume before (mm3),Volume after (mm3),Mass before (g),"
                      "Mass after (g),Unit cost before,Unit cost after,Line cost before,Line cost after,Changes\r\n",
                      0) == 0);
    std::size_t rows = 0;
    for (std::size_t p = 0; (p = r.out.find("\r\n", p)) != std::string::npos; p += 2) ++rows;
    CHECK(rows == 3);
    // 400 x 350 x 3 → 400 x 420 x 3 mm steel plates with four 7 mm holes (7.85 g/cm³)
    CHECK(r.out.find("\r\nchanged,hopper,hopper-wall,Hopper wall,2,2,419538.186,503538.186,3293.375,3952.775,5.39,6.31,"
                     "10.79,12.63,geometry volume size mass cost\r\n") != std::string::npos);
    CHECK(r.out.find("\r\nchanged,hopper,hopper-end,Hopper end,2,2,314538.186,377538.186,2469.125,2963.675,4.22,4.94,"
                     "8.45,9.89,geometry volume size mass cost\r\n") != std::string::npos);

    auto table = f.telar({"--repo", pressRepo(), "--quiet", "bom", "diff", "v1.0", "HEAD"});
    REQUIRE(table.exitCode == 0);
    CHECK(table.out.find("\nTotals: lines 64 → 64, pieces 292 → 292, mass 156326.609 → 158634.509 g (+2307.900), "
                         "cost 3135.34 → 3138.61 USD (+3.28)\n") != std::string::npos);
}

TEST_CASE("telar merge with a field conflict, resolve --theirs, and --abort", "[cli][merge]") {
    CliFixture f;
    fs::path repo = conflicted(f);
    auto usage = f.telar({"--repo", repo.string(), "merge"});
    CHECK(usage.exitCode == 2);

    auto m = f.telar({"--repo", repo.string(), "merge", "theirs"});
    INFO(m.err);
    CHECK(m.exitCode == 1);
    CHECK(m.out == "1 conflict to resolve:\n"
                   "  field  frame/side-plate  quantity\n"
                   "      frame/module.toml: part side-plate: quantity changed on both sides (base 2, ours 3, theirs 4)\n"
                   "Settle each with `telar resolve PART|PATH --ours|--theirs|--both`, or undo the merge with "
                   "`telar merge --abort`.\n");
    auto bad = f.telar({"--repo", repo.string(), "resolve", "side-plate"});
    CHECK(bad.exitCode == 2);

    auto abort = f.telar({"--repo", repo.string(), "merge", "--abort"});
    CHECK(abort.exitCode == 0);
    CHECK(readFile(repo / "frame/module.toml") == replaced(kFrame, "quantity = 2", "quantity = 3"));
    CHECK_FALSE(fs::exists(repo / ".git/MERGE_HEAD"));

    auto again = f.telar({"--repo", repo.string(), "--json", "merge", "theirs"});
    CHECK(again.exitCode == 1);
    auto doc = Json::parse(again.out);
    CHECK(doc["in_progress"] == true);
    CHECK(doc["conflicts"][0]["base"] == "2");
    CHECK(doc["conflicts"][0]["ours"] == "3");
    CHECK(doc["conflicts"][0]["theirs"] == "4");

    auto resolved = f.telar({"--repo", repo.string(), "resolve", "side-plate", "--theirs"});
    INFO(resolved.err);
    CHECK(resolved.exitCode == 0);
    CHECK(resolved.out.rfind("Merged theirs: ", 0) == 0);
    CHECK(readFile(repo / "frame/module.toml") == replaced(kFrame, "quantity = 2", "quantity = 4"));
    auto parents = f.program({"git", "log", "-1", "--format=%P %s"}, repo);
    auto ours = f.program({"git", "rev-parse", "HEAD^1"}, repo).out;
    auto theirs = f.program({"git", "rev-parse", "theirs"}, repo).out;
    CHECK(parents.out == ours.substr(0, 40) + " " + theirs.substr(0, 40) + " Merge theirs into main\n");
    CHECK(f.program({"git", "status", "--porcelain"}, repo).out.empty());
}

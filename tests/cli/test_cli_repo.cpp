// The repository workflow through the real binary: init, module add, part add, commit, status,
// log, reading at a revision, usage errors and their exit codes.

#include "cli_fixture.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using telar::test::CliFixture;
using telar::test::readFile;
using telar::test::writeFile;
using Json = nlohmann::json;

namespace {

// A design with one module and one part, committed.
void makeDesign(const CliFixture& f) {
    REQUIRE(f.telar({"init", "design", "--name", "Test Press", "--license", "CERN-OHL-S-2.0"}).exitCode == 0);
    auto repo = (f / "design").string();
    REQUIRE(f.telar({"--repo", repo, "module", "add", "frame", "--name", "Frame"}).exitCode == 0);
    writeFile(f / "design/frame/cad/plate.stl", "solid plate\nendsolid plate\n");
    auto r = f.telar({"--repo", repo, "part", "add", "frame", "side-plate", "--name", "Side plate", "--file",
                      "cad/plate.stl", "--material", "steel-s235", "--process", "laser-cut", "--quantity", "2"});
    REQUIRE(r.err == "");
    REQUIRE(r.exitCode == 0);
    REQUIRE(f.telar({"--repo", repo, "commit", "-m", "Add the frame"}).exitCode == 0);
}

} // namespace

TEST_CASE("init creates a git repository with a telar.toml, and refuses a second time", "[cli]") {
    CliFixture f;
    auto r = f.telar({"init", "design", "--name", "Test Press", "--license", "CERN-OHL-S-2.0"});
    REQUIRE(r.exitCode == 0);
    CHECK(std::filesystem::is_directory(f / "design/.git"));
    std::string manifest = readFile(f / "design/telar.toml");
    CHECK(manifest.find("name = \"Test Press\"") != std::string::npos);
    CHECK(manifest.find("license = \"CERN-OHL-S-2.0\"") != std::string::npos);

    auto again = f.telar({"init", "design"});
    CHECK(again.exitCode == 2);
    CHECK(again.err == "telar: " + (f / "design/telar.toml").string() +
                           " already exists: this is already a design repository\n");
    CHECK(readFile(f / "design/telar.toml") == manifest);
}

TEST_CASE("init refuses an invalid licence expression and writes nothing", "[cli]") {
    CliFixture f;
    auto r = f.telar({"init", "design", "--license", "CERN-OHL-S-2"});
    CHECK(r.exitCode != 0);
    CHECK(r.err.find("CERN-OHL-S-2") != std::string::npos);
    CHECK(r.err.find("did you mean 'CERN-OHL-S-2.0'") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(f / "design/telar.toml"));
}

TEST_CASE("module add, part add and commit build a design that checks clean", "[cli]") {
    CliFixture f;
    makeDesign(f);
    auto repo = (f / "design").string();
    auto check = f.telar({"--repo", repo, "check"});
    CHECK(check.exitCode == 0);
    CHECK(check.out == "working tree: 1 modules, 1 parts — ok\n");

    auto json = Json::parse(f.telar({"--repo", repo, "check", "--json"}).out);
    CHECK(json["ok"] == true);
    CHECK(json["modules"] == 1);
    CHECK(json["parts"] == 1);
    CHECK(json["diagnostics"].empty());

    std::string module = readFile(f / "design/frame/module.toml");
    CHECK(module.find("id = \"side-plate\"") != std::string::npos);
    CHECK(module.find("quantity = 2") != std::string::npos);

    auto status = Json::parse(f.telar({"--repo", repo, "status", "--json"}).out);
    CHECK(status["clean"] == true);
    CHECK(status["modules"] == Json::array({"frame"}));
    CHECK(status["branch"] == "main");
}

TEST_CASE("part add refuses unknown materials, duplicate ids and missing files, leaving the manifest untouched", "[cli]") {
    CliFixture f;
    makeDesign(f);
    auto repo = (f / "design").string();
    const std::string before = readFile(f / "design/frame/module.toml");

    auto material = f.telar({"--repo", repo, "part", "add", "frame", "gusset", "--material", "steel-s325",
                             "--allow-missing-file", "--file", "cad/gusset.step"});
    CHECK(material.exitCode == 2);
    CHECK(material.err.rfind("telar: unknown material 'steel-s325' (did you mean 'steel-s235'?)", 0) == 0);

    auto missing = f.telar({"--repo", repo, "part", "add", "frame", "gusset", "--file", "cad/gusset.step"});
    CHECK(missing.exitCode == 2);
    CHECK(missing.err.rfind("telar: file not found: frame/cad/gusset.step", 0) == 0);

    auto duplicate = f.telar({"--repo", repo, "part", "add", "frame", "side-plate", "--name", "Again"});
    CHECK(duplicate.exitCode == 1);
    CHECK(duplicate.err.find("duplicate part id 'side-plate'") != std::string::npos);

    auto noModule = f.telar({"--repo", repo, "part", "add", "axes/x", "motor"});
    CHECK(noModule.exitCode == 2);
    CHECK(noModule.err == "telar: no module 'axes/x' (no axes/x/module.toml): add it with `telar module add axes/x`\n");

    CHECK(readFile(f / "design/frame/module.toml") == before);
}

TEST_CASE("status groups changes by module, commit records them, log filters by module", "[cli]") {
    CliFixture f;
    makeDesign(f);
    auto repo = (f / "design").string();
    REQUIRE(f.telar({"--repo", repo, "module", "add", "hopper", "--used-by", "frame", "--quantity", "2"}).exitCode == 0);

    auto status = f.telar({"--repo", repo, "status"});
    CHECK(status.exitCode == 0);
    CHECK(status.out.find("  frame\n    modified         frame/module.toml\n") != std::string::npos);
    CHECK(status.out.find("  hopper\n    new, untracked   hopper/module.toml\n") != std::string::npos);

    auto commit = f.telar({"--repo", repo, "commit", "-m", "Add the hopper", "--author", "Ada Lovelace <ada@example.org>"});
    CHECK(commit.exitCode == 0);
    CHECK(commit.out.rfind("[main ", 0) == 0);
    CHECK(commit.out.find("] Add the hopper\n") != std::string::npos);

    auto nothing = f.telar({"--repo", repo, "commit", "-m", "Nothing"});
    CHECK(nothing.exitCode == 0);
    CHECK(nothing.out == "Nothing to commit, working tree clean\n");

    auto log = Json::parse(f.telar({"--repo", repo, "log", "hopper", "--json"}).out);
    REQUIRE(log["commits"].size() == 1);
    CHECK(log["commits"][0]["summary"] == "Add the hopper");
    CHECK(log["commits"][0]["author"]["name"] == "Ada Lovelace");

    auto all = Json::parse(f.telar({"--repo", repo, "log", "--json"}).out);
    REQUIRE(all["commits"].size() == 2);
    CHECK(all["commits"][1]["author"]["name"] == "Test Author");

    auto frameLog = Json::parse(f.telar({"--repo", repo, "log", "frame", "--json"}).out);
    CHECK(frameLog["commits"].size() == 2); // frame/module.toml gained a [[use]] in the second commit

    auto bad = f.telar({"--repo", repo, "log", "wheels"});
    CHECK(bad.exitCode == 2);
    CHECK(bad.err == "telar: no module or path 'wheels' at HEAD\n");
}

TEST_CASE("check --rev reads the design from git objects, not from the working tree", "[cli]") {
    CliFixture f;
    makeDesign(f);
    auto repo = (f / "design").string();
    REQUIRE(f.program({"git", "-C", repo, "tag", "v1"}).exitCode == 0);
    // Break the working tree: the revision stays valid.
    writeFile(f / "design/frame/module.toml", "[module]\nname = \"Frame\"\nquantity = 0\n");
    auto now = f.telar({"--repo", repo, "check"});
    CHECK(now.exitCode == 1);
    CHECK(now.out.find("error: frame/module.toml:3:1: module.quantity: unknown field") != std::string::npos);

    auto tagged = f.telar({"--repo", repo, "--rev", "v1", "check"});
    CHECK(tagged.exitCode == 0);
    CHECK(tagged.out.find(": 1 modules, 1 parts — ok\n") != std::string::npos);
    CHECK(tagged.out.rfind("v1 (", 0) == 0);

    auto unknown = f.telar({"--repo", repo, "check", "--rev", "v9"});
    CHECK(unknown.exitCode == 2);
    CHECK(unknown.err == "telar: unknown revision 'v9' (try a tag, a branch or a commit id)\n");
}

TEST_CASE("usage errors exit 2, outside a repository commands say what to do", "[cli]") {
    CliFixture f;
    auto none = f.telar({});
    CHECK(none.exitCode == 2);
    auto unknownCommand = f.telar({"frobnicate"});
    CHECK(unknownCommand.exitCode == 2);
    auto outside = f.telar({"status"});
    CHECK(outside.exitCode == 2);
    CHECK(outside.err == "telar: not a Telar design repository: " + f.dir().string() +
                             " (run `telar init` there, or pass --repo DIR)\n");
    auto help = f.telar({"part", "add", "--help"});
    CHECK(help.exitCode == 0);
    CHECK(help.out.find("--material") != std::string::npos);
}

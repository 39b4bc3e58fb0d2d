// `telar provenance`, `lineage`, `credits` and `notice` on the generated Open Press commons and
// its fork, a partial clone, and the incremental history index.

#include "cli_fixture.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace fs = std::filesystem;
using Json = nlohmann::json;
using telar::test::CliFixture;
using telar::test::exampleCommons;

namespace {

Json runJson(const CliFixture& f, const std::vector<std::string>& args, int expected = 0) {
    auto r = f.telar(args);
    INFO("telar stderr: " << r.err);
    REQUIRE(r.exitCode == expected);
    return Json::parse(r.out);
}

std::vector<std::string> summaries(const Json& p) {
    std::vector<std::string> out;
    for (const auto& c : p["commits"])
        out.push_back(c["summary"]);
    return out;
}

} // namespace

TEST_CASE("provenance of modules and parts in the example commons", "[cli][provenance]") {
    CliFixture f;
    const std::string repo = (exampleCommons() / "open-press").string();

    Json hyd = runJson(f, {"--repo", repo, "provenance", "hydraulics", "--json"});
    CHECK(hyd["kind"] == "module");
    CHECK(summaries(hyd) == std::vector<std::string>{"Hydraulics: the return line needs a fourth hose",
                                                     "Add the hydraulic power unit"});
    CHECK(hyd["index"]["indexed"] == 14);
    REQUIRE(hyd["contributors"].size() == 1);
    CHECK(hyd["contributors"][0]["name"] == "Bruno Silva");
    CHECK(hyd["contributors"][0]["authored"] == 2);
    CHECK(hyd["first_change"]["summary"] == "Add the hydraulic power unit");

    Json ctl = runJson(f, {"--repo", repo, "provenance", "controller", "--json"});
    CHECK(ctl["index"]["indexed"] == 0); // the second query reads nothing from git
    CHECK(summaries(ctl) ==
          std::vector<std::string>{"Controller 1.1: a second relay module drives the agitator",
                                   "Add pressure and limit sensors to the controller",
                                   "Add the controller and its enclosure assembly"});
    CHECK(ctl["commits"][0]["author"]["name"] == "Chen Wei");
    REQUIRE(ctl["commits"][0]["co_authors"].size() == 1);
    CHECK(ctl["commits"][0]["co_authors"][0]["name"] == "Bruno Silva");
    REQUIRE(ctl["contributors"].size() == 2);
    CHECK(
        ctl["contributors"][0] ==
        Json{{"name", "Chen Wei"}, {"email", "chen@openpress.example"}, {"authored", 3}, {"co_authored", 0}});
    CHECK(ctl["contributors"][1] == Json{{"name", "Bruno Silva"},
                                         {"email", "bruno@openpress.example"},
                                         {"authored", 0},
                                         {"co_authored", 1}});
    REQUIRE(ctl["releases"].size() == 1);
    CHECK(ctl["releases"][0]["tag"] == "v1.0");
    CHECK(ctl["releases"][0]["same_as_rev"] == true);

    Json hub = runJson(f, {"--repo", repo, "provenance", "wheels:wheel-hub", "--json"});
    CHECK(hub["kind"] == "part");
    CHECK(hub["paths"] == Json::array({"wheels/cad/wheel-hub.step"}));
    REQUIRE(hub["origins"].size() == 1);
    CHECK(hub["origins"][0]["modified"] == false);
    CHECK(hub["origins"][0]["license"] == "CC-BY-4.0");
    CHECK(hub["origins"][0]["actual_sha256"] == hub["origins"][0]["recorded_sha256"]);
    CHECK(summaries(hub) ==
          std::vector<std::string>{"Add wheels with the hub imported from the Field Cart project"});

    // Before the hopper existed there is nothing to say about it at that revision.
    auto none = f.telar({"--repo", repo, "provenance", "no-such-thing"});
    CHECK(none.exitCode == 2);

    auto text = f.telar({"--repo", repo, "provenance", "hydraulics"});
    CHECK(text.exitCode == 0);
    CHECK(text.out.find("hydraulics (module) at HEAD") == 0);
    CHECK(text.out.find("  v1.0 (") != std::string::npos);
}

TEST_CASE("the fork: lineage, inherited commits, origin, credits and notice", "[cli][provenance]") {
    CliFixture f;
    const std::string fork = (exampleCommons() / "open-press-fork").string();

    Json lin = runJson(f, {"--repo", fork, "lineage", "--json"});
    CHECK(lin["fork"] == true);
    REQUIRE(lin["chain"].size() == 1);
    CHECK(lin["chain"][0]["present"] == true);
    CHECK(lin["chain"][0]["ahead"] == 2);
    CHECK(lin["chain"][0]["behind"] == 0);
    CHECK(lin["chain"][0]["depth"] == 1);

    Json wheels = runJson(f, {"--repo", fork, "provenance", "wheels:wheel-hub", "--json"});
    CHECK(summaries(wheels) ==
          std::vector<std::string>{"Wider wheels for soft ground",
                                   "Add wheels with the hub imported from the Field Cart project"});
    CHECK(wheels["commits"][0]["inherited"] == false);
    CHECK(wheels["commits"][1]["inherited"] == true);
    CHECK(wheels["origins"][0]["modified"] == false); // the generator records the new file's sha256
    CHECK(wheels["upstream"].size() == 1);
    CHECK(wheels["releases"][0]["same_as_rev"] == false);

    Json credits = runJson(f, {"--repo", fork, "credits", "--json"});
    for (const auto* group : {"modules", "products"})
        for (const auto& scope : credits[group]) {
            int sum = 0;
            for (const auto& c : scope["contributors"])
                sum += c["share_basis_points"].get<int>();
            INFO(scope["scope"]);
            CHECK((sum == 10000 || scope["contributors"].empty()));
        }
    REQUIRE(credits["products"].size() == 1);
    CHECK(credits["products"][0]["scope"] == "press");
    CHECK(credits["products"][0]["contributors"].size() == 4);
    Json hyd = runJson(f, {"--repo", fork, "credits", "hydraulics", "--json"});
    REQUIRE(hyd["modules"].size() == 1);
    CHECK(hyd["modules"][0]["contributors"][0]["name"] == "Bruno Silva");
    CHECK(hyd["modules"][0]["contributors"][0]["share_percent"] == 100.0);
    CHECK(hyd["products"].empty());

    auto csv = f.telar({"--repo", fork, "credits", "hydraulics", "--csv"});
    REQUIRE(csv.exitCode == 0);
    CHECK(csv.out.substr(csv.out.find('\n') + 1)
              .rfind("hydraulics,module,Bruno Silva,bruno@openpress.example,2,", 0) == 0);

    Json notice = runJson(f, {"--repo", fork, "notice", "--json"});
    REQUIRE(notice["notices"].size() == 1);
    std::vector<std::string> names;
    for (const auto& c : notice["notices"][0]["contributors"])
        names.push_back(c["name"]);
    CHECK(names == std::vector<std::string>{"Amara Okafor", "Bruno Silva", "Chen Wei", "Dana Kowalski"});
    CHECK(notice["notices"][0]["origins"][0]["modified"] == false);
    auto text = f.telar({"--repo", fork, "notice"});
    CHECK(text.out.find("Contributors (from the history at HEAD and contributions.toml):\n"
                        "  Amara Okafor <amara@openpress.example> (5 commits)\n") != std::string::npos);
}

TEST_CASE("the index grows by one commit after one commit, ledger and mailmap count", "[cli][provenance]") {
    CliFixture f;
    fs::path repo = f / "press";
    REQUIRE(f.program({"git", "clone", "-q", (exampleCommons() / "open-press").string(), repo.string()})
                .exitCode == 0);
    CHECK(runJson(f, {"--repo", repo.string(), "provenance", "frame", "--json"})["index"]["indexed"] == 14);
    CHECK(runJson(f, {"--repo", repo.string(), "provenance", "frame", "--json"})["index"]["indexed"] == 0);

    telar::test::writeFile(repo / ".mailmap",
                           "Amara Okafor <amara@openpress.example> <amara@home.example>\n");
    telar::test::writeFile(repo / "contributions.toml",
                           "[[contribution]]\nkind = \"testing\"\nwho = \"Eve Tester\"\ndate = 2026-03-02\n"
                           "module = \"frame\"\nhours = 5\nnote = \"load test of the frame\"\n");
    REQUIRE(f.telar({"--repo", repo.string(), "commit", "-m", "Ledger", "--author",
                     "Amara Okafor <amara@home.example>"})
                .exitCode == 0);
    Json frame = runJson(f, {"--repo", repo.string(), "credits", "frame", "--json"});
    CHECK(frame["index"]["indexed"] == 1);
    const Json& lines = frame["modules"][0]["contributors"];
    REQUIRE(lines.size() == 2);
    CHECK(lines[0]["name"] == "Amara Okafor");
    CHECK(lines[1]["name"] == "Eve Tester");
    CHECK(lines[1]["ledger_points"] == 40.0);
    CHECK(lines[0]["share_basis_points"].get<int>() + lines[1]["share_basis_points"].get<int>() == 10000);
    // Editing the imported file in the working tree makes it "modified since".
    std::string hub = telar::test::readFile(repo / "wheels/cad/wheel-hub.step");
    telar::test::writeFile(repo / "wheels/cad/wheel-hub.step", hub + "\n");
    Json changed = runJson(f, {"--repo", repo.string(), "provenance", "wheels:wheel-hub", "--json"});
    CHECK(changed["tree"] == "working tree");
    CHECK(changed["origins"][0]["modified"] == true);
    Json project = runJson(f, {"--repo", repo.string(), "credits", "--json"});
    for (const auto& scope : project["modules"])
        for (const auto& c : scope["contributors"])
            CHECK(c["email"] != "amara@home.example");
}

TEST_CASE("a partial clone says what it could not read", "[cli][provenance]") {
    CliFixture f;
    fs::path server = f / "server", partial = f / "partial";
    REQUIRE(f.program({"git", "clone", "-q", "--bare", (exampleCommons() / "open-press").string(),
                       server.string()})
                .exitCode == 0);
    REQUIRE(f.program({"git", "-C", server.string(), "config", "uploadpack.allowFilter", "true"}).exitCode ==
            0);
    auto clone = f.program(
        {"git", "clone", "-q", "--filter=blob:none", "file://" + server.string(), partial.string()});
    REQUIRE(clone.exitCode == 0);
    Json frame = runJson(f, {"--repo", partial.string(), "provenance", "frame", "--json"});
    CHECK(summaries(frame).size() == 2);
    REQUIRE(frame["unreadable"].size() == 4);
    CHECK(frame["unreadable"][0].get<std::string>().find(": blob ") != std::string::npos);
    CHECK(frame["unreadable"][0].get<std::string>().find("missing from the object database") !=
          std::string::npos);
    auto text = f.telar({"--repo", partial.string(), "provenance", "frame"});
    CHECK(text.exitCode == 0);
    CHECK(text.out.find("Could not be read") != std::string::npos);
}

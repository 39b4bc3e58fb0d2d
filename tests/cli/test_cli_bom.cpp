// `telar bom` and `telar inspect` run as the real binary on the generated Open Press commons and
// on a clone the test changes: formats, fab profiles, revisions, exit codes, the cache.

#include "cli_fixture.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using telar::test::CliFixture;
using telar::test::exampleCommons;
using telar::test::readFile;
using Json = nlohmann::json;

namespace {

std::string pressRepo() { return (exampleCommons() / "open-press").string(); }

std::string fab(const std::string& name) { return (telar::test::resourceDir() / "fabs" / name).string(); }

} // namespace

TEST_CASE("telar bom --format csv: header, golden rows, cache on the second run", "[cli][bom]") {
    CliFixture f;
    auto r = f.telar({"--repo", pressRepo(), "bom", "--format", "csv"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.rfind("Module,Part,Name,Qty,Process,Material,Mass (g),Volume (mm3),Stock (mm),Unit cost,Line cost,"
                      "Currency,Supplier,SKU,File,Blob,Licence,Fab status,Fab reason,Problems\r\n",
                      0) == 0);
    CHECK(r.out.find("\r\nframe,m10x30,Hex bolt M10x30 ISO 4017,24,purchased,,,,,0.18,4.32,USD,Fastenal,"
                     "ISO4017-M10x30-8.8,,,CERN-OHL-S-2.0,,,\r\n") != std::string::npos);
    CHECK(r.out.find("\r\nwheels,wheel-hub,Wheel hub,4,cnc-mill,aluminium-6061,1192.823,441786.467,"
                     "100.0 x 100.0 x 60.0,87.84,351.38,USD,,,wheels/cad/wheel-hub.step,") != std::string::npos);
    CHECK(r.out.find("\r\ncontroller,lid-screw,Lid screw,4,purchased,") != std::string::npos);
    std::size_t rows = 0;
    for (std::size_t p = 0; (p = r.out.find("\r\n", p)) != std::string::npos; p += 2) ++rows;
    CHECK(rows == 65); // header + 64 lines
    CHECK(r.err.find("analysed 39 CAD file(s), 0 from the cache") != std::string::npos);

    auto again = f.telar({"--repo", pressRepo(), "bom", "--format", "csv"});
    CHECK(again.exitCode == 0);
    CHECK(again.out == r.out);
    CHECK(again.err.find("analysed") == std::string::npos);
}

TEST_CASE("telar bom --json with a fab profile, --tree and -o", "[cli][bom]") {
    CliFixture f;
    auto r = f.telar({"--repo", pressRepo(), "--quiet", "bom", "--json", "--fab", fab("community-fablab.toml")});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    auto j = Json::parse(r.out);
    CHECK(j["format"] == "telar-bom");
    CHECK(j["ok"] == true);
    CHECK(j["currency"] == "EUR");
    CHECK(j["fab"] == "Community Fab Lab");
    CHECK(j["lines"].size() == 64);
    CHECK(j["totals"]["overall"]["pieces"] == 292);
    bool seen = false;
    for (const auto& l : j["lines"])
        if (l["part"] == "wheel-hub") {
            seen = true;
            CHECK(l["quantity"] == 4);
            CHECK(l["fab"]["status"] == "outsource");
            CHECK(l["fab"]["reason"] == "no cnc-mill machine");
        }
    CHECK(seen);

    auto tree = f.telar({"--repo", pressRepo(), "--quiet", "bom", "--tree", "wheels"});
    REQUIRE(tree.exitCode == 0);
    CHECK(tree.out.find("BOM of wheels at working tree (USD)") != std::string::npos);
    CHECK(tree.out.find("\nwheels — Wheel set ") != std::string::npos);
    CHECK(tree.out.find("\n  wheel-hub ") != std::string::npos);

    auto out = f / "bom.csv";
    auto written = f.telar({"--repo", pressRepo(), "--quiet", "bom", "press", "--format", "csv", "-o", out.string()});
    REQUIRE(written.exitCode == 0);
    CHECK(written.out.empty());
    CHECK(readFile(out).rfind("Module,Part,Name,Qty,", 0) == 0);

    auto bad = f.telar({"--repo", pressRepo(), "bom", "wheel"});
    CHECK(bad.exitCode == 2);
    CHECK(bad.err.find("no module 'wheel' in working tree (did you mean 'wheels'?)") != std::string::npos);
    CHECK(f.telar({"--repo", pressRepo(), "bom", "--flat", "--tree"}).exitCode == 2);
}

TEST_CASE("telar bom at revisions: v1.0 vs HEAD, a missing file gives exit 1", "[cli][bom]") {
    CliFixture f;
    auto clone = f / "press";
    REQUIRE(f.program({"git", "clone", "-q", pressRepo(), clone.string()}).exitCode == 0);
    auto v1 = Json::parse(f.telar({"--repo", clone.string(), "--rev", "v1.0", "--quiet", "bom", "--json"}).out);
    auto head = Json::parse(f.telar({"--repo", clone.string(), "--rev", "HEAD", "--quiet", "bom", "--json"}).out);
    auto wall = [](const Json& j) {
        for (const auto& l : j["lines"])
            if (l["part"] == "hopper-wall") return l;
        return Json();
    };
    CHECK(wall(v1)["stock_mm"][1].get<double>() == Approx(350.0).epsilon(1e-6));
    CHECK(wall(head)["stock_mm"][0].get<double>() == Approx(420.0).epsilon(1e-6));
    CHECK(wall(v1)["blob"] != wall(head)["blob"]);
    CHECK(v1["revision"].get<std::string>().rfind("v1.0 (", 0) == 0);

    REQUIRE(f.program({"git", "rm", "-q", "hopper/cad/hopper-end.step"}, clone).exitCode == 0);
    REQUIRE(f.program({"git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "Lose a file"}, clone).exitCode == 0);
    auto broken = f.telar({"--repo", clone.string(), "--rev", "HEAD", "--quiet", "bom", "--format", "csv"});
    CHECK(broken.exitCode == 1);
    CHECK(broken.err.find("error: hopper/hopper-end: hopper/cad/hopper-end.step: file is missing in HEAD (") !=
          std::string::npos);
    CHECK(broken.out.find("\r\nhopper,hopper-end,Hopper end,2,laser-cut,steel-s235,,,,,,USD,,,"
                          "hopper/cad/hopper-end.step,,PPL,,,error: hopper/cad/hopper-end.step: file is missing in HEAD (") !=
          std::string::npos);
    auto table = f.telar({"--repo", clone.string(), "--rev", "HEAD", "--quiet", "bom"});
    CHECK(table.exitCode == 1);
    CHECK(table.out.find("The BOM has 1 problem(s).") != std::string::npos);
    CHECK(f.telar({"--repo", clone.string(), "--rev", "HEAD~1", "--quiet", "bom"}).exitCode == 0);
}

TEST_CASE("telar inspect: a file's structure, by path or MODULE/PART, at a revision", "[cli][bom][inspect]") {
    CliFixture f;
    auto r = f.telar({"--repo", pressRepo(), "--quiet", "inspect", "controller/cad/enclosure.step"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.find("format: STEP, units: MILLIMETRE") != std::string::npos);
    CHECK(r.out.find("3 unique part(s), 6 instance(s), 0 non-solid item(s)") != std::string::npos);
    CHECK(r.out.find("    4 × Lid screw: volume ") != std::string::npos);
    CHECK(r.out.find("\n    Lid screw:6  [part, solid]\n") != std::string::npos);

    auto j = Json::parse(f.telar({"--repo", pressRepo(), "--rev", "v1.0", "--quiet", "inspect", "hopper/hopper-wall",
                                  "--json"})
                             .out);
    CHECK(j["file"] == "hopper/cad/hopper-wall.step");
    REQUIRE(j["parts"].size() == 1);
    CHECK(j["parts"][0]["oriented_mm"][1].get<double>() == Approx(350.0).epsilon(1e-6));
    auto missing = f.telar({"--repo", pressRepo(), "inspect", "nothing/here.step"});
    CHECK(missing.exitCode == 2);
}

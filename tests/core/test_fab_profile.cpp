// Fab profiles (fab.toml): the two example profiles, every field, and the diagnostics for bad
// content (positions, field paths, did-you-mean), never a throw from the parser.
#include "test_support.h"

#include "telar/core/catalog.h"
#include "telar/core/fab_profile.h"
#include "telar/error.h"

#include <catch2/catch.hpp>

using namespace telar::core;

namespace {

const Catalog& catalog() {
    static const Catalog c = Catalog::load(telar::test::resourceDir());
    return c;
}

std::vector<std::string> messages(const std::vector<Diagnostic>& diags) {
    std::vector<std::string> out;
    for (const auto& d : diags) out.push_back(d.str());
    return out;
}

} // namespace

TEST_CASE("community fab lab profile loads with every field", "[core][fab]") {
    FabProfile fab = loadFabProfile(telar::test::resourceDir() / "fabs" / "community-fablab.toml");
    CHECK(fab.name == "Community Fab Lab");
    CHECK(fab.currency == "EUR");
    CHECK(fab.usdRate == 0.92);
    CHECK(fab.labourRate == 20.0);
    CHECK(fab.organisation == "nonprofit");
    CHECK(fab.contributes);
    CHECK(fab.purpose == "non-commercial");
    REQUIRE(fab.machines.size() == 4);
    CHECK(fab.machines[0].process == "fdm-print");
    CHECK(fab.machines[0].name == "Prusa MK4 #1");
    CHECK(fab.machines[0].hourlyRate == 2.5);
    REQUIRE(fab.machines[0].buildVolume);
    CHECK(*fab.machines[0].buildVolume == std::array<double, 3>{250, 210, 220});
    CHECK_FALSE(fab.machines[0].bed);
    CHECK(fab.machines[2].process == "laser-cut");
    REQUIRE(fab.machines[2].bed);
    CHECK(*fab.machines[2].bed == std::array<double, 2>{600, 400});
    CHECK(fab.machines[2].maxThickness == 6);
    CHECK(fab.machines[3].process == "cnc-router");
    CHECK(fab.materialPrices.size() == 5);
    CHECK(fab.materialPrices.at("pla") == 18.0);
    CHECK(fab.file.find("community-fablab.toml") != std::string::npos);
}

TEST_CASE("for-profit workshop profile loads", "[core][fab]") {
    FabProfile fab = loadFabProfile(telar::test::resourceDir() / "fabs" / "forprofit-workshop.toml");
    CHECK(fab.name == "Metalworks Ltd");
    CHECK(fab.currency == "USD");
    CHECK(fab.usdRate == 1.0);
    CHECK(fab.organisation == "for-profit");
    CHECK_FALSE(fab.contributes);
    CHECK(fab.purpose == "commercial");
    REQUIRE(fab.machines.size() == 4);
    std::vector<std::string> processes;
    for (const auto& m : fab.machines) processes.push_back(m.process);
    CHECK(processes == std::vector<std::string>{"laser-cut", "cnc-mill", "turning", "welding"});
    CHECK(*fab.machines[0].bed == std::array<double, 2>{1500, 3000});
    CHECK(fab.machines[0].maxThickness == 20);
    CHECK(fab.machines[3].hourlyRate == 60.0);
    CHECK_FALSE(fab.machines[3].buildVolume);
    CHECK(fab.materialPrices.at("steel-s235") == 1.0);
}

TEST_CASE("fab profile defaults", "[core][fab]") {
    std::vector<Diagnostic> diags;
    FabProfile fab = parseFabProfile("[fab]\nname = \"Garage\"\n[organisation]\nkind = \"individual\"\n"
                                     "[[machine]]\nprocess = \"fdm-print\"\n",
                                     "fab.toml", diags);
    CHECK(diags.empty());
    CHECK(fab.currency == "USD");
    CHECK(fab.usdRate == 1.0);
    CHECK(fab.purpose == "non-commercial");
    CHECK_FALSE(fab.contributes);
    CHECK(fab.labourRate == 0);
    REQUIRE(fab.machines.size() == 1);
    CHECK(fab.machines[0].name == "fdm-print");
    CHECK(fab.machines[0].hourlyRate == 0);
    CHECK(fab.machines[0].maxThickness == 0);
}

TEST_CASE("fab profile errors name file, line, column and field", "[core][fab]") {
    const std::string text = "[fab]\n"                              // 1
                             "name = \"Lab\"\n"                     // 2
                             "curency = \"EUR\"\n"                  // 3
                             "[organisation]\n"                     // 4
                             "kind = \"non-profit\"\n"              // 5
                             "purpose = \"comercial\"\n"            // 6
                             "[[machine]]\n"                        // 7
                             "process = \"laser-cutt\"\n"           // 8
                             "bed = [600]\n"                        // 9
                             "[[machine]]\n"                        // 10
                             "process = \"fdm-print\"\n"            // 11
                             "build_volume = [250, 210, -1]\n"      // 12
                             "hourly_rate = -3\n"                   // 13
                             "[materials]\n"                        // 14
                             "pla = \"cheap\"\n"                    // 15
                             "plywod-birch = 2\n";                  // 16
    std::vector<Diagnostic> diags;
    FabProfile fab = parseFabProfile(text, "lab/fab.toml", diags, catalog());
    sortDiagnostics(diags);
    CHECK(messages(diags) == std::vector<std::string>{
                                 "lab/fab.toml:3:1: fab.curency: unknown field 'curency' (did you mean 'currency'?)",
                                 "lab/fab.toml:5:8: organisation.kind: unknown organisation kind 'non-profit' (did you "
                                 "mean 'nonprofit'?)",
                                 "lab/fab.toml:6:11: organisation.purpose: unknown purpose 'comercial' (did you mean "
                                 "'commercial'?)",
                                 "lab/fab.toml:8:11: machine[1].process: unknown process 'laser-cutt' (did you mean "
                                 "'laser-cut'?)",
                                 "lab/fab.toml:9:7: machine[1].bed: must be an array of 2 positive sizes in mm, got an "
                                 "array",
                                 "lab/fab.toml:12:16: machine[2].build_volume: must be an array of 3 positive sizes in "
                                 "mm, got an array",
                                 "lab/fab.toml:13:15: machine[2].hourly_rate: must not be negative, got -3",
                                 "lab/fab.toml:15:7: materials.pla: must be a price per kg of 0 or more, got the "
                                 "string \"cheap\"",
                                 "lab/fab.toml:16:1: materials.plywod-birch: unknown material 'plywod-birch' (did you "
                                 "mean 'plywood-birch'?)",
                             });
    CHECK(fab.name == "Lab");
    REQUIRE(fab.machines.size() == 1); // the unknown process is dropped, the printer stays
    CHECK(fab.machines[0].process == "fdm-print");
    CHECK_FALSE(fab.machines[0].buildVolume);
    CHECK(fab.materialPrices.empty());
}

TEST_CASE("fab profile structural problems", "[core][fab]") {
    std::vector<Diagnostic> diags;
    parseFabProfile("[fab]\ncurrency = \"EUR\"\n", "fab.toml", diags);
    sortDiagnostics(diags);
    CHECK(messages(diags) == std::vector<std::string>{
                                 "fab.toml:1:1: fab.name: required field is missing",
                                 "fab.toml:1:1: fab.usd_rate: required when currency is not USD",
                                 "fab.toml:1:1: organisation: required table is missing",
                             });
    diags.clear();
    parseFabProfile("[fab\nname = 1", "fab.toml", diags);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].line == 1);
    CHECK(diags[0].field.empty());
    diags.clear();
    parseFabProfile("[fab]\nname = \"x\"\ncurrency = \"euro\"\n[organisation]\nkind = \"individual\"\n", "fab.toml", diags);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].str() == "fab.toml:3:12: fab.currency: must be an ISO 4217 code such as \"EUR\", got \"euro\"");
}

TEST_CASE("loadFabProfile throws the first error, or Error when unreadable", "[core][fab]") {
    telar::test::TempDir tmp;
    telar::test::writeFile(tmp / "fab.toml", "[fab]\nname = \"x\"\n[organisation]\nkind = \"nonprofit\"\n"
                                             "[[machine]]\nproces = \"fdm-print\"\n");
    try {
        loadFabProfile(tmp / "fab.toml");
        FAIL("no exception");
    } catch (const telar::ManifestError& e) {
        CHECK(e.line() == 5);
        CHECK(e.field() == "machine[1].process");
        CHECK(e.reason() == "required field is missing");
    }
    CHECK_THROWS_AS(loadFabProfile(tmp / "missing.toml"), telar::Error);
}

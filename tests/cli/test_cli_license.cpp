// `telar license …` on the generated Open Press commons and on small repositories: the check's
// exact findings and obligations, verdicts of the two example fab profiles per module, explain,
// list, notice, exit codes and JSON fields.

#include "cli_fixture.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <sstream>

using telar::test::CliFixture;
using telar::test::exampleCommons;
using telar::test::readFile;
using telar::test::resourceDir;
using telar::test::writeFile;
using Json = nlohmann::json;

namespace {

std::string pressRepo() {
    return (exampleCommons() / "open-press").string();
}

std::string fab(const std::string& name) {
    return (resourceDir() / "fabs" / name).string();
}

// module → verdict, from `license verdict --json` of the first product.
std::map<std::string, std::string> verdictsOf(const Json& j) {
    std::map<std::string, std::string> out;
    for (const auto& m : j["products"][0]["modules"])
        out[m["module"]] = m["verdict"];
    return out;
}

const Json& moduleOf(const Json& j, const std::string& id) {
    for (const auto& m : j["products"][0]["modules"])
        if (m["module"] == id) return m;
    throw std::runtime_error("no module " + id);
}

} // namespace

TEST_CASE("license check on the example lists exactly the sub-modules the press licence cannot include",
          "[cli][license]") {
    CliFixture f;
    auto r = f.telar({"--repo", pressRepo(), "license", "check", "--json"});
    INFO(r.out << r.err);
    CHECK(r.exitCode == 0);
    auto j = Json::parse(r.out);
    CHECK(j["ok"] == true);
    CHECK(j["errors"] == 0);
    CHECK(j["warnings"] == 4);
    CHECK(j["tree"] == "working tree");
    CHECK(j["commit"].is_null());
    std::vector<std::string> found;
    for (const auto& x : j["findings"])
        found.push_back(x["code"].get<std::string>() + " " + x["file"].get<std::string>() + ":" +
                        std::to_string(x["line"].get<int>()) + " " + x["field"].get<std::string>());
    CHECK(found == std::vector<std::string>{"use-not-honoured press/module.toml:31 use[2].module",
                                            "use-not-honoured press/module.toml:43 use[5].module",
                                            "use-not-honoured press/module.toml:47 use[6].module",
                                            "use-not-honoured press/module.toml:51 use[7].module"});
    const Json& first = j["findings"][0];
    CHECK(first["severity"] == "warning");
    CHECK(first["module"] == "press");
    CHECK(first["part"].is_null());
    CHECK(first["column"] == 10);
    CHECK(first["message"] ==
          "module 'press' is licensed CERN-OHL-S-2.0 and uses module 'hopper', licensed PPL, "
          "which CERN-OHL-S-2.0 cannot include: PPL reserves some commercial use to an agreement "
          "with its licensor, but CERN-OHL-S-2.0 would let anyone use the work commercially");
    CHECK(first["hint"] == "each module keeps its own licence (the product is an aggregate of them); to license "
                           "'press' as one work, choose terms that can include PPL");

    // The imported wheel hub is the unchanged original.
    REQUIRE(j["origins"].size() == 1);
    const Json& o = j["origins"][0];
    CHECK(o["module"] == "wheels");
    CHECK(o["part"] == "wheel-hub");
    CHECK(o["file"] == "wheels/cad/wheel-hub.step");
    CHECK(o["license"] == "CC-BY-4.0");
    CHECK(o["author"] == "Field Cart project");
    CHECK(o["modified"] == false);
    CHECK(o["recorded_sha256"] == o["actual_sha256"]);

    REQUIRE(j["products"].size() == 1);
    CHECK(j["products"][0]["product"] == "press");
    std::map<std::string, Json> obligations;
    for (const auto& ob : j["products"][0]["obligations"])
        obligations[ob["kind"]] = ob;
    CHECK(obligations.size() == 5);
    CHECK(obligations["reciprocity"]["licenses"] == Json::array({"LicenseRef-CBRL-1.0", "PPL"}));
    CHECK(obligations["reciprocity"]["modules"] == Json::array({"controller", "drawer", "hopper"}));
    CHECK(obligations["share alike (files)"]["modules"] == Json::array({"hydraulics"}));
    CHECK(obligations["publish sources"]["modules"] ==
          Json::array({"compression-chamber", "frame", "hydraulics", "press"}));
    CHECK(obligations["share alike (whole design)"]["licenses"] ==
          Json::array({"CERN-OHL-S-2.0", "LicenseRef-CBRL-1.0", "PPL", "CC-BY-SA-4.0"}));
    CHECK(obligations["attribute"]["modules"].size() == 9);

    auto text = f.telar({"--repo", pressRepo(), "license", "check"});
    CHECK(text.exitCode == 0);
    CHECK(text.out.find("warning: press/module.toml:31:10: use[2].module: module 'press' is licensed\n"
                        "  CERN-OHL-S-2.0 and uses module 'hopper', licensed PPL, which CERN-OHL-S-2.0\n") ==
          0);
    CHECK(text.out.find("Obligations of press:\n") != std::string::npos);
    CHECK(text.out.find("  - commercial use outside the free cases needs an agreement with the licensor\n"
                        "    (LicenseRef-CBRL-1.0, PPL)\n    from: controller, drawer, hopper\n") !=
          std::string::npos);
    CHECK(text.out.substr(text.out.rfind('\n', text.out.size() - 2) + 1) ==
          "working tree: licences of 9 modules — 0 errors, 4 warnings\n");
    std::istringstream lines(text.out);
    for (std::string line; std::getline(lines, line);)
        CHECK(line.size() <= 82); // 80 columns; "—" is 3 bytes
}

TEST_CASE("license check is clean and exits 0 on a consistent design, 1 on a bad origin", "[cli][license]") {
    CliFixture f;
    auto repo = f / "small";
    writeFile(repo / "telar.toml",
              "[project]\nname = \"Small\"\nlicense = \"CERN-OHL-P-2.0\"\nproducts = [\"bracket\"]\n");
    writeFile(repo / "bracket/module.toml",
              "[module]\nname = \"Bracket\"\n\n[[part]]\nid = \"bracket\"\nname = "
              "\"Bracket\"\nfile = \"bracket.step\"\n[part.origin]\nsource = "
              "\"https://parts.example/b.step\"\nlicense = \"CC-BY-4.0\"\nauthor = "
              "\"A. Maker\"\n");
    writeFile(repo / "bracket/bracket.step", "ISO-10303-21;");
    REQUIRE(f.program({"git", "init", "-q", repo.string()}).exitCode == 0);
    auto ok = f.telar({"--repo", repo.string(), "license", "check"});
    INFO(ok.out << ok.err);
    CHECK(ok.exitCode == 0);
    CHECK(ok.out == "Obligations of bracket:\n"
                    "  - credit the authors and keep the licence notices (CERN-OHL-P-2.0, CC-BY-4.0)\n"
                    "    from: bracket\n"
                    "working tree: licences of 1 modules — consistent\n");

    std::string manifest = readFile(repo / "bracket/module.toml");
    manifest.replace(manifest.find("CC-BY-4.0"), 9, "CC-BY-SA-4.0");
    writeFile(repo / "bracket/module.toml", manifest);
    auto bad = f.telar({"--repo", repo.string(), "license", "check", "--json"});
    CHECK(bad.exitCode == 1);
    auto j = Json::parse(bad.out);
    REQUIRE(j["findings"].size() == 1);
    CHECK(j["findings"][0]["code"] == "origin-not-honoured");
    CHECK(j["findings"][0]["part"] == "bracket");
    CHECK(j["findings"][0]["field"] == "part[1].origin.license");
    CHECK(j["origins"][0]["modified"].is_null()); // no sha256 recorded
}

TEST_CASE("a for-profit workshop selling presses needs reciprocity for PPL and CBRL modules",
          "[cli][license]") {
    CliFixture f;
    auto r = f.telar(
        {"--repo", pressRepo(), "license", "verdict", "--fab", fab("forprofit-workshop.toml"), "--json"});
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0); // reciprocity required is an answer, not a failure
    auto j = Json::parse(r.out);
    CHECK(j["fab"]["name"] == "Metalworks Ltd");
    CHECK(j["fab"]["organisation"] == "for-profit");
    CHECK(j["fab"]["contributes"] == false);
    CHECK(j["fab"]["purpose"] == "commercial");
    CHECK(j["steward"]["name"] == "Open Press for-benefit association");
    CHECK(j["steward"]["contact"] == "mailto:stewards@openpress.example");
    CHECK(j["products"][0]["product"] == "press");
    CHECK(j["products"][0]["verdict"] == "reciprocity required");
    CHECK(j["products"][0]["allowed"] == true);
    CHECK(j["products"][0]["deciding"] == Json::array({"controller", "drawer", "hopper"}));
    CHECK(verdictsOf(j) == std::map<std::string, std::string>{
                               {"press", "free with obligations"},
                               {"compression-chamber", "free with obligations"},
                               {"controller", "reciprocity required"},
                               {"controller/sensors", "free with obligations"},
                               {"drawer", "reciprocity required"},
                               {"frame", "free with obligations"},
                               {"hopper", "reciprocity required"},
                               {"hydraulics", "free with obligations"},
                               {"wheels", "free with obligations"},
                           });
    const Json& hopper = moduleOf(j, "hopper");
    CHECK(hopper["license"] == "PPL");
    CHECK(hopper["steward"]["contact"] == "mailto:stewards@openpress.example");
    CHECK(hopper["reason"] ==
          "PPL: commercial use by a for-profit enterprise owned by shareholders needs a licence "
          "fee or another reciprocity agreement with the licensor; ask Open Press for-benefit "
          "association (mailto:stewards@openpress.example), terms: "
          "https://openpress.example/reciprocity");
    Json kinds = Json::array();
    for (const auto& o : hopper["obligations"])
        kinds.push_back(o["kind"]);
    CHECK(kinds == Json::array({"attribute", "share alike (whole design)", "reciprocity"}));
    const Json& drawer = moduleOf(j, "drawer");
    CHECK(drawer["license"] == "LicenseRef-CBRL-1.0");
    CHECK(drawer["steward"]["contact"] == "mailto:stewards@openpress.example");
    CHECK(moduleOf(j, "press")["rolled_up"] == "reciprocity required");
    CHECK(moduleOf(j, "controller/sensors")["rolled_up"] == "free with obligations");
    CHECK(moduleOf(j, "hydraulics")["expression"] == "CERN-OHL-W-2.0 AND CERN-OHL-P-2.0");
    CHECK(moduleOf(j, "wheels")["quantity"] == 2);

    auto text =
        f.telar({"--repo", pressRepo(), "license", "verdict", "--fab", fab("forprofit-workshop.toml")});
    CHECK(text.exitCode == 0);
    CHECK(text.out.find("Fab: Metalworks Ltd (for-profit, does not contribute, commercial use)\n\n"
                        "MODULE                LICENCE              VERDICT\n"
                        "press                 CERN-OHL-S-2.0       free with obligations\n") == 0);
    CHECK(text.out.find("hopper                PPL                  reciprocity required\n") !=
          std::string::npos);
    CHECK(text.out.find("\npress: reciprocity required (controller, drawer, hopper)\n"
                        "Reciprocity: ask Open Press for-benefit association\n"
                        "  (mailto:stewards@openpress.example); terms:\n"
                        "  https://openpress.example/reciprocity\n") != std::string::npos);
    std::istringstream lines(text.out);
    for (std::string line; std::getline(lines, line);)
        CHECK(line.size() <= 80);
}

TEST_CASE("the same workshop contributing to the commons uses CBRL freely but not PPL", "[cli][license]") {
    CliFixture f;
    std::string profile = readFile(resourceDir() / "fabs/forprofit-workshop.toml");
    auto at = profile.find("contributes = false");
    REQUIRE(at != std::string::npos);
    profile.replace(at, 19, "contributes = true");
    writeFile(f / "contributing.toml", profile);
    auto r = f.telar({"--repo", pressRepo(), "license", "verdict", "--fab",
                      (f / "contributing.toml").string(), "--json", "press"});
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0);
    auto j = Json::parse(r.out);
    CHECK(j["fab"]["contributes"] == true);
    auto v = verdictsOf(j);
    CHECK(v["drawer"] == "free with obligations");
    CHECK(v["controller"] == "free with obligations");
    CHECK(v["hopper"] == "reciprocity required"); // PPL has no contribution clause
    CHECK(j["products"][0]["deciding"] == Json::array({"hopper"}));
    Json kinds = Json::array();
    for (const auto& o : moduleOf(j, "drawer")["obligations"])
        kinds.push_back(o["kind"]);
    CHECK(kinds == Json::array({"attribute", "share alike (whole design)"}));
    CHECK(moduleOf(j, "drawer")["steward"].is_null());
}

TEST_CASE("the community fab lab may build everything, with obligations", "[cli][license]") {
    CliFixture f;
    for (const std::string purpose : {"", "commercial"}) {
        std::vector<std::string> args{
            "--repo", pressRepo(), "license", "verdict", "--fab", fab("community-fablab.toml"), "--json"};
        if (!purpose.empty()) args.insert(args.end(), {"--purpose", purpose});
        auto r = f.telar(args);
        INFO(purpose << r.out << r.err);
        REQUIRE(r.exitCode == 0);
        auto j = Json::parse(r.out);
        CHECK(j["fab"]["organisation"] == "nonprofit");
        CHECK(j["fab"]["purpose"] == (purpose.empty() ? "non-commercial" : purpose));
        CHECK(j["products"][0]["verdict"] == "free with obligations");
        for (const auto& [module, verdict] : verdictsOf(j))
            CHECK(verdict == "free with obligations");
        const Json& hopper = moduleOf(j, "hopper");
        CHECK(hopper["steward"].is_null());
        CHECK(hopper["reason"] == (purpose.empty()
                                       ? "PPL: non-commercial use is free for everyone; its reciprocity "
                                         "terms concern commercial use only"
                                       : "PPL: commercial use is free for non-profits (common-good "
                                         "institutions)"));
    }
}

TEST_CASE("license verdict: usage errors and 'not allowed' exit codes", "[cli][license]") {
    CliFixture f;
    auto missing =
        f.telar({"--repo", pressRepo(), "license", "verdict", "--fab", (f / "nope.toml").string()});
    CHECK(missing.exitCode == 2);
    auto badPurpose = f.telar({"--repo", pressRepo(), "license", "verdict", "--fab",
                               fab("community-fablab.toml"), "--purpose", "fun"});
    CHECK(badPurpose.exitCode == 2);
    auto unknown = f.telar(
        {"--repo", pressRepo(), "license", "verdict", "--fab", fab("community-fablab.toml"), "presss"});
    CHECK(unknown.exitCode == 2);
    CHECK(unknown.err == "telar: no module 'presss' in working tree (did you mean 'press'?)\n");

    // An NC module sold commercially is not allowed: exit 1.
    auto repo = f / "nc";
    writeFile(repo / "telar.toml",
              "[project]\nname = \"NC\"\nlicense = \"CC-BY-NC-4.0\"\nproducts = [\"lamp\"]\n");
    writeFile(repo / "lamp/module.toml", "[module]\nname = \"Lamp\"\n");
    REQUIRE(f.program({"git", "init", "-q", repo.string()}).exitCode == 0);
    auto sold = f.telar(
        {"--repo", repo.string(), "license", "verdict", "--fab", fab("forprofit-workshop.toml"), "--json"});
    INFO(sold.out << sold.err);
    CHECK(sold.exitCode == 1);
    auto j = Json::parse(sold.out);
    CHECK(j["products"][0]["verdict"] == "not allowed");
    CHECK(j["products"][0]["allowed"] == false);
    CHECK(moduleOf(j, "lamp")["reason"] ==
          "CC-BY-NC-4.0 forbids commercial use (NonCommercial clause), whoever the "
          "user is");
    CHECK(moduleOf(j, "lamp")["obligations"] == Json::array());
    auto personal = f.telar({"--repo", repo.string(), "license", "verdict", "--fab",
                             fab("forprofit-workshop.toml"), "--purpose", "personal"});
    CHECK(personal.exitCode == 0);
}

TEST_CASE("license explain: plain words, JSON, and exit 2 for a bad expression", "[cli][license]") {
    CliFixture f;
    auto r = f.telar({"license", "explain", "PPL"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(r.out == "PPL\n"
                   "  PPL (Peer Production License): Derived from CC BY-NC-SA: anyone may use and\n"
                   "    adapt it non-commercially, crediting the author and sharing adaptations\n"
                   "    under the PPL. Commercial use is free for cooperatives, worker-owned\n"
                   "    enterprises and non-profits; a shareholder-owned for-profit needs a separate\n"
                   "    licence from the licensor.\n"
                   "  Commercial use: conditioned on reciprocity. PPL: free for individuals,\n"
                   "    non-profits, cooperatives and worker-owned enterprises and any\n"
                   "    non-commercial use. Commercial use is free only for worker-owned enterprises\n"
                   "    and cooperatives whose surplus goes to their worker-owners, and for\n"
                   "    non-profits; a for-profit enterprise owned by shareholders needs a separate\n"
                   "    licence (a fee or another agreement) from the licensor.\n"
                   "  Modified versions: may be shared.\n"
                   "  Requires:\n"
                   "    - credit the authors and keep the licence notices (PPL)\n"
                   "    - share the whole adapted design under the same or a compatible licence\n"
                   "      (PPL)\n"
                   "    - commercial use outside the free cases needs an agreement with the licensor\n"
                   "      (PPL)\n"
                   "  OSHWA-compatible: no.\n");

    auto j = Json::parse(f.telar({"license", "explain", "mit or ppl", "--json"}).out);
    CHECK(j["expression"] == "MIT OR PPL");
    CHECK(j["options"] == Json::array({Json::array({"MIT"}), Json::array({"PPL"})}));
    CHECK(j["oshwa_compatible"] == true);
    REQUIRE(j["licenses"].size() == 2);
    CHECK(j["licenses"][1]["id"] == "PPL");
    CHECK(j["licenses"][1]["commercial"] == "reciprocity");
    CHECK(j["licenses"][1]["share_alike"] == "design");
    CHECK(j["licenses"][1]["oshwa_compatible"] == false);
    CHECK(j["licenses"][1]["free_for"].size() > 0);

    auto syntax = f.telar({"license", "explain", "MIT OR )"});
    CHECK(syntax.exitCode == 2);
    CHECK(syntax.out.empty());
    CHECK(syntax.err == "telar: invalid licence expression 'MIT OR )': unexpected ')' at column 8\n");
    auto unknown = f.telar({"license", "explain", "CERN-OHL-S-2"});
    CHECK(unknown.exitCode == 2);
    CHECK(unknown.err ==
          "telar: invalid licence expression 'CERN-OHL-S-2': unknown licence id 'CERN-OHL-S-2' at "
          "column 1 (did you mean 'CERN-OHL-S-2.0'?)\n");
}

TEST_CASE("license list shows the catalogue, with the project's own licences inside a design",
          "[cli][license]") {
    CliFixture f;
    auto r = f.telar({"license", "list"});
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.find("ID                   KIND        COMMERCIAL  SHARE  OSHWA NAME\n") == 0);
    CHECK(
        r.out.find("\nPPL                  reciprocity reciprocity design no    Peer Production Licen…\n") !=
        std::string::npos);
    CHECK(r.out.find("\n29 licences (6 deprecated ids not shown); `telar license explain ID` tells more\n") !=
          std::string::npos);

    auto repo = f / "own";
    writeFile(repo / "telar.toml",
              "[project]\nname = \"Own\"\nlicense = \"LicenseRef-Garage-1.0\"\n\n[[license]]\n"
              "id = \"LicenseRef-Garage-1.0\"\nname = \"Garage Licence\"\ncommercial = \"reciprocity\"\n");
    REQUIRE(f.program({"git", "init", "-q", repo.string()}).exitCode == 0);
    auto j = Json::parse(f.telar({"--repo", repo.string(), "license", "list", "--json"}).out);
    const Json& last = j["licenses"].back();
    CHECK(last["id"] == "LicenseRef-Garage-1.0");
    CHECK(last["declared_by_project"] == true);
    CHECK(last["commercial"] == "reciprocity");
    auto explained = f.telar({"--repo", repo.string(), "license", "explain", "LicenseRef-Garage-1.0"});
    CHECK(explained.exitCode == 0);
    CHECK(explained.out.find("LicenseRef-Garage-1.0 (Garage Licence)") != std::string::npos);
}

TEST_CASE("license notice credits every module of the press and the imported wheel hub", "[cli][license]") {
    CliFixture f;
    auto r = f.telar({"--repo", pressRepo(), "license", "notice"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(r.out == "Attribution notice for press (Open Press)\n"
                   "Licensed by Open Press contributors.\n"
                   "\n"
                   "Modules:\n"
                   "  press 1.0.0 \"Open Press\": CERN-OHL-S-2.0\n"
                   "  compression-chamber 1.0.0 \"Compression chamber\": CERN-OHL-S-2.0\n"
                   "  controller 1.1.0 \"Controller\": LicenseRef-CBRL-1.0\n"
                   "  controller/sensors 1.0.0 \"Sensors\": CERN-OHL-P-2.0\n"
                   "  drawer 1.0.0 \"Soil drawer\": LicenseRef-CBRL-1.0\n"
                   "  frame 1.1.0 \"Frame\": CERN-OHL-S-2.0\n"
                   "  hopper 1.1.0 \"Soil hopper\": PPL\n"
                   "  hydraulics 1.0.0 \"Hydraulic power unit\": CERN-OHL-W-2.0\n"
                   "    manifold-block: CERN-OHL-P-2.0\n"
                   "  wheels 1.0.0 \"Wheel set\": CC-BY-SA-4.0\n"
                   "\n"
                   "Imported geometry:\n"
                   "  wheels/wheel-hub: Field Cart project, CC-BY-4.0\n"
                   "    from https://fieldcart.example.org/cad/wheel-hub.step (retrieved\n"
                   "      2026-01-21), unmodified\n"
                   "\n"
                   "Licences: CC-BY-4.0, CC-BY-SA-4.0, CERN-OHL-P-2.0, CERN-OHL-S-2.0,\n"
                   "  CERN-OHL-W-2.0, LicenseRef-CBRL-1.0, PPL\n");
    auto j = Json::parse(f.telar({"--repo", pressRepo(), "license", "notice", "--json", "wheels"}).out);
    REQUIRE(j["notices"].size() == 1);
    const Json& n = j["notices"][0];
    CHECK(n["product"] == "wheels");
    CHECK(n["licensor"] == "Open Press contributors");
    CHECK(n["licenses"] == Json::array({"CC-BY-4.0", "CC-BY-SA-4.0"}));
    REQUIRE(n["origins"].size() == 1);
    CHECK(n["origins"][0]["source"] == "https://fieldcart.example.org/cad/wheel-hub.step");
    CHECK(n["origins"][0]["modified"] == false);
}

TEST_CASE("license check reads any revision with --rev", "[cli][license]") {
    CliFixture f;
    auto r = f.telar({"--repo", pressRepo(), "--rev", "v1.0", "license", "check", "--json"});
    INFO(r.err);
    CHECK(r.exitCode == 0);
    auto j = Json::parse(r.out);
    CHECK(j["commit"].is_string());
    CHECK(j["errors"] == 0);
    CHECK(j["warnings"] == 4);
    CHECK(j["origins"][0]["modified"] == false);
}

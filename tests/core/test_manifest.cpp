// Parsing valid manifests into exact values, the diagnostic format, and robustness on garbage.
#include "telar/core/manifest.h"

#include <catch2/catch.hpp>

#include <random>

using namespace telar::core;

namespace {

const char* kFullProject = R"(# The project
[project]
name = "Open Press"
description = "A compressed-earth brick press"
license = "CERN-OHL-S-2.0 OR LicenseRef-CBRL-1.0"
licensor = "Open Press contributors"
products = ["press", "tools/mould"]

[upstream]
url = "https://example.org/open-press.git"
commit = "0123456789ABCDEF0123456789abcdef01234567"
forked = 2026-11-20T10:00:00Z

[[lineage]]
url = "https://example.org/earth-press.git"
commit = "89abcdef0123456789abcdef0123456789abcdef"
forked = "2025-02-01"

[reciprocity]
steward = "Open Press for-benefit association"
contact = "mailto:stewards@example.org"
terms = "https://example.org/reciprocity"

[[license]]
id = "LicenseRef-Garage-1.0"
name = "Garage Licence 1.0"
attribution = true
share_alike = "design"
source_disclosure = true
commercial = "reciprocity"
derivatives = true
oshwa_compatible = false
summary = "Free for cooperatives; others contribute back."
)";

const char* kFullModule = R"([module]
name = "Frame"
version = "1.3.0"
license = "CERN-OHL-S-2.0"
description = "Welded box frame"

[[part]]
id = "side-plate"                   # unique in the module
name = "Side plate"
file = "cad/side-plate.step"
material = "steel-s235"
process = "laser-cut"
quantity = 2
license = "LicenseRef-Garage-1.0"
[part.origin]
source = "https://example.org/plates.step"
license = "CC-BY-4.0"
author = "A. Maker"
retrieved = 2026-11-01
sha256 = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"

[[part]]
id = "m8x20"
name = "Hex bolt M8x20 ISO 4017"
process = "purchased"
quantity = 16
unit_cost = 0.12
currency = "USD"
supplier = "Bolt & Co"
sku = "ISO4017-M8x20"
notes = "zinc plated"

[[assembly]]
file = "../common/gearbox.step"
process = "cnc-mill"
material = "steel-1018"
[[assembly.rule]]
match = "*Bolt*"
process = "purchased"

[[use]]
module = "axes/x"
quantity = 3

[[use]]
module = "axes/y"
)";

} // namespace

TEST_CASE("a complete telar.toml parses into exact values", "[core][manifest]") {
    std::vector<Diagnostic> diags;
    ProjectManifest p = parseProjectManifest(kFullProject, "telar.toml", diags);
    CHECK(diags.empty());
    CHECK(p.name == "Open Press");
    CHECK(p.description == "A compressed-earth brick press");
    CHECK(p.license == "CERN-OHL-S-2.0 OR LicenseRef-CBRL-1.0");
    CHECK(p.licensor == "Open Press contributors");
    CHECK(p.products == std::vector<std::string>{"press", "tools/mould"});
    REQUIRE(p.productPos.size() == 2);
    CHECK(p.productPos[1].line == 7);
    CHECK(p.productPos[1].column == 22);
    CHECK(p.source.pos.line == 2);
    REQUIRE(p.upstream);
    CHECK(p.upstream->url == "https://example.org/open-press.git");
    CHECK(p.upstream->commit == "0123456789abcdef0123456789abcdef01234567");
    CHECK(p.upstream->forked == "2026-11-20T10:00:00Z");
    CHECK(p.upstream->source.pos.line == 9);
    REQUIRE(p.lineage.size() == 1);
    CHECK(p.lineage[0].forked == "2025-02-01");
    CHECK(p.lineage[0].source.path == "lineage[1]");
    REQUIRE(p.reciprocity);
    CHECK(p.reciprocity->steward == "Open Press for-benefit association");
    CHECK(p.reciprocity->contact == "mailto:stewards@example.org");
    CHECK(p.reciprocity->terms == "https://example.org/reciprocity");
    REQUIRE(p.licenses.size() == 1);
    const DeclaredLicense& l = p.licenses[0];
    CHECK(l.id == "LicenseRef-Garage-1.0");
    CHECK(l.name == "Garage Licence 1.0");
    CHECK(l.attribution);
    CHECK(l.shareAlike == "design");
    CHECK(l.sourceDisclosure);
    CHECK(l.commercial == "reciprocity");
    CHECK(l.derivatives);
    CHECK_FALSE(l.oshwaCompatible);
    CHECK(l.summary == "Free for cooperatives; others contribute back.");
    CHECK(p.declaredLicenseIds() == std::vector<std::string>{"LicenseRef-Garage-1.0"});
}

TEST_CASE("a complete module.toml parses into exact values", "[core][manifest]") {
    std::vector<Diagnostic> diags;
    ModuleManifest m =
        parseModuleManifest(kFullModule, "frame/module.toml", "frame", diags, {"LicenseRef-Garage-1.0"});
    CHECK(diags.empty());
    CHECK(m.id == "frame");
    CHECK(m.name == "Frame");
    CHECK(m.version == "1.3.0");
    CHECK(m.license == "CERN-OHL-S-2.0");
    CHECK(m.description == "Welded box frame");
    REQUIRE(m.parts.size() == 2);
    const Part& a = m.parts[0];
    CHECK(a.id == "side-plate");
    CHECK(a.name == "Side plate");
    CHECK(a.file == "cad/side-plate.step");
    CHECK(a.filePath == "frame/cad/side-plate.step");
    CHECK(a.material == "steel-s235");
    CHECK(a.process == "laser-cut");
    CHECK(a.quantity == 2);
    CHECK_FALSE(a.unitCost);
    CHECK(a.license == "LicenseRef-Garage-1.0");
    CHECK(a.source.pos.line == 7);
    CHECK(a.source.path == "part[1]");
    CHECK(a.source.at("quantity").line == 13);
    CHECK(a.source.at("quantity").column == 12);
    CHECK(a.source.fieldPath("quantity") == "part[1].quantity");
    REQUIRE(a.origin);
    CHECK(a.origin->source == "https://example.org/plates.step");
    CHECK(a.origin->license == "CC-BY-4.0");
    CHECK(a.origin->author == "A. Maker");
    CHECK(a.origin->retrieved == "2026-11-01");
    CHECK(a.origin->sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const Part& b = m.parts[1];
    CHECK(b.id == "m8x20");
    CHECK(b.file.empty());
    CHECK(b.filePath.empty());
    CHECK(b.quantity == 16);
    REQUIRE(b.unitCost);
    CHECK(*b.unitCost == 0.12);
    CHECK(b.currency == "USD");
    CHECK(b.supplier == "Bolt & Co");
    CHECK(b.sku == "ISO4017-M8x20");
    CHECK(b.notes == "zinc plated");
    CHECK_FALSE(b.origin);
    CHECK(m.findPart("m8x20") == &m.parts[1]);
    CHECK(m.findPart("nope") == nullptr);
    REQUIRE(m.assemblies.size() == 1);
    CHECK(m.assemblies[0].file == "../common/gearbox.step");
    CHECK(m.assemblies[0].filePath == "common/gearbox.step");
    CHECK(m.assemblies[0].process == "cnc-mill");
    CHECK(m.assemblies[0].material == "steel-1018");
    REQUIRE(m.assemblies[0].rules.size() == 1);
    CHECK(m.assemblies[0].rules[0].match == "*Bolt*");
    CHECK(m.assemblies[0].rules[0].process == "purchased");
    CHECK(m.assemblies[0].rules[0].source.path == "assembly[1].rule[1]");
    REQUIRE(m.uses.size() == 2);
    CHECK(m.uses[0].module == "axes/x");
    CHECK(m.uses[0].quantity == 3);
    CHECK(m.uses[1].module == "axes/y");
    CHECK(m.uses[1].quantity == 1);
}

TEST_CASE("diagnostics render as file:line:column: field: message", "[core][manifest]") {
    Diagnostic d{Severity::Error,
                 "frame/module.toml",
                 12,
                 12,
                 "part[2].quantity",
                 "must be a positive integer, got 0",
                 ""};
    CHECK(d.str() == "frame/module.toml:12:12: part[2].quantity: must be a positive integer, got 0");
    d.column = 0;
    CHECK(d.str() == "frame/module.toml:12: part[2].quantity: must be a positive integer, got 0");
    d.line = 0;
    d.field.clear();
    CHECK(d.str() == "frame/module.toml: must be a positive integer, got 0");
}

TEST_CASE("every diagnostic carries a hint and several problems are all reported in order",
          "[core][manifest]") {
    std::vector<Diagnostic> diags;
    parseModuleManifest("[module]\nname = \"M\"\nversion = \"one\"\n[[part]]\nid = \"a\"\nname = \"A\"\n"
                        "quantity = 0\ncolour = \"red\"\n",
                        "m/module.toml", "m", diags);
    REQUIRE(diags.size() == 3);
    CHECK(diags[0].severity == Severity::Warning);
    CHECK(diags[0].str() == "m/module.toml:3:11: module.version: is not a semantic version: \"one\"");
    CHECK(diags[1].str() == "m/module.toml:7:12: part[1].quantity: must be a positive integer, got 0");
    CHECK(diags[2].str() == "m/module.toml:8:1: part[1].colour: unknown field 'colour'");
    for (const auto& d : diags)
        CHECK_FALSE(d.hint.empty());
    CHECK(diags[2].hint == "remove it or use one of: id, name, file, material, process, quantity, unit_cost, "
                           "currency, supplier, sku, license, notes, origin");
    CHECK(hasErrors(diags));
}

TEST_CASE("ids, module ids and suggestions", "[core][manifest]") {
    CHECK(isValidId("side-plate"));
    CHECK(isValidId("m8x20.v2_b"));
    CHECK(isValidId("2020-extrusion"));
    CHECK_FALSE(isValidId(""));
    CHECK_FALSE(isValidId("-a"));
    CHECK_FALSE(isValidId("Side"));
    CHECK_FALSE(isValidId("a b"));
    CHECK(isValidModuleId("axes/x"));
    CHECK(isValidModuleId("X Axis"));
    CHECK_FALSE(isValidModuleId("axes//x"));
    CHECK_FALSE(isValidModuleId("/axes"));
    CHECK_FALSE(isValidModuleId("axes/"));
    CHECK_FALSE(isValidModuleId("../x"));
    CHECK_FALSE(isValidModuleId(".git"));
    CHECK(closestMatches("quantiy", {"id", "name", "quantity"}) == std::vector<std::string>{"quantity"});
    CHECK(closestMatches("materail", {"material", "process"}) == std::vector<std::string>{"material"});
    CHECK(closestMatches("xyz", {"material", "process"}).empty());
    CHECK(didYouMean("proces", {"process"}) == " (did you mean 'process'?)");
    CHECK(didYouMean("zzzzzz", {"process"}).empty());
}

TEST_CASE("licence checks know the catalogue and the declared ids", "[core][manifest]") {
    CHECK_FALSE(checkLicense("CERN-OHL-S-2.0", {}));
    CHECK_FALSE(checkLicense("CC-BY-4.0 AND MIT", {}));
    CHECK_FALSE(checkLicense("LicenseRef-Garage-1.0", {"LicenseRef-Garage-1.0"}));
    CHECK(checkLicense("LicenseRef-Garage-1.0", {}) ==
          "licence 'LicenseRef-Garage-1.0' is not declared in telar.toml");
    CHECK(checkLicense("(MIT OR LicenseRef-X)", {}) ==
          "licence 'LicenseRef-X' is not declared in telar.toml");
}

TEST_CASE("the parsers never crash on garbage, truncated files or deep nesting", "[core][manifest]") {
    std::mt19937 rng(20261120);
    std::vector<std::string> inputs;
    // random bytes
    for (int i = 0; i < 200; ++i) {
        std::string s(static_cast<std::size_t>(rng() % 300), '\0');
        for (auto& c : s)
            c = static_cast<char>(rng() % 256);
        inputs.push_back(s);
    }
    // random TOML-ish tokens
    const char* tokens[] = {"[",    "]", "[[", "]]", "part",   "module",     "use",    "=",  "\"",
                            "'",    "{", "}",  ",",  "\n",     "quantity",   "1",      "-1", "2.5",
                            "true", "#", ".",  "id", "origin", "1979-05-27", "\\u00e9"};
    for (int i = 0; i < 300; ++i) {
        std::string s;
        for (int k = 0; k < 40; ++k)
            s += tokens[rng() % (sizeof tokens / sizeof *tokens)];
        inputs.push_back(s);
    }
    // every truncation of valid files
    for (const std::string& full : {std::string(kFullModule), std::string(kFullProject)})
        for (std::size_t n = 0; n < full.size(); n += 7)
            inputs.push_back(full.substr(0, n));
    inputs.push_back(std::string(5000, '[') + std::string(5000, ']'));
    inputs.push_back("a = " + std::string(3000, '[') + std::string(3000, ']'));
    inputs.push_back("a = " + std::string(2000, '{'));
    inputs.push_back(std::string("[module]\nname = \"\xff\xfe\"\n"));
    inputs.push_back(std::string("[module]\0name = \"x\"\n", 20));

    std::size_t withErrors = 0;
    for (const auto& in : inputs) {
        std::vector<Diagnostic> diags;
        REQUIRE_NOTHROW(parseModuleManifest(in, "f/module.toml", "f", diags));
        REQUIRE_NOTHROW(parseProjectManifest(in, "telar.toml", diags));
        for (const auto& d : diags)
            REQUIRE_FALSE(d.message.empty());
        if (hasErrors(diags)) ++withErrors;
    }
    CHECK(withErrors == inputs.size());
}

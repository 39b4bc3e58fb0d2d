// OKH manifests: the YAML reader (valid subset, malformed input, the invalid Oak manifest strict
// and lenient), import of the real OKH-LOSH and OKH v1 files in ../shared/realdata (missing
// paths, unmapped fields, written manifests) and TSDC codes.
#include "test_support.h"

#include "telar/core/okh.h"
#include "telar/error.h"

#include <catch2/catch.hpp>

using namespace telar::core;
using telar::test::readFile;
using telar::test::TempDir;
using telar::test::writeFile;

TEST_CASE("the YAML reader reads mappings, sequences, quoted, flow and block scalars", "[core][okh]") {
    const std::string text = "# comment\n"
                             "title: Joystick # trailing comment\n"
                             "version: \"1.0\"\n"
                             "keywords: [a, 'b c', \"d\"]\n"
                             "license:\n"
                             "  hardware: CERN-OHL-W-2.0\n"
                             "contributors:\n"
                             "  - name: Ann\n"
                             "    email: ann@example.org\n"
                             "  - name: Bob\n"
                             "notes: |\n"
                             "  line one\n"
                             "  line two\n"
                             "items:\n"
                             "- x\n"
                             "- y\n";
    YamlNode root = parseYaml(text, "t.yml");
    REQUIRE(root.kind == YamlNode::Kind::Mapping);
    CHECK(root.fields.size() == 7);
    CHECK(root.find("title")->scalar == "Joystick");
    CHECK(root.find("title")->line == 2);
    CHECK(root.find("version")->scalar == "1.0");
    const YamlNode* kw = root.find("keywords");
    REQUIRE(kw->items.size() == 3);
    CHECK(kw->items[1].scalar == "b c");
    CHECK(root.find("license")->find("hardware")->scalar == "CERN-OHL-W-2.0");
    const YamlNode* people = root.find("contributors");
    REQUIRE(people->items.size() == 2);
    CHECK(people->items[0].find("email")->scalar == "ann@example.org");
    CHECK(people->items[1].find("name")->scalar == "Bob");
    CHECK(root.find("notes")->scalar == "line one\nline two");
    REQUIRE(root.find("items")->items.size() == 2);
    CHECK(root.find("items")->items[1].scalar == "y");
}

TEST_CASE("malformed YAML fails with its line, or is read leniently with what was repaired", "[core][okh]") {
    const std::string text = "a: 1\n  b: 2\nc\n";
    try {
        parseYaml(text, "bad.yml");
        FAIL("no error");
    } catch (const telar::ManifestError& e) {
        CHECK(std::string(e.what()) == "bad.yml:2:3: not valid YAML: indented 2 where 0 was expected");
        CHECK(e.line() == 2);
    }
    std::vector<std::string> skipped;
    YamlNode root = parseYaml(text, "bad.yml", true, &skipped);
    CHECK(skipped == std::vector<std::string>{
                         "line 2: indented 2 where 0 was expected (read at the mapping's level)",
                         "line 3: expected 'key: value'; a continuation of 'b' must be indented (joined to 'b')"});
    CHECK(root.find("b")->scalar == "2 c");
    // Hostile input never crashes.
    std::string deep;
    for (int i = 0; i < 200; ++i) deep += std::string(size_t(i), ' ') + "k:\n";
    std::vector<std::string> s2;
    CHECK_NOTHROW(parseYaml(deep, "deep.yml", true, &s2));
    CHECK_NOTHROW(parseYaml(std::string("\0\x01- : :\n\t- x\n'unterminated\n", 24), "junk.yml", true, &s2));
}

TEST_CASE("the Oak joystick OKH v1 manifest is not valid YAML: strict import names line 3", "[core][okh][realdata]") {
    TELAR_REQUIRE_REALDATA(realdata);
    const auto file = realdata / "Oak-Compact-Joystick" / "OKH-Oak-Joystick.yml";
    try {
        importOkh(file);
        FAIL("no error");
    } catch (const telar::ManifestError& e) {
        CHECK(std::string(e.what()) == "OKH-Oak-Joystick.yml:3:1: not valid YAML: expected 'key: value'; a "
                                       "continuation of 'description' must be indented");
        CHECK(e.line() == 3);
    }
}

TEST_CASE("the Oak joystick manifest imported leniently lists every repair and maps licence and licensor",
          "[core][okh][realdata]") {
    TELAR_REQUIRE_REALDATA(realdata);
    const auto file = realdata / "Oak-Compact-Joystick" / "OKH-Oak-Joystick.yml";
    OkhImport im = importOkh(file, {true});
    CHECK(im.format == "OKH v1");
    CHECK(im.skipped == std::vector<std::string>{
                            "line 3: expected 'key: value'; a continuation of 'description' must be indented "
                            "(joined to 'description')",
                            "line 4: expected 'key: value'; a continuation of 'description' must be indented "
                            "(joined to 'description')",
                            "line 44: indented 4 where 5 was expected (the item's first key) (read as a key of that item)",
                            "line 45: indented 4 where 5 was expected (the item's first key) (read as a key of that item)",
                            "line 47: indented 4 where 5 was expected (the item's first key) (read as a key of that item)",
                            "line 48: indented 4 where 5 was expected (the item's first key) (read as a key of that item)",
                            "line 49: sequence item indented 2 where 3 was expected (read as the next item)",
                            "line 52: sequence item indented 2 where 3 was expected (read as the next item)"});
    CHECK(im.project.name == "Oak Compact Joystick");
    CHECK(im.project.license == "CERN-OHL-W-2.0");
    CHECK(im.project.licensor == "Jacob McIvor");
    CHECK(im.module.id == "oak-compact-joystick");
    CHECK(im.module.version == "1.0");
    CHECK(im.project.description.rfind("The Oak Compact Joystick is a medium sized proportional joystick in a 3D "
                                       "printable, mountable enclosure",
                                       0) == 0);
    CHECK(im.project.description.find("Intended for people with disabilities") != std::string::npos);
    CHECK(im.missingPaths.empty()); // every path is a URL
    CHECK(std::find(im.unmapped.begin(), im.unmapped.end(), "license.documentation: only the hardware licence maps to Telar") !=
          im.unmapped.end());
    CHECK(std::find(im.unmapped.begin(), im.unmapped.end(), "contributors: no Telar field") != im.unmapped.end());
    CHECK(std::find(im.unmapped.begin(), im.unmapped.end(), "bom: Telar computes the BOM from the parts") !=
          im.unmapped.end());
}

TEST_CASE("the PlanktoScope okh.toml imports with exactly the referenced paths that do not exist",
          "[core][okh][realdata]") {
    TELAR_REQUIRE_REALDATA(realdata);
    OkhImport im = importOkh(realdata / "PlanktoScope" / "okh.toml");
    CHECK(im.format == "OKH-LOSH");
    CHECK(im.missingPaths == std::vector<std::string>{"/README.md",
                                                      "/doc/images/hardware/planktoscope_case_00.png",
                                                      "/docs/contribute/hardware_development.md",
                                                      "/docs/hardware/manufacturing.md",
                                                      "/docs/images/hardware/planktoscope_hat_front.png",
                                                      "/docs/images/readme/planktonplanet_pub.webp",
                                                      "/docs/protocols/basic_primer.md",
                                                      "/docs/usage/getting_started.md",
                                                      "/hardware/case/PlanktoScope-Case.dxf",
                                                      "/hardware/case/PlanktoScope-Case.f3z",
                                                      "/hardware/hat/Planktoscope-Hat-assembly.zip",
                                                      "/hardware/hat/Planktoscope-Hat-diagram.pdf",
                                                      "/hardware/hat/Planktoscope-Hat-gerber.zip",
                                                      "/hardware/hat/Planktoscope-Hat.brd",
                                                      "/hardware/hat/Planktoscope-Hat.sch"});
    CHECK(im.project.name == "PlanktoScope");
    CHECK(im.project.license == "CERN-OHL-S-2.0");
    CHECK(im.project.licensor == "Thibaut Pollina, Romain Bazile, Adam Larson, Will Major, Sebastian Wendel");
    CHECK(im.module.version == "2.5");
    REQUIRE(im.module.parts.size() == 2);
    CHECK(im.module.parts[0].id == "planktoscope-case");
    CHECK(im.module.parts[0].process == "cnc-mill");
    CHECK(im.module.parts[0].file.empty());
    CHECK(im.module.parts[0].notes ==
          "files: /hardware/case/PlanktoScope-Case.f3z, /hardware/case/PlanktoScope-Case.dxf");
    CHECK(im.module.parts[1].id == "planktoscope-hat");
    CHECK(im.module.parts[1].process == "pcb");
    CHECK(std::find(im.unmapped.begin(), im.unmapped.end(),
                    "part[1].outer-dimension: Telar measures it from the geometry") != im.unmapped.end());
    CHECK(std::find(im.unmapped.begin(), im.unmapped.end(),
                    "part[1]: no CAD file Telar can read among its source and export files") != im.unmapped.end());
    CHECK(std::find(im.unmapped.begin(), im.unmapped.end(),
                    "technology-readiness-level: no Telar field") != im.unmapped.end());

    TempDir out("telar-okh-import");
    writeOkhImport(im, realdata / "PlanktoScope", out.path());
    const std::string project = readFile(out / "telar.toml");
    CHECK(project.find("name = \"PlanktoScope\"") != std::string::npos);
    CHECK(project.find("products = [\"planktoscope\"]") != std::string::npos);
    const std::string module = readFile(out / "planktoscope/module.toml");
    CHECK(module.find("id = \"planktoscope-hat\"") != std::string::npos);
    CHECK(module.find("version = \"2.5\"") != std::string::npos);
    CHECK_THROWS_AS(writeOkhImport(im, realdata / "PlanktoScope", out.path()), telar::UsageError);
}

TEST_CASE("the OKH-LOSH template imports its part with the TSDC process", "[core][okh][realdata]") {
    TELAR_REQUIRE_REALDATA(realdata);
    OkhImport im = importOkh(realdata / "OKH-LOSH" / "sample_data" / "okh-TEMPLATE.toml");
    CHECK(im.project.name == "your-awesome-OSH");
    CHECK(im.project.license.empty());
    CHECK(std::find(im.unmapped.begin(), im.unmapped.end(),
                    "license: 'the-SPDX-ID' is not a licence Telar knows (invalid licence expression: unknown "
                    "licence id 'the-SPDX-ID' at column 1)") !=
          im.unmapped.end());
    REQUIRE(im.module.parts.size() == 1);
    CHECK(im.module.parts[0].process == "fdm-print");
    CHECK(im.missingPaths == std::vector<std::string>{"/Documentation/Assembly_Guide/AssemblyGuide.md",
                                                      "/Documentation/User_Guide/UserGuide.md", "BoM.csv",
                                                      "CONTRIBUTING.md", "README.md", "xxx.jpg", "xxx.pdf",
                                                      "xxx.scad", "xxx.stl"});
}

TEST_CASE("OKH TSDC codes of the catalogue processes", "[core][okh]") {
    CHECK(okhTsdc("fdm-print") == "3DP");
    CHECK(okhTsdc("laser-cut") == "LAS");
    CHECK(okhTsdc("cnc-mill") == "CNC");
    CHECK(okhTsdc("turning") == "CNC");
    CHECK(okhTsdc("purchased") == "STD");
    CHECK(okhTsdc("welding") == "WEL");
    CHECK(okhTsdc("assembly") == "MEC");
}

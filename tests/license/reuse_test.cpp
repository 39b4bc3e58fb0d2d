// Adoption helpers: REUSE dep5 / REUSE.toml / SPDX headers, licence names and licence texts.
#include "telar/error.h"
#include "telar/license/name_mapping.h"
#include "telar/license/reuse.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace telar::license;

namespace {

struct NameCase {
    const char* name;
    const char* id;
    std::vector<std::string> alternatives;
    bool certain;
};

struct PathCase {
    const char* path;
    std::optional<std::string> license;
};

} // namespace

TEST_CASE("free-text licence names map to SPDX ids, saying what stays ambiguous", "[license]") {
    const std::vector<NameCase> cases = {
        {"GNU General Public License v3", "GPL-3.0-only", {"GPL-3.0-or-later"}, false},
        {"GPLv3", "GPL-3.0-only", {"GPL-3.0-or-later"}, false},
        {"GPL v3 only", "GPL-3.0-only", {}, true},
        {"GNU GPL v3 or later", "GPL-3.0-or-later", {}, true},
        {"GPLv2+", "GPL-2.0-or-later", {}, true},
        {"GNU General Public License version 2", "GPL-2.0-only", {"GPL-2.0-or-later"}, false},
        {"GPL", "GPL-2.0-only", {"GPL-3.0-only"}, false},
        {"CERN OHL W v2", "CERN-OHL-W-2.0", {}, true},
        {"CERN Open Hardware Licence Version 2 - Strongly Reciprocal", "CERN-OHL-S-2.0", {}, true},
        {"CERN OHL v1.2", "CERN-OHL-1.2", {}, true},
        {"Creative Commons Attribution-ShareAlike 4.0", "CC-BY-SA-4.0", {}, true},
        {"Creative Commons Attribution-ShareAlike 4.0 International", "CC-BY-SA-4.0", {}, true},
        {"CC BY-NC-SA 4.0", "CC-BY-NC-SA-4.0", {}, true},
        {"CC0", "CC0-1.0", {}, true},
        {"The MIT License", "MIT", {}, true},
        {"Apache License, Version 2.0", "Apache-2.0", {}, true},
        {"Mozilla Public License 2.0", "MPL-2.0", {}, true},
        {"GNU Lesser General Public License v2.1", "LGPL-2.1-only", {"LGPL-2.1-or-later"}, false},
        {"Peer Production Licence", "PPL", {}, true},
        {"Commons-Based Reciprocity License", "LicenseRef-CBRL-1.0", {}, true},
        {"CERN-OHL-S-2.0 OR MIT", "CERN-OHL-S-2.0 OR MIT", {}, true},
        {"gpl-3.0+", "GPL-3.0-or-later", {}, true},
        {"Simplified BSD", "BSD-2-Clause", {}, true},
        {"Do What You Want", "", {}, false},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        const LicenseGuess guess = licenseFromName(c.name);
        CHECK(guess.id == c.id);
        CHECK(guess.alternatives == c.alternatives);
        CHECK(guess.certain() == c.certain);
    }
    CHECK(licenseFromName("GPLv3").ambiguity ==
          "'GPLv3' does not say whether later versions are allowed: GPL-3.0-only or GPL-3.0-or-later");
    CHECK(licenseFromName("GPL").ambiguity == "'GPL' fits several licences: GPL-2.0-only, GPL-3.0-only");
    CHECK(licenseFromName("Do What You Want").ambiguity == "'Do What You Want' is not a licence name Telar knows");
    CHECK(licenseFromName("Apache Licence 2").alternatives.empty());
    CHECK(licenseFromName("Apache Licence 2").id == "Apache-2.0");
}

TEST_CASE("dep5 paragraphs map globs to licences, last match wins", "[license]") {
    const std::string text = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
                             "Upstream-Name: Press\n"
                             "Source: https://example.org/press\n"
                             "\n"
                             "Files: *\n"
                             "Copyright: 2024 A. Maker\n"
                             "License: CERN-OHL-S-2.0\n"
                             "\n"
                             "Files: docs/* README.md\n"
                             "  images/*.png\n"
                             "Copyright: 2024 A. Maker\n"
                             " 2025 B. Writer\n"
                             "License: CC-BY-SA-4.0\n"
                             "\n"
                             "Files: cad/vendor/?.step\n"
                             "License: CC-BY-4.0\n"
                             "\n"
                             "Files: nothing\n"
                             "\n"
                             "License: CC-BY-4.0\n"
                             " Full text of the licence here.\n";
    const Dep5 dep5 = parseDep5(text);
    CHECK(dep5.upstreamName == "Press");
    CHECK(dep5.source == "https://example.org/press");
    REQUIRE(dep5.paragraphs.size() == 3);
    CHECK(dep5.paragraphs[1].patterns == std::vector<std::string>{"docs/*", "README.md", "images/*.png"});
    CHECK(dep5.paragraphs[1].copyright == "2024 A. Maker\n2025 B. Writer");
    CHECK(dep5.paragraphs[1].line == 9);
    CHECK(dep5.warnings == std::vector<std::string>{"line 18: Files paragraph has no License"});

    const std::vector<PathCase> paths = {
        {"frame/side.step", "CERN-OHL-S-2.0"},
        {"docs/guide/intro.md", "CC-BY-SA-4.0"},
        {"README.md", "CC-BY-SA-4.0"},
        {"sub/README.md", "CERN-OHL-S-2.0"},
        {"images/a/b.png", "CC-BY-SA-4.0"},
        {"cad/vendor/x.step", "CC-BY-4.0"},
        {"cad/vendor/xy.step", "CERN-OHL-S-2.0"},
        {"./docs/a.md", "CC-BY-SA-4.0"},
    };
    for (const auto& p : paths) {
        INFO(p.path);
        CHECK(licenseForPath(dep5, p.path) == p.license);
    }
    CHECK(licenseForPath(parseDep5("Files: a/*\nLicense: MIT\n"), "b/c") == std::nullopt);
}

TEST_CASE("the real PlanktoScope dep5", "[license]") {
    TELAR_REQUIRE_REALDATA(realdata);
    const Dep5 dep5 = parseDep5(telar::test::readFile(realdata / "PlanktoScope/.reuse/dep5"));
    CHECK(dep5.upstreamName == "PlanktoScope");
    REQUIRE(dep5.paragraphs.size() == 3);
    CHECK(dep5.paragraphs[0].patterns == std::vector<std::string>{"hardware/*"});
    CHECK(dep5.paragraphs[0].license == "CERN-OHL-S-2.0");
    CHECK(dep5.paragraphs[1].patterns.size() == 13);
    CHECK(dep5.warnings.empty());

    const std::vector<PathCase> paths = {
        {"hardware/bom.csv", "CERN-OHL-S-2.0"},
        {"hardware/v2.6/case/top.step", "CERN-OHL-S-2.0"},
        {"software/node-red/flows.json", "GPL-3.0-or-later"},
        {".github/workflows/build.yml", "GPL-3.0-or-later"},
        {"flake.nix", "GPL-3.0-or-later"},
        {"docs/index.md", "CC-BY-SA-4.0"},
        {"README.md", "CC-BY-SA-4.0"},
        {"LICENSE", std::nullopt},
    };
    for (const auto& p : paths) {
        INFO(p.path);
        CHECK(licenseForPath(dep5, p.path) == p.license);
    }
}

TEST_CASE("REUSE.toml annotations", "[license]") {
    const ReuseToml reuse = parseReuseToml(R"(version = 1

[[annotations]]
path = "**"
SPDX-License-Identifier = "CERN-OHL-W-2.0"
SPDX-FileCopyrightText = "2024 A. Maker"

[[annotations]]
path = ["docs/**", "*.md"]
precedence = "override"
SPDX-License-Identifier = "CC-BY-SA-4.0"

[[annotations]]
path = "firmware/*.c"
SPDX-License-Identifier = ["GPL-3.0-or-later", "MIT OR Apache-2.0"]
)");
    CHECK(reuse.version == 1);
    REQUIRE(reuse.annotations.size() == 3);
    CHECK(reuse.annotations[0].precedence == "closest");
    CHECK(reuse.annotations[1].precedence == "override");
    CHECK(reuse.annotations[0].copyrights == std::vector<std::string>{"2024 A. Maker"});

    const std::vector<PathCase> paths = {
        {"frame/plate.step", "CERN-OHL-W-2.0"},
        {"docs/a/b.md", "CC-BY-SA-4.0"},
        {"README.md", "CC-BY-SA-4.0"},
        {"frame/README.md", "CERN-OHL-W-2.0"},
        {"firmware/main.c", "GPL-3.0-or-later AND (MIT OR Apache-2.0)"},
        {"firmware/lib/x.c", "CERN-OHL-W-2.0"},
    };
    for (const auto& p : paths) {
        INFO(p.path);
        CHECK(licenseForPath(reuse, p.path) == p.license);
    }

    CHECK_THROWS_WITH(parseReuseToml("version = 1\n[[annotations]]\npath = 3\n"),
                      "REUSE.toml:3:8: annotations[0].path: must be a string or an array of strings");
    CHECK_THROWS_WITH(parseReuseToml("[[annotations]]\npath = \"*\"\nprecedence = \"first\"\n"),
                      "REUSE.toml: annotations[0].precedence: must be closest, aggregate or override, not 'first'");
    CHECK_THROWS_WITH(parseReuseToml("[[annotations]\n"), Catch::Matchers::StartsWith("REUSE.toml:1:"));
}

TEST_CASE("glob matching for dep5 and REUSE.toml", "[license]") {
    CHECK(globMatch("*", "a/b/c", true));
    CHECK_FALSE(globMatch("*", "a/b/c", false));
    CHECK(globMatch("**", "a/b/c", false));
    CHECK(globMatch("**/*.step", "a/b/c.step", false));
    CHECK(globMatch("**/*.step", "c.step", false));
    CHECK_FALSE(globMatch("a/*.step", "a/b/c.step", false));
    CHECK(globMatch("a/?.step", "a/x.step", false));
    CHECK_FALSE(globMatch("a/?.step", "a/xy.step", false));
}

TEST_CASE("SPDX-License-Identifier headers in any comment style", "[license]") {
    const std::string source = "// SPDX-FileCopyrightText: 2024 A. Maker\n"
                               "// SPDX-License-Identifier: GPL-3.0-or-later\n"
                               "#include <stdio.h>\n";
    const auto headers = findSpdxHeaders(source);
    REQUIRE(headers.size() == 1);
    CHECK(headers[0].expression == "GPL-3.0-or-later");
    CHECK(headers[0].line == 2);
    CHECK(findSpdxCopyrights(source) == std::vector<std::string>{"2024 A. Maker"});

    CHECK(findSpdxHeaders("/* SPDX-License-Identifier: MIT OR Apache-2.0 */\n")[0].expression == "MIT OR Apache-2.0");
    CHECK(findSpdxHeaders("<!-- SPDX-License-Identifier: CC-BY-SA-4.0 -->\r\n")[0].expression == "CC-BY-SA-4.0");
    CHECK(findSpdxHeaders("# SPDX-License-Identifier: CERN-OHL-S-2.0\n")[0].expression == "CERN-OHL-S-2.0");
    CHECK(findSpdxHeaders("; SPDX-License-Identifier: MIT\n")[0].line == 1);
    // A .license sidecar.
    CHECK(findSpdxHeaders("SPDX-FileCopyrightText: 2023 X\nSPDX-License-Identifier: CERN-OHL-W-2.0\n")[0].expression ==
          "CERN-OHL-W-2.0");
    // Strings that merely mention the tag are not headers.
    CHECK(findSpdxHeaders("const char* tag = \"SPDX-License-Identifier: MIT\";\n").empty());
    CHECK(findSpdxHeaders("no header here\n").empty());
}

TEST_CASE("licence texts are recognised", "[license]") {
    TELAR_REQUIRE_REALDATA(realdata);
    const LicenseGuess voron = licenseFromText(telar::test::readFile(realdata / "Voron-0/LICENSE"));
    CHECK(voron.id == "GPL-3.0-only");
    CHECK(voron.alternatives == std::vector<std::string>{"GPL-3.0-or-later"});
    CHECK(voron.ambiguity ==
          "the licence text alone does not say whether later versions are allowed: GPL-3.0-only or GPL-3.0-or-later");

    const auto oak = realdata / "Oak-Compact-Joystick/LICENSES";
    CHECK(licenseFromText(telar::test::readFile(oak / "gpl-3.0.txt")).id == "GPL-3.0-only");
    const LicenseGuess cern = licenseFromText(telar::test::readFile(oak / "cern_ohl_w_v2.txt"));
    CHECK(cern.id == "CERN-OHL-W-2.0");
    CHECK(cern.certain());
    const LicenseGuess bySa = licenseFromText(telar::test::readFile(oak / "cc-by-sa_4.0.txt"));
    CHECK(bySa.id == "CC-BY-SA-4.0");
    CHECK(bySa.certain());
}

TEST_CASE("short licence texts and headers", "[license]") {
    const std::string mit = "MIT License\n\nCopyright (c) 2024 A. Maker\n\nPermission is hereby granted, free of "
                            "charge, to any person obtaining a copy\nof this software ... The above copyright notice "
                            "and this permission notice shall be included in all\ncopies.\n";
    CHECK(licenseFromText(mit).id == "MIT");
    CHECK(licenseFromText(mit).certain());
    CHECK(licenseFromText("SPDX-License-Identifier: CERN-OHL-P-2.0\n").id == "CERN-OHL-P-2.0");
    const LicenseGuess none = licenseFromText("All rights reserved.\n");
    CHECK(none.id.empty());
    CHECK(none.ambiguity == "the text matches no licence in the catalogue");
}

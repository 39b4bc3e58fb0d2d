// The licence catalogue: the data every verdict rests on, and project-declared licences.
#include "telar/error.h"
#include "telar/license/catalog.h"
#include "telar/license/compatibility.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace telar::license;

namespace {

struct AttributeRow {
    const char* id;
    bool attribution;
    ShareAlike shareAlike;
    bool sourceDisclosure;
    CommercialUse commercial;
    bool derivatives;
    bool oshwa;
};

} // namespace

TEST_CASE("the catalogue carries the attributes of every licence DESIGN.md names", "[license]") {
    using SA = ShareAlike;
    using CU = CommercialUse;
    const std::vector<AttributeRow> rows = {
        {"CERN-OHL-S-2.0", true, SA::Design, true, CU::Free, true, true},
        {"CERN-OHL-W-2.0", true, SA::File, true, CU::Free, true, true},
        {"CERN-OHL-P-2.0", true, SA::None, false, CU::Free, true, true},
        {"CERN-OHL-1.2", true, SA::Design, true, CU::Free, true, true},
        {"TAPR-OHL-1.0", true, SA::Design, true, CU::Free, true, true},
        {"SHL-0.51", true, SA::None, false, CU::Free, true, true},
        {"SHL-2.1", true, SA::None, false, CU::Free, true, true},
        {"CC0-1.0", false, SA::None, false, CU::Free, true, true},
        {"CC-BY-4.0", true, SA::None, false, CU::Free, true, true},
        {"CC-BY-SA-4.0", true, SA::Design, false, CU::Free, true, true},
        {"CC-BY-NC-4.0", true, SA::None, false, CU::Forbidden, true, false},
        {"CC-BY-NC-SA-4.0", true, SA::Design, false, CU::Forbidden, true, false},
        {"CC-BY-ND-4.0", true, SA::None, false, CU::Free, false, false},
        {"CC-BY-NC-ND-4.0", true, SA::None, false, CU::Forbidden, false, false},
        {"GPL-2.0-only", true, SA::Design, true, CU::Free, true, true},
        {"GPL-2.0-or-later", true, SA::Design, true, CU::Free, true, true},
        {"GPL-3.0-only", true, SA::Design, true, CU::Free, true, true},
        {"GPL-3.0-or-later", true, SA::Design, true, CU::Free, true, true},
        {"LGPL-2.1-only", true, SA::File, true, CU::Free, true, true},
        {"LGPL-2.1-or-later", true, SA::File, true, CU::Free, true, true},
        {"LGPL-3.0-only", true, SA::File, true, CU::Free, true, true},
        {"LGPL-3.0-or-later", true, SA::File, true, CU::Free, true, true},
        {"MPL-2.0", true, SA::File, true, CU::Free, true, true},
        {"MIT", true, SA::None, false, CU::Free, true, true},
        {"BSD-2-Clause", true, SA::None, false, CU::Free, true, true},
        {"BSD-3-Clause", true, SA::None, false, CU::Free, true, true},
        {"Apache-2.0", true, SA::None, false, CU::Free, true, true},
        {"PPL", true, SA::Design, false, CU::Reciprocity, true, false},
        {"LicenseRef-CBRL-1.0", true, SA::Design, false, CU::Reciprocity, true, false},
    };
    const Catalog& catalog = Catalog::builtin();
    for (const auto& row : rows) {
        INFO(row.id);
        const LicenseInfo* info = catalog.find(row.id);
        REQUIRE(info != nullptr);
        CHECK(info->id == row.id);
        CHECK(info->attribution == row.attribution);
        CHECK(info->shareAlike == row.shareAlike);
        CHECK(info->sourceDisclosure == row.sourceDisclosure);
        CHECK(info->commercial == row.commercial);
        CHECK(info->derivatives == row.derivatives);
        CHECK(info->oshwaCompatible == row.oshwa);
        CHECK_FALSE(info->summary.empty());
        CHECK_FALSE(info->deprecated());
    }
    CHECK(catalog.find("PPL")->freeFor == std::vector<std::string>{"individual", "nonprofit", "cooperative", "non-commercial"});
    CHECK(catalog.find("LicenseRef-CBRL-1.0")->freeFor ==
          std::vector<std::string>{"individual", "nonprofit", "cooperative", "non-commercial", "contributor"});
}

TEST_CASE("deprecated GPL ids resolve to their -only / -or-later replacements", "[license]") {
    const Catalog& catalog = Catalog::builtin();
    CHECK(catalog.find("GPL-2.0")->deprecated());
    CHECK(catalog.get("GPL-2.0").id == "GPL-2.0-only");
    CHECK(catalog.get("gpl-3.0").id == "GPL-3.0-only");
    CHECK(catalog.get("GPL-2.0+").id == "GPL-2.0-or-later");
    CHECK(catalog.get("GPL-3.0+").id == "GPL-3.0-or-later");
    LicenseTerm gpl3Plus;
    gpl3Plus.id = "GPL-3.0";
    gpl3Plus.orLater = true;
    CHECK(resolveTerm(gpl3Plus, catalog).id == "GPL-3.0-or-later");
    CHECK_THROWS_WITH(catalog.get("CERN-OHL-S"), "unknown licence id 'CERN-OHL-S' (did you mean 'CERN-OHL-S-2.0'?)");
}

TEST_CASE("exceptions are in the catalogue", "[license]") {
    const Catalog& catalog = Catalog::builtin();
    for (const char* id : {"OCCT-exception-1.0", "Classpath-exception-2.0", "LLVM-exception"}) {
        INFO(id);
        REQUIRE(catalog.findException(id) != nullptr);
        CHECK(catalog.findException(id)->id == id);
    }
    CHECK(catalog.findException("occt-exception-1.0")->name == "Open CASCADE Exception v1.0");
    CHECK(catalog.findException("No-such-exception") == nullptr);
}

TEST_CASE("the embedded catalogue is the resources/licenses.toml file", "[license]") {
    const Catalog fromFile =
        Catalog::fromToml(telar::test::readFile(telar::test::resourceDir() / "licenses.toml"), "licenses.toml");
    REQUIRE(fromFile.licenses().size() == Catalog::builtin().licenses().size());
    for (std::size_t i = 0; i < fromFile.licenses().size(); ++i)
        CHECK(fromFile.licenses()[i].id == Catalog::builtin().licenses()[i].id);
    CHECK(fromFile.exceptions().size() == Catalog::builtin().exceptions().size());
}

TEST_CASE("malformed catalogue data is rejected with the entry and field", "[license]") {
    CHECK_THROWS_WITH(Catalog::fromToml("[[license]]\nid = \"X\"\nname = \"X\"\nkind = \"content\"\n"
                                        "share_alike = \"sometimes\"\ncommercial = \"free\"\nsummary = \"s\"\n",
                                        "cat.toml"),
                      "cat.toml: license[0]: share_alike: must be none, file or design, not 'sometimes'");
    CHECK_THROWS_WITH(Catalog::fromToml("[[license]]\nid = \"X\"\nname = \"X\"\nkind = \"content\"\n"
                                        "share_alike = \"none\"\ncommercial = \"free\"\nsummary = \"s\"\ncolour = 1\n",
                                        "cat.toml"),
                      "cat.toml: license[0]: colour: unknown field");
    CHECK_THROWS_WITH(Catalog::fromToml("[[license]]\nid = \"X\"\nname = \"X\"\nkind = \"content\"\n"
                                        "share_alike = \"none\"\ncommercial = \"free\"\nsummary = \"s\"\n"
                                        "compatible_with = [\"Y\"]\n",
                                        "cat.toml"),
                      "cat.toml: X: compatible_with names unknown id 'Y'");
    CHECK_THROWS_WITH(Catalog::fromToml("[[license]\n", "cat.toml"), Catch::Matchers::StartsWith("cat.toml:1:"));
}

TEST_CASE("a project declares its own LicenseRef licence from plain values", "[license]") {
    Catalog catalog = Catalog::builtin();
    ProjectLicense press;
    press.id = "LicenseRef-Open-Press-1.0";
    press.name = "Open Press Licence";
    press.attribution = true;
    press.shareAlike = "design";
    press.sourceDisclosure = true;
    press.commercial = "reciprocity";
    press.derivatives = true;
    press.oshwaCompatible = false;
    press.summary = "Share alike; cooperatives use it freely.";
    press.freeFor = {"cooperative", "non-commercial"};
    catalog.addProjectLicense(press);

    const LicenseInfo& info = catalog.get("licenseref-open-press-1.0");
    CHECK(info.id == "LicenseRef-Open-Press-1.0");
    CHECK(info.declaredByProject);
    CHECK(info.kind == "project");
    CHECK(info.shareAlike == ShareAlike::Design);
    CHECK(info.commercial == CommercialUse::Reciprocity);
    CHECK(info.freeFor == std::vector<std::string>{"cooperative", "non-commercial"});
    CHECK(Catalog::builtin().find("LicenseRef-Open-Press-1.0") == nullptr);

    ProjectLicense bad = press;
    bad.id = "Open-Press";
    CHECK_THROWS_WITH(catalog.addProjectLicense(bad),
                      "license 'Open-Press': id: a project licence id must start with 'LicenseRef-'");
    bad.id = "LicenseRef-Open-Press-1.0";
    CHECK_THROWS_WITH(catalog.addProjectLicense(bad), "license 'LicenseRef-Open-Press-1.0': id: already defined");
    bad.id = "LicenseRef-CBRL-1.0";
    CHECK_THROWS_WITH(catalog.addProjectLicense(bad), "license 'LicenseRef-CBRL-1.0': id: already defined");
    bad.id = "LicenseRef-Other";
    bad.commercial = "sometimes";
    CHECK_THROWS_WITH(catalog.addProjectLicense(bad),
                      "license 'LicenseRef-Other': commercial: must be free, reciprocity or forbidden, not 'sometimes'");
    bad.commercial = "free";
    bad.shareAlike = "whole";
    CHECK_THROWS_WITH(catalog.addProjectLicense(bad),
                      "license 'LicenseRef-Other': share_alike: must be none, file or design, not 'whole'");
    bad.shareAlike = "none";
    bad.freeFor = {"everyone"};
    CHECK_THROWS_WITH(catalog.addProjectLicense(bad),
                      Catch::Matchers::StartsWith("license 'LicenseRef-Other': free_for: unknown value 'everyone'"));

    ProjectLicense plain;
    plain.id = "LicenseRef-Plain";
    plain.name = "Plain";
    plain.commercial = "reciprocity";
    catalog.addProjectLicense(plain);
    CHECK(catalog.get("LicenseRef-Plain").freeFor == std::vector<std::string>{"non-commercial"});
}

TEST_CASE("suggestions find the nearest known id", "[license]") {
    const Catalog& catalog = Catalog::builtin();
    CHECK(catalog.suggest("CC-BY-SA-4") == std::optional<std::string>("CC-BY-SA-4.0"));
    CHECK(catalog.suggest("Apache2") == std::optional<std::string>("Apache-2.0"));
    CHECK(catalog.suggest("CERN OHL W v2") == std::optional<std::string>("CERN-OHL-W-2.0"));
    CHECK(catalog.suggest("Zlib-Frobnicator") == std::nullopt);
}

// Licences over whole designs: consistency findings (no licence, origins, parts, uses,
// conflicts), modified vs unmodified imported files, verdicts rolled up through use, the
// project's own [[license]] in the catalogue, product obligations and attribution notices.
#include "test_support.h"

#include "telar/core/catalog.h"
#include "telar/core/design.h"
#include "telar/core/fab_profile.h"
#include "telar/core/license_check.h"
#include "telar/core/sha256.h"
#include "telar/core/worktree.h"
#include "telar/error.h"

#include <catch2/catch.hpp>

using namespace telar::core;
using telar::test::TempDir;
using telar::test::writeFile;
namespace lic = telar::license;

namespace {

const Catalog& materials() {
    static const Catalog c = Catalog::load(telar::test::resourceDir());
    return c;
}

// A one-product design: `product` uses `bracket`, whose part imports geometry.
struct SmallDesign {
    TempDir dir{"telar-lic"};

    SmallDesign(const std::string& projectLicense, const std::string& bracketLicense,
                const std::string& originLicense, const std::string& recordedSha = "") {
        writeFile(dir / "telar.toml", "[project]\nname = \"Small\"\nlicense = \"" + projectLicense +
                                          "\"\nlicensor = \"Small makers\"\nproducts = [\"product\"]\n\n"
                                          "[reciprocity]\nsteward = \"Small steward\"\ncontact = "
                                          "\"mailto:steward@small.example\"\n");
        writeFile(dir / "product/module.toml", "[module]\nname = \"Product\"\nversion = \"1.0.0\"\n\n"
                                               "[[use]]\nmodule = \"bracket\"\nquantity = 2\n");
        writeFile(dir / "bracket/cad/bracket.step", "ISO-10303-21; original");
        writeFile(dir / "bracket/module.toml",
                  "[module]\nname = \"Bracket\"\nversion = \"0.2.0\"\nlicense = \"" + bracketLicense +
                      "\"\n\n[[part]]\nid = \"bracket\"\nname = \"Bracket\"\nfile = \"cad/bracket.step\"\n"
                      "[part.origin]\nsource = \"https://parts.example/bracket.step\"\nlicense = \"" +
                      originLicense + "\"\nauthor = \"A. Maker\"\nretrieved = \"2026-01-02\"\n" +
                      (recordedSha.empty() ? "" : "sha256 = \"" + recordedSha + "\"\n"));
    }

    Design load() const { return loadDesign(WorkingTree(dir.path()), materials()); }
    LicenseReport check() const {
        WorkingTree tree(dir.path());
        Design d = loadDesign(tree, materials());
        for (const auto& diag : d.diagnostics)
            INFO(diag.str());
        REQUIRE(d.ok());
        return checkLicenses(d, tree);
    }
};

const std::string kOriginalSha = sha256Hex("ISO-10303-21; original");

} // namespace

TEST_CASE("CC-BY-SA geometry cannot become CERN-OHL-P: the exact finding", "[core][license]") {
    SmallDesign s("CERN-OHL-P-2.0", "CERN-OHL-P-2.0", "CC-BY-SA-4.0", kOriginalSha);
    LicenseReport r = s.check();
    REQUIRE(r.findings.size() == 1);
    const LicenseFinding& f = r.findings[0];
    CHECK(f.severity == Severity::Error);
    CHECK(f.code == "origin-not-honoured");
    CHECK(f.module == "bracket");
    CHECK(f.part == "bracket");
    CHECK(f.file == "bracket/module.toml");
    CHECK(f.line == 12);
    CHECK(f.column == 11);
    CHECK(f.field == "part[1].origin.license");
    CHECK(f.message == "part 'bracket' imports geometry licensed CC-BY-SA-4.0 from "
                       "https://parts.example/bracket.step, which the "
                       "module's licence CERN-OHL-P-2.0 does not honour: CC-BY-SA-4.0 requires adaptations "
                       "to be shared under "
                       "CC-BY-SA-4.0, GPL-3.0-only or GPL-3.0-or-later, and CERN-OHL-P-2.0 is not one of "
                       "them (it is permissive "
                       "and would let others close the design)");
    CHECK(f.hint == "license the module under terms that honour CC-BY-SA-4.0, or replace the geometry");
    CHECK(f.str().rfind("bracket/module.toml:12:11: part[1].origin.license: part 'bracket' imports", 0) == 0);
    CHECK_FALSE(r.ok());
    CHECK(r.errors() == 1);
    CHECK(r.warnings() == 0);
}

TEST_CASE("NC geometry in a CERN-OHL-S module: the exact finding", "[core][license]") {
    SmallDesign s("CERN-OHL-S-2.0", "CERN-OHL-S-2.0", "CC-BY-NC-4.0", kOriginalSha);
    LicenseReport r = s.check();
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].code == "origin-not-honoured");
    CHECK(r.findings[0].message == "part 'bracket' imports geometry licensed CC-BY-NC-4.0 from "
                                   "https://parts.example/bracket.step, which the "
                                   "module's licence CERN-OHL-S-2.0 does not honour: CC-BY-NC-4.0 forbids "
                                   "commercial use, so a work including "
                                   "it becomes non-commercial, which CERN-OHL-S-2.0 does not allow (license "
                                   "the work non-commercially or "
                                   "replace the material)");
}

TEST_CASE("an unmodified ND file may sit in a permissive module, a modified one may not", "[core][license]") {
    SmallDesign s("CERN-OHL-P-2.0", "CERN-OHL-P-2.0", "CC-BY-ND-4.0", kOriginalSha);
    {
        LicenseReport r = s.check();
        CHECK(r.findings.empty());
        REQUIRE(r.origins.size() == 1);
        CHECK(r.origins[0].file == "bracket/cad/bracket.step");
        CHECK(r.origins[0].recordedSha256 == kOriginalSha);
        CHECK(r.origins[0].actualSha256 == kOriginalSha);
        CHECK(r.origins[0].modified == std::optional<bool>(false));
    }
    writeFile(s.dir / "bracket/cad/bracket.step", "ISO-10303-21; changed");
    LicenseReport r = s.check();
    REQUIRE(r.origins.size() == 1);
    CHECK(r.origins[0].modified == std::optional<bool>(true));
    CHECK(r.origins[0].actualSha256 == sha256Hex("ISO-10303-21; changed"));
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].code == "origin-not-honoured");
    CHECK(
        r.findings[0].message ==
        "part 'bracket' imports geometry licensed CC-BY-ND-4.0 from https://parts.example/bracket.step, "
        "which the "
        "module's licence CERN-OHL-P-2.0 does not honour: CC-BY-ND-4.0 does not allow modified versions: its "
        "material cannot be adapted into a CERN-OHL-P-2.0 work (include it unmodified or replace it) The "
        "file "
        "differs from the original recorded in part.origin.sha256; the unchanged original could be "
        "included.");
}

TEST_CASE("an origin without a recorded sha256 is judged as modified", "[core][license]") {
    SmallDesign s("CERN-OHL-P-2.0", "CERN-OHL-P-2.0", "CC-BY-ND-4.0");
    LicenseReport r = s.check();
    REQUIRE(r.origins.size() == 1);
    CHECK_FALSE(r.origins[0].modified.has_value());
    REQUIRE(r.findings.size() == 1);
    const std::string& m = r.findings[0].message;
    CHECK(
        m.substr(m.find(" No sha256")) ==
        " No sha256 of the original is recorded, so the file is judged as modified; record it if the file is "
        "unchanged.");
}

TEST_CASE("parts without any licence, parts the module cannot include, conflicts and uses",
          "[core][license]") {
    TempDir dir("telar-lic");
    writeFile(dir / "telar.toml", "[project]\nname = \"Mixed\"\nproducts = [\"top\"]\n");
    writeFile(dir / "top/module.toml", "[module]\nname = \"Top\"\nlicense = \"CERN-OHL-P-2.0\"\n\n"
                                       "[[part]]\nid = \"plate\"\nname = \"Plate\"\nlicense = \"PPL\"\n\n"
                                       "[[part]]\nid = \"firmware\"\nname = \"Firmware\"\n"
                                       "license = \"GPL-2.0-only AND GPL-3.0-only\"\n\n"
                                       "[[use]]\nmodule = \"sa\"\n\n[[use]]\nmodule = \"bare\"\n");
    writeFile(dir / "sa/module.toml", "[module]\nname = \"Share-alike\"\nlicense = \"CC-BY-SA-4.0\"\n");
    writeFile(dir / "bare/module.toml",
              "[module]\nname = \"Bare\"\n\n[[part]]\nid = \"knob\"\nname = \"Knob\"\n");
    WorkingTree tree(dir.path());
    Design d = loadDesign(tree, materials());
    LicenseReport r = checkLicenses(d, tree);
    std::vector<std::string> lines;
    for (const auto& f : r.findings)
        lines.push_back(f.code + " " + f.str());
    CHECK(lines ==
          std::vector<std::string>{
              "no-licence bare/module.toml:4:1: part[1]: part 'knob' has no licence: it names none, and "
              "neither does module 'bare' nor telar.toml's [project]",
              "part-not-honoured top/module.toml:8:11: part[1].license: part 'plate' is licensed PPL, which "
              "the module's licence CERN-OHL-P-2.0 cannot include: PPL reserves some commercial use to an "
              "agreement with its licensor, but CERN-OHL-P-2.0 would let anyone use the work commercially",
              "part-not-honoured top/module.toml:13:11: part[2].license: part 'firmware' is licensed "
              "GPL-2.0-only AND GPL-3.0-only, which the module's licence CERN-OHL-P-2.0 cannot include: "
              "GPL-2.0-only requires adaptations to be shared under GPL-2.0-only, and CERN-OHL-P-2.0 is not "
              "one of them (it is permissive and would let others close the design)",
              "conflict top/module.toml:13:11: part[2].license: the licence 'GPL-2.0-only AND GPL-3.0-only' "
              "of part 'firmware' joins terms that cannot be combined: GPL-2.0-only and GPL-3.0-only cannot "
              "be joined: GPL-2.0-only requires adaptations to be shared under GPL-2.0-only, and "
              "GPL-3.0-only is not one of them",
              "use-not-honoured top/module.toml:16:10: use[1].module: module 'top' is licensed "
              "CERN-OHL-P-2.0 and uses module 'sa', licensed CC-BY-SA-4.0, which CERN-OHL-P-2.0 cannot "
              "include: CC-BY-SA-4.0 requires adaptations to be shared under CC-BY-SA-4.0, GPL-3.0-only or "
              "GPL-3.0-or-later, and CERN-OHL-P-2.0 is not one of them (it is permissive and would let "
              "others close the design)",
          });
    CHECK(r.errors() == 4);
    CHECK(r.warnings() == 1);
    CHECK(r.findings[4].severity == Severity::Warning);
    CHECK(r.findings[0].severity == Severity::Error);
    CHECK(r.findings[0].hint == "set license in the part, in [module] or in telar.toml's [project]");
}

TEST_CASE("invalid licence expressions from the manifests are licence findings", "[core][license]") {
    TempDir dir("telar-lic");
    writeFile(dir / "telar.toml", "[project]\nname = \"Bad\"\nlicense = \"CERN-OHL-S-2\"\n");
    WorkingTree tree(dir.path());
    Design d = loadDesign(tree, materials());
    LicenseReport r = checkLicenses(d, tree);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].code == "invalid-licence");
    CHECK(r.findings[0].file == "telar.toml");
    CHECK(r.findings[0].field == "project.license");
    CHECK(r.findings[0].message ==
          "invalid licence expression: unknown licence id 'CERN-OHL-S-2' at column 1 (did you mean "
          "'CERN-OHL-S-2.0'?)");
}

TEST_CASE("the project's [[license]] reaches the catalogue and decides verdicts", "[core][license]") {
    TempDir dir("telar-lic");
    writeFile(dir / "telar.toml",
              "[project]\nname = \"Garage\"\nlicense = \"LicenseRef-Garage-1.0\"\n"
              "products = [\"box\"]\n\n[reciprocity]\nsteward = \"Garage guild\"\n"
              "contact = \"mailto:guild@garage.example\"\nterms = \"https://garage.example/terms\"\n\n"
              "[[license]]\nid = \"LicenseRef-Garage-1.0\"\nname = \"Garage Licence\"\n"
              "share_alike = \"design\"\ncommercial = \"reciprocity\"\n"
              "summary = \"Share alike; commercial use by agreement.\"\n");
    writeFile(dir / "box/module.toml", "[module]\nname = \"Box\"\n");
    WorkingTree tree(dir.path());
    Design d = loadDesign(tree, materials());
    REQUIRE(d.ok());
    lic::Catalog catalog = licenseCatalog(d.project);
    const lic::LicenseInfo* info = catalog.find("LicenseRef-Garage-1.0");
    REQUIRE(info != nullptr);
    CHECK(info->declaredByProject);
    CHECK(info->commercial == lic::CommercialUse::Reciprocity);
    CHECK(checkLicenses(d, tree).findings.empty());

    lic::FabContext shop{lic::OrganizationKind::ForProfit, true, lic::Purpose::Commercial, std::nullopt};
    shop.steward =
        lic::Steward{"Garage guild", "mailto:guild@garage.example", "https://garage.example/terms"};
    auto verdicts = decideVerdicts(d, catalog, shop);
    REQUIRE(verdicts.size() == 1);
    REQUIRE(verdicts[0].modules.size() == 1);
    const ModuleVerdict& mv = verdicts[0].modules[0];
    CHECK(mv.module == "box");
    CHECK(mv.license == "LicenseRef-Garage-1.0");
    CHECK(mv.verdict.kind == lic::VerdictKind::ReciprocityRequired);
    REQUIRE(mv.verdict.steward.has_value());
    CHECK(mv.verdict.steward->contact == "mailto:guild@garage.example");
    CHECK(verdicts[0].overall == lic::VerdictKind::ReciprocityRequired);
    CHECK(verdicts[0].deciding == std::vector<std::string>{"box"});

    lic::FabContext home{lic::OrganizationKind::Individual, false, lic::Purpose::Personal, std::nullopt};
    CHECK(decideVerdicts(d, catalog, home)[0].overall == lic::VerdictKind::FreeWithObligations);
}

TEST_CASE("an invalid [[license]] declaration is refused with its position", "[core][license]") {
    ProjectManifest p;
    DeclaredLicense bad;
    bad.id = "LicenseRef-Odd";
    bad.name = "Odd licence";
    bad.commercial = "sometimes";
    bad.source.pos = {7, 1};
    bad.source.path = "license[1]";
    p.licenses.push_back(bad);
    try {
        licenseCatalog(p);
        FAIL("no exception");
    } catch (const telar::LicenseError& e) {
        CHECK(std::string(e.what()) ==
              "telar.toml:7:1: license[1]: license 'LicenseRef-Odd': commercial: must be "
              "free, reciprocity or forbidden, not 'sometimes'");
    }
}

TEST_CASE("verdicts roll up through use and the product takes the most restrictive", "[core][license]") {
    SmallDesign s("CERN-OHL-S-2.0", "PPL", "CC-BY-4.0", kOriginalSha);
    Design d = s.load();
    lic::Catalog catalog = licenseCatalog(d.project);
    FabProfile shop;
    shop.name = "Shop";
    shop.organisation = "for-profit";
    shop.contributes = false;
    shop.purpose = "non-commercial";
    lic::FabContext ctx = fabContext(shop, d, lic::Purpose::Commercial);
    CHECK(ctx.purpose == lic::Purpose::Commercial);
    REQUIRE(ctx.steward.has_value());
    CHECK(ctx.steward->name == "Small steward");

    auto v = decideVerdicts(d, catalog, ctx);
    REQUIRE(v.size() == 1);
    CHECK(v[0].product == "product");
    CHECK(v[0].overall == lic::VerdictKind::ReciprocityRequired);
    CHECK(v[0].deciding == std::vector<std::string>{"bracket"});
    REQUIRE(v[0].modules.size() == 2);
    const ModuleVerdict& product = v[0].modules[0];
    const ModuleVerdict& bracket = v[0].modules[1];
    CHECK(product.module == "product");
    CHECK(product.license == "CERN-OHL-S-2.0");
    CHECK(product.verdict.kind == lic::VerdictKind::FreeWithObligations);
    CHECK(product.rolledUp == lic::VerdictKind::ReciprocityRequired);
    CHECK(bracket.quantity == 2);
    CHECK(bracket.expression == "PPL AND CC-BY-4.0");
    CHECK(bracket.verdict.kind == lic::VerdictKind::ReciprocityRequired);
    CHECK(
        bracket.verdict.reason ==
        "PPL: commercial use by a for-profit enterprise owned by shareholders needs a licence fee or another "
        "reciprocity agreement with the licensor; ask Small steward (mailto:steward@small.example)");
    std::vector<std::string> kinds;
    for (const auto& o : bracket.verdict.obligations)
        kinds.emplace_back(lic::toString(o.kind));
    CHECK(kinds == std::vector<std::string>{"attribute", "share alike (whole design)", "reciprocity"});
    REQUIRE_FALSE(bracket.verdict.obligations.empty());
    CHECK(bracket.verdict.obligations[0].from == std::vector<std::string>{"PPL", "CC-BY-4.0"});

    // The same fab making it for a non-commercial purpose: free with obligations everywhere.
    auto nc = decideVerdicts(d, catalog, fabContext(shop, d));
    CHECK(nc[0].overall == lic::VerdictKind::FreeWithObligations);
    CHECK(nc[0].deciding == std::vector<std::string>{"product", "bracket"});

    shop.organisation = "limited company";
    CHECK_THROWS_WITH(fabContext(shop, d),
                      "fab profile: organisation.kind: 'limited company' is not individual, "
                      "nonprofit, cooperative or for-profit");
    CHECK_THROWS_AS(decideVerdicts(d, catalog, ctx, {"brackt"}), telar::UsageError);
    CHECK_THROWS_WITH(decideVerdicts(d, catalog, ctx, {"brackt"}),
                      "no module 'brackt' in working tree (did you mean 'bracket'?)");
}

TEST_CASE("a product's obligations name the licences and modules they come from", "[core][license]") {
    SmallDesign s("CERN-OHL-S-2.0", "CERN-OHL-W-2.0", "CC-BY-4.0", kOriginalSha);
    LicenseReport r = s.check();
    CHECK(r.findings.empty());
    REQUIRE(r.products.size() == 1);
    CHECK(r.products[0].product == "product");
    std::vector<std::string> rows;
    for (const auto& o : r.products[0].obligations) {
        std::string row = std::string(lic::toString(o.kind)) + " |";
        for (const auto& l : o.licenses)
            row += " " + l;
        row += " |";
        for (const auto& m : o.modules)
            row += " " + m;
        rows.push_back(row);
    }
    CHECK(rows == std::vector<std::string>{
                      "attribute | CERN-OHL-S-2.0 CERN-OHL-W-2.0 CC-BY-4.0 | bracket product",
                      "share alike (files) | CERN-OHL-W-2.0 | bracket",
                      "share alike (whole design) | CERN-OHL-S-2.0 | product",
                      "publish sources | CERN-OHL-S-2.0 CERN-OHL-W-2.0 | bracket product",
                  });
}

TEST_CASE("the attribution notice credits modules, the licensor and imported origins", "[core][license]") {
    SmallDesign s("CERN-OHL-S-2.0", "CERN-OHL-W-2.0", "CC-BY-4.0", kOriginalSha);
    WorkingTree tree(s.dir.path());
    Design d = loadDesign(tree, materials());
    AttributionNotice n = attributionNotice(d, tree, "product");
    CHECK(n.product == "product");
    CHECK(n.project == "Small");
    CHECK(n.licensor == "Small makers");
    REQUIRE(n.modules.size() == 2);
    CHECK(n.modules[1].module == "bracket");
    CHECK(n.modules[1].version == "0.2.0");
    CHECK(n.modules[1].license == "CERN-OHL-W-2.0");
    REQUIRE(n.origins.size() == 1);
    CHECK(n.origins[0].author == "A. Maker");
    CHECK(n.origins[0].modified == std::optional<bool>(false));
    CHECK(n.licenses == std::vector<std::string>{"CC-BY-4.0", "CERN-OHL-S-2.0", "CERN-OHL-W-2.0"});
    CHECK(n.text() == "Attribution notice for product (Small)\n"
                      "Licensed by Small makers.\n"
                      "\n"
                      "Modules:\n"
                      "  product 1.0.0 \"Product\": CERN-OHL-S-2.0\n"
                      "  bracket 0.2.0 \"Bracket\": CERN-OHL-W-2.0\n"
                      "\n"
                      "Imported geometry:\n"
                      "  bracket/bracket: A. Maker, CC-BY-4.0\n"
                      "    from https://parts.example/bracket.step (retrieved 2026-01-02), unmodified\n"
                      "\n"
                      "Licences: CC-BY-4.0, CERN-OHL-S-2.0, CERN-OHL-W-2.0\n");
    CHECK_THROWS_AS(attributionNotice(d, tree, "nothing"), telar::UsageError);
}

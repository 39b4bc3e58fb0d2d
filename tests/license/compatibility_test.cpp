// Compatibility: inclusion of material, combinations, obligations, OSHWA.
#include "telar/error.h"
#include "telar/license/compatibility.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace telar::license;

namespace {

struct InclusionCase {
    const char* material;
    const char* work;
    bool modified;
    bool compatible;
    const char* reason;
};

} // namespace

TEST_CASE("inclusion of material under one licence in a work under another", "[license]") {
    const std::vector<InclusionCase> cases = {
        {"CC-BY-SA-4.0", "CERN-OHL-P-2.0", true, false,
         "CC-BY-SA-4.0 requires adaptations to be shared under CC-BY-SA-4.0, GPL-3.0-only or GPL-3.0-or-later, and "
         "CERN-OHL-P-2.0 is not one of them (it is permissive and would let others close the design)"},
        {"CC-BY-NC-4.0", "CERN-OHL-S-2.0", true, false,
         "CC-BY-NC-4.0 forbids commercial use, so a work including it becomes non-commercial, which CERN-OHL-S-2.0 "
         "does not allow (license the work non-commercially or replace the material)"},
        {"CC-BY-ND-4.0", "CERN-OHL-P-2.0", true, false,
         "CC-BY-ND-4.0 does not allow modified versions: its material cannot be adapted into a CERN-OHL-P-2.0 work "
         "(include it unmodified or replace it)"},
        {"CC-BY-ND-4.0", "CERN-OHL-P-2.0", false, true,
         "CC-BY-ND-4.0 material is included unmodified, which CC-BY-ND-4.0 allows"},
        {"CC-BY-ND-4.0", "CERN-OHL-S-2.0", false, false,
         "CC-BY-ND-4.0 material cannot be relicensed, but CERN-OHL-S-2.0 requires the whole design under CERN-OHL-S-2.0"},
        {"GPL-2.0-only", "GPL-3.0-only", true, false,
         "GPL-2.0-only requires adaptations to be shared under GPL-2.0-only, and GPL-3.0-only is not one of them"},
        {"GPL-3.0-only", "GPL-2.0-only", true, false,
         "GPL-3.0-only requires adaptations to be shared under GPL-3.0-only, and GPL-2.0-only is not one of them"},
        {"GPL-2.0+", "GPL-3.0-only", true, true,
         "GPL-2.0-or-later allows adaptations under GPL-3.0-only ('Or later' lets the work be taken under GPL "
         "version 2 or any later version)"},
        {"CC-BY-4.0", "CERN-OHL-S-2.0", true, true,
         "CC-BY-4.0 has no share-alike clause: its material may go into a CERN-OHL-S-2.0 work, keeping its notices"},
        {"CC0-1.0", "CERN-OHL-P-2.0", true, true, "CC0-1.0 places no conditions: its material may go into a CERN-OHL-P-2.0 work"},
        {"CC-BY-SA-4.0", "CC-BY-SA-4.0", true, true, "CC-BY-SA-4.0 material may go into a CC-BY-SA-4.0 work: same licence"},
        {"CERN-OHL-W-2.0", "CERN-OHL-S-2.0", true, true,
         "CERN-OHL-W-2.0 allows adaptations under CERN-OHL-S-2.0 (CERN-OHL-W §8.3 lets covered sources be treated as "
         "CERN-OHL-S when the available components comply)"},
        {"CERN-OHL-W-2.0", "CERN-OHL-P-2.0", true, true,
         "CERN-OHL-W-2.0 is reciprocal per file only: its files keep CERN-OHL-W-2.0 inside a CERN-OHL-P-2.0 work"},
        {"CERN-OHL-W-2.0", "GPL-3.0-only", true, false,
         "CERN-OHL-W-2.0 keeps its files under CERN-OHL-W-2.0, but GPL-3.0-only requires the whole design under "
         "GPL-3.0-only"},
        {"CERN-OHL-1.2", "CERN-OHL-S-2.0", true, true,
         "CERN-OHL-1.2 allows adaptations under CERN-OHL-S-2.0 (CERN-OHL version 2 counts any earlier CERN OHL version "
         "as a compatible licence)"},
        {"Apache-2.0", "GPL-2.0-only", true, false,
         "Apache-2.0 material cannot go into a GPL-2.0-only work (The Apache-2.0 patent termination and indemnity "
         "terms are further restrictions GPL version 2 does not allow)"},
        {"PPL", "CERN-OHL-S-2.0", true, false,
         "PPL reserves some commercial use to an agreement with its licensor, but CERN-OHL-S-2.0 would let anyone use "
         "the work commercially"},
        {"CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", true, true,
         "CC-BY-NC-4.0 has no share-alike clause: its material may go into a CC-BY-NC-SA-4.0 work, keeping its notices"},
        {"MIT OR GPL-2.0-only", "GPL-3.0-only", true, true,
         "using the material under MIT: MIT has no share-alike clause: its material may go into a GPL-3.0-only work, "
         "keeping its notices"},
        {"CC-BY-SA-4.0", "GPL-2.0-only OR GPL-3.0-only", true, false,
         "the work may be taken under GPL-2.0-only, and CC-BY-SA-4.0 requires adaptations to be shared under "
         "CC-BY-SA-4.0, GPL-3.0-only or GPL-3.0-or-later, and GPL-2.0-only is not one of them"},
        {"CC-BY-SA-4.0", "CERN-OHL-S-2.0 AND CC-BY-SA-4.0", true, true,
         "CC-BY-SA-4.0 material may go into a CC-BY-SA-4.0 work: same licence"},
    };
    const Catalog& catalog = Catalog::builtin();
    for (const auto& c : cases) {
        INFO(c.material << " into " << c.work << (c.modified ? " (modified)" : " (unmodified)"));
        const InclusionResult result = checkInclusion(c.material, c.work, catalog, InclusionOptions{c.modified});
        CHECK(result.compatible == c.compatible);
        CHECK(result.reason == c.reason);
    }
}

TEST_CASE("inclusion lists what it adds to the work", "[license]") {
    const Catalog& catalog = Catalog::builtin();
    const auto nc = checkInclusion("CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", catalog);
    CHECK(nc.effects == std::vector<std::string>{"the work stays non-commercial",
                                                 "keep the notices of the CC-BY-NC-4.0 material and credit its authors"});
    const auto bySa = checkInclusion("CC-BY-SA-4.0", "GPL-3.0-or-later", catalog);
    CHECK(bySa.effects == std::vector<std::string>{"keep the notices of the CC-BY-SA-4.0 material and credit its authors",
                                                   "the adapted material is shared under GPL-3.0-or-later"});
    const auto mpl = checkInclusion("MPL-2.0", "CERN-OHL-P-2.0", catalog);
    CHECK(mpl.effects.back() == "the MPL-2.0 files stay under MPL-2.0, with their sources available");
    const auto chosen = checkInclusion("GPL-2.0-only OR CC-BY-4.0", "CERN-OHL-S-2.0", catalog);
    CHECK(chosen.compatible);
    CHECK(chosen.materialOption == "CC-BY-4.0");
    CHECK(chosen.workOption == "CERN-OHL-S-2.0");
}

TEST_CASE("unknown ids in a compatibility question are errors", "[license]") {
    CHECK_THROWS_AS(checkInclusion("CERN-OHL-S-2", "MIT", Catalog::builtin()), telar::LicenseError);
    CHECK_THROWS_AS(checkInclusion("MIT OR", "MIT", Catalog::builtin()), telar::LicenseError);
}

TEST_CASE("combinations report terms that cannot be joined", "[license]") {
    const Catalog& catalog = Catalog::builtin();
    const Combination gpl = combine(std::vector<std::string>{"GPL-2.0-only", "GPL-3.0-only"}, catalog);
    REQUIRE(gpl.conflicts.size() == 1);
    CHECK(gpl.conflicts[0].first == "GPL-2.0-only");
    CHECK(gpl.conflicts[0].second == "GPL-3.0-only");
    CHECK(gpl.conflicts[0].reason == "GPL-2.0-only and GPL-3.0-only cannot be joined: GPL-2.0-only requires adaptations "
                                     "to be shared under GPL-2.0-only, and GPL-3.0-only is not one of them");

    CHECK(combine(std::vector<std::string>{"GPL-2.0-or-later", "GPL-3.0-only"}, catalog).conflicts.empty());
    CHECK(combine(std::vector<std::string>{"CERN-OHL-S-2.0", "MIT", "CC-BY-4.0"}, catalog).conflicts.empty());
    CHECK(combine(std::vector<std::string>{"CERN-OHL-S-2.0", "CC-BY-NC-4.0"}, catalog).conflicts.size() == 1);
    CHECK(combine(std::vector<std::string>{"GPL-2.0-only AND Apache-2.0"}, catalog).conflicts.size() == 1);

    // From an OR, the option that joins without conflict is chosen.
    const Combination dual = combine(std::vector<std::string>{"GPL-2.0-only", "GPL-3.0-only OR MIT"}, catalog);
    CHECK(dual.conflicts.empty());
    CHECK(dual.chosen == std::vector<std::string>{"GPL-2.0-only", "MIT"});
}

TEST_CASE("effective obligations of a combination, with the licences they come from", "[license]") {
    const Catalog& catalog = Catalog::builtin();
    const Combination c =
        combine(std::vector<std::string>{"CERN-OHL-S-2.0", "CC-BY-4.0 OR CC-BY-NC-4.0", "CC-BY-ND-4.0", "MIT"}, catalog);
    REQUIRE(c.obligations.size() == 4);
    CHECK(c.obligations[0].kind == ObligationKind::Attribute);
    CHECK(c.obligations[0].from == std::vector<std::string>{"CERN-OHL-S-2.0", "CC-BY-4.0", "CC-BY-ND-4.0", "MIT"});
    CHECK(c.obligations[0].text ==
          "credit the authors and keep the licence notices (CERN-OHL-S-2.0, CC-BY-4.0, CC-BY-ND-4.0, MIT)");
    CHECK(c.obligations[1].kind == ObligationKind::ShareAlikeDesign);
    CHECK(c.obligations[2].kind == ObligationKind::PublishSources);
    CHECK(c.obligations[3].kind == ObligationKind::NoDerivatives);
    CHECK(c.obligations[3].from == std::vector<std::string>{"CC-BY-ND-4.0"});
    CHECK(c.chosen[1] == "CC-BY-4.0");

    const Combination reciprocal = combine(std::vector<std::string>{"LicenseRef-CBRL-1.0", "CC-BY-NC-SA-4.0"}, catalog);
    std::vector<ObligationKind> kinds;
    for (const auto& o : reciprocal.obligations) kinds.push_back(o.kind);
    CHECK(kinds == std::vector<ObligationKind>{ObligationKind::Attribute, ObligationKind::ShareAlikeDesign,
                                               ObligationKind::NonCommercial, ObligationKind::Reciprocity});
    CHECK(toString(ObligationKind::ShareAlikeFile) == "share alike (files)");
}

TEST_CASE("OSHWA compatibility per licence and per expression", "[license]") {
    const Catalog& catalog = Catalog::builtin();
    CHECK(oshwaCompatible(parseExpression("CERN-OHL-S-2.0"), catalog));
    CHECK_FALSE(oshwaCompatible(parseExpression("PPL"), catalog));
    CHECK_FALSE(oshwaCompatible(parseExpression("CC-BY-NC-SA-4.0"), catalog));
    CHECK_FALSE(oshwaCompatible(parseExpression("CC-BY-ND-4.0"), catalog));
    CHECK_FALSE(oshwaCompatible(parseExpression("LicenseRef-CBRL-1.0"), catalog));
    CHECK(oshwaCompatible(parseExpression("PPL OR CERN-OHL-W-2.0"), catalog));
    CHECK_FALSE(oshwaCompatible(parseExpression("CERN-OHL-S-2.0 AND CC-BY-NC-4.0"), catalog));
}

// Verdicts for fabs, and explanations.
#include "telar/error.h"
#include "telar/license/verdict.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace telar::license;

namespace {

using OK = OrganizationKind;
using P = Purpose;
using VK = VerdictKind;

struct VerdictCase {
    const char* expression;
    OrganizationKind organization;
    bool contributes;
    Purpose purpose;
    VerdictKind expected;
};

const Steward kSteward{"Open Press for-benefit association", "mailto:stewards@example.org",
                       "https://example.org/reciprocity"};

Verdict decide(const char* expression, OrganizationKind organization, bool contributes, Purpose purpose) {
    return decideVerdict(expression, FabContext{organization, contributes, purpose, kSteward}, Catalog::builtin());
}

} // namespace

TEST_CASE("verdicts for every organisation kind and purpose", "[license]") {
    const std::vector<VerdictCase> cases = {
        // Peer Production License: free except commercial use by a shareholder-owned for-profit.
        {"PPL", OK::Individual, false, P::Personal, VK::FreeWithObligations},
        {"PPL", OK::Individual, false, P::NonCommercial, VK::FreeWithObligations},
        {"PPL", OK::Individual, false, P::Commercial, VK::FreeWithObligations},
        {"PPL", OK::Nonprofit, false, P::Personal, VK::FreeWithObligations},
        {"PPL", OK::Nonprofit, false, P::NonCommercial, VK::FreeWithObligations},
        {"PPL", OK::Nonprofit, false, P::Commercial, VK::FreeWithObligations},
        {"PPL", OK::Cooperative, false, P::Personal, VK::FreeWithObligations},
        {"PPL", OK::Cooperative, false, P::NonCommercial, VK::FreeWithObligations},
        {"PPL", OK::Cooperative, false, P::Commercial, VK::FreeWithObligations},
        {"PPL", OK::ForProfit, false, P::Personal, VK::FreeWithObligations},
        {"PPL", OK::ForProfit, false, P::NonCommercial, VK::FreeWithObligations},
        {"PPL", OK::ForProfit, false, P::Commercial, VK::ReciprocityRequired},
        {"PPL", OK::ForProfit, true, P::Commercial, VK::ReciprocityRequired},
        // Commons-Based Reciprocity License: contributing for-profits are free too.
        {"LicenseRef-CBRL-1.0", OK::Individual, false, P::Personal, VK::FreeWithObligations},
        {"LicenseRef-CBRL-1.0", OK::Individual, false, P::NonCommercial, VK::FreeWithObligations},
        {"LicenseRef-CBRL-1.0", OK::Individual, false, P::Commercial, VK::FreeWithObligations},
        {"LicenseRef-CBRL-1.0", OK::Nonprofit, false, P::Personal, VK::FreeWithObligations},
        {"LicenseRef-CBRL-1.0", OK::Nonprofit, false, P::NonCommercial, VK::FreeWithObligations},
        {"LicenseRef-CBRL-1.0", OK::Nonprofit, false, P::Commercial, VK::FreeWithObligations},
        {"LicenseRef-CBRL-1.0", OK::Cooperative, false, P::Personal, VK::FreeWithObligations},
        {"LicenseRef-CBRL-1.0", OK::Cooperative, false, P::NonCommercial, VK::FreeWithObligations},
        {"LicenseRef-CBRL-1.0", OK::Cooperative, false, P::Commercial, VK::FreeWithObligations},
        {"LicenseRef-CBRL-1.0", OK::ForProfit, false, P::Personal, VK::FreeWithObligations},
        {"LicenseRef-CBRL-1.0", OK::ForProfit, false, P::NonCommercial, VK::FreeWithObligations},
        {"LicenseRef-CBRL-1.0", OK::ForProfit, false, P::Commercial, VK::ReciprocityRequired},
        {"LicenseRef-CBRL-1.0", OK::ForProfit, true, P::Commercial, VK::FreeWithObligations},
        // NonCommercial: commercial use is not allowed for anyone.
        {"CC-BY-NC-4.0", OK::Individual, false, P::Personal, VK::FreeWithObligations},
        {"CC-BY-NC-4.0", OK::Individual, false, P::NonCommercial, VK::FreeWithObligations},
        {"CC-BY-NC-4.0", OK::Individual, false, P::Commercial, VK::NotAllowed},
        {"CC-BY-NC-4.0", OK::Nonprofit, false, P::Personal, VK::FreeWithObligations},
        {"CC-BY-NC-4.0", OK::Nonprofit, false, P::NonCommercial, VK::FreeWithObligations},
        {"CC-BY-NC-4.0", OK::Nonprofit, false, P::Commercial, VK::NotAllowed},
        {"CC-BY-NC-4.0", OK::Cooperative, false, P::Personal, VK::FreeWithObligations},
        {"CC-BY-NC-4.0", OK::Cooperative, false, P::NonCommercial, VK::FreeWithObligations},
        {"CC-BY-NC-4.0", OK::Cooperative, false, P::Commercial, VK::NotAllowed},
        {"CC-BY-NC-4.0", OK::ForProfit, false, P::Personal, VK::FreeWithObligations},
        {"CC-BY-NC-4.0", OK::ForProfit, false, P::NonCommercial, VK::FreeWithObligations},
        {"CC-BY-NC-4.0", OK::ForProfit, true, P::Commercial, VK::NotAllowed},
        {"CC-BY-NC-SA-4.0", OK::Cooperative, false, P::Commercial, VK::NotAllowed},
        // CERN-OHL-S: free for everyone, with obligations.
        {"CERN-OHL-S-2.0", OK::Individual, false, P::Personal, VK::FreeWithObligations},
        {"CERN-OHL-S-2.0", OK::Individual, false, P::Commercial, VK::FreeWithObligations},
        {"CERN-OHL-S-2.0", OK::Nonprofit, false, P::NonCommercial, VK::FreeWithObligations},
        {"CERN-OHL-S-2.0", OK::Nonprofit, false, P::Commercial, VK::FreeWithObligations},
        {"CERN-OHL-S-2.0", OK::Cooperative, false, P::Commercial, VK::FreeWithObligations},
        {"CERN-OHL-S-2.0", OK::ForProfit, false, P::Personal, VK::FreeWithObligations},
        {"CERN-OHL-S-2.0", OK::ForProfit, false, P::NonCommercial, VK::FreeWithObligations},
        {"CERN-OHL-S-2.0", OK::ForProfit, false, P::Commercial, VK::FreeWithObligations},
        // No conditions at all.
        {"CC0-1.0", OK::ForProfit, false, P::Commercial, VK::Free},
        // AND: the worst term decides.
        {"CERN-OHL-S-2.0 AND CC-BY-NC-4.0", OK::Cooperative, false, P::Commercial, VK::NotAllowed},
        {"CERN-OHL-S-2.0 AND PPL", OK::ForProfit, false, P::Commercial, VK::ReciprocityRequired},
        // OR: the most favourable option.
        {"PPL OR CC-BY-NC-4.0", OK::ForProfit, false, P::Commercial, VK::ReciprocityRequired},
        {"CC-BY-NC-4.0 OR PPL", OK::Cooperative, false, P::Commercial, VK::FreeWithObligations},
        {"PPL OR CC0-1.0", OK::ForProfit, false, P::Commercial, VK::Free},
    };
    for (const auto& c : cases) {
        INFO(c.expression << " / " << toString(c.organization) << (c.contributes ? " (contributes)" : "") << " / "
                          << toString(c.purpose));
        CHECK(decide(c.expression, c.organization, c.contributes, c.purpose).kind == c.expected);
    }
}

TEST_CASE("verdicts give the clause-level reason in plain words", "[license]") {
    const Verdict ppl = decide("PPL", OK::ForProfit, false, P::Commercial);
    CHECK(ppl.reason == "PPL: commercial use by a for-profit enterprise owned by shareholders needs a licence fee or "
                        "another reciprocity agreement with the licensor; ask Open Press for-benefit association "
                        "(mailto:stewards@example.org), terms: https://example.org/reciprocity");
    REQUIRE(ppl.steward);
    CHECK(ppl.steward->contact == "mailto:stewards@example.org");

    const Verdict cbrl = decide("LicenseRef-CBRL-1.0", OK::ForProfit, false, P::Commercial);
    CHECK(cbrl.reason == "LicenseRef-CBRL-1.0: commercial use by a for-profit enterprise owned by shareholders that does "
                         "not contribute to this commons needs a licence fee or another reciprocity agreement with the "
                         "licensor; ask Open Press for-benefit association (mailto:stewards@example.org), terms: "
                         "https://example.org/reciprocity");
    CHECK(decide("LicenseRef-CBRL-1.0", OK::ForProfit, true, P::Commercial).reason ==
          "LicenseRef-CBRL-1.0: commercial use is free for enterprises that contribute to this commons");
    CHECK(decide("PPL", OK::Cooperative, false, P::Commercial).reason ==
          "PPL: commercial use is free for cooperatives and worker-owned enterprises whose surplus goes to their workers");
    CHECK(decide("PPL", OK::Nonprofit, false, P::Commercial).reason ==
          "PPL: commercial use is free for non-profits (common-good institutions)");
    CHECK(decide("PPL", OK::ForProfit, false, P::NonCommercial).reason ==
          "PPL: non-commercial use is free for everyone; its reciprocity terms concern commercial use only");
    CHECK(decide("CC-BY-NC-4.0", OK::Nonprofit, false, P::Commercial).reason ==
          "CC-BY-NC-4.0 forbids commercial use (NonCommercial clause), whoever the user is");
    CHECK(decide("CERN-OHL-S-2.0", OK::ForProfit, false, P::Commercial).reason ==
          "CERN-OHL-S-2.0 allows any use, commercial included, on conditions: attribute, share alike (whole design), "
          "publish sources");
    CHECK(decide("CC0-1.0", OK::Individual, false, P::Personal).reason == "CC0-1.0 places no conditions on any use");

    // Without a steward, the licensor is the one to ask.
    const Verdict noSteward =
        decideVerdict("PPL", FabContext{OK::ForProfit, false, P::Commercial, std::nullopt}, Catalog::builtin());
    CHECK(noSteward.reason.ends_with("reciprocity agreement with the licensor; ask the licensor"));
    CHECK_FALSE(noSteward.steward);
}

TEST_CASE("verdict obligations", "[license]") {
    const Verdict s = decide("CERN-OHL-S-2.0", OK::Cooperative, false, P::Commercial);
    REQUIRE(s.obligations.size() == 3);
    CHECK(s.obligations[0].kind == ObligationKind::Attribute);
    CHECK(s.obligations[1].kind == ObligationKind::ShareAlikeDesign);
    CHECK(s.obligations[2].kind == ObligationKind::PublishSources);

    const Verdict freePpl = decide("PPL", OK::Cooperative, false, P::Commercial);
    REQUIRE(freePpl.obligations.size() == 2);
    CHECK(freePpl.obligations[1].kind == ObligationKind::ShareAlikeDesign);

    const Verdict paidPpl = decide("PPL", OK::ForProfit, false, P::Commercial);
    REQUIRE(paidPpl.obligations.size() == 3);
    CHECK(paidPpl.obligations[2].kind == ObligationKind::Reciprocity);

    CHECK(decide("CC-BY-NC-4.0", OK::ForProfit, false, P::Commercial).obligations.empty());
    const Verdict nc = decide("CC-BY-NC-ND-4.0", OK::Individual, false, P::Personal);
    REQUIRE(nc.obligations.size() == 3);
    CHECK(nc.obligations[1].kind == ObligationKind::NonCommercial);
    CHECK(nc.obligations[2].kind == ObligationKind::NoDerivatives);
}

TEST_CASE("OR expressions choose the most favourable option and say which", "[license]") {
    const Verdict v = decide("PPL OR CERN-OHL-S-2.0", OK::ForProfit, false, P::Commercial);
    CHECK(v.kind == VK::FreeWithObligations);
    CHECK(v.chosenOption == "CERN-OHL-S-2.0");
    CHECK(v.options == std::vector<std::string>{"PPL", "CERN-OHL-S-2.0"});
    CHECK(v.reason == "CERN-OHL-S-2.0 allows any use, commercial included, on conditions: attribute, share alike "
                      "(whole design), publish sources (chose CERN-OHL-S-2.0, the most favourable of PPL | "
                      "CERN-OHL-S-2.0)");

    // Same verdict: fewer obligations win; then the first written.
    CHECK(decide("CERN-OHL-S-2.0 OR CERN-OHL-P-2.0", OK::Individual, false, P::Personal).chosenOption == "CERN-OHL-P-2.0");
    CHECK(decide("MIT OR BSD-2-Clause", OK::Individual, false, P::Personal).chosenOption == "MIT");
    CHECK(decide("gpl-2.0+ OR (CC-BY-NC-4.0 AND MIT)", OK::Individual, false, P::Commercial).chosenOption ==
          "GPL-2.0-or-later");
    CHECK(decide("CERN-OHL-S-2.0", OK::Individual, false, P::Personal).chosenOption == "CERN-OHL-S-2.0");
}

TEST_CASE("verdicts on project-declared licences and unknown ids", "[license]") {
    Catalog catalog = Catalog::builtin();
    ProjectLicense own;
    own.id = "LicenseRef-Coop-Only";
    own.name = "Cooperatives only";
    own.commercial = "reciprocity";
    own.freeFor = {"cooperative"};
    catalog.addProjectLicense(own);
    CHECK(decideVerdict("LicenseRef-Coop-Only", FabContext{OK::Cooperative, false, P::Commercial, {}}, catalog).kind ==
          VK::FreeWithObligations);
    CHECK(decideVerdict("LicenseRef-Coop-Only", FabContext{OK::Nonprofit, false, P::NonCommercial, {}}, catalog).kind ==
          VK::ReciprocityRequired);
    CHECK_THROWS_WITH(decideVerdict("LicenseRef-Nope", FabContext{}, catalog), "unknown licence id 'LicenseRef-Nope'");
}

TEST_CASE("enumerations read and print the fab profile words", "[license]") {
    CHECK(parseOrganizationKind("for-profit") == OK::ForProfit);
    CHECK(parseOrganizationKind("worker-owned") == OK::Cooperative);
    CHECK(parseOrganizationKind("company") == std::nullopt);
    CHECK(parsePurpose("non-commercial") == P::NonCommercial);
    CHECK(parsePurpose("business") == std::nullopt);
    CHECK(toString(VK::ReciprocityRequired) == "reciprocity required");
    CHECK(toString(OK::Nonprofit) == "nonprofit");
}

TEST_CASE("explain says what an expression allows and requires", "[license]") {
    const std::string text = explain("cern-ohl-s-2.0");
    CHECK(text == "CERN-OHL-S-2.0\n"
                  "  CERN-OHL-S-2.0 (CERN Open Hardware Licence Version 2 - Strongly Reciprocal): Anyone may make, sell "
                  "and modify the hardware. Whoever distributes the design or products made from it must keep the "
                  "notices, publish the complete sources of the whole design, and license modifications and the whole "
                  "design under CERN-OHL-S.\n"
                  "  Commercial use: allowed for anyone.\n"
                  "  Modified versions: may be shared.\n"
                  "  Requires:\n"
                  "    - credit the authors and keep the licence notices (CERN-OHL-S-2.0)\n"
                  "    - share the whole adapted design under the same or a compatible licence (CERN-OHL-S-2.0)\n"
                  "    - publish the complete sources with the designs and products you distribute (CERN-OHL-S-2.0)\n"
                  "  OSHWA-compatible: yes.\n");

    const std::string ppl = explain("PPL OR CC0-1.0");
    CHECK_THAT(ppl, Catch::Matchers::StartsWith("PPL OR CC0-1.0\nYou may choose any one of 2 options:\nOption 1: PPL\n"));
    CHECK_THAT(ppl, Catch::Matchers::Contains(
                        "  Commercial use: conditioned on reciprocity. PPL: free for individuals, non-profits, "
                        "cooperatives and worker-owned enterprises and any non-commercial use."));
    CHECK_THAT(ppl, Catch::Matchers::Contains("Option 2: CC0-1.0\n"));
    CHECK_THAT(ppl, Catch::Matchers::Contains("  Requires: nothing.\n"));
    CHECK_THAT(ppl, Catch::Matchers::EndsWith("The option with the fewest conditions is CC0-1.0.\n"));

    const std::string nc = explain("CC-BY-NC-ND-4.0 AND MIT");
    CHECK_THAT(nc, Catch::Matchers::Contains("All of these licences apply together:\n"));
    CHECK_THAT(nc, Catch::Matchers::Contains("  Commercial use: not allowed, for anyone.\n"));
    CHECK_THAT(nc, Catch::Matchers::Contains("  Modified versions: may not be shared.\n"));
    CHECK_THAT(nc, Catch::Matchers::Contains("  OSHWA-compatible: no.\n"));

    CHECK_THAT(explain("LGPL-2.1-only WITH OCCT-exception-1.0"),
               Catch::Matchers::Contains("    with OCCT-exception-1.0 (Open CASCADE Exception v1.0): "));
    CHECK_THROWS_WITH(explain("CERN-OHL-S-2"),
                      "unknown licence id 'CERN-OHL-S-2' at column 1 (did you mean 'CERN-OHL-S-2.0'?)");
}

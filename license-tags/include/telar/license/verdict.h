#pragma once
// What may a fab do? Verdicts for an organisation, its contribution to the commons and its
// purpose, decided from the catalogue's attributes (see docs/licenses.md for the decision table),
// and plain-words explanations of expressions.

#include "telar/license/catalog.h"
#include "telar/license/compatibility.h"
#include "telar/license/expression.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::license {

// Who the fab is (DESIGN.md §6).
enum class OrganizationKind { Individual, Nonprofit, Cooperative, ForProfit };
// What the fab makes the thing for.
enum class Purpose { Personal, NonCommercial, Commercial };

// "individual", "nonprofit", "cooperative" (also accepts "worker-owned"), "for-profit" and back.
std::string_view toString(OrganizationKind kind);
std::optional<OrganizationKind> parseOrganizationKind(std::string_view text);
// "personal", "non-commercial", "commercial" and back.
std::string_view toString(Purpose purpose);
std::optional<Purpose> parsePurpose(std::string_view text);

// Who speaks for the commons under a reciprocity licence ([reciprocity] in telar.toml).
struct Steward {
    std::string name;
    std::string contact; // e.g. "mailto:stewards@example.org"
    std::string terms;   // e.g. a URL to the reciprocity terms
};

// The fab asking.
struct FabContext {
    OrganizationKind organization = OrganizationKind::Individual;
    bool contributesToCommons = false;
    Purpose purpose = Purpose::Personal;
    std::optional<Steward> steward;
};

// The four answers, from best to worst.
enum class VerdictKind { Free, FreeWithObligations, ReciprocityRequired, NotAllowed };
// "free", "free with obligations", "reciprocity required", "not allowed".
std::string_view toString(VerdictKind kind);

// The answer for one expression and one fab.
struct Verdict {
    VerdictKind kind = VerdictKind::Free;
    std::vector<Obligation> obligations; // of the chosen option (empty when NotAllowed)
    std::string reason;       // clause-level, in plain words
    std::string chosenOption; // for an OR: the most favourable option, normalised; otherwise the expression
    std::vector<std::string> options;  // every option considered, normalised
    std::optional<Steward> steward;    // whom to ask, when ReciprocityRequired and one is known
};

// Decides what the fab may do with material under the expression. For OR, every option is
// judged and the most favourable one is chosen (best verdict, then fewest obligations, then the
// first written). Throws LicenseError for an unknown id.
Verdict decideVerdict(const Expression& expression, const FabContext& fab, const Catalog& catalog);
// The same on expression text. Throws LicenseError on a syntax error or unknown id.
Verdict decideVerdict(std::string_view expression, const FabContext& fab, const Catalog& catalog);

// What an expression allows and requires, in plain words, several lines ending with '\n'.
// Throws LicenseError on a syntax error or unknown id.
std::string explain(std::string_view expression, const Catalog& catalog);
// The same against the built-in catalogue.
std::string explain(std::string_view expression);

} // namespace telar::license

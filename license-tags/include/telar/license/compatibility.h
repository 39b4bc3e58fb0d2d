#pragma once
// Licence compatibility as pure functions over expressions and the catalogue: may material under
// one licence go into a work under another, what a combination of licences obliges, whether the
// terms of a combination can be joined at all, and OSHWA compatibility.

#include "telar/license/catalog.h"
#include "telar/license/expression.h"

#include <string>
#include <string_view>
#include <vector>

namespace telar::license {

// A duty that comes with using or sharing licensed material.
enum class ObligationKind {
    Attribute,        // keep notices and credit the authors
    ShareAlikeFile,   // modified files stay under their licence
    ShareAlikeDesign, // the whole adapted design is shared under the licence
    PublishSources,   // distribute/publish the sources with products and designs
    NonCommercial,    // no commercial use
    NoDerivatives,    // no sharing of modified versions
    Reciprocity       // commercial use may need an agreement with the licensor/steward
};

// "attribute", "share alike (files)", "share alike (whole design)", "publish sources",
// "non-commercial only", "no modified versions", "reciprocity".
std::string_view toString(ObligationKind kind);

// One obligation and the licences it comes from.
struct Obligation {
    ObligationKind kind = ObligationKind::Attribute;
    std::vector<std::string> from; // canonical ids, in order of first appearance
    std::string text;              // plain words, e.g. "credit the authors and keep the notices (CC-BY-4.0)"
};

// Whether material under one licence may be included in a work under another.
struct InclusionResult {
    bool compatible = true;
    std::string reason;               // one readable sentence
    std::vector<std::string> effects; // what including it adds to the work, in plain words
    std::string materialOption;       // the option of the material's expression that was used
    std::string workOption;           // the option of the work's expression it was checked against
};

// What is known about how the material is used.
struct InclusionOptions {
    bool modified = true; // the material is adapted (geometry changed), not included verbatim
};

// Can material licensed `material` be included in a work licensed `work`? OR on the material side
// picks the option that fits; OR on the work side needs every option to honour the material (the
// work may be taken under any of them). Throws LicenseError for an unknown id.
InclusionResult checkInclusion(const Expression& material, const Expression& work, const Catalog& catalog,
                               InclusionOptions options = {});
// The same on expression texts. Throws LicenseError on a syntax error or unknown id.
InclusionResult checkInclusion(std::string_view material, std::string_view work, const Catalog& catalog,
                               InclusionOptions options = {});

// Two licences that cannot be joined in one part or design.
struct Conflict {
    std::string first;  // canonical id
    std::string second; // canonical id
    std::string reason;
};

// The effective terms of several expressions used together (a part's licences, the modules of
// a product).
struct Combination {
    std::vector<Obligation> obligations; // the union, each with the licences it comes from
    std::vector<Conflict> conflicts;     // pairs that cannot be joined
    std::vector<std::string> chosen;     // per input expression, the option used (normalised)
};

// Combines expressions: from each OR the option that joins without conflict and with the fewest
// obligations is chosen. Throws LicenseError for an unknown id.
Combination combine(const std::vector<Expression>& expressions, const Catalog& catalog);
// The same on expression texts. Throws LicenseError on a syntax error or unknown id.
Combination combine(const std::vector<std::string>& expressions, const Catalog& catalog);

// The obligations of one licence.
std::vector<Obligation> obligationsOf(const LicenseInfo& info);

// True when the expression can be used for OSHWA certification: some option consists only of
// OSHWA-compatible licences. Throws LicenseError for an unknown id.
bool oshwaCompatible(const Expression& expression, const Catalog& catalog);

// The catalogue entry a term stands for: deprecated ids resolved, "GPL-2.0+" as GPL-2.0-or-later.
// Throws LicenseError for an unknown id.
const LicenseInfo& resolveTerm(const LicenseTerm& term, const Catalog& catalog);

} // namespace telar::license

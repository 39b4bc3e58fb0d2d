#pragma once
// SPDX licence expressions: parsing (AND, OR, WITH, '+', parentheses, LicenseRef-/DocumentRef-),
// normalisation against the catalogue, and the one-line validity check manifests use.
//
// Grammar (SPDX 2.3 annex D), operators matched case-insensitively:
//   or-expr   := and-expr  { OR and-expr }
//   and-expr  := with-expr { AND with-expr }
//   with-expr := simple [ WITH exception-id ] | '(' or-expr ')'
//   simple    := license-id ['+'] | LicenseRef-x | DocumentRef-y:LicenseRef-x
// Precedence is WITH > AND > OR. Positions are 0-based byte offsets into the text.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::license {

class Catalog;

// One licence reference of an expression: an id, an optional '+' and an optional exception.
struct LicenseTerm {
    std::string id;             // as written (or canonical, after normalisation)
    bool orLater = false;       // written with a trailing '+'
    std::string exception;      // WITH exception id; empty when there is none
    int position = 0;           // 0-based offset of the id in the parsed text
    int exceptionPosition = -1; // 0-based offset of the exception id, -1 when there is none

    // "GPL-2.0-only WITH Classpath-exception-2.0", "Apache-2.0+".
    std::string toString() const;
    friend bool operator==(const LicenseTerm& a, const LicenseTerm& b) {
        return a.id == b.id && a.orLater == b.orLater && a.exception == b.exception;
    }
};

// A parsed expression: a single term, or two or more operands joined by AND or by OR.
// Chains of the same operator are flattened ("A AND (B AND C)" has three AND operands).
struct Expression {
    enum class Kind { Term, And, Or };

    Kind kind = Kind::Term;
    LicenseTerm term;                 // for Kind::Term
    std::vector<Expression> operands; // for Kind::And / Kind::Or

    // The canonical text: single spaces, upper-case operators, parentheses only where
    // precedence needs them.
    std::string toString() const;
    // Every term, left to right.
    std::vector<LicenseTerm> terms() const;
    // The alternatives a recipient may choose among (disjunctive normal form): each option is
    // the list of terms that all apply together. Throws LicenseError when the expression
    // would expand to more than 1024 options.
    std::vector<std::vector<LicenseTerm>> options() const;
};

// Parses an SPDX expression. Syntax only: ids need not be known. Throws LicenseError whose
// position() is the 0-based offset of the problem and whose message reads like
// "unexpected ')' at column 8".
Expression parseExpression(std::string_view text);

// Rewrites ids to their catalogue spelling, replaces deprecated ids (GPL-2.0 → GPL-2.0-only,
// GPL-3.0+ → GPL-3.0-or-later) and canonicalises exception ids. Unknown ids are kept as written.
Expression normalizeExpression(const Expression& expression, const Catalog& catalog);
// Parses and normalises in one step; throws LicenseError on a syntax error.
std::string normalizeExpression(std::string_view text, const Catalog& catalog);
// Same, against the built-in catalogue.
std::string normalizeExpression(std::string_view text);

// Finds the first unknown id or exception of an expression. nullopt when all are known
// (catalogue ids, or ids in extraIds such as a project's own LicenseRef-…, compared
// case-insensitively); otherwise a LicenseError carrying the message and position, e.g.
// "unknown licence id 'CERN-OHL-S-2' at column 1 (did you mean 'CERN-OHL-S-2.0'?)".
std::optional<std::string> findUnknownId(const Expression& expression, const Catalog& catalog,
                                         const std::vector<std::string>& extraIds, int* position = nullptr);

// Checks an expression the way manifests need it: nullopt when it parses and every id is known
// to the given catalogue or listed in extraIds; otherwise a one-line human message (syntax error
// or unknown id, with its 1-based column and a "did you mean" when one is close). Never throws.
std::optional<std::string> checkExpression(std::string_view expr, const Catalog& catalog,
                                           const std::vector<std::string>& extraIds = {});

// The same against the built-in catalogue (resources/licenses.toml compiled into the library).
std::optional<std::string> checkExpression(std::string_view expr, const std::vector<std::string>& extraIds = {});

} // namespace telar::license

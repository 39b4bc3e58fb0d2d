#pragma once
// Licences over a whole design (DESIGN.md §6): is the design consistent (every part licensed,
// imported geometry honoured, sub-modules that fit their parent), what each product obliges,
// what a given fab may do with each module of a product, and whom to credit. Pure functions over
// a loaded Design and the Tree it was read from; expected outcomes are return values.
// The format of findings, verdicts and notices is documented in docs/license-check.md.

#include "telar/core/design.h"
#include "telar/core/manifest.h"
#include "telar/core/tree.h"
#include "telar/license/catalog.h"
#include "telar/license/compatibility.h"
#include "telar/license/verdict.h"
#include "telar/progress.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::core {

struct FabProfile;

// The licence catalogue of a design: a copy of the built-in one plus the project's [[license]]
// declarations. Throws LicenseError naming the declaration ("telar.toml:12:1: license[1]: …")
// when one cannot be added (bad id, clash with a known id, invalid enumeration).
license::Catalog licenseCatalog(const ProjectManifest& project);

// One problem found by checkLicenses. `code` is stable for scripts:
//   no-licence          a part or assembly has no effective licence
//   invalid-licence     a licence expression or [[license]] declaration is invalid
//   origin-not-honoured imported geometry's origin licence is not honoured by its part/module
//   part-not-honoured   a part's (or assembly's) own licence cannot go into its module's
//   use-not-honoured    a module uses a sub-module whose licence its own licence cannot include
//   conflict            one expression joins licences whose terms cannot be combined
//   origin-incomplete   an origin misses the author or source its licence needs for attribution
struct LicenseFinding {
    Severity severity = Severity::Error;
    std::string code;
    std::string module; // module id; empty for project-level findings
    std::string part;   // part id, or the assembly's file; empty for module-level findings
    std::string file;   // repository-relative manifest ("wheels/module.toml")
    int line = 0;       // 1-based; 0 when unknown
    int column = 0;
    std::string field;   // dotted field path ("part[1].origin.license")
    std::string message; // the reason, in plain words
    std::string hint;    // what to do about it

    // "file:line:column: field: message", as Diagnostic::str().
    std::string str() const;
};

// What is known about one piece of imported geometry ([part.origin]).
struct OriginStatus {
    std::string module;
    std::string part;
    std::string file;    // the part's file, repository-relative; empty when none
    std::string license; // the origin licence
    std::string source;
    std::string author;
    std::string retrieved;
    std::string recordedSha256; // as written in the manifest; empty when none
    std::string actualSha256;   // of the file's current bytes; empty when it cannot be read
    // true: the file differs from the recorded original; false: identical; nullopt: unknown
    // (no sha256 recorded or file unreadable; inclusion is then judged as modified).
    std::optional<bool> modified;
};

// One obligation of a product with the licences and the modules it comes from.
struct ProductObligation {
    license::ObligationKind kind = license::ObligationKind::Attribute;
    std::string text;                  // plain words, from the licence library
    std::vector<std::string> licenses; // canonical ids, in order of first appearance
    std::vector<std::string> modules;  // module ids whose material carries those licences, sorted
};

// The effective terms of one product (a module and everything it uses).
struct ProductTerms {
    std::string product;
    std::vector<ProductObligation> obligations; // in the library's order of first appearance
};

// The result of checkLicenses.
struct LicenseReport {
    std::vector<LicenseFinding> findings; // sorted by file, line, column
    std::vector<OriginStatus> origins;    // by module id, then part order
    std::vector<ProductTerms> products;   // in the order of productsOf()

    // True when no finding is an Error.
    bool ok() const;
    std::size_t errors() const;
    std::size_t warnings() const;
};

// The products a command works on: the project's `products`, or, when it names none, the
// modules no other module uses (sorted).
std::vector<std::string> productsOf(const Design& design);

// Checks the licences of a design read from tree (design = loadDesign(tree, …)): every part and
// assembly has an effective licence; each origin licence is honoured by its part's licence
// (modified = false only when the file's SHA-256 equals the recorded one); each part's and
// assembly's own licence fits its module's; each module's licence can include every sub-module
// it uses (judged unmodified); no expression joins conflicting terms; and the obligations of each
// product with the modules they come from. Invalid licence expressions reported by loadDesign
// appear as `invalid-licence`. Never throws for bad content; throws telar::Cancelled when
// progress is cancelled, and what the Tree throws for infrastructure failures.
LicenseReport checkLicenses(const Design& design, const Tree& tree, const Progress& progress = {});

// The verdict for one module of a product: its own material (module licence, parts' and
// assemblies' licences, origin licences, all applying together) and rolled up through use.
struct ModuleVerdict {
    std::string module;
    std::string name;
    std::int64_t quantity = 1; // how many one product contains (ModuleGraph::rollUp)
    std::string license;       // the module's licence (its own, else the project's)
    std::string expression;    // everything judged, joined with AND, normalised
    license::Verdict verdict;  // obligations are those of the whole chosen option
    license::VerdictKind rolledUp = license::VerdictKind::Free; // worst of itself and what it uses
};

// The verdicts for one product. Modules are listed product first, then in topological order.
struct ProductVerdict {
    std::string product;
    license::VerdictKind overall = license::VerdictKind::Free; // the most restrictive module verdict
    std::vector<std::string> deciding; // modules whose verdict is `overall` (when not Free)
    std::vector<ModuleVerdict> modules;
};

// The fab asking, as the licence library needs it: organisation, contribution, purpose
// (purposeOverride wins over the profile's) and the steward from the project's [reciprocity].
// Throws UsageError when the profile's organisation or purpose is not one of the known words.
license::FabContext fabContext(const FabProfile& fab, const Design& design,
                               std::optional<license::Purpose> purposeOverride = std::nullopt);

// Decides what the fab may do with each module of each product (default: productsOf(design)).
// Throws UsageError for a product that is not a module of the design. Expressions that cannot be
// judged (invalid, unknown ids) make that module "not allowed" with the reason.
std::vector<ProductVerdict> decideVerdicts(const Design& design, const license::Catalog& catalog,
                                           const license::FabContext& fab,
                                           const std::vector<std::string>& products = {});

// One module's entry in an attribution notice.
struct NoticeModule {
    std::string module;
    std::string name;
    std::string version;
    std::string license;                    // the module's licence
    std::vector<std::string> otherLicenses; // "part-id: expr" for parts/assemblies licensed otherwise
};

// One piece of imported geometry to credit.
struct NoticeOrigin {
    std::string module;
    std::string part;
    std::string license;
    std::string author;
    std::string source;
    std::string retrieved;
    std::optional<bool> modified; // as OriginStatus::modified
};

// Whom to credit for one product: the project, its licensor, every module it contains with its
// licence, and every imported origin with its author and source.
struct AttributionNotice {
    std::string product;
    std::string project;               // project name
    std::string licensor;              // project licensor; may be empty
    std::vector<NoticeModule> modules; // product first, then topological order
    std::vector<NoticeOrigin> origins; // in module order
    std::vector<std::string> licenses; // every distinct expression, sorted

    // Plain text, lines of at most 80 columns where words allow, ending with '\n'.
    std::string text() const;
};

// The attribution notice of one product. Throws UsageError when product is not a module.
AttributionNotice attributionNotice(const Design& design, const Tree& tree, std::string_view product);

// The status of every [part.origin] of the design (reads the files through tree to compare
// their SHA-256 with the recorded one).
std::vector<OriginStatus> originStatuses(const Design& design, const Tree& tree);

} // namespace telar::core

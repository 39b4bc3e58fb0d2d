#pragma once
// Contribution accounting (DESIGN.md §7): each contributor's share per module and per product,
// from history (commits, size of geometry and manifest changes) plus a ledger of recorded
// non-code contributions (contributions.toml), under a configurable policy
// (resources/credit-policy.toml). Identities are merged through .mailmap. Shares of one module
// sum to exactly 100 %. Formats and the rounding rule: docs/credits.md.

#include "telar/core/design.h"
#include "telar/core/git.h"
#include "telar/core/history.h"
#include "telar/core/tree.h"
#include "telar/progress.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::core {

class Store;

// The weights that turn history and ledger entries into points.
struct CreditPolicy {
    std::string file; // where it was read from; "built-in" for the defaults
    // History: points per commit that changed a module, per KiB changed by file class.
    double perCommit = 10.0;
    double perCadKib = 1.0;
    double perManifestKib = 20.0;
    double perOtherKib = 2.0;
    double maxCommitPoints = 100.0; // cap per commit and module; 0 = none
    double coAuthorWeight = 1.0;    // a co-author's part of a commit, relative to the author's 1
    std::vector<std::string> cadExtensions{".step",  ".stp", ".iges", ".igs", ".stl", ".brep",
                                           ".fcstd", ".3mf", ".obj",  ".dxf", ".svg", ".scad"};
    std::vector<std::string> manifestFiles{"module.toml", "telar.toml"};
    std::vector<std::string> ignoredFiles{"contributions.toml", ".mailmap"};
    // Ledger: points per hour (or per unit of value when an entry gives value) by kind.
    std::map<std::string, double> perHour{{"design", 10.0},       {"testing", 8.0},
                                          {"documentation", 6.0}, {"fabrication-feedback", 8.0},
                                          {"funding", 0.0},       {"other", 5.0}};
    std::map<std::string, double> perValue{{"design", 0.0},        {"testing", 0.0},
                                           {"documentation", 0.0}, {"fabrication-feedback", 0.0},
                                           {"funding", 0.5},       {"other", 0.0}};
    double maxEntryPoints = 400.0; // cap per ledger entry; 0 = none
};

// The kinds a ledger entry may have.
const std::vector<std::string>& contributionKinds();

// Reads a policy file (format: docs/credits.md; every key optional, defaults as above).
// Throws ManifestError naming file, line and field for a bad value or unknown key.
CreditPolicy loadCreditPolicy(const std::filesystem::path& file);
// Parses policy text; file names it in errors.
CreditPolicy parseCreditPolicy(std::string_view text, const std::string& file);
// resources/credit-policy.toml from the resource folder, or the built-in defaults when absent.
CreditPolicy defaultCreditPolicy();

// One recorded contribution ([[contribution]] in contributions.toml).
struct Contribution {
    std::string kind; // design | testing | documentation | fabrication-feedback | funding | other
    std::string who;
    std::string email;  // may be empty
    std::string date;   // ISO 8601
    std::string module; // empty: the project (every product)
    std::optional<double> hours;
    std::optional<double> value;
    std::string note;
    int line = 0; // in the file
};

// Parses contributions.toml. Throws ManifestError ("contributions.toml:7:1: contribution[2].kind:
// …") for unknown keys or kinds, a missing who/kind/date, neither or both of hours and value.
std::vector<Contribution> parseContributions(std::string_view text,
                                             const std::string& file = "contributions.toml");

// One contributor's line in a scope (a module, the project-level files, or a product).
struct CreditLine {
    std::string name; // canonical (after .mailmap)
    std::string email;
    std::size_t commits = 0; // commits authored or co-authored that count in this scope
    int64_t cadBytes = 0;    // changed bytes credited, by class (shared among co-authors)
    int64_t manifestBytes = 0;
    int64_t otherBytes = 0;
    double historyPoints = 0;
    double ledgerPoints = 0;
    std::size_t ledgerEntries = 0;
    double points = 0;        // historyPoints + ledgerPoints
    int shareBasisPoints = 0; // hundredths of a percent; a scope's lines sum to 10000

    double sharePercent() const { return shareBasisPoints / 100.0; }
};

// The credits of one scope.
struct ScopeCredits {
    std::string scope; // module id, "(project)" for files outside modules, or the product id
    bool product = false;
    double points = 0;             // total
    std::vector<CreditLine> lines; // by points, then name
};

// The whole report.
struct CreditsReport {
    std::string rev;
    std::string tip;
    CreditPolicy policy;
    IndexUpdate index;
    std::vector<ScopeCredits> modules;   // by module id, then "(project)"
    std::vector<ScopeCredits> products;  // in productsOf() order
    std::vector<std::string> unreadable; // commits whose sizes are unknown (missing blobs)
};

// What computeCredits reads.
struct CreditsOptions {
    std::string rev;    // history from here ("HEAD" when empty)
    std::string module; // only this module (and no products); empty: everything
    const Progress* progress = nullptr;
};

// Credits from the history reachable from rev plus the ledger in tree (contributions.toml), with
// modules from design (nullptr: the whole repository is one "(project)" scope). Throws
// UsageError for an unknown module, ManifestError for a bad ledger, GitError, StoreError.
CreditsReport computeCredits(const Repository& repo, Store& store, const Tree& tree, const Design* design,
                             const CreditPolicy& policy, const CreditsOptions& options = {});

// Rounds points to basis points that sum to exactly 10000 (largest remainder; ties go to more
// points, then to the earlier index). All zero gives all zero.
std::vector<int> shareBasisPoints(const std::vector<double>& points);

// The changed bytes a policy credits for one change: the new size when added, |new − old| but at
// least 1 when modified or renamed with changes, 0 for deletions, pure renames and unknown sizes.
int64_t creditedBytes(const FileChange& change);

} // namespace telar::core

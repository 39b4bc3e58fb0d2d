#pragma once
// Releases (DESIGN.md §9): a revision is tagged only after its gates pass — manifests valid,
// licences consistent, every CAD file analysable, BOM computable — with an annotated tag whose
// message holds a BOM summary and the BOM changes since the previous release. A failed gate
// creates nothing. Documented in docs/release.md.

#include "telar/core/bom.h"
#include "telar/core/catalog.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/git.h"
#include "telar/core/tree.h"
#include "telar/progress.h"

#include <optional>
#include <string>
#include <vector>

namespace telar::core {

// One gate: its id ("manifests", "licences", "cad", "bom"), whether it passed, and why not.
struct ReleaseGate {
    std::string id;
    std::string title;                // "manifests are valid"
    bool passed = true;
    std::vector<std::string> reasons; // one line each, e.g. "frame/module.toml:3:1: …"
};

// What checking a revision for release found.
struct ReleaseCheck {
    std::string rev;      // as asked
    std::string commitId; // 40 hex
    std::vector<ReleaseGate> gates; // manifests, licences, cad, bom — always all four
    Bom bom;                        // of the project's products
    std::optional<std::string> previousTag; // nearest tag on an ancestor of the commit
    std::string notes;    // BOM summary and changes since previousTag (the tag message body)

    // True when every gate passed.
    bool ok() const;
    // The first gate that failed, or nullptr.
    const ReleaseGate* firstFailure() const;
};

// Checks rev of repo against every gate and writes the release notes. Gates never throw for bad
// content: they fail with reasons. Throws GitError when rev names no commit,
// telar::Cancelled when cancelled, StoreError from the cache.
ReleaseCheck checkRelease(const Repository& repo, const std::string& rev, const Catalog& catalog,
                          GeometryCache& cache, const Progress& progress = {});

// The BOM summary and the changes between two BOMs, as the text of release notes (lines of
// plain text ending in '\n'). previous may be null (first release). Never throws.
std::string releaseNotes(const Bom& bom, const Bom* previous, const std::string& previousTag);

// The nearest tag (other than exclude) pointing at rev's commit or one of its ancestors, or
// nullopt. Throws GitError.
std::optional<std::string> previousReleaseTag(const Repository& repo, const std::string& rev,
                                              const std::string& exclude = {});

// Checks rev and, when every gate passes, creates the annotated tag `tag` at its commit with
// message = (message or "Release TAG") + blank line + notes. Returns the check either way; the
// tag exists only when result.ok(). Throws UsageError when tag exists already or is not a valid
// tag name, GitError, telar::Cancelled.
ReleaseCheck createRelease(Repository& repo, const std::string& tag, const std::string& rev,
                           const std::string& message, const Signature& tagger, const Catalog& catalog,
                           GeometryCache& cache, const Progress& progress = {});

} // namespace telar::core

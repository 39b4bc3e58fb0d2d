#pragma once
// The geometry cache (DESIGN.md §4, §11): analysis results of CAD files kept in the Store under
// the file's git blob id, the analyser version and the analysis options, so an unchanged file is
// analysed once per machine — whatever commit, branch, fork or clone it is read from. Misses are
// analysed together with cad::analyzeFiles (worker processes on every core). Failed analyses are
// cached too (the same bytes fail the same way) and are marked as such when served; analyses
// stopped by a timeout are not cached. A cache value that cannot be read back is analysed again.

#include "telar/cad/batch.h"
#include "telar/cad/types.h"
#include "telar/core/tree.h"
#include "telar/progress.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::core {

class Store;

// The measurement of one file of a tree.
struct GeometryOutcome {
    std::string path;   // repository-relative path, as asked
    std::string blobId; // git blob id (40 hex); empty when the file is missing
    std::optional<cad::AnalysisResult> result; // result.name is set to path
    std::string error;  // when there is no result: "path: reason" (missing file or failed analysis)
    bool fromCache = false;     // served from the store without analysing
    bool cachedFailure = false; // error is a failure recorded by an earlier analysis of this blob
    bool ok() const { return result.has_value(); }
};

// What the last analyze() call did (for progress messages, tests and benchmarks).
struct GeometryStats {
    int requested = 0; // paths asked for
    int cacheHits = 0; // distinct blobs served from the store (successes and cached failures)
    int analysed = 0;  // distinct blobs analysed now
    int missing = 0;   // paths that are not regular files in the tree
};

// Looks up and fills the geometry cache. Holds a non-owning pointer to the store, which must
// outlive it; with no store every request is analysed (nothing is cached). Not thread-safe:
// use one GeometryCache per thread (the Store itself may be shared).
class GeometryCache {
public:
    // The Store cache kind of the entries, and the counter bumped once per real analysis.
    static constexpr std::string_view kCacheKind = "geometry";
    static constexpr std::string_view kAnalysedCounter = "geometry.analysed";

    explicit GeometryCache(Store* store, cad::BatchOptions options = {});

    // Measures the files at paths (repository-relative) in tree. Outcomes are in the order of
    // paths; the same blob under several paths is analysed once. A missing file or a failed
    // analysis is reported in its outcome, never thrown. Throws telar::Cancelled when progress
    // is cancelled, StoreError when the store fails, and what the Tree throws (GitError).
    std::vector<GeometryOutcome> analyze(const Tree& tree, const std::vector<std::string>& paths,
                                         const Progress& progress = {});

    // The store key of a blob under this cache's options: "<blob>/a<version>/<optionsKey>".
    std::string cacheKey(std::string_view blobId) const;

    const GeometryStats& lastStats() const { return m_stats; }
    const cad::BatchOptions& options() const { return m_options; }

private:
    Store* m_store;
    cad::BatchOptions m_options;
    GeometryStats m_stats;
};

} // namespace telar::core

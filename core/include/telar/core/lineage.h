#pragma once
// Fork lineage (DESIGN.md §7): where a design came from. A fork records its upstream in
// telar.toml ([upstream] url + commit); when a fork is forked again the older ancestors are kept
// as [[lineage]] entries. This file reads that chain and relates it to the local history.

#include "telar/core/git.h"
#include "telar/core/manifest.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace telar::core {

// One ancestor of a fork. depth 1 is the direct upstream, 2 its upstream, and so on.
struct LineageLink {
    int depth = 1;
    std::string url;
    std::string commit;   // 40 hex, as recorded
    std::string forked;   // ISO date as recorded; may be empty
    std::string field;    // where it is recorded: "upstream" or "lineage[N]"
    bool present = false; // the recorded commit is in the local object database
    // Commits reachable from the revision and not from the recorded commit (the fork's own work
    // since), and the reverse; nullopt when the commit is not present locally.
    std::optional<std::size_t> ahead;
    std::optional<std::size_t> behind;
};

// The fork chain of project as seen from the commit tip (40 hex; empty: no counts): [upstream]
// first, then the [[lineage]] entries in order. Empty when the design is not a fork.
// Throws GitError when the repository cannot be read.
std::vector<LineageLink> lineageOf(const Repository& repo, const ProjectManifest& project,
                                   const std::string& tip);

} // namespace telar::core

#pragma once
// A whole design read through a Tree (working tree or any git revision): the project manifest,
// every module, the module graph, and every finding of the checks that span several files
// (files that must exist inside the repository, catalogue ids, `use` targets, cycles,
// products, licences).

#include "telar/core/catalog.h"
#include "telar/core/manifest.h"
#include "telar/core/tree.h"
#include "telar/progress.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace telar::core {

// One edge of the module graph: a module used quantity times.
struct ModuleUse {
    std::string module;
    std::int64_t quantity = 1;
};

// Which module uses which, with quantities. Built from parsed manifests; uses of unknown
// modules are left out (loadDesign reports them). Edges that close a cycle are kept in
// children() but ignored by topologicalOrder() and rollUp(), which therefore always finish.
class ModuleGraph {
public:
    ModuleGraph() = default;
    // Builds the graph of modules (keyed by id) and finds its cycles.
    static ModuleGraph build(const std::map<std::string, ModuleManifest>& modules);

    bool contains(std::string_view id) const;
    // The modules id uses, in manifest order; empty when it uses none or is unknown.
    const std::vector<ModuleUse>& children(std::string_view id) const;
    // The modules that use id, sorted.
    std::vector<std::string> parents(std::string_view id) const;
    // Modules no other module uses, sorted.
    std::vector<std::string> roots() const;
    // Every module, each before the modules it uses (ties broken by id).
    const std::vector<std::string>& topologicalOrder() const { return m_order; }
    // Each cycle as a closed path, e.g. {"a", "b", "a"}; found by a depth-first walk in id order.
    const std::vector<std::vector<std::string>>& cycles() const { return m_cycles; }
    // How many of each module one `root` contains, rolled up through use (root itself → 1;
    // modules root does not reach are absent). Empty when root is unknown. Saturates at
    // INT64_MAX instead of overflowing.
    std::map<std::string, std::int64_t> rollUp(std::string_view root) const;

private:
    std::map<std::string, std::vector<ModuleUse>, std::less<>> m_children;
    std::set<std::pair<std::string, std::string>> m_backEdges;
    std::vector<std::string> m_order;
    std::vector<std::vector<std::string>> m_cycles;
};

// A design as read from one tree. Plain data: copyable, owns everything it holds.
struct Design {
    std::string treeName;    // Tree::describe() of what was read
    std::string commitId;    // Tree::commitId(); empty for the working tree
    bool hasProject = false; // telar.toml was found and parsed (possibly with errors)
    ProjectManifest project;
    std::map<std::string, ModuleManifest> modules; // by module id
    ModuleGraph graph;
    std::vector<Diagnostic> diagnostics; // sorted by file and position

    // True when no diagnostic is an Error.
    bool ok() const { return !hasErrors(diagnostics); }
    // The module with this id, or nullptr.
    const ModuleManifest* module(std::string_view id) const;
    // The licence that applies: the part's own, else its module's, else the project's ("" when none).
    std::string effectiveLicense(const ModuleManifest& module, const Part& part) const;
    std::string effectiveLicense(const ModuleManifest& module, const Assembly& assembly) const;
    // The module's own licence, else the project's.
    std::string moduleLicense(const ModuleManifest& module) const;
};

// Reads and checks the design in tree: telar.toml (a missing one is an error telling to run
// `telar init`), every module.toml (module id = its folder; folders starting with '.' are
// skipped), then the checks across files. Bad content never throws: it becomes diagnostics.
// Throws only what the Tree throws for infrastructure failures (e.g. GitError) and
// telar::Cancelled when progress is cancelled.
Design loadDesign(const Tree& tree, const Catalog& catalog, const Progress& progress = {});

} // namespace telar::core

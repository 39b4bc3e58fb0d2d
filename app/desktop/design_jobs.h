#pragma once
// The work the desktop app does off the GUI thread, as plain functions over values: reading a
// design at a revision, and reading + tessellating one CAD file from that revision. Results are
// snapshots (shared, immutable) handed back to the GUI thread in one place (MainWindow).

#include "telar/cad/mesh.h"
#include "telar/cad/types.h"
#include "telar/core/bom.h"
#include "telar/core/design.h"
#include "telar/core/tree.h"
#include "telar/error.h"
#include "telar/progress.h"

#include <QString>

#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace telar::desktop {

// One entry of the revision picker. rev is what Repository::treeAt() takes; an empty rev means
// the working tree on disk.
struct RevisionEntry {
    enum class Kind { WorkingTree, Head, Branch, RemoteBranch, Tag };
    Kind kind = Kind::Head;
    std::string rev;
    QString label; // "Working tree", "HEAD (main)", "branch main", "remote branch origin/main", "tag v1.0"
};

// A design as read at one revision, with the tree it was read from (kept to read CAD files).
struct DesignSnapshot {
    std::filesystem::path repository;  // the working folder (the git folder for a bare repository)
    std::string rev;                   // as asked; empty = working tree
    std::string currentBranch;         // empty when HEAD is detached
    std::shared_ptr<const core::Design> design;
    std::shared_ptr<const core::Tree> tree;
    std::vector<RevisionEntry> revisions; // working tree, HEAD, current branch, tags (sorted)
};

// Opens the repository at dir (or the nearest one above it), reads the tree at rev (empty: the
// working tree, or HEAD for a bare repository) and loads the design with the default catalogue.
// Runs on a worker thread. Throws GitError (not a repository, unknown revision), telar::Error
// (catalogue) and telar::Cancelled.
DesignSnapshot loadDesignSnapshot(const std::filesystem::path& dir, const std::string& rev,
                                  const Progress& progress);

// One CAD file read from a tree: its analysis (geometry properties) and its tessellation.
struct GeometrySnapshot {
    std::string filePath; // repository-relative
    std::string blobId;
    cad::AnalysisResult analysis;
    cad::Mesh mesh;
};

// Reads filePath from tree, analyses and tessellates the whole file (every placed instance with
// its colour). Runs on a worker thread. Throws CadError (missing or unreadable file) and
// telar::Cancelled.
GeometrySnapshot loadGeometry(const std::shared_ptr<const core::Tree>& tree,
                              const std::string& filePath, const Progress& progress);

// The bill of materials of one module (with everything it uses) at a snapshot's revision.
struct BomSnapshot {
    std::string module;
    core::Bom bom;
    std::string note; // e.g. the geometry cache could not be opened (geometry analysed uncached)
};

// Computes the BOM of module with the default catalogue and the per-user geometry cache
// (Store::defaultPath(); TELAR_HOME overrides). Runs on a worker thread. Throws UsageError
// (unknown module), GitError and telar::Cancelled; a store that cannot be opened is noted and
// the geometry analysed without it.
BomSnapshot computeModuleBom(const std::shared_ptr<const core::Design>& design,
                             const std::shared_ptr<const core::Tree>& tree, const std::string& module,
                             const Progress& progress);

// The outcome of a job as the GUI thread receives it: a value, or the core's message.
template <class T>
struct JobResult {
    std::shared_ptr<const T> value;
    bool cancelled = false;
    QString error;
};

// Runs f() and turns what it throws into a JobResult (Cancelled → cancelled, every other
// exception → its message). Nothing is swallowed: the GUI shows every error.
template <class T, class F>
JobResult<T> runJob(F&& f) {
    JobResult<T> result;
    try {
        result.value = std::make_shared<const T>(f());
    } catch (const Cancelled&) {
        result.cancelled = true;
    } catch (const std::exception& e) {
        result.error = QString::fromStdString(e.what());
    }
    return result;
}

} // namespace telar::desktop

#pragma once
// The hardware-aware diff between two trees of a design (DESIGN.md §8): licence changes first,
// then project fields, modules added/removed/changed with their manifest fields, parts
// added/removed/changed, geometry per CAD file (volume, stock size, mass from the geometry
// cache) and, optionally, the cost of the products (for a fab profile). Both sides are read
// through Tree, so any two revisions or a revision and the working tree can be compared
// without a checkout. Output formats are documented in docs/diff-merge.md.

#include "telar/core/catalog.h"
#include "telar/core/fab_profile.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/tree.h"
#include "telar/progress.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace telar::core {

// What happened to a module or part.
enum class ChangeKind { Added, Removed, Changed };

// "added" | "removed" | "changed".
const char* changeKindName(ChangeKind kind);

// One manifest field, before → after, as a person reads it (strings without quotes, numbers in
// their shortest form, lists joined with ", "); an empty side means the field is absent.
// field is the TOML key path inside its record: "version", "unit_cost", "origin.license",
// "use[axes/x].quantity", "assembly[cad/gearbox.step].process", "upstream.url".
struct FieldChange {
    std::string field;
    std::string before;
    std::string after;
};

// One licence that changed. scope: project | module | part | origin | assembly.
// For module scope the module's effective licence is compared (its own, else the project's).
struct LicenceChange {
    std::string scope;
    std::string module; // empty for the project
    std::string part;   // part id (assembly file for scope assembly); empty otherwise
    std::string before; // "" when there was none (or the record was added)
    std::string after;  // "" when there is none (or the record was removed)
    std::string message; // one line, e.g. "module hopper: PPL → CERN-OHL-S-2.0"
};

// One part added, removed or changed (fields and/or its CAD file's bytes).
struct PartDiff {
    std::string module;
    std::string part;
    ChangeKind kind = ChangeKind::Changed;
    std::vector<FieldChange> fields; // for Changed; empty when only the geometry changed
    bool geometryChanged = false;    // the CAD file's blob differs (or the file was swapped)
};

// One module added, removed or changed.
struct ModuleDiff {
    std::string module;
    std::string name; // after (before when removed)
    ChangeKind kind = ChangeKind::Changed;
    std::vector<FieldChange> fields; // [module] fields, uses and assemblies
    std::vector<PartDiff> parts;     // in manifest order (after), removed parts last
};

// The geometry of one part's CAD file on both sides (one side empty for added/removed parts).
struct GeometryDiff {
    std::string module;
    std::string part;
    std::string pathBefore, pathAfter; // repository-relative CAD file
    std::string blobBefore, blobAfter;
    std::optional<double> volumeBefore, volumeAfter; // mm³ per piece
    std::optional<double> massBefore, massAfter;     // g per piece (volume × material density)
    std::optional<std::array<double, 3>> sizeBefore, sizeAfter; // oriented box, mm, sorted descending
    std::vector<std::string> errors; // analysis failures ("path: reason")
};

// The cost of the products on both sides, from their BOMs (known costs only).
struct CostDiff {
    std::string currency;
    std::string fab; // empty without a fab profile
    double before = 0;
    double after = 0;
    int unknownBefore = 0; // BOM lines without a cost
    int unknownAfter = 0;
};

// Everything that differs between two trees of a design.
struct DesignDiff {
    std::string from; // Tree::describe() of each side
    std::string to;
    std::vector<LicenceChange> licences; // always reported first
    std::vector<FieldChange> project;    // telar.toml fields ("project.license" is in licences too)
    std::vector<ModuleDiff> modules;     // by module id
    std::vector<GeometryDiff> geometry;  // by module, then part
    std::optional<CostDiff> cost;        // when computed

    // True when nothing differs (cost is not looked at).
    bool empty() const { return licences.empty() && project.empty() && modules.empty() && geometry.empty(); }
};

// What to compute besides the manifests.
struct DiffOptions {
    GeometryCache* cache = nullptr;  // not owned; without it no geometry and no cost
    const FabProfile* fab = nullptr; // not owned; prices the cost with this fab
    bool cost = true;                // compute the products' BOM cost on both sides (needs cache)
};

// Compares the design in before with the design in after. Manifests that do not parse are
// compared as far as they could be read. Throws telar::Cancelled when progress is cancelled,
// and what the trees and the cache throw (GitError, StoreError).
DesignDiff diffDesigns(const Tree& before, const Tree& after, const Catalog& catalog, const DiffOptions& options = {},
                       const Progress& progress = {});

// A report for a terminal, licences first, ending with a newline. Never throws.
std::string formatDiffText(const DesignDiff& diff);
// The diff as JSON ({"format": "telar-diff", "version": 1, …}), indented, ending with a
// newline; keys in a fixed order. Never throws.
std::string formatDiffJson(const DesignDiff& diff);

} // namespace telar::core

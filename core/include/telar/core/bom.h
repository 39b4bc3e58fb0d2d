#pragma once
// Bills of materials (DESIGN.md §5): for one module — or the project's products — of a Design
// read at any revision, every part rolled up through `use` quantities, with geometry from the
// geometry cache, `[[assembly]]` files expanded into one line per unique part (rules override
// process and material), mass, stock size, estimator details, costs, licence, and, with a fab
// profile, whether that fab can make each part. Problems (unknown material, failed analysis,
// file missing at that revision) are errors on their line and make ok() false; computing a BOM
// never stops at one bad part. Columns and models: docs/bom.md.

#include "telar/core/catalog.h"
#include "telar/core/design.h"
#include "telar/core/estimate.h"
#include "telar/core/fab_profile.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/tree.h"
#include "telar/progress.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace telar::core {

// One unique part of the BOM (flat view): one per (module, part id). Quantities are per product
// (all roots together); per-unit values are for one piece.
struct BomLine {
    std::string module;   // module id
    std::string partId;   // the [[part]] id, or for assembly parts a slug of the part name
    std::string name;
    std::string assembly; // repository-relative assembly file when the line comes from [[assembly]]
    std::int64_t moduleQuantity = 0; // pieces in one instance of the module
    std::int64_t quantity = 0;       // pieces per product (rolled up through use)
    std::string process;
    std::string estimator; // of the process: print | cut | machine | purchased | labour
    std::string material;
    std::optional<double> volume;               // mm³ per piece
    std::optional<double> area;                 // mm² per piece
    std::optional<double> mass;                 // g per piece: volume × material density
    std::optional<std::array<double, 3>> stockSize; // oriented box, mm, sorted descending
    std::optional<double> unitCost;             // in currency; nullopt when it cannot be known
    std::optional<double> lineCost;             // unitCost × quantity
    std::string currency;
    std::string supplier;
    std::string sku;
    std::string file;   // repository-relative CAD file (the assembly file for assembly parts)
    std::string blobId; // git blob id of file at the BOM's revision
    std::string license; // effective licence expression
    std::string fabStatus; // make | buy | outsource; empty without a fab profile
    std::string fabReason;
    std::string fabMachine;
    std::optional<Estimate> estimate; // when the process is known
    std::vector<std::string> errors;  // problems that make the BOM wrong
    std::vector<std::string> warnings;

    bool ok() const { return errors.empty(); }
};

// Sums over a set of lines. Costs and masses only count lines that know them.
struct BomTotals {
    int lines = 0;
    std::int64_t pieces = 0; // Σ quantity
    double mass = 0;         // g, Σ mass × quantity
    double cost = 0;         // Σ lineCost
    int unknownCost = 0;     // lines without a cost
    int errors = 0;          // lines with errors
};

// One module in the tree view: a use of a module along one path from a root.
struct BomNode {
    std::string module;
    std::string name;
    std::int64_t quantity = 1; // per parent module (the use quantity; 1 for a root)
    std::int64_t count = 1;    // instances per product along this path
    std::vector<std::size_t> lines; // indices into Bom::lines of this module's own parts
    std::vector<BomNode> children;  // modules it uses, in manifest order
    double unitCost = 0;  // one instance including its sub-modules (known costs only)
    double unitMass = 0;  // g, one instance including its sub-modules
};

// A computed BOM.
struct Bom {
    std::string treeName; // Tree::describe()
    std::string commitId; // empty for the working tree
    std::vector<std::string> roots;
    std::string currency = "USD";
    std::string fabName; // empty without a fab profile
    std::vector<BomLine> lines;  // flat: module order (roots first, each before what it uses), then part order
    std::vector<BomNode> tree;   // one node per root
    std::map<std::string, BomTotals> moduleTotals;  // by module id (per product quantities)
    std::map<std::string, BomTotals> processTotals; // by process id ("" when unknown)
    BomTotals total;
    std::vector<std::string> problems; // errors not tied to one line
    GeometryStats geometry;            // what the geometry cache did

    // True when no line has an error and there are no other problems.
    bool ok() const { return total.errors == 0 && problems.empty(); }
};

// What to compute.
struct BomOptions {
    std::vector<std::string> roots; // module ids; empty: the project's products
    const FabProfile* fab = nullptr; // not owned; must outlive the call
};

// Computes the BOM of design (read from tree) with catalog for materials and processes and cache
// for geometry. Throws UsageError when a root is not a module of the design (with a did-you-mean)
// or when there is no root at all, telar::Cancelled when progress is cancelled, StoreError and
// GitError from the cache and the tree. Everything else becomes line errors.
Bom computeBom(const Design& design, const Tree& tree, const Catalog& catalog, GeometryCache& cache,
               const BomOptions& options = {}, const Progress& progress = {});

// True when name matches glob pattern ('*' any run, '?' one character), ignoring ASCII case.
bool globMatch(std::string_view pattern, std::string_view name);

} // namespace telar::core

#pragma once
// The difference between two BOMs of a design (DESIGN.md §5): lines added and removed, and per
// line the changes of quantity, geometry (volume, stock size, CAD blob), mass and cost, with the
// totals of both sides. Lines are matched by module, part id and assembly file. Rendered as a
// terminal table, CSV, JSON and a markdown summary for release notes (docs/diff-merge.md).

#include "telar/core/bom.h"
#include "telar/core/diff.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace telar::core {

// One BOM line that differs. changes names what differs, in this order, from: "name",
// "quantity", "process", "material", "geometry" (the CAD blob), "volume", "size", "mass",
// "cost" (unit or line cost), "licence". Added and removed lines list nothing there.
struct BomLineDiff {
    std::string module;
    std::string partId;
    std::string assembly;
    std::string name; // after (before when removed)
    ChangeKind kind = ChangeKind::Changed;
    std::int64_t quantityBefore = 0, quantityAfter = 0; // per product; 0 on the missing side
    std::optional<double> volumeBefore, volumeAfter;    // mm³ per piece
    std::optional<double> massBefore, massAfter;        // g per piece
    std::optional<std::array<double, 3>> sizeBefore, sizeAfter;
    std::optional<double> unitCostBefore, unitCostAfter;
    std::optional<double> lineCostBefore, lineCostAfter;
    std::string blobBefore, blobAfter;
    std::vector<std::string> changes;
};

// Two BOMs compared. Lines are in the order of the after BOM, removed lines last.
struct BomDiff {
    std::string from; // Bom::treeName of each side
    std::string to;
    std::string currency; // of the after BOM
    std::string fab;      // fab name, empty without a profile
    std::vector<BomLineDiff> lines;
    BomTotals totalBefore;
    BomTotals totalAfter;

    bool empty() const { return lines.empty(); }
};

// Compares two BOMs (computed with the same options). Never throws.
BomDiff diffBoms(const Bom& before, const Bom& after);

// A table for a terminal: one row per changed line, then the totals. Never throws.
std::string formatBomDiffTable(const BomDiff& diff);
// CSV (RFC 4180, CRLF): Change,Module,Part,Name,Qty before,Qty after,Volume before (mm3),
// Volume after (mm3),Mass before (g),Mass after (g),Unit cost before,Unit cost after,
// Line cost before,Line cost after,Changes. Never throws.
std::string formatBomDiffCsv(const BomDiff& diff);
// JSON ({"format": "telar-bom-diff", "version": 1, …}), ending with a newline. Never throws.
std::string formatBomDiffJson(const BomDiff& diff);
// A markdown section for release notes: a table of changed lines and a totals sentence.
// Never throws.
std::string formatBomDiffMarkdown(const BomDiff& diff);

} // namespace telar::core

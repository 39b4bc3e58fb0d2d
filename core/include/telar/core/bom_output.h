#pragma once
// Rendering a Bom: a terminal table, CSV (RFC 4180, UTF-8, one header row, explicit Qty column)
// and JSON (stable key order; documented in docs/bom.md and docs/schema/bom.schema.json).

#include "telar/core/bom.h"

#include <string>
#include <vector>

namespace telar::core {

// Flat: one row per unique part with per-product quantities. Tree: modules with their parts and
// sub-modules, indented, quantities per parent.
enum class BomView { Flat, Tree };

// The CSV header of the flat view, in column order (the tree view adds "Level" in front).
const std::vector<std::string>& bomCsvColumns();

// A table for a terminal: lines, problems, totals per process and overall. Never throws.
std::string formatBomTable(const Bom& bom, BomView view);

// CSV text with CRLF line ends (RFC 4180); fields with a comma, quote or line break are
// quoted. Flat view: one row per line. Tree view: a row per module use (Part empty) followed by
// its part rows, "Level" giving the depth. Never throws.
std::string formatBomCsv(const Bom& bom, BomView view);

// The whole BOM as JSON (both views, totals and problems), indented, ending in a newline.
// Keys are in a fixed order; numbers are full precision. Never throws.
std::string formatBomJson(const Bom& bom);

// RFC 4180 quoting of one field: as is, or in double quotes with quotes doubled.
std::string csvField(std::string_view text);

} // namespace telar::core

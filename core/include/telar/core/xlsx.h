#pragma once
// A BOM as an Excel workbook (.xlsx, written with libxlsxwriter): a "BOM" sheet with one row per
// unique part (numbers as numbers, a header row, frozen), a "Totals" sheet per process and overall,
// and a "Problems" sheet when there are any. The same BOM and timestamp give the same bytes.

#include "telar/core/bom.h"

#include <cstdint>
#include <string>
#include <vector>

namespace telar::core {

// The column headers of the "BOM" sheet, in order.
const std::vector<std::string>& bomXlsxColumns();

// The workbook's bytes. created (unix seconds; 0 = 1980-01-01) is the document's creation time, so
// the output is reproducible. Throws telar::Error when libxlsxwriter fails (e.g. no temp space).
std::string formatBomXlsx(const Bom& bom, std::int64_t created = 0);

} // namespace telar::core

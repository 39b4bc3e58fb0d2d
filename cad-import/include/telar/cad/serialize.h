#pragma once
// Compact JSON form of an AnalysisResult, for the geometry cache (SQLite, keyed by git blob id,
// kAnalyserVersion and optionsKey()) and for the worker-process protocol. Doubles round-trip
// exactly: fromJson(toJson(r)) == r.

#include "telar/cad/types.h"

#include <string>
#include <string_view>

namespace telar::cad {

// One line of JSON (no newline inside). Never throws for a valid result.
std::string toJson(const AnalysisResult& result);

// Parses what toJson wrote. Throws telar::CadError{"<cache>", reason} when the text is not valid
// JSON, misses fields, or was written by another analyser version (callers then re-analyse).
AnalysisResult fromJson(std::string_view json);

} // namespace telar::cad

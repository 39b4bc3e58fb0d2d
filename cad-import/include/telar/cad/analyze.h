#pragma once
// Reading and measuring one CAD file: STEP (AP203/214/242), IGES, BREP, STL (ASCII or binary) and 3MF.
// The format is detected from the bytes; units are converted to millimetres from what the file
// declares. Safe to call from several threads: the OpenCASCADE read/transfer step is serialised
// behind one process-wide lock, measuring runs in parallel (see docs/cad.md).

#include "telar/cad/types.h"
#include "telar/progress.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace telar::cad {

// Detects the format of bytes from their content; the extension of name only breaks ties
// (e.g. an empty solid "solid" header). Never throws.
Format detectFormat(std::string_view bytes, std::string_view name = {});

// Analyses a CAD file held in memory (e.g. a git blob). displayName names the file in errors and
// in the result. The bytes are only read during the call.
// Throws telar::CadError{displayName, reason} for unreadable, empty, truncated, unsupported or
// hostile input, and telar::Cancelled when progress is cancelled.
AnalysisResult analyzeBytes(std::string_view bytes, const std::string& displayName,
                            const AnalyzeOptions& options = {}, const Progress& progress = {});

// Same for a file on disk; displayName defaults to the path.
// Throws telar::CadError (also when the file cannot be opened) and telar::Cancelled.
AnalysisResult analyzeFile(const std::filesystem::path& path, const std::string& displayName = {},
                           const AnalyzeOptions& options = {}, const Progress& progress = {});

// The display name of a part without the instance suffixes CAD systems add:
// "M2x6 SHCS:2" → "M2x6 SHCS", "adxl_screw_spacer:1 (2)" → "adxl_screw_spacer",
// "Bolt (3)" → "Bolt", "nut_8" stays "nut_8". Never returns an empty string for a non-empty name.
std::string cleanPartName(std::string_view rawName);

} // namespace telar::cad

#pragma once
// Plausibility and unit warnings, shared by the STL path and the OCCT engine.

#include "telar/cad/types.h"

namespace telar::cad::detail {

// Warns when the overall size is implausibly large or small for the declared unit.
void addSizeWarnings(AnalysisResult& result, const AnalyzeOptions& options);

} // namespace telar::cad::detail

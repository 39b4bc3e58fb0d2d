#pragma once
// Loading STEP/IGES/BREP bytes into an XCAF document (product structure, names, colours,
// materials) with lengths in millimetres. Serialised behind readerMutex().

#include "telar/cad/types.h"
#include "telar/progress.h"

#include <TDocStd_Document.hxx>

#include <string>
#include <string_view>
#include <vector>

namespace telar::cad::detail {

struct LoadedDocument {
    Handle(TDocStd_Document) doc;
    std::vector<std::string> lengthUnits; // as declared by the file, distinct, in order
    double unitToMm = 1.0;                // of lengthUnits.front(); 1 when undeclared
};

// Checks a STEP text before OCCT sees it: the trailer is present (not truncated) and the
// NEXT_ASSEMBLY_USAGE_OCCURRENCE graph has no cycle and is at most maxDepth deep.
// Throws CadError{name, reason}.
void prescanStep(std::string_view bytes, const std::string& name, int maxDepth);

// Reads bytes of the given format (Step, Iges or Brep) into a new XCAF document.
// Throws CadError{name, reason} and Cancelled.
LoadedDocument loadDocument(std::string_view bytes, Format format, const std::string& name,
                            const AnalyzeOptions& options, const Progress& progress);

// mm per declared unit name ("INCH" → 25.4), 0 when the name is unknown.
double unitFactorToMm(const std::string& unitName);

} // namespace telar::cad::detail

#pragma once
// Turns an XCAF document into an AnalysisResult: expands the product structure, measures each
// part definition once, groups definitions with the same geometry into unique parts.

#include "measure.h"
#include "occt_document.h"
#include "size_warnings.h"
#include "telar/cad/types.h"
#include "telar/progress.h"

#include <TDF_Label.hxx>
#include <TopLoc_Location.hxx>
#include <TopoDS_Shape.hxx>

#include <optional>
#include <string>
#include <vector>

namespace telar::cad::detail {

// A shape-holding product (not an assembly), measured once however often it is instanced.
struct Definition {
    TDF_Label label;
    TopoDS_Shape shape;
    NodeKind kind = NodeKind::Empty;
    std::string productName;
    std::optional<Rgb> colour;
    std::optional<double> density;
    std::optional<std::string> material;
    ShapeMeasures measures;
    int part = -1; // unique part it belongs to
};

// One placed occurrence of a definition in the tree.
struct Instance {
    int node = -1;
    int definition = -1;
    TopLoc_Location world;
};

struct DocumentAnalysis {
    AnalysisResult result;
    std::vector<Definition> definitions;
    std::vector<Instance> instances;  // of parts
    std::vector<Instance> nonSolids;  // placed non-solid geometry (edges, faces, …)
};

// Throws CadError{name, reason} (too deep, no geometry) and Cancelled.
DocumentAnalysis analyzeDocument(const LoadedDocument& loaded, Format format, const std::string& name,
                                 const AnalyzeOptions& options, const Progress& progress);

} // namespace telar::cad::detail

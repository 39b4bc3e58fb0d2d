#pragma once
// Our own 3MF reader: the zip package through libzip, its model parts through a small strict XML
// scanner (no DTD, bounded nesting and sizes). Reads meshes, components, build items with their
// transforms, the model unit, base-material and colour-group colours, and production-extension
// references to further model parts. No OpenCASCADE: meshes are measured like STL (src/stl.h).

#include "telar/cad/mesh.h"
#include "telar/cad/types.h"
#include "telar/progress.h"

#include <string>
#include <string_view>

namespace telar::cad::detail {

// Analyses a 3MF package: one unique part per distinct mesh (objects grouped by fingerprint),
// quantities from the build items and component references, the product tree, totals of the
// placed build, sizes in millimetres from the model's unit. Throws CadError{displayName, reason}
// for an unreadable package, a missing or malformed model part, dangling references, cycles,
// nesting deeper than options.maxAssemblyDepth, or input over the size limits; telar::Cancelled.
AnalysisResult analyze3mf(std::string_view bytes, const std::string& displayName,
                          const AnalyzeOptions& options, const Progress& progress);

// The triangles of a 3MF package: with part == kWholeFile one group per placed mesh instance (its
// object's name and colour, the part index of analyze3mf), else the unique part in its own
// coordinates. Throws what analyze3mf throws, and CadError for a part index out of range.
Mesh tessellate3mf(std::string_view bytes, const std::string& displayName, int part,
                   const Progress& progress);

} // namespace telar::cad::detail

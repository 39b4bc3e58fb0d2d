#pragma once
// A BOM as one self-contained HTML page (no external files, scripts or fonts): title, totals,
// a table of every unique part with an inline SVG thumbnail of its geometry, totals per process
// and problems. Thumbnails are flat-shaded isometric projections of the tessellated mesh.

#include "telar/cad/mesh.h"
#include "telar/core/bom.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/tree.h"
#include "telar/progress.h"

#include <cstddef>
#include <map>
#include <optional>
#include <string>

namespace telar::core {

// An inline <svg> element (size × size px) showing mesh from the isometric direction (1,1,1),
// triangles facing away culled, painted back to front and shaded by their normal. Coordinates
// are rounded to 0.1 px so the text is stable. An empty mesh gives an empty string. Never throws.
std::string meshThumbnailSvg(const cad::Mesh& mesh, int size = 96);

// The mesh of bom.lines[index]: its file tessellated at deflection (mm), or for a line from an
// [[assembly]] the matching unique part of that assembly in its own coordinates. nullopt with
// error set when the line has no geometry file or it cannot be tessellated. Throws
// telar::Cancelled, StoreError and GitError only.
std::optional<cad::Mesh> bomLineMesh(const Bom& bom, std::size_t index, const Tree& tree, GeometryCache& cache,
                                     double deflection, std::string* error = nullptr);

// Thumbnails of the lines of bom that have geometry, keyed "module/partId" (coarse tessellation
// of each part's file at the BOM's revision; assembly parts are taken from their assembly).
// A file that cannot be tessellated gets no thumbnail. Throws telar::Cancelled when cancelled.
std::map<std::string, std::string> bomThumbnails(const Bom& bom, const Tree& tree, GeometryCache& cache,
                                                 const Progress& progress = {});

// The HTML page. thumbnails are keyed "module/partId" (see bomThumbnails); title heads the page
// (default: "Bill of materials — TREE"). All text is HTML-escaped. Never throws.
std::string formatBomHtml(const Bom& bom, const std::map<std::string, std::string>& thumbnails = {},
                          const std::string& title = {});

} // namespace telar::core

#pragma once
// Our own STL reader (ASCII and binary) and mesh measurements: volume by the divergence theorem,
// area, boxes, watertightness. Faster and stricter than going through OCCT.

#include "telar/cad/types.h"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace telar::cad::detail {

// Triangles as read: 9 floats (three x,y,z vertices) per triangle, in file order.
struct TriangleSoup {
    std::vector<float> xyz;
    std::string solidName; // from an ASCII "solid NAME" line, else ""
    std::size_t triangleCount() const { return xyz.size() / 9; }
};

// Parses an ASCII or binary STL (format from detectFormat). Throws CadError{displayName, reason}
// for a lying triangle count, truncated or malformed text, or no triangles at all.
TriangleSoup parseStl(std::string_view bytes, Format format, const std::string& displayName);

struct MeshMeasures {
    double volume = 0.0; // signed sum; positive for outward-facing triangles
    double area = 0.0;
    Box3 bbox;
    Vec3 centroid;
    Vec3 orientedSize;        // sorted descending
    std::array<double, 3> moments{}; // sorted second moments of the surface about the centroid
    std::size_t triangles = 0;
    std::size_t degenerate = 0;  // triangles with two equal vertices (ignored for edges)
    std::size_t vertices = 0;    // distinct vertex positions
    std::size_t edges = 0;       // distinct undirected edges
    std::size_t openEdges = 0;   // used by one triangle only
    std::size_t nonManifoldEdges = 0; // used by more than two triangles
    std::size_t flippedEdges = 0;     // two triangles walking the edge the same way
    bool watertight() const { return openEdges == 0 && nonManifoldEdges == 0 && flippedEdges == 0; }
};

MeshMeasures measureSoup(const TriangleSoup& soup);

// Sets the geometry of part (volume, area, boxes, centroid, counts, closed/valid, fingerprint)
// from the measures of its mesh; the same for every mesh format (STL, 3MF).
void setMeshGeometry(PartInfo& part, const MeshMeasures& m);

} // namespace telar::cad::detail

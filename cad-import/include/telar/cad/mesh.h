#pragma once
// Triangle meshes for the 3D view and for export of printable parts (STL, 3MF).

#include "telar/cad/types.h"
#include "telar/progress.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::cad {

// A contiguous run of triangles belonging to one part instance (or one file for meshes).
struct MeshGroup {
    std::string name;          // raw instance name
    int part = -1;             // index in AnalysisResult::parts (same numbering), -1 if unknown
    std::optional<Rgb> colour;
    std::uint32_t firstIndex = 0; // into Mesh::indices
    std::uint32_t indexCount = 0; // a multiple of 3
};

// An indexed triangle mesh in mm. positions and normals hold x,y,z per vertex (same count);
// indices hold three vertex numbers per triangle, counter-clockwise seen from outside.
struct Mesh {
    std::vector<float> positions;
    std::vector<float> normals;
    std::vector<std::uint32_t> indices;
    std::vector<MeshGroup> groups;
    std::size_t vertexCount() const { return positions.size() / 3; }
    std::size_t triangleCount() const { return indices.size() / 3; }
};

// Selects what to tessellate: the whole placed file, or one unique part in its own coordinates.
inline constexpr int kWholeFile = -1;

// Tessellates a CAD file held in memory. part is an index into analyzeBytes(...).parts, or
// kWholeFile for every placed instance with its colour. deflection is the chordal deflection in mm
// (the angular deflection is 0.5 rad). STL input is returned as read.
// Throws telar::CadError (unreadable file, part index out of range) and telar::Cancelled.
Mesh tessellate(std::string_view bytes, const std::string& displayName, int part = kWholeFile,
                double deflection = 0.1, const Progress& progress = {});

// A binary STL (80-byte header, little endian) of every triangle of mesh. Never throws.
std::string writeStl(const Mesh& mesh, std::string_view solidName = "telar");

// A 3MF package (one object per mesh group, colours as base materials, vertices welded), as the
// bytes of an uncompressed zip with fixed timestamps: the same mesh gives the same bytes. Never throws.
std::string write3mf(const Mesh& mesh, std::string_view objectName = "telar");

} // namespace telar::cad

#pragma once
// Picking in the 3D view on the CPU, without OpenGL: the ray through a point of the viewport for
// an OrbitCamera, ray/triangle intersection, which instance (cad::MeshGroup) of a mesh a ray hits
// first, and what a picked instance stands for in the bill of materials. Plain functions over
// values, so the offscreen platform (which has no OpenGL) and the tests use exactly what a click
// in the view uses.

#include "orbit_camera.h"

#include "telar/cad/mesh.h"
#include "telar/cad/types.h"
#include "telar/core/bom.h"

#include <QPointF>
#include <QSize>
#include <QVector3D>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace telar::desktop {

// A half-line in world coordinates (mm). direction has unit length.
struct Ray {
    QVector3D origin;
    QVector3D direction;
};

// The ray from camera's eye through point, a position in a viewport of this size in widget
// coordinates (origin top left, y down; the centre of pixel (x, y) is (x + 0.5, y + 0.5)), as
// the view draws it with camera.projectionMatrix(width / height) * camera.viewMatrix().
Ray rayThrough(const OrbitCamera& camera, const QPointF& point, const QSize& viewport);

// Where the world point p appears in a viewport of this size (the inverse of rayThrough);
// nullopt when p is not in front of the camera.
std::optional<QPointF> projectToViewport(const OrbitCamera& camera, const QVector3D& p,
                                         const QSize& viewport);

// The distance along ray at which it crosses triangle (a, b, c), from either side; nullopt when it
// misses, runs parallel to it, or the triangle lies behind the origin or is degenerate.
std::optional<double> intersectTriangle(const Ray& ray, const QVector3D& a, const QVector3D& b,
                                        const QVector3D& c);

// The nearest triangle a ray hits.
struct PickHit {
    int instance = -1;        // index in Mesh::groups; -1 for triangles outside every group
    std::size_t triangle = 0; // index of the triangle (Mesh::indices / 3)
    double distance = 0;      // along the ray, mm
    QVector3D point;          // where it hits, world coordinates
};

// Finds the instance under a ray in one mesh. Keeps the mesh alive and a bounding box per
// instance, so a pick only tests the triangles of instances whose box the ray crosses.
class MeshPicker {
public:
    MeshPicker() = default;
    // Builds the per-instance boxes: one pass over the triangles.
    explicit MeshPicker(std::shared_ptr<const cad::Mesh> mesh);

    bool empty() const { return !m_mesh || m_mesh->indices.empty(); }
    // The nearest hit, or nullopt when the ray hits no triangle. Ties go to the lower triangle.
    std::optional<PickHit> pick(const Ray& ray) const;
    // The instance at point of a viewport seen by camera (-1 when it shows background).
    int instanceAt(const OrbitCamera& camera, const QPointF& point, const QSize& viewport) const;
    // A point of the viewport where instance is what instanceAt() finds (not hidden behind
    // another), trying the centres of its triangles, largest on screen first; nullopt when none
    // of them is visible.
    std::optional<QPointF> visiblePoint(const OrbitCamera& camera, const QSize& viewport, int instance) const;

private:
    struct Range {
        std::size_t first = 0; // first index into Mesh::indices
        std::size_t count = 0;
        int instance = -1;
        QVector3D min;
        QVector3D max;
    };
    std::shared_ptr<const cad::Mesh> m_mesh;
    std::vector<Range> m_ranges; // the groups, then the triangles no group covers
};

// The axis-aligned box of the triangles of instance (a mesh group); an empty box (min > max)
// when it has none.
cad::Box3 instanceBox(const cad::Mesh& mesh, int instance);

// The instances (mesh groups) that show unique part partIndex of the file's analysis.
std::vector<int> instancesOfPart(const cad::Mesh& mesh, int partIndex);

// The BOM line that unique part partIndex of the [[assembly]] file assemblyFile of module became.
// The core makes one line per unique part with a quantity, in the order of the file's parts,
// named by the part's name (its id is a slug of that name, made unique in the module; see
// docs/bom.md), so the line is found by module, assembly file and name — the n-th line of that
// name for the n-th part of that name. nullopt when the BOM has no such line (not computed for
// this module, or the assembly failed to analyse).
std::optional<std::size_t> bomLineOfAssemblyPart(const core::Bom& bom, const std::string& module,
                                                 const std::string& assemblyFile,
                                                 const cad::AnalysisResult& analysis, int partIndex);

// The inverse: the unique part of analysis (the file of line.assembly) that BOM line lineIndex
// stands for; nullopt for a line that does not come from an assembly or matches no part.
std::optional<int> assemblyPartOfBomLine(const core::Bom& bom, std::size_t lineIndex,
                                         const cad::AnalysisResult& analysis);

} // namespace telar::desktop

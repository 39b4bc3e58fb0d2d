#pragma once
// Geometric properties of one OCCT shape (a part definition) and the fingerprint that identifies
// its geometry independently of placement and names.

#include "telar/cad/types.h"

#include <TopLoc_Location.hxx>
#include <TopoDS_Shape.hxx>

#include <array>
#include <string>

namespace telar::cad::detail {

struct ShapeMeasures {
    double volume = 0.0; // absolute value
    bool inverted = false; // BRepGProp gave a negative volume (reversed solid)
    double area = 0.0;
    Box3 bbox;             // OCCT's enclosing box without its tolerance gap
    double boxGap = 0.0;   // largest tolerance OCCT would add on every side
    Vec3 orientedSize;
    Vec3 centroid;
    std::array<double, 3> moments{}; // principal moments of inertia about the centroid, sorted
    int solids = 0, shells = 0, closedShells = 0, faces = 0, edges = 0, vertices = 0;
    bool closed = false;
    bool valid = false;
    // Set by measureShape for finishPart: whether centroid and moments are finite, and the first two
    // principal axes of inertia.
    bool principalFinite = false;
    Vec3 axis1, axis2;
};

// Counts sub-shapes only (cheap): enough to decide whether a shape is a part.
void countTopology(const TopoDS_Shape& shape, ShapeMeasures& m);

// Measurement of a part definition: everything grouping needs (topology, volume, area, inertia,
// enclosing box). orientedSize and valid wait for finishPart. Throws Standard_Failure from OCCT
// (caller converts).
ShapeMeasures measureShape(const TopoDS_Shape& shape, const AnalyzeOptions& options);

// The per-unique-part work: stock size (orientedSize) and validity (BRepCheck). Run once per group of
// definitions with the same geometry, on its representative. Throws Standard_Failure.
void finishPart(const TopoDS_Shape& shape, ShapeMeasures& m, const AnalyzeOptions& options);

// OCCT's enclosing axis-aligned box of shape moved by location (BRepBndLib::Add), without the
// tolerance gap, which goes to gap.
Box3 placedBox(const TopoDS_Shape& shape, const TopLoc_Location& location, double& gap);

// box grown by gap on every side (what OCCT reports for a box with that gap).
Box3 enlarged(const Box3& box, double gap);

// "v=…;a=…;i=…,…,…;t=solids/faces/edges/vertices", rounded to 6 significant digits.
std::string fingerprintOf(const ShapeMeasures& m);

// Whether two measured shapes have the same geometry up to a rigid motion (within tolerance).
bool sameGeometry(const ShapeMeasures& a, const ShapeMeasures& b);

} // namespace telar::cad::detail

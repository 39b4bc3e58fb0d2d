#pragma once
// Volume and surface properties (mass, centre, inertia) of a shape in one pass over its faces.

#include <GProp_GProps.hxx>
#include <TopoDS_Shape.hxx>

namespace telar::cad::detail {

// What BRepGProp::VolumeProperties(shape, volume, OnlyClosed = true) and
// BRepGProp::SurfaceProperties(shape, surface) compute, in one pass: each face is integrated with
// OCCT's Gauss-Legendre scheme for volumes (a boundary integral over the face's pcurves, OCCT's
// integration orders), and every surface point evaluated for the volume (divergence theorem, about
// each closed shell's vertex average, as OCCT) also gives the area element (about the shape's
// vertex average). Volumes therefore equal BRepGProp's up to rounding; areas come from the volume's
// points instead of OCCT's separate surface orders and differ from BRepGProp's by the quadrature
// error, below 1e-5 relative on the real-data parts (and as close to an adaptive reference).
// The work per point is also smaller: non-periodic B-spline surfaces are evaluated line by line
// (the points across a face share their v), other B-splines always from GeomAdaptor's span cache
// (GeomAdaptor re-derives the basis functions for every point on a face's parameter bounds, where
// iso-line edges lie), and planes take two points across instead of OCCT's eight or more (exact
// for their polynomial integrands either way).
//
// Returns false, leaving the outputs unspecified, for shapes this does not cover: faces without
// a surface, faces with unbounded parameter ranges, edges without a pcurve. Callers then use
// BRepGProp. Throws Standard_Failure from OCCT.
bool integrateMassProperties(const TopoDS_Shape& shape, GProp_GProps& volume, GProp_GProps& surface);

} // namespace telar::cad::detail

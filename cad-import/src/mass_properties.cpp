#include "mass_properties.h"

#include <BRepGProp_Domain.hxx>
#include <BRepGProp_Face.hxx>
#include <BRep_Tool.hxx>
#include <GeomAdaptor_Surface.hxx>
#include <Geom_BSplineSurface.hxx>
#include <Geom_Surface.hxx>
#include <NCollection_IndexedDataMap.hxx>
#include <NCollection_Map.hxx>
#include <TColStd_Array2OfReal.hxx>
#include <TColgp_Array2OfPnt.hxx>
#include <TopExp_Explorer.hxx>
#include <TopTools_OrientedShapeMapHasher.hxx>
#include <TopoDS.hxx>
#include <TopoDS_Face.hxx>
#include <gp_Mat.hxx>
#include <gp_Pnt2d.hxx>
#include <gp_Trsf.hxx>
#include <gp_Vec2d.hxx>
#include <math.hxx>
#include <math_Vector.hxx>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <vector>

namespace telar::cad::detail {
namespace {

// Integrals of 1, x, y, z, x², y², z², xy, xz, yz over a volume or a surface, with x, y, z taken
// relative to a reference point.
struct Moments {
    double m = 0, x = 0, y = 0, z = 0, xx = 0, yy = 0, zz = 0, xy = 0, xz = 0, yz = 0;

    void add(const Moments& o, double factor) {
        m += o.m * factor;
        x += o.x * factor;
        y += o.y * factor;
        z += o.z * factor;
        xx += o.xx * factor;
        yy += o.yy * factor;
        zz += o.zz * factor;
        xy += o.xy * factor;
        xz += o.xz * factor;
        yz += o.yz * factor;
    }
};

// A GProp_GProps holding integrated moments about a reference point, so that GProp_GProps::Add
// combines it with others and PrincipalProperties works on it.
class IntegratedProps : public GProp_GProps {
public:
    IntegratedProps(const gp_Pnt& reference, const Moments& s) : GProp_GProps(reference) {
        dim = s.m;
        // g is the centre of mass relative to the reference point, inertia the tensor about it.
        if (std::abs(s.m) >= 1e-30)
            g.SetCoord(s.x / s.m, s.y / s.m, s.z / s.m);
        else
            g.SetCoord(0.0, 0.0, 0.0);
        inertia = gp_Mat(gp_XYZ(s.yy + s.zz, -s.xy, -s.xz), gp_XYZ(-s.xy, s.xx + s.zz, -s.yz),
                         gp_XYZ(-s.xz, -s.yz, s.xx + s.yy));
    }
};

// Gauss-Legendre points and weights on [-1, 1] for n points, computed once per thread.
struct GaussRule {
    std::vector<double> points, weights;
};

const GaussRule& gaussRule(int n) {
    thread_local std::vector<GaussRule> rules(static_cast<std::size_t>(math::GaussPointsMax()) + 1);
    GaussRule& rule = rules[static_cast<std::size_t>(n)];
    if (rule.points.empty()) {
        math_Vector p(1, n), w(1, n);
        math::GaussPoints(n, p);
        math::GaussWeights(n, w);
        for (int i = 1; i <= n; ++i) {
            rule.points.push_back(p(i));
            rule.weights.push_back(w(i));
        }
    }
    return rule;
}

// Point and first derivatives of a non-periodic B-spline surface, for points that come in lines of
// constant v (as the face integration asks for them): per line, the v basis functions are folded
// into one row of homogeneous control points and their v derivatives, so that each point on the
// line costs a degree-p curve evaluation in u. Basis functions by the Cox-de Boor recurrence.
class BSplineLineEvaluator {
public:
    static constexpr int kMaxDegree = 25; // Geom_BSplineSurface::MaxDegree()

    explicit BSplineLineEvaluator(const Geom_BSplineSurface& s)
        : m_p(s.UDegree()), m_q(s.VDegree()), m_nu(s.NbUPoles()), m_nv(s.NbVPoles()),
          m_rational(s.IsURational() || s.IsVRational()) {
        for (double k : s.UKnotSequence())
            m_uKnots.push_back(k);
        for (double k : s.VKnotSequence())
            m_vKnots.push_back(k);
        const TColgp_Array2OfPnt& poles = s.Poles();
        const TColStd_Array2OfReal* weights = s.Weights();
        m_poles.resize(static_cast<std::size_t>(4 * m_nu * m_nv));
        for (int i = 0; i < m_nu; ++i) {
            for (int j = 0; j < m_nv; ++j) {
                const gp_Pnt& p = poles(poles.LowerRow() + i, poles.LowerCol() + j);
                const double w = (m_rational && weights)
                                     ? (*weights)(weights->LowerRow() + i, weights->LowerCol() + j)
                                     : 1.0;
                double* h = &m_poles[static_cast<std::size_t>(4 * (i * m_nv + j))];
                h[0] = p.X() * w;
                h[1] = p.Y() * w;
                h[2] = p.Z() * w;
                h[3] = w;
            }
        }
        m_row.resize(static_cast<std::size_t>(4 * m_nu));
        m_rowV.resize(static_cast<std::size_t>(4 * m_nu));
    }

    // Whether the evaluator handles s: non-periodic, degrees up to kMaxDegree, consistent arrays.
    static bool supports(const Geom_BSplineSurface& s) {
        return !s.IsUPeriodic() && !s.IsVPeriodic() && s.UDegree() <= kMaxDegree &&
               s.VDegree() <= kMaxDegree && s.UKnotSequence().Length() == s.NbUPoles() + s.UDegree() + 1 &&
               s.VKnotSequence().Length() == s.NbVPoles() + s.VDegree() + 1;
    }

    void d1(double u, double v, gp_Pnt& p, gp_Vec& du, gp_Vec& dv) {
        if (!m_haveLine || v != m_lineV) setLine(v);
        const int su = span(m_uKnots, m_p, m_nu, u);
        double n[kMaxDegree + 1], dn[kMaxDegree + 1];
        basis(m_uKnots, su, m_p, u, n, dn);
        double a[4] = {0, 0, 0, 0}, au[4] = {0, 0, 0, 0}, av[4] = {0, 0, 0, 0};
        for (int k = 0; k <= m_p; ++k) {
            const std::size_t i = static_cast<std::size_t>(4 * (su - m_p + k));
            for (int c = 0; c < 4; ++c) {
                a[c] += n[k] * m_row[i + static_cast<std::size_t>(c)];
                au[c] += dn[k] * m_row[i + static_cast<std::size_t>(c)];
                av[c] += n[k] * m_rowV[i + static_cast<std::size_t>(c)];
            }
        }
        const double w = a[3];
        const gp_XYZ point(a[0] / w, a[1] / w, a[2] / w);
        p.SetXYZ(point);
        du.SetXYZ((gp_XYZ(au[0], au[1], au[2]) - point * au[3]) / w);
        dv.SetXYZ((gp_XYZ(av[0], av[1], av[2]) - point * av[3]) / w);
    }

private:
    // The knot span [knots[s], knots[s+1]) holding t, s in [degree, nPoles - 1] (0-based flat knots);
    // parameters beyond the ends use the end spans.
    static int span(const std::vector<double>& knots, int degree, int nPoles, double t) {
        const auto first = knots.begin() + degree + 1, last = knots.begin() + nPoles;
        const int s = static_cast<int>(std::upper_bound(first, last, t) - knots.begin()) - 1;
        return std::clamp(s, degree, nPoles - 1);
    }

    // The degree+1 basis functions that are non-zero on span s at t, and their derivatives.
    static void basis(const std::vector<double>& knots, int s, int degree, double t, double* n, double* dn) {
        double left[kMaxDegree + 1], right[kMaxDegree + 1], lower[kMaxDegree + 1];
        n[0] = 1.0;
        for (int j = 1; j <= degree; ++j) {
            if (j == degree)
                for (int r = 0; r < degree; ++r)
                    lower[r] = n[r]; // degree - 1 functions
            left[j] = t - knots[static_cast<std::size_t>(s + 1 - j)];
            right[j] = knots[static_cast<std::size_t>(s + j)] - t;
            double saved = 0.0;
            for (int r = 0; r < j; ++r) {
                const double temp = n[r] / (right[r + 1] + left[j - r]);
                n[r] = saved + right[r + 1] * temp;
                saved = left[j - r] * temp;
            }
            n[j] = saved;
        }
        if (degree == 0) {
            dn[0] = 0.0;
            return;
        }
        // N'(i,p) = p/(U[i+p]-U[i]) N(i,p-1) - p/(U[i+p+1]-U[i+1]) N(i+1,p-1), with i = s - p + k.
        for (int k = 0; k <= degree; ++k) {
            double d = 0.0;
            if (k > 0) {
                const double h =
                    knots[static_cast<std::size_t>(s + k)] - knots[static_cast<std::size_t>(s - degree + k)];
                if (h > 0.0) d += lower[k - 1] / h;
            }
            if (k < degree) {
                const double h = knots[static_cast<std::size_t>(s + k + 1)] -
                                 knots[static_cast<std::size_t>(s - degree + k + 1)];
                if (h > 0.0) d -= lower[k] / h;
            }
            dn[k] = degree * d;
        }
    }

    void setLine(double v) {
        const int sv = span(m_vKnots, m_q, m_nv, v);
        double n[kMaxDegree + 1], dn[kMaxDegree + 1];
        basis(m_vKnots, sv, m_q, v, n, dn);
        for (int i = 0; i < m_nu; ++i) {
            double r[4] = {0, 0, 0, 0}, rv[4] = {0, 0, 0, 0};
            for (int k = 0; k <= m_q; ++k) {
                const double* h = &m_poles[static_cast<std::size_t>(4 * (i * m_nv + sv - m_q + k))];
                for (int c = 0; c < 4; ++c) {
                    r[c] += n[k] * h[c];
                    rv[c] += dn[k] * h[c];
                }
            }
            for (int c = 0; c < 4; ++c) {
                m_row[static_cast<std::size_t>(4 * i + c)] = r[c];
                m_rowV[static_cast<std::size_t>(4 * i + c)] = rv[c];
            }
        }
        m_lineV = v;
        m_haveLine = true;
    }

    int m_p, m_q, m_nu, m_nv;
    bool m_rational;
    std::vector<double> m_uKnots, m_vKnots;
    std::vector<double> m_poles; // homogeneous (x·w, y·w, z·w, w), u-major
    std::vector<double> m_row,
        m_rowV; // the current line: control points folded over v, and their v derivative
    double m_lineV = 0.0;
    bool m_haveLine = false;
};

// Evaluates a face's surface and adds weighted samples of the volume integrand (r·n, for the
// divergence theorem) and of the area element |n| to two sets of moments.
class FaceSampler {
public:
    FaceSampler(const TopoDS_Face& face, const gp_Pnt& volumeReference, const gp_Pnt& surfaceReference)
        : m_volumeReference(volumeReference), m_surfaceReference(surfaceReference) {
        TopLoc_Location location;
        const Handle(Geom_Surface)& surface = BRep_Tool::Surface(face, location);
        if (surface.IsNull()) return;
        m_surface.Load(surface);
        if (m_surface.GetType() == GeomAbs_BSplineSurface) {
            const Handle(Geom_BSplineSurface) bspline = m_surface.BSpline();
            if (!bspline.IsNull() && BSplineLineEvaluator::supports(*bspline)) {
                m_bspline = std::make_unique<BSplineLineEvaluator>(*bspline);
            } else {
                // With the adaptor's bounds beyond the surface's own, points on the parameter
                // boundary come from the span cache like all others (GeomAdaptor evaluates points
                // on its bounds without the cache).
                const double u1 = m_surface.FirstUParameter(), u2 = m_surface.LastUParameter();
                const double v1 = m_surface.FirstVParameter(), v2 = m_surface.LastVParameter();
                const double du = u2 - u1 + 1.0, dv = v2 - v1 + 1.0;
                m_surface.Load(surface, u1 - du, u2 + du, v1 - dv, v2 + dv);
            }
        }
        m_moved = !location.IsIdentity();
        if (m_moved) m_trsf = location.Transformation();
        m_reversed = face.Orientation() == TopAbs_REVERSED;
        m_valid = true;
    }

    bool valid() const { return m_valid; }
    bool isPlane() const { return m_valid && m_surface.GetType() == GeomAbs_Plane; }

    void sample(double u, double v, double weight, Moments& volume, Moments& surface) {
        gp_Pnt p;
        gp_Vec du, dv;
        if (m_bspline)
            m_bspline->d1(u, v, p, du, dv);
        else
            m_surface.D1(u, v, p, du, dv);
        if (m_moved) {
            p.Transform(m_trsf);
            du.Transform(m_trsf);
            dv.Transform(m_trsf);
        }
        gp_Vec n = du.Crossed(dv);
        if (m_reversed) n.Reverse();
        {
            // ∫ dV = 1/3 ∮ r·n dA, ∫ x dV = 1/4 ∮ x r·n dA, ∫ x² dV = 1/5 ∮ x² r·n dA (and alike).
            const double x = p.X() - m_volumeReference.X();
            const double y = p.Y() - m_volumeReference.Y();
            const double z = p.Z() - m_volumeReference.Z();
            const double d = (x * n.X() + y * n.Y() + z * n.Z()) * weight;
            volume.m += d / 3.0;
            const double d4 = 0.25 * d;
            volume.x += x * d4;
            volume.y += y * d4;
            volume.z += z * d4;
            const double d5 = 0.2 * d;
            volume.xx += x * x * d5;
            volume.yy += y * y * d5;
            volume.zz += z * z * d5;
            volume.xy += x * y * d5;
            volume.xz += x * z * d5;
            volume.yz += y * z * d5;
        }
        const double x = p.X() - m_surfaceReference.X();
        const double y = p.Y() - m_surfaceReference.Y();
        const double z = p.Z() - m_surfaceReference.Z();
        const double a = n.Magnitude() * weight;
        surface.m += a;
        surface.x += x * a;
        surface.y += y * a;
        surface.z += z * a;
        surface.xx += x * x * a;
        surface.yy += y * y * a;
        surface.zz += z * z * a;
        surface.xy += x * y * a;
        surface.xz += x * z * a;
        surface.yz += y * z * a;
    }

private:
    GeomAdaptor_Surface m_surface;
    std::unique_ptr<BSplineLineEvaluator> m_bspline;
    gp_Trsf m_trsf;
    gp_Pnt m_volumeReference, m_surfaceReference;
    bool m_moved = false, m_reversed = false, m_valid = false;
};

bool finiteBound(double v) {
    return std::isfinite(v) && std::abs(v) < 1e99;
}

// Adds one face's volume and surface moments. A face with wires is integrated over its boundary
// (Green's theorem): along each edge's pcurve with n Gauss points, and at each of them across u
// from the face's lowest u to the pcurve's, with n points again (two on planes). A face without
// wires covers its parameter rectangle. False when the face needs OCCT's own integration.
bool integrateFace(const TopoDS_Face& face, const gp_Pnt& volumeReference, const gp_Pnt& surfaceReference,
                   Moments& volume, Moments& surface) {
    const int maxPoints = math::GaussPointsMax();
    BRepGProp_Face gpFace;
    gpFace.Load(face);
    double u1, u2, v1, v2;
    gpFace.Bounds(u1, u2, v1, v2);
    if (!finiteBound(u1) || !finiteBound(u2) || !finiteBound(v1) || !finiteBound(v2)) return false;
    FaceSampler sampler(face, volumeReference, surfaceReference);
    if (!sampler.valid()) return false;
    const int uOrder = gpFace.UIntegrationOrder();
    const int vOrder = gpFace.VIntegrationOrder();

    if (face.NbChildren() == 0) {
        const GaussRule& ru = gaussRule(std::min(uOrder, maxPoints));
        const GaussRule& rv = gaussRule(std::min(vOrder, maxPoints));
        const double um = 0.5 * (u2 + u1), ur = 0.5 * (u2 - u1);
        const double vm = 0.5 * (v2 + v1), vr = 0.5 * (v2 - v1);
        Moments fv, fs;
        for (std::size_t j = 0; j < rv.points.size(); ++j) {
            const double v = vm + vr * rv.points[j];
            for (std::size_t i = 0; i < ru.points.size(); ++i)
                sampler.sample(um + ur * ru.points[i], v, ru.weights[i] * rv.weights[j], fv, fs);
        }
        volume.add(fv, ur * vr);
        surface.add(fs, ur * vr);
        return true;
    }

    // On a plane the point is linear in u and the normal constant, so every integrand across the
    // face (at most x²·(r·n)) is a polynomial of degree 3 or less in u: two Gauss points give the
    // integral exactly, as OCCT's eight or more do.
    const bool plane = sampler.isPlane();
    for (BRepGProp_Domain domain(face); domain.More(); domain.Next()) {
        if (!gpFace.Load(domain.Value())) return false;
        // OCCT's order for the volume, along the edge and across.
        const GaussRule& rule = gaussRule(std::min(std::max(gpFace.IntegrationOrder(), vOrder), maxPoints));
        const GaussRule& across = plane ? gaussRule(2) : rule;
        const double l1 = gpFace.FirstParameter(), l2 = gpFace.LastParameter();
        const double lm = 0.5 * (l2 + l1), lr = 0.5 * (l2 - l1);
        Moments ev, es;
        for (std::size_t i = 0; i < rule.points.size(); ++i) {
            gp_Pnt2d uv;
            gp_Vec2d tangent;
            gpFace.D12d(lm + lr * rule.points[i], uv, tangent);
            const double u = std::clamp(uv.X(), u1, u2);
            const double v = std::clamp(uv.Y(), v1, v2);
            const double dv = tangent.Y() * rule.weights[i];
            const double um = 0.5 * (u + u1), ur = 0.5 * (u - u1);
            Moments lv, ls;
            for (std::size_t j = 0; j < across.points.size(); ++j)
                sampler.sample(um + ur * across.points[j], v, dv * across.weights[j], lv, ls);
            ev.add(lv, ur);
            es.add(ls, ur);
        }
        volume.add(ev, lr);
        surface.add(es, lr);
    }
    return true;
}

gp_Pnt vertexAverage(const TopoDS_Shape& shape) {
    gp_XYZ sum(0.0, 0.0, 0.0);
    int n = 0;
    for (TopExp_Explorer it(shape, TopAbs_VERTEX); it.More(); it.Next(), ++n)
        sum += BRep_Tool::Pnt(TopoDS::Vertex(it.Current())).XYZ();
    return n > 0 ? gp_Pnt(sum / n) : gp_Pnt(0.0, 0.0, 0.0);
}

} // namespace

bool integrateMassProperties(const TopoDS_Shape& shape, GProp_GProps& volume, GProp_GProps& surface) {
    const gp_Pnt origin = gp_Pnt(0.0, 0.0, 0.0).Transformed(shape.Location().Transformation());
    volume = GProp_GProps(origin);
    surface = GProp_GProps(origin);

    // The volume counts the forward and reversed faces of closed shells, each shell about its own
    // vertex average; the surface counts every face, about the shape's vertex average. A face is
    // counted as often as the shape's explorers meet it.
    std::vector<gp_Pnt> shellReferences;
    NCollection_IndexedDataMap<TopoDS_Shape, std::vector<std::size_t>, TopTools_OrientedShapeMapHasher>
        shellsOfFace;
    for (TopExp_Explorer shells(shape, TopAbs_SHELL); shells.More(); shells.Next()) {
        if (!BRep_Tool::IsClosed(shells.Current())) continue;
        const std::size_t k = shellReferences.size();
        shellReferences.push_back(vertexAverage(shells.Current()));
        for (TopExp_Explorer faces(shells.Current(), TopAbs_FACE); faces.More(); faces.Next()) {
            const TopAbs_Orientation o = faces.Current().Orientation();
            if (o != TopAbs_FORWARD && o != TopAbs_REVERSED) continue;
            if (std::vector<std::size_t>* list = shellsOfFace.ChangeSeek(faces.Current()))
                list->push_back(k);
            else
                shellsOfFace.Add(faces.Current(), {k});
        }
    }
    const gp_Pnt surfaceReference = vertexAverage(shape);
    std::vector<Moments> shellMoments(shellReferences.size());
    Moments surfaceMoments;
    bool anyFace = false;
    NCollection_Map<TopoDS_Shape, TopTools_OrientedShapeMapHasher> volumeDone;
    for (TopExp_Explorer faces(shape, TopAbs_FACE); faces.More(); faces.Next()) {
        const TopoDS_Face& face = TopoDS::Face(faces.Current());
        const std::vector<std::size_t>* shells = shellsOfFace.Seek(face);
        // The first visit of a closed shell's face feeds the volume from the same samples.
        const bool countVolume = shells != nullptr && volumeDone.Add(face);
        const gp_Pnt& volumeReference = shells ? shellReferences[shells->front()] : surfaceReference;
        Moments fv, fs;
        if (!integrateFace(face, volumeReference, surfaceReference, fv, fs)) return false;
        surfaceMoments.add(fs, 1.0);
        anyFace = true;
        if (!countVolume) continue;
        shellMoments[shells->front()].add(fv, 1.0);
        // A face met again in the closed shells (shared by two shells, or twice in one) counts again.
        for (std::size_t k = 1; k < shells->size(); ++k) {
            const std::size_t shell = (*shells)[k];
            Moments again, unused;
            if (!integrateFace(face, shellReferences[shell], surfaceReference, again, unused)) return false;
            shellMoments[shell].add(again, 1.0);
        }
    }
    for (std::size_t k = 0; k < shellReferences.size(); ++k)
        volume.Add(IntegratedProps(shellReferences[k], shellMoments[k]));
    if (anyFace) surface.Add(IntegratedProps(surfaceReference, surfaceMoments));
    return true;
}

} // namespace telar::cad::detail

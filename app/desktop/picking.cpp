#include "picking.h"

#include <QtMath>

#include <algorithm>
#include <cmath>
#include <limits>

namespace telar::desktop {

namespace {

struct V3 {
    double x = 0, y = 0, z = 0;
};
V3 v3(const QVector3D& v) {
    return {v.x(), v.y(), v.z()};
}
V3 operator-(const V3& a, const V3& b) {
    return {a.x - b.x, a.y - b.y, a.z - b.z};
}
double dot(const V3& a, const V3& b) {
    return a.x * b.x + a.y * b.y + a.z * b.z;
}
V3 cross(const V3& a, const V3& b) {
    return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
double length(const V3& a) {
    return std::sqrt(dot(a, a));
}

double tanHalfFov(const OrbitCamera& camera) {
    return std::tan(qDegreesToRadians(double(camera.fieldOfView()) * 0.5));
}
double aspectOf(const QSize& viewport) {
    return viewport.height() > 0 && viewport.width() > 0
               ? double(viewport.width()) / double(viewport.height())
               : 1.0;
}

// Whether ray crosses the box [min, max] in front of its origin (slab test, boundaries included).
bool crossesBox(const Ray& ray, const QVector3D& min, const QVector3D& max) {
    double near = 0.0;
    double far = std::numeric_limits<double>::infinity();
    for (int k = 0; k < 3; ++k) {
        const double o = ray.origin[k];
        const double d = ray.direction[k];
        const double lo = min[k];
        const double hi = max[k];
        if (std::abs(d) < 1e-300) {
            if (o < lo || o > hi) return false;
            continue;
        }
        double t0 = (lo - o) / d;
        double t1 = (hi - o) / d;
        if (t0 > t1) std::swap(t0, t1);
        near = std::max(near, t0);
        far = std::min(far, t1);
        if (near > far) return false;
    }
    return true;
}

QVector3D vertex(const cad::Mesh& mesh, std::uint32_t v) {
    return QVector3D(mesh.positions[std::size_t(v) * 3], mesh.positions[std::size_t(v) * 3 + 1],
                     mesh.positions[std::size_t(v) * 3 + 2]);
}

} // namespace

Ray rayThrough(const OrbitCamera& camera, const QPointF& point, const QSize& viewport) {
    const double w = std::max(1, viewport.width());
    const double h = std::max(1, viewport.height());
    const double ndcX = 2.0 * point.x() / w - 1.0;
    const double ndcY = 1.0 - 2.0 * point.y() / h;
    const double t = tanHalfFov(camera);
    // In view space the eye is at the origin looking down -Z; the view matrix is
    // translate(0, 0, -distance) · rotate(rotation) · translate(-target).
    const QVector3D inViewSpace(float(ndcX * t * aspectOf(viewport)), float(ndcY * t), -1.0f);
    const QQuaternion inverse = camera.rotation().conjugated();
    Ray ray;
    ray.origin = camera.target() + inverse.rotatedVector(QVector3D(0, 0, camera.distance()));
    ray.direction = inverse.rotatedVector(inViewSpace).normalized();
    return ray;
}

std::optional<QPointF> projectToViewport(const OrbitCamera& camera, const QVector3D& p,
                                         const QSize& viewport) {
    const QVector3D v =
        camera.rotation().rotatedVector(p - camera.target()) - QVector3D(0, 0, camera.distance());
    if (v.z() >= 0.0f) return std::nullopt;
    const double t = tanHalfFov(camera);
    const double ndcX = double(v.x()) / (-double(v.z()) * t * aspectOf(viewport));
    const double ndcY = double(v.y()) / (-double(v.z()) * t);
    return QPointF((ndcX + 1.0) * 0.5 * viewport.width(), (1.0 - ndcY) * 0.5 * viewport.height());
}

std::optional<double> intersectTriangle(const Ray& ray, const QVector3D& a, const QVector3D& b,
                                        const QVector3D& c) {
    // Möller–Trumbore, in double precision.
    const V3 o = v3(ray.origin);
    const V3 d = v3(ray.direction);
    const V3 e1 = v3(b) - v3(a);
    const V3 e2 = v3(c) - v3(a);
    const V3 p = cross(d, e2);
    const double det = dot(e1, p);
    const double scale = length(e1) * length(e2) * length(d);
    if (scale == 0.0 || std::abs(det) <= 1e-12 * scale) return std::nullopt; // parallel or degenerate
    const double inv = 1.0 / det;
    const V3 s = o - v3(a);
    const double u = dot(s, p) * inv;
    if (u < 0.0 || u > 1.0) return std::nullopt;
    const V3 q = cross(s, e1);
    const double v = dot(d, q) * inv;
    if (v < 0.0 || u + v > 1.0) return std::nullopt;
    const double t = dot(e2, q) * inv;
    if (t <= 0.0) return std::nullopt;
    return t / length(d);
}

MeshPicker::MeshPicker(std::shared_ptr<const cad::Mesh> mesh) : m_mesh(std::move(mesh)) {
    if (!m_mesh) return;
    const cad::Mesh& m = *m_mesh;
    const std::size_t indexCount = m.indices.size() - m.indices.size() % 3;
    const std::size_t vertices = m.vertexCount();
    auto addRange = [&](std::size_t first, std::size_t count, int instance) {
        Range r;
        r.first = first;
        r.count = count;
        r.instance = instance;
        constexpr float inf = std::numeric_limits<float>::infinity();
        r.min = QVector3D(inf, inf, inf);
        r.max = QVector3D(-inf, -inf, -inf);
        for (std::size_t i = first; i < first + count; ++i) {
            if (m.indices[i] >= vertices) continue;
            const QVector3D p = vertex(m, m.indices[i]);
            for (int k = 0; k < 3; ++k) {
                r.min[k] = std::min(r.min[k], p[k]);
                r.max[k] = std::max(r.max[k], p[k]);
            }
        }
        if (r.count > 0) m_ranges.push_back(r);
    };
    // Triangles of the groups, then whatever no group covers (a mesh without groups).
    std::vector<bool> covered(indexCount / 3, false);
    for (std::size_t g = 0; g < m.groups.size(); ++g) {
        const std::size_t first =
            std::min<std::size_t>(m.groups[g].firstIndex - m.groups[g].firstIndex % 3, indexCount);
        const std::size_t end = std::min<std::size_t>(first + m.groups[g].indexCount, indexCount);
        const std::size_t count = (end - first) - (end - first) % 3;
        addRange(first, count, int(g));
        for (std::size_t t = first / 3; t < (first + count) / 3; ++t)
            covered[t] = true;
    }
    for (std::size_t t = 0; t < covered.size();) {
        if (covered[t]) {
            ++t;
            continue;
        }
        std::size_t end = t;
        while (end < covered.size() && !covered[end])
            ++end;
        addRange(t * 3, (end - t) * 3, -1);
        t = end;
    }
}

std::optional<PickHit> MeshPicker::pick(const Ray& ray) const {
    if (empty()) return std::nullopt;
    const cad::Mesh& m = *m_mesh;
    const std::size_t vertices = m.vertexCount();
    std::optional<PickHit> best;
    for (const Range& r : m_ranges) {
        if (!crossesBox(ray, r.min, r.max)) continue;
        for (std::size_t i = r.first; i + 3 <= r.first + r.count; i += 3) {
            const std::uint32_t a = m.indices[i];
            const std::uint32_t b = m.indices[i + 1];
            const std::uint32_t c = m.indices[i + 2];
            if (a >= vertices || b >= vertices || c >= vertices) continue;
            const auto t = intersectTriangle(ray, vertex(m, a), vertex(m, b), vertex(m, c));
            if (!t) continue;
            const std::size_t triangle = i / 3;
            if (best && (*t > best->distance || (*t == best->distance && triangle > best->triangle)))
                continue;
            best = PickHit{r.instance, triangle, *t, ray.origin + ray.direction * float(*t)};
        }
    }
    return best;
}

int MeshPicker::instanceAt(const OrbitCamera& camera, const QPointF& point, const QSize& viewport) const {
    const auto hit = pick(rayThrough(camera, point, viewport));
    return hit ? hit->instance : -1;
}

std::optional<QPointF> MeshPicker::visiblePoint(const OrbitCamera& camera, const QSize& viewport,
                                                int instance) const {
    if (empty() || instance < 0 || std::size_t(instance) >= m_mesh->groups.size()) return std::nullopt;
    const cad::Mesh& m = *m_mesh;
    const cad::MeshGroup& g = m.groups[std::size_t(instance)];
    const std::size_t end = std::min<std::size_t>(std::size_t(g.firstIndex) + g.indexCount, m.indices.size());
    struct Candidate {
        double area;
        QPointF point;
    };
    std::vector<Candidate> candidates;
    for (std::size_t i = g.firstIndex; i + 3 <= end; i += 3) {
        if (m.indices[i] >= m.vertexCount() || m.indices[i + 1] >= m.vertexCount() ||
            m.indices[i + 2] >= m.vertexCount())
            continue;
        const auto a = projectToViewport(camera, vertex(m, m.indices[i]), viewport);
        const auto b = projectToViewport(camera, vertex(m, m.indices[i + 1]), viewport);
        const auto c = projectToViewport(camera, vertex(m, m.indices[i + 2]), viewport);
        if (!a || !b || !c) continue;
        const QPointF centre = (*a + *b + *c) / 3.0;
        if (centre.x() < 0 || centre.y() < 0 || centre.x() >= viewport.width() ||
            centre.y() >= viewport.height())
            continue;
        const double area =
            std::abs((b->x() - a->x()) * (c->y() - a->y()) - (c->x() - a->x()) * (b->y() - a->y())) / 2;
        candidates.push_back({area, centre});
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& x, const Candidate& y) { return x.area > y.area; });
    int tries = 0;
    for (const Candidate& c : candidates) {
        if (c.area < 0.5 || ++tries > 64) break; // under a pixel is not reliably on screen
        if (instanceAt(camera, c.point, viewport) == instance) return c.point;
    }
    return std::nullopt;
}

cad::Box3 instanceBox(const cad::Mesh& mesh, int instance) {
    cad::Box3 box;
    if (instance < 0 || std::size_t(instance) >= mesh.groups.size()) return box;
    const cad::MeshGroup& g = mesh.groups[std::size_t(instance)];
    const std::size_t end =
        std::min<std::size_t>(std::size_t(g.firstIndex) + g.indexCount, mesh.indices.size());
    for (std::size_t i = g.firstIndex; i < end; ++i) {
        const std::size_t v = mesh.indices[i];
        if (v >= mesh.vertexCount()) continue;
        box.add(cad::Vec3{mesh.positions[v * 3], mesh.positions[v * 3 + 1], mesh.positions[v * 3 + 2]});
    }
    return box;
}

std::vector<int> instancesOfPart(const cad::Mesh& mesh, int partIndex) {
    std::vector<int> out;
    if (partIndex < 0) return out;
    for (std::size_t g = 0; g < mesh.groups.size(); ++g)
        if (mesh.groups[g].part == partIndex) out.push_back(int(g));
    return out;
}

std::optional<std::size_t> bomLineOfAssemblyPart(const core::Bom& bom, const std::string& module,
                                                 const std::string& assemblyFile,
                                                 const cad::AnalysisResult& analysis, int partIndex) {
    if (partIndex < 0 || std::size_t(partIndex) >= analysis.parts.size()) return std::nullopt;
    const cad::PartInfo& part = analysis.parts[std::size_t(partIndex)];
    if (part.quantity <= 0 || assemblyFile.empty()) return std::nullopt;
    int occurrence = 0; // earlier parts (that make lines) with the same name
    for (int p = 0; p < partIndex; ++p) {
        const cad::PartInfo& other = analysis.parts[std::size_t(p)];
        if (other.quantity > 0 && other.name == part.name) ++occurrence;
    }
    for (std::size_t i = 0; i < bom.lines.size(); ++i) {
        const core::BomLine& line = bom.lines[i];
        if (line.module != module || line.assembly != assemblyFile || line.name != part.name) continue;
        if (occurrence-- == 0) return i;
    }
    return std::nullopt;
}

std::optional<int> assemblyPartOfBomLine(const core::Bom& bom, std::size_t lineIndex,
                                         const cad::AnalysisResult& analysis) {
    if (lineIndex >= bom.lines.size()) return std::nullopt;
    const core::BomLine& line = bom.lines[lineIndex];
    if (line.assembly.empty()) return std::nullopt;
    int occurrence = 0; // earlier lines of the same module, assembly and name
    for (std::size_t i = 0; i < lineIndex; ++i) {
        const core::BomLine& other = bom.lines[i];
        if (other.module == line.module && other.assembly == line.assembly && other.name == line.name)
            ++occurrence;
    }
    for (std::size_t p = 0; p < analysis.parts.size(); ++p) {
        const cad::PartInfo& part = analysis.parts[p];
        if (part.quantity <= 0 || part.name != line.name) continue;
        if (occurrence-- == 0) return int(p);
    }
    return std::nullopt;
}

} // namespace telar::desktop

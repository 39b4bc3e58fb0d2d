#include "stl.h"

#include "linear_algebra.h"
#include "telar/error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <unordered_map>

namespace telar::cad::detail {
namespace {

std::uint32_t readU32(const char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4); // STL is little endian, as is every platform we build for
    return v;
}

TriangleSoup parseBinary(std::string_view bytes, const std::string& name) {
    if (bytes.size() < 84) throw CadError(name, "binary STL shorter than its 84-byte header");
    const std::uint64_t count = readU32(bytes.data() + 80);
    const std::uint64_t needed = 84 + 50 * count;
    if (needed != bytes.size()) {
        throw CadError(name, "binary STL declares " + std::to_string(count) + " triangles (" +
                                 std::to_string(needed) + " bytes) but the file has " +
                                 std::to_string(bytes.size()) + " bytes");
    }
    if (count == 0) throw CadError(name, "STL without triangles");
    TriangleSoup soup;
    soup.xyz.resize(count * 9);
    const char* p = bytes.data() + 84;
    for (std::uint64_t t = 0; t < count; ++t, p += 50) {
        std::memcpy(&soup.xyz[t * 9], p + 12, 36); // skip the stored normal, keep the 3 vertices
    }
    for (float f : soup.xyz) {
        if (!std::isfinite(f)) throw CadError(name, "binary STL holds a non-finite coordinate");
    }
    return soup;
}

// A forgiving tokenizer over ASCII STL: whitespace-separated words.
class Tokens {
public:
    explicit Tokens(std::string_view text) : m_text(text) {}
    bool next(std::string_view& token) {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos]))) ++m_pos;
        if (m_pos >= m_text.size()) return false;
        const std::size_t start = m_pos;
        while (m_pos < m_text.size() && !std::isspace(static_cast<unsigned char>(m_text[m_pos]))) ++m_pos;
        token = m_text.substr(start, m_pos - start);
        return true;
    }
    std::string_view restOfLine() {
        const std::size_t start = m_pos;
        while (m_pos < m_text.size() && m_text[m_pos] != '\n' && m_text[m_pos] != '\r') ++m_pos;
        return m_text.substr(start, m_pos - start);
    }
    std::size_t line() const { return static_cast<std::size_t>(std::count(m_text.begin(), m_text.begin() + static_cast<std::ptrdiff_t>(m_pos), '\n')) + 1; }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

TriangleSoup parseAscii(std::string_view bytes, const std::string& name) {
    TriangleSoup soup;
    Tokens tokens(bytes);
    std::string_view token;
    std::size_t facets = 0;
    std::size_t verticesInFacet = 0;
    bool sawEnd = false;
    bool first = true;
    while (tokens.next(token)) {
        if (first) {
            first = false;
            if (iequals(token, "solid")) {
                std::string_view rest = tokens.restOfLine();
                while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.front()))) rest.remove_prefix(1);
                while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.back()))) rest.remove_suffix(1);
                soup.solidName = std::string(rest);
                continue;
            }
        }
        if (iequals(token, "vertex")) {
            float v[3];
            for (float& c : v) {
                std::string_view number;
                if (!tokens.next(number)) throw CadError(name, "ASCII STL truncated inside a vertex");
                const auto* begin = number.data();
                const auto* end = number.data() + number.size();
                auto [ptr, ec] = std::from_chars(begin, end, c);
                if (ec != std::errc() || ptr != end || !std::isfinite(c)) {
                    throw CadError(name, "ASCII STL line " + std::to_string(tokens.line()) +
                                             ": bad vertex coordinate '" + std::string(number) + "'");
                }
            }
            soup.xyz.insert(soup.xyz.end(), v, v + 3);
            ++verticesInFacet;
        } else if (iequals(token, "facet")) {
            verticesInFacet = 0;
        } else if (iequals(token, "endfacet")) {
            if (verticesInFacet != 3) {
                throw CadError(name, "ASCII STL line " + std::to_string(tokens.line()) + ": facet with " +
                                         std::to_string(verticesInFacet) + " vertices");
            }
            ++facets;
        } else if (iequals(token, "endsolid")) {
            sawEnd = true;
            tokens.restOfLine();
        } else if (iequals(token, "solid")) {
            tokens.restOfLine(); // a further solid in the same file
            sawEnd = false;
        }
    }
    if (!sawEnd) throw CadError(name, "ASCII STL is truncated (no endsolid)");
    if (soup.xyz.size() != facets * 9) throw CadError(name, "ASCII STL has vertices outside facets");
    if (facets == 0) throw CadError(name, "STL without triangles");
    return soup;
}

struct Key {
    std::uint32_t x, y, z;
    bool operator==(const Key&) const = default;
};
struct KeyHash {
    std::size_t operator()(const Key& k) const {
        std::uint64_t h = k.x * 0x9E3779B97F4A7C15ull;
        h ^= (k.y + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2));
        h ^= (k.z + 0x85EBCA77C2B2AE63ull + (h << 6) + (h >> 2));
        return static_cast<std::size_t>(h);
    }
};

Key keyOf(const float* p) {
    Key k;
    float c[3] = {p[0] == 0.0f ? 0.0f : p[0], p[1] == 0.0f ? 0.0f : p[1], p[2] == 0.0f ? 0.0f : p[2]}; // -0 == +0
    std::memcpy(&k.x, &c[0], 4);
    std::memcpy(&k.y, &c[1], 4);
    std::memcpy(&k.z, &c[2], 4);
    return k;
}

} // namespace

TriangleSoup parseStl(std::string_view bytes, Format format, const std::string& displayName) {
    if (format == Format::StlBinary) return parseBinary(bytes, displayName);
    return parseAscii(bytes, displayName);
}

void setMeshGeometry(PartInfo& part, const MeshMeasures& m) {
    part.volume = std::abs(m.volume);
    part.area = m.area;
    part.bbox = m.bbox;
    part.orientedSize = m.orientedSize;
    part.centroid = m.centroid;
    part.solids = m.watertight() ? 1 : 0;
    part.shells = 1;
    part.faces = static_cast<int>(m.triangles);
    part.edges = static_cast<int>(m.edges);
    part.vertices = static_cast<int>(m.vertices);
    part.triangles = m.triangles;
    part.closed = m.watertight();
    part.valid = m.watertight() && m.volume > 0.0;
    char buffer[256];
    std::snprintf(buffer, sizeof buffer, "mesh:v=%.6g;a=%.6g;s=%.5g,%.5g,%.5g;t=%zu", part.volume, m.area,
                  m.moments[0], m.moments[1], m.moments[2], m.triangles);
    part.fingerprint = buffer;
}

MeshMeasures measureSoup(const TriangleSoup& soup) {
    MeshMeasures m;
    const std::size_t n = soup.triangleCount();
    m.triangles = n;
    // Weld identical positions, so that edges can be matched.
    std::unordered_map<Key, std::uint32_t, KeyHash> index;
    index.reserve(n * 2);
    std::vector<double> points; // x,y,z per distinct vertex
    std::vector<std::uint32_t> tri(n * 3);
    for (std::size_t i = 0; i < n * 3; ++i) {
        const float* p = &soup.xyz[i * 3];
        auto [it, inserted] = index.try_emplace(keyOf(p), static_cast<std::uint32_t>(points.size() / 3));
        if (inserted) points.insert(points.end(), {double(p[0]), double(p[1]), double(p[2])});
        tri[i] = it->second;
    }
    m.vertices = points.size() / 3;
    for (std::size_t v = 0; v < m.vertices; ++v) m.bbox.add(Vec3{points[v * 3], points[v * 3 + 1], points[v * 3 + 2]});

    // Divergence theorem relative to a reference point near the mesh (keeps precision far from 0).
    const Vec3 ref = {(m.bbox.min.x + m.bbox.max.x) / 2, (m.bbox.min.y + m.bbox.max.y) / 2,
                      (m.bbox.min.z + m.bbox.max.z) / 2};
    double vol6 = 0.0;
    double cx = 0.0, cy = 0.0, cz = 0.0;
    double area2 = 0.0;
    double sx = 0, sy = 0, sz = 0; // area-weighted centroid of the surface
    Mat3 second{};                  // surface second moments about ref
    std::unordered_map<std::uint64_t, int> directed;
    directed.reserve(n * 3);
    for (std::size_t t = 0; t < n; ++t) {
        const std::uint32_t ia = tri[t * 3], ib = tri[t * 3 + 1], ic = tri[t * 3 + 2];
        const double a[3] = {points[ia * 3] - ref.x, points[ia * 3 + 1] - ref.y, points[ia * 3 + 2] - ref.z};
        const double b[3] = {points[ib * 3] - ref.x, points[ib * 3 + 1] - ref.y, points[ib * 3 + 2] - ref.z};
        const double c[3] = {points[ic * 3] - ref.x, points[ic * 3 + 1] - ref.y, points[ic * 3 + 2] - ref.z};
        const double cr[3] = {(b[1] - a[1]) * (c[2] - a[2]) - (b[2] - a[2]) * (c[1] - a[1]),
                              (b[2] - a[2]) * (c[0] - a[0]) - (b[0] - a[0]) * (c[2] - a[2]),
                              (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])};
        const double v6 = a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) +
                          a[2] * (b[0] * c[1] - b[1] * c[0]);
        vol6 += v6;
        cx += v6 * (a[0] + b[0] + c[0]);
        cy += v6 * (a[1] + b[1] + c[1]);
        cz += v6 * (a[2] + b[2] + c[2]);
        const double dA2 = std::sqrt(cr[0] * cr[0] + cr[1] * cr[1] + cr[2] * cr[2]);
        area2 += dA2;
        const double s[3] = {a[0] + b[0] + c[0], a[1] + b[1] + c[1], a[2] + b[2] + c[2]};
        sx += dA2 * s[0];
        sy += dA2 * s[1];
        sz += dA2 * s[2];
        // ∫ x xᵀ dA over a triangle = A/12 · (Σ vᵢvᵢᵀ + s sᵀ)
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j)
                second[i][j] += dA2 / 24.0 * (a[i] * a[j] + b[i] * b[j] + c[i] * c[j] + s[i] * s[j]);

        if (ia == ib || ib == ic || ic == ia) {
            ++m.degenerate;
            continue;
        }
        const std::uint32_t v[3] = {ia, ib, ic};
        for (int e = 0; e < 3; ++e) {
            const std::uint64_t from = v[e], to = v[(e + 1) % 3];
            ++directed[(from << 32) | to];
        }
    }
    m.volume = vol6 / 6.0;
    m.area = area2 / 2.0;
    if (vol6 != 0.0) {
        m.centroid = {ref.x + cx / (4.0 * vol6), ref.y + cy / (4.0 * vol6), ref.z + cz / (4.0 * vol6)};
    } else if (area2 > 0.0) {
        m.centroid = {ref.x + sx / (3.0 * area2), ref.y + sy / (3.0 * area2), ref.z + sz / (3.0 * area2)};
    }
    for (const auto& [key, count] : directed) {
        const std::uint64_t from = key >> 32, to = key & 0xffffffffu;
        if (count > 1) m.flippedEdges += 1;
        if (from > to && directed.count((to << 32) | from)) continue; // counted from the other side
        const auto reverse = directed.find((to << 32) | from);
        const int total = count + (reverse == directed.end() ? 0 : reverse->second);
        ++m.edges;
        if (total == 1) ++m.openEdges;
        else if (total > 2) ++m.nonManifoldEdges;
    }

    // Principal axes of the surface give a PCA oriented box; keep the AABB when it is smaller.
    Mat3 cov{};
    if (area2 > 0.0) {
        const double area = area2 / 2.0;
        const double mean[3] = {sx / (3.0 * area2), sy / (3.0 * area2), sz / (3.0 * area2)};
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) cov[i][j] = second[i][j] / area - mean[i] * mean[j];
    }
    std::array<double, 3> values{};
    Mat3 axes{};
    symmetricEigen(cov, values, axes);
    double lo[3] = {1e300, 1e300, 1e300}, hi[3] = {-1e300, -1e300, -1e300};
    for (std::size_t v = 0; v < m.vertices; ++v) {
        for (int k = 0; k < 3; ++k) {
            const double d = points[v * 3] * axes[0][k] + points[v * 3 + 1] * axes[1][k] + points[v * 3 + 2] * axes[2][k];
            lo[k] = std::min(lo[k], d);
            hi[k] = std::max(hi[k], d);
        }
    }
    std::array<double, 3> obb = {hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]};
    const Vec3 s = m.bbox.size();
    std::array<double, 3> aabb = {s.x, s.y, s.z};
    if (aabb[0] * aabb[1] * aabb[2] <= obb[0] * obb[1] * obb[2] * (1 + 1e-9)) obb = aabb;
    std::sort(obb.begin(), obb.end(), std::greater<>());
    m.orientedSize = {obb[0], obb[1], obb[2]};
    std::sort(values.begin(), values.end());
    m.moments = values;
    return m;
}

} // namespace telar::cad::detail

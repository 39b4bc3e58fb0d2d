#pragma once
// Tiny STL files built in memory: an axis-aligned box (12 outward triangles), ASCII or binary.

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace telar::cad::test {

using Triangle = std::array<std::array<float, 3>, 3>;

// The 12 outward-facing triangles of the box [0,a]×[0,b]×[0,c].
inline std::vector<Triangle> boxTriangles(float a, float b, float c) {
    const std::array<std::array<float, 3>, 8> v = {{{0, 0, 0}, {a, 0, 0}, {a, b, 0}, {0, b, 0},
                                                    {0, 0, c}, {a, 0, c}, {a, b, c}, {0, b, c}}};
    const int faces[12][3] = {{0, 2, 1}, {0, 3, 2}, {4, 5, 6}, {4, 6, 7}, {0, 1, 5}, {0, 5, 4},
                              {1, 2, 6}, {1, 6, 5}, {2, 3, 7}, {2, 7, 6}, {3, 0, 4}, {3, 4, 7}};
    std::vector<Triangle> out;
    for (const auto& f : faces) out.push_back({v[f[0]], v[f[1]], v[f[2]]});
    return out;
}

inline std::string binaryStl(const std::vector<Triangle>& triangles, std::uint32_t declaredCount) {
    std::string out(80, ' ');
    out.replace(0, 12, "test fixture");
    out.append(reinterpret_cast<const char*>(&declaredCount), 4);
    for (const Triangle& t : triangles) {
        const float normal[3] = {0, 0, 0};
        out.append(reinterpret_cast<const char*>(normal), 12);
        for (const auto& p : t) out.append(reinterpret_cast<const char*>(p.data()), 12);
        out.append(2, '\0');
    }
    return out;
}

inline std::string binaryStl(const std::vector<Triangle>& triangles) {
    return binaryStl(triangles, static_cast<std::uint32_t>(triangles.size()));
}

inline std::string asciiStl(const std::vector<Triangle>& triangles, const std::string& name = "box") {
    std::string out = "solid " + name + "\n";
    for (const Triangle& t : triangles) {
        out += "  facet normal 0 0 0\n    outer loop\n";
        for (const auto& p : t)
            out += "      vertex " + std::to_string(p[0]) + " " + std::to_string(p[1]) + " " + std::to_string(p[2]) + "\n";
        out += "    endloop\n  endfacet\n";
    }
    return out + "endsolid " + name + "\n";
}

} // namespace telar::cad::test

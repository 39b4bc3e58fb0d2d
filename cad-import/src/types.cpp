#include "telar/cad/types.h"

#include <algorithm>
#include <cstdio>

namespace telar::cad {

std::string formatName(Format format) {
    switch (format) {
    case Format::Step: return "STEP";
    case Format::Iges: return "IGES";
    case Format::Brep: return "BREP";
    case Format::StlAscii: return "STL (ASCII)";
    case Format::StlBinary: return "STL (binary)";
    case Format::ThreeMf: return "3MF";
    case Format::Unknown: break;
    }
    return "unknown";
}

void Box3::add(const Vec3& p) {
    if (isEmpty()) {
        min = max = p;
        return;
    }
    min = {std::min(min.x, p.x), std::min(min.y, p.y), std::min(min.z, p.z)};
    max = {std::max(max.x, p.x), std::max(max.y, p.y), std::max(max.z, p.z)};
}

void Box3::add(const Box3& other) {
    if (other.isEmpty()) return;
    add(other.min);
    add(other.max);
}

bool Placement::isIdentity() const { return *this == Placement{}; }

Placement Placement::operator*(const Placement& child) const {
    Placement out;
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 3; ++c) {
            double s = 0.0;
            for (int k = 0; k < 3; ++k) s += rotation[r * 3 + k] * child.rotation[k * 3 + c];
            out.rotation[r * 3 + c] = s;
        }
    }
    out.translation = apply(child.translation);
    return out;
}

Vec3 Placement::apply(const Vec3& p) const {
    const auto& m = rotation;
    return {m[0] * p.x + m[1] * p.y + m[2] * p.z + translation.x,
            m[3] * p.x + m[4] * p.y + m[5] * p.z + translation.y,
            m[6] * p.x + m[7] * p.y + m[8] * p.z + translation.z};
}

std::string optionsKey(const AnalyzeOptions& o) {
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, "v%d;check=%d;obb=%d;size=%g..%g;depth=%d", kAnalyserVersion,
                  o.checkValidity ? 1 : 0, o.orientedBox ? 1 : 0, o.minPlausibleSize, o.maxPlausibleSize,
                  o.maxAssemblyDepth);
    return buffer;
}

} // namespace telar::cad

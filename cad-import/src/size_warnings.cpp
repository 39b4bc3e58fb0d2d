#include "size_warnings.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace telar::cad::detail {
namespace {

std::string formatSize(const Vec3& s) {
    char buffer[128];
    std::snprintf(buffer, sizeof buffer, "%.4g × %.4g × %.4g mm", s.x, s.y, s.z);
    return buffer;
}

} // namespace

void addSizeWarnings(AnalysisResult& r, const AnalyzeOptions& options) {
    if (r.totals.bbox.isEmpty()) return;
    const Vec3 s = r.totals.bbox.size();
    const double largest = std::max({s.x, s.y, s.z});
    std::string unit = r.lengthUnits.empty() ? std::string("none (millimetres assumed)") : r.lengthUnits.front();
    if (largest > options.maxPlausibleSize) {
        char limit[32];
        std::snprintf(limit, sizeof limit, "%g mm", options.maxPlausibleSize);
        r.warnings.push_back("implausible size: overall " + formatSize(s) + " exceeds " + limit +
                             "; the file declares unit " + unit + " — check that the unit is right");
    } else if (largest < options.minPlausibleSize) {
        r.warnings.push_back("implausible size: overall " + formatSize(s) + " is smaller than " +
                             std::to_string(options.minPlausibleSize) + " mm; the file declares unit " + unit + " — check that the unit is right");
    }
}

} // namespace telar::cad::detail

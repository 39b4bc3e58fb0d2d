#pragma once
// Helpers for the cad tests: finding parts by name, sizes, relative comparisons.

#include "telar/cad/types.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

namespace telar::cad::test {

inline std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// The part whose display name is name (case-insensitive), or nullptr.
inline const PartInfo* findPart(const AnalysisResult& r, const std::string& name) {
    for (const PartInfo& p : r.parts)
        if (lower(p.name) == lower(name)) return &p;
    return nullptr;
}

// |a-b| <= relative·|b|
inline bool nearRel(double a, double b, double relative) { return std::abs(a - b) <= relative * std::abs(b); }

inline Vec3 overallSize(const AnalysisResult& r) { return r.totals.bbox.size(); }

inline bool hasWarningContaining(const AnalysisResult& r, const std::string& text) {
    return std::any_of(r.warnings.begin(), r.warnings.end(),
                       [&](const std::string& w) { return lower(w).find(lower(text)) != std::string::npos; });
}

} // namespace telar::cad::test

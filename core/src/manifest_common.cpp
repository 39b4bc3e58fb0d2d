// The parts of the manifest model that need no TOML: diagnostics, ids, licences, suggestions.
#include "telar/core/manifest.h"

#include "telar/error.h"
#include "telar/license/expression.h"

#include <algorithm>
#include <cctype>

namespace telar::core {

SourcePos SourceInfo::at(std::string_view field) const {
    auto it = fieldPos.find(std::string(field));
    return it != fieldPos.end() ? it->second : pos;
}

std::string SourceInfo::fieldPath(std::string_view field) const {
    if (path.empty()) return std::string(field);
    if (field.empty()) return path;
    return path + "." + std::string(field);
}

std::string Diagnostic::str() const {
    return ManifestError::format(file, line, column, field, message);
}

bool hasErrors(const std::vector<Diagnostic>& diags) {
    return std::any_of(diags.begin(), diags.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

void sortDiagnostics(std::vector<Diagnostic>& diags) {
    std::stable_sort(diags.begin(), diags.end(), [](const Diagnostic& a, const Diagnostic& b) {
        if (a.file != b.file) return a.file < b.file;
        if (a.line != b.line) return a.line < b.line;
        return a.column < b.column;
    });
}

std::vector<std::string> ProjectManifest::declaredLicenseIds() const {
    std::vector<std::string> ids;
    for (const auto& l : licenses)
        if (!l.id.empty()) ids.push_back(l.id);
    return ids;
}

const Part* ModuleManifest::findPart(std::string_view partId) const {
    for (const auto& p : parts)
        if (p.id == partId) return &p;
    return nullptr;
}

bool isValidId(std::string_view id) {
    if (id.empty()) return false;
    auto first = static_cast<unsigned char>(id.front());
    if (!(std::islower(first) || std::isdigit(first))) return false;
    for (char ch : id) {
        auto c = static_cast<unsigned char>(ch);
        if (!(std::islower(c) || std::isdigit(c) || c == '.' || c == '_' || c == '-')) return false;
    }
    return true;
}

bool isValidModuleId(std::string_view id) {
    if (id.empty() || id.size() > 1024) return false;
    std::size_t start = 0;
    while (true) {
        std::size_t slash = id.find('/', start);
        std::string_view part = id.substr(start, slash == std::string_view::npos ? id.npos : slash - start);
        if (part.empty() || part.front() == '.') return false;
        for (char ch : part)
            if (static_cast<unsigned char>(ch) < 0x20 || ch == '\\' || ch == 0x7f) return false;
        if (slash == std::string_view::npos) return true;
        start = slash + 1;
    }
}

std::optional<std::string> checkLicense(std::string_view expr, const std::vector<std::string>& extraIds) {
    // Undeclared LicenseRef-… ids get a message of our own that says where to declare them.
    std::size_t pos = 0;
    while ((pos = expr.find("LicenseRef-", pos)) != std::string_view::npos) {
        std::size_t end = pos;
        while (end < expr.size() &&
               (std::isalnum(static_cast<unsigned char>(expr[end])) || expr[end] == '-' || expr[end] == '.'))
            ++end;
        std::string id(expr.substr(pos, end - pos));
        const bool boundary = pos == 0 || expr[pos - 1] == ' ' || expr[pos - 1] == '(';
        if (boundary && std::find(extraIds.begin(), extraIds.end(), id) == extraIds.end() &&
            license::checkExpression(id).has_value())
            return "licence '" + id + "' is not declared in telar.toml";
        pos = end;
    }
    if (auto err = license::checkExpression(expr, extraIds)) return "invalid licence expression: " + *err;
    return std::nullopt;
}

namespace {

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), ignoring case.
std::size_t editDistance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i)
        d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j)
        d[0][j] = j;
    auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

} // namespace

std::vector<std::string> closestMatches(std::string_view word, const std::vector<std::string>& candidates,
                                        std::size_t max) {
    if (word.empty() || word.size() > 200) return {};
    const std::size_t len = word.size();
    const std::size_t limit = len <= 2 ? 0 : len <= 4 ? 1 : len <= 8 ? 2 : 3;
    std::vector<std::pair<std::size_t, std::string>> scored;
    for (const auto& c : candidates) {
        if (c.size() > 200) continue;
        std::size_t d = editDistance(word, c);
        if (d <= limit) {
            scored.emplace_back(d, c);
        } else if (len >= 3 &&
                   (c.find(word) != std::string::npos || word.find(c) != std::string_view::npos)) {
            scored.emplace_back(limit + 1, c); // a containing name is a weaker hint than a typo
        }
    }
    std::sort(scored.begin(), scored.end());
    scored.erase(std::unique(scored.begin(), scored.end()), scored.end());
    std::vector<std::string> out;
    for (auto& [d, c] : scored) {
        if (out.size() >= max) break;
        out.push_back(c);
    }
    return out;
}

std::string didYouMean(std::string_view word, const std::vector<std::string>& candidates) {
    auto best = closestMatches(word, candidates, 1);
    if (best.empty()) return {};
    return " (did you mean '" + best.front() + "'?)";
}

} // namespace telar::core

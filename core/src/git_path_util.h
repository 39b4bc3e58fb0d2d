#pragma once
// Private to telar::core: the one normalisation of Tree paths shared by the git and working-tree
// readers, so both answer the same for the same spelling.

#include <optional>
#include <string>
#include <string_view>

namespace telar::core {

// "a/./b/" → "a/b", "" → "" (the root). nullopt for paths that are absolute or step up with
// "..": a Tree never names anything outside its root.
inline std::optional<std::string> normalizeTreePath(std::string_view path) {
    if (!path.empty() && path.front() == '/') return std::nullopt;
    std::string out;
    size_t pos = 0;
    while (pos <= path.size()) {
        size_t slash = path.find('/', pos);
        if (slash == std::string_view::npos) slash = path.size();
        std::string_view part = path.substr(pos, slash - pos);
        pos = slash + 1;
        if (part.empty() || part == ".") continue;
        if (part == "..") return std::nullopt;
        if (!out.empty()) out += '/';
        out.append(part);
    }
    return out;
}

} // namespace telar::core

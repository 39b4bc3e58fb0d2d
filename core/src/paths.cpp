#include "telar/core/paths.h"

#include <vector>

namespace telar::core {

namespace {

std::vector<std::string> splitComponents(std::string_view path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t slash = path.find('/', start);
        if (slash == std::string_view::npos) slash = path.size();
        if (slash > start) out.emplace_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

std::string joinComponents(const std::vector<std::string>& parts, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count && i < parts.size(); ++i) {
        if (!out.empty()) out += '/';
        out += parts[i];
    }
    return out;
}

bool looksAbsolute(std::string_view p) {
    if (!p.empty() && p.front() == '/') return true;
    // "C:" or "C:/…": a Windows drive path is absolute somewhere else.
    return p.size() >= 2 && p[1] == ':' && ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z'));
}

} // namespace

std::string describePathProblem(PathProblem problem) {
    switch (problem) {
    case PathProblem::None:
        return "is fine";
    case PathProblem::Empty:
        return "is empty";
    case PathProblem::Absolute:
        return "is an absolute path";
    case PathProblem::Backslash:
        return "contains a backslash; use '/' between folders";
    case PathProblem::NulByte:
        return "contains a NUL character";
    case PathProblem::EscapesRoot:
        return "escapes the repository";
    case PathProblem::SymlinkEscapes:
        return "leads outside the repository through a symbolic link";
    case PathProblem::SymlinkLoop:
        return "has too many levels of symbolic links";
    case PathProblem::Missing:
        return "does not exist";
    case PathProblem::NotAFile:
        return "is not a regular file";
    }
    return "is invalid";
}

std::string parentPath(std::string_view path) {
    auto slash = path.rfind('/');
    if (slash == std::string_view::npos) return {};
    return std::string(path.substr(0, slash));
}

std::string joinPath(std::string_view a, std::string_view b) {
    if (a.empty()) return std::string(b);
    if (b.empty()) return std::string(a);
    std::string out(a);
    out += '/';
    out += b;
    return out;
}

PathResult normalisePath(std::string_view baseDir, std::string_view rel) {
    PathResult r;
    if (rel.find('\0') != std::string_view::npos) {
        r.problem = PathProblem::NulByte;
        return r;
    }
    if (rel.find('\\') != std::string_view::npos) {
        r.problem = PathProblem::Backslash;
        return r;
    }
    if (looksAbsolute(rel)) {
        r.problem = PathProblem::Absolute;
        return r;
    }
    std::vector<std::string> out = splitComponents(baseDir);
    bool any = false;
    for (auto& c : splitComponents(rel)) {
        if (c == ".") continue;
        any = true;
        if (c == "..") {
            if (out.empty()) {
                r.problem = PathProblem::EscapesRoot;
                return r;
            }
            out.pop_back();
            continue;
        }
        out.push_back(std::move(c));
    }
    if (!any) {
        r.problem = PathProblem::Empty;
        return r;
    }
    r.path = joinComponents(out, out.size());
    if (r.path.empty()) r.kind = EntryKind::Directory; // the root itself
    return r;
}

PathResult resolvePath(const Tree& tree, std::string_view repoPath) {
    PathResult r;
    std::vector<std::string> parts = splitComponents(repoPath);
    int hops = 0;
    std::size_t i = 0;
    r.kind = EntryKind::Directory; // the root
    while (i < parts.size()) {
        const std::string prefix = joinComponents(parts, i + 1);
        auto kind = tree.kind(prefix);
        if (!kind) {
            r.problem = PathProblem::Missing;
            r.path = joinComponents(parts, parts.size());
            r.detail = prefix;
            return r;
        }
        const bool last = i + 1 == parts.size();
        switch (*kind) {
        case EntryKind::Symlink: {
            if (++hops > kMaxSymlinkHops) {
                r.problem = PathProblem::SymlinkLoop;
                r.path = joinComponents(parts, parts.size());
                r.detail = prefix;
                return r;
            }
            std::string target = tree.symlinkTarget(prefix).value_or("");
            PathResult next = normalisePath(parentPath(prefix), target);
            if (!next.ok()) {
                r.problem = PathProblem::SymlinkEscapes;
                r.path = joinComponents(parts, parts.size());
                r.detail = prefix + " -> " + target;
                return r;
            }
            std::vector<std::string> rebuilt = splitComponents(next.path);
            for (std::size_t k = i + 1; k < parts.size(); ++k)
                rebuilt.push_back(parts[k]);
            parts = std::move(rebuilt);
            i = 0;
            r.kind = EntryKind::Directory;
            if (parts.empty()) { // a link to the repository root
                r.path.clear();
                return r;
            }
            continue;
        }
        case EntryKind::Directory:
            r.kind = EntryKind::Directory;
            ++i;
            continue;
        case EntryKind::File:
        case EntryKind::Submodule:
            if (!last) { // "file.step/x": a file used as a folder
                r.problem = PathProblem::Missing;
                r.path = joinComponents(parts, parts.size());
                r.detail = joinComponents(parts, i + 2);
                return r;
            }
            r.kind = *kind;
            ++i;
            continue;
        }
    }
    r.path = joinComponents(parts, parts.size());
    return r;
}

PathResult resolveFile(const Tree& tree, std::string_view baseDir, std::string_view rel) {
    PathResult n = normalisePath(baseDir, rel);
    if (!n.ok()) return n;
    PathResult r = resolvePath(tree, n.path);
    if (r.ok() && r.kind != EntryKind::File) {
        r.problem = PathProblem::NotAFile;
        r.detail = r.path;
    }
    return r;
}

} // namespace telar::core

// WorkingTree: a Tree over a folder on disk, never following symlinks.

#include "telar/core/worktree.h"

#include "git_path_util.h"
#include "telar/core/git.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>

namespace fs = std::filesystem;

namespace telar::core {

namespace {

// What is at p without following a final symlink; nullopt when nothing (or something git does
// not track: sockets, fifos, devices).
std::optional<EntryKind> kindOnDisk(const fs::path& p) {
    std::error_code ec;
    fs::file_status st = fs::symlink_status(p, ec);
    if (ec) return std::nullopt;
    switch (st.type()) {
    case fs::file_type::regular:
        return EntryKind::File;
    case fs::file_type::symlink:
        return EntryKind::Symlink;
    case fs::file_type::directory: {
        // A nested repository is what git records as a gitlink (submodule).
        fs::file_status dotGit = fs::symlink_status(p / ".git", ec);
        if (!ec && fs::exists(dotGit)) return EntryKind::Submodule;
        return EntryKind::Directory;
    }
    default:
        return std::nullopt;
    }
}

} // namespace

WorkingTree::WorkingTree(fs::path root) : m_root(std::move(root)) {}

std::optional<fs::path> WorkingTree::locate(std::string_view path) const {
    auto p = normalizeTreePath(path);
    if (!p) return std::nullopt;
    if (p->empty()) return m_root;
    fs::path out = m_root;
    size_t pos = 0;
    while (pos <= p->size()) {
        size_t slash = p->find('/', pos);
        if (slash == std::string::npos) slash = p->size();
        std::string part = p->substr(pos, slash - pos);
        if (part == ".git") return std::nullopt;
        out /= part;
        // Never walk through a symlinked folder: the Tree would then name files outside it.
        if (slash < p->size() && kindOnDisk(out) != EntryKind::Directory) return std::nullopt;
        pos = slash + 1;
    }
    return out;
}

std::optional<std::string> WorkingTree::readFile(std::string_view path) const {
    auto p = locate(path);
    if (!p || kindOnDisk(*p) != EntryKind::File) return std::nullopt;
    std::ifstream in(*p, std::ios::binary);
    if (!in) return std::nullopt;
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return std::nullopt;
    return bytes;
}

std::optional<EntryKind> WorkingTree::kind(std::string_view path) const {
    auto p = locate(path);
    if (!p) return std::nullopt;
    auto k = kindOnDisk(*p);
    if (k == EntryKind::Submodule && *p == m_root) return EntryKind::Directory; // the root itself
    return k;
}

std::vector<TreeEntry> WorkingTree::list(std::string_view dir) const {
    std::vector<TreeEntry> out;
    auto p = locate(dir);
    if (!p) return out;
    auto k = kindOnDisk(*p);
    if (k != EntryKind::Directory && !(k == EntryKind::Submodule && *p == m_root)) return out;
    std::error_code ec;
    for (fs::directory_iterator it(*p, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (name == ".git") continue;
        auto entryKind = kindOnDisk(it->path());
        if (!entryKind) continue;
        out.push_back(TreeEntry{std::move(name), *entryKind});
    }
    std::sort(out.begin(), out.end(), [](const TreeEntry& a, const TreeEntry& b) { return a.name < b.name; });
    return out;
}

std::optional<std::string> WorkingTree::symlinkTarget(std::string_view path) const {
    auto p = locate(path);
    if (!p || kindOnDisk(*p) != EntryKind::Symlink) return std::nullopt;
    std::error_code ec;
    fs::path target = fs::read_symlink(*p, ec);
    if (ec) return std::nullopt;
    return target.string();
}

std::optional<std::string> WorkingTree::blobId(std::string_view path) const {
    auto bytes = readFile(path);
    if (!bytes) return std::nullopt;
    return hashBlob(*bytes);
}

std::string WorkingTree::describe() const { return "working tree"; }

std::string WorkingTree::commitId() const { return {}; }

} // namespace telar::core

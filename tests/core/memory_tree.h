#pragma once
// An in-memory Tree for tests: a map of repository-relative paths to files, folders and
// symbolic links, so design reading can be tested without a disk or a git repository.

#include "telar/core/tree.h"

#include <cstdio>
#include <functional>
#include <map>
#include <string>

namespace telar::test {

class MemoryTree : public core::Tree {
public:
    // Adds a regular file (and its parent folders).
    MemoryTree& file(const std::string& path, const std::string& content) {
        add(path, {core::EntryKind::File, content});
        return *this;
    }
    // Adds a symbolic link whose stored text is target.
    MemoryTree& symlink(const std::string& path, const std::string& target) {
        add(path, {core::EntryKind::Symlink, target});
        return *this;
    }
    // Adds an (empty) folder.
    MemoryTree& dir(const std::string& path) {
        add(path, {core::EntryKind::Directory, {}});
        return *this;
    }

    std::optional<std::string> readFile(std::string_view path) const override {
        auto it = m_entries.find(std::string(path));
        if (it == m_entries.end() || it->second.kind != core::EntryKind::File) return std::nullopt;
        return it->second.content;
    }
    std::optional<core::EntryKind> kind(std::string_view path) const override {
        if (path.empty()) return core::EntryKind::Directory;
        auto it = m_entries.find(std::string(path));
        if (it == m_entries.end()) return std::nullopt;
        return it->second.kind;
    }
    std::vector<core::TreeEntry> list(std::string_view dir) const override {
        std::vector<core::TreeEntry> out;
        if (kind(dir) != core::EntryKind::Directory) return out;
        const std::string prefix = dir.empty() ? "" : std::string(dir) + "/";
        for (const auto& [path, entry] : m_entries) {
            if (path.compare(0, prefix.size(), prefix) != 0) continue;
            std::string rest = path.substr(prefix.size());
            if (rest.empty() || rest.find('/') != std::string::npos) continue;
            out.push_back({rest, entry.kind});
        }
        return out;
    }
    std::optional<std::string> symlinkTarget(std::string_view path) const override {
        auto it = m_entries.find(std::string(path));
        if (it == m_entries.end() || it->second.kind != core::EntryKind::Symlink) return std::nullopt;
        return it->second.content;
    }
    // Not git's id: a stable 40-hex stand-in derived from the content.
    std::optional<std::string> blobId(std::string_view path) const override {
        auto content = readFile(path);
        if (!content) return std::nullopt;
        char buf[41];
        std::snprintf(buf, sizeof buf, "%040zx", std::hash<std::string>{}(*content));
        return std::string(buf);
    }
    std::string describe() const override { return "memory tree"; }
    std::string commitId() const override { return {}; }

private:
    struct Entry {
        core::EntryKind kind;
        std::string content;
    };
    void add(const std::string& path, Entry entry) {
        for (std::size_t slash = path.find('/'); slash != std::string::npos;
             slash = path.find('/', slash + 1))
            m_entries.emplace(path.substr(0, slash), Entry{core::EntryKind::Directory, {}});
        m_entries[path] = std::move(entry);
    }
    std::map<std::string, Entry> m_entries;
};

} // namespace telar::test

#pragma once
// The working tree: a Tree over a folder on disk, read as it is now (no index, no filters).

#include "telar/core/tree.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::core {

// Reads the files under root. `.git` (folder or file) is invisible at every level; a folder
// holding its own `.git` is reported as a Submodule, like git would record it. Symlinks are
// never followed: kind() says Symlink and readFile() gives nullopt for them. Paths that are
// absolute or contain ".." name nothing. Methods do not throw for missing or unreadable paths
// (they answer nullopt / empty); safe to use from several threads.
class WorkingTree : public Tree {
public:
    // root is the repository's working folder; it need not exist (then everything is missing).
    explicit WorkingTree(std::filesystem::path root);

    std::optional<std::string> readFile(std::string_view path) const override;
    std::optional<EntryKind> kind(std::string_view path) const override;
    std::vector<TreeEntry> list(std::string_view dir) const override;
    std::optional<std::string> symlinkTarget(std::string_view path) const override;
    // git's blob id for the file's current bytes (what `git hash-object FILE` prints).
    std::optional<std::string> blobId(std::string_view path) const override;
    // "working tree"
    std::string describe() const override;
    // "" (a working tree has no commit)
    std::string commitId() const override;

    // The folder this tree reads.
    const std::filesystem::path& root() const { return m_root; }

private:
    // The absolute path for a tree path, or nullopt when it is unsafe or inside `.git`.
    std::optional<std::filesystem::path> locate(std::string_view path) const;

    std::filesystem::path m_root;
};

} // namespace telar::core

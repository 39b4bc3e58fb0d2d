#pragma once
// A read-only view of a design's files: either the working tree on disk or a git revision read
// from git objects (no checkout). Everything that reads a design (manifests, BOM, licence check,
// diff) reads through a Tree, so the same code works at any revision.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::core {

enum class EntryKind { File, Directory, Symlink, Submodule };

struct TreeEntry {
    std::string name; // the entry's own name (no folder part)
    EntryKind kind;
};

class Tree {
public:
    virtual ~Tree() = default;

    // Paths are relative to the repository root, '/'-separated, without leading "./" or "/".
    // The root is "". Callers check paths for safety (core/paths.h) before asking.

    // The file's bytes, or nullopt when the path does not exist or is not a regular file.
    virtual std::optional<std::string> readFile(std::string_view path) const = 0;
    // What the path is, or nullopt when it does not exist. Symlinks are reported as Symlink.
    virtual std::optional<EntryKind> kind(std::string_view path) const = 0;
    // The entries of a folder, sorted by name; empty when it is missing or not a folder.
    virtual std::vector<TreeEntry> list(std::string_view dir) const = 0;
    // For a Symlink: the link text as stored. nullopt otherwise.
    virtual std::optional<std::string> symlinkTarget(std::string_view path) const = 0;
    // The git blob id (40 hex) of a regular file: the id stored in the revision, or for the
    // working tree the id git would give the file's current bytes. nullopt when not a file.
    virtual std::optional<std::string> blobId(std::string_view path) const = 0;
    // Human-readable name of what this tree is: "working tree" or "v1.2 (1a2b3c4)".
    virtual std::string describe() const = 0;
    // The commit id (40 hex) for a revision tree; empty for the working tree.
    virtual std::string commitId() const = 0;
};

} // namespace telar::core

#pragma once
// Path safety for design repositories. Manifests name files relative to their module folder;
// these helpers turn such a path into a normalised repository-relative one ('/'-separated,
// no "." or ".." components, no leading '/') and refuse anything that could reach outside the
// repository: absolute paths, ".." climbing above the root, backslashes, NUL bytes, and
// symbolic links (read through a Tree) whose target leaves the repository or that chain more
// than kMaxSymlinkHops times. None of these functions throws on bad paths.

#include "telar/core/tree.h"

#include <string>
#include <string_view>

namespace telar::core {

// What is wrong with a path (None when it is fine).
enum class PathProblem {
    None,
    Empty,          // "" (or only "." components)
    Absolute,       // starts with '/' (or a drive letter such as "C:")
    Backslash,      // contains '\' (Windows separator; ambiguous on POSIX)
    NulByte,        // contains a NUL character
    EscapesRoot,    // ".." climbs above the repository root
    SymlinkEscapes, // a symbolic link on the way points outside the repository
    SymlinkLoop,    // more than kMaxSymlinkHops symbolic links followed
    Missing,        // nothing at that path in the tree
    NotAFile,       // exists but is a folder or a submodule where a file is needed
};

// The most symbolic links followed while resolving one path.
inline constexpr int kMaxSymlinkHops = 8;

// A checked path. path is repository-relative and normalised when ok(); detail names the
// offending link ("frame/cad -> ../../etc") or missing prefix when there is one.
struct PathResult {
    std::string path;
    PathProblem problem = PathProblem::None;
    std::string detail;
    EntryKind kind = EntryKind::File; // what path is, after resolvePath
    bool ok() const { return problem == PathProblem::None; }
};

// A short English phrase for a problem: "escapes the repository", "does not exist"…
std::string describePathProblem(PathProblem problem);

// Joins baseDir (a normalised repository-relative folder, "" for the root) and rel, then
// removes "." and ".." components. Does not look at any file.
PathResult normalisePath(std::string_view baseDir, std::string_view rel);

// Follows symbolic links through tree, component by component, starting from a normalised
// repository-relative path. On success path is the real location and kind what it is.
PathResult resolvePath(const Tree& tree, std::string_view repoPath);

// normalisePath + resolvePath, then requires a regular file at the end.
PathResult resolveFile(const Tree& tree, std::string_view baseDir, std::string_view rel);

// The folder part of a repository-relative path ("a/b/c.step" → "a/b", "c.step" → "").
std::string parentPath(std::string_view path);
// Joins two repository-relative pieces with '/', skipping empty ones.
std::string joinPath(std::string_view a, std::string_view b);

} // namespace telar::core

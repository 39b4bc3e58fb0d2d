#pragma once
// Provenance of a module, part or path (DESIGN.md §7): every commit that touched it following
// renames, who made them (authors and `Co-authored-by:` co-authors, merged through .mailmap),
// first and last change, the releases (tags) that contain it, the origin record of imported
// geometry and whether the file is still that original, and the fork chain it came from.
// Answers come from the history index (history.h). Format: docs/provenance.md.

#include "telar/core/design.h"
#include "telar/core/git.h"
#include "telar/core/history.h"
#include "telar/core/lineage.h"
#include "telar/core/tree.h"
#include "telar/progress.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::core {

class Store;

// Identities merged the way git does with a `.mailmap` file (git's format: "Proper Name
// <proper@email> Other Name <other@email>" and the shorter forms). Movable, not copyable.
class Mailmap {
public:
    // An empty mailmap: every identity maps to itself.
    Mailmap();
    // Parses mailmap text; lines git would ignore are ignored. Throws GitError when libgit2 fails.
    static Mailmap parse(std::string_view text);
    // The .mailmap at the root of tree, or an empty mailmap when there is none.
    static Mailmap fromTree(const Tree& tree);
    Mailmap(Mailmap&&) noexcept;
    Mailmap& operator=(Mailmap&&) noexcept;
    ~Mailmap();

    // The canonical identity for name/email (time and offset are kept).
    Signature resolve(const Signature& who) const;
    // The key one person is counted under: the canonical email, lower-cased (the name when the
    // email is empty).
    std::string key(const Signature& who) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// What `telar provenance` was asked about.
enum class ProvenanceKind { Module, Part, Path };
// "module" | "part" | "path" (the JSON `kind` and the CLI's title).
const char* provenanceKindName(ProvenanceKind kind);

// One person's part in a history: commits authored, commits co-authored (trailers).
struct ProvenanceContributor {
    std::string name; // canonical (after .mailmap)
    std::string email;
    std::size_t authored = 0;
    std::size_t coAuthored = 0;
};

// A commit that touched the item.
struct ProvenanceCommit {
    std::string id;
    std::string summary;
    Signature author;                 // canonical (after .mailmap)
    std::vector<Signature> coAuthors; // canonical
    std::vector<FileChange> changes;  // the item's files it changed
    bool merge = false;               // a merge that changed the item itself (conflict resolution)
    bool inherited = false;           // also in the upstream commit a fork records
};

// A release (tag) whose tree holds the item.
struct ProvenanceRelease {
    std::string tag;
    std::string commit;     // 40 hex
    std::string path;       // the item's name at that release (renames followed)
    bool sameAsRev = false; // identical content to the item at the asked revision
};

// An origin record of imported geometry and how the file compares to it at the revision.
struct ProvenanceOrigin {
    std::string module;
    std::string part;
    std::string file; // repository-relative
    std::string source;
    std::string license;
    std::string author;
    std::string retrieved;
    std::string recordedSha256;
    std::string actualSha256; // empty when the file could not be read
    // false: still the imported original; true: modified since; nullopt: unknown (no sha256
    // recorded, or the file could not be read — see unreadable).
    std::optional<bool> modified;
    std::string unreadable; // why the file could not be read; empty when read
};

// The whole answer.
struct Provenance {
    std::string query; // as asked
    ProvenanceKind kind = ProvenanceKind::Path;
    std::string module;                              // for Module and Part
    std::string part;                                // for Part
    std::vector<std::string> paths;                  // the item's current paths (folders or files)
    std::vector<std::string> names;                  // every name followed through renames, current first
    std::string rev;                                 // the revision the history was read from
    std::string tip;                                 // its commit (40 hex); empty for an unborn branch
    std::string tree;                                // Tree::describe() of what origins were compared with
    IndexUpdate index;                               // what bringing the index up to date did
    std::vector<ProvenanceCommit> commits;           // newest first (children before parents)
    std::vector<ProvenanceContributor> contributors; // by commits (authored + co-authored), then name
    std::vector<ProvenanceRelease> releases;         // by tag name
    std::vector<ProvenanceOrigin> origins;           // in part order
    std::vector<LineageLink> upstream;               // the fork chain; empty when not a fork
    std::vector<std::string> unreadable;             // what could not be read (missing objects), deduplicated
    std::vector<std::string> notes;                  // other remarks (no telar.toml, design unreadable…)

    // The oldest and newest commit that touched the item; nullptr when none did.
    const ProvenanceCommit* firstChange() const { return commits.empty() ? nullptr : &commits.back(); }
    const ProvenanceCommit* lastChange() const { return commits.empty() ? nullptr : &commits.front(); }
};

// What to read: the history from rev ("HEAD" when empty), the design and files from tree (the
// working tree or a revision tree).
struct ProvenanceOptions {
    std::string rev;
    const Progress* progress = nullptr;
};

// The provenance of what (a module id, "MODULE:PART", a part id unique in the design, or a path
// — a file or folder, present now or only in history). Works without telar.toml (paths only)
// and on repositories with missing blobs (reported in unreadable). Throws UsageError when what
// names nothing that exists now or in history, GitError for an unknown revision, StoreError.
Provenance provenanceOf(const Repository& repo, Store& store, const Tree& tree, const std::string& what,
                        const ProvenanceOptions& options = {});

// The tags whose tree holds one of names (file or folder), with the first name found and
// whether its content equals `current` (a tree or blob id; empty: never equal). Sorted by tag.
std::vector<ProvenanceRelease>
releasesContaining(const Repository& repo, const std::vector<std::string>& names, const std::string& current);

// The git object id (40 hex) of path (file or folder) in the tree of commit; nullopt when absent.
std::optional<std::string> entryIdAt(const Repository& repo, const std::string& commit,
                                     const std::string& path);

} // namespace telar::core

#pragma once
// The history index (DESIGN.md §7, §11): what every commit changed, kept in the SQLite store and
// built incrementally — only commits not yet indexed are read from git. Commits are keyed by
// their id, so forks and clones of one design share entries. Queries answer only for commits
// reachable from the revision asked about: commits left behind by a rebase or on another branch
// stay in the store but never show up. Format and policies: docs/provenance.md.

#include "telar/core/git.h"
#include "telar/progress.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace telar::core {

class Store;

// One file changed by a commit, from the diff against its first parent (the empty tree for a
// root commit) with rename detection.
struct FileChange {
    // 'A' added, 'M' modified, 'D' deleted, 'R' renamed (possibly modified), 'T' type changed.
    char status = 'M';
    std::string path;    // the new path; for 'D' the path that was deleted
    std::string oldPath; // for 'R' only: the path before the rename
    std::string oldBlob; // 40 hex; empty for 'A'
    std::string newBlob; // 40 hex; empty for 'D'
    int64_t oldSize = 0; // bytes; -1 when the blob could not be read (missing object)
    int64_t newSize = 0;
    // False for a change a merge only brought in from another parent (the path equals it in
    // some parent); true for every change of an ordinary commit.
    bool own = true;
};

// One indexed commit.
struct IndexedCommit {
    std::string id; // 40 hex
    std::string summary;
    Signature author;
    Signature committer;
    std::vector<Signature> coAuthors; // `Co-authored-by:` trailers, in order (time = 0)
    std::vector<std::string> parents; // 40 hex, first parent first
    int64_t generation = 0;           // 1 for a root; 1 + the largest parent's otherwise
    std::vector<FileChange> changes;  // sorted by path (filled only when asked for)
    // What could not be read when it was indexed ("blob 1a2b3c4 of cad/hub.step: object not
    // found"); empty when complete.
    std::vector<std::string> unreadable;

    bool isMerge() const { return parents.size() > 1; }
};

// What a path query looks for: files or folders (a folder matches everything under it), minus
// excluded folders (sub-modules living inside a module's folder).
struct PathQuery {
    std::vector<std::string> paths;    // repository-relative, '/'-separated, no trailing '/'
    std::vector<std::string> excluded; // folders whose contents do not count (not followed)
};

// A commit that touched a path query, with the changes that matched.
struct PathCommit {
    IndexedCommit commit;               // changes: only the matching ones
    std::vector<std::string> namesSeen; // the query's names at that commit, after following renames
};

// Follows renames over a list of commits (children before parents): which changes belong to a
// query. Used by the index queries and by credits over the whole history.
class PathFollower {
public:
    // Starts with the query's names, valid for every commit.
    explicit PathFollower(const PathQuery& query);
    // Looks at one commit (call in order: children before parents, i.e. decreasing generation);
    // returns the indexes of its changes that belong to the query, and learns old names from its
    // renames. A file renamed into the query adds its old path; when the file kept its place
    // inside a followed folder ("a/x" → "b/x" with "b" followed) the old folder "a" is followed.
    std::vector<std::size_t> accept(const IndexedCommit& commit);
    // Every name followed so far, current names first.
    std::vector<std::string> names() const;

private:
    struct Name {
        std::string path;
        int64_t before; // applies to commits whose generation is below this
    };
    // The length of the longest followed name matching path at generation, or -1.
    int match(const std::string& path, int64_t generation) const;
    int excludedMatch(const std::string& path) const;
    std::vector<Name> m_names;
    std::vector<std::string> m_excluded;
};

// What one update of the index did.
struct IndexUpdate {
    std::string tip;           // the commit the revision named (40 hex); empty for an unborn HEAD
    std::size_t indexed = 0;   // commits read from git and added now
    std::size_t reachable = 0; // commits reachable from tip, all indexed now
};

// The history index of one repository in one store. Holds references to both: they must outlive
// it. Not thread-safe; the store serialises its own use.
class HistoryIndex {
public:
    HistoryIndex(const Repository& repo, Store& store);

    // Indexes every commit reachable from rev that is not in the store yet (walks git only down
    // to the first indexed commits). Adds the count to the store counter "history.indexed".
    // Throws GitError "unknown revision 'REV'" when rev names no commit (an unborn HEAD gives an
    // empty update), StoreError, telar::Cancelled.
    IndexUpdate update(const std::string& rev, const Progress& progress = {});

    // Every commit reachable from tip (a 40-hex id already brought up to date by update()), with
    // its changes when withChanges; children before parents (decreasing generation, then newest
    // commit time first, then id).
    std::vector<IndexedCommit> reachable(const std::string& tip, bool withChanges) const;
    // The ids of the commits reachable from tip (indexed ones only).
    std::vector<std::string> reachableIds(const std::string& tip) const;
    // The commits reachable from tip whose own changes touch query (following renames), children
    // before parents. Reads only the rows that can match: renames and the query's paths.
    std::vector<PathCommit> touching(const std::string& tip, const PathQuery& query) const;
    // The indexed commit with this id (with changes), or nullopt.
    std::optional<IndexedCommit> commit(const std::string& id) const;

private:
    // update() under the store's lock, in one write transaction; fills indexed and reachable.
    void indexFrom(const std::string& tip, const Progress& progress, IndexUpdate& result);

    const Repository& m_repo;
    Store& m_store;
};

// Lets libgit2 open repositories that use extensions git sets for partial clones
// (`extensions.partialclone`, made by `git clone --filter=…`). Telar never fetches missing
// objects; it reports them as unreadable. Repository::open allows them already; this keeps the
// setting for the whole process (also between repositories). Idempotent.
void allowPartialClones();

// The people a commit message credits in `Co-authored-by: Name <email>` trailers (git's trailer
// rules: the last paragraph), in order.
std::vector<Signature> coAuthorsOf(const std::string& message);

} // namespace telar::core

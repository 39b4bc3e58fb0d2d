// The history index: reading commits and their changes from git into the store (update), and
// answering from the store for what is reachable from a revision. Schema: store_migrations.cpp;
// description: docs/provenance.md.

#include "telar/core/history.h"

#include "git_handles.h"
#include "sqlite_util.h"
#include "telar/core/store.h"
#include "telar/error.h"

#include <git2/sys/repository.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace telar::core {

namespace {

using GitDiffPtr = std::unique_ptr<git_diff, GitDeleter<git_diff, git_diff_free>>;
using GitOdbPtr = std::unique_ptr<git_odb, GitDeleter<git_odb, git_odb_free>>;

// The recursive walk over indexed parents, as a CTE named reach(id) starting at ?1 (a row id).
constexpr const char* kReach =
    "WITH RECURSIVE reach(id) AS (SELECT ?1 UNION "
    "SELECT p.parent_id FROM history_parents p JOIN reach r ON p.commit_id = r.id) ";

// How long an update waits for another process's update of the same store to finish.
constexpr int kIndexerWaitMs = 10 * 60 * 1000;

std::string joinLines(const std::vector<std::string>& items, char sep) {
    std::string out;
    for (const auto& i : items) {
        if (!out.empty()) out += sep;
        out += i;
    }
    return out;
}

std::vector<std::string> splitOn(const std::string& text, char sep) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find(sep, pos);
        if (end == std::string::npos) end = text.size();
        if (end > pos) out.push_back(text.substr(pos, end - pos));
        pos = end + 1;
    }
    return out;
}

Signature signatureOf(const git_signature* sig) {
    Signature s;
    if (!sig) return s;
    s.name = sig->name ? sig->name : "";
    s.email = sig->email ? sig->email : "";
    s.time = sig->when.time;
    s.offsetMinutes = sig->when.offset;
    return s;
}

std::string summaryOf(const std::string& message) {
    std::string out;
    size_t pos = 0;
    while (pos < message.size()) {
        size_t nl = message.find('\n', pos);
        if (nl == std::string::npos) nl = message.size();
        std::string line = message.substr(pos, nl - pos);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t'))
            line.pop_back();
        if (line.empty()) {
            if (!out.empty()) break;
        } else {
            if (!out.empty()) out += ' ';
            out += line;
        }
        pos = nl + 1;
    }
    return out;
}

char statusLetter(git_delta_t status) {
    switch (status) {
    case GIT_DELTA_ADDED:
        return 'A';
    case GIT_DELTA_DELETED:
        return 'D';
    case GIT_DELTA_RENAMED:
        return 'R';
    case GIT_DELTA_TYPECHANGE:
        return 'T';
    default:
        return 'M';
    }
}

// Whether message may hold a Co-authored-by trailer (parsing trailers costs far more).
bool mentionsCoAuthor(const std::string& message) {
    static constexpr char kKey[] = "co-authored-by";
    const size_t n = sizeof(kKey) - 1;
    for (size_t i = 0; i + n <= message.size(); ++i) {
        size_t k = 0;
        while (k < n && std::tolower(static_cast<unsigned char>(message[i + k])) == kKey[k])
            ++k;
        if (k == n) return true;
    }
    return false;
}

bool isNotFound(int rc) {
    return rc == GIT_ENOTFOUND;
}

struct OidHash {
    size_t operator()(const git_oid& oid) const noexcept {
        size_t h = 0;
        std::memcpy(&h, oid.id, sizeof h); // object ids are already uniformly distributed
        return h;
    }
};
struct OidEqual {
    bool operator()(const git_oid& a, const git_oid& b) const noexcept { return git_oid_equal(&a, &b) != 0; }
};
template <class T>
using OidMap = std::unordered_map<git_oid, T, OidHash, OidEqual>;

// What listing one commit's changes needs: its tree and its parents' trees. A parent tree left
// unset is found through the parent commit, which may be missing from the object database.
struct DiffJob {
    size_t node = 0; // the commit's position in the walk
    git_oid commit{};
    git_oid tree{};
    std::vector<git_oid> parents; // every parent, first parent first
    std::vector<std::optional<git_oid>> parentTrees;
};

struct DiffResult {
    size_t node = 0;
    std::vector<FileChange> changes;     // sorted by path, with blob sizes
    std::vector<std::string> unreadable; // what could not be read, for the commit's row
};

// A tree object read through the object database and parsed in place, entry by entry —
// "<octal mode> <name>\0<20-byte id>" — without building a libgit2 tree object: comparing the
// trees of thousands of commits is most of a first history index.
class RawTree {
public:
    struct Entry {
        git_filemode_t mode = GIT_FILEMODE_UNREADABLE; // normalised like git_tree_entry_filemode()
        std::string_view name;
        const git_oid* id = nullptr;
    };

    // Walks a tree's entries in their stored (git) order; a null tree has none.
    class Cursor {
    public:
        explicit Cursor(const RawTree* tree) {
            if (tree) p = tree->m_data, end = tree->m_end;
        }
        // The next entry; false at the end or at a malformed entry (then bad()).
        bool next(Entry& e) {
            if (p >= end) return false;
            uint32_t mode = 0;
            const char* digits = p;
            while (p < end && *p >= '0' && *p <= '7' && mode <= 0xFFFF)
                mode = mode * 8 + static_cast<uint32_t>(*p++ - '0');
            if (p == digits || mode > 0xFFFF || p >= end || *p++ != ' ') return fail();
            const char* nul = static_cast<const char*>(std::memchr(p, '\0', static_cast<size_t>(end - p)));
            if (!nul || nul == p || end - (nul + 1) < GIT_OID_RAWSZ) return fail();
            e.mode = normalised(mode);
            e.name = std::string_view(p, static_cast<size_t>(nul - p));
            e.id = reinterpret_cast<const git_oid*>(nul + 1);
            p = nul + 1 + GIT_OID_RAWSZ;
            return true;
        }
        bool bad() const { return m_bad; }

    private:
        bool fail() {
            m_bad = true;
            p = end;
            return false;
        }
        const char* p = nullptr;
        const char* end = nullptr;
        bool m_bad = false;
    };

    RawTree() = default;
    ~RawTree() {
        if (m_obj) git_odb_object_free(m_obj);
    }
    RawTree(const RawTree&) = delete;
    RawTree& operator=(const RawTree&) = delete;

    // Reads the tree; false when it is missing or not a tree (libgit2 then says why).
    bool read(git_odb* odb, const git_oid& oid) {
        if (git_odb_read(&m_obj, odb, &oid) < 0) {
            m_obj = nullptr;
            return false;
        }
        if (git_odb_object_type(m_obj) != GIT_OBJECT_TREE) return false;
        m_data = static_cast<const char*>(git_odb_object_data(m_obj));
        m_end = m_data + git_odb_object_size(m_obj);
        return true;
    }

private:
    static git_filemode_t normalised(uint32_t mode) {
        if ((mode & 0170000) == GIT_FILEMODE_TREE) return GIT_FILEMODE_TREE;
        if (mode & 0111) return GIT_FILEMODE_BLOB_EXECUTABLE;
        if ((mode & 0170000) == GIT_FILEMODE_COMMIT) return GIT_FILEMODE_COMMIT;
        if ((mode & 0170000) == GIT_FILEMODE_LINK) return GIT_FILEMODE_LINK;
        return GIT_FILEMODE_BLOB;
    }

    git_odb_object* m_obj = nullptr;
    const char* m_data = nullptr;
    const char* m_end = nullptr;
};

// Lists the changes of commits against their parents, with blob sizes. Used by one thread at a
// time, on a repository handle no other thread uses meanwhile.
class ChangeReader {
public:
    explicit ChangeReader(git_repository* repo) : m_repo(repo) {
        git_odb* odb = nullptr;
        gitCheck(git_repository_odb(&odb, repo), "cannot open the object database");
        m_odb.reset(odb);
    }

    // The changes against the first parent; a merge's change is its own only when the path
    // differs from every parent.
    DiffResult read(const DiffJob& job) {
        DiffResult out;
        out.node = job.node;
        std::vector<TreeRef> parentTrees;
        for (size_t i = 0; i < job.parents.size(); ++i) {
            TreeRef ref{job.parentTrees[i], &job.parents[i]};
            if (!ref.id) {
                git_commit* parent = nullptr;
                if (git_commit_lookup(&parent, m_repo, &job.parents[i]) < 0) {
                    out.unreadable.push_back("parent commit " + gitOidString(&job.parents[i]).substr(0, 7) + ": " +
                                             gitLastErrorMessage());
                } else {
                    ref.id = *git_commit_tree_id(parent);
                    git_commit_free(parent);
                }
            }
            parentTrees.push_back(ref);
        }
        const TreeRef tree{job.tree, &job.commit};
        std::vector<RawChange> changes =
            diff(parentTrees.empty() ? TreeRef{} : parentTrees[0], tree, true, out.unreadable);
        if (parentTrees.size() > 1) {
            for (size_t i = 1; i < parentTrees.size(); ++i) {
                std::vector<std::string> ignored;
                auto other = diff(parentTrees[i], tree, false, ignored);
                std::unordered_set<std::string> changed;
                for (const auto& c : other) {
                    changed.insert(c.change.path);
                    if (!c.change.oldPath.empty()) changed.insert(c.change.oldPath);
                }
                for (auto& c : changes)
                    if (!changed.count(c.change.path)) c.change.own = false;
            }
        }
        out.changes.reserve(changes.size());
        for (auto& c : changes) {
            FileChange& ch = c.change;
            if (c.hasOld) ch.oldSize = blobSize(c.oldId, ch.oldPath.empty() ? ch.path : ch.oldPath, out.unreadable);
            if (c.hasNew) ch.newSize = blobSize(c.newId, ch.path, out.unreadable);
            out.changes.push_back(std::move(ch));
        }
        return out;
    }

private:
    // A change with its blob ids kept binary, for the size lookups.
    struct RawChange {
        FileChange change;
        git_oid oldId{}, newId{};
        bool hasOld = false, hasNew = false;
    };

    static void setOld(RawChange& c, const git_oid* id) {
        c.oldId = *id;
        c.hasOld = true;
        c.change.oldBlob = gitOidString(id);
    }
    static void setNew(RawChange& c, const git_oid* id) {
        c.newId = *id;
        c.hasNew = true;
        c.change.newBlob = gitOidString(id);
    }

    // A tree to compare: its id (none: the empty tree, for a parent that cannot be read) and
    // the commit it belongs to, named when the tree itself cannot be read.
    struct TreeRef {
        std::optional<git_oid> id;
        const git_oid* owner = nullptr;
    };

    // Compares two trees the way git does, skipping subtrees whose ids are equal (libgit2's
    // tree-to-tree diff reads every subtree). Returns false when the answer could differ from
    // libgit2's (a gitlink, a type change, an unreadable tree): the caller then asks libgit2.
    bool fastDiff(const RawTree* from, const RawTree* to, const std::string& prefix, std::vector<RawChange>& out,
                  bool& added, bool& deleted) {
        RawTree::Cursor fc(from), tc(to);
        RawTree::Entry fe, te;
        bool hasF = fc.next(fe), hasT = tc.next(te);
        // git's order: a tree sorts as if its name ended with '/'.
        auto compare = [](const RawTree::Entry& a, const RawTree::Entry& b) {
            size_t len = std::min(a.name.size(), b.name.size());
            int c = std::memcmp(a.name.data(), b.name.data(), len);
            if (c != 0) return c;
            unsigned char ca = a.name.size() > len ? static_cast<unsigned char>(a.name[len])
                                                   : (a.mode == GIT_FILEMODE_TREE ? '/' : 0);
            unsigned char cb = b.name.size() > len ? static_cast<unsigned char>(b.name[len])
                                                   : (b.mode == GIT_FILEMODE_TREE ? '/' : 0);
            return ca < cb ? -1 : (ca > cb ? 1 : 0);
        };
        auto path = [&](const RawTree::Entry& e) {
            std::string p;
            p.reserve(prefix.size() + e.name.size());
            p.append(prefix).append(e.name);
            return p;
        };
        auto one = [&](const RawTree::Entry& e, bool isNew) -> bool {
            if (e.mode == GIT_FILEMODE_TREE) {
                RawTree sub;
                if (!sub.read(m_odb.get(), *e.id)) return false;
                return isNew ? fastDiff(nullptr, &sub, path(e) + "/", out, added, deleted)
                             : fastDiff(&sub, nullptr, path(e) + "/", out, added, deleted);
            }
            if (e.mode == GIT_FILEMODE_COMMIT) return false;
            RawChange c;
            c.change.status = isNew ? 'A' : 'D';
            c.change.path = path(e);
            if (isNew)
                setNew(c, e.id);
            else
                setOld(c, e.id);
            (isNew ? added : deleted) = true;
            out.push_back(std::move(c));
            return true;
        };
        while (hasF || hasT) {
            if (fc.bad() || tc.bad()) return false;
            int c = !hasF ? 1 : (!hasT ? -1 : compare(fe, te));
            if (c < 0) {
                if (!one(fe, false)) return false;
                hasF = fc.next(fe);
                continue;
            }
            if (c > 0) {
                if (!one(te, true)) return false;
                hasT = tc.next(te);
                continue;
            }
            const RawTree::Entry a = fe, b = te;
            hasF = fc.next(fe);
            hasT = tc.next(te);
            bool sameId = git_oid_equal(a.id, b.id);
            if (a.mode == GIT_FILEMODE_TREE && b.mode == GIT_FILEMODE_TREE) {
                if (sameId) continue;
                RawTree ta, tb;
                if (!ta.read(m_odb.get(), *a.id) || !tb.read(m_odb.get(), *b.id)) return false;
                if (!fastDiff(&ta, &tb, path(a) + "/", out, added, deleted)) return false;
                continue;
            }
            if (a.mode == GIT_FILEMODE_COMMIT || b.mode == GIT_FILEMODE_COMMIT) return false;
            if (sameId && a.mode == b.mode) continue;
            if ((a.mode & 0170000) != (b.mode & 0170000)) return false; // split into D + A by libgit2
            RawChange ch;
            ch.change.status = 'M';
            ch.change.path = path(b);
            setOld(ch, a.id);
            setNew(ch, b.id);
            out.push_back(std::move(ch));
        }
        return !fc.bad() && !tc.bad();
    }

    // The libgit2 tree of ref (nullptr for the empty tree); throws when it cannot be read.
    GitTreePtr lookup(const TreeRef& ref) {
        if (!ref.id) return GitTreePtr(nullptr);
        git_tree* tree = nullptr;
        gitCheck(git_tree_lookup(&tree, m_repo, &*ref.id), "cannot read the tree of " + gitOidString(ref.owner));
        return GitTreePtr(tree);
    }

    // Pairs each deletion with the addition of the same blob (an exact rename). True when that
    // leaves no deletion or no addition unpaired: libgit2 pairs exact matches first, and with
    // nothing left to judge by similarity its answer is this one. False (changes left as they
    // may be) when a blob is deleted or added twice, or similarity could still pair files.
    static bool pairExactRenames(std::vector<RawChange>& changes) {
        OidMap<size_t> deletedAt, addedAt;
        for (size_t i = 0; i < changes.size(); ++i) {
            const RawChange& c = changes[i];
            if (c.change.status == 'D' && c.hasOld && !deletedAt.emplace(c.oldId, i).second) return false;
            if (c.change.status == 'A' && c.hasNew && !addedAt.emplace(c.newId, i).second) return false;
        }
        size_t unpairedDeleted = 0, unpairedAdded = 0;
        std::vector<char> gone(changes.size(), 0);
        for (const auto& [blob, d] : deletedAt) {
            auto a = addedAt.find(blob);
            if (a == addedAt.end()) {
                ++unpairedDeleted;
                continue;
            }
            RawChange& to = changes[a->second];
            to.change.status = 'R';
            to.change.oldPath = changes[d].change.path;
            to.oldId = changes[d].oldId;
            to.hasOld = true;
            to.change.oldBlob = changes[d].change.oldBlob;
            gone[d] = 1;
        }
        for (const auto& [blob, a] : addedAt)
            if (changes[a].change.status == 'A') ++unpairedAdded;
        if (unpairedDeleted > 0 && unpairedAdded > 0) return false;
        size_t kept = 0;
        for (size_t i = 0; i < changes.size(); ++i)
            if (!gone[i]) {
                if (kept != i) changes[kept] = std::move(changes[i]);
                ++kept;
            }
        changes.resize(kept);
        return true;
    }

    std::vector<RawChange> diff(const TreeRef& fromRef, const TreeRef& toRef, bool renames,
                                std::vector<std::string>& unreadable) {
        auto byPath = [](const RawChange& a, const RawChange& b) { return a.change.path < b.change.path; };
        {
            // Rename detection only pairs deletions with additions: without both (or with exact
            // renames only), libgit2's answer is the plain comparison.
            RawTree a, b;
            std::vector<RawChange> fast;
            bool added = false, deleted = false;
            if ((!fromRef.id || a.read(m_odb.get(), *fromRef.id)) && b.read(m_odb.get(), *toRef.id) &&
                fastDiff(fromRef.id ? &a : nullptr, &b, "", fast, added, deleted) &&
                (!(renames && added && deleted) || pairExactRenames(fast))) {
                std::sort(fast.begin(), fast.end(), byPath);
                return fast;
            }
        }
        GitTreePtr fromTree = lookup(fromRef);
        GitTreePtr toTree = lookup(toRef);
        git_tree* from = fromTree.get();
        git_tree* to = toTree.get();
        git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
        opts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
        auto make = [&] {
            git_diff* raw = nullptr;
            gitCheck(git_diff_tree_to_tree(&raw, m_repo, from, to, &opts), "cannot compare trees");
            return GitDiffPtr(raw);
        };
        GitDiffPtr d = make();
        if (renames) {
            git_diff_find_options fo = GIT_DIFF_FIND_OPTIONS_INIT;
            fo.flags = GIT_DIFF_FIND_RENAMES;
            fo.rename_threshold = 50;
            fo.rename_limit = 1000;
            if (git_diff_find_similar(d.get(), &fo) < 0) {
                // A blob needed to judge similarity is missing: exact renames only.
                unreadable.push_back("rename detection limited to exact renames: " + gitLastErrorMessage());
                d = make();
                fo.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_EXACT_MATCH_ONLY;
                gitCheck(git_diff_find_similar(d.get(), &fo), "cannot detect renames");
            }
        }
        std::vector<RawChange> out;
        size_t count = git_diff_num_deltas(d.get());
        out.reserve(count);
        for (size_t i = 0; i < count; ++i) {
            const git_diff_delta* delta = git_diff_get_delta(d.get(), i);
            RawChange c;
            c.change.status = statusLetter(delta->status);
            bool hasOld = c.change.status != 'A', hasNew = c.change.status != 'D';
            c.change.path = hasNew ? delta->new_file.path : delta->old_file.path;
            if (c.change.status == 'R') c.change.oldPath = delta->old_file.path;
            if (hasOld && delta->old_file.mode != GIT_FILEMODE_COMMIT) setOld(c, &delta->old_file.id);
            if (hasNew && delta->new_file.mode != GIT_FILEMODE_COMMIT) setNew(c, &delta->new_file.id);
            out.push_back(std::move(c));
        }
        std::sort(out.begin(), out.end(), byPath);
        return out;
    }

    int64_t blobSize(const git_oid& blob, const std::string& path, std::vector<std::string>& unreadable) {
        if (auto it = m_sizes.find(blob); it != m_sizes.end()) return it->second;
        size_t size = 0;
        git_object_t type = GIT_OBJECT_ANY;
        int rc = git_odb_read_header(&size, &type, m_odb.get(), &blob);
        if (rc < 0) {
            if (!isNotFound(rc)) gitCheck(rc, "cannot read object " + gitOidString(&blob));
            unreadable.push_back("blob " + gitOidString(&blob).substr(0, 7) + " of " + path +
                                 ": missing from the object database");
            return -1;
        }
        m_sizes.emplace(blob, static_cast<int64_t>(size));
        return static_cast<int64_t>(size);
    }

    git_repository* m_repo;
    GitOdbPtr m_odb;
    OidMap<int64_t> m_sizes;
};

std::optional<std::pair<int64_t, int64_t>> lookupCommit(sqlite::Database& db, const std::string& oid) {
    auto st = db.prepare("SELECT id, generation FROM history_commits WHERE oid = ?1");
    st.bindText(1, oid);
    if (!st.step()) return std::nullopt;
    return std::make_pair(st.columnInt64(0), st.columnInt64(1));
}

// Reads commit rows (metadata and co-authors) for the given row ids.
std::unordered_map<int64_t, IndexedCommit> loadCommits(sqlite::Database& db,
                                                       const std::vector<int64_t>& ids) {
    std::unordered_map<int64_t, IndexedCommit> out;
    auto st =
        db.prepare("SELECT oid, generation, summary, author_name, author_email, author_time, author_offset, "
                   "committer_name, committer_email, committer_time, committer_offset, parents, unreadable "
                   "FROM history_commits WHERE id = ?1");
    auto co = db.prepare("SELECT name, email FROM history_coauthors WHERE commit_id = ?1 ORDER BY position");
    for (int64_t id : ids) {
        st.reset();
        st.bindInt64(1, id);
        if (!st.step()) continue;
        IndexedCommit c;
        c.id = st.columnText(0);
        c.generation = st.columnInt64(1);
        c.summary = st.columnText(2);
        c.author = {st.columnText(3), st.columnText(4), st.columnInt64(5),
                    static_cast<int>(st.columnInt64(6))};
        c.committer = {st.columnText(7), st.columnText(8), st.columnInt64(9),
                       static_cast<int>(st.columnInt64(10))};
        c.parents = splitOn(st.columnText(11), ' ');
        c.unreadable = splitOn(st.columnText(12), '\n');
        co.reset();
        co.bindInt64(1, id);
        while (co.step())
            c.coAuthors.push_back({co.columnText(0), co.columnText(1), 0, 0});
        out.emplace(id, std::move(c));
    }
    return out;
}

FileChange changeFromRow(sqlite::Statement& st, int first) {
    FileChange c;
    std::string status = st.columnText(first);
    c.status = status.empty() ? 'M' : status[0];
    c.path = st.columnText(first + 1);
    c.oldPath = st.columnIsNull(first + 2) ? "" : st.columnText(first + 2);
    c.oldBlob = st.columnText(first + 3);
    c.newBlob = st.columnText(first + 4);
    c.oldSize = st.columnInt64(first + 5);
    c.newSize = st.columnInt64(first + 6);
    c.own = st.columnInt64(first + 7) != 0;
    return c;
}

constexpr const char* kChangeColumns =
    "ch.status, ch.path, ch.old_path, ch.old_blob, ch.new_blob, ch.old_size, ch.new_size, ch.own";

// Orders commits children first: decreasing generation, then newest first, then id.
void sortChildrenFirst(std::vector<IndexedCommit>& commits) {
    std::sort(commits.begin(), commits.end(), [](const IndexedCommit& a, const IndexedCommit& b) {
        if (a.generation != b.generation) return a.generation > b.generation;
        if (a.committer.time != b.committer.time) return a.committer.time > b.committer.time;
        return a.id < b.id;
    });
}

bool underName(const std::string& path, const std::string& name) {
    if (name.empty()) return true;
    return path == name ||
           (path.size() > name.size() && path.compare(0, name.size(), name) == 0 && path[name.size()] == '/');
}


// Writes rows of one table with multi-row INSERTs, kRows rows a statement: one statement per
// row costs SQLite about twice the work per row. A callback binds each row; text is bound
// without copying, so its values must outlive write().
class MultiInsert {
public:
    static constexpr size_t kRows = 32;

    MultiInsert(sqlite::Database& db, std::string head, int columns)
        : m_db(db), m_head(std::move(head)), m_columns(columns) {}

    // bindRow(statement, row, first parameter index) binds row number `row` of count.
    template <class Bind>
    void write(size_t count, Bind&& bindRow) {
        for (size_t done = 0; done < count;) {
            const size_t n = std::min(kRows, count - done);
            sqlite::Statement& st = statement(n);
            st.reset();
            for (size_t r = 0; r < n; ++r)
                bindRow(st, done + r, static_cast<int>(r) * m_columns + 1);
            st.run();
            done += n;
        }
    }

private:
    sqlite::Statement& statement(size_t rows) {
        auto it = m_statements.find(rows);
        if (it != m_statements.end()) return it->second;
        std::string sql = m_head;
        for (size_t r = 0; r < rows; ++r) {
            sql += r ? ", (" : "(";
            for (int c = 0; c < m_columns; ++c)
                sql += c ? ", ?" : "?";
            sql += ')';
        }
        return m_statements.emplace(rows, m_db.prepare(sql)).first->second;
    }

    sqlite::Database& m_db;
    std::string m_head;
    int m_columns;
    std::map<size_t, sqlite::Statement> m_statements;
};

// The indexed commits reachable from a row, found by walking history_parents in memory: one
// ordered scan of the table, ten times cheaper than a recursive CTE over thousands of commits.
class Reach {
public:
    Reach(sqlite::Database& db, int64_t tipRow) {
        std::vector<std::pair<int64_t, int64_t>> edges; // (commit, parent), ordered by commit
        auto st = db.prepare("SELECT commit_id, parent_id FROM history_parents ORDER BY commit_id, position");
        int64_t maxRow = tipRow;
        while (st.step()) {
            edges.emplace_back(st.columnInt64(0), st.columnInt64(1));
            maxRow = std::max({maxRow, edges.back().first, edges.back().second});
        }
        if (tipRow < 0) return;
        std::vector<size_t> first(static_cast<size_t>(maxRow) + 2, 0);
        for (const auto& e : edges)
            ++first[static_cast<size_t>(e.first) + 1];
        for (size_t i = 1; i < first.size(); ++i)
            first[i] += first[i - 1];
        m_seen.assign(static_cast<size_t>(maxRow) + 1, 0);
        std::vector<int64_t> stack{tipRow};
        m_seen[static_cast<size_t>(tipRow)] = 1;
        while (!stack.empty()) {
            auto row = static_cast<size_t>(stack.back());
            stack.pop_back();
            ++m_count;
            for (size_t k = first[row]; k < first[row + 1]; ++k) {
                auto parent = static_cast<size_t>(edges[k].second);
                if (!m_seen[parent]) {
                    m_seen[parent] = 1;
                    stack.push_back(edges[k].second);
                }
            }
        }
    }

    bool contains(int64_t row) const {
        return row >= 0 && static_cast<size_t>(row) < m_seen.size() && m_seen[static_cast<size_t>(row)];
    }
    size_t count() const { return m_count; }

private:
    std::vector<char> m_seen;
    size_t m_count = 0;
};

// Opens a second handle on repo whose object database has pack files of its own. libgit2 shares
// an opened pack file — and the lock that serialises reading it — between all handles that name
// it by the same path, so two threads reading one repository at once mostly wait for each other;
// naming the objects folder "objects/./" gives this handle its own. Null when that fails.
GitRepositoryPtr openPrivateHandle(git_repository* repo) {
    git_repository* raw = nullptr;
    if (git_repository_open_ext(&raw, git_repository_path(repo), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) < 0)
        return nullptr;
    GitRepositoryPtr handle(raw);
    git_buf objects = GIT_BUF_INIT;
    if (git_repository_item_path(&objects, repo, GIT_REPOSITORY_ITEM_OBJECTS) < 0) return nullptr;
    std::string path(objects.ptr, objects.size);
    git_buf_dispose(&objects);
    if (path.empty() || path.back() != '/') path += '/';
    path += "./";
    git_odb* odb = nullptr;
    if (git_odb_open(&odb, path.c_str()) < 0) return nullptr;
    GitOdbPtr odbPtr(odb);
    if (git_repository_set_odb(handle.get(), odb) < 0) return nullptr;
    return handle;
}

// Lists the changes of walked commits on a second thread, while the walk goes on and then while
// the caller writes rows. Results come back in the order of the jobs. The thread reads through
// a handle of its own (openPrivateHandle); without one it starts when the walk is over, on the
// caller's handle. A short list (an incremental update) is read inline by next().
class DiffPipeline {
public:
    explicit DiffPipeline(git_repository* repo) : m_repo(repo), m_inline(repo) {}
    ~DiffPipeline() { stop(); }
    DiffPipeline(const DiffPipeline&) = delete;
    DiffPipeline& operator=(const DiffPipeline&) = delete;

    // From the walk, in order.
    void submit(DiffJob job) {
        m_local.push_back(std::move(job));
        if (!m_triedPrivate && m_local.size() >= kThreadFrom) {
            m_triedPrivate = true;
            if ((m_private = openPrivateHandle(m_repo))) start(m_private.get());
        }
        if (m_thread.joinable() && m_local.size() >= kBatch) handOver();
    }

    // The walk is over: from now on the caller leaves the repository to the pipeline.
    void close() {
        if (!m_thread.joinable() && m_local.size() >= kThreadFrom) start(m_repo);
        if (m_thread.joinable()) handOver();
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_input.notify_one();
    }

    // The next result; rethrows what reading it threw.
    DiffResult next() {
        if (!m_thread.joinable()) return m_inline.read(m_local.at(m_taken++));
        std::unique_lock lock(m_mutex);
        while (m_results.empty() && !m_done) {
            m_waitingForResults = true;
            m_output.wait(lock);
            m_waitingForResults = false;
        }
        if (m_results.empty()) {
            if (m_error) std::rethrow_exception(m_error);
            throw std::logic_error("history pipeline ran dry");
        }
        DiffResult r = std::move(m_results.front());
        m_results.pop_front();
        return r;
    }

    // Stops the reading thread (also when the caller gave up early) and waits for it.
    void stop() {
        if (!m_thread.joinable()) return;
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_input.notify_one();
        m_thread.join();
    }

private:
    static constexpr size_t kThreadFrom = 64;
    static constexpr size_t kBatch = 32;

    void start(git_repository* repo) {
        m_reader.emplace(repo);
        m_thread = std::thread([this] { produce(); });
    }

    void handOver() {
        std::lock_guard lock(m_mutex);
        for (auto& job : m_local)
            m_jobs.push_back(std::move(job));
        m_local.clear();
        if (m_waitingForJobs) m_input.notify_one();
    }

    void produce() {
        try {
            std::vector<DiffJob> batch;
            std::vector<DiffResult> done;
            for (;;) {
                {
                    std::unique_lock lock(m_mutex);
                    while (m_jobs.empty() && !m_closed && !m_stop) {
                        m_waitingForJobs = true;
                        m_input.wait(lock);
                        m_waitingForJobs = false;
                    }
                    if (m_stop || m_jobs.empty()) break;
                    batch.assign(std::make_move_iterator(m_jobs.begin()), std::make_move_iterator(m_jobs.end()));
                    m_jobs.clear();
                }
                for (size_t i = 0; i < batch.size(); i += kBatch) {
                    done.clear();
                    for (size_t k = i; k < std::min(batch.size(), i + kBatch); ++k)
                        done.push_back(m_reader->read(batch[k]));
                    std::lock_guard lock(m_mutex);
                    for (auto& r : done)
                        m_results.push_back(std::move(r));
                    if (m_waitingForResults) m_output.notify_one();
                    if (m_stop) break;
                }
            }
        } catch (...) {
            std::lock_guard lock(m_mutex);
            m_error = std::current_exception();
        }
        // Freed here, off the thread writing rows.
        m_reader.reset();
        m_private.reset();
        std::lock_guard lock(m_mutex);
        m_done = true;
        m_output.notify_one();
    }

    git_repository* m_repo;
    ChangeReader m_inline;
    std::vector<DiffJob> m_local; // submitted, not handed over yet (all of them when inline)
    size_t m_taken = 0;
    bool m_triedPrivate = false;
    GitRepositoryPtr m_private;
    std::optional<ChangeReader> m_reader;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_input, m_output;
    std::deque<DiffJob> m_jobs;
    std::deque<DiffResult> m_results;
    std::exception_ptr m_error;
    bool m_waitingForJobs = false, m_waitingForResults = false;
    bool m_closed = false, m_done = false, m_stop = false;
};


} // namespace

// ---- trailers, partial clones ---------------------------------------------------------------

std::vector<Signature> coAuthorsOf(const std::string& message) {
    std::vector<Signature> out;
    GitSession session; // libgit2's allocator must be set up, also when no repository is open
    git_message_trailer_array arr{};
    if (git_message_trailers(&arr, message.c_str()) < 0) return out;
    for (size_t i = 0; i < arr.count; ++i) {
        std::string key = arr.trailers[i].key;
        std::transform(key.begin(), key.end(), key.begin(),
                       [](unsigned char ch) { return std::tolower(ch); });
        if (key != "co-authored-by") continue;
        std::string value = arr.trailers[i].value;
        Signature s;
        auto lt = value.find('<');
        auto gt = value.rfind('>');
        if (lt != std::string::npos && gt != std::string::npos && gt > lt) {
            s.name = value.substr(0, lt);
            s.email = value.substr(lt + 1, gt - lt - 1);
        } else {
            s.name = value;
        }
        while (!s.name.empty() && s.name.back() == ' ')
            s.name.pop_back();
        while (!s.name.empty() && s.name.front() == ' ')
            s.name.erase(0, 1);
        if (!s.name.empty() || !s.email.empty()) out.push_back(std::move(s));
    }
    git_message_trailer_array_free(&arr);
    return out;
}

void allowPartialClones() {
    // Every GitSession allows them; this one keeps libgit2 (and so the option) for the process.
    static GitSession* session = new GitSession();
    (void)session;
}

// ---- PathFollower ---------------------------------------------------------------------------

PathFollower::PathFollower(const PathQuery& query) : m_excluded(query.excluded) {
    for (const auto& p : query.paths)
        m_names.push_back({p, INT64_MAX});
}

int PathFollower::match(const std::string& path, int64_t generation) const {
    int best = -1;
    for (const auto& n : m_names)
        if (generation < n.before && underName(path, n.path))
            best = std::max(best, static_cast<int>(n.path.size()));
    return best;
}

int PathFollower::excludedMatch(const std::string& path) const {
    int best = -1;
    for (const auto& e : m_excluded)
        if (!e.empty() && underName(path, e)) best = std::max(best, static_cast<int>(e.size()));
    return best;
}

std::vector<size_t> PathFollower::accept(const IndexedCommit& commit) {
    std::vector<size_t> out;
    const int64_t g = commit.generation;
    auto belongs = [&](const std::string& path) {
        int m = match(path, g);
        return m >= 0 && m > excludedMatch(path);
    };
    std::vector<Name> learned;
    for (size_t i = 0; i < commit.changes.size(); ++i) {
        const FileChange& c = commit.changes[i];
        if (!c.own) continue;
        bool newIn = belongs(c.path);
        bool oldIn = c.status == 'R' && belongs(c.oldPath);
        if (!newIn && !oldIn) continue;
        out.push_back(i);
        if (c.status != 'R' || !newIn || oldIn) continue;
        // Renamed into the query: follow the old name for older commits.
        const Name* by = nullptr;
        for (const auto& n : m_names)
            if (g < n.before && underName(c.path, n.path) && (!by || n.path.size() > by->path.size()))
                by = &n;
        std::string old = c.oldPath;
        if (by && by->path != c.path) {
            std::string rest = by->path.empty() ? c.path : c.path.substr(by->path.size() + 1);
            if (c.oldPath.size() > rest.size() + 1 &&
                c.oldPath.compare(c.oldPath.size() - rest.size(), rest.size(), rest) == 0 &&
                c.oldPath[c.oldPath.size() - rest.size() - 1] == '/')
                old = c.oldPath.substr(0, c.oldPath.size() - rest.size() - 1);
        }
        learned.push_back({old, g});
    }
    for (auto& n : learned) {
        bool known = false;
        for (const auto& e : m_names)
            if (e.path == n.path && e.before >= n.before) known = true;
        if (!known) m_names.push_back(std::move(n));
    }
    return out;
}

std::vector<std::string> PathFollower::names() const {
    std::vector<std::string> out;
    for (const auto& n : m_names)
        if (std::find(out.begin(), out.end(), n.path) == out.end()) out.push_back(n.path);
    return out;
}

// ---- HistoryIndex ---------------------------------------------------------------------------

HistoryIndex::HistoryIndex(const Repository& repo, Store& store) : m_repo(repo), m_store(store) {}

IndexUpdate HistoryIndex::update(const std::string& rev, const Progress& progress) {
    IndexUpdate result;
    auto tip = m_repo.resolve(rev);
    if (!tip) {
        if (rev == "HEAD") return result;
        throw GitError("unknown revision '" + rev + "'");
    }
    result.tip = *tip;
    indexFrom(*tip, progress, result);
    if (result.indexed > 0) m_store.bumpCounter("history.indexed", static_cast<int64_t>(result.indexed));
    return result;
}

void HistoryIndex::indexFrom(const std::string& tip, const Progress& progress, IndexUpdate& result) {
    const auto& handle = detail::RepositoryAccess::handle(m_repo);
    auto locked = detail::lockStoreDatabase(m_store);
    sqlite::Database& db = locked.db;
    std::lock_guard gitLock(handle->mutex);
    git_repository* repo = handle->repo.get();
    git_odb* odbRaw = nullptr;
    gitCheck(git_repository_odb(&odbRaw, repo), "cannot open the object database");
    GitOdbPtr odb(odbRaw);

    // Bulk-insert settings, set outside the transaction and restored on every exit:
    // - every row references rows of this update or rows indexed before, so SQLite's per-row
    //   foreign-key lookups (a fifth of a first build) are off;
    // - no fsync: the index is derived data, and WAL keeps the file consistent when the
    //   process dies; after a power loss a damaged store is detected and rebuilt (store.md).
    struct BulkInsert {
        sqlite::Database& db;
        explicit BulkInsert(sqlite::Database& d) : db(d) { db.exec("PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF"); }
        ~BulkInsert() {
            try {
                db.exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL");
            } catch (...) {
            }
        }
    } bulkInsert(db);
    // One write transaction from the walk to the last row: the walk sees an index no other
    // process changes meanwhile (another indexer waits its turn, then finds the commits indexed),
    // and a cancelled or failed update leaves the index as it was.
    std::optional<sqlite::Transaction> tx;
    {
        struct BusyWait {
            sqlite::Database& db;
            explicit BusyWait(sqlite::Database& d) : db(d) { db.setBusyTimeout(kIndexerWaitMs); }
            ~BusyWait() {
                try {
                    db.setBusyTimeout(detail::kStoreBusyTimeoutMs);
                } catch (...) {
                }
            }
        } wait(db);
        tx.emplace(db);
    }

    // Walk from the tip down to the indexed commits. Each walked commit's changes are listed by
    // the pipeline as soon as its first parent's tree is known (the parent is walked next).
    struct Walked {
        IndexedCommit commit;         // metadata; changes and unreadable come from the pipeline
        std::vector<git_oid> present; // parents in the object database, first parent first
        git_oid tree{};
    };
    std::vector<Walked> nodes;
    OidMap<size_t> walked;                     // oid → position in nodes
    OidMap<std::pair<int64_t, int64_t>> known; // indexed oid → (row id, generation)
    auto lookup = db.prepare("SELECT id, generation FROM history_commits WHERE oid = ?1");
    // An empty index (the first build) knows no commit: no need to ask for each one.
    const bool indexEmpty = !db.queryInt64("SELECT EXISTS (SELECT 1 FROM history_commits)").value_or(0);
    auto isKnown = [&](const git_oid& oid) {
        if (indexEmpty) return false;
        if (known.count(oid)) return true;
        lookup.reset();
        lookup.bindText(1, gitOidString(&oid));
        if (!lookup.step()) return false;
        known.emplace(oid, std::make_pair(lookup.columnInt64(0), lookup.columnInt64(1)));
        return true;
    };
    DiffPipeline pipeline(repo);
    OidMap<std::vector<DiffJob>> waiting; // walked commit → jobs waiting for its tree
    git_oid tipOid;
    gitCheck(git_oid_fromstr(&tipOid, tip.c_str()), "bad commit id");
    std::vector<git_oid> stack{tipOid};
    while (!stack.empty()) {
        git_oid oid = stack.back();
        stack.pop_back();
        if (walked.count(oid) || isKnown(oid)) continue;
        progress.throwIfCancelled();
        git_commit* raw = nullptr;
        gitCheck(git_commit_lookup(&raw, repo, &oid), "cannot read commit " + gitOidString(&oid));
        GitCommitPtr commit(raw);
        const size_t at = nodes.size();
        walked.emplace(oid, at);
        Walked w;
        w.tree = *git_commit_tree_id(commit.get());
        IndexedCommit& c = w.commit;
        c.id = gitOidString(&oid);
        const char* message = git_commit_message(commit.get());
        std::string msg = message ? message : "";
        c.summary = summaryOf(msg);
        c.author = signatureOf(git_commit_author(commit.get()));
        c.committer = signatureOf(git_commit_committer(commit.get()));
        if (mentionsCoAuthor(msg)) c.coAuthors = coAuthorsOf(msg);
        DiffJob job;
        job.node = at;
        job.commit = oid;
        job.tree = w.tree;
        bool firstPending = false; // the first parent is still to be walked: wait for its tree
        for (unsigned i = 0; i < git_commit_parentcount(commit.get()); ++i) {
            const git_oid pid = *git_commit_parent_id(commit.get(), i);
            c.parents.push_back(gitOidString(&pid));
            job.parents.push_back(pid);
            auto seen = walked.find(pid);
            job.parentTrees.push_back(seen != walked.end() ? std::optional<git_oid>(nodes[seen->second].tree)
                                                           : std::nullopt);
            if (git_odb_exists(odb.get(), &pid) == 1) {
                w.present.push_back(pid);
                if (i == 0 && seen == walked.end() && !isKnown(pid)) firstPending = true;
            }
        }
        nodes.push_back(std::move(w));
        if (auto it = waiting.find(oid); it != waiting.end()) {
            for (auto& child : it->second) {
                for (size_t k = 0; k < child.parents.size(); ++k)
                    if (git_oid_equal(&child.parents[k], &oid)) child.parentTrees[k] = nodes[at].tree;
                pipeline.submit(std::move(child));
            }
            waiting.erase(it);
        }
        if (firstPending)
            waiting[job.parents[0]].push_back(std::move(job));
        else
            pipeline.submit(std::move(job));
        const auto& present = nodes[at].present;
        for (size_t i = present.size(); i-- > 0;)
            stack.push_back(present[i]); // the first parent is walked first
    }
    for (auto& [parent, jobs] : waiting) // none left in a complete walk
        for (auto& job : jobs)
            pipeline.submit(std::move(job));
    pipeline.close();

    // Generations, parents first (post-order over the walked commits).
    std::vector<int64_t> generation(nodes.size(), 0);
    {
        std::vector<std::pair<size_t, size_t>> dfs; // (node, next parent to look at)
        for (size_t root = 0; root < nodes.size(); ++root) {
            if (generation[root] != 0) continue;
            dfs.emplace_back(root, 0);
            while (!dfs.empty()) {
                const size_t i = dfs.back().first;
                const auto& present = nodes[i].present;
                if (dfs.back().second < present.size()) {
                    auto p = walked.find(present[dfs.back().second++]);
                    if (p != walked.end() && generation[p->second] == 0) dfs.emplace_back(p->second, 0);
                    continue;
                }
                int64_t g = 1;
                for (const auto& parent : present) {
                    if (auto p = walked.find(parent); p != walked.end())
                        g = std::max(g, generation[p->second] + 1);
                    else if (auto k = known.find(parent); k != known.end())
                        g = std::max(g, k->second.second + 1);
                }
                generation[i] = g;
                dfs.pop_back();
            }
        }
    }

    // Rows: the walked commits take the row ids after the last one, in walk order.
    const int64_t base = db.queryInt64("SELECT coalesce(max(id), 0) FROM history_commits").value_or(0) + 1;
    auto rowOf = [&](const git_oid& oid) {
        if (auto p = walked.find(oid); p != walked.end()) return base + static_cast<int64_t>(p->second);
        return known.at(oid).first;
    };
    MultiInsert insCommits(db,
                           "INSERT INTO history_commits (id, oid, generation, summary, author_name, author_email, "
                           "author_time, author_offset, committer_name, committer_email, committer_time, "
                           "committer_offset, parents, unreadable) VALUES ",
                           14);
    MultiInsert insParents(db, "INSERT INTO history_parents (commit_id, position, parent_id) VALUES ", 3);
    MultiInsert insCoAuthors(db, "INSERT INTO history_coauthors (commit_id, position, name, email) VALUES ", 4);
    MultiInsert insChanges(db,
                           "INSERT INTO history_changes (commit_id, position, status, path, old_path, old_blob, "
                           "new_blob, old_size, new_size, own) VALUES ",
                           10);
    // Rows go in groups of results; the group's values stay alive until its rows are written.
    struct Group {
        std::vector<DiffResult> results;
        std::vector<std::string> parents, unreadable;                   // per result, joined
        std::vector<std::array<int64_t, 3>> parentRows;                 // (commit, position, parent)
        std::vector<std::tuple<int64_t, int64_t, const Signature*>> co; // (commit, position, who)
        std::vector<std::tuple<int64_t, int64_t, const FileChange*>> changes;
    } group;
    auto rowOfNode = [&](size_t node) { return base + static_cast<int64_t>(node); };
    auto writeGroup = [&] {
        for (const DiffResult& r : group.results) {
            const Walked& w = nodes[r.node];
            group.parents.push_back(joinLines(w.commit.parents, ' '));
            group.unreadable.push_back(joinLines(r.unreadable, '\n'));
            for (size_t i = 0; i < w.present.size(); ++i)
                group.parentRows.push_back({rowOfNode(r.node), static_cast<int64_t>(i), rowOf(w.present[i])});
            for (size_t i = 0; i < w.commit.coAuthors.size(); ++i)
                group.co.emplace_back(rowOfNode(r.node), static_cast<int64_t>(i), &w.commit.coAuthors[i]);
            for (size_t i = 0; i < r.changes.size(); ++i)
                group.changes.emplace_back(rowOfNode(r.node), static_cast<int64_t>(i), &r.changes[i]);
        }
        insCommits.write(group.results.size(), [&](sqlite::Statement& st, size_t k, int at) {
            const DiffResult& r = group.results[k];
            const IndexedCommit& c = nodes[r.node].commit;
            st.bindInt64(at, rowOfNode(r.node)).bindTextRef(at + 1, c.id).bindInt64(at + 2, generation[r.node]);
            st.bindTextRef(at + 3, c.summary).bindTextRef(at + 4, c.author.name).bindTextRef(at + 5, c.author.email);
            st.bindInt64(at + 6, c.author.time).bindInt64(at + 7, c.author.offsetMinutes);
            st.bindTextRef(at + 8, c.committer.name).bindTextRef(at + 9, c.committer.email);
            st.bindInt64(at + 10, c.committer.time).bindInt64(at + 11, c.committer.offsetMinutes);
            st.bindTextRef(at + 12, group.parents[k]).bindTextRef(at + 13, group.unreadable[k]);
        });
        insParents.write(group.parentRows.size(), [&](sqlite::Statement& st, size_t k, int at) {
            const auto& p = group.parentRows[k];
            st.bindInt64(at, p[0]).bindInt64(at + 1, p[1]).bindInt64(at + 2, p[2]);
        });
        insCoAuthors.write(group.co.size(), [&](sqlite::Statement& st, size_t k, int at) {
            const auto& [row, position, who] = group.co[k];
            st.bindInt64(at, row).bindInt64(at + 1, position).bindTextRef(at + 2, who->name);
            st.bindTextRef(at + 3, who->email);
        });
        insChanges.write(group.changes.size(), [&](sqlite::Statement& st, size_t k, int at) {
            const auto& [row, position, ch] = group.changes[k];
            st.bindInt64(at, row).bindInt64(at + 1, position);
            st.bindTextRef(at + 2, std::string_view(&ch->status, 1)).bindTextRef(at + 3, ch->path);
            if (ch->oldPath.empty())
                st.bindNull(at + 4);
            else
                st.bindTextRef(at + 4, ch->oldPath);
            st.bindTextRef(at + 5, ch->oldBlob).bindTextRef(at + 6, ch->newBlob);
            st.bindInt64(at + 7, ch->oldSize).bindInt64(at + 8, ch->newSize).bindInt64(at + 9, ch->own ? 1 : 0);
        });
        for (const DiffResult& r : group.results) // written: free it now, while the reader works
            nodes[r.node] = Walked();
        group = Group();
    };
    for (size_t k = 0; k < nodes.size(); ++k) {
        progress.throwIfCancelled();
        group.results.push_back(pipeline.next());
        if (group.results.size() == MultiInsert::kRows || k + 1 == nodes.size()) writeGroup();
        if (nodes.size() > 50 && (k + 1) % 50 == 0)
            progress.report(static_cast<double>(k + 1) / nodes.size(), "indexing history");
    }
    pipeline.stop();
    tx->commit();
    if (!nodes.empty()) db.relaxSyncOnClose();
    result.indexed = nodes.size();
    // After a first build everything indexed is reachable from the tip.
    result.reachable = indexEmpty ? nodes.size() : Reach(db, rowOf(tipOid)).count();
}

std::vector<std::string> HistoryIndex::reachableIds(const std::string& tip) const {
    std::vector<std::string> out;
    if (tip.empty()) return out;
    auto locked = detail::lockStoreDatabase(m_store);
    auto row = lookupCommit(locked.db, tip);
    if (!row) return out;
    auto st = locked.db.prepare(std::string(kReach) +
                                "SELECT c.oid FROM reach JOIN history_commits c ON c.id = reach.id "
                                "ORDER BY c.generation DESC, c.committer_time DESC, c.oid");
    st.bindInt64(1, row->first);
    while (st.step())
        out.push_back(st.columnText(0));
    return out;
}

std::vector<IndexedCommit> HistoryIndex::reachable(const std::string& tip, bool withChanges) const {
    std::vector<IndexedCommit> out;
    if (tip.empty()) return out;
    auto locked = detail::lockStoreDatabase(m_store);
    auto& db = locked.db;
    auto row = lookupCommit(db, tip);
    if (!row) return out;
    std::unordered_map<int64_t, size_t> at;
    {
        auto st = db.prepare(
            std::string(kReach) +
            "SELECT c.id, c.oid, c.generation, c.summary, c.author_name, c.author_email, "
            "c.author_time, c.author_offset, c.committer_name, c.committer_email, c.committer_time, "
            "c.committer_offset, c.parents, c.unreadable "
            "FROM reach JOIN history_commits c ON c.id = reach.id");
        st.bindInt64(1, row->first);
        while (st.step()) {
            IndexedCommit c;
            c.id = st.columnText(1);
            c.generation = st.columnInt64(2);
            c.summary = st.columnText(3);
            c.author = {st.columnText(4), st.columnText(5), st.columnInt64(6),
                        static_cast<int>(st.columnInt64(7))};
            c.committer = {st.columnText(8), st.columnText(9), st.columnInt64(10),
                           static_cast<int>(st.columnInt64(11))};
            c.parents = splitOn(st.columnText(12), ' ');
            c.unreadable = splitOn(st.columnText(13), '\n');
            at.emplace(st.columnInt64(0), out.size());
            out.push_back(std::move(c));
        }
    }
    {
        auto st = db.prepare(
            std::string(kReach) +
            "SELECT co.commit_id, co.name, co.email FROM reach "
            "JOIN history_coauthors co ON co.commit_id = reach.id ORDER BY co.commit_id, co.position");
        st.bindInt64(1, row->first);
        while (st.step())
            out[at.at(st.columnInt64(0))].coAuthors.push_back({st.columnText(1), st.columnText(2), 0, 0});
    }
    if (withChanges) {
        auto st = db.prepare(std::string(kReach) + "SELECT ch.commit_id, " + kChangeColumns +
                             " FROM reach JOIN history_changes ch ON ch.commit_id = reach.id "
                             "ORDER BY ch.commit_id, ch.position");
        st.bindInt64(1, row->first);
        while (st.step())
            out[at.at(st.columnInt64(0))].changes.push_back(changeFromRow(st, 1));
    }
    sortChildrenFirst(out);
    return out;
}

std::vector<PathCommit> HistoryIndex::touching(const std::string& tip, const PathQuery& query) const {
    std::vector<PathCommit> out;
    if (tip.empty()) return out;
    auto locked = detail::lockStoreDatabase(m_store);
    auto& db = locked.db;
    auto row = lookupCommit(db, tip);
    if (!row) return out;

    Reach reach(db, row->first);
    std::unordered_map<int64_t, int64_t> generation; // candidate row id → generation
    auto generationOf = db.prepare("SELECT generation FROM history_commits WHERE id = ?1");

    // Candidate changes by commit: every reachable rename, plus what lies under a followed name.
    std::map<int64_t, std::map<int64_t, FileChange>> candidates; // commit row → position → change
    auto take = [&](sqlite::Statement& st) {
        while (st.step()) {
            int64_t commitRow = st.columnInt64(0);
            if (!reach.contains(commitRow)) continue;
            if (!generation.count(commitRow)) {
                generationOf.reset();
                generationOf.bindInt64(1, commitRow);
                generation.emplace(commitRow, generationOf.step() ? generationOf.columnInt64(0) : 0);
            }
            candidates[commitRow].emplace(st.columnInt64(1), changeFromRow(st, 2));
        }
    };
    {
        auto st = db.prepare(std::string("SELECT ch.commit_id, ch.position, ") + kChangeColumns +
                             " FROM history_changes ch WHERE ch.old_path IS NOT NULL");
        take(st);
    }
    auto toCommits = [&](std::vector<int64_t>* rows) {
        std::vector<IndexedCommit> commits;
        for (const auto& [commitRow, changes] : candidates) {
            IndexedCommit c;
            c.generation = generation.at(commitRow);
            c.committer.time = 0;
            c.id = std::to_string(commitRow);
            for (const auto& [pos, ch] : changes)
                c.changes.push_back(ch);
            commits.push_back(std::move(c));
        }
        sortChildrenFirst(commits);
        if (rows)
            for (const auto& c : commits)
                rows->push_back(std::stoll(c.id));
        return commits;
    };
    // Learn the followed names from the renames, then fetch what lies under each of them.
    std::vector<std::string> names;
    {
        PathFollower follower(query);
        for (const auto& c : toCommits(nullptr))
            follower.accept(c);
        names = follower.names();
    }
    auto byPath =
        db.prepare(std::string("SELECT ch.commit_id, ch.position, ") + kChangeColumns +
                   " FROM history_changes ch WHERE ch.path = ?1 OR (ch.path >= ?2 AND ch.path < ?3)");
    auto all = db.prepare(std::string("SELECT ch.commit_id, ch.position, ") + kChangeColumns +
                          " FROM history_changes ch");
    for (const auto& name : names) {
        if (name.empty()) {
            take(all);
            continue;
        }
        byPath.reset();
        byPath.bindText(1, name).bindText(2, name + "/").bindText(3, name + "0");
        take(byPath);
    }

    std::vector<int64_t> rows;
    std::vector<IndexedCommit> commits = toCommits(&rows);
    PathFollower follower(query);
    std::vector<std::pair<int64_t, std::vector<FileChange>>> matched;
    for (size_t i = 0; i < commits.size(); ++i) {
        auto idx = follower.accept(commits[i]);
        if (idx.empty()) continue;
        std::vector<FileChange> changes;
        for (size_t k : idx)
            changes.push_back(commits[i].changes[k]);
        matched.emplace_back(rows[i], std::move(changes));
    }
    std::vector<int64_t> ids;
    for (const auto& m : matched)
        ids.push_back(m.first);
    auto meta = loadCommits(db, ids);
    std::vector<std::string> finalNames = follower.names();
    for (auto& [rowId, changes] : matched) {
        PathCommit pc;
        pc.commit = std::move(meta.at(rowId));
        pc.commit.changes = std::move(changes);
        for (const auto& n : finalNames)
            for (const auto& ch : pc.commit.changes)
                if ((underName(ch.path, n) || (!ch.oldPath.empty() && underName(ch.oldPath, n))) &&
                    std::find(pc.namesSeen.begin(), pc.namesSeen.end(), n) == pc.namesSeen.end())
                    pc.namesSeen.push_back(n);
        out.push_back(std::move(pc));
    }
    // Same order as reachable(): generation, then newest first.
    std::stable_sort(out.begin(), out.end(), [](const PathCommit& a, const PathCommit& b) {
        if (a.commit.generation != b.commit.generation) return a.commit.generation > b.commit.generation;
        if (a.commit.committer.time != b.commit.committer.time)
            return a.commit.committer.time > b.commit.committer.time;
        return a.commit.id < b.commit.id;
    });
    return out;
}

std::optional<IndexedCommit> HistoryIndex::commit(const std::string& id) const {
    auto locked = detail::lockStoreDatabase(m_store);
    auto row = lookupCommit(locked.db, id);
    if (!row) return std::nullopt;
    auto meta = loadCommits(locked.db, {row->first});
    IndexedCommit c = std::move(meta.at(row->first));
    auto st = locked.db.prepare(std::string("SELECT ") + kChangeColumns +
                                " FROM history_changes ch WHERE ch.commit_id = ?1 ORDER BY ch.position");
    st.bindInt64(1, row->first);
    while (st.step())
        c.changes.push_back(changeFromRow(st, 0));
    return c;
}

} // namespace telar::core

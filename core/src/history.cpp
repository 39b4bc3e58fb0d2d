// The history index: reading commits and their changes from git into the store (update), and
// answering from the store for what is reachable from a revision. Schema: store_migrations.cpp;
// description: docs/provenance.md.

#include "telar/core/history.h"

#include "git_handles.h"
#include "sqlite_util.h"
#include "telar/core/store.h"
#include "telar/error.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <thread>
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

// Reads commits from libgit2 into IndexedCommit rows. Caller holds the repository's mutex.
class CommitReader {
public:
    explicit CommitReader(git_repository* repo) : m_repo(repo) {
        git_odb* odb = nullptr;
        gitCheck(git_repository_odb(&odb, repo), "cannot open the object database");
        m_odb.reset(odb);
    }

    bool exists(const git_oid& oid) { return git_odb_exists(m_odb.get(), &oid) == 1; }

    // Reads the commit, its trailers and its changes against the first parent.
    IndexedCommit read(const git_oid& oid) {
        git_commit* raw = nullptr;
        gitCheck(git_commit_lookup(&raw, m_repo, &oid), "cannot read commit " + gitOidString(&oid));
        GitCommitPtr commit(raw);
        IndexedCommit out;
        out.id = gitOidString(&oid);
        const char* message = git_commit_message(commit.get());
        std::string msg = message ? message : "";
        out.summary = summaryOf(msg);
        out.author = signatureOf(git_commit_author(commit.get()));
        out.committer = signatureOf(git_commit_committer(commit.get()));
        if (mentionsCoAuthor(msg)) out.coAuthors = coAuthorsOf(msg);
        unsigned n = git_commit_parentcount(commit.get());
        std::vector<GitTreePtr> parentTrees;
        for (unsigned i = 0; i < n; ++i) {
            const git_oid* pid = git_commit_parent_id(commit.get(), i);
            out.parents.push_back(gitOidString(pid));
            git_commit* parent = nullptr;
            int rc = git_commit_lookup(&parent, m_repo, pid);
            if (rc < 0) {
                out.unreadable.push_back("parent commit " + out.parents.back().substr(0, 7) + ": " +
                                         gitLastErrorMessage());
                parentTrees.emplace_back(nullptr);
                continue;
            }
            GitCommitPtr parentPtr(parent);
            git_tree* ptree = nullptr;
            gitCheck(git_commit_tree(&ptree, parent), "cannot read the tree of " + out.parents.back());
            parentTrees.emplace_back(ptree);
        }
        git_tree* treeRaw = nullptr;
        gitCheck(git_commit_tree(&treeRaw, commit.get()), "cannot read the tree of " + out.id);
        GitTreePtr tree(treeRaw);

        out.changes =
            diff(parentTrees.empty() ? nullptr : parentTrees[0].get(), tree.get(), true, out.unreadable);
        if (parentTrees.size() > 1) {
            // A change is the merge's own only when the path differs from every parent.
            for (size_t i = 1; i < parentTrees.size(); ++i) {
                std::vector<std::string> ignored;
                auto other = diff(parentTrees[i].get(), tree.get(), false, ignored);
                std::unordered_set<std::string> changed;
                for (const auto& c : other) {
                    changed.insert(c.path);
                    if (!c.oldPath.empty()) changed.insert(c.oldPath);
                }
                for (auto& c : out.changes)
                    if (!changed.count(c.path)) c.own = false;
            }
        }
        for (auto& c : out.changes) {
            if (!c.oldBlob.empty())
                c.oldSize = blobSize(c.oldBlob, c.oldPath.empty() ? c.path : c.oldPath, out);
            if (!c.newBlob.empty()) c.newSize = blobSize(c.newBlob, c.path, out);
        }
        return out;
    }

private:
    // Compares two trees the way git does, skipping subtrees whose ids are equal (libgit2's
    // tree-to-tree diff reads every subtree). Returns false when the answer could differ from
    // libgit2's (a gitlink, a type change, an unreadable tree): the caller then asks libgit2.
    bool fastDiff(git_tree* from, git_tree* to, const std::string& prefix, std::vector<FileChange>& out,
                  bool& added, bool& deleted) {
        size_t nf = from ? git_tree_entrycount(from) : 0, nt = to ? git_tree_entrycount(to) : 0;
        size_t i = 0, j = 0;
        auto isTree = [](const git_tree_entry* e) { return git_tree_entry_filemode(e) == GIT_FILEMODE_TREE; };
        // git's order: a tree sorts as if its name ended with '/'.
        auto compare = [&](const git_tree_entry* a, const git_tree_entry* b) {
            const char* na = git_tree_entry_name(a);
            const char* nb = git_tree_entry_name(b);
            size_t la = strlen(na), lb = strlen(nb), len = std::min(la, lb);
            int c = memcmp(na, nb, len);
            if (c != 0) return c;
            unsigned char ca = la > len ? static_cast<unsigned char>(na[len]) : (isTree(a) ? '/' : 0);
            unsigned char cb = lb > len ? static_cast<unsigned char>(nb[len]) : (isTree(b) ? '/' : 0);
            return ca < cb ? -1 : (ca > cb ? 1 : 0);
        };
        auto one = [&](const git_tree_entry* e, bool isNew) -> bool {
            git_filemode_t mode = git_tree_entry_filemode(e);
            std::string path = prefix + git_tree_entry_name(e);
            if (mode == GIT_FILEMODE_TREE) {
                git_tree* sub = nullptr;
                if (git_tree_lookup(&sub, m_repo, git_tree_entry_id(e)) < 0) return false;
                GitTreePtr subPtr(sub);
                return isNew ? fastDiff(nullptr, sub, path + "/", out, added, deleted)
                             : fastDiff(sub, nullptr, path + "/", out, added, deleted);
            }
            if (mode == GIT_FILEMODE_COMMIT) return false;
            FileChange c;
            c.status = isNew ? 'A' : 'D';
            c.path = std::move(path);
            (isNew ? c.newBlob : c.oldBlob) = gitOidString(git_tree_entry_id(e));
            (isNew ? added : deleted) = true;
            out.push_back(std::move(c));
            return true;
        };
        while (i < nf || j < nt) {
            const git_tree_entry* a = i < nf ? git_tree_entry_byindex(from, i) : nullptr;
            const git_tree_entry* b = j < nt ? git_tree_entry_byindex(to, j) : nullptr;
            int c = !a ? 1 : (!b ? -1 : compare(a, b));
            if (c < 0) {
                if (!one(a, false)) return false;
                ++i;
                continue;
            }
            if (c > 0) {
                if (!one(b, true)) return false;
                ++j;
                continue;
            }
            ++i, ++j;
            git_filemode_t ma = git_tree_entry_filemode(a), mb = git_tree_entry_filemode(b);
            bool sameId = git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b));
            if (ma == GIT_FILEMODE_TREE && mb == GIT_FILEMODE_TREE) {
                if (sameId) continue;
                git_tree* ta = nullptr;
                git_tree* tb = nullptr;
                if (git_tree_lookup(&ta, m_repo, git_tree_entry_id(a)) < 0) return false;
                GitTreePtr taPtr(ta);
                if (git_tree_lookup(&tb, m_repo, git_tree_entry_id(b)) < 0) return false;
                GitTreePtr tbPtr(tb);
                if (!fastDiff(ta, tb, prefix + git_tree_entry_name(a) + "/", out, added, deleted)) return false;
                continue;
            }
            if (ma == GIT_FILEMODE_COMMIT || mb == GIT_FILEMODE_COMMIT) return false;
            if (sameId && ma == mb) continue;
            if ((ma & 0170000) != (mb & 0170000)) return false; // split into D + A by libgit2
            FileChange ch;
            ch.status = 'M';
            ch.path = prefix + git_tree_entry_name(b);
            ch.oldBlob = gitOidString(git_tree_entry_id(a));
            ch.newBlob = gitOidString(git_tree_entry_id(b));
            out.push_back(std::move(ch));
        }
        return true;
    }

    std::vector<FileChange> diff(git_tree* from, git_tree* to, bool renames,
                                 std::vector<std::string>& unreadable) {
        {
            // Rename detection only pairs deletions with additions: without both, libgit2's
            // answer is the plain comparison.
            std::vector<FileChange> fast;
            bool added = false, deleted = false;
            if (fastDiff(from, to, "", fast, added, deleted) && !(renames && added && deleted)) {
                std::sort(fast.begin(), fast.end(),
                          [](const FileChange& a, const FileChange& b) { return a.path < b.path; });
                return fast;
            }
        }
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
        std::vector<FileChange> out;
        size_t count = git_diff_num_deltas(d.get());
        out.reserve(count);
        for (size_t i = 0; i < count; ++i) {
            const git_diff_delta* delta = git_diff_get_delta(d.get(), i);
            FileChange c;
            c.status = statusLetter(delta->status);
            bool hasOld = c.status != 'A', hasNew = c.status != 'D';
            c.path = hasNew ? delta->new_file.path : delta->old_file.path;
            if (c.status == 'R') c.oldPath = delta->old_file.path;
            if (hasOld && delta->old_file.mode != GIT_FILEMODE_COMMIT)
                c.oldBlob = gitOidString(&delta->old_file.id);
            if (hasNew && delta->new_file.mode != GIT_FILEMODE_COMMIT)
                c.newBlob = gitOidString(&delta->new_file.id);
            out.push_back(std::move(c));
        }
        std::sort(out.begin(), out.end(),
                  [](const FileChange& a, const FileChange& b) { return a.path < b.path; });
        return out;
    }

    int64_t blobSize(const std::string& blob, const std::string& path, IndexedCommit& commit) {
        if (auto it = m_sizes.find(blob); it != m_sizes.end()) return it->second;
        git_oid oid;
        gitCheck(git_oid_fromstr(&oid, blob.c_str()), "bad object id");
        size_t size = 0;
        git_object_t type = GIT_OBJECT_ANY;
        int rc = git_odb_read_header(&size, &type, m_odb.get(), &oid);
        if (rc < 0) {
            if (!isNotFound(rc)) gitCheck(rc, "cannot read object " + blob);
            commit.unreadable.push_back("blob " + blob.substr(0, 7) + " of " + path +
                                        ": missing from the object database");
            return -1;
        }
        m_sizes.emplace(blob, static_cast<int64_t>(size));
        return static_cast<int64_t>(size);
    }

    git_repository* m_repo;
    GitOdbPtr m_odb;
    std::unordered_map<std::string, int64_t> m_sizes;
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

// How many commits are reachable from tip: reachableIds(tip).size() without reading and sorting
// the ids (every row id the walk reaches is a commit row: the parents' foreign keys).
size_t reachableCount(Store& store, const std::string& tip) {
    if (tip.empty()) return 0;
    auto locked = detail::lockStoreDatabase(store);
    auto row = lookupCommit(locked.db, tip);
    if (!row) return 0;
    auto st = locked.db.prepare(std::string(kReach) + "SELECT count(*) FROM reach");
    st.bindInt64(1, row->first);
    return st.step() ? static_cast<size_t>(st.columnInt64(0)) : 0;
}

// Reads the commits of a list in order, on a second thread when there are many, so that reading
// git objects overlaps writing rows. Only that thread touches the repository while it runs (the
// caller holds the repository's mutex and leaves git alone until finish()).
class CommitPipeline {
public:
    CommitPipeline(CommitReader& reader, std::vector<git_oid> oids) : m_reader(reader), m_oids(std::move(oids)) {
        if (m_oids.size() >= kThreadFrom) m_thread = std::thread([this] { produce(); });
    }
    ~CommitPipeline() { finish(); }
    CommitPipeline(const CommitPipeline&) = delete;
    CommitPipeline& operator=(const CommitPipeline&) = delete;

    // The next commit of the list; rethrows what reading it threw.
    IndexedCommit next() {
        if (!m_thread.joinable()) return m_reader.read(m_oids.at(m_taken++));
        std::unique_lock lock(m_mutex);
        m_ready.wait(lock, [&] { return !m_queue.empty() || m_error || m_done; });
        if (m_queue.empty()) {
            if (m_error) std::rethrow_exception(m_error);
            throw std::logic_error("history pipeline ran dry");
        }
        IndexedCommit c = std::move(m_queue.front());
        m_queue.pop_front();
        m_space.notify_one();
        return c;
    }

    // Stops the reading thread (also when the caller gave up early) and waits for it.
    void finish() {
        if (!m_thread.joinable()) return;
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_space.notify_all();
        m_thread.join();
    }

private:
    static constexpr size_t kThreadFrom = 64;
    static constexpr size_t kQueueLimit = 256;

    void produce() {
        try {
            for (const git_oid& oid : m_oids) {
                IndexedCommit c = m_reader.read(oid);
                std::unique_lock lock(m_mutex);
                m_space.wait(lock, [&] { return m_queue.size() < kQueueLimit || m_stop; });
                if (m_stop) return;
                m_queue.push_back(std::move(c));
                m_ready.notify_one();
            }
        } catch (...) {
            std::lock_guard lock(m_mutex);
            m_error = std::current_exception();
        }
        std::lock_guard lock(m_mutex);
        m_done = true;
        m_ready.notify_one();
    }

    CommitReader& m_reader;
    std::vector<git_oid> m_oids;
    size_t m_taken = 0;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_ready, m_space;
    std::deque<IndexedCommit> m_queue;
    std::exception_ptr m_error;
    bool m_done = false;
    bool m_stop = false;
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
    const auto& handle = detail::RepositoryAccess::handle(m_repo);
    size_t added = 0;
    {
        auto locked = detail::lockStoreDatabase(m_store);
        sqlite::Database& db = locked.db;
        std::lock_guard gitLock(handle->mutex);
        CommitReader reader(handle->repo.get());

        // Walk from the tip down to the first indexed commits.
        struct Pending {
            git_oid oid;
            std::vector<std::string> parents;
        };
        std::unordered_map<std::string, Pending> pending;
        std::unordered_map<std::string, std::pair<int64_t, int64_t>> known; // oid → (row id, generation)
        std::vector<std::string> stack{*tip};
        auto lookup = db.prepare("SELECT id, generation FROM history_commits WHERE oid = ?1");
        // An empty index (the first build) knows no commit: no need to ask for each one.
        const bool indexEmpty = !db.queryInt64("SELECT EXISTS (SELECT 1 FROM history_commits)").value_or(0);
        auto isKnown = [&](const std::string& oid) {
            if (known.count(oid)) return true;
            if (indexEmpty) return false;
            lookup.reset();
            lookup.bindText(1, oid);
            if (lookup.step()) {
                known.emplace(oid, std::make_pair(lookup.columnInt64(0), lookup.columnInt64(1)));
                return true;
            }
            return false;
        };
        while (!stack.empty()) {
            std::string id = std::move(stack.back());
            stack.pop_back();
            if (pending.count(id) || isKnown(id)) continue;
            progress.throwIfCancelled();
            git_oid oid;
            gitCheck(git_oid_fromstr(&oid, id.c_str()), "bad commit id");
            git_commit* raw = nullptr;
            gitCheck(git_commit_lookup(&raw, handle->repo.get(), &oid), "cannot read commit " + id);
            GitCommitPtr commit(raw);
            Pending p{oid, {}};
            for (unsigned i = 0; i < git_commit_parentcount(commit.get()); ++i) {
                const git_oid* pid = git_commit_parent_id(commit.get(), i);
                std::string ps = gitOidString(pid);
                if (reader.exists(*pid)) {
                    p.parents.push_back(ps);
                    stack.push_back(ps);
                }
            }
            pending.emplace(id, std::move(p));
        }

        // Parents before children (post-order), so every committed batch keeps the invariant
        // "an indexed commit's present parents are indexed".
        std::vector<std::string> order;
        order.reserve(pending.size());
        {
            std::unordered_set<std::string> done;
            std::vector<std::pair<std::string, size_t>> dfs;
            std::vector<std::string> roots;
            for (const auto& [id, p] : pending)
                roots.push_back(id);
            std::sort(roots.begin(), roots.end());
            for (const auto& root : roots) {
                if (done.count(root)) continue;
                dfs.emplace_back(root, 0);
                while (!dfs.empty()) {
                    auto& [id, next] = dfs.back();
                    const auto& parents = pending.at(id).parents;
                    if (next < parents.size()) {
                        const std::string& parent = parents[next++];
                        if (pending.count(parent) && !done.count(parent)) {
                            done.insert(parent); // marked on entry: the graph has no cycles
                            dfs.emplace_back(parent, 0);
                        }
                        continue;
                    }
                    done.insert(id);
                    order.push_back(id);
                    dfs.pop_back();
                }
            }
        }

        // Bulk-insert settings, restored on every exit:
        // - the rows reference only rows inserted before them in this loop, so SQLite's per-row
        //   foreign-key lookups (a fifth of a first build) are off;
        // - no fsync: the index is derived data, and WAL keeps the file consistent when the
        //   process dies; after a power loss a damaged store is detected and rebuilt (store.md).
        //   The syncs of a first build cost more wall time than all of its CPU work.
        struct BulkInsert {
            sqlite::Database& db;
            explicit BulkInsert(sqlite::Database& d) : db(d) {
                db.exec("PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF");
            }
            ~BulkInsert() {
                try {
                    db.exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL");
                } catch (...) {
                }
            }
        } bulkInsert(db);
        auto insCommit = db.prepare(
            "INSERT INTO history_commits (oid, generation, summary, author_name, author_email, author_time, "
            "author_offset, committer_name, committer_email, committer_time, committer_offset, parents, "
            "unreadable) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT (oid) DO NOTHING");
        auto insParent =
            db.prepare("INSERT INTO history_parents (commit_id, position, parent_id) VALUES (?1, ?2, ?3)");
        auto insCo = db.prepare(
            "INSERT INTO history_coauthors (commit_id, position, name, email) VALUES (?1, ?2, ?3, ?4)");
        auto insChange = db.prepare("INSERT INTO history_changes (commit_id, position, status, path, "
                                    "old_path, old_blob, new_blob, old_size, "
                                    "new_size, own) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
        std::vector<git_oid> oids;
        oids.reserve(order.size());
        for (const auto& id : order) oids.push_back(pending.at(id).oid);
        CommitPipeline commits(reader, std::move(oids));
        const size_t batch = 500;
        for (size_t start = 0; start < order.size(); start += batch) {
            sqlite::Transaction tx(db);
            for (size_t k = start; k < std::min(order.size(), start + batch); ++k) {
                progress.throwIfCancelled();
                const Pending& p = pending.at(order[k]);
                IndexedCommit c = commits.next();
                int64_t generation = 1;
                std::vector<int64_t> parentRows;
                for (const auto& parent : p.parents) {
                    const auto& row = known.at(parent);
                    generation = std::max(generation, row.second + 1);
                    parentRows.push_back(row.first);
                }
                insCommit.reset();
                insCommit.bindText(1, c.id).bindInt64(2, generation).bindText(3, c.summary);
                insCommit.bindText(4, c.author.name).bindText(5, c.author.email).bindInt64(6, c.author.time);
                insCommit.bindInt64(7, c.author.offsetMinutes).bindText(8, c.committer.name);
                insCommit.bindText(9, c.committer.email).bindInt64(10, c.committer.time);
                insCommit.bindInt64(11, c.committer.offsetMinutes).bindText(12, joinLines(c.parents, ' '));
                insCommit.bindText(13, joinLines(c.unreadable, '\n'));
                insCommit.run();
                if (db.changes() == 0) {
                    // Another process (the CLI beside the desktop app, two panels of the app)
                    // indexed this commit since our walk. Its rows came in one committed
                    // transaction with the commit's parents and changes: take them as they are.
                    auto existing = lookupCommit(db, c.id);
                    if (!existing) throw StoreError("history index: commit " + c.id + " vanished while indexing");
                    known.emplace(c.id, *existing);
                    continue;
                }
                int64_t row = db.lastInsertRowid();
                known.emplace(c.id, std::make_pair(row, generation));
                for (size_t i = 0; i < parentRows.size(); ++i) {
                    insParent.reset();
                    insParent.bindInt64(1, row)
                        .bindInt64(2, static_cast<int64_t>(i))
                        .bindInt64(3, parentRows[i]);
                    insParent.run();
                }
                for (size_t i = 0; i < c.coAuthors.size(); ++i) {
                    insCo.reset();
                    insCo.bindInt64(1, row).bindInt64(2, static_cast<int64_t>(i));
                    insCo.bindText(3, c.coAuthors[i].name).bindText(4, c.coAuthors[i].email);
                    insCo.run();
                }
                for (size_t i = 0; i < c.changes.size(); ++i) {
                    const FileChange& ch = c.changes[i];
                    insChange.reset();
                    insChange.bindInt64(1, row).bindInt64(2, static_cast<int64_t>(i));
                    insChange.bindText(3, std::string(1, ch.status)).bindText(4, ch.path);
                    if (ch.oldPath.empty())
                        insChange.bindNull(5);
                    else
                        insChange.bindText(5, ch.oldPath);
                    insChange.bindText(6, ch.oldBlob).bindText(7, ch.newBlob);
                    insChange.bindInt64(8, ch.oldSize).bindInt64(9, ch.newSize).bindInt64(10, ch.own ? 1 : 0);
                    insChange.run();
                }
                ++added;
                if (order.size() > 50 && added % 50 == 0)
                    progress.report(static_cast<double>(added) / order.size(), "indexing history");
            }
            tx.commit();
        }
    }
    if (added > 0) m_store.bumpCounter("history.indexed", static_cast<int64_t>(added));
    result.indexed = added;
    result.reachable = reachableCount(m_store, result.tip);
    return result;
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

    std::unordered_map<int64_t, int64_t> generation; // reachable row id → generation
    {
        auto st =
            db.prepare(std::string(kReach) +
                       "SELECT c.id, c.generation FROM reach JOIN history_commits c ON c.id = reach.id");
        st.bindInt64(1, row->first);
        while (st.step())
            generation.emplace(st.columnInt64(0), st.columnInt64(1));
    }

    // Candidate changes by commit: every reachable rename, plus what lies under a followed name.
    std::map<int64_t, std::map<int64_t, FileChange>> candidates; // commit row → position → change
    auto take = [&](sqlite::Statement& st) {
        while (st.step()) {
            int64_t commitRow = st.columnInt64(0);
            if (!generation.count(commitRow)) continue;
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

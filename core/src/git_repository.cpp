// Repository: design repositories through libgit2. Every libgit2 failure is turned into a
// GitError right where it happens, with libgit2's thread-local message and our context.

#include "telar/core/git.h"

#include "git_handles.h"
#include "git_path_util.h"
#include "git_tree.h"
#include "telar/core/worktree.h"

#include <algorithm>
#include <mutex>

namespace fs = std::filesystem;

namespace telar::core {

namespace {

constexpr const char* kEmptyTreeId = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

std::string shortOf(const std::string& id) { return id.substr(0, 7); }

GitSignaturePtr makeSignature(const Signature& s) {
    git_signature* raw = nullptr;
    int rc = s.time == 0 ? git_signature_now(&raw, s.name.c_str(), s.email.c_str())
                         : git_signature_new(&raw, s.name.c_str(), s.email.c_str(), s.time, s.offsetMinutes);
    GitSignaturePtr sig(raw);
    gitCheck(rc, "invalid signature '" + s.name + " <" + s.email + ">'");
    return sig;
}

Signature fromGit(const git_signature* s) {
    Signature out;
    if (!s) return out;
    out.name = s->name ? s->name : "";
    out.email = s->email ? s->email : "";
    out.time = s->when.time;
    out.offsetMinutes = s->when.offset;
    return out;
}

// Cleans a message up the way `git commit` does (strip trailing blanks, end with one newline).
std::string prettify(const std::string& message) {
    GitBufGuard buf;
    gitCheck(git_message_prettify(&buf.buf, message.c_str(), 0, '#'), "cannot clean up the message");
    return buf.str();
}

// The commit rev names, or null when it names none (missing, malformed, unborn, not a commit).
GitCommitPtr lookupCommit(git_repository* repo, const std::string& rev) {
    git_object* raw = nullptr;
    int rc = git_revparse_single(&raw, repo, rev.c_str());
    GitObjectPtr obj(raw);
    if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC || rc == GIT_EUNBORNBRANCH) return nullptr;
    gitCheck(rc, "cannot resolve revision '" + rev + "'");
    git_object* peeled = nullptr;
    rc = git_object_peel(&peeled, obj.get(), GIT_OBJECT_COMMIT);
    GitObjectPtr peeledPtr(peeled);
    if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC || rc == GIT_EPEEL || rc == GIT_EAMBIGUOUS) return nullptr;
    gitCheck(rc, "cannot resolve revision '" + rev + "'");
    return GitCommitPtr(reinterpret_cast<git_commit*>(peeledPtr.release()));
}

GitCommitPtr requireCommit(git_repository* repo, const std::string& rev) {
    auto commit = lookupCommit(repo, rev);
    if (!commit) throw GitError("unknown revision '" + rev + "'", GIT_ENOTFOUND);
    return commit;
}

// HEAD's commit, or null when HEAD is unborn.
GitCommitPtr headCommit(git_repository* repo) {
    git_reference* raw = nullptr;
    int rc = git_repository_head(&raw, repo);
    GitReferencePtr head(raw);
    if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) return nullptr;
    gitCheck(rc, "cannot read HEAD");
    git_object* obj = nullptr;
    gitCheck(git_reference_peel(&obj, head.get(), GIT_OBJECT_COMMIT), "cannot read HEAD's commit");
    return GitCommitPtr(reinterpret_cast<git_commit*>(obj));
}

CommitInfo commitInfo(const git_commit* c) {
    CommitInfo info;
    info.id = gitOidString(git_commit_id(c));
    info.shortId = shortOf(info.id);
    // git_commit_summary caches into the commit object; it is logically const.
    const char* summary = git_commit_summary(const_cast<git_commit*>(c));
    info.summary = summary ? summary : "";
    const char* message = git_commit_message(c);
    info.message = message ? message : "";
    info.author = fromGit(git_commit_author(c));
    info.committer = fromGit(git_commit_committer(c));
    unsigned n = git_commit_parentcount(c);
    for (unsigned i = 0; i < n; ++i) info.parents.push_back(gitOidString(git_commit_parent_id(c, i)));
    return info;
}

// The entry at path in commit's tree, as (id, mode); nullopt when absent.
std::optional<std::pair<git_oid, git_filemode_t>> entryIn(const git_commit* commit, const std::string& path) {
    git_tree* rawTree = nullptr;
    gitCheck(git_commit_tree(&rawTree, commit), "cannot read the tree of " + gitOidString(git_commit_id(commit)));
    GitTreePtr tree(rawTree);
    git_tree_entry* rawEntry = nullptr;
    int rc = git_tree_entry_bypath(&rawEntry, tree.get(), path.c_str());
    GitTreeEntryPtr entry(rawEntry);
    if (rc == GIT_ENOTFOUND) return std::nullopt;
    gitCheck(rc, "cannot read '" + path + "' in " + gitOidString(git_commit_id(commit)));
    return std::make_pair(*git_tree_entry_id(entry.get()), git_tree_entry_filemode(entry.get()));
}

// True when commit changed something at or under path compared with its first parent.
bool touches(git_repository* repo, const git_commit* commit, const std::string& path) {
    auto mine = entryIn(commit, path);
    if (git_commit_parentcount(commit) == 0) return mine.has_value();
    git_commit* rawParent = nullptr;
    gitCheck(git_commit_parent(&rawParent, commit, 0),
             "cannot read the parent of " + gitOidString(git_commit_id(commit)));
    GitCommitPtr parent(rawParent);
    auto theirs = entryIn(parent.get(), path);
    if (!mine || !theirs) return mine.has_value() != theirs.has_value();
    return mine->second != theirs->second || !git_oid_equal(&mine->first, &theirs->first);
}

char indexLetter(unsigned s) {
    if (s & GIT_STATUS_INDEX_NEW) return 'A';
    if (s & GIT_STATUS_INDEX_MODIFIED) return 'M';
    if (s & GIT_STATUS_INDEX_DELETED) return 'D';
    if (s & GIT_STATUS_INDEX_RENAMED) return 'R';
    if (s & GIT_STATUS_INDEX_TYPECHANGE) return 'T';
    return ' ';
}

char worktreeLetter(unsigned s) {
    if (s & GIT_STATUS_WT_MODIFIED) return 'M';
    if (s & GIT_STATUS_WT_DELETED) return 'D';
    if (s & GIT_STATUS_WT_RENAMED) return 'R';
    if (s & GIT_STATUS_WT_TYPECHANGE) return 'T';
    return ' ';
}

struct CheckoutConflicts {
    std::vector<std::string> paths;
};

int collectConflict(git_checkout_notify_t why, const char* path, const git_diff_file*, const git_diff_file*,
                    const git_diff_file*, void* payload) {
    if ((why & GIT_CHECKOUT_NOTIFY_CONFLICT) && path)
        static_cast<CheckoutConflicts*>(payload)->paths.emplace_back(path);
    return 0; // keep going: we want every conflicting path in the message
}

} // namespace

std::string hashBlob(std::string_view bytes) {
    static GitSession session; // libgit2 stays initialised for the process once hashing started
    git_oid oid;
    gitCheck(git_odb_hash(&oid, bytes.data(), bytes.size(), GIT_OBJECT_BLOB), "cannot hash bytes");
    return gitOidString(&oid);
}

Repository::Repository(std::shared_ptr<detail::GitRepositoryHandle> handle) : m_handle(std::move(handle)) {}
Repository::Repository(Repository&&) noexcept = default;
Repository& Repository::operator=(Repository&&) noexcept = default;
Repository::~Repository() = default;

Repository Repository::init(const fs::path& dir, const std::string& initialBranch) {
    auto handle = std::make_shared<detail::GitRepositoryHandle>();
    git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
    opts.flags = GIT_REPOSITORY_INIT_MKPATH;
    opts.initial_head = initialBranch.c_str();
    git_repository* raw = nullptr;
    int rc = git_repository_init_ext(&raw, dir.c_str(), &opts);
    handle->repo.reset(raw);
    gitCheck(rc, "cannot create a repository in " + dir.string());
    return Repository(std::move(handle));
}

Repository Repository::open(const fs::path& dir) {
    auto handle = std::make_shared<detail::GitRepositoryHandle>();
    git_repository* raw = nullptr;
    int rc = git_repository_open_ext(&raw, dir.c_str(), 0, nullptr);
    handle->repo.reset(raw);
    if (rc == GIT_ENOTFOUND) throw GitError("not a git repository: " + dir.string(), rc);
    gitCheck(rc, "cannot open the repository at " + dir.string());
    return Repository(std::move(handle));
}

fs::path Repository::workdir() const {
    std::lock_guard lock(m_handle->mutex);
    const char* wd = git_repository_workdir(m_handle->repo.get());
    if (!wd) return {};
    std::string s = wd;
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return fs::path(s);
}

bool Repository::isBare() const {
    std::lock_guard lock(m_handle->mutex);
    return git_repository_is_bare(m_handle->repo.get()) == 1;
}

std::optional<std::string> Repository::resolve(const std::string& rev) const {
    std::lock_guard lock(m_handle->mutex);
    auto commit = lookupCommit(m_handle->repo.get(), rev);
    if (!commit) return std::nullopt;
    return gitOidString(git_commit_id(commit.get()));
}

std::unique_ptr<Tree> Repository::treeAt(const std::string& rev) const {
    std::lock_guard lock(m_handle->mutex);
    auto commit = requireCommit(m_handle->repo.get(), rev);
    std::string id = gitOidString(git_commit_id(commit.get()));
    git_tree* raw = nullptr;
    int rc = git_commit_tree(&raw, commit.get());
    GitTreePtr tree(raw);
    gitCheck(rc, "cannot read the tree of '" + rev + "'");
    std::string label = rev + " (" + shortOf(id) + ")";
    return std::make_unique<GitTree>(m_handle, std::move(tree), id, label);
}

std::unique_ptr<Tree> Repository::workingTree() const {
    fs::path wd = workdir();
    if (wd.empty()) {
        std::lock_guard lock(m_handle->mutex);
        throw GitError(std::string("a bare repository has no working tree: ") +
                       git_repository_path(m_handle->repo.get()));
    }
    return std::make_unique<WorkingTree>(wd);
}

std::vector<StatusEntry> Repository::status() const {
    std::lock_guard lock(m_handle->mutex);
    git_status_options opts = GIT_STATUS_OPTIONS_INIT;
    opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
    opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
                 GIT_STATUS_OPT_RENAMES_HEAD_TO_INDEX | GIT_STATUS_OPT_SORT_CASE_SENSITIVELY;
    git_status_list* raw = nullptr;
    int rc = git_status_list_new(&raw, m_handle->repo.get(), &opts);
    GitStatusListPtr list(raw);
    gitCheck(rc, "cannot read the status of the working tree");

    std::vector<StatusEntry> out;
    size_t n = git_status_list_entrycount(list.get());
    for (size_t i = 0; i < n; ++i) {
        const git_status_entry* e = git_status_byindex(list.get(), i); // borrowed
        unsigned s = e->status;
        if (s == GIT_STATUS_CURRENT || (s & GIT_STATUS_IGNORED)) continue;
        StatusEntry entry;
        if (e->head_to_index && e->head_to_index->new_file.path) entry.path = e->head_to_index->new_file.path;
        else if (e->index_to_workdir && e->index_to_workdir->new_file.path)
            entry.path = e->index_to_workdir->new_file.path;
        else continue;
        if (s & GIT_STATUS_CONFLICTED) {
            entry.index = entry.worktree = 'U';
        } else if ((s & GIT_STATUS_WT_NEW) && indexLetter(s) == ' ') {
            entry.index = entry.worktree = '?';
        } else {
            entry.index = indexLetter(s);
            entry.worktree = worktreeLetter(s);
        }
        if (entry.index == ' ' && entry.worktree == ' ') continue; // e.g. only unreadable
        out.push_back(std::move(entry));
    }
    // Like git: tracked changes first, then untracked files, each sorted by path.
    std::sort(out.begin(), out.end(), [](const StatusEntry& a, const StatusEntry& b) {
        bool au = a.index == '?', bu = b.index == '?';
        return au != bu ? bu : a.path < b.path;
    });
    return out;
}

std::optional<std::string> Repository::commitAll(const std::string& message, const Signature& author,
                                                 const std::optional<Signature>& committer) {
    std::lock_guard lock(m_handle->mutex);
    git_repository* repo = m_handle->repo.get();
    if (git_repository_is_bare(repo)) throw GitError("cannot commit in a bare repository");

    git_index* rawIndex = nullptr;
    gitCheck(git_repository_index(&rawIndex, repo), "cannot open the index");
    GitIndexPtr index(rawIndex);
    // Pick up changes another program (the git CLI) made to the index file.
    gitCheck(git_index_read(index.get(), 1), "cannot read the index");
    gitCheck(git_index_update_all(index.get(), nullptr, nullptr, nullptr), "cannot stage changed and deleted files");
    gitCheck(git_index_add_all(index.get(), nullptr, GIT_INDEX_ADD_DEFAULT, nullptr, nullptr),
             "cannot stage new files");
    gitCheck(git_index_write(index.get()), "cannot write the index");
    git_oid treeId;
    gitCheck(git_index_write_tree(&treeId, index.get()), "cannot write the staged tree");

    GitCommitPtr parent = headCommit(repo);
    if (parent) {
        if (git_oid_equal(&treeId, git_commit_tree_id(parent.get()))) return std::nullopt;
    } else if (gitOidString(&treeId) == kEmptyTreeId) {
        return std::nullopt;
    }

    git_tree* rawTree = nullptr;
    gitCheck(git_tree_lookup(&rawTree, repo, &treeId), "cannot read the staged tree");
    GitTreePtr tree(rawTree);
    GitSignaturePtr authorSig = makeSignature(author);
    GitSignaturePtr committerSig = makeSignature(committer ? *committer : author);
    std::string text = prettify(message);
    const git_commit* parents[1] = {parent.get()};
    git_oid commitId;
    gitCheck(git_commit_create(&commitId, repo, "HEAD", authorSig.get(), committerSig.get(), nullptr, text.c_str(),
                               tree.get(), parent ? 1 : 0, parents),
             "cannot write the commit");
    return gitOidString(&commitId);
}

std::vector<CommitInfo> Repository::log(const std::string& rev, const std::string& path, size_t maxCount) const {
    std::lock_guard lock(m_handle->mutex);
    git_repository* repo = m_handle->repo.get();
    std::vector<CommitInfo> out;

    GitCommitPtr start = lookupCommit(repo, rev);
    if (!start) {
        if (rev == "HEAD" && git_repository_head_unborn(repo) == 1) return out;
        throw GitError("unknown revision '" + rev + "'", GIT_ENOTFOUND);
    }
    auto filter = normalizeTreePath(path);
    if (!filter) throw GitError("invalid path '" + path + "' for log");

    git_revwalk* rawWalk = nullptr;
    gitCheck(git_revwalk_new(&rawWalk, repo), "cannot walk the history");
    GitRevwalkPtr walk(rawWalk);
    gitCheck(git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME), "cannot walk the history");
    gitCheck(git_revwalk_push(walk.get(), git_commit_id(start.get())), "cannot walk the history of '" + rev + "'");

    git_oid oid;
    while (maxCount == 0 || out.size() < maxCount) {
        int rc = git_revwalk_next(&oid, walk.get());
        if (rc == GIT_ITEROVER) break;
        gitCheck(rc, "cannot walk the history of '" + rev + "'");
        git_commit* rawCommit = nullptr;
        gitCheck(git_commit_lookup(&rawCommit, repo, &oid), "cannot read commit " + gitOidString(&oid));
        GitCommitPtr commit(rawCommit);
        if (!filter->empty() && !touches(repo, commit.get(), *filter)) continue;
        out.push_back(commitInfo(commit.get()));
    }
    return out;
}

void Repository::createTag(const std::string& name, const std::string& rev, const std::string& message,
                           const Signature& tagger) {
    std::lock_guard lock(m_handle->mutex);
    git_repository* repo = m_handle->repo.get();
    auto commit = requireCommit(repo, rev);
    const auto* target = reinterpret_cast<const git_object*>(commit.get());
    git_oid oid;
    int rc;
    if (message.empty()) {
        rc = git_tag_create_lightweight(&oid, repo, name.c_str(), target, 0);
    } else {
        GitSignaturePtr sig = makeSignature(tagger);
        std::string text = prettify(message);
        rc = git_tag_create(&oid, repo, name.c_str(), target, sig.get(), text.c_str(), 0);
    }
    if (rc == GIT_EEXISTS) throw GitError("tag '" + name + "' already exists", rc);
    gitCheck(rc, "cannot create tag '" + name + "'");
}

std::vector<std::string> Repository::tags() const {
    std::lock_guard lock(m_handle->mutex);
    GitStrArrayGuard names;
    gitCheck(git_tag_list(&names.array, m_handle->repo.get()), "cannot list tags");
    std::vector<std::string> out;
    for (size_t i = 0; i < names.array.count; ++i) out.emplace_back(names.array.strings[i]);
    std::sort(out.begin(), out.end());
    return out;
}

namespace {

std::vector<std::string> branchNames(git_repository* repo, git_branch_t type) {
    git_branch_iterator* raw = nullptr;
    gitCheck(git_branch_iterator_new(&raw, repo, type), "cannot list branches");
    std::unique_ptr<git_branch_iterator, GitDeleter<git_branch_iterator, git_branch_iterator_free>> it(raw);
    std::vector<std::string> out;
    git_reference* ref = nullptr;
    git_branch_t kind;
    int rc = 0;
    while ((rc = git_branch_next(&ref, &kind, it.get())) == 0) {
        GitReferencePtr owned(ref);
        if (git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC) continue; // origin/HEAD
        const char* name = nullptr;
        if (git_branch_name(&name, ref) == 0 && name) out.emplace_back(name);
    }
    if (rc != GIT_ITEROVER) gitCheck(rc, "cannot list branches");
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

std::vector<std::string> Repository::localBranches() const {
    std::lock_guard lock(m_handle->mutex);
    return branchNames(m_handle->repo.get(), GIT_BRANCH_LOCAL);
}

std::vector<std::string> Repository::remoteBranches() const {
    std::lock_guard lock(m_handle->mutex);
    return branchNames(m_handle->repo.get(), GIT_BRANCH_REMOTE);
}

std::string Repository::currentBranch() const {
    std::lock_guard lock(m_handle->mutex);
    git_reference* raw = nullptr;
    int rc = git_reference_lookup(&raw, m_handle->repo.get(), "HEAD");
    GitReferencePtr head(raw);
    gitCheck(rc, "cannot read HEAD");
    if (git_reference_type(head.get()) != GIT_REFERENCE_SYMBOLIC) return {};
    std::string target = git_reference_symbolic_target(head.get());
    const std::string prefix = "refs/heads/";
    if (target.rfind(prefix, 0) == 0) return target.substr(prefix.size());
    return target;
}

void Repository::createBranch(const std::string& name, const std::string& rev) {
    std::lock_guard lock(m_handle->mutex);
    auto commit = requireCommit(m_handle->repo.get(), rev);
    git_reference* raw = nullptr;
    int rc = git_branch_create(&raw, m_handle->repo.get(), name.c_str(), commit.get(), 0);
    GitReferencePtr ref(raw);
    if (rc == GIT_EEXISTS) throw GitError("branch '" + name + "' already exists", rc);
    gitCheck(rc, "cannot create branch '" + name + "'");
}

void Repository::checkoutBranch(const std::string& name) {
    std::lock_guard lock(m_handle->mutex);
    git_repository* repo = m_handle->repo.get();
    git_reference* rawRef = nullptr;
    int rc = git_branch_lookup(&rawRef, repo, name.c_str(), GIT_BRANCH_LOCAL);
    GitReferencePtr ref(rawRef);
    if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) throw GitError("no branch '" + name + "'", GIT_ENOTFOUND);
    gitCheck(rc, "cannot read branch '" + name + "'");
    git_object* rawTarget = nullptr;
    gitCheck(git_reference_peel(&rawTarget, ref.get(), GIT_OBJECT_COMMIT), "cannot read branch '" + name + "'");
    GitObjectPtr target(rawTarget);

    CheckoutConflicts conflicts;
    git_checkout_options opts = GIT_CHECKOUT_OPTIONS_INIT;
    opts.checkout_strategy = GIT_CHECKOUT_SAFE;
    opts.notify_flags = GIT_CHECKOUT_NOTIFY_CONFLICT;
    opts.notify_cb = collectConflict;
    opts.notify_payload = &conflicts;
    rc = git_checkout_tree(repo, target.get(), &opts);
    if (rc == GIT_ECONFLICT) {
        std::string list;
        for (const auto& p : conflicts.paths) list += (list.empty() ? "" : ", ") + p;
        throw GitError("cannot switch to branch '" + name + "': local changes would be overwritten in " +
                           (list.empty() ? gitLastErrorMessage() : list),
                       rc);
    }
    gitCheck(rc, "cannot switch to branch '" + name + "'");
    gitCheck(git_repository_set_head(repo, git_reference_name(ref.get())), "cannot move HEAD to '" + name + "'");
}

} // namespace telar::core

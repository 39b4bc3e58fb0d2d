#pragma once
// Private to telar::core: RAII for libgit2. Every handle libgit2 hands us through an `out`
// pointer lives in a unique_ptr whose deleter is its git_*_free; objects borrowed from libgit2
// (git_commit_author, git_tree_entry_byindex, …) are never wrapped. git_buf and git_strarray get
// scope guards. One GitSession pairs git_libgit2_init with git_libgit2_shutdown.

#include "telar/core/git.h"
#include "telar/error.h"

#include <git2.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace telar::core {

// Keeps libgit2 initialised for as long as it lives (libgit2 counts init/shutdown pairs), with
// our settings (libgit2 forgets them when the last session ends):
// - repositories of partial clones open (their extension is "partialclone"); a blob they lack is
//   reported where it is needed, never fetched;
// - objects read are not re-hashed (git does not either; zlib's checksum still catches damage):
//   re-hashing with SHA-1DC is a fifth of the time of indexing a history.
class GitSession {
public:
    GitSession() {
        if (int rc = git_libgit2_init(); rc < 0) throw GitError("cannot initialise libgit2", rc);
        const char* extensions[] = {"partialclone", "preciousobjects"};
        git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, extensions, size_t(2));
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    }
    ~GitSession() { git_libgit2_shutdown(); }
    GitSession(const GitSession&) = delete;
    GitSession& operator=(const GitSession&) = delete;
};

template <typename T, void (*Free)(T*)>
struct GitDeleter {
    void operator()(T* p) const noexcept {
        if (p) Free(p);
    }
};

using GitRepositoryPtr = std::unique_ptr<git_repository, GitDeleter<git_repository, git_repository_free>>;
using GitObjectPtr = std::unique_ptr<git_object, GitDeleter<git_object, git_object_free>>;
using GitCommitPtr = std::unique_ptr<git_commit, GitDeleter<git_commit, git_commit_free>>;
using GitTreePtr = std::unique_ptr<git_tree, GitDeleter<git_tree, git_tree_free>>;
using GitTreeEntryPtr = std::unique_ptr<git_tree_entry, GitDeleter<git_tree_entry, git_tree_entry_free>>;
using GitBlobPtr = std::unique_ptr<git_blob, GitDeleter<git_blob, git_blob_free>>;
using GitReferencePtr = std::unique_ptr<git_reference, GitDeleter<git_reference, git_reference_free>>;
using GitIndexPtr = std::unique_ptr<git_index, GitDeleter<git_index, git_index_free>>;
using GitSignaturePtr = std::unique_ptr<git_signature, GitDeleter<git_signature, git_signature_free>>;
using GitRevwalkPtr = std::unique_ptr<git_revwalk, GitDeleter<git_revwalk, git_revwalk_free>>;
using GitStatusListPtr = std::unique_ptr<git_status_list, GitDeleter<git_status_list, git_status_list_free>>;

// Scope guard for a git_buf filled by libgit2.
struct GitBufGuard {
    git_buf buf = GIT_BUF_INIT;
    GitBufGuard() = default;
    ~GitBufGuard() { git_buf_dispose(&buf); }
    GitBufGuard(const GitBufGuard&) = delete;
    GitBufGuard& operator=(const GitBufGuard&) = delete;
    std::string str() const { return buf.ptr ? std::string(buf.ptr, buf.size) : std::string(); }
};

// Scope guard for a git_strarray filled by libgit2.
struct GitStrArrayGuard {
    git_strarray array{nullptr, 0};
    GitStrArrayGuard() = default;
    ~GitStrArrayGuard() { git_strarray_dispose(&array); }
    GitStrArrayGuard(const GitStrArrayGuard&) = delete;
    GitStrArrayGuard& operator=(const GitStrArrayGuard&) = delete;
};

// libgit2's (thread-local) message for the last failure, or a fallback.
inline std::string gitLastErrorMessage() {
    const git_error* e = git_error_last();
    if (e && e->message && *e->message) return e->message;
    return "unknown libgit2 error";
}

// Throws GitError("CONTEXT: libgit2 message", rc) when rc signals a failure; returns rc otherwise.
inline int gitCheck(int rc, std::string_view context) {
    if (rc < 0) throw GitError(std::string(context) + ": " + gitLastErrorMessage(), rc);
    return rc;
}

// 40-hex text of an object id.
inline std::string gitOidString(const git_oid* oid) {
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, sizeof buf, oid);
    return std::string(buf);
}

namespace detail {

// The libgit2 repository shared by a Repository and every Tree it handed out. libgit2 objects
// are not safe to use from several threads at once: everyone locks mutex around libgit2 calls.
struct GitRepositoryHandle {
    GitSession session; // declared first: destroyed last
    GitRepositoryPtr repo;
    std::recursive_mutex mutex;
};

// For core's own git code in other files (remotes, merge, history): the handle of a Repository
// and a way to wrap a handle into one. Lock handle.mutex around every libgit2 call.
struct RepositoryAccess {
    static const std::shared_ptr<GitRepositoryHandle>& handle(const Repository& repo) { return repo.m_handle; }
    static Repository wrap(std::shared_ptr<GitRepositoryHandle> handle) { return Repository(std::move(handle)); }
};

} // namespace detail

} // namespace telar::core

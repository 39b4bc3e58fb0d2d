#pragma once
// The git layer of the core: design repositories through libgit2, behind Telar's own types.
// Nothing here exposes a libgit2 type. Every libgit2 failure becomes a telar::GitError carrying
// libgit2's message and what we were doing; expected outcomes ("no such revision", "nothing to
// commit") are return values.
//
// Threading: a Repository and the revision trees it hands out share one libgit2 handle guarded
// by a mutex, so trees may be read from worker threads while the Repository is in use.

#include "telar/core/tree.h"
#include "telar/progress.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::core {

namespace detail {
struct GitRepositoryHandle; // private: core/src/git_handles.h
struct RepositoryAccess;    // private: lets core's own git code reach the handle
}

// Who made a commit or a tag, and when. time is unix seconds (0 = now); offsetMinutes is the
// time zone of that person (+60 for UTC+01:00).
struct Signature {
    std::string name;
    std::string email;
    int64_t time = 0;
    int offsetMinutes = 0;
};

// One commit as read from the repository. id is 40 hex, shortId its first 7 characters; summary
// is the first paragraph of message joined into one line; parents are 40-hex ids, first parent
// first.
struct CommitInfo {
    std::string id;
    std::string shortId;
    std::string summary;
    std::string message;
    Signature author;
    Signature committer;
    std::vector<std::string> parents;
};

// One line of `git status --porcelain` (untracked folders listed file by file). index and
// worktree are porcelain letters: 'M' modified, 'A' added, 'D' deleted, 'R' renamed (index
// only; path is the new path), 'T' type changed, 'U' conflicted, '?' untracked (both columns),
// ' ' unchanged.
struct StatusEntry {
    std::string path;
    char index = ' ';
    char worktree = ' ';
};

// The git blob id (40 hex) of bytes, as `git hash-object` computes it. No repository needed.
std::string hashBlob(std::string_view bytes);

// A git repository opened through libgit2. Movable, not copyable; a moved-from Repository may
// only be destroyed or assigned to. Trees returned by treeAt() keep the underlying repository
// alive on their own, so they may outlive this object.
class Repository {
public:
    // Creates a repository in dir (folders are created as needed) whose unborn HEAD points at
    // initialBranch; re-initialising an existing repository keeps its HEAD, like `git init`.
    // Throws GitError.
    static Repository init(const std::filesystem::path& dir, const std::string& initialBranch = "main");
    // Opens the repository at dir, or the nearest one found by walking up from dir.
    // Throws GitError "not a git repository: DIR" when there is none, GitError otherwise.
    static Repository open(const std::filesystem::path& dir);
    // Clones source (a local path or a file://, git:// or http(s):// URL) into dir and checks out
    // its default branch. Reports transfer progress; cancelling stops the transfer and throws
    // telar::Cancelled. Throws GitError when the source cannot be read or dir is not empty.
    static Repository clone(const std::string& source, const std::filesystem::path& dir,
                            const Progress& progress = {});

    Repository(Repository&&) noexcept;
    Repository& operator=(Repository&&) noexcept;
    Repository(const Repository&) = delete;
    Repository& operator=(const Repository&) = delete;
    ~Repository();

    // The working folder (no trailing separator); empty for a bare repository.
    std::filesystem::path workdir() const;
    // True for a repository without a working folder.
    bool isBare() const;

    // user.name and user.email from git's configuration (repository, global, system), stamped
    // now; nullopt when either is not set.
    std::optional<Signature> defaultSignature() const;

    // The commit id (40 hex) that rev names: a branch, a tag (annotated tags are peeled to their
    // commit), a full or unique short id, HEAD, or any rev-parse expression ("HEAD~1", "main^").
    // nullopt when rev names no commit (missing, unborn, malformed, or not a commit).
    // Throws GitError on other failures (e.g. an ambiguous short id).
    std::optional<std::string> resolve(const std::string& rev) const;

    // A read-only view of the files at rev, read from git objects: no checkout happens and the
    // working tree is not touched. describe() gives "REV (shortid)". Throws GitError
    // "unknown revision 'REV'" when rev names no commit, GitError on other failures.
    std::unique_ptr<Tree> treeAt(const std::string& rev) const;
    // A view of the files on disk in the working folder (see worktree.h).
    // Throws GitError for a bare repository.
    std::unique_ptr<Tree> workingTree() const;

    // What `git status --porcelain -uall` reports, in its order: tracked changes sorted by path,
    // then untracked files sorted by path; ignored files are left out.
    // Throws GitError.
    std::vector<StatusEntry> status() const;

    // Stages every change like `git add -A` (new, modified and deleted files, .gitignore
    // respected) and commits it on the branch HEAD points to — also the first commit of an unborn
    // branch. The message is cleaned up like git does (trailing newline, no trailing blank lines).
    // committer defaults to author. Returns the new commit id, or nullopt when the staged tree
    // equals HEAD's (nothing to commit). Throws GitError.
    std::optional<std::string> commitAll(const std::string& message, const Signature& author,
                                         const std::optional<Signature>& committer = {});

    // Commits reachable from rev, newest first (commit time, parents after children). With path
    // ("frame" or "frame/module.toml"), only the commits whose entry at that path differs from
    // their first parent's (or that add it, for a root commit); renames are not followed.
    // maxCount 0 means no limit. An unborn HEAD gives an empty list. Throws GitError
    // "unknown revision 'REV'" for another rev that names no commit.
    std::vector<CommitInfo> log(const std::string& rev = "HEAD", const std::string& path = "",
                                size_t maxCount = 0) const;

    // Tags the commit rev names: annotated with tagger and message, lightweight when message is
    // empty. Throws GitError when rev names no commit or the tag already exists.
    void createTag(const std::string& name, const std::string& rev, const std::string& message,
                   const Signature& tagger);
    // Tag names, sorted.
    std::vector<std::string> tags() const;
    // Local branch names ("main", "feature/hopper"), sorted.
    std::vector<std::string> localBranches() const;
    // Remote-tracking branch names ("origin/main"), sorted; the remotes' symbolic HEADs are left out.
    std::vector<std::string> remoteBranches() const;

    // The branch HEAD points to ("main"), also when unborn; empty when HEAD is detached.
    std::string currentBranch() const;
    // Creates branch name at the commit rev names. Throws GitError when rev names no commit or
    // the branch exists.
    void createBranch(const std::string& name, const std::string& rev);
    // Switches HEAD, index and working tree to branch name. Safe: local changes that do not
    // collide are kept; when a changed or untracked file would be overwritten nothing is changed
    // and GitError lists those paths. Throws GitError when the branch does not exist.
    void checkoutBranch(const std::string& name);

private:
    friend struct detail::RepositoryAccess;
    explicit Repository(std::shared_ptr<detail::GitRepositoryHandle> handle);
    // Shared with the trees handed out; never null except after a move.
    std::shared_ptr<detail::GitRepositoryHandle> m_handle;
};

} // namespace telar::core

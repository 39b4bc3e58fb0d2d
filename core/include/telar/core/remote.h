#pragma once
// Remotes of a design repository: configured remotes, fetch, push, how far a branch is ahead of
// or behind its remote-tracking branch, fast-forward, and forks that record where they came
// from. Transfers go through libgit2 over local paths, file://, git://, ssh:// and smart
// HTTP(S) URLs, report progress and stop when cancelled.
//
// Credentials (asked for only when a server wants them), in this order: TELAR_TOKEN (with
// TELAR_USERNAME, default "x-access-token"), TELAR_USERNAME + TELAR_PASSWORD, git's credential
// helpers (`git credential fill` through a pipe, run from the repository so its own
// credential.helper applies), and the SSH agent for ssh URLs. Telar never writes a secret to
// disk; a helper's answer is reported back with `git credential approve` or `reject`.
//
// Consistency: references change only after a transfer completed. A network failure, a killed
// server or a cancel leaves every local reference (and the working tree) as it was; a push
// that fails leaves the remote's references as they were.

#include "telar/core/git.h"
#include "telar/core/manifest.h"
#include "telar/error.h"
#include "telar/progress.h"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::core {

// How a transfer may obtain credentials.
struct CredentialOptions {
    // Let git's credential machinery ask on the terminal when no helper knows the answer.
    // Off by default: tests, scripts and the desktop app never block on a prompt.
    bool allowPrompt = false;
};

// A configured remote. pushUrl is empty when pushes go to url.
struct RemoteInfo {
    std::string name;
    std::string url;
    std::string pushUrl;
};

// One reference a fetch or a push changed. oldId is empty for a new reference, newId for a
// deleted one. name is the local ref for a fetch ("refs/remotes/origin/main", "refs/tags/v1.0")
// and the remote's ref for a push ("refs/heads/main").
struct RefUpdate {
    std::string name;
    std::string oldId;
    std::string newId;
};

// What fetch() did.
struct FetchResult {
    std::string remote;
    std::string url;                // without any password it contained
    std::string defaultBranch;      // the branch the remote's HEAD names ("main"); empty when unknown
    std::vector<RefUpdate> updated; // local references that moved, sorted by name
    size_t receivedObjects = 0;
    size_t receivedBytes = 0;
};

// What push() did. updated lists the remote references that moved; upToDate those that already
// had the pushed value.
struct PushResult {
    std::string remote;
    std::string url;
    std::vector<RefUpdate> updated;
    std::vector<std::string> upToDate;
};

// A push the remote refused, or that would have thrown away commits the remote has and we do
// not (non-fast-forward). what() says what to do; refs() names the refused references.
class PushRejected : public GitError {
public:
    PushRejected(const std::string& message, std::vector<std::string> refs, bool nonFastForward)
        : GitError(message), m_refs(std::move(refs)), m_nonFastForward(nonFastForward) {}
    const std::vector<std::string>& refs() const { return m_refs; }
    bool nonFastForward() const { return m_nonFastForward; }

private:
    std::vector<std::string> m_refs;
    bool m_nonFastForward;
};

// The message of a non-fast-forward PushRejected.
inline constexpr std::string_view kNonFastForwardMessage =
    "push rejected: the remote has commits you do not have; run `telar pull` (or `telar sync` for a fork) "
    "and push "
    "again";

// url with any password in it replaced by "***" (for messages and output).
std::string displayUrl(const std::string& url);

// The remotes of repo, sorted by name. Throws GitError.
std::vector<RemoteInfo> listRemotes(const Repository& repo);
// The remote called name; nullopt when there is none. Throws GitError.
std::optional<RemoteInfo> findRemote(const Repository& repo, const std::string& name);
// Adds remote name for url with git's default fetch refspec (+refs/heads/*:refs/remotes/NAME/*).
// Throws UsageError when name is not a valid remote name or already exists, GitError otherwise.
void addRemote(Repository& repo, const std::string& name, const std::string& url);
// Points an existing remote at a new URL. Throws UsageError when there is no such remote.
void setRemoteUrl(Repository& repo, const std::string& name, const std::string& url);

// Clones url into dir like Repository::clone, with explicit credential options.
// Throws telar::Cancelled, GitError (with the credential message when authentication failed).
Repository cloneRepository(const std::string& url, const std::filesystem::path& dir,
                           const Progress& progress = {}, const CredentialOptions& credentials = {});

// Fetches remote: updates its remote-tracking branches (refs/remotes/NAME/*), the tags that
// point into what was fetched, FETCH_HEAD and refs/remotes/NAME/HEAD. Throws UsageError when
// there is no such remote, telar::Cancelled when cancelled, GitError when the transfer fails
// (local references are then unchanged).
FetchResult fetch(Repository& repo, const std::string& remote, const Progress& progress = {},
                  const CredentialOptions& credentials = {});

// Pushes refspecs ("main", "refs/heads/main", "main:review", "refs/tags/v1.0"; a leading '+'
// forces) to remote and updates the matching remote-tracking branches. Throws UsageError when
// there is no such remote or a refspec names nothing, PushRejected when the remote refused a
// reference or the push is not a fast-forward (message kNonFastForwardMessage),
// telar::Cancelled, GitError when the transfer fails (the remote's references are then unchanged).
PushResult push(Repository& repo, const std::string& remote, const std::vector<std::string>& refspecs,
                const Progress& progress = {}, const CredentialOptions& credentials = {});

// Annotated tags that point at rev or at one of its ancestors, sorted: the releases that
// publishing rev also publishes. Throws GitError when rev names no commit.
std::vector<std::string> releaseTags(const Repository& repo, const std::string& rev);

// The branch of a remote that a local branch follows (branch.NAME.remote and branch.NAME.merge).
struct TrackingBranch {
    std::string remote; // "origin"
    std::string branch; // the remote's branch: "main"
    std::string name;   // the remote-tracking branch, usable as a revision: "origin/main"
};
// What local branch follows; nullopt when it follows nothing. Throws GitError.
std::optional<TrackingBranch> trackingBranch(const Repository& repo, const std::string& branch);
// Makes local branch follow remote's branch of the same name, like `git push -u`.
// Throws GitError when refs/remotes/REMOTE/BRANCH does not exist.
void setTrackingBranch(Repository& repo, const std::string& branch, const std::string& remote);

// How many commits one revision has that the other has not.
struct AheadBehind {
    size_t ahead = 0;  // commits in local that are not in upstream
    size_t behind = 0; // commits in upstream that are not in local
};
// Counts commits between local and upstream (both revisions). Throws GitError when either
// names no commit.
AheadBehind aheadBehind(const Repository& repo, const std::string& local, const std::string& upstream);

// What fastForward() found and did.
enum class FastForwardStatus {
    UpToDate,      // HEAD already is the target
    Ahead,         // the target is an ancestor of HEAD: nothing to bring in
    FastForwarded, // the branch moved to the target and the working tree followed
    Diverged,      // both sides have commits: a merge is needed; nothing was changed
};
struct FastForwardResult {
    FastForwardStatus status = FastForwardStatus::UpToDate;
    std::string oldId; // HEAD before (empty for an unborn branch)
    std::string newId; // HEAD after
};
// Moves the current branch forward to the commit rev names when that is a fast-forward, and
// updates the index and the working tree. Local changes that the move does not touch are kept;
// when a changed or untracked file would be overwritten nothing is changed and GitError names
// those files. Throws GitError when HEAD is detached or rev names no commit.
FastForwardResult fastForward(Repository& repo, const std::string& rev, const Progress& progress = {});

// Records a fork in the text of a telar.toml: [upstream] becomes `from` (url, commit, forked),
// and a previous [upstream] is kept as the first [[lineage]] entry (nearest ancestor first).
// Comments and the rest of the text are kept. Throws ManifestError when the text or the result
// is not a valid project manifest.
std::string recordFork(std::string_view telarToml, const Upstream& from);

// What forkRepository() did.
struct ForkResult {
    std::string url;                          // as recorded: no password, a local path made absolute
    std::string upstreamCommit;               // the upstream commit the fork starts from
    std::string forkCommit;                   // the "Fork of URL" commit
    std::string forked;                       // the date recorded ("2026-11-21T10:00:00Z")
    std::optional<Upstream> previousUpstream; // moved to [[lineage]]
};
// Clones url into dir, renames its remote to "upstream" and lets the branch follow no remote (a
// fork pushes to a remote of its own, added later as origin), records the fork in telar.toml (recordFork) and
// commits it as "Fork of URL" by who (default: user.name/user.email from git's configuration). forked is the
// date to record (ISO 8601; empty = now, UTC). On any failure dir is removed again. Throws UsageError when
// url is not a Telar design (no telar.toml) or there is no author, and what cloneRepository throws.
ForkResult forkRepository(const std::string& url, const std::filesystem::path& dir,
                          const std::optional<Signature>& who, const std::string& forked = "",
                          const Progress& progress = {}, const CredentialOptions& credentials = {});

// Whether [upstream] or [[lineage]] of telar.toml differ between the commits from and to
// name (url, commit and forked compared; no telar.toml counts as neither). These describe the
// repository they are in, so `telar pull` and `telar sync` do not fast-forward over such a
// change: they merge (MergeOptions::noFastForward) and keep ours. Throws GitError when from or
// to names no commit.
bool forkRecordDiffers(const Repository& repo, const std::string& from, const std::string& to);

// The [upstream] url of the design in repo's working tree; nullopt when it has none.
// Throws ManifestError when telar.toml is invalid, UsageError when it is missing.
std::optional<Upstream> forkUpstream(const Repository& repo);

} // namespace telar::core

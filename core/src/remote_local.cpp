// The local side of remotes: configured remotes, tracking branches, ahead/behind counts, release
// tags to publish, and fast-forwarding the current branch without overwriting local changes.

#include "git_handles.h"
#include "telar/core/remote.h"

#include <algorithm>

namespace telar::core {

using GitRemotePtr = std::unique_ptr<git_remote, GitDeleter<git_remote, git_remote_free>>;

namespace {

detail::GitRepositoryHandle& handleOf(const Repository& repo) {
    return *detail::RepositoryAccess::handle(repo);
}

// The commit rev names, or GitError "unknown revision".
GitCommitPtr commitOf(git_repository* repo, const std::string& rev) {
    git_object* raw = nullptr;
    if (git_revparse_single(&raw, repo, rev.c_str()) < 0) {
        git_error_clear();
        throw GitError("unknown revision '" + rev + "'", GIT_ENOTFOUND);
    }
    GitObjectPtr obj(raw);
    git_object* peeled = nullptr;
    if (git_object_peel(&peeled, obj.get(), GIT_OBJECT_COMMIT) < 0) {
        git_error_clear();
        throw GitError("'" + rev + "' does not name a commit", GIT_ENOTFOUND);
    }
    return GitCommitPtr(reinterpret_cast<git_commit*>(peeled));
}

std::optional<RemoteInfo> remoteInfo(git_repository* repo, const std::string& name) {
    git_remote* raw = nullptr;
    int rc = git_remote_lookup(&raw, repo, name.c_str());
    if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) {
        git_error_clear();
        return std::nullopt;
    }
    gitCheck(rc, "cannot read remote '" + name + "'");
    GitRemotePtr remote(raw);
    RemoteInfo info;
    info.name = name;
    if (const char* url = git_remote_url(remote.get())) info.url = url;
    if (const char* url = git_remote_pushurl(remote.get())) info.pushUrl = url;
    return info;
}

bool hasPassword(const std::string& url) {
    return displayUrl(url) != url;
}

struct CheckoutConflicts {
    std::vector<std::string> paths;
};

int collectConflict(git_checkout_notify_t, const char* path, const git_diff_file*, const git_diff_file*,
                    const git_diff_file*, void* payload) {
    static_cast<CheckoutConflicts*>(payload)->paths.emplace_back(path);
    return 0;
}

} // namespace

std::vector<RemoteInfo> listRemotes(const Repository& repo) {
    auto& h = handleOf(repo);
    std::lock_guard lock(h.mutex);
    GitStrArrayGuard names;
    gitCheck(git_remote_list(&names.array, h.repo.get()), "cannot list remotes");
    std::vector<RemoteInfo> out;
    for (size_t i = 0; i < names.array.count; ++i)
        if (auto info = remoteInfo(h.repo.get(), names.array.strings[i])) out.push_back(std::move(*info));
    std::sort(out.begin(), out.end(),
              [](const RemoteInfo& a, const RemoteInfo& b) { return a.name < b.name; });
    return out;
}

std::optional<RemoteInfo> findRemote(const Repository& repo, const std::string& name) {
    auto& h = handleOf(repo);
    std::lock_guard lock(h.mutex);
    return remoteInfo(h.repo.get(), name);
}

void addRemote(Repository& repo, const std::string& name, const std::string& url) {
    auto& h = handleOf(repo);
    std::lock_guard lock(h.mutex);
    int valid = 0;
    gitCheck(git_remote_name_is_valid(&valid, name.c_str()), "cannot check the remote name");
    if (!valid) throw UsageError("'" + name + "' is not a valid remote name");
    if (url.empty()) throw UsageError("the remote '" + name + "' needs a URL");
    if (hasPassword(url))
        throw UsageError("the URL holds a password, and Telar does not store passwords: leave it out and use "
                         "TELAR_PASSWORD, TELAR_TOKEN or a git credential helper");
    if (auto existing = remoteInfo(h.repo.get(), name))
        throw UsageError("a remote called '" + name + "' already exists (" + displayUrl(existing->url) + ")");
    git_remote* raw = nullptr;
    gitCheck(git_remote_create(&raw, h.repo.get(), name.c_str(), url.c_str()),
             "cannot add remote '" + name + "'");
    git_remote_free(raw);
}

void setRemoteUrl(Repository& repo, const std::string& name, const std::string& url) {
    auto& h = handleOf(repo);
    std::lock_guard lock(h.mutex);
    if (!remoteInfo(h.repo.get(), name)) throw UsageError("no remote called '" + name + "'");
    if (hasPassword(url))
        throw UsageError("the URL holds a password, and Telar does not store passwords: leave it out and use "
                         "TELAR_PASSWORD, TELAR_TOKEN or a git credential helper");
    gitCheck(git_remote_set_url(h.repo.get(), name.c_str(), url.c_str()),
             "cannot change remote '" + name + "'");
}

std::vector<std::string> releaseTags(const Repository& repo, const std::string& rev) {
    auto& h = handleOf(repo);
    std::lock_guard lock(h.mutex);
    git_repository* r = h.repo.get();
    GitCommitPtr tip = commitOf(r, rev);
    const git_oid* tipId = git_commit_id(tip.get());
    GitStrArrayGuard names;
    gitCheck(git_tag_list(&names.array, r), "cannot list tags");
    std::vector<std::string> out;
    for (size_t i = 0; i < names.array.count; ++i) {
        std::string ref = std::string("refs/tags/") + names.array.strings[i];
        git_oid id;
        if (git_reference_name_to_id(&id, r, ref.c_str()) < 0) {
            git_error_clear();
            continue;
        }
        git_object* raw = nullptr;
        if (git_object_lookup(&raw, r, &id, GIT_OBJECT_ANY) < 0) {
            git_error_clear();
            continue;
        }
        GitObjectPtr obj(raw);
        if (git_object_type(obj.get()) != GIT_OBJECT_TAG) continue; // lightweight: not a release
        git_object* peeled = nullptr;
        if (git_object_peel(&peeled, obj.get(), GIT_OBJECT_COMMIT) < 0) {
            git_error_clear();
            continue;
        }
        GitObjectPtr commit(peeled);
        const git_oid* target = git_object_id(commit.get());
        if (git_oid_equal(target, tipId) || git_graph_descendant_of(r, tipId, target) == 1)
            out.emplace_back(names.array.strings[i]);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<TrackingBranch> trackingBranch(const Repository& repo, const std::string& branch) {
    auto& h = handleOf(repo);
    std::lock_guard lock(h.mutex);
    const std::string local = "refs/heads/" + branch;
    GitBufGuard remote, merge;
    int rc = git_branch_upstream_remote(&remote.buf, h.repo.get(), local.c_str());
    if (rc == GIT_ENOTFOUND) {
        git_error_clear();
        return std::nullopt;
    }
    gitCheck(rc, "cannot read what branch '" + branch + "' follows");
    rc = git_branch_upstream_merge(&merge.buf, h.repo.get(), local.c_str());
    if (rc == GIT_ENOTFOUND) {
        git_error_clear();
        return std::nullopt;
    }
    gitCheck(rc, "cannot read what branch '" + branch + "' follows");
    TrackingBranch t;
    t.remote = remote.str();
    t.branch = merge.str();
    if (t.branch.rfind("refs/heads/", 0) == 0) t.branch = t.branch.substr(11);
    t.name = t.remote + "/" + t.branch;
    return t;
}

void setTrackingBranch(Repository& repo, const std::string& branch, const std::string& remote) {
    auto& h = handleOf(repo);
    std::lock_guard lock(h.mutex);
    git_reference* raw = nullptr;
    gitCheck(git_branch_lookup(&raw, h.repo.get(), branch.c_str(), GIT_BRANCH_LOCAL),
             "no branch '" + branch + "'");
    GitReferencePtr ref(raw);
    const std::string upstream = remote + "/" + branch;
    gitCheck(git_branch_set_upstream(ref.get(), upstream.c_str()),
             "cannot make branch '" + branch + "' follow " + upstream);
}

AheadBehind aheadBehind(const Repository& repo, const std::string& local, const std::string& upstream) {
    auto& h = handleOf(repo);
    std::lock_guard lock(h.mutex);
    GitCommitPtr a = commitOf(h.repo.get(), local);
    GitCommitPtr b = commitOf(h.repo.get(), upstream);
    AheadBehind out;
    gitCheck(git_graph_ahead_behind(&out.ahead, &out.behind, h.repo.get(), git_commit_id(a.get()),
                                    git_commit_id(b.get())),
             "cannot compare " + local + " with " + upstream);
    return out;
}

FastForwardResult fastForward(Repository& repo, const std::string& rev, const Progress& progress) {
    auto& h = handleOf(repo);
    std::lock_guard lock(h.mutex);
    git_repository* r = h.repo.get();
    if (git_repository_head_detached(r) == 1) throw GitError("HEAD is detached: switch to a branch first");
    GitCommitPtr target = commitOf(r, rev);
    const std::string targetId = gitOidString(git_commit_id(target.get()));

    FastForwardResult result;
    result.newId = targetId;
    git_reference* rawHead = nullptr;
    int rc = git_repository_head(&rawHead, r);
    GitReferencePtr head(rawHead);
    const bool unborn = rc == GIT_EUNBORNBRANCH;
    if (unborn)
        git_error_clear();
    else
        gitCheck(rc, "cannot read HEAD");
    if (!unborn) {
        const git_oid* current = git_reference_target(head.get());
        result.oldId = gitOidString(current);
        if (git_oid_equal(current, git_commit_id(target.get()))) {
            result.status = FastForwardStatus::UpToDate;
            return result;
        }
        if (git_graph_descendant_of(r, current, git_commit_id(target.get())) == 1) {
            result.status = FastForwardStatus::Ahead;
            result.newId = result.oldId;
            return result;
        }
        if (git_graph_descendant_of(r, git_commit_id(target.get()), current) != 1) {
            git_error_clear();
            result.status = FastForwardStatus::Diverged;
            result.newId = result.oldId;
            return result;
        }
    }

    // Index and working tree first (SAFE: nothing is written when a local change is in the way),
    // then the branch, compared-and-swapped against the value read above.
    CheckoutConflicts conflicts;
    git_checkout_options opts = GIT_CHECKOUT_OPTIONS_INIT;
    opts.checkout_strategy = GIT_CHECKOUT_SAFE;
    opts.notify_flags = GIT_CHECKOUT_NOTIFY_CONFLICT;
    opts.notify_cb = collectConflict;
    opts.notify_payload = &conflicts;
    struct CheckoutState {
        const Progress* progress;
    } state{&progress};
    opts.progress_cb = [](const char*, size_t done, size_t total, void* payload) {
        if (total > 0)
            static_cast<CheckoutState*>(payload)->progress->report(double(done) / double(total),
                                                                   "updating files");
    };
    opts.progress_payload = &state;
    rc = git_checkout_tree(r, reinterpret_cast<git_object*>(target.get()), &opts);
    if (rc == GIT_ECONFLICT) {
        std::string list;
        for (const auto& p : conflicts.paths)
            list += (list.empty() ? "" : ", ") + p;
        git_error_clear();
        throw GitError("cannot fast-forward to " + rev + ": local changes would be overwritten in " + list +
                           "; commit them (`telar commit`) or undo them, then try again",
                       GIT_ECONFLICT);
    }
    gitCheck(rc, "cannot update the working tree to " + rev);
    const std::string reflog = "telar: fast-forward to " + rev;
    git_reference* moved = nullptr;
    if (unborn) {
        git_reference* symbolic = nullptr;
        gitCheck(git_reference_lookup(&symbolic, r, "HEAD"), "cannot read HEAD");
        GitReferencePtr headRef(symbolic);
        const char* branchRef = git_reference_symbolic_target(headRef.get());
        gitCheck(git_reference_create(&moved, r, branchRef, git_commit_id(target.get()), 0, reflog.c_str()),
                 "cannot create the branch at " + rev);
    } else {
        gitCheck(git_reference_set_target(&moved, head.get(), git_commit_id(target.get()), reflog.c_str()),
                 "cannot move the branch to " + rev);
    }
    git_reference_free(moved);
    result.status = FastForwardStatus::FastForwarded;
    progress.report(1.0, "fast-forwarded");
    return result;
}

} // namespace telar::core

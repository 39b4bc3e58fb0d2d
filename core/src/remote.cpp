// Transfers: clone, fetch and push through libgit2, with credentials, progress and cancel.
// References move only once a transfer has completed (libgit2 writes the received pack first and
// updates the tips last; a push updates the remote's references only after it received the
// whole pack), so a failure at any point leaves them as they were.

#include "telar/core/remote.h"
#include "credentials.h"
#include "git_handles.h"

#include <algorithm>
#include <csignal>
#include <ctime>
#include <pthread.h>
#include <system_error>

namespace telar::core {

namespace fs = std::filesystem;

using GitRemotePtr = std::unique_ptr<git_remote, GitDeleter<git_remote, git_remote_free>>;

namespace {

// Blocks SIGPIPE in this thread while a transfer runs, so a server that drops the connection
// gives an error instead of killing the process; a SIGPIPE raised meanwhile is consumed.
class SigpipeGuard {
public:
    SigpipeGuard() {
        sigemptyset(&m_pipe);
        sigaddset(&m_pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &m_pipe, &m_old);
    }
    ~SigpipeGuard() {
        sigset_t pending;
        sigpending(&pending);
        if (sigismember(&pending, SIGPIPE) && !sigismember(&m_old, SIGPIPE)) {
            timespec zero{0, 0};
            sigtimedwait(&m_pipe, nullptr, &zero);
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }
    SigpipeGuard(const SigpipeGuard&) = delete;
    SigpipeGuard& operator=(const SigpipeGuard&) = delete;

private:
    sigset_t m_pipe;
    sigset_t m_old;
};

// Disconnects a connected remote when the scope ends, whatever happened.
struct Disconnect {
    git_remote* remote;
    ~Disconnect() {
        if (remote && git_remote_connected(remote)) git_remote_disconnect(remote);
    }
};

GitRemotePtr lookupRemote(git_repository* repo, const std::string& name) {
    git_remote* raw = nullptr;
    int rc = git_remote_lookup(&raw, repo, name.c_str());
    if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) {
        git_error_clear();
        throw UsageError("no remote called '" + name + "' (add one with `telar remote add " + name +
                         " URL`)");
    }
    gitCheck(rc, "cannot read remote '" + name + "'");
    return GitRemotePtr(raw);
}

// url with the password left out entirely ("https://ann@host/x.git"), for what is stored.
std::string urlWithoutPassword(const std::string& url) {
    auto scheme = url.find("://");
    if (scheme == std::string::npos) return url;
    auto hostStart = scheme + 3;
    auto slash = url.find('/', hostStart);
    auto at = url.rfind('@', slash == std::string::npos ? url.size() : slash);
    if (at == std::string::npos || at < hostStart) return url;
    auto colon = url.find(':', hostStart);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon) + url.substr(at);
}

// The full reference name a short name pushes: a local branch, else a tag.
std::string pushSource(git_repository* repo, const std::string& name) {
    if (name.rfind("refs/", 0) == 0) return name;
    git_reference* raw = nullptr;
    for (const std::string& candidate : {"refs/heads/" + name, "refs/tags/" + name}) {
        if (git_reference_lookup(&raw, repo, candidate.c_str()) == 0) {
            git_reference_free(raw);
            return candidate;
        }
    }
    git_error_clear();
    throw UsageError("nothing called '" + name + "' to push: it is neither a branch nor a tag");
}

bool isNonFastForward(const std::string& reason) {
    return reason.find("non-fast-forward") != std::string::npos ||
           reason.find("fetch first") != std::string::npos ||
           reason.find("non-fastforward") != std::string::npos;
}

} // namespace

std::string displayUrl(const std::string& url) {
    std::string bare = urlWithoutPassword(url);
    if (bare == url) return url;
    auto at = bare.find('@', bare.find("://") + 3);
    return bare.substr(0, at) + ":***" + bare.substr(at);
}

Repository cloneRepository(const std::string& url, const fs::path& dir, const Progress& progress,
                           const CredentialOptions& credentials) {
    auto handle = std::make_shared<detail::GitRepositoryHandle>();
    const bool existed = fs::exists(dir);
    if (existed && !fs::is_empty(dir))
        throw GitError("cannot clone into " + dir.string() + ": the folder exists and is not empty");
    SigpipeGuard sigpipe;
    detail::TransferSession session(progress.child(0.0, 0.8), credentials, fs::path());
    git_clone_options opts = GIT_CLONE_OPTIONS_INIT;
    session.install(opts.fetch_opts.callbacks);
    opts.checkout_opts.checkout_strategy = GIT_CHECKOUT_SAFE;
    struct CheckoutState {
        Progress progress;
    } checkoutState{progress.child(0.8, 1.0)};
    opts.checkout_opts.progress_cb = [](const char*, size_t done, size_t total, void* payload) {
        if (total > 0)
            static_cast<CheckoutState*>(payload)->progress.report(double(done) / double(total),
                                                                  "checking out files");
    };
    opts.checkout_opts.progress_payload = &checkoutState;
    git_repository* raw = nullptr;
    int rc = git_clone(&raw, url.c_str(), dir.c_str(), &opts);
    if (rc == 0 && progress.isCancelled()) { // cancelled after the last callback: undone all the same
        git_repository_free(raw);
        rc = GIT_EUSER;
    }
    if (rc < 0) {
        std::string message = gitLastErrorMessage();
        std::error_code ec;
        if (existed) { // nothing half-cloned is left behind
            for (const auto& entry : fs::directory_iterator(dir, ec))
                fs::remove_all(entry.path(), ec);
        } else {
            fs::remove_all(dir, ec);
        }
        git_error_set_str(GIT_ERROR_NET, message.c_str());
        session.fail(rc, "cannot clone " + displayUrl(url));
    }
    handle->repo.reset(raw);
    session.credentials.approve();
    // A password given in the URL served this transfer only: it is not kept in .git/config.
    if (std::string stored = urlWithoutPassword(url); stored != url)
        gitCheck(git_remote_set_url(raw, "origin", stored.c_str()), "cannot record the remote's URL");
    progress.report(1.0, "cloned");
    return detail::RepositoryAccess::wrap(std::move(handle));
}

FetchResult fetch(Repository& repo, const std::string& name, const Progress& progress,
                  const CredentialOptions& credentials) {
    auto& h = *detail::RepositoryAccess::handle(repo);
    std::lock_guard lock(h.mutex);
    GitRemotePtr remote = lookupRemote(h.repo.get(), name);
    FetchResult result;
    result.remote = name;
    result.url = displayUrl(git_remote_url(remote.get()) ? git_remote_url(remote.get()) : "");
    const std::string context = "cannot fetch from " + name + " (" + result.url + ")";

    SigpipeGuard sigpipe;
    detail::TransferSession session(progress, credentials, repo.workdir());
    git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
    session.install(callbacks);
    Disconnect disconnect{remote.get()};
    progress.report(0.0, "connecting to " + name);
    if (int rc = git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr); rc < 0)
        session.fail(rc, context);
    {
        GitBufGuard buf;
        if (git_remote_default_branch(&buf.buf, remote.get()) == 0) {
            std::string ref = buf.str();
            if (ref.rfind("refs/heads/", 0) == 0) result.defaultBranch = ref.substr(11);
        } else {
            git_error_clear();
        }
    }
    git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
    opts.callbacks = callbacks;
    if (int rc = git_remote_download(remote.get(), nullptr, &opts); rc < 0) session.fail(rc, context);
    const git_indexer_progress* stats = git_remote_stats(remote.get());
    result.receivedObjects = stats->received_objects;
    result.receivedBytes = stats->received_bytes;
    session.progress.throwIfCancelled();
    const std::string reflog = "telar fetch " + name;
    if (int rc = git_remote_update_tips(remote.get(), &callbacks, 1, opts.download_tags, reflog.c_str());
        rc < 0)
        session.fail(rc, context);
    git_remote_disconnect(remote.get());
    session.credentials.approve();

    // refs/remotes/NAME/HEAD names the remote's default branch, as after a clone.
    if (!result.defaultBranch.empty()) {
        const std::string target = "refs/remotes/" + name + "/" + result.defaultBranch;
        const std::string headRef = "refs/remotes/" + name + "/HEAD";
        git_reference* existing = nullptr;
        if (git_reference_lookup(&existing, h.repo.get(), target.c_str()) == 0) {
            git_reference_free(existing);
            git_reference* raw = nullptr;
            gitCheck(git_reference_symbolic_create(&raw, h.repo.get(), headRef.c_str(), target.c_str(), 1,
                                                   reflog.c_str()),
                     "cannot record the default branch of " + name);
            git_reference_free(raw);
        } else {
            git_error_clear();
        }
    }
    result.updated = std::move(session.fetched);
    std::sort(result.updated.begin(), result.updated.end(),
              [](const RefUpdate& a, const RefUpdate& b) { return a.name < b.name; });
    progress.report(1.0, "fetched");
    return result;
}

PushResult push(Repository& repo, const std::string& name, const std::vector<std::string>& refspecs,
                const Progress& progress, const CredentialOptions& credentials) {
    auto& h = *detail::RepositoryAccess::handle(repo);
    std::lock_guard lock(h.mutex);
    GitRemotePtr remote = lookupRemote(h.repo.get(), name);
    PushResult result;
    result.remote = name;
    const char* pushUrl = git_remote_pushurl(remote.get());
    if (!pushUrl) pushUrl = git_remote_url(remote.get());
    result.url = displayUrl(pushUrl ? pushUrl : "");
    const std::string context = "cannot push to " + name + " (" + result.url + ")";
    if (refspecs.empty()) throw UsageError("nothing to push: name a branch or a tag");

    // Full refspecs: [+]refs/heads/main:refs/heads/main.
    std::vector<std::string> specs;
    std::vector<std::string> targets;
    for (const auto& given : refspecs) {
        std::string spec = given;
        bool force = !spec.empty() && spec[0] == '+';
        if (force) spec.erase(0, 1);
        std::string src = spec, dst;
        if (auto colon = spec.find(':'); colon != std::string::npos) {
            src = spec.substr(0, colon);
            dst = spec.substr(colon + 1);
        }
        src = pushSource(h.repo.get(), src);
        if (dst.empty())
            dst = src;
        else if (dst.rfind("refs/", 0) != 0)
            dst = (src.rfind("refs/tags/", 0) == 0 ? "refs/tags/" : "refs/heads/") + dst;
        specs.push_back((force ? "+" : "") + src + ":" + dst);
        targets.push_back(dst);
    }
    std::vector<char*> raw;
    for (auto& s : specs)
        raw.push_back(s.data());
    git_strarray array{raw.data(), raw.size()};

    SigpipeGuard sigpipe;
    detail::TransferSession session(progress, credentials, repo.workdir());
    git_push_options opts = GIT_PUSH_OPTIONS_INIT;
    session.install(opts.callbacks);
    progress.report(0.0, "connecting to " + name);
    int rc = git_remote_push(remote.get(), &array, &opts);
    if (rc == GIT_ENONFASTFORWARD && !session.progress.isCancelled())
        throw PushRejected(std::string(kNonFastForwardMessage), targets, true);
    if (rc < 0) session.fail(rc, context);
    if (!session.refused.empty()) {
        std::vector<std::string> refs;
        bool nonFastForward = true;
        std::string reasons;
        for (const auto& [ref, reason] : session.refused) {
            refs.push_back(ref);
            nonFastForward = nonFastForward && isNonFastForward(reason);
            reasons += (reasons.empty() ? "" : "; ") + ref + ": " + reason;
        }
        if (nonFastForward) throw PushRejected(std::string(kNonFastForwardMessage), refs, true);
        throw PushRejected("push rejected by " + name + " (" + result.url + "): " + reasons, refs, false);
    }
    session.credentials.approve();
    for (auto& u : session.negotiated) {
        if (u.oldId == u.newId)
            result.upToDate.push_back(u.name);
        else
            result.updated.push_back(std::move(u));
    }
    // libgit2 leaves out references whose value the remote already has.
    for (const auto& t : targets) {
        bool seen = std::any_of(result.updated.begin(), result.updated.end(),
                                [&](const RefUpdate& u) { return u.name == t; }) ||
                    std::find(result.upToDate.begin(), result.upToDate.end(), t) != result.upToDate.end();
        if (!seen) result.upToDate.push_back(t);
    }
    progress.report(1.0, "pushed");
    return result;
}

} // namespace telar::core

// Remote commands: remote, clone, fork, fetch, push, publish, pull, sync.

#include "cli_context.h"

#include "telar/core/git.h"
#include "telar/core/merge.h"
#include "telar/core/remote.h"
#include "telar/error.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <iostream>
#include <unistd.h>

namespace telar::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Credential helpers may ask on the terminal only when someone is there to answer.
core::CredentialOptions credentialOptions() {
    core::CredentialOptions options;
    options.allowPrompt = ::isatty(STDIN_FILENO) != 0;
    return options;
}

std::string shortId(const std::string& id) {
    return id.empty() ? "0000000" : id.substr(0, 7);
}

json refUpdatesJson(const std::vector<core::RefUpdate>& updates) {
    json list = json::array();
    for (const auto& u : updates)
        list.push_back({{"ref", u.name},
                        {"old", u.oldId.empty() ? json(nullptr) : json(u.oldId)},
                        {"new", u.newId.empty() ? json(nullptr) : json(u.newId)}});
    return list;
}

// "refs/remotes/origin/main" → "origin/main", "refs/tags/v1.0" → "v1.0".
std::string shortRef(const std::string& ref) {
    for (const char* prefix : {"refs/remotes/", "refs/heads/", "refs/tags/"})
        if (ref.rfind(prefix, 0) == 0) return ref.substr(std::string(prefix).size());
    return ref;
}

void printUpdate(const core::RefUpdate& u) {
    bool tag = u.name.rfind("refs/tags/", 0) == 0;
    std::string what = u.oldId.empty()   ? (tag ? "[new tag]" : "[new]")
                       : u.newId.empty() ? "[deleted]"
                                         : shortId(u.oldId) + ".." + shortId(u.newId);
    std::cout << fmt::format("  {:<18} {}\n", what, shortRef(u.name));
}

// The branch HEAD is on; UsageError when detached.
std::string currentBranchOrThrow(core::Repository& repo) {
    std::string branch = repo.currentBranch();
    if (branch.empty()) throw UsageError("HEAD is detached: switch to a branch first");
    return branch;
}

// The remote a command talks to: the one given, else the one the current branch follows,
// else origin.
std::string defaultRemote(core::Repository& repo, const std::string& given) {
    if (!given.empty()) return given;
    std::string branch = repo.currentBranch();
    if (!branch.empty())
        if (auto t = core::trackingBranch(repo, branch)) return t->remote;
    return "origin";
}

// Requires the remote to exist, with a hint when it does not.
void requireRemote(core::Repository& repo, const std::string& name) {
    if (core::findRemote(repo, name)) return;
    if (name == "origin")
        throw UsageError(
            "no remote called 'origin': add the remote to publish to with `telar remote add origin URL`");
    throw UsageError("no remote called '" + name + "' (add one with `telar remote add " + name + " URL`)");
}

// Brings target (a remote-tracking branch) into the current branch: a fast-forward when
// possible (local changes elsewhere are kept), else a merge through the merge engine. A
// fast-forward that would change [upstream] or [[lineage]] of telar.toml (they describe this
// repository, not the one pulled from) is a merge commit instead, which keeps ours. Prints and
// returns what happened; sets the exit code to 1 when the merge stopped on conflicts or licence
// findings.
json integrate(Context& ctx, core::Repository& repo, const std::string& target, const Progress& progress) {
    const std::string branch = currentBranchOrThrow(repo);
    bool keepForkRecord = false;
    if (auto head = repo.resolve("HEAD")) {
        auto counts = core::aheadBehind(repo, "HEAD", target);
        keepForkRecord = counts.ahead == 0 && counts.behind > 0 && core::forkRecordDiffers(repo, "HEAD", target);
    }
    core::FastForwardResult ff;
    if (keepForkRecord) {
        ff.status = core::FastForwardStatus::Diverged; // the merge below, not a fast-forward
        ff.oldId = ff.newId = *repo.resolve("HEAD");
    } else {
        ff = core::fastForward(repo, target, progress);
    }
    json j{{"branch", branch},
           {"target", target},
           {"old", ff.oldId.empty() ? json(nullptr) : json(ff.oldId)},
           {"new", ff.newId}};
    switch (ff.status) {
    case core::FastForwardStatus::UpToDate:
        j["status"] = "up-to-date";
        if (!ctx.globals.json) std::cout << branch << " is up to date with " << target << "\n";
        break;
    case core::FastForwardStatus::Ahead:
        j["status"] = "ahead";
        if (!ctx.globals.json)
            std::cout << branch << " already has everything in " << target
                      << " (and commits of its own to push)\n";
        break;
    case core::FastForwardStatus::FastForwarded:
        j["status"] = "fast-forward";
        if (!ctx.globals.json)
            std::cout << "Fast-forward " << branch << " " << shortId(ff.oldId) << ".." << shortId(ff.newId)
                      << " to " << target << "\n";
        break;
    case core::FastForwardStatus::Diverged: {
        // Both sides have commits (or target would change our fork record): the merge engine
        // makes the merge commit, or stops on conflicts.
        auto counts = core::aheadBehind(repo, "HEAD", target);
        j["ahead"] = counts.ahead;
        j["behind"] = counts.behind;
        j["keeps_fork_record"] = keepForkRecord;
        core::Signature who = commitAuthor(repo, "");
        core::MergeOptions options;
        options.noFastForward = keepForkRecord;
        auto merged = core::mergeRevision(repo, target, who, options, progress);
        j["commit"] = merged.commitId.empty() ? json(nullptr) : json(merged.commitId);
        json conflicts = json::array();
        for (const auto& c : merged.conflicts)
            conflicts.push_back({{"kind", c.kind},
                                 {"module", c.module},
                                 {"part", c.part},
                                 {"field", c.field},
                                 {"path", c.path},
                                 {"message", c.message}});
        j["conflicts"] = conflicts;
        j["licence_findings"] = merged.licenceFindings;
        if (merged.committed) {
            j["status"] = "merged";
            j["new"] = merged.commitId;
            if (!ctx.globals.json)
                std::cout << "Merged " << target << " into " << branch << " (" << counts.ahead << " local, "
                          << counts.behind << " incoming commits): [" << branch << " "
                          << shortId(merged.commitId) << "]\n";
            if (!ctx.globals.json && keepForkRecord)
                std::cout << "  a merge, not a fast-forward: " << target
                          << " has another [upstream]/[[lineage]] in telar.toml; this design keeps its own\n";
        } else if (merged.fastForward || merged.upToDate) {
            j["status"] = merged.fastForward ? "fast-forward" : "up-to-date";
            if (!ctx.globals.json) std::cout << branch << " is up to date with " << target << "\n";
        } else {
            j["status"] = merged.conflicts.empty() ? "licence-findings" : "conflicts";
            if (!ctx.globals.json) {
                for (const auto& c : merged.conflicts)
                    std::cout << "  conflict: " << c.message << "\n";
                for (const auto& l : merged.licenceFindings)
                    std::cout << "  licence: " << l << "\n";
            }
            std::cerr
                << "telar: the merge of " << target << " stopped: "
                << (merged.conflicts.empty()
                        ? std::string(
                              "it brings in licence findings; fix them and run `telar merge --continue`")
                        : "resolve each conflict with `telar resolve PART --ours|--theirs|--both` (or "
                          "`telar merge --abort`)")
                << "\n";
            ctx.exitCode = kFindings;
        }
        break;
    }
    }
    return j;
}

// Prints how far the current branch is from what it follows, after a fetch.
void printTrackingState(core::Repository& repo) {
    std::string branch = repo.currentBranch();
    if (branch.empty() || !repo.resolve("HEAD")) return;
    auto t = core::trackingBranch(repo, branch);
    if (!t || !repo.resolve(t->name)) return;
    auto c = core::aheadBehind(repo, "HEAD", t->name);
    if (c.ahead == 0 && c.behind == 0)
        std::cout << branch << " is up to date with " << t->name << "\n";
    else if (c.ahead == 0)
        std::cout << branch << " is " << c.behind << " commit" << (c.behind == 1 ? "" : "s") << " behind "
                  << t->name << ": run `telar pull`\n";
    else if (c.behind == 0)
        std::cout << branch << " is " << c.ahead << " commit" << (c.ahead == 1 ? "" : "s") << " ahead of "
                  << t->name << ": run `telar push`\n";
    else
        std::cout << branch << " and " << t->name << " have diverged (" << c.ahead << " and " << c.behind
                  << " commits): run `telar pull`\n";
}

json fetchJson(const core::FetchResult& r) {
    return {{"remote", r.remote},
            {"url", r.url},
            {"default_branch", r.defaultBranch},
            {"updated", refUpdatesJson(r.updated)},
            {"received_objects", r.receivedObjects},
            {"received_bytes", r.receivedBytes}};
}

void printFetch(const core::FetchResult& r) {
    std::cout << "Fetched " << r.remote << " (" << r.url << ")";
    if (r.updated.empty()) {
        std::cout << ": nothing new\n";
        return;
    }
    std::cout << ": " << r.updated.size() << (r.updated.size() == 1 ? " reference" : " references")
              << " updated\n";
    for (const auto& u : r.updated)
        printUpdate(u);
}

json pushJson(const core::PushResult& r) {
    return {{"remote", r.remote},
            {"url", r.url},
            {"updated", refUpdatesJson(r.updated)},
            {"up_to_date", r.upToDate}};
}

void printPush(const core::PushResult& r) {
    if (r.updated.empty()) {
        std::cout << "Everything up to date on " << r.remote << " (" << r.url << ")\n";
        return;
    }
    std::cout << "Pushed to " << r.remote << " (" << r.url << ")\n";
    for (const auto& u : r.updated)
        printUpdate(u);
}

// The remote's branch that pull integrates: what branch follows on that remote, else the
// branch of the same name.
std::string pullTarget(core::Repository& repo, const std::string& remote, const std::string& branch) {
    std::string target = remote + "/" + branch;
    if (auto t = core::trackingBranch(repo, branch); t && t->remote == remote) target = t->name;
    if (!repo.resolve("refs/remotes/" + target))
        throw UsageError(remote + " has no branch '" + target.substr(remote.size() + 1) + "' to pull");
    return target;
}

// ---- commands ------------------------------------------------------------------------------

void runRemoteList(Context& ctx) {
    auto& repo = ctx.repository();
    auto remotes = core::listRemotes(repo);
    if (ctx.globals.json) {
        json list = json::array();
        for (const auto& r : remotes)
            list.push_back(
                {{"name", r.name},
                 {"url", core::displayUrl(r.url)},
                 {"push_url", r.pushUrl.empty() ? json(nullptr) : json(core::displayUrl(r.pushUrl))}});
        printJson({{"remotes", list}});
        return;
    }
    if (remotes.empty()) std::cout << "No remotes: add one with `telar remote add NAME URL`\n";
    for (const auto& r : remotes)
        std::cout << fmt::format("{:<12} {}\n", r.name, core::displayUrl(r.url));
}

void runRemoteAdd(Context& ctx, const std::string& name, const std::string& url) {
    auto& repo = ctx.repository();
    core::addRemote(repo, name, url);
    if (ctx.globals.json) {
        printJson({{"added", name}, {"url", url}});
        return;
    }
    std::cout << "Added remote " << name << ": " << url << "\n";
}

// The folder `clone URL` makes: the URL's last path segment without ".git".
fs::path cloneFolder(const std::string& url) {
    std::string s = url;
    while (!s.empty() && (s.back() == '/' || s.back() == '\\'))
        s.pop_back();
    auto slash = s.find_last_of("/:");
    std::string name = slash == std::string::npos ? s : s.substr(slash + 1);
    if (name.size() > 4 && name.substr(name.size() - 4) == ".git") name.resize(name.size() - 4);
    if (name.empty() || name == "." || name == "..")
        throw UsageError("cannot choose a folder name from '" + url + "': give one, `telar clone URL DIR`");
    return fs::path(name);
}

void runClone(Context& ctx, const std::string& url, const std::string& dirArg) {
    fs::path dir = dirArg.empty() ? cloneFolder(url) : fs::path(dirArg);
    if (fs::exists(dir) && !fs::is_empty(dir))
        throw UsageError("cannot clone into " + dir.string() + ": the folder exists and is not empty");
    auto repo = core::cloneRepository(url, dir, ctx.progress(), credentialOptions());
    auto head = repo.resolve("HEAD");
    const std::string branch = repo.currentBranch();
    if (ctx.globals.json) {
        printJson({{"url", core::displayUrl(url)},
                   {"dir", fs::absolute(dir).lexically_normal().string()},
                   {"branch", branch},
                   {"head", head ? json(*head) : json(nullptr)}});
        return;
    }
    std::cout << "Cloned " << core::displayUrl(url) << " into " << dir.string();
    if (head) std::cout << " (" << branch << " at " << shortId(*head) << ")";
    std::cout << "\n";
}

void runFork(Context& ctx, const std::string& url, const std::string& dirArg, const std::string& author) {
    fs::path dir(dirArg);
    if (fs::exists(dir) && !fs::is_empty(dir))
        throw UsageError("cannot fork into " + dir.string() + ": the folder exists and is not empty");
    std::optional<core::Signature> who;
    if (!author.empty()) {
        who = parseSignature(author);
    } else {
        const char* name = std::getenv("GIT_AUTHOR_NAME");
        const char* email = std::getenv("GIT_AUTHOR_EMAIL");
        if (name && *name && email && *email) who = core::Signature{name, email, 0, 0};
    }
    auto r = core::forkRepository(url, dir, who, "", ctx.progress(), credentialOptions());
    if (ctx.globals.json) {
        json previous = nullptr;
        if (r.previousUpstream)
            previous = {{"url", r.previousUpstream->url},
                        {"commit", r.previousUpstream->commit},
                        {"forked", r.previousUpstream->forked}};
        printJson({{"url", r.url},
                   {"dir", fs::absolute(dir).lexically_normal().string()},
                   {"upstream_commit", r.upstreamCommit},
                   {"fork_commit", r.forkCommit},
                   {"forked", r.forked},
                   {"previous_upstream", previous}});
        return;
    }
    std::cout << "Forked " << r.url << " into " << dir.string() << "\n";
    std::cout << "  [upstream] in telar.toml: commit " << shortId(r.upstreamCommit) << ", forked " << r.forked
              << "\n";
    if (r.previousUpstream)
        std::cout << "  the previous upstream " << r.previousUpstream->url
                  << " is kept as the first [[lineage]] entry\n";
    std::cout << "  [main " << shortId(r.forkCommit) << "] Fork of " << r.url << "\n";
    std::cout << "Add a remote of your own to push to: `telar remote add origin URL`; `telar sync` brings in "
                 "upstream "
                 "changes.\n";
}

void runFetch(Context& ctx, const std::string& remoteArg) {
    auto& repo = ctx.repository();
    std::string remote = defaultRemote(repo, remoteArg);
    requireRemote(repo, remote);
    auto r = core::fetch(repo, remote, ctx.progress(), credentialOptions());
    if (ctx.globals.json) {
        printJson(fetchJson(r));
        return;
    }
    printFetch(r);
    printTrackingState(repo);
}

void runPush(Context& ctx, const std::string& remoteArg, const std::string& branchArg, bool releases) {
    auto& repo = ctx.repository();
    std::string branch = branchArg.empty() ? currentBranchOrThrow(repo) : branchArg;
    if (!repo.resolve("refs/heads/" + branch)) throw UsageError("no branch '" + branch + "' to push");
    std::string remote = remoteArg;
    if (remote.empty()) {
        auto t = core::trackingBranch(repo, branch);
        remote = t ? t->remote : "origin";
    }
    requireRemote(repo, remote);
    std::vector<std::string> refspecs{"refs/heads/" + branch};
    std::vector<std::string> tags;
    if (releases) {
        tags = core::releaseTags(repo, "refs/heads/" + branch);
        for (const auto& t : tags)
            refspecs.push_back("refs/tags/" + t);
    }
    auto r = core::push(repo, remote, refspecs, ctx.progress(), credentialOptions());
    bool tracking = false;
    if (!core::trackingBranch(repo, branch) && repo.resolve("refs/remotes/" + remote + "/" + branch)) {
        core::setTrackingBranch(repo, branch, remote);
        tracking = true;
    }
    if (ctx.globals.json) {
        json j = pushJson(r);
        j["branch"] = branch;
        if (releases) j["tags"] = tags;
        j["now_tracking"] = tracking ? json(remote + "/" + branch) : json(nullptr);
        printJson(j);
        return;
    }
    printPush(r);
    if (releases && tags.empty()) std::cout << "No release tags on " << branch << " to publish\n";
    if (tracking) std::cout << branch << " now follows " << remote << "/" << branch << "\n";
}

void runPull(Context& ctx, const std::string& remoteArg) {
    auto& repo = ctx.repository();
    const std::string branch = currentBranchOrThrow(repo);
    std::string remote = defaultRemote(repo, remoteArg);
    requireRemote(repo, remote);
    auto progress = ctx.progress();
    auto fetched = core::fetch(repo, remote, progress.child(0.0, 0.8), credentialOptions());
    if (!ctx.globals.json) printFetch(fetched);
    std::string target = pullTarget(repo, remote, branch);
    json j = integrate(ctx, repo, target, progress.child(0.8, 1.0));
    if (ctx.globals.json) printJson({{"fetch", fetchJson(fetched)}, {"integrate", j}});
}

void runSync(Context& ctx) {
    auto& repo = ctx.repository();
    currentBranchOrThrow(repo);
    auto upstream = core::forkUpstream(repo);
    if (!upstream)
        throw UsageError(
            "this design is not a fork: telar.toml has no [upstream] (a fork made with `telar fork` has "
            "one); use `telar pull` to bring in changes from a remote");
    const std::string remote = "upstream";
    if (auto existing = core::findRemote(repo, remote)) {
        if (existing->url != upstream->url) core::setRemoteUrl(repo, remote, upstream->url);
    } else {
        core::addRemote(repo, remote, upstream->url);
    }
    auto progress = ctx.progress();
    auto fetched = core::fetch(repo, remote, progress.child(0.0, 0.8), credentialOptions());
    if (!ctx.globals.json) printFetch(fetched);
    std::string branch = fetched.defaultBranch.empty() ? repo.currentBranch() : fetched.defaultBranch;
    std::string target = remote + "/" + branch;
    if (!repo.resolve("refs/remotes/" + target))
        throw UsageError("the upstream " + fetched.url + " has no branch '" + branch + "' to sync with");
    json j = integrate(ctx, repo, target, progress.child(0.8, 1.0));
    if (ctx.globals.json)
        printJson({{"upstream", upstream->url}, {"fetch", fetchJson(fetched)}, {"integrate", j}});
}

} // namespace

void addRemoteCommands(CLI::App& app, Context& ctx) {
    auto* remote = app.add_subcommand("remote", "List the remotes of the repository, or add one");
    remote->callback([&ctx, remote] {
        if (remote->get_subcommands().empty()) runRemoteList(ctx);
    });
    auto* remoteAdd =
        remote->add_subcommand("add", "Add a remote: a name for a URL to fetch from and push to");
    static std::string addName, addUrl;
    remoteAdd->add_option("NAME", addName, "Remote name, e.g. origin")->required();
    remoteAdd->add_option("URL", addUrl, "Repository URL: a path, file://, git://, ssh:// or http(s)://")
        ->required();
    remoteAdd->callback([&ctx] { runRemoteAdd(ctx, addName, addUrl); });

    auto* clone = app.add_subcommand("clone", "Copy a design repository and its history from a URL");
    static std::string cloneUrl, cloneDir;
    clone->add_option("URL", cloneUrl, "Repository URL: a path, file://, git://, ssh:// or http(s)://")
        ->required();
    clone->add_option("DIR", cloneDir, "Folder to create (default: from the URL)");
    clone->callback([&ctx] { runClone(ctx, cloneUrl, cloneDir); });

    auto* fork =
        app.add_subcommand("fork", "Clone a design as your own fork, recording its [upstream] in telar.toml");
    static std::string forkUrl, forkDir, forkAuthor;
    fork->add_option("URL", forkUrl, "The design to fork")->required();
    fork->add_option("DIR", forkDir, "Folder to create")->required();
    fork->add_option("--author", forkAuthor,
                     "Author as 'Name <email>' (default: git config user.name/email)");
    fork->callback([&ctx] { runFork(ctx, forkUrl, forkDir, forkAuthor); });

    auto* fetch =
        app.add_subcommand("fetch", "Download new commits and tags from a remote (no files change)");
    static std::string fetchRemote;
    fetch->add_option("REMOTE", fetchRemote,
                      "Remote name (default: the one the branch follows, else origin)");
    fetch->callback([&ctx] { runFetch(ctx, fetchRemote); });

    auto* push = app.add_subcommand("push", "Upload a branch to a remote");
    static std::string pushRemote, pushBranch;
    push->add_option("REMOTE", pushRemote, "Remote name (default: the one the branch follows, else origin)");
    push->add_option("BRANCH", pushBranch, "Branch (default: the current branch)");
    push->callback([&ctx] { runPush(ctx, pushRemote, pushBranch, false); });

    auto* publish =
        app.add_subcommand("publish", "Upload the current branch and its release tags to a remote");
    static std::string publishRemote;
    publish->add_option("REMOTE", publishRemote,
                        "Remote name (default: the one the branch follows, else origin)");
    publish->callback([&ctx] { runPush(ctx, publishRemote, "", true); });

    auto* pull = app.add_subcommand("pull", "Fetch from a remote and bring its branch into the current one");
    static std::string pullRemote;
    pull->add_option("REMOTE", pullRemote, "Remote name (default: the one the branch follows, else origin)");
    pull->callback([&ctx] { runPull(ctx, pullRemote); });

    auto* sync = app.add_subcommand(
        "sync", "Fetch the fork's [upstream] and bring its changes into the current branch");
    sync->callback([&ctx] { runSync(ctx); });
}

} // namespace telar::cli

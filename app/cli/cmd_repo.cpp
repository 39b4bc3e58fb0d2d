// Repository commands: status, commit, log.

#include "cli_context.h"

#include "telar/core/git.h"
#include "telar/error.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <ctime>
#include <iostream>
#include <map>

namespace telar::cli {

namespace {

std::string isoDate(int64_t time, int offsetMinutes) {
    std::time_t t = static_cast<std::time_t>(time + int64_t(offsetMinutes) * 60);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    int off = offsetMinutes < 0 ? -offsetMinutes : offsetMinutes;
    return fmt::format("{} {}{:02}{:02}", buf, offsetMinutes < 0 ? '-' : '+', off / 60, off % 60);
}

nlohmann::json signatureJson(const core::Signature& s) {
    return {{"name", s.name}, {"email", s.email}, {"time", s.time}, {"offset_minutes", s.offsetMinutes}};
}

// The module a repository path belongs to: the longest module folder that contains it.
std::string moduleOf(const std::string& path, const std::vector<std::string>& modules) {
    std::string best;
    for (const auto& m : modules)
        if ((path.rfind(m + "/", 0) == 0) && m.size() > best.size()) best = m;
    return best;
}

std::vector<std::string> moduleFolders(const core::Tree& tree, const std::string& dir = "") {
    std::vector<std::string> out;
    for (const auto& e : tree.list(dir)) {
        if (e.kind != core::EntryKind::Directory || e.name.empty() || e.name[0] == '.') continue;
        std::string path = dir.empty() ? e.name : dir + "/" + e.name;
        if (tree.kind(path + "/module.toml") == core::EntryKind::File) out.push_back(path);
        auto sub = moduleFolders(tree, path);
        out.insert(out.end(), sub.begin(), sub.end());
    }
    return out;
}

void runStatus(Context& ctx) {
    auto& repo = ctx.repository();
    auto head = repo.resolve("HEAD");
    auto entries = repo.status();
    auto tree = repo.workingTree();
    auto modules = moduleFolders(*tree);
    bool hasProject = tree->kind("telar.toml") == core::EntryKind::File;
    if (ctx.globals.json) {
        nlohmann::json changes = nlohmann::json::array();
        for (const auto& e : entries)
            changes.push_back({{"path", e.path},
                               {"index", std::string(1, e.index)},
                               {"worktree", std::string(1, e.worktree)},
                               {"module", moduleOf(e.path, modules)}});
        printJson({{"repository", repo.workdir().string()},
                   {"branch", repo.currentBranch()},
                   {"head", head ? nlohmann::json(*head) : nlohmann::json(nullptr)},
                   {"telar_project", hasProject},
                   {"modules", modules},
                   {"changes", changes},
                   {"clean", entries.empty()}});
        return;
    }
    std::cout << "Repository " << repo.workdir().string() << "\n";
    std::cout << "On branch " << (repo.currentBranch().empty() ? "(detached HEAD)" : repo.currentBranch());
    std::cout << (head ? ", at " + head->substr(0, 7) : ", no commits yet") << "\n";
    if (!hasProject) std::cout << "No telar.toml here: run `telar init` to make this a design repository.\n";
    std::cout << modules.size() << (modules.size() == 1 ? " module" : " modules") << "\n";
    if (entries.empty()) {
        std::cout << "Nothing to commit, working tree clean\n";
        return;
    }
    std::map<std::string, std::vector<const core::StatusEntry*>> byModule;
    for (const auto& e : entries) byModule[moduleOf(e.path, modules)].push_back(&e);
    std::cout << "Changes:\n";
    for (const auto& [module, list] : byModule) {
        std::cout << "  " << (module.empty() ? "(project)" : module) << "\n";
        for (const auto* e : list) {
            const char* what = e->index == '?' ? "new, untracked"
                               : (e->index == 'D' || e->worktree == 'D') ? "deleted"
                               : (e->index == 'A') ? "added"
                               : (e->index == 'R') ? "renamed"
                                                   : "modified";
            std::cout << fmt::format("    {:<16} {}\n", what, e->path);
        }
    }
}

void runCommit(Context& ctx, const std::string& message, const std::string& author) {
    if (message.empty()) throw UsageError("a commit needs a message: -m \"what changed and why\"");
    auto& repo = ctx.repository();
    core::Signature sig = commitAuthor(repo, author);
    auto id = repo.commitAll(message, sig);
    if (ctx.globals.json) {
        printJson({{"committed", id.has_value()}, {"id", id ? nlohmann::json(*id) : nlohmann::json(nullptr)}});
        return;
    }
    if (!id) {
        std::cout << "Nothing to commit, working tree clean\n";
        return;
    }
    std::cout << "[" << repo.currentBranch() << " " << id->substr(0, 7) << "] "
              << message.substr(0, message.find('\n')) << "\n";
}

void runLog(Context& ctx, const std::string& module, size_t max) {
    auto& repo = ctx.repository();
    std::string rev = ctx.globals.rev.empty() ? "HEAD" : ctx.globals.rev;
    if (ctx.globals.rev.size() && !repo.resolve(rev)) throw UsageError("unknown revision '" + rev + "'");
    std::string path = module;
    while (!path.empty() && path.back() == '/') path.pop_back();
    if (!path.empty()) {
        auto tree = repo.treeAt(rev);
        if (!tree->kind(path)) {
            bool everExisted = !repo.log(rev, path, 1).empty();
            if (!everExisted) throw UsageError("no module or path '" + path + "' at " + rev);
        }
    }
    auto commits = repo.log(rev, path, max);
    if (ctx.globals.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& c : commits)
            list.push_back({{"id", c.id},
                            {"summary", c.summary},
                            {"message", c.message},
                            {"author", signatureJson(c.author)},
                            {"committer", signatureJson(c.committer)},
                            {"parents", c.parents}});
        printJson({{"revision", rev}, {"path", path}, {"commits", list}});
        return;
    }
    if (commits.empty()) {
        std::cout << "No commits" << (path.empty() ? "" : " touch " + path) << "\n";
        return;
    }
    for (const auto& c : commits)
        std::cout << fmt::format("{}  {}  {:<18} {}\n", c.shortId, isoDate(c.author.time, c.author.offsetMinutes).substr(0, 10),
                                 c.author.name, c.summary);
}

} // namespace

void addRepositoryCommands(CLI::App& app, Context& ctx) {
    auto* status = app.add_subcommand("status", "Show the repository, its modules and uncommitted changes by module");
    status->callback([&ctx] { runStatus(ctx); });

    auto* commit = app.add_subcommand("commit", "Record every change in the working tree as a commit");
    static std::string message, author;
    commit->add_option("-m,--message", message, "What changed and why")->required();
    commit->add_option("--author", author, "Author as 'Name <email>' (default: git config user.name/email)");
    commit->callback([&ctx] { runCommit(ctx, message, author); });

    auto* log = app.add_subcommand("log", "History of the design, or of one module or path");
    static std::string module;
    static size_t max = 0;
    log->add_option("MODULE", module, "Module id or path (default: the whole repository)");
    log->add_option("-n,--max-count", max, "Show at most this many commits");
    log->callback([&ctx] { runLog(ctx, module, max); });
}

} // namespace telar::cli

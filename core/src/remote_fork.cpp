// Forks: a clone whose telar.toml records where it came from ([upstream], older ancestors in
// [[lineage]], nearest first), committed as "Fork of URL".

#include "git_handles.h"
#include "telar/core/manifest_edit.h"
#include "telar/core/remote.h"

#include <array>
#include <ctime>
#include <fstream>
#include <sstream>
#include <system_error>

namespace telar::core {

namespace fs = std::filesystem;

namespace {

// Byte offset of the start of 1-based line `line` (text.size() when past the end).
size_t lineStart(std::string_view text, int line) {
    size_t pos = 0;
    for (int l = 1; l < line; ++l) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) return text.size();
        pos = nl + 1;
    }
    return pos;
}

std::string lineageBlock(const Upstream& u) {
    std::string out = "[[lineage]]\n";
    if (!u.url.empty()) out += "url = " + renderValue(u.url) + "\n";
    if (!u.commit.empty()) out += "commit = " + renderValue(u.commit) + "\n";
    if (!u.forked.empty()) out += "forked = " + renderValue(u.forked) + "\n";
    return out;
}

ProjectManifest parseValid(std::string_view text) {
    std::vector<Diagnostic> diags;
    ProjectManifest project = parseProjectManifest(text, "telar.toml", diags);
    for (const auto& d : diags)
        if (d.severity == Severity::Error) throw ManifestError(d.file, d.line, d.column, d.field, d.message);
    return project;
}

std::string readText(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error("cannot read " + file.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string nowIso() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// url with the password left out ("https://ann@host/x.git"), and a local path made absolute:
// what a manifest may record (it is read again from other folders).
std::string recordableUrl(const std::string& url) {
    std::error_code ec;
    if (url.find("://") == std::string::npos && fs::exists(url, ec))
        return fs::absolute(url, ec).lexically_normal().string();
    std::string shown = displayUrl(url);
    if (shown == url) return url;
    auto stars = shown.find(":***@");
    return shown.substr(0, stars) + shown.substr(stars + 4);
}

} // namespace

std::string recordFork(std::string_view text, const Upstream& from) {
    ProjectManifest project = parseValid(text);
    std::string out(text);
    if (project.upstream) {
        // The previous upstream becomes the nearest ancestor: before any existing [[lineage]],
        // else right after the [upstream] table's last value.
        size_t at;
        std::string block = lineageBlock(*project.upstream);
        if (!project.lineage.empty()) {
            at = lineStart(out, project.lineage.front().source.pos.line);
            block += "\n";
        } else {
            int last = project.upstream->source.pos.line;
            for (const auto& [field, pos] : project.upstream->source.fieldPos)
                last = std::max(last, pos.line);
            at = lineStart(out, last + 1);
            if (at == out.size() && !out.empty() && out.back() != '\n') out += '\n', at = out.size();
            block = "\n" + block;
        }
        out.insert(at, block);
    }
    std::vector<std::pair<std::string, FieldValue>> fields{{"url", from.url}, {"commit", from.commit}};
    if (!from.forked.empty()) fields.emplace_back("forked", from.forked);
    return setFields(out, "telar.toml", "upstream", fields, project.declaredLicenseIds());
}

bool forkRecordDiffers(const Repository& repo, const std::string& from, const std::string& to) {
    // [upstream] and [[lineage]] as parsed, comparable: one entry per table, upstream first.
    auto record = [&](const std::string& rev) {
        std::vector<std::array<std::string, 4>> out;
        auto text = repo.treeAt(rev)->readFile("telar.toml");
        if (!text) return out;
        std::vector<Diagnostic> diags;
        ProjectManifest project = parseProjectManifest(*text, "telar.toml", diags);
        if (project.upstream) out.push_back({"upstream", project.upstream->url, project.upstream->commit,
                                             project.upstream->forked});
        for (const auto& l : project.lineage) out.push_back({"lineage", l.url, l.commit, l.forked});
        return out;
    };
    return record(from) != record(to);
}

std::optional<Upstream> forkUpstream(const Repository& repo) {
    const fs::path file = repo.workdir() / "telar.toml";
    if (!fs::exists(file))
        throw UsageError("no telar.toml in " + repo.workdir().string() + ": not a Telar design");
    return parseValid(readText(file)).upstream;
}

ForkResult forkRepository(const std::string& url, const fs::path& dir, const std::optional<Signature>& who,
                          const std::string& forked, const Progress& progress,
                          const CredentialOptions& credentials) {
    Repository repo = cloneRepository(url, dir, progress.child(0.0, 0.9), credentials);
    const fs::path manifest = repo.workdir() / "telar.toml";
    auto removeClone = [&] {
        std::error_code ec;
        fs::remove_all(dir, ec);
    };
    if (!fs::exists(manifest)) {
        removeClone();
        throw UsageError(displayUrl(url) +
                         " is not a Telar design (it has no telar.toml); use `telar clone` for a "
                         "plain git repository");
    }
    ForkResult result;
    result.url = recordableUrl(url);
    result.forked = forked.empty() ? nowIso() : forked;
    auto head = repo.resolve("HEAD");
    if (!head) {
        removeClone();
        throw UsageError(displayUrl(url) + " has no commits to fork");
    }
    result.upstreamCommit = *head;
    std::string text;
    try {
        std::optional<Signature> author = who ? who : repo.defaultSignature();
        if (!author)
            throw UsageError("no author for the fork's commit: pass --author 'Name <email>', or set it with "
                             "`git config --global user.name` and `git config --global user.email`");
        text = readText(manifest);
        result.previousUpstream = parseValid(text).upstream;
        Upstream from;
        from.url = result.url;
        from.commit = result.upstreamCommit;
        from.forked = result.forked;
        writeFileAtomically(manifest, recordFork(text, from));

        // The remote a fork came from is its upstream; the fork's own remote comes later.
        {
            auto& h = *detail::RepositoryAccess::handle(repo);
            std::lock_guard lock(h.mutex);
            GitStrArrayGuard problems;
            gitCheck(git_remote_rename(&problems.array, h.repo.get(), "origin", "upstream"),
                     "cannot rename the remote to 'upstream'");
            // The branch follows no remote yet: pushes go to the fork's own origin, not upstream.
            git_reference* rawBranch = nullptr;
            if (git_repository_head(&rawBranch, h.repo.get()) == 0) {
                GitReferencePtr branch(rawBranch);
                if (git_reference_is_branch(branch.get()))
                    gitCheck(git_branch_set_upstream(branch.get(), nullptr),
                             "cannot unset the branch's upstream");
            } else {
                git_error_clear();
            }
        }
        auto commit = repo.commitAll("Fork of " + result.url, *author);
        if (!commit) throw GitError("the fork's telar.toml did not change");
        result.forkCommit = *commit;
    } catch (...) {
        removeClone();
        throw;
    }
    progress.report(1.0, "forked");
    return result;
}

} // namespace telar::core

// Provenance of a module, part or path from the history index, plus releases, origins and the
// fork chain; and .mailmap identities through libgit2's mailmap.

#include "telar/core/provenance.h"

#include "git_handles.h"
#include "telar/core/catalog.h"
#include "telar/core/sha256.h"
#include "telar/core/store.h"
#include "telar/error.h"

#include <git2/mailmap.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_set>

namespace telar::core {

const char* provenanceKindName(ProvenanceKind kind) {
    switch (kind) {
    case ProvenanceKind::Module:
        return "module";
    case ProvenanceKind::Part:
        return "part";
    default:
        return "path";
    }
}

// ---- Mailmap --------------------------------------------------------------------------------

using GitMailmapPtr = std::unique_ptr<git_mailmap, GitDeleter<git_mailmap, git_mailmap_free>>;

struct Mailmap::Impl {
    GitSession session;
    GitMailmapPtr map;
};

Mailmap::Mailmap() : m_impl(std::make_unique<Impl>()) {}
Mailmap::Mailmap(Mailmap&&) noexcept = default;
Mailmap& Mailmap::operator=(Mailmap&&) noexcept = default;
Mailmap::~Mailmap() = default;

Mailmap Mailmap::parse(std::string_view text) {
    Mailmap m;
    git_mailmap* raw = nullptr;
    gitCheck(git_mailmap_from_buffer(&raw, text.data(), text.size()), "cannot read .mailmap");
    m.m_impl->map.reset(raw);
    return m;
}

Mailmap Mailmap::fromTree(const Tree& tree) {
    auto text = tree.readFile(".mailmap");
    if (!text) return Mailmap();
    return parse(*text);
}

Signature Mailmap::resolve(const Signature& who) const {
    if (!m_impl->map) return who;
    const char* name = nullptr;
    const char* email = nullptr;
    gitCheck(git_mailmap_resolve(&name, &email, m_impl->map.get(), who.name.c_str(), who.email.c_str()),
             "cannot resolve an identity through .mailmap");
    Signature out = who;
    out.name = name ? name : "";
    out.email = email ? email : "";
    return out;
}

std::string Mailmap::key(const Signature& who) const {
    Signature s = resolve(who);
    std::string k = s.email.empty() ? s.name : s.email;
    std::transform(k.begin(), k.end(), k.begin(), [](unsigned char c) { return std::tolower(c); });
    return k;
}

// ---- releases -------------------------------------------------------------------------------

std::optional<std::string> entryIdAt(const Repository& repo, const std::string& commit,
                                     const std::string& path) {
    const auto& handle = detail::RepositoryAccess::handle(repo);
    std::lock_guard lock(handle->mutex);
    git_oid oid;
    if (git_oid_fromstr(&oid, commit.c_str()) < 0) return std::nullopt;
    git_commit* rawCommit = nullptr;
    if (git_commit_lookup(&rawCommit, handle->repo.get(), &oid) < 0) return std::nullopt;
    GitCommitPtr c(rawCommit);
    git_tree* rawTree = nullptr;
    gitCheck(git_commit_tree(&rawTree, c.get()), "cannot read the tree of " + commit);
    GitTreePtr tree(rawTree);
    if (path.empty()) return gitOidString(git_tree_id(tree.get()));
    git_tree_entry* rawEntry = nullptr;
    int rc = git_tree_entry_bypath(&rawEntry, tree.get(), path.c_str());
    if (rc == GIT_ENOTFOUND) return std::nullopt;
    gitCheck(rc, "cannot read " + path + " at " + commit);
    GitTreeEntryPtr entry(rawEntry);
    return gitOidString(git_tree_entry_id(entry.get()));
}

std::vector<ProvenanceRelease> releasesContaining(const Repository& repo,
                                                  const std::vector<std::string>& names,
                                                  const std::string& current) {
    std::vector<ProvenanceRelease> out;
    for (const auto& tag : repo.tags()) {
        auto commit = repo.resolve("refs/tags/" + tag);
        if (!commit) continue;
        for (const auto& name : names) {
            auto id = entryIdAt(repo, *commit, name);
            if (!id) continue;
            out.push_back({tag, *commit, name, !current.empty() && *id == current});
            break;
        }
    }
    return out;
}

// ---- provenance -----------------------------------------------------------------------------

namespace {

std::string normalisePath(std::string p) {
    while (p.rfind("./", 0) == 0)
        p.erase(0, 2);
    while (!p.empty() && p.front() == '/')
        p.erase(0, 1);
    while (!p.empty() && p.back() == '/')
        p.pop_back();
    if (p == ".") p.clear();
    return p;
}

void addUnique(std::vector<std::string>& list, const std::string& item) {
    if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

ProvenanceOrigin checkOrigin(const Tree& tree, const std::string& module, const Part& part) {
    ProvenanceOrigin o;
    o.module = module;
    o.part = part.id;
    o.file = part.filePath;
    o.source = part.origin->source;
    o.license = part.origin->license;
    o.author = part.origin->author;
    o.retrieved = part.origin->retrieved;
    o.recordedSha256 = part.origin->sha256;
    if (o.file.empty()) {
        o.unreadable = "the part names no file";
        return o;
    }
    try {
        auto bytes = tree.readFile(o.file);
        if (!bytes) {
            o.unreadable = o.file + " does not exist in " + tree.describe();
            return o;
        }
        o.actualSha256 = sha256Hex(*bytes);
        if (!o.recordedSha256.empty()) o.modified = o.actualSha256 != o.recordedSha256;
    } catch (const GitError& e) {
        o.unreadable = "cannot read " + o.file + " in " + tree.describe() + ": " + e.what();
    }
    return o;
}

} // namespace

Provenance provenanceOf(const Repository& repo, Store& store, const Tree& tree, const std::string& what,
                        const ProvenanceOptions& options) {
    Provenance p;
    p.query = what;
    p.rev = options.rev.empty() ? "HEAD" : options.rev;
    p.tree = tree.describe();
    HistoryIndex index(repo, store);
    p.index = index.update(p.rev, options.progress ? *options.progress : Progress());
    p.tip = p.index.tip;

    // The design, when there is one and it can be read.
    std::optional<Design> design;
    bool hasProject = false;
    try {
        hasProject = tree.kind("telar.toml").has_value();
        if (hasProject) design = loadDesign(tree, Catalog::loadDefault());
    } catch (const GitError& e) {
        p.unreadable.push_back(std::string("the design in ") + tree.describe() + ": " + e.what());
        design.reset();
    }
    if (!hasProject) p.notes.push_back("no telar.toml in " + tree.describe() + ": reading paths only");

    // What is asked about.
    PathQuery query;
    const ModuleManifest* module = nullptr;
    const Part* part = nullptr;
    if (design) {
        if ((module = design->module(what))) {
            p.kind = ProvenanceKind::Module;
            p.module = what;
            query.paths = {what};
            for (const auto& [id, m] : design->modules)
                if (id.size() > what.size() && id.compare(0, what.size(), what) == 0 &&
                    id[what.size()] == '/')
                    query.excluded.push_back(id);
        } else {
            std::string moduleId, partId = what;
            if (auto colon = what.find(':'); colon != std::string::npos) {
                moduleId = what.substr(0, colon);
                partId = what.substr(colon + 1);
            }
            for (const auto& [id, m] : design->modules) {
                if (!moduleId.empty() && id != moduleId) continue;
                for (const auto& candidate : m.parts)
                    if (candidate.id == partId) {
                        if (part)
                            throw UsageError("part id '" + partId + "' is used by modules " + p.module +
                                             " and " + id + ": ask for MODULE:PART");
                        part = &candidate;
                        module = &m;
                        p.module = id;
                    }
            }
            if (part) {
                p.kind = ProvenanceKind::Part;
                p.part = part->id;
                query.paths = {part->filePath.empty() ? (p.module + "/module.toml") : part->filePath};
            } else if (!moduleId.empty()) {
                throw UsageError("no part '" + partId + "' in module '" + moduleId + "'");
            }
        }
    }
    if (p.kind == ProvenanceKind::Path) {
        query.paths = {normalisePath(what)};
    }
    p.paths = query.paths;

    // History.
    auto touched = index.touching(p.tip, query);
    if (p.kind == ProvenanceKind::Path && touched.empty()) {
        bool exists = false;
        try {
            exists = query.paths[0].empty() || tree.kind(query.paths[0]).has_value();
        } catch (const GitError&) {
            exists = true;
        }
        if (!exists)
            throw UsageError("nothing named '" + what + "': not a module, a part, nor a path in " +
                             tree.describe() + " or its history");
    }
    Mailmap mailmap;
    try {
        mailmap = Mailmap::fromTree(tree);
    } catch (const GitError& e) {
        p.unreadable.push_back(std::string(".mailmap: ") + e.what());
    }
    std::unordered_set<std::string> inherited;
    if (design && design->project.upstream) {
        for (const auto& id : index.reachableIds(design->project.upstream->commit))
            inherited.insert(id);
    }
    std::vector<std::string> names = query.paths;
    struct Count {
        ProvenanceContributor who;
        int64_t latest = 0;
    };
    std::map<std::string, Count> people;
    for (const auto& t : touched) {
        ProvenanceCommit c;
        c.id = t.commit.id;
        c.summary = t.commit.summary;
        c.author = mailmap.resolve(t.commit.author);
        c.changes = t.commit.changes;
        c.merge = t.commit.isMerge();
        c.inherited = inherited.count(c.id) > 0;
        for (const auto& n : t.namesSeen)
            addUnique(names, n);
        for (const auto& note : t.commit.unreadable) {
            // Keep what concerns the item: notes naming one of its files, and general ones.
            auto of = note.find(" of ");
            auto colon = of == std::string::npos ? std::string::npos : note.find(": ", of);
            bool concerns = colon == std::string::npos;
            if (!concerns) {
                std::string path = note.substr(of + 4, colon - of - 4);
                for (const auto& ch : c.changes)
                    concerns = concerns || ch.path == path || ch.oldPath == path;
            }
            if (concerns) addUnique(p.unreadable, "commit " + c.id.substr(0, 7) + ": " + note);
        }
        std::set<std::string> seen;
        std::string authorKey = mailmap.key(t.commit.author);
        seen.insert(authorKey);
        auto& a = people[authorKey];
        if (a.who.name.empty()) a.who.name = c.author.name, a.who.email = c.author.email;
        ++a.who.authored;
        for (const auto& co : t.commit.coAuthors) {
            Signature canonical = mailmap.resolve(co);
            c.coAuthors.push_back(canonical);
            std::string k = mailmap.key(co);
            if (!seen.insert(k).second) continue;
            auto& entry = people[k];
            if (entry.who.name.empty()) entry.who.name = canonical.name, entry.who.email = canonical.email;
            ++entry.who.coAuthored;
        }
        p.commits.push_back(std::move(c));
    }
    p.names = names;
    for (auto& [key, count] : people)
        p.contributors.push_back(count.who);
    std::sort(p.contributors.begin(), p.contributors.end(),
              [](const ProvenanceContributor& a, const ProvenanceContributor& b) {
                  size_t ta = a.authored + a.coAuthored, tb = b.authored + b.coAuthored;
                  if (ta != tb) return ta > tb;
                  if (a.authored != b.authored) return a.authored > b.authored;
                  return a.name < b.name;
              });

    // Releases, origins, the fork chain.
    std::string current;
    if (!p.tip.empty())
        if (auto id = entryIdAt(repo, p.tip, query.paths[0])) current = *id;
    p.releases = releasesContaining(repo, names, current);
    if (module) {
        for (const auto& pt : module->parts) {
            if (!pt.origin || (part && &pt != part)) continue;
            p.origins.push_back(checkOrigin(tree, p.module, pt));
            if (!p.origins.back().unreadable.empty()) addUnique(p.unreadable, p.origins.back().unreadable);
        }
    }
    if (design) p.upstream = lineageOf(repo, design->project, p.tip);
    return p;
}

} // namespace telar::core

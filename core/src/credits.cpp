// Contribution accounting: points from history and the ledger per scope, shares rounded to
// basis points that sum to exactly 100 %. Policy and ledger parsing: credits_policy.cpp.

#include "telar/core/credits.h"

#include "telar/core/license_check.h"
#include "telar/core/provenance.h"
#include "telar/core/store.h"
#include "telar/error.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <unordered_set>

namespace telar::core {

namespace {

const char* kProjectScope = "(project)";

enum class FileClass { Cad, Manifest, Other, Ignored };

std::string baseName(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

FileClass classify(const std::string& path, const CreditPolicy& policy) {
    std::string base = baseName(path);
    if (std::find(policy.ignoredFiles.begin(), policy.ignoredFiles.end(), base) !=
            policy.ignoredFiles.end() ||
        std::find(policy.ignoredFiles.begin(), policy.ignoredFiles.end(), path) != policy.ignoredFiles.end())
        return FileClass::Ignored;
    if (std::find(policy.manifestFiles.begin(), policy.manifestFiles.end(), base) !=
        policy.manifestFiles.end())
        return FileClass::Manifest;
    auto dot = base.rfind('.');
    if (dot != std::string::npos) {
        std::string ext = base.substr(dot);
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
        if (std::find(policy.cadExtensions.begin(), policy.cadExtensions.end(), ext) !=
            policy.cadExtensions.end())
            return FileClass::Cad;
    }
    return FileClass::Other;
}

// One person's running totals in one scope.
struct Tally {
    std::string name;
    std::string email;
    std::set<std::string> commits;
    double cad = 0, manifest = 0, other = 0;
    double history = 0, ledger = 0;
    size_t entries = 0;
};

using ScopeTallies = std::map<std::string, Tally>; // by identity key

ScopeCredits finish(const std::string& scope, bool product, const ScopeTallies& tallies) {
    ScopeCredits out;
    out.scope = scope;
    out.product = product;
    for (const auto& [key, t] : tallies) {
        CreditLine l;
        l.name = t.name;
        l.email = t.email;
        l.commits = t.commits.size();
        l.cadBytes = std::llround(t.cad);
        l.manifestBytes = std::llround(t.manifest);
        l.otherBytes = std::llround(t.other);
        l.historyPoints = t.history;
        l.ledgerPoints = t.ledger;
        l.ledgerEntries = t.entries;
        l.points = t.history + t.ledger;
        out.lines.push_back(std::move(l));
    }
    std::sort(out.lines.begin(), out.lines.end(), [](const CreditLine& a, const CreditLine& b) {
        if (a.points != b.points) return a.points > b.points;
        if (a.name != b.name) return a.name < b.name;
        return a.email < b.email;
    });
    std::vector<double> points;
    for (const auto& l : out.lines) {
        points.push_back(l.points);
        out.points += l.points;
    }
    auto bp = shareBasisPoints(points);
    for (size_t i = 0; i < out.lines.size(); ++i)
        out.lines[i].shareBasisPoints = bp[i];
    return out;
}

void merge(ScopeTallies& into, const ScopeTallies& from) {
    for (const auto& [key, t] : from) {
        Tally& d = into[key];
        if (d.name.empty()) d.name = t.name, d.email = t.email;
        d.commits.insert(t.commits.begin(), t.commits.end());
        d.cad += t.cad;
        d.manifest += t.manifest;
        d.other += t.other;
        d.history += t.history;
        d.ledger += t.ledger;
        d.entries += t.entries;
    }
}

} // namespace

int64_t creditedBytes(const FileChange& change) {
    switch (change.status) {
    case 'A':
        return change.newSize < 0 ? 0 : change.newSize;
    case 'D':
        return 0;
    default:
        if (change.oldSize < 0 || change.newSize < 0) return 0;
        if (change.oldBlob == change.newBlob) return 0; // pure rename or mode change
        return std::max<int64_t>(1, std::llabs(change.newSize - change.oldSize));
    }
}

std::vector<int> shareBasisPoints(const std::vector<double>& points) {
    std::vector<int> out(points.size(), 0);
    double total = std::accumulate(points.begin(), points.end(), 0.0);
    if (points.empty() || total <= 0) return out;
    std::vector<double> remainder(points.size());
    int assigned = 0;
    for (size_t i = 0; i < points.size(); ++i) {
        double exact = points[i] / total * 10000.0;
        out[i] = static_cast<int>(std::floor(exact + 1e-9));
        remainder[i] = exact - out[i];
        assigned += out[i];
    }
    std::vector<size_t> order(points.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        if (std::fabs(remainder[a] - remainder[b]) > 1e-9) return remainder[a] > remainder[b];
        if (points[a] != points[b]) return points[a] > points[b];
        return a < b;
    });
    for (size_t k = 0; assigned < 10000 && k < order.size(); ++k, ++assigned)
        ++out[order[k]];
    return out;
}

CreditsReport computeCredits(const Repository& repo, Store& store, const Tree& tree, const Design* design,
                             const CreditPolicy& policy, const CreditsOptions& options) {
    CreditsReport report;
    report.policy = policy;
    report.rev = options.rev.empty() ? "HEAD" : options.rev;
    if (!options.module.empty() && (!design || !design->module(options.module)))
        throw UsageError("no module '" + options.module + "' in " + tree.describe());

    HistoryIndex index(repo, store);
    report.index = index.update(report.rev, options.progress ? *options.progress : Progress());
    report.tip = report.index.tip;
    Mailmap mailmap = Mailmap::fromTree(tree);

    // Scopes: every module (or the one asked for) with a rename-following path query each.
    std::vector<std::string> moduleIds;
    if (design)
        for (const auto& [id, m] : design->modules)
            if (options.module.empty() || id == options.module) moduleIds.push_back(id);
    std::vector<PathFollower> followers;
    for (const auto& id : moduleIds) {
        PathQuery q{{id}, {}};
        for (const auto& [other, m] : design->modules)
            if (other.size() > id.size() && other.compare(0, id.size(), id) == 0 && other[id.size()] == '/')
                q.excluded.push_back(other);
        followers.emplace_back(q);
    }
    const bool withProject = options.module.empty();
    std::map<std::string, ScopeTallies> scopes;
    for (const auto& id : moduleIds)
        scopes[id];
    if (withProject) scopes[kProjectScope];

    auto credit = [&](const IndexedCommit& c, const std::string& scope, const std::vector<size_t>& changes) {
        double cad = 0, manifest = 0, other = 0;
        bool counted = false;
        for (size_t i : changes) {
            const FileChange& ch = c.changes[i];
            FileClass cls = classify(ch.path, policy);
            if (cls == FileClass::Ignored) continue;
            counted = true;
            double bytes = static_cast<double>(creditedBytes(ch));
            (cls == FileClass::Cad ? cad : cls == FileClass::Manifest ? manifest : other) += bytes;
        }
        if (!counted) return;
        double points = policy.perCommit + cad / 1024.0 * policy.perCadKib +
                        manifest / 1024.0 * policy.perManifestKib + other / 1024.0 * policy.perOtherKib;
        if (policy.maxCommitPoints > 0) points = std::min(points, policy.maxCommitPoints);
        // The author and each distinct co-author share the commit by weight.
        std::vector<std::pair<std::string, Signature>> people;
        std::vector<double> weights;
        people.emplace_back(mailmap.key(c.author), mailmap.resolve(c.author));
        weights.push_back(1.0);
        for (const auto& co : c.coAuthors) {
            std::string k = mailmap.key(co);
            bool seen = false;
            for (const auto& p : people)
                seen = seen || p.first == k;
            if (seen) continue;
            people.emplace_back(k, mailmap.resolve(co));
            weights.push_back(policy.coAuthorWeight);
        }
        double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
        if (sum <= 0) return;
        for (size_t i = 0; i < people.size(); ++i) {
            Tally& t = scopes[scope][people[i].first];
            if (t.name.empty()) t.name = people[i].second.name, t.email = people[i].second.email;
            double f = weights[i] / sum;
            t.commits.insert(c.id);
            t.cad += cad * f;
            t.manifest += manifest * f;
            t.other += other * f;
            t.history += points * f;
        }
    };

    std::set<std::string> unreadable;
    for (const auto& c : index.reachable(report.tip, true)) {
        std::vector<bool> assigned(c.changes.size(), false);
        for (size_t m = 0; m < followers.size(); ++m) {
            auto idx = followers[m].accept(c);
            for (size_t i : idx)
                assigned[i] = true;
            if (!idx.empty()) credit(c, moduleIds[m], idx);
        }
        if (withProject) {
            std::vector<size_t> rest;
            for (size_t i = 0; i < c.changes.size(); ++i)
                if (!assigned[i] && c.changes[i].own) rest.push_back(i);
            if (!rest.empty()) credit(c, kProjectScope, rest);
        }
        if (!c.unreadable.empty()) unreadable.insert(c.id.substr(0, 7) + ": " + c.unreadable.front());
    }
    report.unreadable.assign(unreadable.begin(), unreadable.end());

    // The ledger.
    if (auto text = tree.readFile("contributions.toml")) {
        for (const auto& entry : parseContributions(*text)) {
            std::string scope = entry.module.empty() ? kProjectScope : entry.module;
            if (!entry.module.empty() && design && !design->module(entry.module))
                throw ManifestError("contributions.toml", entry.line, 1, "module",
                                    "no module '" + entry.module + "' in " + tree.describe());
            if (!scopes.count(scope)) continue; // another module than the one asked for
            double rate = entry.hours ? policy.perHour.at(entry.kind) : policy.perValue.at(entry.kind);
            double points = (entry.hours ? *entry.hours : *entry.value) * rate;
            if (policy.maxEntryPoints > 0) points = std::min(points, policy.maxEntryPoints);
            Signature who{entry.who, entry.email, 0, 0};
            Tally& t = scopes[scope][mailmap.key(who)];
            if (t.name.empty()) {
                Signature canonical = mailmap.resolve(who);
                t.name = canonical.name;
                t.email = canonical.email;
            }
            t.ledger += points;
            ++t.entries;
        }
    }

    for (const auto& id : moduleIds)
        report.modules.push_back(finish(id, false, scopes[id]));
    if (withProject) report.modules.push_back(finish(kProjectScope, false, scopes[kProjectScope]));
    if (withProject && design) {
        for (const auto& product : productsOf(*design)) {
            ScopeTallies total;
            for (const auto& [id, qty] : design->graph.rollUp(product))
                if (scopes.count(id)) merge(total, scopes[id]);
            merge(total, scopes[kProjectScope]);
            report.products.push_back(finish(product, true, total));
        }
    }
    return report;
}

} // namespace telar::core

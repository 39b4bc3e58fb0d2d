// Provenance commands: provenance, lineage, credits, notice (docs/provenance.md, docs/credits.md).

#include "cli_context.h"

#include "telar/core/catalog.h"
#include "telar/core/credits.h"
#include "telar/core/design.h"
#include "telar/core/history.h"
#include "telar/core/license_check.h"
#include "telar/core/lineage.h"
#include "telar/core/provenance.h"
#include "telar/core/store.h"
#include "telar/error.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <iostream>
#include <optional>

namespace telar::cli {

namespace {

using Json = nlohmann::json;

Json nullable(const std::string& s) {
    return s.empty() ? Json(nullptr) : Json(s);
}

// "2026-01-01T10:00:00+01:00" in the person's own time zone.
std::string isoTime(const core::Signature& s) {
    std::time_t t = static_cast<std::time_t>(s.time + int64_t(s.offsetMinutes) * 60);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    int off = std::abs(s.offsetMinutes);
    return fmt::format("{}{}{:02}:{:02}", buf, s.offsetMinutes < 0 ? '-' : '+', off / 60, off % 60);
}

std::string isoDate(const core::Signature& s) {
    return isoTime(s).substr(0, 10);
}

std::string person(const std::string& name, const std::string& email) {
    return email.empty() ? name : name + " <" + email + ">";
}

std::string historyRev(Context& ctx) {
    return ctx.globals.rev.empty() ? "HEAD" : ctx.globals.rev;
}

// Opens the repository, accepting partial clones (their missing blobs are reported, not fetched).
core::Repository& openRepository(Context& ctx) {
    core::allowPartialClones();
    return ctx.repository();
}

std::optional<core::Design> readDesignIfAny(Context& ctx, const core::Tree& tree) {
    if (!tree.kind("telar.toml")) return std::nullopt;
    return core::loadDesign(tree, core::Catalog::loadDefault(), ctx.progress());
}

Json lineageJson(const std::vector<core::LineageLink>& chain) {
    Json out = Json::array();
    for (const auto& l : chain)
        out.push_back({{"depth", l.depth},
                       {"field", l.field},
                       {"url", l.url},
                       {"commit", l.commit},
                       {"forked", nullable(l.forked)},
                       {"present", l.present},
                       {"ahead", l.ahead ? Json(*l.ahead) : Json(nullptr)},
                       {"behind", l.behind ? Json(*l.behind) : Json(nullptr)}});
    return out;
}

void printLineage(const std::vector<core::LineageLink>& chain, const std::string& indent) {
    for (const auto& l : chain) {
        std::string where =
            l.present ? fmt::format("present locally; this revision is {} commit{} ahead, {} behind",
                                    *l.ahead, *l.ahead == 1 ? "" : "s", *l.behind)
                      : "not present locally (fetch the upstream to compare)";
        if (l.present && !l.ahead) where = "present locally";
        std::cout << indent << l.depth << ". " << l.url << " at " << l.commit.substr(0, 7)
                  << (l.forked.empty() ? "" : " (forked " + l.forked + ")") << "\n"
                  << indent << "   " << where << "\n";
    }
}

// ---- provenance ---------------------------------------------------------------------------

Json changeJson(const core::FileChange& c) {
    return {
        {"status", std::string(1, c.status)},
        {"path", c.path},
        {"old_path", nullable(c.oldPath)},
        {"old_size", c.status == 'A' ? Json(nullptr) : (c.oldSize < 0 ? Json(nullptr) : Json(c.oldSize))},
        {"new_size", c.status == 'D' ? Json(nullptr) : (c.newSize < 0 ? Json(nullptr) : Json(c.newSize))}};
}

Json commitRef(const core::ProvenanceCommit* c) {
    if (!c) return nullptr;
    return {{"id", c->id}, {"time", isoTime(c->author)}, {"author", c->author.name}, {"summary", c->summary}};
}

void runProvenance(Context& ctx, const std::string& what) {
    auto& repo = openRepository(ctx);
    auto tree = ctx.tree();
    core::ProvenanceOptions options;
    options.rev = historyRev(ctx);
    Progress progress = ctx.progress();
    options.progress = &progress;
    core::Provenance p = core::provenanceOf(repo, ctx.store(), *tree, what, options);
    if (ctx.globals.json) {
        Json commits = Json::array();
        for (const auto& c : p.commits) {
            Json co = Json::array();
            for (const auto& s : c.coAuthors)
                co.push_back({{"name", s.name}, {"email", s.email}});
            Json changes = Json::array();
            for (const auto& ch : c.changes)
                changes.push_back(changeJson(ch));
            commits.push_back(
                {{"id", c.id},
                 {"summary", c.summary},
                 {"author",
                  {{"name", c.author.name}, {"email", c.author.email}, {"time", isoTime(c.author)}}},
                 {"co_authors", co},
                 {"merge", c.merge},
                 {"inherited", c.inherited},
                 {"changes", changes}});
        }
        Json contributors = Json::array();
        for (const auto& c : p.contributors)
            contributors.push_back({{"name", c.name},
                                    {"email", c.email},
                                    {"authored", c.authored},
                                    {"co_authored", c.coAuthored}});
        Json releases = Json::array();
        for (const auto& r : p.releases)
            releases.push_back(
                {{"tag", r.tag}, {"commit", r.commit}, {"path", r.path}, {"same_as_rev", r.sameAsRev}});
        Json origins = Json::array();
        for (const auto& o : p.origins)
            origins.push_back({{"module", o.module},
                               {"part", o.part},
                               {"file", o.file},
                               {"source", o.source},
                               {"license", o.license},
                               {"author", o.author},
                               {"retrieved", o.retrieved},
                               {"recorded_sha256", nullable(o.recordedSha256)},
                               {"actual_sha256", nullable(o.actualSha256)},
                               {"modified", o.modified ? Json(*o.modified) : Json(nullptr)},
                               {"unreadable", nullable(o.unreadable)}});
        printJson({{"query", p.query},
                   {"kind", core::provenanceKindName(p.kind)},
                   {"module", nullable(p.module)},
                   {"part", nullable(p.part)},
                   {"paths", p.paths},
                   {"names", p.names},
                   {"rev", p.rev},
                   {"commit", nullable(p.tip)},
                   {"tree", p.tree},
                   {"index", {{"indexed", p.index.indexed}, {"reachable", p.index.reachable}}},
                   {"commits", commits},
                   {"first_change", commitRef(p.firstChange())},
                   {"last_change", commitRef(p.lastChange())},
                   {"contributors", contributors},
                   {"releases", releases},
                   {"origins", origins},
                   {"upstream", lineageJson(p.upstream)},
                   {"unreadable", p.unreadable},
                   {"notes", p.notes}});
        return;
    }
    for (const auto& n : p.notes)
        ctx.notice("telar: " + n);
    std::string title = p.query + " (" + core::provenanceKindName(p.kind) +
                        (p.kind == core::ProvenanceKind::Part ? " of " + p.module : "") + ")";
    std::cout << title << " at " << p.rev << (p.tip.empty() ? "" : " (" + p.tip.substr(0, 7) + ")") << ": "
              << p.commits.size() << " commit" << (p.commits.size() == 1 ? "" : "s") << "\n";
    if (p.names.size() > p.paths.size()) {
        std::vector<std::string> older(p.names.begin() + static_cast<long>(p.paths.size()), p.names.end());
        std::string joined;
        for (const auto& n : older)
            joined += (joined.empty() ? "" : ", ") + n;
        std::cout << "  formerly: " << joined << "\n";
    }
    if (const auto* first = p.firstChange())
        std::cout << "  first change: " << isoDate(first->author) << " " << first->id.substr(0, 7) << " by "
                  << first->author.name << "\n";
    if (const auto* last = p.lastChange())
        std::cout << "  last change:  " << isoDate(last->author) << " " << last->id.substr(0, 7) << " by "
                  << last->author.name << "\n";
    if (!p.commits.empty()) std::cout << "\nCommits (newest first):\n";
    for (const auto& c : p.commits) {
        std::cout << "  " << c.id.substr(0, 7) << "  " << isoDate(c.author) << "  " << c.author.name << "  "
                  << c.summary << (c.inherited ? "  [upstream]" : "") << "\n";
        for (const auto& co : c.coAuthors)
            std::cout << "           co-authored by " << person(co.name, co.email) << "\n";
        for (const auto& ch : c.changes)
            std::cout << "           " << ch.status << " "
                      << (ch.oldPath.empty() ? ch.path : ch.oldPath + " -> " + ch.path) << "\n";
    }
    if (!p.contributors.empty()) std::cout << "\nContributors:\n";
    for (const auto& c : p.contributors) {
        std::string counts = fmt::format("{} commit{}", c.authored, c.authored == 1 ? "" : "s");
        if (c.coAuthored) counts += fmt::format(", co-author of {}", c.coAuthored);
        std::cout << "  " << person(c.name, c.email) << ": " << counts << "\n";
    }
    std::cout << "\nReleases containing it:" << (p.releases.empty() ? " none" : "") << "\n";
    for (const auto& r : p.releases)
        std::cout << "  " << r.tag << " (" << r.commit.substr(0, 7) << ") as "
                  << (r.path.empty() ? "." : r.path)
                  << (r.sameAsRev ? ", same as at " + p.rev : ", differs from " + p.rev) << "\n";
    if (!p.origins.empty()) std::cout << "\nImported geometry:\n";
    for (const auto& o : p.origins) {
        std::cout << "  " << o.module << ":" << o.part << "  " << o.file << "\n";
        std::cout << "    from " << o.source << " by " << o.author << " (" << o.license << ", retrieved "
                  << o.retrieved << ")\n";
        std::string state = !o.unreadable.empty() ? "unknown: " + o.unreadable
                            : !o.modified         ? "unknown: no sha256 recorded"
                            : *o.modified         ? "modified since it was imported"
                                                  : "still the imported original (sha256 matches)";
        std::cout << "    " << state << "\n";
    }
    if (!p.upstream.empty()) {
        std::cout << "\nUpstream chain:\n";
        printLineage(p.upstream, "  ");
    }
    if (!p.unreadable.empty()) {
        std::cout << "\nCould not be read (missing from the object database; a partial clone?):\n";
        for (const auto& u : p.unreadable)
            std::cout << "  " << u << "\n";
    }
}

// ---- lineage ------------------------------------------------------------------------------

void runLineage(Context& ctx) {
    auto& repo = openRepository(ctx);
    auto tree = ctx.tree();
    auto text = tree->readFile("telar.toml");
    if (!text) throw UsageError("no telar.toml in " + tree->describe() + ": run `telar init` first");
    std::vector<core::Diagnostic> diags;
    core::ProjectManifest project = core::parseProjectManifest(*text, "telar.toml", diags);
    std::string tip = repo.resolve(historyRev(ctx)).value_or("");
    auto chain = core::lineageOf(repo, project, tip);
    if (ctx.globals.json) {
        printJson({{"tree", tree->describe()},
                   {"commit", nullable(tip)},
                   {"fork", !chain.empty()},
                   {"chain", lineageJson(chain)}});
        return;
    }
    if (chain.empty()) {
        std::cout << project.name << " is not a fork: telar.toml records no [upstream]\n";
        return;
    }
    std::cout << project.name << " is a fork; its ancestors, nearest first:\n";
    printLineage(chain, "  ");
}

// ---- credits ------------------------------------------------------------------------------

struct CreditsArgs {
    std::string module;
    std::string policy;
    bool csv = false;
};

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

core::CreditsReport creditsFor(Context& ctx, const core::Tree& tree,
                               const std::optional<core::Design>& design, const std::string& module,
                               const std::string& policyFile) {
    core::CreditPolicy policy =
        policyFile.empty() ? core::defaultCreditPolicy() : core::loadCreditPolicy(policyFile);
    core::CreditsOptions options;
    options.rev = historyRev(ctx);
    options.module = module;
    Progress progress = ctx.progress();
    options.progress = &progress;
    return core::computeCredits(ctx.repository(), ctx.store(), tree, design ? &*design : nullptr, policy,
                                options);
}

Json scopeJson(const core::ScopeCredits& s) {
    Json lines = Json::array();
    for (const auto& l : s.lines)
        lines.push_back({{"name", l.name},
                         {"email", l.email},
                         {"commits", l.commits},
                         {"cad_bytes", l.cadBytes},
                         {"manifest_bytes", l.manifestBytes},
                         {"other_bytes", l.otherBytes},
                         {"history_points", std::round(l.historyPoints * 100) / 100},
                         {"ledger_points", std::round(l.ledgerPoints * 100) / 100},
                         {"ledger_entries", l.ledgerEntries},
                         {"points", std::round(l.points * 100) / 100},
                         {"share_basis_points", l.shareBasisPoints},
                         {"share_percent", l.sharePercent()}});
    return {{"scope", s.scope}, {"points", std::round(s.points * 100) / 100}, {"contributors", lines}};
}

void runCredits(Context& ctx, const CreditsArgs& args) {
    openRepository(ctx);
    auto tree = ctx.tree();
    auto design = readDesignIfAny(ctx, *tree);
    core::CreditsReport r = creditsFor(ctx, *tree, design, args.module, args.policy);
    std::vector<const core::ScopeCredits*> all;
    for (const auto& s : r.modules)
        all.push_back(&s);
    for (const auto& s : r.products)
        all.push_back(&s);
    if (ctx.globals.json) {
        Json modules = Json::array(), products = Json::array();
        for (const auto& s : r.modules)
            modules.push_back(scopeJson(s));
        for (const auto& s : r.products)
            products.push_back(scopeJson(s));
        printJson({{"rev", r.rev},
                   {"commit", nullable(r.tip)},
                   {"policy", r.policy.file},
                   {"index", {{"indexed", r.index.indexed}, {"reachable", r.index.reachable}}},
                   {"modules", modules},
                   {"products", products},
                   {"unreadable", r.unreadable}});
        return;
    }
    if (args.csv) {
        std::cout << "scope,kind,name,email,commits,cad_bytes,manifest_bytes,other_bytes,history_points,"
                     "ledger_points,points,share_percent\n";
        for (const auto* s : all)
            for (const auto& l : s->lines)
                std::cout << fmt::format("{},{},{},{},{},{},{},{},{:.2f},{:.2f},{:.2f},{:.2f}\n",
                                         csvField(s->scope), s->product ? "product" : "module",
                                         csvField(l.name), csvField(l.email), l.commits, l.cadBytes,
                                         l.manifestBytes, l.otherBytes, l.historyPoints, l.ledgerPoints,
                                         l.points, l.sharePercent());
        return;
    }
    for (const auto* s : all) {
        if (s->lines.empty() && s->scope == "(project)") continue;
        std::cout << (s->product ? "product " : "") << s->scope
                  << fmt::format(" — {:.2f} points\n", s->points);
        if (s->lines.empty()) std::cout << "  no contributions\n";
        for (const auto& l : s->lines)
            std::cout << fmt::format(
                "  {:>6.2f} %  {:<40} {:>3} commit{}  {:>8.2f} history  {:>7.2f} ledger\n", l.sharePercent(),
                person(l.name, l.email), l.commits, l.commits == 1 ? " " : "s", l.historyPoints,
                l.ledgerPoints);
    }
    std::cout << "policy: " << r.policy.file << "\n";
    if (!r.unreadable.empty()) {
        std::cout << "sizes unknown for commits with missing blobs (counted per commit only):\n";
        for (const auto& u : r.unreadable)
            std::cout << "  " << u << "\n";
    }
}

// ---- notice -------------------------------------------------------------------------------

void runNotice(Context& ctx, const std::string& product) {
    openRepository(ctx);
    auto tree = ctx.tree();
    auto design = readDesignIfAny(ctx, *tree);
    if (!design) throw UsageError("no telar.toml in " + tree->describe() + ": run `telar init` first");
    std::vector<std::string> products =
        product.empty() ? core::productsOf(*design) : std::vector<std::string>{product};
    std::vector<core::AttributionNotice> notices;
    for (const auto& p : products)
        notices.push_back(core::attributionNotice(*design, *tree, p));
    core::CreditsReport credits = creditsFor(ctx, *tree, design, "", "");
    auto contributorsOf = [&](const std::string& p) {
        std::vector<core::CreditLine> lines;
        for (const auto& s : credits.products)
            if (s.scope == p) lines = s.lines;
        std::sort(lines.begin(), lines.end(), [](const core::CreditLine& a, const core::CreditLine& b) {
            return a.name != b.name ? a.name < b.name : a.email < b.email;
        });
        return lines;
    };
    if (ctx.globals.json) {
        Json out = Json::array();
        for (const auto& n : notices) {
            Json notice = attributionNoticeJson(n);
            Json contributors = Json::array();
            for (const auto& l : contributorsOf(n.product))
                contributors.push_back({{"name", l.name},
                                        {"email", l.email},
                                        {"commits", l.commits},
                                        {"ledger_entries", l.ledgerEntries}});
            notice["contributors"] = contributors;
            out.push_back(std::move(notice));
        }
        printJson({{"rev", credits.rev}, {"commit", nullable(credits.tip)}, {"notices", out}});
        return;
    }
    for (size_t i = 0; i < notices.size(); ++i) {
        if (i > 0) std::cout << "\n";
        std::cout << notices[i].text();
        auto lines = contributorsOf(notices[i].product);
        std::cout << "\nContributors (from the history at " << credits.rev << " and contributions.toml):\n";
        if (lines.empty()) std::cout << "  none recorded\n";
        for (const auto& l : lines) {
            std::string what = fmt::format("{} commit{}", l.commits, l.commits == 1 ? "" : "s");
            if (l.ledgerEntries)
                what += fmt::format(", {} recorded contribution{}", l.ledgerEntries,
                                    l.ledgerEntries == 1 ? "" : "s");
            std::cout << "  " << person(l.name, l.email) << " (" << what << ")\n";
        }
    }
}

} // namespace

void addProvenanceCommands(CLI::App& app, Context& ctx) {
    static std::string what;
    auto* prov = app.add_subcommand(
        "provenance", "Who changed a module, part or path and when (following renames), the releases that "
                      "contain it, the origin of imported geometry and the fork chain");
    prov->add_option("WHAT", what, "Module id, MODULE:PART, a part id, or a path (file or folder)")
        ->required();
    prov->callback([&ctx] { runProvenance(ctx, what); });

    auto* lineage =
        app.add_subcommand("lineage", "The fork chain recorded in telar.toml ([upstream], [[lineage]]) "
                                      "and how far this revision is from each ancestor");
    lineage->callback([&ctx] { runLineage(ctx); });

    static CreditsArgs credits;
    auto* cr =
        app.add_subcommand("credits", "Each contributor's share per module and per product, from history "
                                      "and contributions.toml, under a credit policy");
    cr->add_option("MODULE", credits.module, "Only this module (default: every module and product)");
    cr->add_option("--policy", credits.policy, "Credit policy file (default: resources/credit-policy.toml)")
        ->check(CLI::ExistingFile);
    cr->add_flag("--csv", credits.csv, "CSV output");
    cr->callback([&ctx] { runCredits(ctx, credits); });

    static std::string noticeProduct;
    auto* notice = app.add_subcommand(
        "notice",
        "Attribution notice for a product (as `telar license notice`) plus its contributors from history");
    notice->add_option("PRODUCT", noticeProduct,
                       "Module id of the product (default: the project's products)");
    notice->callback([&ctx] { runNotice(ctx, noticeProduct); });
}

} // namespace telar::cli

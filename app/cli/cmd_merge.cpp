// `telar diff`, `telar merge`, `telar resolve` and `telar bom diff`: hardware-aware comparison of
// revisions and the three-way merge with conflicts per part and field.

#include "cli_context.h"

#include "telar/core/bom.h"
#include "telar/core/bom_diff.h"
#include "telar/core/catalog.h"
#include "telar/core/design.h"
#include "telar/core/diff.h"
#include "telar/core/fab_profile.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/merge.h"
#include "telar/error.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <optional>

namespace telar::cli {

namespace {

struct DiffArgs {
    std::vector<std::string> revs;
    std::string fab;
    bool noCost = false;
};

struct MergeArgs {
    std::string rev;
    bool abort = false;
    bool cont = false;
    bool allowLicence = false;
    std::string author;
};

struct ResolveArgs {
    std::string target;
    bool ours = false, theirs = false, both = false;
    std::string author;
};

struct BomDiffArgs {
    std::string revA, revB, module, fab, format;
};

void runDiff(Context& ctx, const DiffArgs& a) {
    if (a.revs.size() > 2) throw UsageError("diff takes at most two revisions");
    // no revision: HEAD vs the working tree; one: that revision vs the working tree
    std::string from = a.revs.empty() ? "HEAD" : a.revs[0];
    std::string to = a.revs.size() == 2 ? a.revs[1] : "";
    auto before = ctx.treeAt(from);
    auto after = ctx.treeAt(to);
    std::optional<core::FabProfile> fab;
    if (!a.fab.empty()) fab = core::loadFabProfile(a.fab);
    const core::Catalog catalog = core::Catalog::loadDefault();
    core::GeometryCache cache(&ctx.store());
    core::DiffOptions options;
    options.cache = &cache;
    options.fab = fab ? &*fab : nullptr;
    options.cost = !a.noCost;
    core::DesignDiff d = core::diffDesigns(*before, *after, catalog, options, ctx.progress());
    std::cout << (ctx.globals.json ? core::formatDiffJson(d) : core::formatDiffText(d)) << std::flush;
    ctx.exitCode = kOk;
}

nlohmann::json conflictJson(const core::MergeConflict& c) {
    return {{"kind", c.kind},     {"module", c.module}, {"part", c.part},     {"field", c.field}, {"path", c.path},
            {"base", c.base},     {"ours", c.ours},     {"theirs", c.theirs}, {"message", c.message}};
}

// What a person types to settle a conflict.
std::string target(const core::MergeConflict& c) {
    if (c.kind == "part" && !c.part.empty()) return c.module.empty() ? c.part : c.module + "/" + c.part;
    if ((c.kind == "field" || c.kind == "use") && !c.part.empty()) return c.module.empty() ? c.part : c.module + "/" + c.part;
    return c.path;
}

void printResult(Context& ctx, const core::MergeResult& r, bool inProgress, const std::string& what) {
    if (ctx.globals.json) {
        nlohmann::json conflicts = nlohmann::json::array();
        for (const auto& c : r.conflicts) conflicts.push_back(conflictJson(c));
        printJson({{"up_to_date", r.upToDate},
                   {"fast_forward", r.fastForward},
                   {"committed", r.committed},
                   {"commit", r.commitId.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.commitId)},
                   {"in_progress", inProgress},
                   {"conflicts", conflicts},
                   {"licence_findings", r.licenceFindings}});
        return;
    }
    if (r.upToDate) std::cout << "Already up to date.\n";
    else if (r.fastForward) std::cout << "Fast-forward to " << r.commitId.substr(0, 7) << "\n";
    else if (r.committed) std::cout << "Merged " << what << ": " << r.commitId.substr(0, 7) << "\n";
    if (!r.licenceFindings.empty()) {
        std::cout << "Licence findings brought in by the merge:\n";
        for (const auto& f : r.licenceFindings) std::cout << "  " << f << "\n";
    }
    if (!r.conflicts.empty()) {
        std::cout << r.conflicts.size() << (r.conflicts.size() == 1 ? " conflict" : " conflicts") << " to resolve:\n";
        for (const auto& c : r.conflicts) {
            std::cout << "  " << c.kind << "  " << target(c);
            if (!c.field.empty()) std::cout << "  " << c.field;
            std::cout << "\n      " << c.message << "\n";
        }
        std::cout << "Settle each with `telar resolve PART|PATH --ours|--theirs|--both`, or undo the merge with "
                     "`telar merge --abort`.\n";
    } else if (inProgress) {
        std::cout << "Not committed: the merge brings in licence errors. Fix them and run `telar merge --continue`, "
                     "commit anyway with `telar merge --continue --allow-licence-findings`, or `telar merge --abort`.\n";
    } else if (!r.committed && !r.upToDate && !r.fastForward) {
        std::cout << "Nothing was merged: the merge would bring in licence errors. Run again with "
                     "--allow-licence-findings to merge anyway.\n";
    }
}

int exitFor(const core::MergeResult& r) {
    return (r.committed || r.upToDate || r.fastForward) ? kOk : kFindings;
}

void runMerge(Context& ctx, const MergeArgs& a) {
    auto& repo = ctx.repository();
    if (a.abort && a.cont) throw UsageError("--abort and --continue exclude each other");
    if ((a.abort || a.cont) && !a.rev.empty()) throw UsageError("--abort and --continue take no revision");
    if (a.abort) {
        auto state = core::mergeInProgress(repo);
        core::abortMerge(repo);
        if (ctx.globals.json) printJson({{"aborted", true}, {"head", state ? state->oursId : ""}});
        else std::cout << "Merge aborted: back at " << (state ? state->oursId.substr(0, 7) : std::string("HEAD")) << "\n";
        ctx.exitCode = kOk;
        return;
    }
    core::MergeOptions options;
    options.allowLicenceFindings = a.allowLicence;
    core::MergeResult r;
    std::string what;
    if (a.cont) {
        auto state = core::mergeInProgress(repo);
        if (!state) throw UsageError("no merge is in progress");
        what = state->theirs;
        r = core::continueMerge(repo, commitAuthor(repo, a.author), options);
    } else {
        if (a.rev.empty()) throw UsageError("merge what? name a branch, tag or commit (or use --abort / --continue)");
        what = a.rev;
        r = core::mergeRevision(repo, a.rev, commitAuthor(repo, a.author), options, ctx.progress());
    }
    printResult(ctx, r, core::mergeInProgress(repo).has_value(), what);
    ctx.exitCode = exitFor(r);
}

void runResolve(Context& ctx, const ResolveArgs& a) {
    int n = int(a.ours) + int(a.theirs) + int(a.both);
    if (n != 1) throw UsageError("choose one of --ours, --theirs or --both");
    auto& repo = ctx.repository();
    auto state = core::mergeInProgress(repo);
    if (!state) throw UsageError("no merge is in progress");
    const auto choice = a.ours ? core::ResolveChoice::Ours : a.theirs ? core::ResolveChoice::Theirs : core::ResolveChoice::Both;
    core::MergeResult r = core::resolveConflict(repo, a.target, choice, commitAuthor(repo, a.author));
    const bool inProgress = core::mergeInProgress(repo).has_value();
    if (!ctx.globals.json && inProgress && !r.conflicts.empty())
        std::cout << "Resolved " << a.target << ".\n";
    printResult(ctx, r, inProgress, state->theirs);
    ctx.exitCode = exitFor(r);
}

void runBomDiff(Context& ctx, const BomDiffArgs& a) {
    std::string format = a.format.empty() ? (ctx.globals.json ? "json" : "table") : a.format;
    auto before = ctx.treeAt(a.revA);
    auto after = ctx.treeAt(a.revB);
    std::optional<core::FabProfile> fab;
    if (!a.fab.empty()) fab = core::loadFabProfile(a.fab);
    const core::Catalog catalog = core::Catalog::loadDefault();
    Progress progress = ctx.progress();
    core::GeometryCache cache(&ctx.store());
    core::BomOptions options;
    if (!a.module.empty()) options.roots = {a.module};
    options.fab = fab ? &*fab : nullptr;
    core::Design da = core::loadDesign(*before, catalog, progress.child(0.0, 0.05));
    core::Design db = core::loadDesign(*after, catalog, progress.child(0.05, 0.1));
    core::Bom ba = core::computeBom(da, *before, catalog, cache, options, progress.child(0.1, 0.55));
    core::Bom bb = core::computeBom(db, *after, catalog, cache, options, progress.child(0.55, 1.0));
    core::BomDiff d = core::diffBoms(ba, bb);
    if (format == "json") std::cout << core::formatBomDiffJson(d);
    else if (format == "csv") std::cout << core::formatBomDiffCsv(d);
    else if (format == "markdown") std::cout << core::formatBomDiffMarkdown(d);
    else std::cout << core::formatBomDiffTable(d);
    std::cout << std::flush;
    ctx.exitCode = (ba.ok() && bb.ok()) ? kOk : kFindings;
}

} // namespace

void addMergeCommands(CLI::App& app, Context& ctx) {
    static DiffArgs d;
    auto* diff = app.add_subcommand("diff", "What changed between two revisions: licences, fields, parts, geometry, cost");
    diff->add_option("revisions", d.revs, "REV_A [REV_B]: default HEAD vs the working tree; one revision: it vs the working tree");
    diff->add_option("--fab", d.fab, "Fab profile (fab.toml) to price the cost change with")->check(CLI::ExistingFile);
    diff->add_flag("--no-cost", d.noCost, "Do not compute the products' BOM cost on both sides");
    diff->callback([&ctx] { runDiff(ctx, d); });

    static MergeArgs m;
    auto* merge = app.add_subcommand("merge", "Three-way merge of a branch or revision into HEAD, manifests field by field");
    merge->add_option("revision", m.rev, "Branch, tag or commit to merge");
    merge->add_flag("--abort", m.abort, "Undo the merge in progress, restoring HEAD, index and files exactly");
    merge->add_flag("--continue", m.cont, "Commit the merge in progress once its conflicts are resolved");
    merge->add_flag("--allow-licence-findings", m.allowLicence, "Commit even when the merge brings in licence errors");
    merge->add_option("--author", m.author, "Author as 'Name <email>' (default: git config user.name/email)");
    merge->callback([&ctx] { runMerge(ctx, m); });

    static ResolveArgs r;
    auto* resolve = app.add_subcommand("resolve", "Settle a merge conflict of a part, a used module or a file");
    resolve->add_option("target", r.target, "Part id (or MODULE/PART), used module, or file path")->required();
    resolve->add_flag("--ours", r.ours, "Keep our version");
    resolve->add_flag("--theirs", r.theirs, "Take their version");
    resolve->add_flag("--both", r.both, "Keep both: theirs becomes a new file and a new part '<id>-theirs'");
    resolve->add_option("--author", r.author, "Author of the merge commit as 'Name <email>'");
    resolve->callback([&ctx] { runResolve(ctx, r); });

    // `telar bom diff` lives under `bom` (registered by cmd_bom.cpp before this).
    static BomDiffArgs b;
    CLI::App* bom = nullptr;
    try {
        bom = app.get_subcommand("bom");
    } catch (const CLI::OptionNotFound&) {
        bom = app.add_subcommand("bom", "Bill of materials");
    }
    auto* bomDiff = bom->add_subcommand("diff", "BOM changes between two revisions: lines, quantities, geometry, mass, cost");
    bomDiff->add_option("REV_A", b.revA, "The older revision")->required();
    bomDiff->add_option("REV_B", b.revB, "The newer revision")->required();
    bomDiff->add_option("module", b.module, "Module id (default: the project's products)");
    bomDiff->add_option("--fab", b.fab, "Fab profile (fab.toml) for prices")->check(CLI::ExistingFile);
    bomDiff->add_option("--format", b.format, "table, csv, json or markdown (default table; json with --json)")
        ->check(CLI::IsMember({"table", "csv", "json", "markdown"}));
    bomDiff->callback([&ctx] { runBomDiff(ctx, b); });
}

} // namespace telar::cli

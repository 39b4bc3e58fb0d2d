// `telar bom`: the bill of materials of a module or the project's products at a revision,
// optionally for a fab profile, as a table, CSV or JSON.

#include "cli_context.h"

#include "telar/core/bom.h"
#include "telar/core/bom_html.h"
#include "telar/core/bom_output.h"
#include "telar/core/cyclonedx.h"
#include "telar/core/catalog.h"
#include "telar/core/design.h"
#include "telar/core/fab_profile.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/manifest_edit.h"
#include "telar/core/xlsx.h"
#include "telar/error.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>

namespace telar::cli {

namespace {

struct BomArgs {
    std::string module;
    std::string fab;
    bool flat = false;
    bool tree = false;
    std::string format; // table | csv | json | xlsx | html | cyclonedx; default table (json with --json)
    std::string output;
};

void runBom(Context& ctx, const BomArgs& a) {
    if (a.flat && a.tree) throw UsageError("--flat and --tree exclude each other");
    std::string format = a.format.empty() ? (ctx.globals.json ? "json" : "table") : a.format;
    const core::BomView view = a.tree ? core::BomView::Tree : core::BomView::Flat;

    std::optional<core::FabProfile> fab;
    if (!a.fab.empty()) fab = core::loadFabProfile(a.fab);
    auto tree = ctx.tree();
    const core::Catalog catalog = core::Catalog::loadDefault();
    Progress progress = ctx.progress();
    core::Design design = core::loadDesign(*tree, catalog, progress.child(0.0, 0.1));
    core::GeometryCache cache(&ctx.store());
    core::BomOptions options;
    if (!a.module.empty()) options.roots = {a.module};
    options.fab = fab ? &*fab : nullptr;
    core::Bom bom = core::computeBom(design, *tree, catalog, cache, options, progress.child(0.1, 1.0));

    std::string text;
    if (format == "json") text = core::formatBomJson(bom);
    else if (format == "csv") text = core::formatBomCsv(bom, view);
    else if (format == "xlsx") text = core::formatBomXlsx(bom);
    else if (format == "html") text = core::formatBomHtml(bom, core::bomThumbnails(bom, *tree, cache));
    else if (format == "cyclonedx") text = core::formatBomCycloneDx(bom, design);
    else text = core::formatBomTable(bom, view);

    if (!a.output.empty()) {
        core::writeFileAtomically(a.output, text);
        if (!ctx.globals.quiet)
            std::cerr << "wrote " << a.output << ": " << bom.lines.size() << " lines"
                      << (bom.ok() ? "" : ", with problems") << "\n";
    } else {
        std::cout << text << std::flush;
    }
    if (!bom.ok() && format != "table") {
        for (const auto& line : bom.lines)
            for (const auto& e : line.errors) std::cerr << "error: " << line.module << "/" << line.partId << ": " << e << "\n";
        for (const auto& p : bom.problems) std::cerr << "error: " << p << "\n";
    }
    if (!ctx.globals.quiet && bom.geometry.analysed > 0)
        ctx.notice("analysed " + std::to_string(bom.geometry.analysed) + " CAD file(s), " +
                   std::to_string(bom.geometry.cacheHits) + " from the cache");
    ctx.exitCode = bom.ok() ? kOk : kFindings;
}

} // namespace

void addBomCommands(CLI::App& app, Context& ctx) {
    static BomArgs a;
    auto* cmd = app.add_subcommand("bom", "Bill of materials of a module or the products, at a revision, for a fab");
    cmd->add_option("module", a.module, "Module id (default: the project's products)");
    cmd->add_option("--fab", a.fab, "Fab profile (fab.toml): make/buy and prices for that fab")->check(CLI::ExistingFile);
    cmd->add_flag("--flat", a.flat, "One line per unique part with summed quantities (default)");
    cmd->add_flag("--tree", a.tree, "Modules with their parts and sub-modules");
    cmd->add_option("--format", a.format,
                    "Output format: table, csv, json, xlsx, html or cyclonedx (default table; json with --json)")
        ->check(CLI::IsMember({"table", "csv", "json", "xlsx", "html", "cyclonedx"}));
    cmd->add_option("-o,--output", a.output, "Write to this file (atomically) instead of stdout");
    cmd->callback([&ctx, cmd] {
        if (cmd->get_subcommands().empty()) runBom(ctx, a); // not for `bom diff` (cmd_merge.cpp)
    });
}

} // namespace telar::cli

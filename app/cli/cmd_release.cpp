// `telar release`, `telar build`, `telar get` and `telar okh …`: releases behind gates,
// fabrication packages for a fab, packages straight from a remote tag, OKH manifests
// (docs/release.md, docs/package.md, docs/okh.md).

#include "cli_context.h"

#include "telar/core/bom.h"
#include "telar/core/catalog.h"
#include "telar/core/design.h"
#include "telar/core/fab_profile.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/manifest_edit.h"
#include "telar/core/okh.h"
#include "telar/core/package.h"
#include "telar/core/release.h"
#include "telar/core/sha256.h"
#include "telar/error.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <iostream>

namespace telar::cli {

namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

// ---- release ------------------------------------------------------------------------------

struct ReleaseArgs {
    std::string tag;
    std::string message;
    std::string author;
};

void runRelease(Context& ctx, const ReleaseArgs& a) {
    core::Repository& repo = ctx.repository();
    const std::string rev = ctx.globals.rev.empty() ? "HEAD" : ctx.globals.rev;
    core::Signature tagger = commitAuthor(repo, a.author);
    const core::Catalog catalog = core::Catalog::loadDefault();
    core::GeometryCache cache(&ctx.store());
    core::ReleaseCheck check =
        core::createRelease(repo, a.tag, rev, a.message, tagger, catalog, cache, ctx.progress());
    const bool created = check.ok();
    ctx.exitCode = created ? kOk : kFindings;
    if (ctx.globals.json) {
        Json gates = Json::array();
        for (const auto& g : check.gates)
            gates.push_back({{"id", g.id}, {"title", g.title}, {"passed", g.passed}, {"reasons", g.reasons}});
        printJson(Json{{"tag", a.tag},
                                             {"created", created},
                                             {"commit", check.commitId},
                                             {"gates", gates},
                                             {"previous_tag", check.previousTag ? Json(*check.previousTag) : Json()},
                                             {"notes", check.notes}});
        return;
    }
    for (const auto& g : check.gates) {
        std::cout << fmt::format("{:<10} {:<32} {}\n", g.id, g.title, g.passed ? "ok" : "FAILED");
        for (const auto& r : g.reasons) std::cout << "  " << r << "\n";
    }
    if (!created) {
        const core::ReleaseGate* f = check.firstFailure();
        std::cerr << "telar: release " << a.tag << " not created: gate '" << f->id << "' failed (" << f->title
                  << " is not true); nothing was tagged\n";
        return;
    }
    std::cout << "\ntagged " << a.tag << " at " << check.commitId.substr(0, 7)
              << (check.previousTag ? " (previous release " + *check.previousTag + ")" : std::string()) << "\n\n"
              << check.notes;
}

// ---- build and get ------------------------------------------------------------------------

struct BuildArgs {
    std::string rev;
    std::string fab;
    std::vector<std::string> modules;
    std::string output;
    std::string repoUrl;
    // get only
    std::string url;
    std::string tag;
};

// Builds and writes the package of rev read from repo; prints the summary.
void buildAndWrite(Context& ctx, const core::Repository& repo, const std::string& rev, const std::string& label,
                   const BuildArgs& a, const std::string& repoUrl) {
    core::FabProfile fab = core::loadFabProfile(a.fab);
    auto commit = repo.resolve(rev);
    if (!commit) throw UsageError("unknown revision '" + rev + "'");
    auto tree = repo.treeAt(rev);
    const core::Catalog catalog = core::Catalog::loadDefault();
    Progress progress = ctx.progress();
    core::Design design = core::loadDesign(*tree, catalog, progress.child(0.0, 0.05));
    core::GeometryCache cache(&ctx.store());
    core::PackageOptions options;
    options.fab = &fab;
    options.roots = a.modules;
    options.version = label;
    options.repoUrl = repoUrl;
    // No timestamps from the commit: a shallow fetch (telar get) cannot walk to it the same way,
    // and fixed times keep every package of the same inputs byte-identical.
    options.timestamp = 0;
    core::Package pkg = core::buildPackage(design, *tree, catalog, cache, options, progress.child(0.05, 0.95));
    core::writePackage(pkg.files, a.output);
    progress.report(1.0);
    int fabFiles = 0;
    for (const auto& f : pkg.fabrication)
        if (!f.path.empty()) ++fabFiles;
    ctx.exitCode = pkg.bom.ok() ? kOk : kFindings;
    if (ctx.globals.json) {
        Json files = Json::array();
        for (const auto& f : pkg.files)
            files.push_back({{"path", f.path}, {"size", f.bytes.size()}, {"sha256", core::sha256Hex(f.bytes)}});
        Json fabrication = Json::array();
        for (const auto& f : pkg.fabrication)
            fabrication.push_back({{"module", f.module},
                                   {"part", f.partId},
                                   {"quantity", f.quantity},
                                   {"process", f.process},
                                   {"path", f.path.empty() ? Json() : Json(f.path)},
                                   {"source", f.source},
                                   {"note", f.note}});
        printJson(Json{{"output", a.output},
                                             {"commit", *commit},
                                             {"version", label},
                                             {"bom_ok", pkg.bom.ok()},
                                             {"files", files},
                                             {"fabrication", fabrication},
                                             {"warnings", pkg.warnings}});
        return;
    }
    for (const auto& w : pkg.warnings) std::cerr << "warning: " << w << "\n";
    if (!pkg.bom.ok()) std::cerr << "warning: the BOM has problems; they are listed in bom/bom.csv and bom/bom.html\n";
    std::cout << fmt::format("wrote {}: {} files, {} fabrication files, BOM {} lines for {} ({})\n", a.output,
                             pkg.files.size(), fabFiles, pkg.bom.lines.size(), fab.name.empty() ? fab.file : fab.name,
                             label);
}

void runBuild(Context& ctx, const BuildArgs& a) {
    if (!a.rev.empty() && !ctx.globals.rev.empty() && a.rev != ctx.globals.rev)
        throw UsageError("give the revision either as REV or with --rev, not both");
    std::string rev = !a.rev.empty() ? a.rev : !ctx.globals.rev.empty() ? ctx.globals.rev : "HEAD";
    core::Repository& repo = ctx.repository();
    std::string label = rev;
    if (rev == "HEAD") {
        auto c = repo.resolve(rev);
        if (c) label = c->substr(0, 7);
    }
    buildAndWrite(ctx, repo, rev, label, a, a.repoUrl);
}

// A temporary folder removed with everything in it when it goes out of scope.
class ScratchDir {
public:
    ScratchDir() {
        std::string pattern = (fs::temp_directory_path() / "telar-get-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw Error("cannot create a temporary folder");
        m_path = pattern;
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

void runGet(Context& ctx, const BuildArgs& a) {
    ScratchDir scratch;
    core::FetchedRevision fetched = core::fetchRevision(a.url, a.tag, scratch.path() / "repo", ctx.progress());
    ctx.notice(fetched.notice);
    const std::string label = a.tag.empty() ? fetched.commitId.substr(0, 7) : a.tag;
    buildAndWrite(ctx, fetched.repository, fetched.rev, label, a, a.repoUrl.empty() ? a.url : a.repoUrl);
}

// ---- okh ----------------------------------------------------------------------------------

struct OkhArgs {
    std::string output;
    std::string repoUrl;
    std::string file;
    std::string into;
    bool lenient = false;
};

void runOkhExport(Context& ctx, const OkhArgs& a) {
    auto tree = ctx.tree();
    const core::Catalog catalog = core::Catalog::loadDefault();
    Progress progress = ctx.progress();
    core::Design design = core::loadDesign(*tree, catalog, progress.child(0.0, 0.1));
    core::GeometryCache cache(&ctx.store());
    std::optional<core::Bom> bom;
    try {
        bom = core::computeBom(design, *tree, catalog, cache, {}, progress.child(0.1, 1.0));
    } catch (const UsageError& e) {
        ctx.notice(std::string("okh.toml without mass and parts: ") + e.what());
    }
    core::OkhExportOptions options;
    options.repoUrl = a.repoUrl;
    options.bom = bom ? &*bom : nullptr;
    std::string text = core::formatOkhToml(design, options);
    if (a.repoUrl.empty()) ctx.notice("okh.toml has no `repo`: pass --repo-url URL");
    if (a.output.empty()) {
        std::cout << text << std::flush;
    } else {
        core::writeFileAtomically(a.output, text);
        ctx.notice("wrote " + a.output);
    }
    ctx.exitCode = design.ok() ? kOk : kFindings;
}

void runOkhImport(Context& ctx, const OkhArgs& a) {
    core::OkhImportOptions options;
    options.lenient = a.lenient;
    const fs::path file = a.file;
    core::OkhImport im = core::importOkh(file, options);
    const fs::path source = file.has_parent_path() ? file.parent_path() : fs::path(".");
    const fs::path into = a.into.empty() ? source : fs::path(a.into);
    core::writeOkhImport(im, source, into);
    ctx.exitCode = im.missingPaths.empty() ? kOk : kFindings;
    if (ctx.globals.json) {
        Json parts = Json::array();
        for (const auto& p : im.module.parts)
            parts.push_back({{"id", p.id}, {"name", p.name}, {"process", p.process}, {"file", p.file}, {"notes", p.notes}});
        printJson(Json{{"format", im.format},
                                             {"name", im.project.name},
                                             {"license", im.project.license},
                                             {"licensor", im.project.licensor},
                                             {"module", im.module.id},
                                             {"into", into.string()},
                                             {"parts", parts},
                                             {"missing_paths", im.missingPaths},
                                             {"unmapped", im.unmapped},
                                             {"skipped", im.skipped}});
        return;
    }
    std::cout << fmt::format("imported {} manifest '{}' into {}: module {} with {} parts\n", im.format, im.project.name,
                             into.string(), im.module.id, im.module.parts.size());
    if (!im.missingPaths.empty()) {
        std::cout << "paths named in the manifest that do not exist:\n";
        for (const auto& p : im.missingPaths) std::cout << "  " << p << "\n";
    }
    if (!im.unmapped.empty()) {
        std::cout << "not mapped to Telar manifests:\n";
        for (const auto& u : im.unmapped) std::cout << "  " << u << "\n";
    }
    if (!im.skipped.empty()) {
        std::cout << "malformed YAML read leniently:\n";
        for (const auto& s : im.skipped) std::cout << "  " << s << "\n";
    }
}

} // namespace

void addReleaseCommands(CLI::App& app, Context& ctx) {
    static ReleaseArgs rel;
    auto* release = app.add_subcommand("release", "Tag a release after its gates pass (manifests, licences, CAD, BOM)");
    release->add_option("TAG", rel.tag, "Name of the annotated tag to create")->required();
    release->add_option("-m,--message", rel.message, "First line(s) of the tag message (default: \"Release TAG\")");
    release->add_option("--author", rel.author, "Tagger as \"Name <email>\" (default: git's user.name/user.email)");
    release->callback([&ctx] { runRelease(ctx, rel); });

    static BuildArgs build;
    auto* b = app.add_subcommand("build", "Build a fabrication package of a revision for a fab");
    b->add_option("REV", build.rev, "Revision to build (default: --rev, else HEAD)");
    b->add_option("--fab", build.fab, "Fab profile (fab.toml)")->required()->check(CLI::ExistingFile);
    b->add_option("--module", build.modules, "Module to build (repeatable; default: the project's products)");
    b->add_option("-o,--output", build.output, "Output folder, or FILE.zip")->required();
    b->add_option("--repo-url", build.repoUrl, "Public URL of the repository, for okh.toml");
    b->callback([&ctx] { runBuild(ctx, build); });

    static BuildArgs get;
    auto* g = app.add_subcommand("get", "Build a fabrication package straight from a remote tag, without its history");
    g->add_option("URL", get.url, "Remote repository (file://, git://, http(s):// or a path)")->required();
    g->add_option("TAG", get.tag, "Tag to build (default: the remote's HEAD)");
    g->add_option("--fab", get.fab, "Fab profile (fab.toml)")->required()->check(CLI::ExistingFile);
    g->add_option("--module", get.modules, "Module to build (repeatable; default: the project's products)");
    g->add_option("-o,--output", get.output, "Output folder, or FILE.zip")->required();
    g->add_option("--repo-url", get.repoUrl, "URL for okh.toml (default: URL)");
    g->callback([&ctx] { runGet(ctx, get); });

    static OkhArgs okh;
    auto* o = app.add_subcommand("okh", "Open Know-How manifests: export okh.toml, import OKH-LOSH or OKH v1");
    o->require_subcommand(1);
    auto* ex = o->add_subcommand("export", "Write an OKH-LOSH okh.toml for the design at --rev");
    ex->add_option("-o,--output", okh.output, "Write to this file (atomically) instead of stdout");
    ex->add_option("--repo-url", okh.repoUrl, "Public URL of the repository (`repo`)");
    ex->callback([&ctx] { runOkhExport(ctx, okh); });
    auto* im = o->add_subcommand("import", "Turn an OKH-LOSH .toml or OKH v1 .yml manifest into Telar manifests");
    im->add_option("FILE", okh.file, "The OKH manifest")->required()->check(CLI::ExistingFile);
    im->add_option("--into", okh.into, "Folder to write telar.toml and the module into (default: the manifest's folder)");
    im->add_flag("--lenient", okh.lenient, "Read malformed YAML as far as possible and list what was skipped");
    im->callback([&ctx] { runOkhImport(ctx, okh); });
}

} // namespace telar::cli

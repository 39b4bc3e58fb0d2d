// `telar inspect`: the structure and properties of one CAD file, from the working tree or from
// git at --rev, named by path or by MODULE/PART.

#include "cli_context.h"

#include "telar/cad/types.h"
#include "telar/core/catalog.h"
#include "telar/core/design.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/paths.h"
#include "telar/error.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>

namespace telar::cli {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

struct InspectArgs {
    std::string target;
};

// The repository-relative path target names: MODULE/PART of the design, else a file path
// (relative to the current folder when it lies inside the working folder, else to the root).
std::string resolveTarget(Context& ctx, const core::Tree& tree, const std::string& target) {
    if (auto slash = target.rfind('/'); slash != std::string::npos && tree.kind("telar.toml")) {
        const core::Catalog catalog = core::Catalog::loadDefault();
        core::Design design = core::loadDesign(tree, catalog);
        if (const core::ModuleManifest* m = design.module(target.substr(0, slash))) {
            const std::string id = target.substr(slash + 1);
            if (const core::Part* p = m->findPart(id)) {
                if (p->filePath.empty()) throw UsageError("part " + target + " has no CAD file");
                return p->resolvedPath.empty() ? p->filePath : p->resolvedPath;
            }
            for (const auto& a : m->assemblies)
                if (fs::path(a.file).stem().string() == id || a.file == id) return a.filePath;
        }
    }
    std::string rel = fs::path(target).lexically_normal().generic_string();
    const fs::path workdir = ctx.repository().workdir();
    if (!workdir.empty()) {
        const fs::path abs = fs::absolute(target).lexically_normal();
        const fs::path inside = abs.lexically_relative(fs::weakly_canonical(workdir));
        if (!inside.empty() && inside.native().rfind("..", 0) != 0) rel = inside.generic_string();
    }
    if (!tree.kind(rel)) throw UsageError("no file or part '" + target + "' in " + tree.describe());
    return rel;
}

std::string size3(const cad::Vec3& v) { return fmt::format("{:.2f} × {:.2f} × {:.2f}", v.x, v.y, v.z); }

Json vecJson(const cad::Vec3& v) { return Json::array({v.x, v.y, v.z}); }

Json resultJson(const core::GeometryOutcome& o) {
    const cad::AnalysisResult& r = *o.result;
    Json j;
    j["file"] = o.path;
    j["blob"] = o.blobId;
    j["format"] = cad::formatName(r.format);
    j["length_units"] = r.lengthUnits;
    j["unit_to_mm"] = r.unitToMm;
    Json parts = Json::array();
    for (const auto& p : r.parts) {
        Json pj;
        pj["name"] = p.name;
        pj["raw_names"] = p.rawNames;
        pj["quantity"] = p.quantity;
        pj["volume_mm3"] = p.volume;
        pj["area_mm2"] = p.area;
        pj["bbox_mm"] = vecJson(p.bbox.size());
        pj["oriented_mm"] = vecJson(p.orientedSize);
        pj["centroid_mm"] = vecJson(p.centroid);
        pj["solids"] = p.solids;
        pj["shells"] = p.shells;
        pj["faces"] = p.faces;
        pj["triangles"] = p.triangles;
        pj["closed"] = p.closed;
        pj["valid"] = p.valid;
        pj["density"] = p.density ? Json(*p.density) : Json(nullptr);
        pj["material"] = p.material ? Json(*p.material) : Json(nullptr);
        pj["fingerprint"] = p.fingerprint;
        parts.push_back(pj);
    }
    j["parts"] = parts;
    Json nodes = Json::array();
    for (const auto& n : r.nodes) {
        static const char* kinds[] = {"assembly", "part", "non-solid", "empty"};
        nodes.push_back(Json{{"name", n.name}, {"kind", kinds[static_cast<int>(n.kind)]}, {"parent", n.parent},
                             {"part", n.part}, {"shape", n.shapeType}});
    }
    j["nodes"] = nodes;
    j["totals"] = Json{{"volume_mm3", r.totals.volume}, {"area_mm2", r.totals.area},
                       {"bbox_mm", vecJson(r.totals.bbox.size())}, {"instances", r.totals.instances},
                       {"unique_parts", r.totals.uniqueParts}, {"non_solids", r.totals.nonSolids}};
    j["warnings"] = r.warnings;
    return j;
}

void printNode(const cad::AnalysisResult& r, int index, int depth) {
    const cad::TreeNode& n = r.nodes[static_cast<std::size_t>(index)];
    static const char* kinds[] = {"assembly", "part", "non-solid", "empty"};
    std::cout << std::string(2 * static_cast<std::size_t>(depth) + 2, ' ') << n.name << "  ["
              << kinds[static_cast<int>(n.kind)] << (n.shapeType.empty() ? "" : ", " + n.shapeType) << "]\n";
    for (int c : n.children) printNode(r, c, depth + 1);
}

void runInspect(Context& ctx, const InspectArgs& a) {
    auto tree = ctx.tree();
    const std::string path = resolveTarget(ctx, *tree, a.target);
    core::GeometryCache cache(&ctx.store());
    auto outcomes = cache.analyze(*tree, {path}, ctx.progress());
    const core::GeometryOutcome& o = outcomes.front();
    if (!o.ok()) {
        if (ctx.globals.json) printJson(Json{{"file", o.path}, {"blob", o.blobId}, {"error", o.error}});
        else std::cerr << "telar: error: " << o.error << (o.cachedFailure ? " (cached failure)" : "") << "\n";
        ctx.exitCode = kFindings;
        return;
    }
    if (ctx.globals.json) {
        std::cout << resultJson(o).dump(2) << "\n";
        return;
    }
    const cad::AnalysisResult& r = *o.result;
    std::cout << o.path << " at " << tree->describe() << " (blob " << o.blobId.substr(0, 12) << ")\n";
    std::string units;
    for (const auto& u : r.lengthUnits) units += (units.empty() ? "" : ", ") + u;
    std::cout << "  format: " << cad::formatName(r.format) << (units.empty() ? "" : ", units: " + units)
              << fmt::format(" (× {:g} to mm)", r.unitToMm) << "\n";
    std::cout << fmt::format("  {} unique part(s), {} instance(s), {} non-solid item(s)\n", r.totals.uniqueParts,
                             r.totals.instances, r.totals.nonSolids);
    std::cout << fmt::format("  volume {:.3f} mm³, area {:.3f} mm², size {} mm\n", r.totals.volume, r.totals.area,
                             size3(r.totals.bbox.size()));
    std::cout << "\nParts:\n";
    for (const auto& p : r.parts)
        std::cout << fmt::format("  {:>3} × {}: volume {:.3f} mm³, area {:.3f} mm², stock {} mm, {}{}\n", p.quantity,
                                 p.name, p.volume, p.area, size3(p.orientedSize), p.closed ? "closed" : "open",
                                 p.valid ? "" : ", not valid");
    if (r.nodes.size() > 1) {
        std::cout << "\nStructure:\n";
        for (int root : r.roots) printNode(r, root, 0);
    }
    for (const auto& w : r.warnings) std::cout << "warning: " << w << "\n";
}

} // namespace

void addInspectCommands(CLI::App& app, Context& ctx) {
    static InspectArgs a;
    auto* cmd = app.add_subcommand("inspect", "Structure and properties of one CAD file (path or MODULE/PART)");
    cmd->add_option("target", a.target, "A file path, or MODULE/PART of the design")->required();
    cmd->callback([&ctx] { runInspect(ctx, a); });
}

} // namespace telar::cli

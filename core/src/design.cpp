// Loading a design through a Tree and the checks that span several files.
#include "telar/core/design.h"

#include "telar/core/paths.h"

#include <algorithm>

namespace telar::core {

namespace {

constexpr const char* kProjectFile = "telar.toml";
constexpr const char* kModuleFile = "module.toml";
constexpr int kMaxDepth = 64;

// Collects diagnostics for one file.
struct Reporter {
    std::vector<Diagnostic>& out;
    std::string file;

    void error(SourcePos pos, std::string field, std::string message, std::string hint) {
        out.push_back({Severity::Error, file, pos.line, pos.column, std::move(field), std::move(message),
                       std::move(hint)});
    }
    void warning(SourcePos pos, std::string field, std::string message, std::string hint) {
        out.push_back({Severity::Warning, file, pos.line, pos.column, std::move(field), std::move(message),
                       std::move(hint)});
    }
};

// Finds every folder with a module.toml; skips hidden folders, symlinked folders and submodules.
void findModules(const Tree& tree, const std::string& dir, int depth, std::vector<std::string>& modules,
                 std::vector<Diagnostic>& diags) {
    if (depth > kMaxDepth) return;
    for (const auto& entry : tree.list(dir)) {
        if (entry.name.empty() || entry.name.front() == '.') continue;
        const std::string path = joinPath(dir, entry.name);
        if (entry.kind == EntryKind::Directory) {
            findModules(tree, path, depth + 1, modules, diags);
        } else if (entry.name == kModuleFile) {
            if (dir.empty()) {
                diags.push_back({Severity::Error, path, 0, 0, "",
                                 "module.toml at the repository root is not a module",
                                 "move it into a module folder (telar module add NAME creates one)"});
            } else if (entry.kind != EntryKind::File) {
                diags.push_back({Severity::Error, path, 0, 0, "", "module.toml must be a regular file",
                                 "replace the symbolic link with the file itself"});
            } else if (!isValidModuleId(dir)) {
                diags.push_back({Severity::Error, path, 0, 0, "",
                                 "the folder name cannot be a module id: " + dir,
                                 "rename the folder without backslashes or control characters"});
            } else {
                modules.push_back(dir);
            }
        }
    }
}

std::string suggestion(const std::vector<std::string>& candidates) {
    if (candidates.empty()) return {};
    return " (did you mean '" + candidates.front() + "'?)";
}

// Checks that a manifest's `file` is a regular file inside the repository; sets resolved.
void checkFileInTree(const Tree& tree, const std::string& filePath, const SourceInfo& src,
                     std::string& resolved, Reporter& rep) {
    if (filePath.empty()) return; // absent, or already reported by the parser
    PathResult r = resolvePath(tree, filePath);
    const SourcePos pos = src.at("file");
    const std::string field = src.fieldPath("file");
    if (r.ok() && r.kind == EntryKind::File) {
        resolved = r.path;
        return;
    }
    switch (r.problem) {
    case PathProblem::None:
        rep.error(pos, field, "not a regular file: " + filePath, "name a file, not a folder");
        break;
    case PathProblem::Missing:
        rep.error(pos, field, "file not found: " + filePath,
                  "add the file to the repository or correct the path");
        break;
    case PathProblem::SymlinkEscapes:
        rep.error(pos, field, "leads outside the repository through the symbolic link " + r.detail,
                  "copy the file into the repository instead of linking to it");
        break;
    case PathProblem::SymlinkLoop:
        rep.error(pos, field,
                  "too many levels of symbolic links (more than " + std::to_string(kMaxSymlinkHops) +
                      ") at " + r.detail,
                  "replace the chain of links with the file");
        break;
    default:
        rep.error(pos, field, filePath + " " + describePathProblem(r.problem), "give a plain relative path");
        break;
    }
}

void checkMaterial(const Catalog& catalog, const std::string& material, const SourceInfo& src,
                   Reporter& rep) {
    if (material.empty() || catalog.material(material)) return;
    rep.error(src.at("material"), src.fieldPath("material"),
              "unknown material '" + material + "'" + suggestion(catalog.suggestMaterials(material)),
              "use an id from resources/materials.toml or the fab profile");
}

void checkProcess(const Catalog& catalog, const std::string& process, const SourceInfo& src, Reporter& rep) {
    if (process.empty() || catalog.process(process)) return;
    rep.error(src.at("process"), src.fieldPath("process"),
              "unknown process '" + process + "'" + suggestion(catalog.suggestProcesses(process)),
              "use an id from resources/processes.toml");
}

// Warns when a known process does not take a known material.
void checkPairing(const Catalog& catalog, const std::string& process, const std::string& material,
                  const SourceInfo& src, Reporter& rep) {
    if (process.empty() || material.empty()) return;
    auto p = catalog.process(process);
    auto m = catalog.material(material);
    if (!p || !m || p->takes(*m)) return;
    std::string kinds;
    for (const auto& k : m->kinds)
        kinds += (kinds.empty() ? "" : ", ") + k;
    rep.warning(src.at("material"), src.fieldPath("material"),
                "process '" + process + "' does not take material '" + material + "' (" + kinds + ")",
                "choose a process that works this material, or another material");
}

void checkModule(const Tree& tree, const Catalog& catalog, Design& design, ModuleManifest& m,
                 const std::string& file, std::vector<Diagnostic>& diags) {
    Reporter rep{diags, file};
    std::vector<std::string> moduleIds;
    for (const auto& [id, unused] : design.modules)
        moduleIds.push_back(id);
    const bool noDefaultLicense = m.license.empty() && design.project.license.empty();

    for (auto& p : m.parts) {
        checkFileInTree(tree, p.filePath, p.source, p.resolvedPath, rep);
        checkMaterial(catalog, p.material, p.source, rep);
        checkProcess(catalog, p.process, p.source, rep);
        if (p.process.empty())
            rep.warning(p.source.pos, p.source.fieldPath("process"),
                        "part '" + p.id + "' has no process: the BOM cannot say how it is made or what it costs",
                        "set process to an id from resources/processes.toml (purchased for bought parts)");
        checkPairing(catalog, p.process, p.material, p.source, rep);
        if (noDefaultLicense && p.license.empty())
            rep.warning(p.source.pos, p.source.path, "no licence applies to this part",
                        "set license in the part, in [module] or in telar.toml's [project]");
    }
    for (auto& a : m.assemblies) {
        checkFileInTree(tree, a.filePath, a.source, a.resolvedPath, rep);
        checkMaterial(catalog, a.material, a.source, rep);
        checkProcess(catalog, a.process, a.source, rep);
        checkPairing(catalog, a.process, a.material, a.source, rep);
        for (const auto& rule : a.rules) {
            checkMaterial(catalog, rule.material, rule.source, rep);
            checkProcess(catalog, rule.process, rule.source, rep);
        }
        if (noDefaultLicense && a.license.empty())
            rep.warning(a.source.pos, a.source.path, "no licence applies to this assembly",
                        "set license in the assembly, in [module] or in telar.toml's [project]");
    }
    for (const auto& u : m.uses) {
        if (u.module.empty() || design.modules.count(u.module)) continue;
        rep.error(u.source.at("module"), u.source.fieldPath("module"),
                  "unknown module '" + u.module + "'" + didYouMean(u.module, moduleIds),
                  "name a folder holding a module.toml, from the repository root");
    }
}

std::string joinCycle(const std::vector<std::string>& cycle) {
    std::string out;
    for (const auto& id : cycle)
        out += (out.empty() ? "" : " -> ") + id;
    return out;
}

} // namespace

const ModuleManifest* Design::module(std::string_view id) const {
    auto it = modules.find(std::string(id));
    return it == modules.end() ? nullptr : &it->second;
}

std::string Design::moduleLicense(const ModuleManifest& m) const {
    return m.license.empty() ? project.license : m.license;
}

std::string Design::effectiveLicense(const ModuleManifest& m, const Part& part) const {
    return part.license.empty() ? moduleLicense(m) : part.license;
}

std::string Design::effectiveLicense(const ModuleManifest& m, const Assembly& assembly) const {
    return assembly.license.empty() ? moduleLicense(m) : assembly.license;
}

Design loadDesign(const Tree& tree, const Catalog& catalog, const Progress& progress) {
    Design d;
    d.treeName = tree.describe();
    d.commitId = tree.commitId();
    std::vector<Diagnostic>& diags = d.diagnostics;

    // telar.toml
    auto projectKind = tree.kind(kProjectFile);
    if (!projectKind) {
        diags.push_back({Severity::Error, kProjectFile, 0, 0, "",
                         "telar.toml is missing: " + d.treeName + " is not a Telar design repository",
                         "run `telar init` to create one"});
    } else if (*projectKind != EntryKind::File) {
        diags.push_back({Severity::Error, kProjectFile, 0, 0, "", "telar.toml must be a regular file",
                         "replace it with a file"});
    } else if (auto text = tree.readFile(kProjectFile)) {
        d.project = parseProjectManifest(*text, kProjectFile, diags);
        d.hasProject = true;
    }
    progress.report(0.05, "reading modules");

    // module.toml files
    std::vector<std::string> ids;
    findModules(tree, "", 0, ids, diags);
    const std::vector<std::string> extraIds = d.project.declaredLicenseIds();
    for (std::size_t i = 0; i < ids.size(); ++i) {
        progress.throwIfCancelled();
        const std::string file = joinPath(ids[i], kModuleFile);
        auto text = tree.readFile(file);
        if (!text) continue; // vanished between list and read: nothing to check
        d.modules.emplace(ids[i], parseModuleManifest(*text, file, ids[i], diags, extraIds));
        progress.report(0.05 + 0.75 * static_cast<double>(i + 1) / static_cast<double>(ids.size()), file);
    }

    // checks across files
    for (auto& [id, m] : d.modules) {
        progress.throwIfCancelled();
        checkModule(tree, catalog, d, m, joinPath(id, kModuleFile), diags);
    }
    std::vector<std::string> moduleIds;
    for (const auto& [id, unused] : d.modules)
        moduleIds.push_back(id);
    Reporter projectRep{diags, kProjectFile};
    for (std::size_t i = 0; i < d.project.products.size(); ++i) {
        const std::string& product = d.project.products[i];
        if (d.modules.count(product)) continue;
        projectRep.error(d.project.productPos[i], "project.products[" + std::to_string(i + 1) + "]",
                         "unknown module '" + product + "'" + didYouMean(product, moduleIds),
                         "name a folder holding a module.toml, or create it with `telar module add`");
    }

    d.graph = ModuleGraph::build(d.modules);
    for (const auto& cycle : d.graph.cycles()) {
        // Reported at the `use` that closes the cycle.
        const std::string& from = cycle[cycle.size() - 2];
        const std::string& to = cycle.back();
        const ModuleManifest& m = d.modules.at(from);
        for (const auto& u : m.uses) {
            if (u.module != to) continue;
            Reporter rep{diags, joinPath(from, kModuleFile)};
            rep.error(u.source.at("module"), u.source.fieldPath("module"),
                      "cycle in use: " + joinCycle(cycle),
                      "a module cannot contain itself: remove one of these uses");
            break;
        }
    }
    sortDiagnostics(diags);
    progress.report(1.0, "design read");
    return d;
}

} // namespace telar::core

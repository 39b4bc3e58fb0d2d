// Design commands: init, module add, part add, check.

#include "cli_context.h"

#include "telar/core/catalog.h"
#include "telar/core/design.h"
#include "telar/core/manifest_edit.h"
#include "telar/error.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace telar::cli {

namespace fs = std::filesystem;

namespace {

std::string readText(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw Error("cannot read " + p.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The project's declared licence ids, read from the working tree's telar.toml.
std::vector<std::string> declaredLicenses(const fs::path& repoDir) {
    fs::path file = repoDir / "telar.toml";
    if (!fs::exists(file)) throw UsageError("no telar.toml in " + repoDir.string() + ": run `telar init` first");
    std::vector<core::Diagnostic> diags;
    auto project = core::parseProjectManifest(readText(file), "telar.toml", diags);
    return project.declaredLicenseIds();
}

std::string suggestion(const std::vector<std::string>& candidates) {
    return candidates.empty() ? "" : " (did you mean '" + candidates.front() + "'?)";
}

nlohmann::json diagnosticJson(const core::Diagnostic& d) {
    return {{"severity", d.severity == core::Severity::Error ? "error" : "warning"},
            {"file", d.file},
            {"line", d.line},
            {"column", d.column},
            {"field", d.field},
            {"message", d.message},
            {"hint", d.hint}};
}

struct InitOptions {
    std::string dir = ".";
    std::string name, description, license, licensor, branch = "main";
};

void runInit(Context& ctx, const InitOptions& o) {
    fs::path dir = fs::absolute(o.dir).lexically_normal();
    fs::create_directories(dir);
    if (fs::exists(dir / "telar.toml"))
        throw UsageError((dir / "telar.toml").string() + " already exists: this is already a design repository");
    bool existing = fs::exists(dir / ".git");
    if (!existing) core::Repository::init(dir, o.branch);
    core::ProjectManifest project;
    std::string folderName = dir.filename().string();
    project.name = o.name.empty() ? folderName : o.name;
    project.description = o.description;
    project.license = o.license;
    project.licensor = o.licensor;
    core::createProjectManifest(dir, project);
    if (ctx.globals.json) {
        printJson({{"repository", dir.string()}, {"created_git_repository", !existing}, {"manifest", "telar.toml"}});
        return;
    }
    std::cout << (existing ? "Adopted the git repository " : "Created a design repository in ") << dir.string() << "\n";
    std::cout << "Wrote telar.toml for \"" << project.name << "\"\n";
    if (o.license.empty())
        std::cout << "No default licence set: add `license = \"…\"` (an SPDX expression) to [project] in telar.toml.\n";
    std::cout << "Next: telar module add <id> --name \"…\"\n";
}

struct ModuleOptions {
    std::string id, name, version = "0.1.0", license, description, usedBy;
    int64_t quantity = 1;
};

void runModuleAdd(Context& ctx, const ModuleOptions& o) {
    auto& repo = ctx.repository();
    fs::path root = repo.workdir();
    auto extra = declaredLicenses(root);
    std::string parentText;
    std::string parentFile;
    if (!o.usedBy.empty()) {
        parentFile = o.usedBy + "/module.toml";
        if (!fs::exists(root / parentFile))
            throw UsageError("--used-by: no module '" + o.usedBy + "' (no " + parentFile + ")");
        if (o.quantity < 1) throw UsageError("--quantity must be a positive integer");
        core::Use use;
        use.module = o.id;
        use.quantity = o.quantity;
        parentText = core::appendUse(readText(root / parentFile), parentFile, use, extra);
    }
    core::ModuleManifest m;
    m.id = o.id;
    m.name = o.name.empty() ? o.id.substr(o.id.rfind('/') + 1) : o.name;
    m.version = o.version;
    m.license = o.license;
    m.description = o.description;
    core::createModuleManifest(root, m, extra);
    if (!parentText.empty()) core::writeFileAtomically(root / parentFile, parentText);
    if (ctx.globals.json) {
        printJson({{"module", o.id}, {"manifest", o.id + "/module.toml"}, {"used_by", o.usedBy}});
        return;
    }
    std::cout << "Added module " << o.id << " (" << o.id << "/module.toml)\n";
    if (!o.usedBy.empty()) std::cout << "  used " << o.quantity << "x by " << o.usedBy << "\n";
}

struct PartOptions {
    std::string module, id, name, file, material, process, currency, supplier, sku, license, notes;
    int64_t quantity = 1;
    std::optional<double> unitCost;
    bool allowMissingFile = false;
};

void runPartAdd(Context& ctx, const PartOptions& o) {
    auto& repo = ctx.repository();
    fs::path root = repo.workdir();
    std::string moduleId = o.module;
    while (!moduleId.empty() && moduleId.back() == '/') moduleId.pop_back();
    std::string file = moduleId + "/module.toml";
    if (!fs::exists(root / file))
        throw UsageError("no module '" + moduleId + "' (no " + file + "): add it with `telar module add " + moduleId + "`");
    auto catalog = core::Catalog::loadDefault();
    if (!o.material.empty() && !catalog.material(o.material))
        throw UsageError("unknown material '" + o.material + "'" + suggestion(catalog.suggestMaterials(o.material)) +
                         "; the materials are listed in " + (core::Catalog::resourceDir() / "materials.toml").string());
    if (!o.process.empty() && !catalog.process(o.process))
        throw UsageError("unknown process '" + o.process + "'" + suggestion(catalog.suggestProcesses(o.process)) +
                         "; the processes are listed in " + (core::Catalog::resourceDir() / "processes.toml").string());
    if (!o.file.empty() && !o.allowMissingFile) {
        fs::path cad = root / moduleId / o.file;
        if (!fs::is_regular_file(cad))
            throw UsageError("file not found: " + (fs::path(moduleId) / o.file).string() +
                             " (paths are relative to the module folder; add the file first, or pass --allow-missing-file)");
    }
    core::Part part;
    part.id = o.id;
    part.name = o.name.empty() ? o.id : o.name;
    part.file = o.file;
    part.material = o.material;
    part.process = o.process;
    part.quantity = o.quantity;
    part.unitCost = o.unitCost;
    part.currency = o.currency;
    part.supplier = o.supplier;
    part.sku = o.sku;
    part.license = o.license;
    part.notes = o.notes;
    std::string text = core::appendPart(readText(root / file), file, part, declaredLicenses(root));
    core::writeFileAtomically(root / file, text);
    if (ctx.globals.json) {
        printJson({{"module", moduleId}, {"part", o.id}, {"manifest", file}});
        return;
    }
    std::cout << "Added part " << o.id << " to " << moduleId << " (quantity " << o.quantity << ")\n";
}

void runCheck(Context& ctx) {
    auto tree = ctx.tree();
    auto catalog = core::Catalog::loadDefault();
    core::Design design = core::loadDesign(*tree, catalog, ctx.progress());
    size_t parts = 0;
    for (const auto& [id, m] : design.modules) parts += m.parts.size();
    size_t errors = 0, warnings = 0;
    for (const auto& d : design.diagnostics) (d.severity == core::Severity::Error ? errors : warnings)++;
    ctx.exitCode = design.ok() ? kOk : kFindings;
    if (ctx.globals.json) {
        nlohmann::json diags = nlohmann::json::array();
        for (const auto& d : design.diagnostics) diags.push_back(diagnosticJson(d));
        printJson({{"tree", design.treeName},
                   {"commit", design.commitId.empty() ? nlohmann::json(nullptr) : nlohmann::json(design.commitId)},
                   {"ok", design.ok()},
                   {"modules", design.modules.size()},
                   {"parts", parts},
                   {"errors", errors},
                   {"warnings", warnings},
                   {"diagnostics", diags}});
        return;
    }
    for (const auto& d : design.diagnostics) {
        std::cout << (d.severity == core::Severity::Error ? "error: " : "warning: ") << d.str() << "\n";
        if (!d.hint.empty()) std::cout << "  hint: " << d.hint << "\n";
    }
    std::cout << fmt::format("{}: {} modules, {} parts — ", design.treeName, design.modules.size(), parts);
    if (errors == 0 && warnings == 0)
        std::cout << "ok\n";
    else
        std::cout << fmt::format("{} error{}, {} warning{}\n", errors, errors == 1 ? "" : "s", warnings,
                                 warnings == 1 ? "" : "s");
}

} // namespace

void addDesignCommands(CLI::App& app, Context& ctx) {
    static InitOptions init;
    auto* initCmd = app.add_subcommand("init", "Make a folder (new or an existing git repository) a Telar design repository");
    initCmd->add_option("DIR", init.dir, "Folder (default: the current folder)");
    initCmd->add_option("--name", init.name, "Project name (default: the folder name)");
    initCmd->add_option("--description", init.description, "One-line description");
    initCmd->add_option("--license", init.license, "Default SPDX licence expression for modules, e.g. CERN-OHL-S-2.0");
    initCmd->add_option("--licensor", init.licensor, "Who licenses the design");
    initCmd->add_option("--branch", init.branch, "Initial branch of a new repository")->capture_default_str();
    initCmd->callback([&ctx] { runInit(ctx, init); });

    auto* module = app.add_subcommand("module", "Work with modules");
    module->require_subcommand(1);
    static ModuleOptions mod;
    auto* moduleAdd = module->add_subcommand("add", "Add a module (a folder with a module.toml)");
    moduleAdd->add_option("ID", mod.id, "Module id: its folder path, e.g. frame or axes/x")->required();
    moduleAdd->add_option("--name", mod.name, "Display name (default: the last part of the id)");
    moduleAdd->add_option("--version", mod.version, "Module version")->capture_default_str();
    moduleAdd->add_option("--license", mod.license, "SPDX licence expression (default: the project's)");
    moduleAdd->add_option("--description", mod.description, "One-line description");
    moduleAdd->add_option("--used-by", mod.usedBy, "Add a [[use]] of the new module to this module");
    moduleAdd->add_option("--quantity", mod.quantity, "How many the --used-by module uses")->capture_default_str();
    moduleAdd->callback([&ctx] { runModuleAdd(ctx, mod); });

    auto* part = app.add_subcommand("part", "Work with parts");
    part->require_subcommand(1);
    static PartOptions p;
    auto* partAdd = part->add_subcommand("add", "Add a part to a module's module.toml");
    partAdd->add_option("MODULE", p.module, "Module id")->required();
    partAdd->add_option("ID", p.id, "Part id, unique in the module: [a-z0-9][a-z0-9._-]*")->required();
    partAdd->add_option("--name", p.name, "Display name");
    partAdd->add_option("--file", p.file, "CAD file, relative to the module folder");
    partAdd->add_option("--material", p.material, "Material id (resources/materials.toml)");
    partAdd->add_option("--process", p.process, "Process id (resources/processes.toml)");
    partAdd->add_option("--quantity", p.quantity, "How many the module needs")->capture_default_str();
    partAdd->add_option("--unit-cost", p.unitCost, "Unit cost (purchased parts)");
    partAdd->add_option("--currency", p.currency, "ISO 4217 currency of --unit-cost, e.g. USD");
    partAdd->add_option("--supplier", p.supplier, "Supplier");
    partAdd->add_option("--sku", p.sku, "Supplier's article number");
    partAdd->add_option("--license", p.license, "SPDX licence expression (default: the module's)");
    partAdd->add_option("--notes", p.notes, "Free-text notes");
    partAdd->add_flag("--allow-missing-file", p.allowMissingFile, "Record --file even if it does not exist yet");
    partAdd->callback([&ctx] { runPartAdd(ctx, p); });

    auto* check = app.add_subcommand("check", "Validate the whole design at a revision: manifests, files, materials, processes, modules, licences");
    check->callback([&ctx] { runCheck(ctx); });
}

} // namespace telar::cli

// `telar import`: bring geometry from elsewhere into a module with its origin record.

#include "cli_context.h"

#include "telar/core/import.h"
#include "telar/error.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>

namespace telar::cli {

namespace fs = std::filesystem;

namespace {

struct ImportOptions {
    std::string file, module, source, license, author, retrieved, id, name, process, material, to;
    std::int64_t quantity = 1;
};

// --to as the core takes it: a relative path is read from the current folder when that lies
// inside the working folder (like any path on the command line), else from the repository root.
std::string targetArgument(const std::string& to, const fs::path& workdir) {
    if (to.empty() || fs::path(to).is_absolute()) return to;
    const fs::path root = fs::weakly_canonical(workdir);
    const fs::path cwd = fs::weakly_canonical(fs::current_path());
    const fs::path cwdRel = cwd.lexically_relative(root);
    if (cwdRel.empty() || *cwdRel.begin() == "..") return to;
    const std::string slash = to.back() == '/' ? "/" : "";
    const fs::path abs = (cwd / to).lexically_normal();
    const fs::path rel = abs.lexically_relative(root);
    if (rel.empty() || *rel.begin() == "..") return abs.generic_string(); // the core refuses it
    std::string out = rel.generic_string();
    while (!out.empty() && out.back() == '/')
        out.pop_back();
    return out + slash;
}

void runImport(Context& ctx, const ImportOptions& o) {
    if (!ctx.globals.rev.empty())
        throw UsageError("--rev does not apply to import: it writes to the working tree");
    auto& repo = ctx.repository();
    const fs::path workdir = repo.workdir();
    if (workdir.empty()) throw UsageError("the repository has no working folder to import into");

    core::ImportRequest req;
    req.file = o.file;
    req.module = o.module;
    req.source = o.source;
    req.license = o.license;
    req.author = o.author;
    req.retrieved = o.retrieved;
    req.partId = o.id;
    req.name = o.name;
    req.quantity = o.quantity;
    req.process = o.process;
    req.material = o.material;
    req.to = targetArgument(o.to, workdir);
    const core::ImportResult r = core::importGeometry(workdir, req);
    const core::Origin& origin = *r.part.origin;

    if (ctx.globals.json) {
        nlohmann::json part = {
            {"id", r.part.id},
            {"name", r.part.name},
            {"file", r.part.file},
            {"path", r.path},
            {"quantity", r.part.quantity},
            {"material", r.part.material.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.part.material)},
            {"process", r.part.process.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.part.process)}};
        printJson({{"module", r.module},
                   {"manifest", r.manifest},
                   {"part", part},
                   {"origin",
                    {{"source", origin.source},
                     {"license", origin.license},
                     {"author", origin.author},
                     {"retrieved", origin.retrieved},
                     {"sha256", origin.sha256}}},
                   {"size", r.size},
                   {"module_license", r.workLicense},
                   {"effects", r.effects}});
        return;
    }
    std::cout << "Imported " << fs::path(o.file).filename().string() << " as part " << r.part.id << " of "
              << r.module << " (" << r.path << ", " << r.size << " bytes)\n";
    std::cout << "  origin: " << origin.license << " by " << origin.author << ", from " << origin.source
              << ", retrieved " << origin.retrieved << "\n";
    std::cout << "  sha256: " << origin.sha256 << "\n";
    std::cout << "  " << r.workLicense << " can include " << origin.license << " as imported";
    for (const auto& e : r.effects)
        std::cout << "\n    " << e;
    std::cout << "\n";
    std::cout << "Recorded in " << r.manifest << "; commit both files to keep the origin with the design.\n";
}

} // namespace

void addImportCommands(CLI::App& app, Context& ctx) {
    static ImportOptions o;
    auto* cmd = app.add_subcommand(
        "import",
        "Bring geometry from elsewhere into a module, with its origin record (source, licence, author, "
        "date, sha256)");
    cmd->add_option("FILE", o.file, "The file to import")->required();
    cmd->add_option("--module", o.module, "Module to add the part to")->required();
    cmd->add_option("--source", o.source, "Where it came from: URL or catalogue reference")->required();
    cmd->add_option("--license", o.license, "SPDX licence expression the geometry was published under")
        ->required();
    cmd->add_option("--author", o.author, "Who made it")->required();
    cmd->add_option("--retrieved", o.retrieved, "When it was downloaded, YYYY-MM-DD (default: today)");
    cmd->add_option("--id", o.id, "Part id (default: from the file name)");
    cmd->add_option("--name", o.name, "Display name (default: the file name without its extension)");
    cmd->add_option("--quantity", o.quantity, "How many the module needs")->capture_default_str();
    cmd->add_option("--process", o.process, "Process id (resources/processes.toml)");
    cmd->add_option("--material", o.material, "Material id (resources/materials.toml)");
    cmd->add_option("--to", o.to,
                    "Where to put the copy inside the repository; a folder keeps the file name (default: the "
                    "module's folder)");
    cmd->callback([&ctx] { runImport(ctx, o); });
}

} // namespace telar::cli

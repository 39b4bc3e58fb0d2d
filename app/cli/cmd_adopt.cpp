// telar adopt: propose (and with --write, write) manifests for an existing repository.

#include "cli_context.h"

#include "telar/core/adopt.h"
#include "telar/core/manifest_edit.h"
#include "telar/error.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>

namespace telar::cli {

namespace fs = std::filesystem;

namespace {

struct AdoptOptions {
    std::string dir = ".";
    bool write = false;
};

nlohmann::json partJson(const core::Part& p) {
    return {{"id", p.id}, {"name", p.name},         {"file", p.file},
            {"process", p.process}, {"quantity", p.quantity}, {"notes", p.notes}};
}

void runAdopt(Context& ctx, const AdoptOptions& o) {
    fs::path dir = o.dir;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw UsageError("not a folder: " + o.dir);
    if (fs::exists(dir / "telar.toml", ec))
        throw UsageError(o.dir + "/telar.toml already exists: the repository is already a Telar design "
                         "(use `telar check`)");
    core::AdoptProposal prop = core::proposeAdoption(dir);
    if (o.write) core::writeAdoption(dir, prop);
    ctx.exitCode = kOk;

    if (ctx.globals.json) {
        nlohmann::json modules = nlohmann::json::array();
        for (const auto& m : prop.modules) {
            nlohmann::json parts = nlohmann::json::array();
            for (const auto& p : m.parts) parts.push_back(partJson(p));
            nlohmann::json uses = nlohmann::json::array();
            for (const auto& u : m.uses) uses.push_back(u.module);
            modules.push_back({{"id", m.id},
                               {"manifest", m.id + "/module.toml"},
                               {"license", m.license},
                               {"parts", parts},
                               {"uses", uses},
                               {"text", core::renderModuleManifest(m)}});
        }
        nlohmann::json licenses = nlohmann::json::array();
        for (const auto& l : prop.licenses)
            licenses.push_back({{"file", l.file},
                                {"id", l.id},
                                {"alternatives", l.alternatives},
                                {"ambiguity", l.ambiguity},
                                {"kind", l.kind}});
        nlohmann::json undecided = nlohmann::json::array();
        for (const auto& u : prop.undecided)
            undecided.push_back({{"kind", u.kind}, {"path", u.path}, {"message", u.message}});
        printJson({{"written", o.write},
                   {"project",
                    {{"name", prop.project.name},
                     {"license", prop.project.license},
                     {"products", prop.project.products},
                     {"text", core::renderProjectManifest(prop.project)}}},
                   {"modules", modules},
                   {"licenses", licenses},
                   {"decisions", prop.decisions},
                   {"undecided", undecided}});
        return;
    }
    if (!o.write) {
        std::cout << "# telar.toml\n" << core::renderProjectManifest(prop.project) << "\n";
        for (const auto& m : prop.modules)
            std::cout << "# " << m.id << "/module.toml\n" << core::renderModuleManifest(m) << "\n";
    } else {
        std::cout << "Wrote telar.toml and " << prop.modules.size() << " module.toml file"
                  << (prop.modules.size() == 1 ? "" : "s") << "\n";
    }
    for (const auto& d : prop.decisions) std::cout << "decided: " << d << "\n";
    if (prop.undecided.empty()) {
        std::cout << "Nothing left undecided.\n";
    } else {
        std::cout << "Undecided (" << prop.undecided.size() << "):\n";
        for (const auto& u : prop.undecided) std::cout << "  " << u.kind << ": " << u.message << "\n";
    }
    if (!o.write) std::cout << "Run `telar adopt --write` to write these manifests.\n";
}

} // namespace

void addAdoptCommands(CLI::App& app, Context& ctx) {
    static AdoptOptions o;
    auto* cmd = app.add_subcommand("adopt", "Propose Telar manifests for an existing repository (write them with --write)");
    cmd->add_option("DIR", o.dir, "Repository folder (default: the current folder)");
    cmd->add_flag("--write", o.write, "Write telar.toml and the module.toml files (refused when telar.toml exists)");
    cmd->callback([&ctx] { runAdopt(ctx, o); });
}

} // namespace telar::cli

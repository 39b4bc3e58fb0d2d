// telar-example-gen: creates the example commons (or a synthetic product for benchmarks) as a
// real git repository with a history, a release tag and a fork.
//
//   telar-example-gen OUT_DIR                      the Open Press commons + its fork
//   telar-example-gen OUT_DIR --modules N --parts M   a generated product of N modules, M parts

#include "cad_factory.h"
#include "commons.h"

#include "telar/core/git.h"
#include "telar/core/sha256.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

namespace fs = std::filesystem;
using namespace telar::examplegen;
using telar::core::Repository;
using telar::core::Signature;

namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kStart = 1767603600; // 2026-01-05T09:00:00Z

Signature person(const std::string& who, int64_t day, int64_t minutes = 0) {
    static const std::map<std::string, std::string> emails = {
        {"Amara Okafor", "amara@openpress.example"},
        {"Bruno Silva", "bruno@openpress.example"},
        {"Chen Wei", "chen@openpress.example"},
        {"Dana Kowalski", "dana@fieldfab.example"},
    };
    return Signature{who, emails.at(who), kStart + day * kDay + minutes * 60, 60};
}

void write(const fs::path& file, const std::string& bytes) {
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Writes a module's manifest and CAD files under repo.
void writeModule(const fs::path& repo, const ModuleDef& m) {
    fs::path dir = repo / m.path;
    std::map<std::string, std::string> digests;
    for (const auto& p : m.parts) {
        if (!p.shape) continue;
        std::string bytes = p.stl ? makeStl(*p.shape) : makeStep(*p.shape, p.name);
        write(dir / "cad" / (p.id + (p.stl ? ".stl" : ".step")), bytes);
        digests[p.id] = telar::core::sha256Hex(bytes);
    }
    if (m.assembly) write(dir / m.assembly->file, makeAssemblyStep(m.assembly->name, m.assembly->components));
    std::string toml = moduleToml(m);
    for (const auto& [id, digest] : digests) {
        std::string marker = "@SHA256:" + id + "@";
        if (auto pos = toml.find(marker); pos != std::string::npos) toml.replace(pos, marker.size(), digest);
    }
    write(dir / "module.toml", toml);
}

std::string projectToml(const std::string& name, const std::string& description, const std::vector<std::string>& products,
                        bool reciprocity) {
    std::string t;
    t += "# Telar project manifest: what this design commons is and how it is licensed.\n";
    t += "[project]\n";
    t += "name = \"" + name + "\"\n";
    t += "description = \"" + description + "\"\n";
    t += "license = \"CERN-OHL-S-2.0\"\n";
    t += "licensor = \"Open Press contributors\"\n";
    t += "products = [";
    for (size_t i = 0; i < products.size(); ++i) t += (i ? ", \"" : "\"") + products[i] + "\"";
    t += "]\n";
    if (reciprocity) {
        t += "\n# Who speaks for the commons under the reciprocity licences (PPL, CBRL).\n";
        t += "[reciprocity]\n";
        t += "steward = \"Open Press for-benefit association\"\n";
        t += "contact = \"mailto:stewards@openpress.example\"\n";
        t += "terms = \"https://openpress.example/reciprocity\"\n";
    }
    return t;
}

ModuleDef& find(std::vector<ModuleDef>& ms, const std::string& path) {
    for (auto& m : ms)
        if (m.path == path) return m;
    throw std::logic_error("no module " + path);
}

PartDef& findPart(ModuleDef& m, const std::string& id) {
    for (auto& p : m.parts)
        if (p.id == id) return p;
    throw std::logic_error("no part " + id);
}

std::string commit(Repository& repo, const std::string& message, const Signature& who) {
    auto id = repo.commitAll(message, who);
    if (!id) throw std::logic_error("nothing to commit for: " + message);
    std::cout << "  " << id->substr(0, 7) << "  " << who.name << ": " << message.substr(0, message.find('\n')) << "\n";
    return *id;
}

const char* kReadme = R"(# Open Press

A compressed-earth brick press for local fabrication, published as a Telar design commons.
Modules live in folders with a `module.toml`; `press` is the product a fab builds.

    telar check          # validate manifests, files and licences
    telar bom press      # the bill of materials
)";

void makeOpenPress(const fs::path& out) {
    fs::path dir = out / "open-press";
    if (fs::exists(dir)) throw std::runtime_error(dir.string() + " already exists; choose an empty folder");
    std::cout << "Creating the Open Press commons in " << dir.string() << "\n";
    Repository repo = Repository::init(dir, "main");
    std::vector<ModuleDef> ms = openPressModules();

    write(dir / "telar.toml", projectToml("Open Press", "A compressed-earth brick press", {"press"}, false));
    write(dir / "README.md", kReadme);
    writeModule(dir, find(ms, "frame"));
    commit(repo, "Start the Open Press commons with the frame", person("Amara Okafor", 0));

    writeModule(dir, find(ms, "hopper"));
    commit(repo, "Add the soil hopper under the Peer Production License", person("Amara Okafor", 2));

    writeModule(dir, find(ms, "compression-chamber"));
    commit(repo, "Add the compression chamber", person("Bruno Silva", 5));

    writeModule(dir, find(ms, "hydraulics"));
    commit(repo, "Add the hydraulic power unit", person("Bruno Silva", 7));

    ModuleDef controllerFirst = find(ms, "controller");
    controllerFirst.uses.clear();
    writeModule(dir, controllerFirst);
    commit(repo, "Add the controller and its enclosure assembly", person("Chen Wei", 10));

    writeModule(dir, find(ms, "controller/sensors"));
    writeModule(dir, find(ms, "controller"));
    commit(repo, "Add pressure and limit sensors to the controller", person("Chen Wei", 11));

    writeModule(dir, find(ms, "drawer"));
    commit(repo, "Add the soil drawer", person("Amara Okafor", 15));

    writeModule(dir, find(ms, "wheels"));
    commit(repo, "Add wheels with the hub imported from the Field Cart project", person("Chen Wei", 17));

    writeModule(dir, find(ms, "press"));
    commit(repo, "Add the press product tying the machine together", person("Bruno Silva", 20));

    {
        ModuleDef& frame = find(ms, "frame");
        frame.version = "1.1.0";
        findPart(frame, "side-plate").shape->c = 8;
        writeModule(dir, frame);
        commit(repo, "Thicken the frame side plates to 8 mm after load testing", person("Amara Okafor", 28));
    }
    {
        ModuleDef& controller = find(ms, "controller");
        controller.version = "1.1.0";
        findPart(controller, "relay-module").quantity = 2;
        writeModule(dir, controller);
        commit(repo,
               "Controller 1.1: a second relay module drives the agitator\n\n"
               "Co-authored-by: Bruno Silva <bruno@openpress.example>",
               person("Chen Wei", 31));
    }
    {
        ModuleDef& hydraulics = find(ms, "hydraulics");
        findPart(hydraulics, "hose-assembly").quantity = 4;
        writeModule(dir, hydraulics);
        commit(repo, "Hydraulics: the return line needs a fourth hose", person("Bruno Silva", 35));
    }
    write(dir / "telar.toml", projectToml("Open Press", "A compressed-earth brick press", {"press"}, true));
    std::string release = commit(repo, "Name the reciprocity steward for the PPL and CBRL modules", person("Amara Okafor", 38));
    repo.createTag("v1.0", release, "Open Press 1.0: first release for fabs", person("Amara Okafor", 38, 30));
    std::cout << "  tagged v1.0\n";
    {
        ModuleDef& hopper = find(ms, "hopper");
        hopper.version = "1.1.0";
        findPart(hopper, "hopper-wall").shape->b = 420;
        findPart(hopper, "hopper-end").shape->b = 420;
        writeModule(dir, hopper);
        commit(repo, "Hopper: taller walls hold 20 % more soil", person("Chen Wei", 46));
    }

    // A fork by a field fab that needs wider wheels, with its upstream recorded.
    fs::path forkDir = out / "open-press-fork";
    std::cout << "Forking into " << forkDir.string() << "\n";
    Repository fork = Repository::clone(dir.string(), forkDir);
    std::string upstreamHead = *repo.resolve("HEAD");
    std::string project = read(forkDir / "telar.toml");
    project += "\n# This design is a fork: where it came from.\n[upstream]\n";
    project += "url = \"" + dir.string() + "\"\n";
    project += "commit = \"" + upstreamHead + "\"\n";
    project += "forked = \"2026-03-01T10:00:00Z\"\n";
    write(forkDir / "telar.toml", project);
    commit(fork, "Record the fork of Open Press for the Field Fab", person("Dana Kowalski", 55));
    {
        ModuleDef& wheels = find(ms, "wheels");
        wheels.version = "1.1.0-fieldfab";
        findPart(wheels, "wheel-hub").shape->c = 30;
        findPart(wheels, "wheel-hub").shape->a = 80;
        findPart(wheels, "tyre").name = "Pneumatic tyre 5.00-10 (soft ground)";
        findPart(wheels, "tyre").sku = "TYRE-500-10";
        findPart(wheels, "tyre").unitCost = 34.00;
        writeModule(forkDir, wheels);
        commit(fork, "Wider wheels for soft ground", person("Dana Kowalski", 57));
    }
}

void makeGenerated(const fs::path& out, int modules, int parts) {
    fs::path dir = out / "generated";
    if (fs::exists(dir)) throw std::runtime_error(dir.string() + " already exists; choose an empty folder");
    std::cout << "Generating " << modules << " modules / " << parts << " parts in " << dir.string() << "\n";
    Repository repo = Repository::init(dir, "main");
    auto ms = generatedModules(modules, parts);
    write(dir / "telar.toml", projectToml("Generated machine", "A synthetic product for benchmarks",
                                          {ms.back().path}, true));
    int i = 0;
    for (const auto& m : ms) {
        writeModule(dir, m);
        if (++i % 10 == 0) std::cout << "  " << i << "/" << ms.size() << " modules\n" << std::flush;
    }
    commit(repo, "Generate the product", person("Amara Okafor", 0));
    repo.createTag("v1.0", "HEAD", "Generated release", person("Amara Okafor", 0, 30));
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"Creates Telar's example design commons as real git repositories"};
    std::string out;
    int modules = 0;
    int parts = 0;
    app.add_option("OUT_DIR", out, "Folder to create the repositories in")->required();
    app.add_option("--modules", modules, "Generate a synthetic product with this many modules")->check(CLI::Range(1, 100000));
    app.add_option("--parts", parts, "Number of parts of the synthetic product")->check(CLI::Range(1, 1000000));
    CLI11_PARSE(app, argc, argv);
    silenceOcct();
    try {
        fs::create_directories(out);
        if (modules > 0 || parts > 0) {
            makeGenerated(out, modules > 0 ? modules : 10, parts > 0 ? parts : 100);
        } else {
            makeOpenPress(out);
        }
    } catch (const std::exception& e) {
        std::cerr << "telar-example-gen: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

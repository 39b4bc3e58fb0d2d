#pragma once
// The content of the example commons: modules, parts and the history that builds them.

#include "cad_factory.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace telar::examplegen {

struct Origin {
    std::string source, license, author, retrieved;
};

struct PartDef {
    std::string id, name;
    std::string process, material; // ids from resources/processes.toml and materials.toml
    int quantity = 1;
    std::optional<ShapeSpec> shape; // none for purchased parts
    bool stl = false;               // printed parts are published as STL, others as STEP
    double unitCost = 0;            // purchased parts
    std::string supplier, sku, license;
    std::optional<Origin> origin;
};

struct AssemblyDef {
    std::string file, name, process, material;
    std::vector<Component> components;
    std::vector<std::pair<std::string, std::string>> rules; // match pattern -> process (purchased)
};

struct ModuleDef {
    std::string path, name, version, license, description;
    std::vector<PartDef> parts;
    std::vector<std::pair<std::string, int>> uses;
    std::optional<AssemblyDef> assembly;
};

// The hand-written "Open Press" commons (a compressed-earth brick press).
std::vector<ModuleDef> openPressModules();
// A synthetic product of `modules` modules and `parts` parts in all, for benchmarks.
std::vector<ModuleDef> generatedModules(int modules, int parts);

// module.toml text for a module.
std::string moduleToml(const ModuleDef& m);

} // namespace telar::examplegen

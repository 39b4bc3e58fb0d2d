#pragma once
// The catalogue of fabrication materials and processes that manifests name by id
// (`material = "steel-s235"`, `process = "laser-cut"`). Loaded from resources/materials.toml and
// resources/processes.toml; a fab profile can later override prices and parameters.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::core {

// The forms a material is bought in; processes say which forms they take.
// filament, resin, sheet, plate, bar, tube, block, pcb.
const std::vector<std::string>& materialKinds();

// A fabrication material.
struct Material {
    std::string id;                  // "steel-s235"
    std::string name;                // "Structural steel S235"
    std::vector<std::string> kinds;  // first is the usual form ("plate"), then others it comes in
    double density = 0;              // g/cm³
    double pricePerKg = 0;           // default price, USD per kg
    std::vector<double> thicknesses; // common stock thicknesses in mm (sheet and plate stock)
    std::string notes;

    const std::string& kind() const { return kinds.front(); }
    bool hasKind(std::string_view kind) const;
};

// How a part is made; estimator says which cost/time model the BOM applies:
// print, cut, machine, purchased or labour.
struct Process {
    std::string id;                           // "laser-cut"
    std::string name;                         // "Laser cutting"
    std::string estimator;                    // print | cut | machine | purchased | labour
    std::vector<std::string> accepts;         // material kinds; "*" takes any
    double hourlyRate = 0;                    // default machine or labour rate, USD per hour
    std::map<std::string, double> parameters; // estimator defaults, e.g. infill = 0.2, kerf_mm = 0.2

    // A parameter, or fallback when it is absent.
    double parameter(std::string_view key, double fallback = 0) const;
    // True when this process takes material m (one of m's kinds is accepted).
    bool takes(const Material& m) const;
};

// Materials and processes by id. Cheap to copy; immutable after loading.
class Catalog {
public:
    // An empty catalogue (every lookup fails).
    Catalog() = default;

    // Loads materials.toml and processes.toml from dir. Throws ManifestError (file, line,
    // field) when an entry is invalid, telar::Error when a file cannot be read.
    static Catalog load(const std::filesystem::path& dir);
    // Same from texts; the names are used in error messages.
    static Catalog fromText(std::string_view materialsToml, std::string_view processesToml,
                            const std::string& materialsName = "materials.toml",
                            const std::string& processesName = "processes.toml");
    // The resource folder: dir when given, else $TELAR_RESOURCE_DIR, else the installed one
    // (share/telar beside the program's bin folder, when it exists), else the folder compiled in
    // (the source tree's resources/ for a build tree).
    static std::filesystem::path resourceDir(const std::filesystem::path& dir = {});
    // load(resourceDir(dir)).
    static Catalog loadDefault(const std::filesystem::path& dir = {});

    // Lookups: nullopt when the id is unknown (see the suggest functions).
    std::optional<Material> material(std::string_view id) const;
    std::optional<Process> process(std::string_view id) const;
    // Known ids close to an unknown one (typos, or names containing it), best first, up to 3.
    std::vector<std::string> suggestMaterials(std::string_view id) const;
    std::vector<std::string> suggestProcesses(std::string_view id) const;

    const std::vector<Material>& materials() const { return m_materials; }
    const std::vector<Process>& processes() const { return m_processes; }

private:
    std::vector<Material> m_materials;
    std::vector<Process> m_processes;
};

} // namespace telar::core

#pragma once
// Open Know-How manifests (DESIGN.md §9): export of a design as an OKH-LOSH `okh.toml`, and
// import of OKH-LOSH TOML and OKH v1 YAML manifests into Telar manifests, reporting the paths
// they name that do not exist and every field that has no Telar counterpart. The mapping is
// documented in docs/okh.md.

#include "telar/core/bom.h"
#include "telar/core/design.h"
#include "telar/core/manifest.h"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace telar::core {

// ---- export -------------------------------------------------------------------------------

// What an export knows beyond the design.
struct OkhExportOptions {
    std::string repoUrl;  // `repo`; left out when empty
    std::string version;  // `version`; default: the first product module's version
    std::string bomPath;  // `bom` (e.g. "bom/bom.csv" inside a package); left out when empty
    std::string readme;   // `readme`; left out when empty
    const Bom* bom = nullptr; // mass, parts, sources; without it parts come from the manifests
    // Fabrication files per BOM line ("module/partId" → paths), listed as the part's `export`.
    std::map<std::string, std::vector<std::string>> exports;
};

// The OKH-LOSH TSDC code for a catalogue process id: 3DP, LAS, CNC, PCB, WEL, STD or MEC.
std::string okhTsdc(std::string_view process);

// The text of an OKH-LOSH okh.toml for the design (keys in a fixed order, ending in a newline).
// Never throws.
std::string formatOkhToml(const Design& design, const OkhExportOptions& options = {});

// ---- import -------------------------------------------------------------------------------

// How to read a manifest.
struct OkhImportOptions {
    // YAML only: accept what a tolerant reader can make of malformed YAML (unindented
    // continuation lines, inconsistent indentation) and list it in `skipped`, instead of failing
    // at the first such line.
    bool lenient = false;
};

// What an import made of a manifest.
struct OkhImport {
    std::string format;          // "OKH-LOSH" or "OKH v1"
    ProjectManifest project;     // name, description, licence, licensor, products
    ModuleManifest module;       // one module (id = slug of the name) with the manifest's parts
    std::vector<std::string> missingPaths; // referenced local paths that do not exist, as written, sorted
    std::vector<std::string> unmapped;     // "field: why" for what has no Telar counterpart
    std::vector<std::string> skipped;      // lenient YAML: "line N: what was done"
};

// Reads an OKH-LOSH .toml or OKH v1 .yml/.yaml file (chosen by extension, then content). Paths
// in it are resolved against the file's folder (a leading '/' means that folder); URLs are not
// checked. Parts whose source or export is a CAD file Telar reads get that file; others keep
// their sources in notes. Throws ManifestError "file:line:col: reason" for a file that is not
// valid TOML or (unless lenient) not valid YAML, telar::Error when it cannot be read.
OkhImport importOkh(const std::filesystem::path& file, const OkhImportOptions& options = {});

// Writes telar.toml and <module>/module.toml for an import into dir (created when missing).
// Part files are rewritten relative to the module folder; parts whose file lies outside dir
// lose it (kept in notes). Throws UsageError when dir already holds telar.toml, ManifestError
// when the result would not be valid, telar::Error when writing fails.
void writeOkhImport(const OkhImport& import, const std::filesystem::path& sourceDir,
                    const std::filesystem::path& dir);

// ---- a small YAML reader ------------------------------------------------------------------

// A YAML node of the block subset OKH v1 manifests use: mappings, sequences, plain and quoted
// scalars, flow sequences of scalars ("[a, b]"), comments.
struct YamlNode {
    enum class Kind { Null, Scalar, Sequence, Mapping } kind = Kind::Null;
    std::string scalar;
    std::vector<YamlNode> items;                          // Sequence
    std::vector<std::pair<std::string, YamlNode>> fields; // Mapping, in file order
    int line = 0;                                         // 1-based line where it starts

    // The value of key in a mapping, or nullptr.
    const YamlNode* find(std::string_view key) const;
};

// Parses YAML text. Strict (default): throws ManifestError{file, line, column, "", reason} at the
// first line outside the subset or not valid YAML. Lenient: reads on and appends
// "line N: …" to skipped for each such line. Never crashes on any input.
YamlNode parseYaml(std::string_view text, const std::string& file, bool lenient = false,
                   std::vector<std::string>* skipped = nullptr);

} // namespace telar::core

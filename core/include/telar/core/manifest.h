#pragma once
// The two manifests of a design repository, as plain structs: `telar.toml` at the root
// (ProjectManifest) and `module.toml` in every module folder (ModuleManifest), with parsers that
// never throw on bad input. Every problem becomes a Diagnostic naming file, line, column and the
// field path, e.g. "frame/module.toml:12:12: part[2].quantity: must be a positive integer, got 0".
//
// Field paths are dotted, with 1-based indexes for arrays of tables in file order:
// `module.name`, `part[2].quantity`, `part[1].origin.sha256`, `assembly[1].rule[2].match`,
// `use[3].module`, `lineage[1].commit`, `license[1].id`, `project.products[2]`.
// The full format is documented in docs/manifest-format.md.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::core {

// A 1-based position in a manifest's text; 0 means unknown.
struct SourcePos {
    int line = 0;
    int column = 0;
};

// Where a record came from: its table's position, its field-path prefix ("part[2]") and the
// positions of the values it holds (keyed by field name), so later checks can point at them.
struct SourceInfo {
    SourcePos pos;
    std::string path;
    std::map<std::string, SourcePos> fieldPos;

    // The position of field's value, or of the table itself when the field is absent.
    SourcePos at(std::string_view field) const;
    // The field path of one of this record's fields: "part[2]" + "quantity" → "part[2].quantity".
    std::string fieldPath(std::string_view field) const;
};

enum class Severity { Error, Warning };

// One finding about a manifest or a design. hint says what to do about it.
struct Diagnostic {
    Severity severity = Severity::Error;
    std::string file;  // repository-relative path of the manifest ("frame/module.toml")
    int line = 0;      // 1-based; 0 when unknown
    int column = 0;    // 1-based; 0 when unknown
    std::string field; // dotted field path; empty for file-level problems (syntax errors)
    std::string message;
    std::string hint;

    // "file:line:column: field: message" (positions and field left out when unknown).
    std::string str() const;
};

// True when diags holds at least one Error.
bool hasErrors(const std::vector<Diagnostic>& diags);

// Sorts diagnostics by file, then line, then column, keeping the order of equal positions.
void sortDiagnostics(std::vector<Diagnostic>& diags);

// ---- telar.toml ---------------------------------------------------------------------------

// Where a fork came from ([upstream]) or an older ancestor ([[lineage]]).
struct Upstream {
    std::string url;
    std::string commit; // 40 lower-case hex digits
    std::string forked; // ISO 8601 date or date-time, as written (TOML dates are rendered ISO)
    SourceInfo source;
};

// Who speaks for the commons under a reciprocity licence.
struct Reciprocity {
    std::string steward;
    std::string contact;
    std::string terms;
    SourceInfo source;
};

// A licence the project declares itself ([[license]]), usable as `LicenseRef-…` in expressions.
struct DeclaredLicense {
    std::string id; // must start with "LicenseRef-"
    std::string name;
    bool attribution = true;
    std::string shareAlike = "none"; // none | file | design
    bool sourceDisclosure = false;
    std::string commercial = "free"; // free | reciprocity | forbidden
    bool derivatives = true;
    bool oshwaCompatible = false;
    std::string summary;
    SourceInfo source;
};

// The root manifest of a design repository.
struct ProjectManifest {
    std::string name;
    std::string description;
    std::string license; // default SPDX expression for modules that name none
    std::string licensor;
    std::vector<std::string> products; // module ids a fab builds
    std::vector<SourcePos> productPos; // position of each products entry
    std::optional<Upstream> upstream;
    std::vector<Upstream> lineage;
    std::optional<Reciprocity> reciprocity;
    std::vector<DeclaredLicense> licenses;
    SourceInfo source; // of the [project] table

    // The ids of the declared licences (for licence expression checks).
    std::vector<std::string> declaredLicenseIds() const;
};

// ---- module.toml --------------------------------------------------------------------------

// Where imported geometry came from ([part.origin]).
struct Origin {
    std::string source;
    std::string license;
    std::string author;
    std::string retrieved; // ISO 8601 date or date-time
    std::string sha256;    // 64 lower-case hex digits, or empty
    SourceInfo info;
};

// One part of a module ([[part]]).
struct Part {
    std::string id; // unique in the module: [a-z0-9][a-z0-9._-]*
    std::string name;
    std::string file;         // as written: relative to the module folder
    std::string filePath;     // repository-relative, normalised; empty when no file or unsafe
    std::string resolvedPath; // filePath after symbolic links (set by loadDesign)
    std::string material;
    std::string process;
    std::int64_t quantity = 1;
    std::optional<double> unitCost;
    std::string currency;
    std::string supplier;
    std::string sku;
    std::string license; // empty: the module's licence applies
    std::string notes;
    std::optional<Origin> origin;
    SourceInfo source;
};

// A name pattern inside an assembly that overrides process and/or material.
struct AssemblyRule {
    std::string match; // glob: '*' any run, '?' one character
    std::string process;
    std::string material;
    SourceInfo source;
};

// A multi-part CAD file expanded by its product structure ([[assembly]]).
struct Assembly {
    std::string file;
    std::string filePath;     // repository-relative, normalised; empty when unsafe
    std::string resolvedPath; // after symbolic links (set by loadDesign)
    std::string process;
    std::string material;
    std::string license;
    std::vector<AssemblyRule> rules;
    SourceInfo source;
};

// A sub-module used by this module ([[use]]).
struct Use {
    std::string module; // module id (folder path relative to the root)
    std::int64_t quantity = 1;
    SourceInfo source;
};

// The manifest of one module.
struct ModuleManifest {
    std::string id; // the module folder, relative to the repository root ("axes/x")
    std::string name;
    std::string version;
    std::string license;
    std::string description;
    std::vector<Part> parts;
    std::vector<Assembly> assemblies;
    std::vector<Use> uses;
    SourceInfo source; // of the [module] table

    // The part with this id, or nullptr. The pointer is valid while the manifest is unchanged.
    const Part* findPart(std::string_view partId) const;
};

// ---- parsing ------------------------------------------------------------------------------

// Parses telar.toml. file is the name used in diagnostics. Never throws on bad content: every
// problem is appended to diags and whatever could be read is returned. The project licence
// and declared licences are checked here (the declared ids count as known).
ProjectManifest parseProjectManifest(std::string_view text, const std::string& file,
                                     std::vector<Diagnostic>& diags);

// Parses a module.toml of module moduleId (its folder, used to resolve `file` paths). Licence
// expressions are checked against the catalogue plus extraLicenseIds (the project's
// declared licences). Never throws on bad content.
ModuleManifest parseModuleManifest(std::string_view text, const std::string& file,
                                   const std::string& moduleId, std::vector<Diagnostic>& diags,
                                   const std::vector<std::string>& extraLicenseIds = {});

// ---- small shared rules -------------------------------------------------------------------

// True for ids of parts and path components of module ids: [a-z0-9][a-z0-9._-]*.
bool isValidId(std::string_view id);
// True for a module id: a folder path relative to the root, components joined by '/', none
// empty or starting with '.', without backslashes or control characters ("axes/x", "Frame").
bool isValidModuleId(std::string_view id);
// Checks a licence expression; nullopt when valid, else a one-line reason. A `LicenseRef-…`
// not in extraIds and not in the catalogue is reported as undeclared.
std::optional<std::string> checkLicense(std::string_view expr, const std::vector<std::string>& extraIds);
// Candidates close to word by edit distance (typos), best first, at most max of them.
std::vector<std::string> closestMatches(std::string_view word, const std::vector<std::string>& candidates,
                                        std::size_t max = 1);
// " (did you mean 'x'?)" for the closest candidate, or "" when none is close.
std::string didYouMean(std::string_view word, const std::vector<std::string>& candidates);

} // namespace telar::core

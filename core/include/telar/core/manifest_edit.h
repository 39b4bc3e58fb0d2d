#pragma once
// Writing manifests without losing what people wrote. Edits patch the original text at the
// positions the TOML parser reports and insert new blocks next to their kind, so comments, key
// order and formatting outside the edited span stay byte-for-byte the same; a whole file is
// never re-serialised. Every edit re-parses its result and refuses (ManifestError) to produce
// a manifest with errors; an edit of a manifest that already has errors is refused too — a bad
// manifest is never rewritten into something else. Files are written atomically.

#include "telar/core/manifest.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace telar::core {

// A value to write: a string, an integer, a float, a boolean or an array of strings.
using FieldValue = std::variant<std::string, std::int64_t, double, bool, std::vector<std::string>>;

// The TOML text of a value ("\"text\"", "2", "0.12", "true", "[\"a\", \"b\"]").
std::string renderValue(const FieldValue& value);

// The text of a new telar.toml / module.toml holding the given fields (empty fields and
// default values are left out). Does not validate.
std::string renderProjectManifest(const ProjectManifest& project);
std::string renderModuleManifest(const ModuleManifest& module);

// Writes repoDir/telar.toml for project. Throws UsageError when the file exists, ManifestError
// when the result would not be valid, telar::Error when writing fails.
void createProjectManifest(const std::filesystem::path& repoDir, const ProjectManifest& project,
                           const std::vector<std::string>& extraLicenseIds = {});
// Writes repoDir/<module.id>/module.toml (creating the folder). Throws UsageError when the id
// is not a valid module id or the file exists, ManifestError when the result would not be
// valid, telar::Error when writing fails.
void createModuleManifest(const std::filesystem::path& repoDir, const ModuleManifest& module,
                          const std::vector<std::string>& extraLicenseIds = {});

// In the functions below, file is the manifest's repository-relative path ("frame/module.toml",
// "telar.toml"): it names the file in messages, tells a project manifest from a module manifest
// and gives the module id (its folder). extraLicenseIds are the project's declared LicenseRef ids.

// Adds a [[part]] block after the last part (or at the end). Returns the new text. Throws
// ManifestError when the text or the result is invalid (e.g. a duplicate id).
std::string appendPart(std::string_view text, const std::string& file, const Part& part,
                       const std::vector<std::string>& extraLicenseIds = {});
// Adds a [[use]] block after the last use (or at the end). Same rules as appendPart.
std::string appendUse(std::string_view text, const std::string& file, const Use& use,
                      const std::vector<std::string>& extraLicenseIds = {});

// Sets key in one table: replaces the value in place when the key exists, else adds a line
// after the table's last line (creating the table at the end of the file when a plain table
// such as [upstream] is absent). tablePath names the table:
//   "module", "project", "upstream", "reciprocity"      plain tables
//   "part[side-plate]", "use[axes/x]", "assembly[cad/gearbox.step]", "license[LicenseRef-X]"
//   "lineage[2]"                                        arrays of tables, by key (lineage: 1-based index)
//   "part[side-plate].origin"                           a sub-table (created when absent)
// Throws UsageError when the table does not exist and cannot be created or is written with
// dotted keys, ManifestError when the text or the result is invalid.
std::string setField(std::string_view text, const std::string& file, std::string_view tablePath,
                     std::string_view key, const FieldValue& value,
                     const std::vector<std::string>& extraLicenseIds = {});
// Sets several keys of one table in one edit, validated once at the end (e.g. a new [upstream]
// needs url and commit together). Same rules and errors as setField.
std::string setFields(std::string_view text, const std::string& file, std::string_view tablePath,
                      const std::vector<std::pair<std::string, FieldValue>>& fields,
                      const std::vector<std::string>& extraLicenseIds = {});

// Replaces path with text atomically: writes a temporary file in the same folder, flushes it
// to disk (fsync), keeps the old file's permissions and renames it over path. On any failure
// the temporary file is removed, the original is untouched, and telar::Error is thrown.
void writeFileAtomically(const std::filesystem::path& path, std::string_view text);

} // namespace telar::core

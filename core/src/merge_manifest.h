#pragma once
// Private to telar::core: the structural three-way merge of one manifest (telar.toml or a
// module.toml). Tables are records; arrays of tables are records keyed by their natural key
// (part → id, use → module, assembly → file, license → id, lineage → commit, rule → match).
// Fields are compared base/ours/theirs by value. The merged text is OUR text patched line by
// line (lines of theirs copied verbatim), so comments and order of ours survive.
// In telar.toml, [upstream] and [[lineage]] describe the repository they are in: they always
// stay ours (added, removed or changed on their side alike), with no conflict.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace telar::core::detail {

// One step of a path to a table: a key, and for an array of tables the element's key.
struct TableStep {
    std::string name;    // "part", "origin", "module", "upstream"
    std::string element; // element key for arrays of tables ("side-plate"); empty for plain tables
    bool isElement = false;
};
using TablePath = std::vector<TableStep>;

// "part[side-plate].origin", "module", "" for the root.
std::string tablePathText(const TablePath& path);

// A conflict inside one manifest. key is empty for a record-level conflict (deleted on one
// side, changed on the other); table locates the record.
struct ManifestConflict {
    std::string kind;  // field | part | use | file
    std::string part;  // part id, used module id (kind use) or assembly file; empty otherwise
    std::string field; // "quantity", "origin.license", "module.version", "upstream"
    std::string base, ours, theirs; // display values; "" when absent
    std::string message;
    TablePath table;
    std::string key;
};

// The result of merging one manifest. text is what goes into the working tree (ours where
// conflicts remain). structural is false when the texts could not be merged record by record
// (a syntax error, duplicate keys, dotted-key tables): text is then ours and one `file`
// conflict says why.
struct ManifestMerge {
    std::string text;
    std::vector<ManifestConflict> conflicts;
    bool structural = true;
};

// Merges theirs into ours with base as the common ancestor (nullopt: added on both sides).
// file is the repository-relative path ("frame/module.toml", "telar.toml"). Never throws for
// bad content.
ManifestMerge mergeManifestText(const std::optional<std::string>& base, const std::string& ours,
                                const std::string& theirs, const std::string& file);

// Applies theirs' version of one field (key non-empty) or one whole record (key empty) at table
// in theirs to current: replaces, adds or removes lines of current. Throws UsageError when
// current or theirs cannot be read or the record's parent is missing in current.
std::string applyTheirs(const std::string& current, const std::string& theirs, const TablePath& table,
                        const std::string& key, const std::string& file);

} // namespace telar::core::detail

#pragma once
// Bringing geometry from elsewhere into a module (`telar import`, DESIGN.md §7): the file is
// copied into the repository and recorded as a new [[part]] with its [part.origin] — source,
// licence, author, retrieval date and the SHA-256 of the imported bytes — after the licence
// library has confirmed that the module's licence can honour the origin licence. Nothing is
// written unless every check passes. Format: docs/provenance.md (import) and
// docs/manifest-format.md ([part.origin]).

#include "telar/core/manifest.h"
#include "telar/error.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace telar::core {

// What to import and how to record it.
struct ImportRequest {
    std::filesystem::path file; // the file to bring in, anywhere on disk
    std::string module;         // module id ("frame", "axes/x"); a trailing '/' is ignored
    std::string source;         // where it came from (URL, catalogue reference); required
    std::string license;        // SPDX expression of the imported geometry; required
    std::string author;         // who made it; required
    std::string retrieved;      // YYYY-MM-DD; empty: today (local time)
    std::string partId;         // empty: partIdFromFileName(file)
    std::string name;           // empty: the file name without its extension
    std::int64_t quantity = 1;
    std::string process;  // process id of the catalogue; may be empty
    std::string material; // material id of the catalogue; may be empty
    // Where to put the copy: repository-relative ("frame/cad/plate.step") or absolute inside
    // repoDir; a path ending in '/' or naming an existing folder receives the file under its
    // own name. Empty: the module's folder, under the file's own name.
    std::string to;
};

// What was imported.
struct ImportResult {
    std::string module;               // the module id
    std::string manifest;             // the edited manifest, repository-relative ("frame/module.toml")
    std::string path;                 // the copy, repository-relative ("frame/cad/plate.step")
    Part part;                        // the part as written (file relative to the module folder, origin set)
    std::string workLicense;          // the licence the origin was checked against (module's, else project's)
    std::vector<std::string> effects; // what including the geometry adds to the module, in plain words
    std::uintmax_t size = 0;          // bytes copied
};

// Refusal to import because the module's licence cannot honour the origin licence (or the
// module has no licence to check against). what() gives the reason and what to do.
class ImportRefused : public Error {
public:
    using Error::Error;
};

// Copies request.file into the repository whose working folder is repoDir and appends the part
// with its origin record to the module's module.toml (atomic write, formatting kept). The origin
// licence is stored normalised; the retrieval date defaults to today.
// Throws, before anything is written:
//   UsageError      missing or empty fields, a file that does not exist or is not a regular
//                   file, an unknown module, an invalid module or part id, a part id the module
//                   already has, an unparsable or unknown SPDX expression (with its column), a
//                   date that is not a real YYYY-MM-DD, an unknown material or process, a
//                   quantity out of range, a target that exists or lies outside the repository
//   ImportRefused   the module's licence (its own, else the project's) cannot include the origin
//                   licence as the library judges it (license::checkInclusion, unmodified), or
//                   there is no licence to check against
//   ManifestError   telar.toml or the module.toml has errors (a bad manifest is never rewritten)
//   LicenseError    the project's [[license]] declarations cannot be used
//   telar::Error    reading or writing fails; a copied file is removed again when the manifest
//                   cannot be written, so a failed import leaves the tree as it was.
ImportResult importGeometry(const std::filesystem::path& repoDir, const ImportRequest& request);

// The part id importGeometry derives from a file name: the name without its extension, lower
// case, every run of characters other than letters, digits and '.' turned into one '-', leading
// and trailing '-' and '.' removed ("Side Plate v2.STEP" → "side-plate-v2",
// "Middle_Clip_x9.stl" → "middle-clip-x9"). May be empty.
std::string partIdFromFileName(const std::filesystem::path& file);

} // namespace telar::core

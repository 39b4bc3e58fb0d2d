#pragma once
// Fabrication packages (DESIGN.md §9): everything a local fab needs to build a product from one
// revision for its own machines — per-part fabrication files (STL for printed parts, the
// original STEP for machined and cut parts), the BOM as CSV, XLSX, JSON and HTML, attribution
// notices, the licence list, the licence verdict for that fab, an OKH-LOSH okh.toml, a README
// and SHA256SUMS. The same inputs give byte-identical output: sorted entries, fixed timestamps.
// Layout and formats: docs/package.md.

#include "telar/core/bom.h"
#include "telar/core/catalog.h"
#include "telar/core/design.h"
#include "telar/core/fab_profile.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/git.h"
#include "telar/core/tree.h"
#include "telar/progress.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace telar::core {

// One file inside a package: its '/'-separated relative path and its bytes.
struct PackageFile {
    std::string path;
    std::string bytes;
};

// The fabrication file made for one BOM line.
struct FabricationFile {
    std::string module;
    std::string partId;
    std::string name;
    std::string process;
    std::int64_t quantity = 0;
    std::string path;   // inside the package ("parts/frame/side-plate.step"); empty when none
    std::string source; // repository-relative file it was made from
    std::string note;   // why there is no file, or what the file holds
};

// What to put in a package.
struct PackageOptions {
    const FabProfile* fab = nullptr; // required; not owned
    std::vector<std::string> roots;  // modules to build; empty: the project's products
    std::string version;             // release label for README and okh.toml (default: the tree's name)
    std::string repoUrl;             // for okh.toml `repo`
    std::int64_t timestamp = 0;      // unix seconds stamped in the XLSX and CycloneDX (e.g. commit time)
    double deflection = 0.05;        // mm, chordal deflection of STL tessellation
};

// A package in memory.
struct Package {
    std::vector<PackageFile> files;         // sorted by path; SHA256SUMS covers all others
    std::vector<FabricationFile> fabrication; // in BOM line order
    Bom bom;
    std::vector<std::string> warnings;      // e.g. a part that could not be tessellated

    // The file at path, or nullptr.
    const PackageFile* find(std::string_view path) const;
};

// Builds the package of design (read from tree) for options.fab. Throws UsageError without a fab
// or for an unknown root, telar::Error when a package path would escape the package,
// telar::Cancelled when cancelled, and what computeBom throws. Problems of single parts (a CAD
// file that cannot be tessellated) become warnings, BOM errors stay in the BOM files.
Package buildPackage(const Design& design, const Tree& tree, const Catalog& catalog, GeometryCache& cache,
                     const PackageOptions& options, const Progress& progress = {});

// True for a path that stays inside a package: relative, '/'-separated, no empty, "." or ".."
// component, no backslash, colon or control character.
bool isSafePackagePath(std::string_view path);

// Writes the package to out: a .zip file when out ends in ".zip", else a folder. Atomic: written
// to a temporary sibling and renamed into place, so a failure leaves nothing half-written.
// Throws UsageError when out exists (a folder that is not empty, or a file), telar::Error on I/O
// failure.
void writePackage(const std::vector<PackageFile>& files, const std::filesystem::path& out);

// The bytes of a zip archive of files (deflated, entries in the given order, every timestamp
// 1980-01-01 12:00, mode 0644): the same files give the same bytes. Throws telar::Error when
// libzip fails or a path is unsafe.
std::string zipBytes(const std::vector<PackageFile>& files);

// The entries of a zip archive, in archive order. Throws telar::Error when it cannot be read.
std::vector<PackageFile> readZip(const std::filesystem::path& file);

// The text of SHA256SUMS for files (sha256sum format: "<hex>  <path>\n", sorted by path).
std::string sha256Sums(const std::vector<PackageFile>& files);

// ---- getting a revision from a remote without its history --------------------------------

// How a remote revision was fetched.
struct FetchedRevision {
    Repository repository; // a bare repository in a temporary folder
    std::string rev;       // what to read: the tag name, or a ref for the remote HEAD
    std::string commitId;
    bool shallow = false;  // true when only that revision was fetched (git --depth 1)
    std::string notice;    // what was done, for the user
};

// Fetches tag (or the remote's HEAD when empty) of url into dir (an empty or missing folder).
// With a `git` executable on PATH: `git init --bare` and `git fetch --depth 1 url tag`, so only
// the objects of that revision are transferred. Without one: a full clone through libgit2
// (libgit2 1.5 cannot fetch shallow), with a notice saying so. Throws GitError when the remote
// or the tag cannot be read, telar::Cancelled when cancelled.
FetchedRevision fetchRevision(const std::string& url, const std::string& tag, const std::filesystem::path& dir,
                              const Progress& progress = {});

} // namespace telar::core

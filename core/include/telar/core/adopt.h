#pragma once
// `telar adopt`: proposing Telar manifests for an existing repository that has none. Modules come
// from folders holding CAD files (module id = the folder path), parts from the CAD files
// (STEP/STP, IGES/IGS, STL, 3MF in any case), quantities and accent colours from Voron's file
// naming (`[a]_Railstops_x5.stl`), processes from the file type (meshes → fdm-print; STEP/IGES
// are left unset and listed as undecided), licences from LICENSE/COPYING files, a LICENSES/
// folder, REUSE (REUSE.toml, .reuse/dep5) and an OKH manifest. What could not be decided is
// listed, never guessed silently. See docs/adopt.md.

#include "telar/core/manifest.h"

#include <filesystem>
#include <string>
#include <vector>

namespace telar::core {

// Something adopt could not decide on its own.
struct AdoptUndecided {
    std::string kind;    // "license", "process", "twin", "quantity"
    std::string path;    // repository-relative file or folder it is about ("" for the project)
    std::string message; // in plain words, with what to do about it
};

// A licence found in the repository.
struct AdoptLicense {
    std::string file;                      // where: "LICENSE", "LICENSES/cern_ohl_w_v2.txt", ".reuse/dep5"
    std::string id;                        // SPDX id or expression; empty when not recognised
    std::vector<std::string> alternatives; // what else it may mean
    std::string ambiguity;                 // why it is not certain; empty when certain
    std::string kind;                      // catalogue kind: hardware, content, software…; may be empty
};

// What adopt proposes for a repository.
struct AdoptProposal {
    ProjectManifest project;
    std::vector<ModuleManifest> modules;     // sorted by id
    std::vector<AdoptLicense> licenses;      // every licence found, in the order read
    std::vector<AdoptUndecided> undecided;   // what a person has to decide
    std::vector<std::string> decisions;      // what adopt decided, in words ("project licence …")
};

// Reads the repository at dir (never writes). Throws UsageError when dir is not a folder.
AdoptProposal proposeAdoption(const std::filesystem::path& dir);

// The sanitised form of one file-name or folder component as an id: lower case,
// [a-z0-9._-], other characters replaced by '-', starting with a letter or digit ("part" when
// nothing is left).
std::string adoptSanitizeId(std::string_view text);

// What a CAD file name says under Voron's convention: the name without "[a]_" and "_xN", the
// quantity (0 when the name carries none) and whether it is an accent-colour part.
struct AdoptFileName {
    std::string stem;
    long long quantity = 0;
    bool accent = false;
};
AdoptFileName parseAdoptFileName(std::string_view fileName);

// Writes the proposal's module.toml files and then telar.toml, each atomically. Throws
// UsageError when dir/telar.toml (or a module.toml) already exists, ManifestError when a
// manifest would not be valid.
void writeAdoption(const std::filesystem::path& dir, const AdoptProposal& proposal);

} // namespace telar::core

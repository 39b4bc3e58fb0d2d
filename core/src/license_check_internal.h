#pragma once
// Shared between the license_check*.cpp files; not part of the public API.

#include "telar/core/license_check.h"

#include <string>
#include <vector>

namespace telar::core::detail {

// The design's licence catalogue. With findings: an invalid [[license]] declaration becomes an
// `invalid-licence` finding and is skipped; without: it throws LicenseError naming telar.toml.
license::Catalog buildCatalog(const ProjectManifest& project, std::vector<LicenseFinding>* findings);

// The licence expressions of one module's material, each once: the module's licence, its parts'
// and assemblies' effective licences, its origins' licences.
std::vector<std::string> materialOf(const Design& design, const ModuleManifest& m);

} // namespace telar::core::detail

#pragma once
// The BOM as a CycloneDX 1.5 JSON document for supply-chain tools: the product as the metadata
// component, every module as a "device" component holding its parts, licences as SPDX
// expressions, the fork chain of the design ([upstream], [[lineage]]) as the product's pedigree
// ancestors, and imported geometry ([part.origin]) as the pedigree of its part. Deterministic:
// the serial number is derived from the content and the timestamp is given by the caller.

#include "telar/core/bom.h"
#include "telar/core/design.h"

#include <cstdint>
#include <string>

namespace telar::core {

// What the document says about itself.
struct CycloneDxOptions {
    std::int64_t timestamp = 0; // unix seconds for metadata.timestamp (e.g. the commit time); 0: left out
    std::string version;        // product version (default: the product module's version)
};

// The CycloneDX JSON text (indented, ending in a newline). Never throws.
std::string formatBomCycloneDx(const Bom& bom, const Design& design, const CycloneDxOptions& options = {});

} // namespace telar::core

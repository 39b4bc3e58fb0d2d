#pragma once
// A fab profile (`fab.toml`): what one local fabrication workshop has — its machines with their
// sizes and hourly rates, its material prices and currency, and what kind of organisation it is
// (which licence verdicts depend on). The BOM uses it to say per part whether this fab can make
// it and what it costs there. The format is documented in docs/fab-profile.md; two examples are
// in resources/fabs/.
//
//   [fab]           name, currency ("EUR"), usd_rate (currency units per USD), labour_rate
//   [organisation]  kind (individual|nonprofit|cooperative|for-profit), contributes, purpose
//   [[machine]]     process, name, hourly_rate, build_volume = [x, y, z], bed = [x, y], max_thickness
//   [materials]     <material-id> = price per kg in the fab's currency

#include "telar/core/manifest.h"

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::core {

class Catalog;

// One machine (or work station) of a fab, for one process id of the catalogue.
struct FabMachine {
    std::string process;      // catalogue process id ("fdm-print", "laser-cut")
    std::string name;         // "Prusa MK4"; defaults to the process id
    double hourlyRate = 0;    // in the fab's currency; 0 = the catalogue rate converted
    std::optional<std::array<double, 3>> buildVolume; // mm x,y,z for printers, mills
    std::optional<std::array<double, 2>> bed;         // mm for cutters, sheet size
    double maxThickness = 0;  // mm, cutters; 0 = unlimited
};

// A local fab as described by its fab.toml.
struct FabProfile {
    std::string name;
    std::string currency = "USD";
    double usdRate = 1.0;              // currency units per USD, converts catalogue prices
    std::string organisation;          // individual|nonprofit|cooperative|for-profit
    bool contributes = false;          // gives back to the commons (reciprocity)
    std::string purpose = "non-commercial"; // personal|non-commercial|commercial
    double labourRate = 0;             // per hour in currency; 0 = catalogue rates converted
    std::vector<FabMachine> machines;  // in file order
    std::map<std::string, double> materialPrices; // per kg in currency, by material id
    std::string file;                  // where it was read from (for messages)
};

// Parses the text of a fab profile. file is the name used in diagnostics and stored in the
// result. Never throws on bad content: every problem is appended to diags as
// "file:line:col: field: message" (unknown fields get a did-you-mean) and whatever could be
// read is returned. Process and material ids are only checked for form here.
FabProfile parseFabProfile(std::string_view text, const std::string& file, std::vector<Diagnostic>& diags);

// Same, and also checks that machine processes and priced materials exist in catalog
// (unknown ids are errors with a did-you-mean).
FabProfile parseFabProfile(std::string_view text, const std::string& file, std::vector<Diagnostic>& diags,
                           const Catalog& catalog);

// Reads and parses a fab profile file, checking ids against Catalog::loadDefault().
// Throws ManifestError with the first error, telar::Error when the file cannot be read.
FabProfile loadFabProfile(const std::filesystem::path& file);

} // namespace telar::core

#pragma once
// Per-part fabrication estimates (material used, machine time, cost) by the estimator of the
// part's process — print, cut, machine, labour, purchased — and the make/buy decision for a fab
// profile (is the process there, does the part fit a machine). Pure functions of their inputs.
// The models and their assumptions are documented in docs/bom.md.

#include "telar/core/catalog.h"
#include "telar/core/fab_profile.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace telar::core {

// What the estimators need of a part's geometry (one unit).
struct PartGeometry {
    double volume = 0;                // mm³
    double area = 0;                  // mm²
    std::array<double, 3> size{};     // oriented (stock) box edges, mm, sorted descending
};

// The result of one estimator for one unit of a part. Fields not used by the estimator are 0.
struct Estimate {
    std::string estimator; // print | cut | machine | purchased | labour
    // print: material deposited (shells solid, interior at the infill fraction) and filament
    double printedVolume = 0;  // mm³
    double filamentLength = 0; // m (0 for resin)
    // cut: sheet thickness (smallest side), sheet rectangle used incl. margin, cut path length
    double thickness = 0;  // mm
    double sheetArea = 0;  // mm²
    double cutLength = 0;  // mm
    // machine: stock block from the oriented box plus allowance, and what is removed from it
    std::array<double, 3> stock{}; // mm
    double stockVolume = 0;        // mm³
    double removedVolume = 0;      // mm³
    // all estimators
    double materialMass = 0;      // g of material consumed (print: deposited; cut: sheet; machine: stock)
    double hours = 0;             // machine or labour time
    double pricePerKg = 0;        // material price used, in the BOM currency
    double hourlyRate = 0;        // rate used, in the BOM currency
    double materialCost = 0;      // materialMass × pricePerKg
    double timeCost = 0;          // hours × hourlyRate
    std::vector<std::string> warnings; // assumptions the estimate had to break (non-stock thickness…)

    double unitCost() const { return materialCost + timeCost; }
};

// Whether a fab can make a part, and how.
struct FabDecision {
    std::string status;  // make | buy | outsource
    std::string reason;  // "purchased part", "no laser-cut machine", "does not fit 250×210×220 build volume"
    std::string machine; // the machine that makes it (status make)
    double hourlyRate = 0; // that machine's rate in the fab currency (0 = not given)
};

// Estimates one unit of a part made by process from material (nullptr when unknown or not
// needed) with geometry (nullptr when there is no CAD file: material and time are then 0 except
// for labour). pricePerKg and hourlyRate are in the BOM currency. Never throws.
Estimate estimatePart(const Process& process, const Material* material, const PartGeometry* geometry,
                      double pricePerKg, double hourlyRate);

// Decides make/buy/outsource for a part of process at fab. geometry nullptr: sizes are not
// checked (the reason says so). Never throws.
FabDecision decideFab(const FabProfile& fab, const Process& process, const PartGeometry* geometry);

// The sheet thickness of a part cut from sheet: its smallest side when it is flat, else (a part
// formed after cutting, e.g. a bent bracket) 2·volume/area rounded to 0.1 mm. flat, when given,
// says which.
double sheetThickness(const PartGeometry& geometry, bool* flat = nullptr);

// "250×210×220" (mm values without trailing zeros).
std::string formatSize(const double* values, std::size_t count);

} // namespace telar::core

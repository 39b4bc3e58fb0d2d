// Estimators (print, cut, machine, labour, purchased) and the make/buy decision for a fab.
#include "telar/core/estimate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numbers>

namespace telar::core {

namespace {

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

void estimatePrint(Estimate& e, const Process& p, const PartGeometry& g) {
    const double shellThickness = p.parameter("shells") * p.parameter("nozzle_mm", 0.4);
    const double shell = std::min(g.volume, g.area * shellThickness);
    const double infill = std::clamp(p.parameter("infill"), 0.0, 1.0);
    e.printedVolume = shell + infill * (g.volume - shell);
    if (double d = p.parameter("filament_diameter_mm"); d > 0)
        e.filamentLength = e.printedVolume / (std::numbers::pi * d * d / 4.0) / 1000.0;
    double seconds = 0;
    if (double speed = p.parameter("speed_mm3_per_s"); speed > 0) seconds += e.printedVolume / speed;
    if (double layer = p.parameter("layer_height_mm"); layer > 0 && p.parameter("layer_time_s") > 0)
        seconds += std::ceil(g.size[2] / layer) * p.parameter("layer_time_s");
    seconds += 60.0 * (p.parameter("setup_min") + p.parameter("wash_cure_min"));
    e.hours = seconds / 3600.0;
}

void estimateCut(Estimate& e, const Process& p, const Material* m, const PartGeometry& g) {
    bool flat = true;
    e.thickness = sheetThickness(g, &flat);
    if (e.thickness > 0) {
        const double faces = 2.0 * g.volume / e.thickness;     // top and bottom outline
        e.cutLength = std::max(0.0, g.area - faces) / e.thickness; // edge faces unrolled
    }
    const double margin = p.parameter("sheet_margin_mm");
    if (flat) {
        e.sheetArea = (g.size[0] + margin) * (g.size[1] + margin);
    } else {
        e.sheetArea = e.thickness > 0 ? g.volume / e.thickness : 0; // the unfolded outline
        e.warnings.push_back("not flat: treated as " + number(e.thickness) + " mm sheet formed after cutting");
    }
    const double seconds =
        (p.parameter("speed_mm_per_s") > 0 ? e.cutLength / p.parameter("speed_mm_per_s") : 0) + p.parameter("pierce_s");
    e.hours = seconds / 3600.0;
    if (double max = p.parameter("max_thickness_mm"); max > 0 && e.thickness > max + 1e-9)
        e.warnings.push_back(number(e.thickness) + " mm is thicker than " + p.id + " usually cuts (" + number(max) +
                             " mm)");
    if (m && !m->thicknesses.empty() &&
        std::none_of(m->thicknesses.begin(), m->thicknesses.end(),
                     [&](double t) { return std::abs(t - e.thickness) <= 0.05; })) {
        std::string list;
        for (double t : m->thicknesses) list += (list.empty() ? "" : ", ") + number(t);
        e.warnings.push_back(number(e.thickness) + " mm is not a stock thickness of " + m->id + " (" + list + " mm)");
    }
}

void estimateMachine(Estimate& e, const Process& p, const PartGeometry& g) {
    const double allowance = p.parameter("stock_allowance_mm");
    e.stockVolume = 1;
    for (int i = 0; i < 3; ++i) {
        e.stock[static_cast<std::size_t>(i)] = g.size[static_cast<std::size_t>(i)] + 2 * allowance;
        e.stockVolume *= e.stock[static_cast<std::size_t>(i)];
    }
    e.removedVolume = std::max(0.0, e.stockVolume - g.volume);
    double minutes = p.parameter("setup_min");
    if (double rate = p.parameter("removal_rate_cm3_per_min"); rate > 0) minutes += e.removedVolume / 1000.0 / rate;
    e.hours = minutes / 60.0;
}

// Does a part of size (sorted descending) fit machine m? Empty string when it does, else why not.
} // namespace

double sheetThickness(const PartGeometry& g, bool* flat) {
    const double thinWall = g.area > 0 ? 2.0 * g.volume / g.area : 0; // ≈ thickness of any thin sheet part
    const bool isFlat = !(thinWall > 0) || thinWall >= 0.5 * g.size[2];
    if (flat) *flat = isFlat;
    if (isFlat) return g.size[2];
    return std::round(thinWall * 10.0) / 10.0;
}

namespace {

std::string fitProblem(const FabMachine& m, const Process& p, const PartGeometry& g) {
    if (p.estimator == "cut") {
        const double thickness = sheetThickness(g, nullptr);
        if (m.maxThickness > 0 && thickness > m.maxThickness + 1e-9)
            return number(thickness) + " mm is thicker than the " + number(m.maxThickness) + " mm maximum of " + m.name;
        if (m.bed) {
            std::array<double, 2> bed = *m.bed;
            std::sort(bed.begin(), bed.end(), std::greater<>());
            if (g.size[0] > bed[0] + 1e-9 || g.size[1] > bed[1] + 1e-9)
                return "does not fit " + formatSize(m.bed->data(), 2) + " bed";
        }
        return {};
    }
    if (m.buildVolume) {
        std::array<double, 3> vol = *m.buildVolume;
        std::sort(vol.begin(), vol.end(), std::greater<>());
        for (std::size_t i = 0; i < 3; ++i)
            if (g.size[i] > vol[i] + 1e-9) return "does not fit " + formatSize(m.buildVolume->data(), 3) + " build volume";
    }
    return {};
}

} // namespace

std::string formatSize(const double* values, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) out += (i ? "×" : "") + number(values[i]);
    return out;
}

Estimate estimatePart(const Process& process, const Material* material, const PartGeometry* geometry,
                      double pricePerKg, double hourlyRate) {
    Estimate e;
    e.estimator = process.estimator;
    e.pricePerKg = pricePerKg;
    e.hourlyRate = hourlyRate;
    const double density = material ? material->density : 0.0; // g/cm³
    if (process.estimator == "labour") {
        e.hours = process.parameter("minutes_per_part") / 60.0;
        if (geometry) e.materialMass = geometry->volume / 1000.0 * density;
    } else if (geometry && process.estimator == "print") {
        estimatePrint(e, process, *geometry);
        e.materialMass = e.printedVolume / 1000.0 * density;
    } else if (geometry && process.estimator == "cut") {
        estimateCut(e, process, material, *geometry);
        e.materialMass = e.sheetArea * e.thickness / 1000.0 * density;
    } else if (geometry && process.estimator == "machine") {
        estimateMachine(e, process, *geometry);
        e.materialMass = e.stockVolume / 1000.0 * density;
    }
    if (process.estimator != "purchased") {
        e.materialCost = e.materialMass / 1000.0 * pricePerKg;
        e.timeCost = e.hours * hourlyRate;
    }
    return e;
}

FabDecision decideFab(const FabProfile& fab, const Process& process, const PartGeometry* geometry) {
    FabDecision d;
    if (process.estimator == "purchased") {
        d.status = "buy";
        d.reason = "purchased part";
        return d;
    }
    std::vector<const FabMachine*> machines;
    for (const auto& m : fab.machines)
        if (m.process == process.id) machines.push_back(&m);
    if (machines.empty()) {
        d.status = "outsource";
        d.reason = "no " + process.id + " machine";
        return d;
    }
    if (!geometry) {
        d.status = "make";
        d.machine = machines.front()->name;
        d.hourlyRate = machines.front()->hourlyRate;
        d.reason = "size not checked (no geometry)";
        return d;
    }
    std::string firstProblem;
    for (const FabMachine* m : machines) {
        std::string problem = fitProblem(*m, process, *geometry);
        if (problem.empty()) {
            d.status = "make";
            d.machine = m->name;
            d.hourlyRate = m->hourlyRate;
            d.reason = "on " + m->name;
            return d;
        }
        if (firstProblem.empty()) firstProblem = problem;
    }
    d.status = "outsource";
    d.reason = firstProblem;
    return d;
}

} // namespace telar::core

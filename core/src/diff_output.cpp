// Rendering a DesignDiff for a terminal and as JSON.

#include "telar/core/diff.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace telar::core {

namespace {

using Json = nlohmann::ordered_json;

std::string shown(const std::string& v) { return v.empty() ? "(none)" : v; }

std::string size(const std::optional<std::array<double, 3>>& s) {
    if (!s) return "?";
    return fmt::format("{:.1f} x {:.1f} x {:.1f}", (*s)[0], (*s)[1], (*s)[2]);
}

std::string delta(const std::optional<double>& a, const std::optional<double>& b, const char* unit) {
    if (!a && !b) return "";
    std::string s = (a ? fmt::format("{:.3f}", *a) : std::string("-")) + " → " + (b ? fmt::format("{:.3f}", *b) : std::string("-")) + " " + unit;
    if (a && b) s += fmt::format(" ({:+.3f})", *b - *a);
    return s;
}

Json opt(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }
Json optSize(const std::optional<std::array<double, 3>>& v) {
    return v ? Json::array({(*v)[0], (*v)[1], (*v)[2]}) : Json(nullptr);
}

Json fields(const std::vector<FieldChange>& fs) {
    Json out = Json::array();
    for (const auto& f : fs) out.push_back({{"field", f.field}, {"before", f.before}, {"after", f.after}});
    return out;
}

} // namespace

std::string formatDiffText(const DesignDiff& d) {
    std::string out = "Changes from " + d.from + " to " + d.to + "\n";
    if (d.empty()) out += "\nNo design changes.\n";
    out += "\nLicences:";
    if (d.licences.empty()) out += " unchanged\n";
    else {
        out += "\n";
        for (const auto& l : d.licences) out += "  ! " + l.message + "\n";
    }
    if (!d.project.empty()) {
        out += "\nProject:\n";
        for (const auto& f : d.project) out += "    " + f.field + ": " + shown(f.before) + " → " + shown(f.after) + "\n";
    }
    if (!d.modules.empty()) {
        out += "\nModules:\n";
        for (const auto& m : d.modules) {
            const char mark = m.kind == ChangeKind::Added ? '+' : m.kind == ChangeKind::Removed ? '-' : '~';
            out += fmt::format("  {} {} ({}){}\n", mark, m.module, m.name,
                               m.kind == ChangeKind::Changed ? "" : std::string(" ") + changeKindName(m.kind));
            for (const auto& f : m.fields) out += "      " + f.field + ": " + shown(f.before) + " → " + shown(f.after) + "\n";
            for (const auto& p : m.parts) {
                const char pm = p.kind == ChangeKind::Added ? '+' : p.kind == ChangeKind::Removed ? '-' : '~';
                std::string note = p.kind != ChangeKind::Changed ? std::string(" ") + changeKindName(p.kind)
                                   : p.geometryChanged ? " (geometry changed)" : "";
                out += fmt::format("      {} part {}{}\n", pm, p.part, note);
                for (const auto& f : p.fields)
                    out += "          " + f.field + ": " + shown(f.before) + " → " + shown(f.after) + "\n";
            }
        }
    }
    if (!d.geometry.empty()) {
        out += "\nGeometry:\n";
        for (const auto& g : d.geometry) {
            out += "  " + g.module + "/" + g.part + "  " + (g.pathAfter.empty() ? g.pathBefore : g.pathAfter) + "\n";
            if (auto v = delta(g.volumeBefore, g.volumeAfter, "mm³"); !v.empty()) out += "      volume " + v + "\n";
            if (auto m = delta(g.massBefore, g.massAfter, "g"); !m.empty()) out += "      mass   " + m + "\n";
            if (g.sizeBefore || g.sizeAfter)
                out += "      size   " + (g.sizeBefore ? size(g.sizeBefore) : std::string("-")) + " → " +
                       (g.sizeAfter ? size(g.sizeAfter) : std::string("-")) + " mm\n";
            if (!g.volumeBefore && !g.volumeAfter && g.errors.empty())
                out += "      blob   " + shown(g.blobBefore.substr(0, 7)) + " → " + shown(g.blobAfter.substr(0, 7)) + "\n";
            for (const auto& e : g.errors) out += "      error: " + e + "\n";
        }
    }
    if (d.cost) {
        const auto& c = *d.cost;
        out += fmt::format("\nCost of the products ({}{}): {:.2f} → {:.2f} ({:+.2f})\n", c.currency,
                           c.fab.empty() ? "" : ", " + c.fab, c.before, c.after, c.after - c.before);
        if (c.unknownBefore || c.unknownAfter)
            out += fmt::format("  lines without a cost: {} → {}\n", c.unknownBefore, c.unknownAfter);
    }
    return out;
}

std::string formatDiffJson(const DesignDiff& d) {
    Json j;
    j["format"] = "telar-diff";
    j["version"] = 1;
    j["from"] = d.from;
    j["to"] = d.to;
    Json lic = Json::array();
    for (const auto& l : d.licences)
        lic.push_back({{"scope", l.scope}, {"module", l.module}, {"part", l.part}, {"before", l.before},
                       {"after", l.after}, {"message", l.message}});
    j["licences"] = lic;
    j["project"] = fields(d.project);
    Json mods = Json::array();
    for (const auto& m : d.modules) {
        Json parts = Json::array();
        for (const auto& p : m.parts)
            parts.push_back({{"part", p.part}, {"change", changeKindName(p.kind)}, {"fields", fields(p.fields)},
                             {"geometry_changed", p.geometryChanged}});
        mods.push_back({{"module", m.module}, {"name", m.name}, {"change", changeKindName(m.kind)},
                        {"fields", fields(m.fields)}, {"parts", parts}});
    }
    j["modules"] = mods;
    Json geo = Json::array();
    for (const auto& g : d.geometry)
        geo.push_back({{"module", g.module},
                       {"part", g.part},
                       {"before", {{"path", g.pathBefore}, {"blob", g.blobBefore}, {"volume", opt(g.volumeBefore)},
                                   {"mass", opt(g.massBefore)}, {"size", optSize(g.sizeBefore)}}},
                       {"after", {{"path", g.pathAfter}, {"blob", g.blobAfter}, {"volume", opt(g.volumeAfter)},
                                  {"mass", opt(g.massAfter)}, {"size", optSize(g.sizeAfter)}}},
                       {"errors", g.errors}});
    j["geometry"] = geo;
    if (d.cost)
        j["cost"] = {{"currency", d.cost->currency}, {"fab", d.cost->fab},           {"before", d.cost->before},
                     {"after", d.cost->after},       {"delta", d.cost->after - d.cost->before},
                     {"unknown_before", d.cost->unknownBefore}, {"unknown_after", d.cost->unknownAfter}};
    else
        j["cost"] = nullptr;
    j["empty"] = d.empty();
    return j.dump(2) + "\n";
}

} // namespace telar::core

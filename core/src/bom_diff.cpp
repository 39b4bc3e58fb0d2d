// BOM diff: two computed BOMs matched line by line, and their renderings.

#include "telar/core/bom_diff.h"

#include "telar/core/bom_output.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace telar::core {

namespace {

using Json = nlohmann::ordered_json;

std::string keyOf(const BomLine& l) { return l.module + '\x1f' + l.partId + '\x1f' + l.assembly; }

bool differs(const std::optional<double>& a, const std::optional<double>& b) {
    if (a.has_value() != b.has_value()) return true;
    if (!a) return false;
    return std::fabs(*a - *b) > 1e-9 * std::max({1.0, std::fabs(*a), std::fabs(*b)});
}

bool differs(const std::optional<std::array<double, 3>>& a, const std::optional<std::array<double, 3>>& b) {
    if (a.has_value() != b.has_value()) return true;
    if (!a) return false;
    for (int i = 0; i < 3; ++i)
        if (differs(std::optional<double>((*a)[i]), std::optional<double>((*b)[i]))) return true;
    return false;
}

void fill(BomLineDiff& d, const BomLine* a, const BomLine* b) {
    const BomLine& any = b ? *b : *a;
    d.module = any.module;
    d.partId = any.partId;
    d.assembly = any.assembly;
    d.name = any.name;
    d.kind = !a ? ChangeKind::Added : !b ? ChangeKind::Removed : ChangeKind::Changed;
    if (a) {
        d.quantityBefore = a->quantity;
        d.volumeBefore = a->volume;
        d.massBefore = a->mass;
        d.sizeBefore = a->stockSize;
        d.unitCostBefore = a->unitCost;
        d.lineCostBefore = a->lineCost;
        d.blobBefore = a->blobId;
    }
    if (b) {
        d.quantityAfter = b->quantity;
        d.volumeAfter = b->volume;
        d.massAfter = b->mass;
        d.sizeAfter = b->stockSize;
        d.unitCostAfter = b->unitCost;
        d.lineCostAfter = b->lineCost;
        d.blobAfter = b->blobId;
    }
    if (!a || !b) return;
    auto& c = d.changes;
    if (a->name != b->name) c.push_back("name");
    if (a->quantity != b->quantity) c.push_back("quantity");
    if (a->process != b->process) c.push_back("process");
    if (a->material != b->material) c.push_back("material");
    if (a->blobId != b->blobId) c.push_back("geometry");
    if (differs(a->volume, b->volume)) c.push_back("volume");
    if (differs(a->stockSize, b->stockSize)) c.push_back("size");
    if (differs(a->mass, b->mass)) c.push_back("mass");
    if (differs(a->unitCost, b->unitCost) || differs(a->lineCost, b->lineCost)) c.push_back("cost");
    if (a->license != b->license) c.push_back("licence");
}

std::string n3(const std::optional<double>& v) { return v ? fmt::format("{:.3f}", *v) : ""; }
std::string n2(const std::optional<double>& v) { return v ? fmt::format("{:.2f}", *v) : ""; }
std::string joined(const std::vector<std::string>& v, const char* sep) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
}
std::string pair(const std::string& a, const std::string& b) {
    if (a == b) return a;
    return (a.empty() ? "-" : a) + " → " + (b.empty() ? "-" : b);
}
std::string qty(const BomLineDiff& l) {
    return pair(l.kind == ChangeKind::Added ? "" : std::to_string(l.quantityBefore),
                l.kind == ChangeKind::Removed ? "" : std::to_string(l.quantityAfter));
}
Json opt(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }
Json optSize(const std::optional<std::array<double, 3>>& v) {
    return v ? Json::array({(*v)[0], (*v)[1], (*v)[2]}) : Json(nullptr);
}
Json totals(const BomTotals& t) {
    return {{"lines", t.lines}, {"pieces", t.pieces}, {"mass", t.mass}, {"cost", t.cost}, {"unknown_cost", t.unknownCost}};
}

} // namespace

BomDiff diffBoms(const Bom& before, const Bom& after) {
    BomDiff d;
    d.from = before.treeName;
    d.to = after.treeName;
    d.currency = after.currency;
    d.fab = after.fabName;
    d.totalBefore = before.total;
    d.totalAfter = after.total;
    std::map<std::string, const BomLine*> old;
    for (const auto& l : before.lines) old.emplace(keyOf(l), &l);
    std::set<std::string> seen;
    for (const auto& l : after.lines) {
        const std::string k = keyOf(l);
        seen.insert(k);
        auto it = old.find(k);
        BomLineDiff ld;
        fill(ld, it == old.end() ? nullptr : it->second, &l);
        if (ld.kind == ChangeKind::Changed && ld.changes.empty()) continue;
        d.lines.push_back(std::move(ld));
    }
    for (const auto& l : before.lines) {
        if (seen.count(keyOf(l))) continue;
        BomLineDiff ld;
        fill(ld, &l, nullptr);
        d.lines.push_back(std::move(ld));
    }
    return d;
}

std::string formatBomDiffTable(const BomDiff& d) {
    std::string out = "BOM changes from " + d.from + " to " + d.to + " (" + d.currency + (d.fab.empty() ? "" : ", " + d.fab) + ")\n";
    if (d.lines.empty()) out += "No BOM changes.\n";
    for (const auto& l : d.lines) {
        const char mark = l.kind == ChangeKind::Added ? '+' : l.kind == ChangeKind::Removed ? '-' : '~';
        out += fmt::format("{} {}/{}  {}  qty {}", mark, l.module, l.partId, l.name, qty(l));
        if (!l.changes.empty()) out += "  [" + joined(l.changes, ", ") + "]";
        out += "\n";
        if (differs(l.volumeBefore, l.volumeAfter) && (l.volumeBefore || l.volumeAfter))
            out += "    volume    " + pair(n3(l.volumeBefore), n3(l.volumeAfter)) + " mm³\n";
        if (differs(l.massBefore, l.massAfter) && (l.massBefore || l.massAfter))
            out += "    mass      " + pair(n3(l.massBefore), n3(l.massAfter)) + " g\n";
        if (differs(l.unitCostBefore, l.unitCostAfter) && (l.unitCostBefore || l.unitCostAfter))
            out += "    unit cost " + pair(n2(l.unitCostBefore), n2(l.unitCostAfter)) + "\n";
        if (differs(l.lineCostBefore, l.lineCostAfter) && (l.lineCostBefore || l.lineCostAfter))
            out += "    line cost " + pair(n2(l.lineCostBefore), n2(l.lineCostAfter)) + "\n";
    }
    const auto& a = d.totalBefore;
    const auto& b = d.totalAfter;
    out += fmt::format("Totals: lines {} → {}, pieces {} → {}, mass {:.3f} → {:.3f} g ({:+.3f}), cost {:.2f} → {:.2f} {} ({:+.2f})\n",
                       a.lines, b.lines, a.pieces, b.pieces, a.mass, b.mass, b.mass - a.mass, a.cost, b.cost, d.currency,
                       b.cost - a.cost);
    return out;
}

std::string formatBomDiffCsv(const BomDiff& d) {
    std::string out = "Change,Module,Part,Name,Qty before,Qty after,Volume before (mm3),Volume after (mm3),Mass before (g),"
                      "Mass after (g),Unit cost before,Unit cost after,Line cost before,Line cost after,Changes\r\n";
    for (const auto& l : d.lines) {
        std::vector<std::string> row = {changeKindName(l.kind),
                                        l.module,
                                        l.partId,
                                        l.name,
                                        l.kind == ChangeKind::Added ? "" : std::to_string(l.quantityBefore),
                                        l.kind == ChangeKind::Removed ? "" : std::to_string(l.quantityAfter),
                                        n3(l.volumeBefore),
                                        n3(l.volumeAfter),
                                        n3(l.massBefore),
                                        n3(l.massAfter),
                                        n2(l.unitCostBefore),
                                        n2(l.unitCostAfter),
                                        n2(l.lineCostBefore),
                                        n2(l.lineCostAfter),
                                        joined(l.changes, " ")};
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) line += (i ? "," : "") + csvField(row[i]);
        out += line + "\r\n";
    }
    return out;
}

std::string formatBomDiffJson(const BomDiff& d) {
    Json j;
    j["format"] = "telar-bom-diff";
    j["version"] = 1;
    j["from"] = d.from;
    j["to"] = d.to;
    j["currency"] = d.currency;
    j["fab"] = d.fab.empty() ? Json(nullptr) : Json(d.fab);
    Json lines = Json::array();
    for (const auto& l : d.lines)
        lines.push_back({{"change", changeKindName(l.kind)},
                         {"module", l.module},
                         {"part", l.partId},
                         {"assembly", l.assembly},
                         {"name", l.name},
                         {"changes", l.changes},
                         {"before", {{"quantity", l.quantityBefore}, {"volume", opt(l.volumeBefore)}, {"mass", opt(l.massBefore)},
                                     {"stock_size", optSize(l.sizeBefore)}, {"unit_cost", opt(l.unitCostBefore)},
                                     {"line_cost", opt(l.lineCostBefore)}, {"blob", l.blobBefore}}},
                         {"after", {{"quantity", l.quantityAfter}, {"volume", opt(l.volumeAfter)}, {"mass", opt(l.massAfter)},
                                    {"stock_size", optSize(l.sizeAfter)}, {"unit_cost", opt(l.unitCostAfter)},
                                    {"line_cost", opt(l.lineCostAfter)}, {"blob", l.blobAfter}}}});
    j["lines"] = lines;
    j["totals"] = {{"before", totals(d.totalBefore)}, {"after", totals(d.totalAfter)}};
    return j.dump(2) + "\n";
}

std::string formatBomDiffMarkdown(const BomDiff& d) {
    std::string out = "### Bill of materials\n\n";
    if (d.lines.empty()) {
        out += "No BOM changes.\n";
    } else {
        out += "| Change | Module | Part | Qty | Mass (g) | Line cost (" + d.currency + ") | What changed |\n";
        out += "|---|---|---|---|---|---|---|\n";
        for (const auto& l : d.lines) {
            auto cell = [](std::string s) {
                std::string o;
                for (char c : s) o += c == '|' ? std::string("\\|") : std::string(1, c);
                return o;
            };
            out += "| " + std::string(changeKindName(l.kind)) + " | " + cell(l.module) + " | " + cell(l.partId) + " | " +
                   qty(l) + " | " + pair(n3(l.massBefore), n3(l.massAfter)) + " | " +
                   pair(n2(l.lineCostBefore), n2(l.lineCostAfter)) + " | " + joined(l.changes, ", ") + " |\n";
        }
    }
    const auto& a = d.totalBefore;
    const auto& b = d.totalAfter;
    out += fmt::format("\nTotals: {} → {} lines, {} → {} pieces, mass {:.3f} → {:.3f} kg, cost {:.2f} → {:.2f} {} ({:+.2f}).\n",
                       a.lines, b.lines, a.pieces, b.pieces, a.mass / 1000.0, b.mass / 1000.0, a.cost, b.cost,
                       d.currency, b.cost - a.cost);
    return out;
}

} // namespace telar::core

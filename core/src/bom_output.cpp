// BOM rendering: terminal table, CSV and JSON.
#include "telar/core/bom_output.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>

namespace telar::core {

namespace {

using Json = nlohmann::ordered_json;

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string optFixed(const std::optional<double>& v, int decimals) { return v ? fixed(*v, decimals) : std::string(); }

std::string stockText(const BomLine& line, const char* times) {
    if (!line.stockSize) return {};
    const auto& s = *line.stockSize;
    return fixed(s[0], 1) + times + fixed(s[1], 1) + times + fixed(s[2], 1);
}

std::string joinedProblems(const BomLine& line) {
    std::string out;
    for (const auto& e : line.errors) out += (out.empty() ? "" : "; ") + ("error: " + e);
    for (const auto& w : line.warnings) out += (out.empty() ? "" : "; ") + ("warning: " + w);
    return out;
}

std::vector<std::string> csvRow(const BomLine& line, std::int64_t quantity) {
    return {line.module,
            line.partId,
            line.name,
            std::to_string(quantity),
            line.process,
            line.material,
            optFixed(line.mass, 3),
            optFixed(line.volume, 3),
            stockText(line, " x "),
            optFixed(line.unitCost, 2),
            line.unitCost ? fixed(*line.unitCost * static_cast<double>(quantity), 2) : std::string(),
            line.currency,
            line.supplier,
            line.sku,
            line.file,
            line.blobId,
            line.license,
            line.fabStatus,
            line.fabReason,
            joinedProblems(line)};
}

void appendCsv(std::string& out, const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csvField(fields[i]);
    out += "\r\n";
}

// Display width of UTF-8 text (code points; good enough for Latin text and ×).
std::size_t width(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

std::string pad(const std::string& s, std::size_t w, bool right) {
    const std::size_t n = width(s);
    if (n >= w) return s;
    return right ? std::string(w - n, ' ') + s : s + std::string(w - n, ' ');
}

std::string renderTable(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& rightAligned) {
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], width(r[i]));
    std::string out;
    for (std::size_t k = 0; k < rows.size(); ++k) {
        std::string line;
        for (std::size_t i = 0; i < rows[k].size(); ++i)
            line += (i ? "  " : "") + pad(rows[k][i], widths[i], rightAligned[i] && k > 0);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
        if (k == 0) {
            std::size_t total = 0;
            for (auto w : widths) total += w;
            out += std::string(total + 2 * (widths.size() - 1), '-') + "\n";
        }
    }
    return out;
}

std::vector<std::string> tableRow(const Bom& bom, const BomLine& line, const std::string& label, std::int64_t qty) {
    std::vector<std::string> row = {label,
                                    std::to_string(qty),
                                    line.process,
                                    line.material,
                                    line.mass ? fixed(*line.mass, 1) : "",
                                    stockText(line, "×"),
                                    line.unitCost ? fixed(*line.unitCost, 2) : "?",
                                    line.unitCost ? fixed(*line.unitCost * static_cast<double>(qty), 2) : "?"};
    if (!bom.fabName.empty()) row.push_back(line.fabStatus + (line.fabStatus == "outsource" ? ": " + line.fabReason : ""));
    row.push_back(line.ok() ? (line.warnings.empty() ? "" : "warning") : "ERROR");
    return row;
}

Json totalsJson(const BomTotals& t) {
    Json j;
    j["lines"] = t.lines;
    j["pieces"] = t.pieces;
    j["mass_g"] = t.mass;
    j["cost"] = t.cost;
    j["unknown_cost_lines"] = t.unknownCost;
    j["error_lines"] = t.errors;
    return j;
}

Json optNumber(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json estimateJson(const Estimate& e) {
    Json j;
    j["estimator"] = e.estimator;
    if (e.estimator == "print") {
        j["printed_volume_mm3"] = e.printedVolume;
        j["filament_length_m"] = e.filamentLength;
    } else if (e.estimator == "cut") {
        j["thickness_mm"] = e.thickness;
        j["sheet_area_mm2"] = e.sheetArea;
        j["cut_length_mm"] = e.cutLength;
    } else if (e.estimator == "machine") {
        j["stock_mm"] = e.stock;
        j["stock_volume_mm3"] = e.stockVolume;
        j["removed_volume_mm3"] = e.removedVolume;
    }
    j["material_mass_g"] = e.materialMass;
    j["hours"] = e.hours;
    j["price_per_kg"] = e.pricePerKg;
    j["hourly_rate"] = e.hourlyRate;
    j["material_cost"] = e.materialCost;
    j["time_cost"] = e.timeCost;
    return j;
}

Json lineJson(const BomLine& l) {
    Json j;
    j["module"] = l.module;
    j["part"] = l.partId;
    j["name"] = l.name;
    j["assembly"] = l.assembly.empty() ? Json(nullptr) : Json(l.assembly);
    j["module_quantity"] = l.moduleQuantity;
    j["quantity"] = l.quantity;
    j["process"] = l.process;
    j["estimator"] = l.estimator;
    j["material"] = l.material;
    j["volume_mm3"] = optNumber(l.volume);
    j["area_mm2"] = optNumber(l.area);
    j["mass_g"] = optNumber(l.mass);
    j["stock_mm"] = l.stockSize ? Json(*l.stockSize) : Json(nullptr);
    j["unit_cost"] = optNumber(l.unitCost);
    j["line_cost"] = optNumber(l.lineCost);
    j["currency"] = l.currency;
    j["supplier"] = l.supplier;
    j["sku"] = l.sku;
    j["file"] = l.file;
    j["blob"] = l.blobId;
    j["license"] = l.license;
    if (l.fabStatus.empty()) {
        j["fab"] = nullptr;
    } else {
        Json f;
        f["status"] = l.fabStatus;
        f["reason"] = l.fabReason;
        f["machine"] = l.fabMachine;
        j["fab"] = f;
    }
    j["estimate"] = l.estimate ? estimateJson(*l.estimate) : Json(nullptr);
    j["errors"] = l.errors;
    j["warnings"] = l.warnings;
    return j;
}

Json nodeJson(const BomNode& n) {
    Json j;
    j["module"] = n.module;
    j["name"] = n.name;
    j["quantity"] = n.quantity;
    j["count"] = n.count;
    j["unit_cost"] = n.unitCost;
    j["unit_mass_g"] = n.unitMass;
    j["lines"] = n.lines;
    Json children = Json::array();
    for (const auto& c : n.children) children.push_back(nodeJson(c));
    j["children"] = children;
    return j;
}

} // namespace

std::string csvField(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

const std::vector<std::string>& bomCsvColumns() {
    static const std::vector<std::string> columns = {
        "Module",   "Part",     "Name",         "Qty",      "Process", "Material", "Mass (g)",
        "Volume (mm3)", "Stock (mm)", "Unit cost", "Line cost", "Currency", "Supplier", "SKU",
        "File",     "Blob",     "Licence",      "Fab status", "Fab reason", "Problems"};
    return columns;
}

std::string formatBomCsv(const Bom& bom, BomView view) {
    std::string out;
    if (view == BomView::Flat) {
        appendCsv(out, bomCsvColumns());
        for (const auto& line : bom.lines) appendCsv(out, csvRow(line, line.quantity));
        return out;
    }
    std::vector<std::string> header = {"Level"};
    header.insert(header.end(), bomCsvColumns().begin(), bomCsvColumns().end());
    appendCsv(out, header);
    std::function<void(const BomNode&, int)> walk = [&](const BomNode& node, int level) {
        std::vector<std::string> row(header.size());
        row[0] = std::to_string(level);
        row[1] = node.module;
        row[3] = node.name;
        row[4] = std::to_string(node.quantity);
        row[10] = fixed(node.unitCost, 2);
        row[11] = fixed(node.unitCost * static_cast<double>(node.quantity), 2);
        row[12] = bom.currency;
        appendCsv(out, row);
        for (std::size_t i : node.lines) {
            std::vector<std::string> r = {std::to_string(level + 1)};
            auto fields = csvRow(bom.lines[i], bom.lines[i].moduleQuantity);
            r.insert(r.end(), fields.begin(), fields.end());
            appendCsv(out, r);
        }
        for (const auto& c : node.children) walk(c, level + 1);
    };
    for (const auto& root : bom.tree) walk(root, 0);
    return out;
}

std::string formatBomTable(const Bom& bom, BomView view) {
    std::vector<std::string> header = {"Part", "Qty", "Process", "Material", "Mass g", "Stock mm", "Unit", "Line"};
    std::vector<bool> right = {false, true, false, false, true, false, true, true};
    if (!bom.fabName.empty()) {
        header.push_back("At " + bom.fabName);
        right.push_back(false);
    }
    header.push_back("");
    right.push_back(false);
    std::vector<std::vector<std::string>> rows = {header};
    if (view == BomView::Flat) {
        for (const auto& line : bom.lines)
            rows.push_back(tableRow(bom, line, line.module + "/" + line.partId, line.quantity));
    } else {
        std::function<void(const BomNode&, int)> walk = [&](const BomNode& node, int depth) {
            std::vector<std::string> row(header.size());
            row[0] = std::string(2 * static_cast<std::size_t>(depth), ' ') + node.module + " — " + node.name;
            row[1] = std::to_string(node.quantity);
            row[6] = fixed(node.unitCost, 2);
            row[7] = fixed(node.unitCost * static_cast<double>(node.quantity), 2);
            rows.push_back(row);
            for (std::size_t i : node.lines) {
                const BomLine& line = bom.lines[i];
                rows.push_back(tableRow(bom, line, std::string(2 * static_cast<std::size_t>(depth) + 2, ' ') + line.partId,
                                        line.moduleQuantity));
            }
            for (const auto& c : node.children) walk(c, depth + 1);
        };
        for (const auto& root : bom.tree) walk(root, 0);
    }
    std::string roots;
    for (const auto& r : bom.roots) roots += (roots.empty() ? "" : ", ") + r;
    std::string out = "BOM of " + roots + " at " + bom.treeName + (bom.fabName.empty() ? "" : ", for " + bom.fabName) +
                      " (" + bom.currency + ")\n\n";
    out += renderTable(rows, right);

    std::string notes;
    for (const auto& line : bom.lines) {
        for (const auto& e : line.errors) notes += "  error: " + line.module + "/" + line.partId + ": " + e + "\n";
        for (const auto& w : line.warnings) notes += "  warning: " + line.module + "/" + line.partId + ": " + w + "\n";
    }
    for (const auto& p : bom.problems) notes += "  error: " + p + "\n";
    if (!notes.empty()) out += "\nProblems:\n" + notes;

    std::vector<std::vector<std::string>> totals = {{"Process", "Lines", "Pieces", "Mass kg", "Cost"}};
    auto totalRow = [&](const std::string& name, const BomTotals& t) {
        totals.push_back({name, std::to_string(t.lines), std::to_string(t.pieces), fixed(t.mass / 1000.0, 3),
                          fixed(t.cost, 2) + (t.unknownCost ? " + " + std::to_string(t.unknownCost) + " unknown" : "")});
    };
    for (const auto& [process, t] : bom.processTotals) totalRow(process.empty() ? "(none)" : process, t);
    totalRow("total", bom.total);
    out += "\n" + renderTable(totals, {false, true, true, true, true});
    out += bom.ok() ? "" : "\nThe BOM has " + std::to_string(bom.total.errors + static_cast<int>(bom.problems.size())) +
                               " problem(s).\n";
    return out;
}

std::string formatBomJson(const Bom& bom) {
    Json j;
    j["format"] = "telar-bom";
    j["version"] = 1;
    j["revision"] = bom.treeName;
    j["commit"] = bom.commitId.empty() ? Json(nullptr) : Json(bom.commitId);
    j["roots"] = bom.roots;
    j["currency"] = bom.currency;
    j["fab"] = bom.fabName.empty() ? Json(nullptr) : Json(bom.fabName);
    j["ok"] = bom.ok();
    Json lines = Json::array();
    for (const auto& l : bom.lines) lines.push_back(lineJson(l));
    j["lines"] = lines;
    Json tree = Json::array();
    for (const auto& n : bom.tree) tree.push_back(nodeJson(n));
    j["tree"] = tree;
    Json totals;
    totals["overall"] = totalsJson(bom.total);
    Json modules = Json::object();
    for (const auto& [m, t] : bom.moduleTotals) modules[m] = totalsJson(t);
    totals["modules"] = modules;
    Json processes = Json::object();
    for (const auto& [p, t] : bom.processTotals) processes[p] = totalsJson(t);
    totals["processes"] = processes;
    j["totals"] = totals;
    j["problems"] = bom.problems;
    return j.dump(2) + "\n";
}

} // namespace telar::core

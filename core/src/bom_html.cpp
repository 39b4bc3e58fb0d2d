// The BOM as a self-contained HTML page with inline SVG thumbnails of every part.

#include "telar/core/bom_html.h"
#include "telar/core/bom_output.h"
#include "telar/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace telar::core {

namespace {

std::string esc(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

// One decimal, with "-0.0" written as "0.0" so the text does not depend on rounding signs.
std::string num1(double v) {
    std::string s = fmt::format("{:.1f}", v);
    return s == "-0.0" ? "0.0" : s;
}

std::string money(double v) { return fmt::format("{:.2f}", v); }

std::string massText(double grams) {
    return grams >= 1000 ? fmt::format("{:.2f} kg", grams / 1000) : fmt::format("{:.1f} g", grams);
}

} // namespace

std::string meshThumbnailSvg(const cad::Mesh& mesh, int size) {
    if (mesh.triangleCount() == 0 || size <= 0) return {};
    const double s3 = std::sqrt(3.0), s2 = std::sqrt(2.0), s6 = std::sqrt(6.0);
    const double d[3] = {1 / s3, 1 / s3, 1 / s3};
    const double u[3] = {1 / s2, -1 / s2, 0};
    const double v[3] = {-1 / s6, -1 / s6, 2 / s6};
    auto P = [&](std::uint32_t i) {
        return std::array<double, 3>{mesh.positions[3 * i], mesh.positions[3 * i + 1], mesh.positions[3 * i + 2]};
    };
    auto dot = [](const double* a, const std::array<double, 3>& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; };
    double minX = 1e300, maxX = -1e300, minY = 1e300, maxY = -1e300;
    for (std::size_t i = 0; i < mesh.vertexCount(); ++i) {
        auto p = P(std::uint32_t(i));
        double x = dot(u, p), y = dot(v, p);
        minX = std::min(minX, x), maxX = std::max(maxX, x), minY = std::min(minY, y), maxY = std::max(maxY, y);
    }
    const double margin = 3;
    const double span = std::max({maxX - minX, maxY - minY, 1e-9});
    const double scale = (size - 2 * margin) / span;
    const double offX = margin + ((size - 2 * margin) - (maxX - minX) * scale) / 2;
    const double offY = margin + ((size - 2 * margin) - (maxY - minY) * scale) / 2;

    struct Tri {
        double depth;
        std::size_t order;
        double pts[6];
        double shade;
    };
    std::vector<Tri> tris;
    for (std::size_t t = 0; t < mesh.triangleCount(); ++t) {
        auto a = P(mesh.indices[3 * t]), b = P(mesh.indices[3 * t + 1]), c = P(mesh.indices[3 * t + 2]);
        std::array<double, 3> e1{b[0] - a[0], b[1] - a[1], b[2] - a[2]}, e2{c[0] - a[0], c[1] - a[1], c[2] - a[2]};
        std::array<double, 3> n{e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2],
                                e1[0] * e2[1] - e1[1] * e2[0]};
        double len = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
        if (len <= 0) continue;
        double facing = dot(d, n) / len;
        if (facing <= 0) continue; // facing away
        Tri tri;
        tri.order = t;
        std::array<double, 3> centre{(a[0] + b[0] + c[0]) / 3, (a[1] + b[1] + c[1]) / 3, (a[2] + b[2] + c[2]) / 3};
        tri.depth = dot(d, centre);
        const std::array<double, 3>* corners[3] = {&a, &b, &c};
        for (int k = 0; k < 3; ++k) {
            tri.pts[2 * k] = offX + (dot(u, *corners[k]) - minX) * scale;
            tri.pts[2 * k + 1] = size - (offY + (dot(v, *corners[k]) - minY) * scale);
        }
        tri.shade = 0.35 + 0.65 * facing;
        tris.push_back(tri);
    }
    std::sort(tris.begin(), tris.end(), [](const Tri& x, const Tri& y) {
        return x.depth != y.depth ? x.depth < y.depth : x.order < y.order;
    });
    std::string out = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{0}\" viewBox=\"0 0 {0} {0}\">", size);
    for (const auto& t : tris) {
        int r = int(std::lround(70 * t.shade)), g = int(std::lround(115 * t.shade)), b = int(std::lround(170 * t.shade));
        std::string colour = fmt::format("#{:02x}{:02x}{:02x}", r, g, b);
        out += fmt::format("<path d=\"M{} {}L{} {}L{} {}Z\" fill=\"{}\" stroke=\"{}\" stroke-width=\"0.3\"/>",
                           num1(t.pts[0]), num1(t.pts[1]), num1(t.pts[2]), num1(t.pts[3]), num1(t.pts[4]),
                           num1(t.pts[5]), colour, colour);
    }
    out += "</svg>";
    return out;
}

std::optional<cad::Mesh> bomLineMesh(const Bom& bom, std::size_t index, const Tree& tree, GeometryCache& cache,
                                     double deflection, std::string* error) {
    auto fail = [&](const std::string& why) -> std::optional<cad::Mesh> {
        if (error) *error = why;
        return std::nullopt;
    };
    if (index >= bom.lines.size()) return fail("no such line");
    const BomLine& line = bom.lines[index];
    if (line.file.empty() || line.blobId.empty()) return fail("no geometry file");
    int part = cad::kWholeFile;
    if (!line.assembly.empty()) {
        // Assembly lines come in the order of the assembly's unique parts with a quantity.
        int ordinal = 0;
        for (std::size_t i = 0; i < index; ++i)
            if (bom.lines[i].module == line.module && bom.lines[i].assembly == line.assembly) ++ordinal;
        auto outcomes = cache.analyze(tree, {line.assembly});
        if (outcomes.empty() || !outcomes[0].ok()) return fail(outcomes.empty() ? "no analysis" : outcomes[0].error);
        const auto& parts = outcomes[0].result->parts;
        for (std::size_t p = 0; p < parts.size(); ++p) {
            if (parts[p].quantity <= 0) continue;
            if (ordinal-- == 0) {
                part = int(p);
                break;
            }
        }
        if (part == cad::kWholeFile) return fail(line.assembly + ": part '" + line.name + "' not found");
    }
    auto bytes = tree.readFile(line.file);
    if (!bytes) return fail(line.file + ": not a file at " + tree.describe());
    try {
        return cad::tessellate(*bytes, line.file, part, deflection);
    } catch (const CadError& e) {
        return fail(e.what());
    }
}

std::map<std::string, std::string> bomThumbnails(const Bom& bom, const Tree& tree, GeometryCache& cache,
                                                 const Progress& progress) {
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < bom.lines.size(); ++i) {
        progress.throwIfCancelled();
        progress.report(double(i) / double(std::max<std::size_t>(bom.lines.size(), 1)), "drawing thumbnails");
        const BomLine& line = bom.lines[i];
        if (line.file.empty() || line.blobId.empty() || !line.volume) continue;
        double big = line.stockSize ? (*line.stockSize)[0] : 50.0;
        auto mesh = bomLineMesh(bom, i, tree, cache, std::max(0.2, big / 40.0));
        if (!mesh) continue;
        out[line.module + "/" + line.partId] = meshThumbnailSvg(*mesh, 96);
    }
    progress.report(1.0);
    return out;
}

std::string formatBomHtml(const Bom& bom, const std::map<std::string, std::string>& thumbnails,
                          const std::string& title) {
    const std::string heading = title.empty() ? "Bill of materials — " + bom.treeName : title;
    std::string o;
    o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    o += "<title>" + esc(heading) + "</title>\n";
    o += "<style>\n"
         "body{font-family:sans-serif;margin:1.5em;color:#222}\n"
         "table{border-collapse:collapse;margin:1em 0}\n"
         "th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:middle;font-size:13px}\n"
         "th{background:#eef}\n"
         "td.n{text-align:right}\n"
         "tr.err td{background:#fee}\n"
         ".thumb{width:96px;height:96px}\n"
         "</style>\n</head>\n<body>\n";
    o += "<h1>" + esc(heading) + "</h1>\n";
    o += "<p>Products: " + esc([&] {
             std::string r;
             for (const auto& x : bom.roots) r += (r.empty() ? "" : ", ") + x;
             return r;
         }()) + (bom.commitId.empty() ? "" : " · commit <code>" + esc(bom.commitId) + "</code>") +
         (bom.fabName.empty() ? "" : " · fab: " + esc(bom.fabName)) + "</p>\n";
    o += fmt::format("<p>{} lines, {} pieces, {}, cost {} {}{}</p>\n", bom.total.lines, bom.total.pieces,
                     esc(massText(bom.total.mass)), money(bom.total.cost), esc(bom.currency),
                     bom.total.unknownCost ? fmt::format(" ({} lines without a cost)", bom.total.unknownCost) : "");
    o += "<table>\n<tr><th></th><th>Module</th><th>Part</th><th>Name</th><th>Qty</th><th>Process</th>"
         "<th>Material</th><th>Mass</th><th>Stock size (mm)</th><th>Unit cost</th><th>Line cost</th>"
         "<th>Fab</th><th>Supplier / SKU</th><th>Licence</th><th>File</th></tr>\n";
    for (const auto& l : bom.lines) {
        auto th = thumbnails.find(l.module + "/" + l.partId);
        o += l.ok() ? "<tr>" : "<tr class=\"err\">";
        o += "<td class=\"thumb\">" + (th == thumbnails.end() ? std::string() : th->second) + "</td>";
        o += "<td>" + esc(l.module) + "</td><td>" + esc(l.partId) + "</td><td>" + esc(l.name);
        for (const auto& e : l.errors) o += "<br><b>error:</b> " + esc(e);
        o += "</td>";
        o += "<td class=\"n\">" + std::to_string(l.quantity) + "</td>";
        o += "<td>" + esc(l.process) + "</td><td>" + esc(l.material) + "</td>";
        o += "<td class=\"n\">" + (l.mass ? esc(massText(*l.mass)) : std::string()) + "</td>";
        o += "<td>" + (l.stockSize ? fmt::format("{:.1f} × {:.1f} × {:.1f}", (*l.stockSize)[0], (*l.stockSize)[1],
                                                  (*l.stockSize)[2])
                                   : std::string()) +
             "</td>";
        o += "<td class=\"n\">" + (l.unitCost ? money(*l.unitCost) : std::string()) + "</td>";
        o += "<td class=\"n\">" + (l.lineCost ? money(*l.lineCost) : std::string()) + "</td>";
        o += "<td>" + esc(l.fabStatus) + (l.fabMachine.empty() ? "" : " (" + esc(l.fabMachine) + ")") + "</td>";
        o += "<td>" + esc(l.supplier) + (l.sku.empty() ? "" : " " + esc(l.sku)) + "</td>";
        o += "<td>" + esc(l.license) + "</td><td><code>" + esc(l.file) + "</code></td></tr>\n";
    }
    o += "</table>\n<h2>Totals per process</h2>\n<table>\n<tr><th>Process</th><th>Lines</th><th>Pieces</th>"
         "<th>Mass</th><th>Cost</th></tr>\n";
    for (const auto& [process, t] : bom.processTotals)
        o += "<tr><td>" + esc(process.empty() ? "(none)" : process) + "</td><td class=\"n\">" +
             std::to_string(t.lines) + "</td><td class=\"n\">" + std::to_string(t.pieces) + "</td><td class=\"n\">" +
             esc(massText(t.mass)) + "</td><td class=\"n\">" + money(t.cost) + "</td></tr>\n";
    o += "</table>\n";
    if (!bom.problems.empty()) {
        o += "<h2>Problems</h2>\n<ul>\n";
        for (const auto& p : bom.problems) o += "<li>" + esc(p) + "</li>\n";
        o += "</ul>\n";
    }
    o += "</body>\n</html>\n";
    return o;
}

} // namespace telar::core

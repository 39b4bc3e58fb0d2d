// Export of a design as an OKH-LOSH okh.toml.

#include "telar/core/okh.h"

#include <fmt/format.h>

#include <set>

namespace telar::core {

namespace {

std::string q(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (c < 0x20 || c == 0x7f) out += fmt::format("\\u{:04X}", unsigned(c));
            else out += char(c);
        }
    }
    return out + "\"";
}

std::string arr(const std::vector<std::string>& items) {
    if (items.empty()) return "[]";
    if (items.size() == 1) return "[" + q(items[0]) + "]";
    std::string out = "[\n";
    for (const auto& i : items) out += "  " + q(i) + ",\n";
    return out + "]";
}

std::string num(double v) {
    std::string s = fmt::format("{:.3f}", v);
    return s == "-0.000" ? "0.000" : s;
}

bool isMade(const BomLine& l) {
    return l.estimator == "print" || l.estimator == "cut" || l.estimator == "machine";
}

} // namespace

std::string okhTsdc(std::string_view process) {
    if (process == "fdm-print" || process == "sla-print") return "3DP";
    if (process == "laser-cut") return "LAS";
    if (process == "cnc-mill" || process == "cnc-router" || process == "turning" || process == "waterjet-cut")
        return "CNC";
    if (process == "pcb") return "PCB";
    if (process == "welding") return "WEL";
    if (process == "purchased") return "STD";
    return "MEC";
}

std::string formatOkhToml(const Design& design, const OkhExportOptions& options) {
    const ProjectManifest& p = design.project;
    std::vector<std::string> products = options.bom ? options.bom->roots : p.products;
    const ModuleManifest* product = products.empty() ? nullptr : design.module(products.front());
    std::string version = options.version;
    if (version.empty() && product) version = product->version;
    std::string license = product ? design.moduleLicense(*product) : p.license;
    std::string function = p.description;
    if (function.empty() && product) function = product->description;

    std::string o = "# OKH-LOSH manifest written by Telar from " + design.treeName + "\n";
    o += "okhv = \"OKH-LOSHv1.0\"\n";
    o += "name = " + q(p.name.empty() && product ? product->name : p.name) + "\n";
    if (!options.repoUrl.empty()) o += "repo = " + q(options.repoUrl) + "\n";
    if (!version.empty()) o += "version = " + q(version) + "\n";
    if (!license.empty()) o += "license = " + q(license) + "\n";
    if (!p.licensor.empty()) o += "licensor = " + q(p.licensor) + "\n";
    if (!function.empty()) o += "function = " + q(function) + "\n";
    if (!options.readme.empty()) o += "readme = " + q(options.readme) + "\n";
    if (!options.bomPath.empty()) o += "bom = " + q(options.bomPath) + "\n";

    std::set<std::string> sources, tsdc, exports;
    if (options.bom) {
        for (const auto& l : options.bom->lines) {
            if (!l.file.empty()) sources.insert(l.file);
            if (isMade(l)) tsdc.insert(okhTsdc(l.process));
            auto e = options.exports.find(l.module + "/" + l.partId);
            if (e != options.exports.end()) exports.insert(e->second.begin(), e->second.end());
        }
    } else {
        for (const auto& [id, m] : design.modules) {
            for (const auto& part : m.parts) {
                if (!part.filePath.empty()) sources.insert(part.filePath);
                if (!part.process.empty() && part.process != "purchased") tsdc.insert(okhTsdc(part.process));
            }
            for (const auto& a : m.assemblies)
                if (!a.filePath.empty()) sources.insert(a.filePath);
        }
    }
    o += "source = " + arr({sources.begin(), sources.end()}) + "\n";
    if (!exports.empty()) o += "export = " + arr({exports.begin(), exports.end()}) + "\n";
    if (!tsdc.empty()) o += "tsdc = " + arr({tsdc.begin(), tsdc.end()}) + "\n";
    if (p.upstream) {
        o += "fork-of = " + q(p.upstream->url) + "\n";
        if (!p.upstream->commit.empty()) o += "# forked from commit " + p.upstream->commit + "\n";
        for (const auto& older : p.lineage)
            o += "# earlier ancestor: " + older.url + (older.commit.empty() ? "" : " @ " + older.commit) + "\n";
    }
    if (options.bom) {
        o += "\n[mass]\nvalue = " + num(options.bom->total.mass / 1000.0) + "\nunit = \"kg\"\n";
        // The outer dimensions of an assembled product are not known to Telar (modules carry no
        // placement); each made part lists its own below.
        for (const auto& l : options.bom->lines) {
            if (!isMade(l)) continue;
            o += "\n[[part]]\n";
            o += "name = " + q(l.name.empty() ? l.partId : l.name) + "\n";
            o += "tsdc = " + q(okhTsdc(l.process)) + "\n";
            if (!l.material.empty()) o += "material = " + q(l.material) + "\n";
            if (!l.file.empty()) o += "source = " + q(l.file) + "\n";
            auto e = options.exports.find(l.module + "/" + l.partId);
            if (e != options.exports.end() && !e->second.empty()) o += "export = " + arr(e->second) + "\n";
            o += "# telar: module " + l.module + ", part " + l.partId + ", quantity " + std::to_string(l.quantity) +
                 ", process " + l.process + "\n";
            if (l.stockSize) {
                const auto& s = *l.stockSize;
                o += "\n[part.outer-dimensions]\nopenSCAD = " +
                     q(fmt::format("cube(size = [{:.1f},{:.1f},{:.1f}])", s[0], s[1], s[2])) + "\nunit = \"mm\"\n";
            }
            if (l.mass) o += "\n[part.mass]\nvalue = " + num(*l.mass) + "\nunit = \"g\"\n";
        }
    }
    return o;
}

} // namespace telar::core

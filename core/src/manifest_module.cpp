// Parsing and checking module.toml.
#include "toml_util.h"

#include "telar/core/paths.h"

#include <algorithm>
#include <cctype>

namespace telar::core {

using detail::DiagSink;
using detail::quoteToml;
using detail::TableReader;

namespace {

const char* kLicenseHint = "use an SPDX expression such as CERN-OHL-S-2.0 or CC-BY-4.0, or a LicenseRef-… "
                           "declared with [[license]] in telar.toml";

// Checks a `file` value and returns its repository-relative path ("" when unsafe).
std::string checkFile(const std::string& file, const std::string& moduleId, const SourceInfo& info,
                      DiagSink& sink) {
    PathResult p = normalisePath(moduleId, file);
    if (p.ok()) return p.path;
    const SourcePos pos = info.at("file");
    const std::string field = info.fieldPath("file");
    switch (p.problem) {
    case PathProblem::Absolute:
        sink.error(pos, field,
                   "must be relative to the module folder, got the absolute path " + quoteToml(file),
                   "write the path from the module folder, e.g. \"cad/part.step\"");
        break;
    case PathProblem::EscapesRoot:
        sink.error(pos, field, "must stay inside the repository, got " + quoteToml(file),
                   "copy the file into the repository and name it from the module folder");
        break;
    case PathProblem::Backslash:
        sink.error(pos, field, "must use '/' between folders, got " + quoteToml(file),
                   "replace '\\' with '/'");
        break;
    case PathProblem::Empty:
        sink.error(pos, field, "must name a file, got " + quoteToml(file),
                   "give the path of the CAD file or remove the field");
        break;
    default:
        sink.error(pos, field, "path " + describePathProblem(p.problem), "give a plain relative path");
        break;
    }
    return {};
}

void checkLicenseField(TableReader& r, std::string& out, const std::vector<std::string>& extraIds) {
    auto v = r.str("license");
    if (!v) return;
    if (auto err = checkLicense(*v, extraIds)) {
        r.sink().error(r.at("license"), r.field("license"), *err, kLicenseHint);
        return;
    }
    out = *v;
}

void readOrigin(const toml::table& t, const std::string& path, Origin& o, DiagSink& sink,
                const std::vector<std::string>& extraIds) {
    TableReader r(t, path, o.info, sink, {"source", "license", "author", "retrieved", "sha256"});
    if (auto v = r.str("source", true)) o.source = *v;
    if (!t.get("license")) {
        sink.error(o.info.pos, r.field("license"), "required field is missing",
                   "imported geometry keeps the licence it came with: add license = \"…\"");
    }
    checkLicenseField(r, o.license, extraIds);
    if (auto v = r.str("author")) o.author = *v;
    if (auto v = r.isoDate("retrieved")) o.retrieved = *v;
    if (auto v = r.str("sha256")) {
        if (detail::isHex(*v, 64)) {
            o.sha256 = *v;
            std::transform(o.sha256.begin(), o.sha256.end(), o.sha256.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        } else {
            sink.error(r.at("sha256"), r.field("sha256"),
                       "must be 64 hexadecimal digits, got " + quoteToml(*v),
                       "compute it with `sha256sum FILE` on the file as downloaded");
        }
    }
}

void readPart(const toml::table& t, const std::string& path, const std::string& moduleId, Part& p,
              DiagSink& sink, const std::vector<std::string>& extraIds) {
    TableReader r(t, path, p.source, sink,
                  {"id", "name", "file", "material", "process", "quantity", "unit_cost", "currency",
                   "supplier", "sku", "license", "notes", "origin"});
    if (auto v = r.str("id", true)) {
        if (isValidId(*v)) {
            p.id = *v;
        } else {
            sink.error(r.at("id"), r.field("id"),
                       "invalid id " + quoteToml(*v) +
                           ": use lower-case letters, digits, '.', '_' and '-', "
                           "starting with a letter or digit",
                       "e.g. \"side-plate\" or \"m8x20\"");
        }
    }
    if (auto v = r.str("name", true)) p.name = *v;
    if (auto v = r.str("file")) {
        p.file = *v;
        p.filePath = checkFile(*v, moduleId, p.source, sink);
    }
    if (auto v = r.str("material")) p.material = *v;
    if (auto v = r.str("process")) p.process = *v;
    if (auto v = r.positiveInt("quantity")) p.quantity = *v;
    if (auto v = r.nonNegative("unit_cost")) p.unitCost = *v;
    if (auto v = r.str("currency")) {
        if (detail::isCurrency(*v)) {
            p.currency = *v;
        } else {
            sink.error(r.at("currency"), r.field("currency"),
                       "must be a 3-letter ISO 4217 code in upper case, got " + quoteToml(*v),
                       "e.g. \"USD\", \"EUR\" or \"GBP\"");
        }
    }
    if (auto v = r.str("supplier")) p.supplier = *v;
    if (auto v = r.str("sku")) p.sku = *v;
    checkLicenseField(r, p.license, extraIds);
    if (auto v = r.str("notes")) p.notes = *v;
    if (const toml::table* o = r.table("origin")) {
        Origin origin;
        readOrigin(*o, r.field("origin"), origin, sink, extraIds);
        p.origin = std::move(origin);
    }
}

void readAssembly(const toml::table& t, const std::string& path, const std::string& moduleId, Assembly& a,
                  DiagSink& sink, const std::vector<std::string>& extraIds) {
    TableReader r(t, path, a.source, sink, {"file", "process", "material", "license", "rule"});
    if (auto v = r.str("file", true)) {
        a.file = *v;
        a.filePath = checkFile(*v, moduleId, a.source, sink);
    }
    if (auto v = r.str("process")) a.process = *v;
    if (auto v = r.str("material")) a.material = *v;
    checkLicenseField(r, a.license, extraIds);
    if (const toml::array* rules = r.tableArray("rule")) {
        std::size_t index = 0;
        for (const auto& node : *rules) {
            AssemblyRule rule;
            TableReader rr(*node.as_table(), r.field("rule") + "[" + std::to_string(++index) + "]",
                           rule.source, sink, {"match", "process", "material"});
            if (auto v = rr.str("match", true)) rule.match = *v;
            if (auto v = rr.str("process")) rule.process = *v;
            if (auto v = rr.str("material")) rule.material = *v;
            if (rule.process.empty() && rule.material.empty() && node.as_table()->get("match"))
                sink.warning(rule.source.pos, rule.source.path, "rule changes nothing",
                             "give it a process, a material or both");
            a.rules.push_back(std::move(rule));
        }
    }
}

} // namespace

ModuleManifest parseModuleManifest(std::string_view text, const std::string& file,
                                   const std::string& moduleId, std::vector<Diagnostic>& diags,
                                   const std::vector<std::string>& extraLicenseIds) {
    ModuleManifest m;
    m.id = moduleId;
    std::vector<Diagnostic> local;
    DiagSink sink(file, local);
    auto root = detail::parseToml(text, sink);
    if (!root) {
        diags.insert(diags.end(), local.begin(), local.end());
        return m;
    }
    SourceInfo rootInfo;
    TableReader top(*root, "", rootInfo, sink, {"module", "part", "assembly", "use"});

    if (const toml::table* t = top.table("module")) {
        TableReader r(*t, "module", m.source, sink, {"name", "version", "license", "description"});
        if (auto v = r.str("name", true)) m.name = *v;
        if (auto v = r.str("version")) {
            m.version = *v;
            if (!detail::isSemver(*v))
                sink.warning(r.at("version"), "module.version", "is not a semantic version: " + quoteToml(*v),
                             "use MAJOR.MINOR.PATCH, e.g. \"1.3.0\"");
        }
        checkLicenseField(r, m.license, extraLicenseIds);
        if (auto v = r.str("description")) m.description = *v;
    } else if (!root->get("module")) {
        sink.error({}, "module", "required table [module] is missing",
                   "start module.toml with [module] and name = \"…\" (telar module add writes one)");
    }

    if (const toml::array* parts = top.tableArray("part")) {
        std::size_t index = 0;
        for (const auto& node : *parts) {
            Part p;
            readPart(*node.as_table(), "part[" + std::to_string(++index) + "]", moduleId, p, sink,
                     extraLicenseIds);
            if (const Part* first = p.id.empty() ? nullptr : m.findPart(p.id)) {
                sink.error(p.source.at("id"), p.source.fieldPath("id"),
                           "duplicate part id '" + p.id + "' (first defined at line " +
                               std::to_string(first->source.pos.line) + ")",
                           "give each part of a module its own id");
            }
            m.parts.push_back(std::move(p));
        }
    }
    if (const toml::array* assemblies = top.tableArray("assembly")) {
        std::size_t index = 0;
        for (const auto& node : *assemblies) {
            Assembly a;
            readAssembly(*node.as_table(), "assembly[" + std::to_string(++index) + "]", moduleId, a, sink,
                         extraLicenseIds);
            m.assemblies.push_back(std::move(a));
        }
    }
    if (const toml::array* uses = top.tableArray("use")) {
        std::size_t index = 0;
        for (const auto& node : *uses) {
            Use u;
            TableReader r(*node.as_table(), "use[" + std::to_string(++index) + "]", u.source, sink,
                          {"module", "quantity"});
            if (auto v = r.str("module", true)) {
                if (!isValidModuleId(*v)) {
                    sink.error(r.at("module"), r.field("module"), "invalid module id " + quoteToml(*v),
                               "name the module's folder from the repository root, e.g. \"axes/x\"");
                } else {
                    u.module = *v;
                }
            }
            if (auto v = r.positiveInt("quantity")) u.quantity = *v;
            for (const auto& other : m.uses) {
                if (!u.module.empty() && other.module == u.module) {
                    sink.error(r.at("module"), r.field("module"),
                               "module '" + u.module + "' is already used at line " +
                                   std::to_string(other.source.pos.line),
                               "use each module once and raise its quantity instead");
                    u.module.clear();
                    break;
                }
            }
            m.uses.push_back(std::move(u));
        }
    }
    sortDiagnostics(local);
    diags.insert(diags.end(), local.begin(), local.end());
    return m;
}

} // namespace telar::core

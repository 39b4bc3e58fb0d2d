// Loading and checking resources/materials.toml and resources/processes.toml.
#include "telar/core/catalog.h"

#include "telar/error.h"
#include "toml_util.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace telar::core {

using detail::DiagSink;
using detail::TableReader;

const std::vector<std::string>& materialKinds() {
    static const std::vector<std::string> kinds = {"filament", "resin", "sheet", "plate",
                                                   "bar",      "tube",  "block", "pcb"};
    return kinds;
}

bool Material::hasKind(std::string_view kind) const {
    return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

double Process::parameter(std::string_view key, double fallback) const {
    auto it = parameters.find(std::string(key));
    return it == parameters.end() ? fallback : it->second;
}

bool Process::takes(const Material& m) const {
    for (const auto& a : accepts)
        if (a == "*" || m.hasKind(a)) return true;
    return false;
}

namespace {

// Parameters each estimator needs.
const std::map<std::string, std::vector<std::string>>& requiredParameters() {
    static const std::map<std::string, std::vector<std::string>> req = {
        {"print", {"infill", "shells", "layer_height_mm", "speed_mm3_per_s"}},
        {"cut", {"kerf_mm", "speed_mm_per_s", "pierce_s"}},
        {"machine", {"removal_rate_cm3_per_min", "setup_min"}},
        {"purchased", {}},
        {"labour", {"minutes_per_part"}},
    };
    return req;
}

// Throws the first error in diags as a ManifestError.
void throwFirstError(const std::vector<Diagnostic>& diags) {
    for (const auto& d : diags)
        if (d.severity == Severity::Error) throw ManifestError(d.file, d.line, d.column, d.field, d.message);
}

bool validKindList(TableReader& r, std::string_view key, const std::vector<std::string>& values,
                   bool allowStar) {
    for (const auto& v : values) {
        const auto& kinds = materialKinds();
        if ((allowStar && v == "*") || std::find(kinds.begin(), kinds.end(), v) != kinds.end()) continue;
        r.sink().error(r.at(key), r.field(key), "unknown material kind '" + v + "'" + didYouMean(v, kinds),
                       "use filament, resin, sheet, plate, bar, tube, block or pcb");
        return false;
    }
    return true;
}

std::vector<Material> readMaterials(std::string_view text, DiagSink& sink) {
    std::vector<Material> out;
    auto root = detail::parseToml(text, sink);
    if (!root) return out;
    SourceInfo info;
    TableReader top(*root, "", info, sink, {"material"});
    const toml::array* arr = top.tableArray("material");
    if (!arr) {
        if (!root->get("material")) sink.error({}, "material", "no [[material]] entries", "add materials");
        return out;
    }
    std::size_t index = 0;
    for (const auto& node : *arr) {
        Material m;
        SourceInfo src;
        TableReader r(
            *node.as_table(), "material[" + std::to_string(++index) + "]", src, sink,
            {"id", "name", "kind", "other_kinds", "density", "price_per_kg", "thicknesses", "notes"});
        if (auto v = r.str("id", true)) {
            if (!isValidId(*v))
                sink.error(r.at("id"), r.field("id"), "invalid id " + detail::quoteToml(*v), "");
            else if (std::any_of(out.begin(), out.end(), [&](const Material& o) { return o.id == *v; }))
                sink.error(r.at("id"), r.field("id"), "duplicate material id '" + *v + "'", "");
            else
                m.id = *v;
        }
        if (auto v = r.str("name", true)) m.name = *v;
        if (auto v = r.str("kind", true)) {
            if (validKindList(r, "kind", {*v}, false)) m.kinds.push_back(*v);
        }
        if (auto v = r.strings("other_kinds")) {
            if (validKindList(r, "other_kinds", *v, false))
                for (auto& k : *v)
                    if (!m.hasKind(k)) m.kinds.push_back(k);
        }
        if (auto v = r.nonNegative("density")) {
            if (*v <= 0 || *v > 25)
                sink.error(r.at("density"), r.field("density"), "must be a density in g/cm³ between 0 and 25",
                           "");
            else
                m.density = *v;
        } else if (!node.as_table()->get("density")) {
            sink.error(r.pos(), r.field("density"), "required field is missing", "add density = … (g/cm³)");
        }
        if (auto v = r.nonNegative("price_per_kg"))
            m.pricePerKg = *v;
        else if (!node.as_table()->get("price_per_kg"))
            sink.error(r.pos(), r.field("price_per_kg"), "required field is missing",
                       "add price_per_kg = … (USD)");
        if (const toml::node* t = node.as_table()->get("thicknesses")) {
            const toml::array* ta = t->as_array();
            bool ok = ta != nullptr;
            if (ta)
                for (const auto& e : *ta) {
                    auto d = e.value<double>();
                    if (!d || *d <= 0)
                        ok = false;
                    else
                        m.thicknesses.push_back(*d);
                }
            if (!ok)
                sink.error(detail::posOf(*t), r.field("thicknesses"),
                           "must be an array of positive numbers (mm)", "");
        }
        if (auto v = r.str("notes")) m.notes = *v;
        if (!m.id.empty() && !m.kinds.empty() && m.density > 0) out.push_back(std::move(m));
    }
    return out;
}

std::vector<Process> readProcesses(std::string_view text, DiagSink& sink) {
    std::vector<Process> out;
    auto root = detail::parseToml(text, sink);
    if (!root) return out;
    SourceInfo info;
    TableReader top(*root, "", info, sink, {"process"});
    const toml::array* arr = top.tableArray("process");
    if (!arr) {
        if (!root->get("process")) sink.error({}, "process", "no [[process]] entries", "add processes");
        return out;
    }
    std::size_t index = 0;
    for (const auto& node : *arr) {
        Process p;
        SourceInfo src;
        TableReader r(*node.as_table(), "process[" + std::to_string(++index) + "]", src, sink,
                      {"id", "name", "estimator", "accepts", "hourly_rate", "parameters"});
        if (auto v = r.str("id", true)) {
            if (!isValidId(*v))
                sink.error(r.at("id"), r.field("id"), "invalid id " + detail::quoteToml(*v), "");
            else if (std::any_of(out.begin(), out.end(), [&](const Process& o) { return o.id == *v; }))
                sink.error(r.at("id"), r.field("id"), "duplicate process id '" + *v + "'", "");
            else
                p.id = *v;
        }
        if (auto v = r.str("name", true)) p.name = *v;
        if (auto v = r.str("estimator", true)) {
            if (requiredParameters().count(*v)) {
                p.estimator = *v;
            } else {
                sink.error(r.at("estimator"), r.field("estimator"), "unknown estimator '" + *v + "'",
                           "use print, cut, machine, purchased or labour");
            }
        }
        if (auto v = r.strings("accepts")) {
            if (validKindList(r, "accepts", *v, true)) p.accepts = *v;
        } else if (!node.as_table()->get("accepts")) {
            sink.error(r.pos(), r.field("accepts"), "required field is missing",
                       "list the material kinds it takes");
        }
        if (auto v = r.nonNegative("hourly_rate")) p.hourlyRate = *v;
        if (const toml::table* params = r.table("parameters")) {
            for (auto&& [key, value] : *params) {
                auto d = value.value<double>();
                if (!d || *d < 0) {
                    sink.error(detail::posOf(value), r.field("parameters." + std::string(key.str())),
                               "must be a number of 0 or more, got " + detail::describeValue(value), "");
                    continue;
                }
                p.parameters[std::string(key.str())] = *d;
            }
        }
        if (!p.estimator.empty()) {
            for (const auto& req : requiredParameters().at(p.estimator))
                if (!p.parameters.count(req))
                    sink.error(r.pos(), r.field("parameters." + req), "required parameter is missing",
                               "the " + p.estimator + " estimator needs it");
        }
        if (!p.id.empty() && !p.estimator.empty()) out.push_back(std::move(p));
    }
    return out;
}

std::string readWholeFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error("cannot read " + file.string() + ": the resource file is missing or unreadable");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> ids(const auto& items) {
    std::vector<std::string> out;
    for (const auto& i : items)
        out.push_back(i.id);
    return out;
}

} // namespace

Catalog Catalog::fromText(std::string_view materialsToml, std::string_view processesToml,
                          const std::string& materialsName, const std::string& processesName) {
    std::vector<Diagnostic> diags;
    DiagSink ms(materialsName, diags);
    Catalog c;
    c.m_materials = readMaterials(materialsToml, ms);
    DiagSink ps(processesName, diags);
    c.m_processes = readProcesses(processesToml, ps);
    sortDiagnostics(diags);
    throwFirstError(diags);
    return c;
}

Catalog Catalog::load(const std::filesystem::path& dir) {
    const auto mf = dir / "materials.toml";
    const auto pf = dir / "processes.toml";
    return fromText(readWholeFile(mf), readWholeFile(pf), mf.string(), pf.string());
}

std::filesystem::path Catalog::resourceDir(const std::filesystem::path& dir) {
    if (!dir.empty()) return dir;
    if (const char* env = std::getenv("TELAR_RESOURCE_DIR"); env && *env) return env;
#ifdef TELAR_RESOURCE_INSTALL_REL
    // An installed program: the share folder beside its bin folder, when it holds the catalogue.
    std::error_code ec;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const std::filesystem::path installed = self.parent_path() / TELAR_RESOURCE_INSTALL_REL;
        if (std::filesystem::is_regular_file(installed / "materials.toml", ec)) return installed.lexically_normal();
    }
#endif
#ifdef TELAR_RESOURCE_DIR
    return TELAR_RESOURCE_DIR;
#else
    return "resources";
#endif
}

Catalog Catalog::loadDefault(const std::filesystem::path& dir) {
    return load(resourceDir(dir));
}

std::optional<Material> Catalog::material(std::string_view id) const {
    for (const auto& m : m_materials)
        if (m.id == id) return m;
    return std::nullopt;
}

std::optional<Process> Catalog::process(std::string_view id) const {
    for (const auto& p : m_processes)
        if (p.id == id) return p;
    return std::nullopt;
}

std::vector<std::string> Catalog::suggestMaterials(std::string_view id) const {
    return closestMatches(id, ids(m_materials), 3);
}

std::vector<std::string> Catalog::suggestProcesses(std::string_view id) const {
    return closestMatches(id, ids(m_processes), 3);
}

} // namespace telar::core

// Parsing and checking telar.toml.
#include "toml_util.h"

#include <algorithm>
#include <cctype>

namespace telar::core {

using detail::DiagSink;
using detail::TableReader;

namespace {

// A value from a fixed set; reports anything else with a did-you-mean.
std::optional<std::string> oneOf(TableReader& r, std::string_view key,
                                 const std::vector<std::string>& allowed) {
    auto value = r.str(key);
    if (!value) return std::nullopt;
    if (std::find(allowed.begin(), allowed.end(), *value) != allowed.end()) return value;
    std::string list;
    for (const auto& a : allowed)
        list += (list.empty() ? "" : ", ") + a;
    r.sink().error(r.at(key), r.field(key),
                   "must be one of " + list + ", got " + detail::quoteToml(*value) +
                       didYouMean(*value, allowed),
                   "use one of: " + list);
    return std::nullopt;
}

void readUpstream(const toml::table& table, const std::string& path, Upstream& up, DiagSink& sink) {
    TableReader r(table, path, up.source, sink, {"url", "commit", "forked"});
    if (auto v = r.str("url", true)) up.url = *v;
    if (auto v = r.str("commit", true)) {
        if (detail::isHex(*v, 40)) {
            up.commit = *v;
            std::transform(up.commit.begin(), up.commit.end(), up.commit.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        } else {
            sink.error(up.source.at("commit"), r.field("commit"),
                       "must be a full commit id of 40 hexadecimal digits, got " + detail::quoteToml(*v),
                       "copy the full id from `git rev-parse HEAD` in the upstream repository");
        }
    }
    if (auto v = r.isoDate("forked")) up.forked = *v;
}

void readLicense(const toml::table& table, const std::string& path, DeclaredLicense& lic, DiagSink& sink) {
    TableReader r(table, path, lic.source, sink,
                  {"id", "name", "attribution", "share_alike", "source_disclosure", "commercial",
                   "derivatives", "oshwa_compatible", "summary"});
    if (auto v = r.str("id", true)) {
        bool ok = v->rfind("LicenseRef-", 0) == 0 && v->size() > 11;
        for (char c : *v)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.')) ok = false;
        if (ok) {
            lic.id = *v;
        } else {
            sink.error(lic.source.at("id"), r.field("id"),
                       "must be LicenseRef- followed by letters, digits, '.' or '-', got " +
                           detail::quoteToml(*v),
                       "name it like LicenseRef-CBRL-1.0");
        }
    }
    if (auto v = r.str("name", true)) lic.name = *v;
    if (auto v = r.boolean("attribution")) lic.attribution = *v;
    if (auto v = oneOf(r, "share_alike", {"none", "file", "design"})) lic.shareAlike = *v;
    if (auto v = r.boolean("source_disclosure")) lic.sourceDisclosure = *v;
    if (auto v = oneOf(r, "commercial", {"free", "reciprocity", "forbidden"})) lic.commercial = *v;
    if (auto v = r.boolean("derivatives")) lic.derivatives = *v;
    if (auto v = r.boolean("oshwa_compatible")) lic.oshwaCompatible = *v;
    if (auto v = r.str("summary")) lic.summary = *v;
}

} // namespace

ProjectManifest parseProjectManifest(std::string_view text, const std::string& file,
                                     std::vector<Diagnostic>& diags) {
    ProjectManifest m;
    std::vector<Diagnostic> local;
    DiagSink sink(file, local);
    auto root = detail::parseToml(text, sink);
    if (!root) {
        diags.insert(diags.end(), local.begin(), local.end());
        return m;
    }
    SourceInfo rootInfo;
    TableReader top(*root, "", rootInfo, sink, {"project", "upstream", "lineage", "reciprocity", "license"});

    // Declared licences first: the project licence may name them.
    if (const toml::array* arr = top.tableArray("license")) {
        std::size_t index = 0;
        for (const auto& node : *arr) {
            ++index;
            DeclaredLicense lic;
            readLicense(*node.as_table(), "license[" + std::to_string(index) + "]", lic, sink);
            for (const auto& other : m.licenses) {
                if (!lic.id.empty() && other.id == lic.id) {
                    sink.error(lic.source.at("id"), lic.source.fieldPath("id"),
                               "duplicate licence id '" + lic.id + "' (first declared at line " +
                                   std::to_string(other.source.pos.line) + ")",
                               "give each [[license]] its own id");
                    lic.id.clear();
                    break;
                }
            }
            m.licenses.push_back(std::move(lic));
        }
    }
    const std::vector<std::string> declared = m.declaredLicenseIds();

    if (const toml::table* project = top.table("project")) {
        TableReader r(*project, "project", m.source, sink,
                      {"name", "description", "license", "licensor", "products"});
        if (auto v = r.str("name", true)) m.name = *v;
        if (auto v = r.str("description")) m.description = *v;
        if (auto v = r.str("licensor")) m.licensor = *v;
        if (auto v = r.str("license")) {
            if (auto err = checkLicense(*v, declared)) {
                sink.error(m.source.at("license"), "project.license", *err,
                           "use an SPDX expression such as CERN-OHL-S-2.0, or declare LicenseRef-… with "
                           "[[license]]");
            } else {
                m.license = *v;
            }
        }
        if (auto v = r.strings("products", &m.productPos)) {
            std::vector<std::string> good;
            std::vector<SourcePos> goodPos;
            for (std::size_t i = 0; i < v->size(); ++i) {
                const std::string& id = (*v)[i];
                const std::string field = "project.products[" + std::to_string(i + 1) + "]";
                if (!isValidModuleId(id)) {
                    sink.error(m.productPos[i], field, "invalid module id " + detail::quoteToml(id),
                               "name a module folder such as \"press\" or \"axes/x\"");
                } else if (std::find(good.begin(), good.end(), id) != good.end()) {
                    sink.error(m.productPos[i], field, "duplicate product '" + id + "'",
                               "list each product once");
                } else {
                    good.push_back(id);
                    goodPos.push_back(m.productPos[i]);
                }
            }
            m.products = std::move(good);
            m.productPos = std::move(goodPos);
        }
    } else if (!root->get("project")) {
        sink.error({}, "project", "required table [project] is missing",
                   "start telar.toml with [project] and name = \"…\" (telar init writes one)");
    }

    if (const toml::table* t = top.table("upstream")) {
        Upstream up;
        readUpstream(*t, "upstream", up, sink);
        m.upstream = std::move(up);
    }
    if (const toml::array* arr = top.tableArray("lineage")) {
        std::size_t index = 0;
        for (const auto& node : *arr) {
            Upstream up;
            readUpstream(*node.as_table(), "lineage[" + std::to_string(++index) + "]", up, sink);
            m.lineage.push_back(std::move(up));
        }
    }
    if (const toml::table* t = top.table("reciprocity")) {
        Reciprocity rec;
        TableReader r(*t, "reciprocity", rec.source, sink, {"steward", "contact", "terms"});
        if (auto v = r.str("steward", true)) rec.steward = *v;
        if (auto v = r.str("contact")) rec.contact = *v;
        if (auto v = r.str("terms")) rec.terms = *v;
        m.reciprocity = std::move(rec);
    }
    sortDiagnostics(local);
    diags.insert(diags.end(), local.begin(), local.end());
    return m;
}

} // namespace telar::core

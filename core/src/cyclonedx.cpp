// The BOM as a CycloneDX 1.5 JSON document (hardware components, licences, fork pedigree).

#include "telar/core/cyclonedx.h"
#include "telar/core/license_check.h"
#include "telar/core/sha256.h"

#include <nlohmann/json.hpp>

#include <ctime>
#include <set>

namespace telar::core {

namespace {

using OJson = nlohmann::ordered_json;

std::string isoTime(std::int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

OJson licenses(const std::string& expr) {
    if (expr.empty()) return OJson::array();
    return OJson::array({OJson{{"expression", expr}}});
}

// A UUID (version 4 layout) from the first 128 bits of a SHA-256: stable for the same content.
std::string uuidFrom(const std::string& hex) {
    std::string h = hex.substr(0, 32);
    h[12] = '4';
    const char variant[] = "89ab";
    h[16] = variant[(h[16] >= 'a' ? h[16] - 'a' + 10 : h[16] - '0') & 3];
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

OJson ancestor(const Upstream& u, const std::string& name) {
    OJson a{{"type", "device"}, {"name", name}};
    if (!u.commit.empty()) a["version"] = u.commit;
    OJson refs = OJson::array();
    if (!u.url.empty()) refs.push_back({{"type", "vcs"}, {"url", u.url}});
    if (!refs.empty()) a["externalReferences"] = refs;
    if (!u.forked.empty()) a["properties"] = OJson::array({{{"name", "telar:forked"}, {"value", u.forked}}});
    return a;
}

} // namespace

std::string formatBomCycloneDx(const Bom& bom, const Design& design, const CycloneDxOptions& options) {
    const std::string product = bom.roots.empty() ? std::string() : bom.roots.front();
    const ModuleManifest* productModule = design.module(product);
    std::string version = options.version;
    if (version.empty() && productModule) version = productModule->version;

    OJson meta = OJson::object();
    if (options.timestamp != 0) meta["timestamp"] = isoTime(options.timestamp);
    meta["tools"] = {{"components", OJson::array({{{"type", "application"}, {"name", "telar"}, {"version", "0.1.0"}}})}};
    OJson root{{"type", "device"}, {"bom-ref", "product:" + product}, {"name", design.project.name.empty() ? product : design.project.name}};
    if (!version.empty()) root["version"] = version;
    if (!design.project.description.empty()) root["description"] = design.project.description;
    if (productModule) root["licenses"] = licenses(design.moduleLicense(*productModule));
    if (!design.project.licensor.empty()) root["supplier"] = {{"name", design.project.licensor}};
    // The fork chain: the direct upstream first, then older ancestors, each an ancestor of the next.
    if (design.project.upstream) {
        OJson chain = ancestor(*design.project.upstream, (design.project.name.empty() ? product : design.project.name) + " (upstream)");
        OJson* tip = &chain;
        int n = 1;
        for (const auto& older : design.project.lineage) {
            (*tip)["pedigree"] = {{"ancestors", OJson::array({ancestor(older, "ancestor " + std::to_string(++n))})}};
            tip = &(*tip)["pedigree"]["ancestors"][0];
        }
        root["pedigree"] = {{"ancestors", OJson::array({chain})}};
    }
    if (!bom.commitId.empty())
        root["properties"] = OJson::array({{{"name", "telar:commit"}, {"value", bom.commitId}}});
    meta["component"] = root;

    // Modules in BOM order with their lines as nested components.
    std::vector<std::string> moduleOrder;
    std::set<std::string> seen;
    for (const auto& l : bom.lines)
        if (seen.insert(l.module).second) moduleOrder.push_back(l.module);
    for (const auto& r : bom.roots)
        if (seen.insert(r).second) moduleOrder.push_back(r);

    OJson components = OJson::array();
    for (const auto& id : moduleOrder) {
        const ModuleManifest* m = design.module(id);
        OJson mc{{"type", "device"}, {"bom-ref", "module:" + id}, {"name", m && !m->name.empty() ? m->name : id}};
        if (m && !m->version.empty()) mc["version"] = m->version;
        if (m) mc["licenses"] = licenses(design.moduleLicense(*m));
        OJson parts = OJson::array();
        for (const auto& l : bom.lines) {
            if (l.module != id) continue;
            OJson pc{{"type", "device"}, {"bom-ref", "part:" + l.module + "/" + l.partId}, {"name", l.name.empty() ? l.partId : l.name}};
            if (!l.license.empty()) pc["licenses"] = licenses(l.license);
            if (!l.supplier.empty()) pc["supplier"] = {{"name", l.supplier}};
            OJson props = OJson::array();
            props.push_back({{"name", "telar:quantity"}, {"value", std::to_string(l.quantity)}});
            if (!l.process.empty()) props.push_back({{"name", "telar:process"}, {"value", l.process}});
            if (!l.material.empty()) props.push_back({{"name", "telar:material"}, {"value", l.material}});
            if (l.mass) props.push_back({{"name", "telar:mass_g"}, {"value", std::to_string(*l.mass)}});
            if (!l.sku.empty()) props.push_back({{"name", "telar:sku"}, {"value", l.sku}});
            if (!l.file.empty()) props.push_back({{"name", "telar:file"}, {"value", l.file}});
            if (!l.blobId.empty()) props.push_back({{"name", "telar:blob"}, {"value", l.blobId}});
            pc["properties"] = props;
            // Imported geometry: its origin is the part's ancestor.
            if (m && l.assembly.empty()) {
                const Part* part = m->findPart(l.partId);
                if (part && part->origin) {
                    const Origin& o = *part->origin;
                    OJson a{{"type", "device"}, {"name", o.source.empty() ? l.name : o.source}};
                    if (!o.author.empty()) a["author"] = o.author;
                    if (!o.license.empty()) a["licenses"] = licenses(o.license);
                    if (!o.sha256.empty()) a["hashes"] = OJson::array({{{"alg", "SHA-256"}, {"content", o.sha256}}});
                    if (!o.source.empty()) a["externalReferences"] = OJson::array({{{"type", "distribution"}, {"url", o.source}}});
                    pc["pedigree"] = {{"ancestors", OJson::array({a})}};
                    if (!o.retrieved.empty()) pc["pedigree"]["notes"] = "retrieved " + o.retrieved;
                }
            }
            parts.push_back(pc);
        }
        if (!parts.empty()) mc["components"] = parts;
        components.push_back(mc);
    }

    OJson deps = OJson::array();
    OJson rootDeps = OJson::array();
    for (const auto& r : bom.roots) rootDeps.push_back("module:" + r);
    deps.push_back({{"ref", "product:" + product}, {"dependsOn", rootDeps}});
    for (const auto& id : moduleOrder) {
        OJson on = OJson::array();
        for (const auto& use : design.graph.children(id)) on.push_back("module:" + use.module);
        for (const auto& l : bom.lines)
            if (l.module == id) on.push_back("part:" + l.module + "/" + l.partId);
        deps.push_back({{"ref", "module:" + id}, {"dependsOn", on}});
    }

    OJson doc{{"bomFormat", "CycloneDX"}, {"specVersion", "1.5"}};
    OJson body{{"metadata", meta}, {"components", components}, {"dependencies", deps}};
    doc["serialNumber"] = "urn:uuid:" + uuidFrom(sha256Hex(body.dump()));
    doc["version"] = 1;
    doc["metadata"] = body["metadata"];
    doc["components"] = body["components"];
    doc["dependencies"] = body["dependencies"];
    return doc.dump(2) + "\n";
}

} // namespace telar::core

// The hardware-aware diff: manifests compared record by record (modules by id, parts by id, uses
// by module), licences called out, geometry measured through the geometry cache, and the cost of
// the products from their BOMs.

#include "telar/core/diff.h"

#include "telar/core/bom.h"
#include "telar/core/design.h"
#include "telar/error.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <set>

namespace telar::core {

namespace {

std::string num(double v) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
}

void field(std::vector<FieldChange>& out, const std::string& name, const std::string& a, const std::string& b) {
    if (a != b) out.push_back({name, a, b});
}

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields partFields(const Part& p) {
    Fields f = {{"name", p.name},         {"file", p.file},
                {"material", p.material}, {"process", p.process},
                {"quantity", std::to_string(p.quantity)},
                {"unit_cost", p.unitCost ? num(*p.unitCost) : ""},
                {"currency", p.currency}, {"supplier", p.supplier},
                {"sku", p.sku},           {"license", p.license},
                {"notes", p.notes}};
    if (p.origin) {
        f.push_back({"origin.source", p.origin->source});
        f.push_back({"origin.license", p.origin->license});
        f.push_back({"origin.author", p.origin->author});
        f.push_back({"origin.retrieved", p.origin->retrieved});
        f.push_back({"origin.sha256", p.origin->sha256});
    } else {
        for (const char* k : {"origin.source", "origin.license", "origin.author", "origin.retrieved", "origin.sha256"})
            f.push_back({k, ""});
    }
    return f;
}

void compareFields(std::vector<FieldChange>& out, const Fields& a, const Fields& b) {
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) field(out, a[i].first, a[i].second, b[i].second);
}

Fields moduleFields(const ModuleManifest& m) {
    Fields f = {{"name", m.name}, {"version", m.version}, {"license", m.license}, {"description", m.description}};
    return f;
}

// [[use]] and [[assembly]] records as fields of their module.
std::map<std::string, std::string> recordFields(const ModuleManifest& m) {
    std::map<std::string, std::string> out;
    for (const auto& u : m.uses) out["use[" + u.module + "].quantity"] = std::to_string(u.quantity);
    for (const auto& a : m.assemblies) {
        const std::string k = "assembly[" + a.file + "].";
        out[k + "process"] = a.process;
        out[k + "material"] = a.material;
        out[k + "license"] = a.license;
        std::string rules;
        for (const auto& r : a.rules) rules += (rules.empty() ? "" : "; ") + r.match + " → " + r.process + (r.material.empty() ? "" : "/" + r.material);
        out[k + "rules"] = rules;
    }
    return out;
}

void compareMaps(std::vector<FieldChange>& out, const std::map<std::string, std::string>& a,
                 const std::map<std::string, std::string>& b) {
    std::set<std::string> keys;
    for (const auto& [k, _] : a) keys.insert(k);
    for (const auto& [k, _] : b) keys.insert(k);
    for (const auto& k : keys) {
        auto ia = a.find(k), ib = b.find(k);
        field(out, k, ia == a.end() ? "" : ia->second, ib == b.end() ? "" : ib->second);
    }
}

Fields projectFields(const ProjectManifest& p) {
    Fields f = {{"project.name", p.name},       {"project.description", p.description},
                {"project.license", p.license}, {"project.licensor", p.licensor},
                {"project.products", joined(p.products)}};
    f.push_back({"upstream.url", p.upstream ? p.upstream->url : ""});
    f.push_back({"upstream.commit", p.upstream ? p.upstream->commit : ""});
    f.push_back({"upstream.forked", p.upstream ? p.upstream->forked : ""});
    f.push_back({"reciprocity.steward", p.reciprocity ? p.reciprocity->steward : ""});
    f.push_back({"reciprocity.contact", p.reciprocity ? p.reciprocity->contact : ""});
    f.push_back({"reciprocity.terms", p.reciprocity ? p.reciprocity->terms : ""});
    f.push_back({"lineage", std::to_string(p.lineage.size())});
    std::vector<std::string> declared = p.declaredLicenseIds();
    f.push_back({"license", joined(declared)});
    return f;
}

std::string arrow(const std::string& a, const std::string& b) {
    return (a.empty() ? "(none)" : a) + " → " + (b.empty() ? "(none)" : b);
}

void licence(DesignDiff& d, const std::string& scope, const std::string& module, const std::string& part,
             const std::string& a, const std::string& b) {
    if (a == b) return;
    std::string who = scope == "project" ? "project"
                      : scope == "module" ? "module " + module
                      : scope == "origin" ? "origin of " + module + "/" + part
                                          : scope + " " + module + "/" + part;
    d.licences.push_back({scope, module, part, a, b, who + ": " + arrow(a, b)});
}

// The measurement of one CAD file for one part.
struct Measured {
    std::optional<double> volume, mass;
    std::optional<std::array<double, 3>> size;
    std::string error;
};

Measured measure(const GeometryOutcome& o, const std::string& material, const Catalog& catalog) {
    Measured m;
    if (!o.ok()) {
        m.error = o.error;
        return m;
    }
    const auto& r = *o.result;
    if (r.parts.size() == 1 && r.parts[0].quantity == 1) {
        m.volume = r.parts[0].volume;
        m.size = std::array<double, 3>{r.parts[0].orientedSize.x, r.parts[0].orientedSize.y, r.parts[0].orientedSize.z};
    } else {
        m.volume = r.totals.volume;
        const cad::Vec3 s = r.totals.bbox.size();
        std::array<double, 3> a{s.x, s.y, s.z};
        std::sort(a.begin(), a.end(), std::greater<>());
        m.size = a;
    }
    if (auto mat = catalog.material(material)) m.mass = *m.volume / 1000.0 * mat->density;
    return m;
}

std::optional<Bom> bomOf(const Design& design, const Tree& tree, const Catalog& catalog, GeometryCache& cache,
                         const FabProfile* fab, const Progress& progress) {
    if (!design.hasProject || design.modules.empty()) return std::nullopt;
    BomOptions options;
    options.fab = fab;
    try {
        return computeBom(design, tree, catalog, cache, options, progress);
    } catch (const UsageError&) {
        return std::nullopt; // no products to price
    }
}

} // namespace

const char* changeKindName(ChangeKind kind) {
    switch (kind) {
    case ChangeKind::Added: return "added";
    case ChangeKind::Removed: return "removed";
    default: return "changed";
    }
}

DesignDiff diffDesigns(const Tree& before, const Tree& after, const Catalog& catalog, const DiffOptions& options,
                       const Progress& progress) {
    DesignDiff d;
    d.from = before.describe();
    d.to = after.describe();
    const Design a = loadDesign(before, catalog, progress.child(0.0, 0.05));
    const Design b = loadDesign(after, catalog, progress.child(0.05, 0.1));

    // project
    licence(d, "project", "", "", a.project.license, b.project.license);
    {
        Fields fa = projectFields(a.project), fb = projectFields(b.project);
        compareFields(d.project, fa, fb);
    }

    // modules and parts
    struct PendingGeometry {
        std::string module, part, pathA, pathB, materialA, materialB;
    };
    std::vector<PendingGeometry> pending;
    std::set<std::string> ids;
    for (const auto& [id, _] : a.modules) ids.insert(id);
    for (const auto& [id, _] : b.modules) ids.insert(id);
    for (const auto& id : ids) {
        const ModuleManifest* ma = a.module(id);
        const ModuleManifest* mb = b.module(id);
        ModuleDiff md;
        md.module = id;
        md.name = mb ? mb->name : ma->name;
        md.kind = !ma ? ChangeKind::Added : !mb ? ChangeKind::Removed : ChangeKind::Changed;
        licence(d, "module", id, "", ma ? a.moduleLicense(*ma) : "", mb ? b.moduleLicense(*mb) : "");
        static const ModuleManifest kEmpty;
        const ModuleManifest& xa = ma ? *ma : kEmpty;
        const ModuleManifest& xb = mb ? *mb : kEmpty;
        if (ma && mb) {
            compareFields(md.fields, moduleFields(xa), moduleFields(xb));
            compareMaps(md.fields, recordFields(xa), recordFields(xb));
        }
        for (const auto& asm_ : xb.assemblies) {
            const Assembly* old = nullptr;
            for (const auto& x : xa.assemblies)
                if (x.file == asm_.file) old = &x;
            licence(d, "assembly", id, asm_.file, old ? old->license : "", asm_.license);
        }
        for (const auto& asm_ : xa.assemblies) {
            bool kept = false;
            for (const auto& x : xb.assemblies) kept = kept || x.file == asm_.file;
            if (!kept) licence(d, "assembly", id, asm_.file, asm_.license, "");
        }
        auto partDiff = [&](const Part* pa, const Part* pb) {
            PartDiff pd;
            pd.module = id;
            pd.part = pb ? pb->id : pa->id;
            pd.kind = !pa ? ChangeKind::Added : !pb ? ChangeKind::Removed : ChangeKind::Changed;
            licence(d, "part", id, pd.part, pa ? pa->license : "", pb ? pb->license : "");
            licence(d, "origin", id, pd.part, pa && pa->origin ? pa->origin->license : "",
                    pb && pb->origin ? pb->origin->license : "");
            const std::string pathA = pa ? pa->filePath : "", pathB = pb ? pb->filePath : "";
            if (pa && pb) {
                compareFields(pd.fields, partFields(*pa), partFields(*pb));
                std::optional<std::string> blobA = pathA.empty() ? std::nullopt : before.blobId(pathA);
                std::optional<std::string> blobB = pathB.empty() ? std::nullopt : after.blobId(pathB);
                pd.geometryChanged = blobA != blobB;
                if (pd.fields.empty() && !pd.geometryChanged) return;
            }
            if ((pd.geometryChanged || !pa || !pb) && (!pathA.empty() || !pathB.empty()))
                pending.push_back({id, pd.part, pathA, pathB, pa ? pa->material : "", pb ? pb->material : ""});
            md.parts.push_back(std::move(pd));
        };
        for (const auto& pb : xb.parts) partDiff(xa.findPart(pb.id), &pb);
        for (const auto& pa : xa.parts)
            if (!xb.findPart(pa.id)) partDiff(&pa, nullptr);
        if (md.kind != ChangeKind::Changed || !md.fields.empty() || !md.parts.empty()) d.modules.push_back(std::move(md));
    }

    // geometry of the CAD files that changed
    if (options.cache && !pending.empty()) {
        std::vector<std::string> pathsA, pathsB;
        for (const auto& g : pending) {
            if (!g.pathA.empty()) pathsA.push_back(g.pathA);
            if (!g.pathB.empty()) pathsB.push_back(g.pathB);
        }
        auto outA = options.cache->analyze(before, pathsA, progress.child(0.1, 0.3));
        auto outB = options.cache->analyze(after, pathsB, progress.child(0.3, 0.5));
        std::size_t ia = 0, ib = 0;
        for (const auto& g : pending) {
            GeometryDiff gd;
            gd.module = g.module;
            gd.part = g.part;
            gd.pathBefore = g.pathA;
            gd.pathAfter = g.pathB;
            if (!g.pathA.empty()) {
                const auto& o = outA[ia++];
                gd.blobBefore = o.blobId;
                Measured m = measure(o, g.materialA, catalog);
                gd.volumeBefore = m.volume, gd.massBefore = m.mass, gd.sizeBefore = m.size;
                if (!m.error.empty()) gd.errors.push_back(m.error);
            }
            if (!g.pathB.empty()) {
                const auto& o = outB[ib++];
                gd.blobAfter = o.blobId;
                Measured m = measure(o, g.materialB, catalog);
                gd.volumeAfter = m.volume, gd.massAfter = m.mass, gd.sizeAfter = m.size;
                if (!m.error.empty()) gd.errors.push_back(m.error);
            }
            d.geometry.push_back(std::move(gd));
        }
    } else {
        for (const auto& g : pending) {
            GeometryDiff gd;
            gd.module = g.module;
            gd.part = g.part;
            gd.pathBefore = g.pathA;
            gd.pathAfter = g.pathB;
            if (!g.pathA.empty()) gd.blobBefore = before.blobId(g.pathA).value_or("");
            if (!g.pathB.empty()) gd.blobAfter = after.blobId(g.pathB).value_or("");
            d.geometry.push_back(std::move(gd));
        }
    }

    // cost of the products
    if (options.cache && options.cost) {
        auto bomA = bomOf(a, before, catalog, *options.cache, options.fab, progress.child(0.5, 0.75));
        auto bomB = bomOf(b, after, catalog, *options.cache, options.fab, progress.child(0.75, 1.0));
        if (bomA || bomB) {
            CostDiff c;
            c.currency = bomB ? bomB->currency : bomA->currency;
            c.fab = options.fab ? options.fab->name : "";
            if (bomA) c.before = bomA->total.cost, c.unknownBefore = bomA->total.unknownCost;
            if (bomB) c.after = bomB->total.cost, c.unknownAfter = bomB->total.unknownCost;
            d.cost = c;
        }
    }
    progress.report(1.0);
    return d;
}

} // namespace telar::core

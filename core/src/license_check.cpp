// Licence consistency of a whole design: the project's catalogue, findings per part, assembly,
// origin and use, and the obligations of each product.
#include "telar/core/license_check.h"

#include "license_check_internal.h"

#include "telar/core/sha256.h"
#include "telar/error.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace telar::core {

namespace {

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

license::ProjectLicense toProjectLicense(const DeclaredLicense& d) {
    license::ProjectLicense p;
    p.id = d.id;
    p.name = d.name;
    p.attribution = d.attribution;
    p.shareAlike = d.shareAlike;
    p.sourceDisclosure = d.sourceDisclosure;
    p.commercial = d.commercial;
    p.derivatives = d.derivatives;
    p.oshwaCompatible = d.oshwaCompatible;
    p.summary = d.summary;
    return p;
}

// True for a field path naming a licence: "license", "module.license", "part[2].license",
// "part[1].origin.license", "license[1].commercial".
bool isLicenseField(const std::string& field) {
    if (field == "license" || field.rfind("license[", 0) == 0) return true;
    const std::string tail = ".license";
    if (field.size() >= tail.size() && field.compare(field.size() - tail.size(), tail.size(), tail) == 0)
        return true;
    return field.find(".license.") != std::string::npos;
}

std::string moduleOfFile(const std::string& file) {
    const std::string suffix = "/module.toml";
    if (file.size() > suffix.size() && file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0)
        return file.substr(0, file.size() - suffix.size());
    return {};
}

// Collects findings with positions taken from SourceInfo records.
class FindingSink {
public:
    explicit FindingSink(std::vector<LicenseFinding>& out) : m_out(out) {}

    void add(Severity severity, std::string code, const std::string& module, const std::string& part,
             const std::string& file, SourcePos pos, std::string field, std::string message,
             std::string hint) {
        LicenseFinding f;
        f.severity = severity;
        f.code = std::move(code);
        f.module = module;
        f.part = part;
        f.file = file;
        f.line = pos.line;
        f.column = pos.column;
        f.field = std::move(field);
        f.message = std::move(message);
        f.hint = std::move(hint);
        m_out.push_back(std::move(f));
    }

private:
    std::vector<LicenseFinding>& m_out;
};

// The note added to an origin finding when the file's modification status decided it.
std::string modificationNote(const OriginStatus& status) {
    if (status.modified == true)
        return " The file differs from the original recorded in part.origin.sha256; the unchanged original "
               "could "
               "be included.";
    if (status.actualSha256.empty() && !status.file.empty())
        return " The file cannot be read, so it is judged as modified.";
    return " No sha256 of the original is recorded, so the file is judged as modified; record it if the file "
           "is "
           "unchanged.";
}

// Whether the licence expression requires attribution (any of its licences does).
bool needsAttribution(const std::string& expr, const license::Catalog& catalog) {
    try {
        for (const auto& term : license::parseExpression(expr).terms())
            if (license::resolveTerm(term, catalog).attribution) return true;
    } catch (const LicenseError&) {
        return false; // reported as invalid-licence
    }
    return false;
}

struct Checker {
    const Design& design;
    const license::Catalog& catalog;
    std::map<std::pair<std::string, std::string>, OriginStatus> origins; // (module, part) → status
    FindingSink sink;

    // checkInclusion that turns a LicenseError into an explanation; nullopt when it cannot be judged.
    std::optional<license::InclusionResult> include(const std::string& material, const std::string& work,
                                                    bool modified) const {
        try {
            return license::checkInclusion(material, work, catalog, {modified});
        } catch (const LicenseError&) {
            return std::nullopt; // the invalid expression is reported as invalid-licence
        }
    }

    void conflicts(const std::string& expr, const std::string& what, const std::string& module,
                   const std::string& part, const std::string& file, SourcePos pos,
                   const std::string& field) {
        if (expr.empty()) return;
        license::Combination comb;
        try {
            comb = license::combine(std::vector<std::string>{expr}, catalog);
        } catch (const LicenseError&) {
            return;
        }
        for (const auto& c : comb.conflicts)
            sink.add(Severity::Error, "conflict", module, part, file, pos, field,
                     "the licence '" + expr + "' of " + what +
                         " joins terms that cannot be combined: " + c.reason,
                     "keep one of the licences, or offer them as alternatives with OR");
    }

    void checkPart(const ModuleManifest& m, const Part& p, const std::string& file,
                   const std::string& moduleLicense) {
        const std::string eff = design.effectiveLicense(m, p);
        if (eff.empty()) {
            sink.add(Severity::Error, "no-licence", m.id, p.id, file, p.source.pos, p.source.path,
                     "part '" + p.id + "' has no licence: it names none, and neither does module '" + m.id +
                         "' nor telar.toml's [project]",
                     "set license in the part, in [module] or in telar.toml's [project]");
        }
        const OriginStatus* status = nullptr;
        if (auto it = origins.find({m.id, p.id}); it != origins.end()) status = &it->second;
        const bool modified = status ? status->modified.value_or(true) : true;
        if (!p.license.empty() && !moduleLicense.empty()) {
            if (auto r = include(p.license, moduleLicense, modified); r && !r->compatible)
                sink.add(Severity::Error, "part-not-honoured", m.id, p.id, file, p.source.at("license"),
                         p.source.fieldPath("license"),
                         "part '" + p.id + "' is licensed " + p.license + ", which the module's licence " +
                             moduleLicense + " cannot include: " + r->reason,
                         "license the part under terms " + moduleLicense +
                             " can include, or change the module's licence");
        }
        conflicts(p.license, "part '" + p.id + "'", m.id, p.id, file, p.source.at("license"),
                  p.source.fieldPath("license"));
        if (!p.origin || p.origin->license.empty()) return;
        const Origin& o = *p.origin;
        if (!eff.empty()) {
            auto r = include(o.license, eff, modified);
            if (r && !r->compatible) {
                std::string message = "part '" + p.id + "' imports geometry licensed " + o.license +
                                      (o.source.empty() ? "" : " from " + o.source) + ", which " +
                                      (p.license.empty() ? "the module's licence " : "the part's licence ") +
                                      eff + " does not honour: " + r->reason;
                if (modified && status) {
                    auto unchanged = include(o.license, eff, false);
                    if (unchanged && unchanged->compatible) message += modificationNote(*status);
                }
                sink.add(Severity::Error, "origin-not-honoured", m.id, p.id, file, o.info.at("license"),
                         o.info.fieldPath("license"), message,
                         "license the " + std::string(p.license.empty() ? "module" : "part") +
                             " under terms that honour " + o.license + ", or replace the geometry");
            }
        }
        conflicts(o.license, "the origin of part '" + p.id + "'", m.id, p.id, file, o.info.at("license"),
                  o.info.fieldPath("license"));
        if (needsAttribution(o.license, catalog) && (o.author.empty() || o.source.empty())) {
            std::string missing = o.author.empty() && o.source.empty() ? "no author and no source"
                                  : o.author.empty()                   ? "no author"
                                                                       : "no source";
            sink.add(Severity::Warning, "origin-incomplete", m.id, p.id, file, o.info.pos, o.info.path,
                     "the origin of part '" + p.id + "' names " + missing + ", but " + o.license +
                         " requires crediting the authors",
                     "add author and source to [part.origin]");
        }
    }

    void checkAssembly(const ModuleManifest& m, const Assembly& a, const std::string& file,
                       const std::string& moduleLicense) {
        const std::string what = "assembly '" + a.file + "'";
        if (design.effectiveLicense(m, a).empty())
            sink.add(Severity::Error, "no-licence", m.id, a.file, file, a.source.pos, a.source.path,
                     what + " has no licence: it names none, and neither does module '" + m.id +
                         "' nor telar.toml's [project]",
                     "set license in the assembly, in [module] or in telar.toml's [project]");
        if (!a.license.empty() && !moduleLicense.empty()) {
            if (auto r = include(a.license, moduleLicense, true); r && !r->compatible)
                sink.add(Severity::Error, "part-not-honoured", m.id, a.file, file, a.source.at("license"),
                         a.source.fieldPath("license"),
                         what + " is licensed " + a.license + ", which the module's licence " +
                             moduleLicense + " cannot include: " + r->reason,
                         "license the assembly under terms " + moduleLicense +
                             " can include, or change the module's licence");
        }
        conflicts(a.license, what, m.id, a.file, file, a.source.at("license"), a.source.fieldPath("license"));
    }

    void checkModule(const ModuleManifest& m) {
        const std::string file = m.id + "/module.toml";
        const std::string modLicense = design.moduleLicense(m);
        conflicts(m.license, "module '" + m.id + "'", m.id, "", file, m.source.at("license"),
                  m.source.fieldPath("license"));
        for (const auto& p : m.parts)
            checkPart(m, p, file, modLicense);
        for (const auto& a : m.assemblies)
            checkAssembly(m, a, file, modLicense);
        for (const auto& use : m.uses) {
            const ModuleManifest* child = design.module(use.module);
            if (!child || modLicense.empty()) continue;
            const std::string childLicense = design.moduleLicense(*child);
            if (childLicense.empty()) continue;
            if (auto r = include(childLicense, modLicense, false); r && !r->compatible)
                sink.add(Severity::Warning, "use-not-honoured", m.id, "", file, use.source.at("module"),
                         use.source.fieldPath("module"),
                         "module '" + m.id + "' is licensed " + modLicense + " and uses module '" +
                             child->id + "', licensed " + childLicense + ", which " + modLicense +
                             " cannot include: " + r->reason,
                         "each module keeps its own licence (the product is an aggregate of them); to "
                         "license '" + m.id + "' as one work, choose terms that can include " +
                             childLicense);
        }
    }
};

// Expressions of the material of one module: its licence, its parts' and assemblies' licences
// and its origins' licences (each once, in that order).
std::vector<std::string> materialExpressions(const Design& design, const ModuleManifest& m) {
    std::vector<std::string> out;
    auto add = [&](const std::string& e) {
        if (!e.empty() && std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
    };
    add(design.moduleLicense(m));
    for (const auto& p : m.parts)
        add(design.effectiveLicense(m, p));
    for (const auto& a : m.assemblies)
        add(design.effectiveLicense(m, a));
    for (const auto& p : m.parts)
        if (p.origin) add(p.origin->license);
    return out;
}

ProductTerms productTerms(const Design& design, const license::Catalog& catalog, const std::string& product) {
    ProductTerms terms;
    terms.product = product;
    std::vector<std::string> exprs;
    std::vector<std::set<std::string>> modulesOf;
    const auto counts = design.graph.rollUp(product);
    for (const auto& id : design.graph.topologicalOrder()) {
        if (!counts.count(id)) continue; // product first, then what it uses
        const ModuleManifest* m = design.module(id);
        if (!m) continue;
        for (const auto& e : materialExpressions(design, *m)) {
            if (license::checkExpression(e, catalog)) continue; // invalid: reported elsewhere
            auto it = std::find(exprs.begin(), exprs.end(), e);
            if (it == exprs.end()) {
                exprs.push_back(e);
                modulesOf.emplace_back();
                it = exprs.end() - 1;
            }
            modulesOf[static_cast<std::size_t>(it - exprs.begin())].insert(id);
        }
    }
    if (exprs.empty()) return terms;
    license::Combination comb;
    try {
        comb = license::combine(exprs, catalog);
    } catch (const LicenseError&) {
        return terms; // cannot happen after checkExpression; nothing to list if it does
    }
    // The canonical ids of each expression's chosen option.
    std::vector<std::set<std::string>> idsOf(exprs.size());
    for (std::size_t i = 0; i < exprs.size() && i < comb.chosen.size(); ++i) {
        try {
            for (const auto& t : license::parseExpression(comb.chosen[i]).terms())
                idsOf[i].insert(license::resolveTerm(t, catalog).id);
        } catch (const LicenseError&) {
        }
    }
    for (const auto& o : comb.obligations) {
        ProductObligation po;
        po.kind = o.kind;
        po.text = o.text;
        po.licenses = o.from;
        std::set<std::string> mods;
        for (std::size_t i = 0; i < exprs.size(); ++i)
            for (const auto& id : o.from)
                if (idsOf[i].count(id)) mods.insert(modulesOf[i].begin(), modulesOf[i].end());
        po.modules.assign(mods.begin(), mods.end());
        terms.obligations.push_back(std::move(po));
    }
    return terms;
}

} // namespace

namespace detail {

license::Catalog buildCatalog(const ProjectManifest& project, std::vector<LicenseFinding>* findings) {
    license::Catalog catalog = license::Catalog::builtin();
    for (const auto& d : project.licenses) {
        try {
            catalog.addProjectLicense(toProjectLicense(d));
        } catch (const LicenseError& e) {
            if (!findings)
                throw LicenseError(ManifestError::format("telar.toml", d.source.pos.line, d.source.pos.column,
                                                         d.source.path, e.what()));
            FindingSink(*findings).add(Severity::Error, "invalid-licence", "", "", "telar.toml", d.source.pos,
                                       d.source.path, e.what(),
                                       "fix the [[license]] declaration (see docs/licenses.md)");
        }
    }
    return catalog;
}

std::vector<std::string> materialOf(const Design& design, const ModuleManifest& m) {
    return materialExpressions(design, m);
}

} // namespace detail

license::Catalog licenseCatalog(const ProjectManifest& project) {
    return detail::buildCatalog(project, nullptr);
}

std::string LicenseFinding::str() const {
    return ManifestError::format(file, line, column, field, message);
}

bool LicenseReport::ok() const {
    return errors() == 0;
}

std::size_t LicenseReport::errors() const {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(),
                      [](const LicenseFinding& f) { return f.severity == Severity::Error; }));
}

std::size_t LicenseReport::warnings() const {
    return findings.size() - errors();
}

std::vector<std::string> productsOf(const Design& design) {
    std::vector<std::string> out;
    for (const auto& p : design.project.products)
        if (design.module(p)) out.push_back(p);
    if (out.empty() && design.project.products.empty()) out = design.graph.roots();
    return out;
}

std::vector<OriginStatus> originStatuses(const Design& design, const Tree& tree) {
    std::vector<OriginStatus> out;
    for (const auto& [id, m] : design.modules) {
        for (const auto& p : m.parts) {
            if (!p.origin) continue;
            OriginStatus s;
            s.module = id;
            s.part = p.id;
            s.file = p.resolvedPath.empty() ? p.filePath : p.resolvedPath;
            s.license = p.origin->license;
            s.source = p.origin->source;
            s.author = p.origin->author;
            s.retrieved = p.origin->retrieved;
            s.recordedSha256 = p.origin->sha256;
            if (!s.file.empty())
                if (auto bytes = tree.readFile(s.file)) s.actualSha256 = sha256Hex(*bytes);
            if (!s.recordedSha256.empty() && !s.actualSha256.empty())
                s.modified = lower(s.recordedSha256) != s.actualSha256;
            out.push_back(std::move(s));
        }
    }
    return out;
}

LicenseReport checkLicenses(const Design& design, const Tree& tree, const Progress& progress) {
    LicenseReport report;
    // Licence problems the manifest readers found (invalid expressions, undeclared LicenseRef-…).
    for (const auto& d : design.diagnostics) {
        if (!isLicenseField(d.field)) continue;
        LicenseFinding f;
        f.severity = d.severity;
        f.code = "invalid-licence";
        f.module = moduleOfFile(d.file);
        f.file = d.file;
        f.line = d.line;
        f.column = d.column;
        f.field = d.field;
        f.message = d.message;
        f.hint = d.hint;
        report.findings.push_back(std::move(f));
    }
    std::vector<LicenseFinding> declarationFindings;
    license::Catalog catalog = detail::buildCatalog(design.project, &declarationFindings);
    for (auto& f : declarationFindings) {
        bool known =
            std::any_of(report.findings.begin(), report.findings.end(), [&](const LicenseFinding& g) {
                return g.file == "telar.toml" && g.field.rfind(f.field, 0) == 0;
            });
        if (!known) report.findings.push_back(std::move(f));
    }

    report.origins = originStatuses(design, tree);
    Checker checker{design, catalog, {}, FindingSink(report.findings)};
    for (const auto& s : report.origins)
        checker.origins[{s.module, s.part}] = s;

    if (!design.project.license.empty())
        checker.conflicts(design.project.license, "the project", "", "", "telar.toml",
                          design.project.source.at("license"), design.project.source.fieldPath("license"));
    std::size_t done = 0;
    for (const auto& [id, m] : design.modules) {
        progress.throwIfCancelled();
        progress.report(static_cast<double>(done++) / static_cast<double>(design.modules.size() + 1),
                        "checking licences of " + id);
        checker.checkModule(m);
    }
    std::stable_sort(report.findings.begin(), report.findings.end(),
                     [](const LicenseFinding& a, const LicenseFinding& b) {
                         if (a.file != b.file) return a.file < b.file;
                         if (a.line != b.line) return a.line < b.line;
                         return a.column < b.column;
                     });
    for (const auto& p : productsOf(design))
        report.products.push_back(productTerms(design, catalog, p));
    progress.report(1.0, "licences checked");
    return report;
}

} // namespace telar::core

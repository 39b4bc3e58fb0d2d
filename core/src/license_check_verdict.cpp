// What a fab may do with each module of a product, and whom to credit for a product.
#include "telar/core/license_check.h"

#include "license_check_internal.h"

#include "telar/core/fab_profile.h"
#include "telar/error.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace telar::core {

namespace {

// The modules of product in topological order (product first).
std::vector<std::string> productModules(const Design& design, const std::string& product) {
    auto counts = design.graph.rollUp(product);
    std::vector<std::string> out;
    for (const auto& id : design.graph.topologicalOrder())
        if (counts.count(id)) out.push_back(id);
    return out;
}

void requireModule(const Design& design, const std::string& product) {
    if (design.module(product)) return;
    std::vector<std::string> ids;
    for (const auto& [id, m] : design.modules)
        ids.push_back(id);
    throw UsageError("no module '" + product + "' in " + design.treeName + didYouMean(product, ids));
}

// "A AND (B OR C)" from the expressions, each kept whole.
std::string joinAnd(const std::vector<std::string>& exprs, const license::Catalog& catalog) {
    std::string out;
    for (const auto& e : exprs) {
        std::string normal = e;
        bool isOr = false;
        try {
            auto parsed = license::parseExpression(e);
            isOr = parsed.kind == license::Expression::Kind::Or;
            normal = license::normalizeExpression(parsed, catalog).toString();
        } catch (const LicenseError&) {
        }
        if (!out.empty()) out += " AND ";
        out += isOr ? "(" + normal + ")" : normal;
    }
    return out;
}

ModuleVerdict judgeModule(const Design& design, const ModuleManifest& m, const license::Catalog& catalog,
                          const license::FabContext& fab) {
    ModuleVerdict mv;
    mv.module = m.id;
    mv.name = m.name;
    mv.license = design.moduleLicense(m);
    const std::vector<std::string> exprs = detail::materialOf(design, m);
    if (exprs.empty()) {
        mv.verdict.kind = license::VerdictKind::NotAllowed;
        mv.verdict.reason = "no licence applies to module '" + m.id +
                            "': without one, all rights are reserved by its authors";
        mv.rolledUp = mv.verdict.kind;
        return mv;
    }
    mv.expression = joinAnd(exprs, catalog);
    try {
        mv.verdict = license::decideVerdict(mv.expression, fab, catalog);
        if (mv.verdict.kind != license::VerdictKind::NotAllowed) {
            // decideVerdict lists the obligations of the deciding clauses; a fab needs all of them.
            // Reciprocity is an obligation only for a fab that needs the agreement.
            mv.verdict.obligations.clear();
            for (auto& o :
                 license::combine(std::vector<std::string>{mv.verdict.chosenOption}, catalog).obligations)
                if (o.kind != license::ObligationKind::Reciprocity ||
                    mv.verdict.kind == license::VerdictKind::ReciprocityRequired)
                    mv.verdict.obligations.push_back(std::move(o));
        }
    } catch (const LicenseError& e) {
        mv.verdict = {};
        mv.verdict.kind = license::VerdictKind::NotAllowed;
        mv.verdict.reason = "the licence '" + mv.expression + "' cannot be judged: " + e.what();
    }
    mv.rolledUp = mv.verdict.kind;
    return mv;
}

std::string modifiedWord(const std::optional<bool>& modified) {
    if (!modified) return "modification unknown";
    return *modified ? "modified" : "unmodified";
}

// Appends text to out, wrapped at 80 columns; continuation lines get indent spaces.
void wrapLine(std::ostringstream& out, const std::string& text, std::size_t indent) {
    const std::size_t width = 80;
    std::string line;
    std::istringstream words(text);
    std::string word;
    std::size_t lead = 0;
    while (lead < text.size() && text[lead] == ' ')
        ++lead;
    line = text.substr(0, lead);
    bool first = true;
    while (words >> word) {
        if (!first && line.size() + 1 + word.size() > width) {
            out << line << "\n";
            line = std::string(indent, ' ');
            first = true;
        }
        if (!first) line += ' ';
        line += word;
        first = false;
    }
    out << line << "\n";
}

} // namespace

license::FabContext fabContext(const FabProfile& fab, const Design& design,
                               std::optional<license::Purpose> purposeOverride) {
    license::FabContext ctx;
    auto org = license::parseOrganizationKind(fab.organisation);
    if (!org)
        throw UsageError((fab.file.empty() ? std::string("fab profile") : fab.file) +
                         ": organisation.kind: '" + fab.organisation +
                         "' is not individual, nonprofit, cooperative or for-profit");
    ctx.organization = *org;
    ctx.contributesToCommons = fab.contributes;
    if (purposeOverride) {
        ctx.purpose = *purposeOverride;
    } else {
        auto purpose = license::parsePurpose(fab.purpose);
        if (!purpose)
            throw UsageError((fab.file.empty() ? std::string("fab profile") : fab.file) +
                             ": organisation.purpose: '" + fab.purpose +
                             "' is not personal, non-commercial or commercial");
        ctx.purpose = *purpose;
    }
    if (design.project.reciprocity) {
        const Reciprocity& r = *design.project.reciprocity;
        ctx.steward = license::Steward{r.steward, r.contact, r.terms};
    }
    return ctx;
}

std::vector<ProductVerdict> decideVerdicts(const Design& design, const license::Catalog& catalog,
                                           const license::FabContext& fab,
                                           const std::vector<std::string>& products) {
    std::vector<std::string> wanted = products.empty() ? productsOf(design) : products;
    for (const auto& p : wanted)
        requireModule(design, p);
    std::vector<ProductVerdict> out;
    for (const auto& product : wanted) {
        ProductVerdict pv;
        pv.product = product;
        const auto counts = design.graph.rollUp(product);
        const auto order = productModules(design, product);
        std::map<std::string, ModuleVerdict> byId;
        for (const auto& id : order) {
            ModuleVerdict mv = judgeModule(design, *design.module(id), catalog, fab);
            mv.quantity = counts.at(id);
            byId.emplace(id, std::move(mv));
        }
        // Roll up from the leaves: a module is as restricted as the worst thing it uses.
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            ModuleVerdict& mv = byId.at(*it);
            for (const auto& use : design.graph.children(*it)) {
                auto child = byId.find(use.module);
                if (child != byId.end() && child->second.rolledUp > mv.rolledUp)
                    mv.rolledUp = child->second.rolledUp;
            }
        }
        for (const auto& id : order) {
            const ModuleVerdict& mv = byId.at(id);
            if (mv.verdict.kind > pv.overall) pv.overall = mv.verdict.kind;
        }
        for (const auto& id : order) {
            if (pv.overall != license::VerdictKind::Free && byId.at(id).verdict.kind == pv.overall)
                pv.deciding.push_back(id);
            pv.modules.push_back(std::move(byId.at(id)));
        }
        out.push_back(std::move(pv));
    }
    return out;
}

AttributionNotice attributionNotice(const Design& design, const Tree& tree, std::string_view productView) {
    const std::string product(productView);
    requireModule(design, product);
    AttributionNotice notice;
    notice.product = product;
    notice.project = design.project.name;
    notice.licensor = design.project.licensor;
    std::set<std::string> licenses;
    const auto order = productModules(design, product);
    for (const auto& id : order) {
        const ModuleManifest& m = *design.module(id);
        NoticeModule nm;
        nm.module = id;
        nm.name = m.name;
        nm.version = m.version;
        nm.license = design.moduleLicense(m);
        if (!nm.license.empty()) licenses.insert(nm.license);
        for (const auto& p : m.parts)
            if (!p.license.empty() && p.license != nm.license) {
                nm.otherLicenses.push_back(p.id + ": " + p.license);
                licenses.insert(p.license);
            }
        for (const auto& a : m.assemblies)
            if (!a.license.empty() && a.license != nm.license) {
                nm.otherLicenses.push_back(a.file + ": " + a.license);
                licenses.insert(a.license);
            }
        notice.modules.push_back(std::move(nm));
    }
    const auto statuses = originStatuses(design, tree);
    for (const auto& id : order) {
        for (const auto& s : statuses) {
            if (s.module != id) continue;
            notice.origins.push_back(
                {s.module, s.part, s.license, s.author, s.source, s.retrieved, s.modified});
            if (!s.license.empty()) licenses.insert(s.license);
        }
    }
    notice.licenses.assign(licenses.begin(), licenses.end());
    return notice;
}

std::string AttributionNotice::text() const {
    std::ostringstream out;
    wrapLine(out, "Attribution notice for " + product + (project.empty() ? "" : " (" + project + ")"), 2);
    if (!licensor.empty()) wrapLine(out, "Licensed by " + licensor + ".", 2);
    out << "\nModules:\n";
    for (const auto& m : modules) {
        std::string head = "  " + m.module;
        if (!m.version.empty()) head += " " + m.version;
        if (!m.name.empty() && m.name != m.module) head += " \"" + m.name + "\"";
        head += ": " + (m.license.empty() ? std::string("no licence") : m.license);
        wrapLine(out, head, 6);
        for (const auto& other : m.otherLicenses)
            wrapLine(out, "    " + other, 6);
    }
    if (!origins.empty()) {
        out << "\nImported geometry:\n";
        for (const auto& o : origins) {
            wrapLine(out,
                     "  " + o.module + "/" + o.part + ": " +
                         (o.author.empty() ? "unknown author" : o.author) + ", " +
                         (o.license.empty() ? "no licence" : o.license),
                     6);
            std::string from =
                "    from " + (o.source.empty() ? std::string("an unrecorded source") : o.source);
            if (!o.retrieved.empty()) from += " (retrieved " + o.retrieved + ")";
            from += ", " + modifiedWord(o.modified);
            wrapLine(out, from, 6);
        }
    }
    if (!licenses.empty()) {
        std::string all;
        for (const auto& l : licenses)
            all += (all.empty() ? "" : ", ") + l;
        out << "\n";
        wrapLine(out, "Licences: " + all, 2);
    }
    return out.str();
}

} // namespace telar::core

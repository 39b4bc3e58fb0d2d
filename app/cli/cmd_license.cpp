// Licence commands: check, verdict, explain, list, notice (docs/license-check.md).

#include "cli_context.h"

#include "telar/core/catalog.h"
#include "telar/core/design.h"
#include "telar/core/fab_profile.h"
#include "telar/core/license_check.h"
#include "telar/error.h"
#include "telar/license/catalog.h"
#include "telar/license/compatibility.h"
#include "telar/license/expression.h"
#include "telar/license/verdict.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <sstream>

namespace telar::cli {

namespace {

using Json = nlohmann::json;

// Prints text wrapped at 80 columns; continuation lines are indented by indent spaces.
void printWrapped(const std::string& text, std::size_t indent) {
    const std::size_t width = 80;
    std::size_t lead = 0;
    while (lead < text.size() && text[lead] == ' ')
        ++lead;
    std::string line = text.substr(0, lead);
    std::istringstream words(text.substr(lead));
    std::string word;
    bool empty = true;
    while (words >> word) {
        if (!empty && line.size() + 1 + word.size() > width) {
            std::cout << line << "\n";
            line = std::string(indent, ' ');
            empty = true;
        }
        if (!empty) line += ' ';
        line += word;
        empty = false;
    }
    std::cout << line << "\n";
}

std::string join(const std::vector<std::string>& items, const std::string& sep = ", ") {
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : sep) + i;
    return out;
}

Json nullable(const std::string& s) {
    return s.empty() ? Json(nullptr) : Json(s);
}

core::Design readDesign(Context& ctx, const core::Tree& tree) {
    core::Design design = core::loadDesign(tree, core::Catalog::loadDefault(), ctx.progress());
    if (!design.hasProject)
        throw UsageError("no telar.toml in " + design.treeName + ": run `telar init` first");
    return design;
}

// The catalogue for commands that work without a design: the project's declared licences are
// added when a design repository is found (none found is not an error).
license::Catalog catalogForCommand(Context& ctx) {
    std::unique_ptr<core::Tree> tree;
    try {
        tree = ctx.tree();
    } catch (const UsageError&) {
        return license::Catalog::builtin(); // outside a design repository: the built-in catalogue
    }
    auto text = tree->readFile("telar.toml");
    if (!text) return license::Catalog::builtin();
    std::vector<core::Diagnostic> diags;
    auto project = core::parseProjectManifest(*text, "telar.toml", diags);
    return core::licenseCatalog(project);
}

std::string severityWord(core::Severity s) {
    return s == core::Severity::Error ? "error" : "warning";
}

Json obligationJson(const license::Obligation& o) {
    return {{"kind", std::string(license::toString(o.kind))}, {"text", o.text}, {"licenses", o.from}};
}

Json stewardJson(const std::optional<license::Steward>& s) {
    if (!s) return nullptr;
    return {{"name", s->name}, {"contact", s->contact}, {"terms", nullable(s->terms)}};
}

// ---- check --------------------------------------------------------------------------------

void runCheck(Context& ctx) {
    auto tree = ctx.tree();
    core::Design design = readDesign(ctx, *tree);
    core::LicenseReport report = core::checkLicenses(design, *tree, ctx.progress());
    ctx.exitCode = report.ok() ? kOk : kFindings;
    if (ctx.globals.json) {
        Json findings = Json::array();
        for (const auto& f : report.findings)
            findings.push_back({{"severity", severityWord(f.severity)},
                                {"code", f.code},
                                {"module", nullable(f.module)},
                                {"part", nullable(f.part)},
                                {"file", f.file},
                                {"line", f.line},
                                {"column", f.column},
                                {"field", f.field},
                                {"message", f.message},
                                {"hint", f.hint}});
        Json origins = Json::array();
        for (const auto& o : report.origins)
            origins.push_back({{"module", o.module},
                               {"part", o.part},
                               {"file", nullable(o.file)},
                               {"license", o.license},
                               {"source", o.source},
                               {"author", o.author},
                               {"retrieved", o.retrieved},
                               {"recorded_sha256", nullable(o.recordedSha256)},
                               {"actual_sha256", nullable(o.actualSha256)},
                               {"modified", o.modified ? Json(*o.modified) : Json(nullptr)}});
        Json products = Json::array();
        for (const auto& p : report.products) {
            Json obligations = Json::array();
            for (const auto& o : p.obligations)
                obligations.push_back({{"kind", std::string(license::toString(o.kind))},
                                       {"text", o.text},
                                       {"licenses", o.licenses},
                                       {"modules", o.modules}});
            products.push_back({{"product", p.product}, {"obligations", obligations}});
        }
        printJson({{"tree", design.treeName},
                   {"commit", nullable(design.commitId)},
                   {"ok", report.ok()},
                   {"errors", report.errors()},
                   {"warnings", report.warnings()},
                   {"findings", findings},
                   {"origins", origins},
                   {"products", products}});
        return;
    }
    for (const auto& f : report.findings) {
        printWrapped(severityWord(f.severity) + ": " + f.str(), 2);
        if (!f.hint.empty()) printWrapped("  hint: " + f.hint, 8);
    }
    if (!report.findings.empty()) std::cout << "\n";
    for (const auto& p : report.products) {
        std::cout << "Obligations of " << p.product << ":\n";
        if (p.obligations.empty()) std::cout << "  none\n";
        for (const auto& o : p.obligations) {
            printWrapped("  - " + o.text, 4);
            printWrapped("    from: " + join(o.modules), 10);
        }
    }
    const std::size_t errors = report.errors(), warnings = report.warnings();
    std::cout << design.treeName << ": licences of " << design.modules.size() << " modules — ";
    if (errors == 0 && warnings == 0)
        std::cout << "consistent\n";
    else
        std::cout << fmt::format("{} error{}, {} warning{}\n", errors, errors == 1 ? "" : "s", warnings,
                                 warnings == 1 ? "" : "s");
}

// ---- verdict ------------------------------------------------------------------------------

struct VerdictOptions {
    std::string fab;
    std::string purpose;
    std::string product;
};

void runVerdict(Context& ctx, const VerdictOptions& o) {
    core::FabProfile fab = core::loadFabProfile(o.fab);
    auto tree = ctx.tree();
    core::Design design = readDesign(ctx, *tree);
    std::optional<license::Purpose> purpose;
    if (!o.purpose.empty()) purpose = license::parsePurpose(o.purpose);
    license::FabContext fabCtx = core::fabContext(fab, design, purpose);
    license::Catalog catalog = core::licenseCatalog(design.project);
    std::vector<std::string> wanted;
    if (!o.product.empty()) wanted.push_back(o.product);
    auto verdicts = core::decideVerdicts(design, catalog, fabCtx, wanted);
    bool anyNotAllowed = false;
    for (const auto& pv : verdicts)
        if (pv.overall == license::VerdictKind::NotAllowed) anyNotAllowed = true;
    ctx.exitCode = anyNotAllowed ? kFindings : kOk;

    const std::string organisation(license::toString(fabCtx.organization));
    const std::string purposeWord(license::toString(fabCtx.purpose));
    if (ctx.globals.json) {
        Json products = Json::array();
        for (const auto& pv : verdicts) {
            Json modules = Json::array();
            for (const auto& mv : pv.modules) {
                Json obligations = Json::array();
                for (const auto& ob : mv.verdict.obligations)
                    obligations.push_back(obligationJson(ob));
                modules.push_back({{"module", mv.module},
                                   {"name", mv.name},
                                   {"quantity", mv.quantity},
                                   {"license", mv.license},
                                   {"expression", mv.expression},
                                   {"verdict", std::string(license::toString(mv.verdict.kind))},
                                   {"rolled_up", std::string(license::toString(mv.rolledUp))},
                                   {"chosen_option", mv.verdict.chosenOption},
                                   {"obligations", obligations},
                                   {"reason", mv.verdict.reason},
                                   {"steward", stewardJson(mv.verdict.steward)}});
            }
            products.push_back({{"product", pv.product},
                                {"verdict", std::string(license::toString(pv.overall))},
                                {"allowed", pv.overall != license::VerdictKind::NotAllowed},
                                {"deciding", pv.deciding},
                                {"modules", modules}});
        }
        printJson({{"tree", design.treeName},
                   {"fab",
                    {{"name", fab.name},
                     {"file", fab.file},
                     {"organisation", organisation},
                     {"contributes", fabCtx.contributesToCommons},
                     {"purpose", purposeWord}}},
                   {"steward", stewardJson(fabCtx.steward)},
                   {"products", products}});
        return;
    }
    printWrapped(
        fmt::format("Fab: {} ({}, {}, {} use)", fab.name.empty() ? fab.file : fab.name, organisation,
                    fabCtx.contributesToCommons ? "contributes to this commons" : "does not contribute",
                    purposeWord),
        2);
    bool stewardNeeded = false;
    for (const auto& pv : verdicts) {
        std::cout << "\n";
        std::cout << fmt::format("{:<22}{:<21}{}\n", "MODULE", "LICENCE", "VERDICT");
        for (const auto& mv : pv.modules) {
            std::cout << fmt::format("{:<22}{:<21}{}\n", mv.module + " ",
                                     (mv.license.empty() ? std::string("none") : mv.license) + " ",
                                     license::toString(mv.verdict.kind));
            if (!mv.expression.empty() && mv.expression != mv.license)
                printWrapped("  judged: " + mv.expression, 10);
            if (!mv.verdict.obligations.empty()) {
                std::vector<std::string> kinds;
                for (const auto& ob : mv.verdict.obligations)
                    kinds.emplace_back(license::toString(ob.kind));
                printWrapped("  obligations: " + join(kinds), 15);
            }
            printWrapped("  reason: " + mv.verdict.reason, 10);
            if (mv.verdict.kind == license::VerdictKind::ReciprocityRequired) stewardNeeded = true;
        }
        std::string overall = fmt::format("{}: {}", pv.product, license::toString(pv.overall));
        if (!pv.deciding.empty() && pv.overall != license::VerdictKind::FreeWithObligations)
            overall += " (" + join(pv.deciding) + ")";
        std::cout << "\n";
        printWrapped(overall, 2);
    }
    if (stewardNeeded) {
        if (fabCtx.steward) {
            printWrapped("Reciprocity: ask " + fabCtx.steward->name + " (" + fabCtx.steward->contact + ")" +
                             (fabCtx.steward->terms.empty() ? "" : "; terms: " + fabCtx.steward->terms),
                         2);
        } else {
            printWrapped(
                "Reciprocity: ask the licensor" +
                    (design.project.licensor.empty() ? std::string() : " (" + design.project.licensor + ")") +
                    "; telar.toml names no [reciprocity] steward",
                2);
        }
    }
}

// ---- explain, list, notice ----------------------------------------------------------------

void runExplain(Context& ctx, const std::string& expr) {
    license::Catalog catalog = catalogForCommand(ctx);
    if (auto err = license::checkExpression(expr, catalog))
        throw UsageError("invalid licence expression '" + expr + "': " + *err);
    const std::string text = license::explain(expr, catalog);
    if (!ctx.globals.json) {
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);) {
            std::size_t lead = line.find_first_not_of(' ');
            printWrapped(line, (lead == std::string::npos ? 0 : lead) + 2);
        }
        return;
    }
    license::Expression parsed = license::normalizeExpression(license::parseExpression(expr), catalog);
    Json options = Json::array();
    for (const auto& option : parsed.options()) {
        Json ids = Json::array();
        for (const auto& t : option)
            ids.push_back(license::resolveTerm(t, catalog).id);
        options.push_back(ids);
    }
    Json licenses = Json::array();
    std::vector<std::string> seen;
    for (const auto& t : parsed.terms()) {
        const auto& info = license::resolveTerm(t, catalog);
        if (std::find(seen.begin(), seen.end(), info.id) != seen.end()) continue;
        seen.push_back(info.id);
        Json obligations = Json::array();
        for (const auto& ob : license::obligationsOf(info))
            obligations.push_back(obligationJson(ob));
        licenses.push_back({{"id", info.id},
                            {"name", info.name},
                            {"commercial", std::string(license::toString(info.commercial))},
                            {"share_alike", std::string(license::toString(info.shareAlike))},
                            {"derivatives", info.derivatives},
                            {"oshwa_compatible", info.oshwaCompatible},
                            {"free_for", info.freeFor},
                            {"obligations", obligations}});
    }
    printJson({{"expression", parsed.toString()},
               {"options", options},
               {"oshwa_compatible", license::oshwaCompatible(parsed, catalog)},
               {"licenses", licenses},
               {"text", text}});
}

void runList(Context& ctx) {
    license::Catalog catalog = catalogForCommand(ctx);
    if (ctx.globals.json) {
        Json out = Json::array();
        for (const auto& l : catalog.licenses())
            out.push_back({{"id", l.id},
                           {"name", l.name},
                           {"kind", l.kind},
                           {"attribution", l.attribution},
                           {"share_alike", std::string(license::toString(l.shareAlike))},
                           {"source_disclosure", l.sourceDisclosure},
                           {"commercial", std::string(license::toString(l.commercial))},
                           {"derivatives", l.derivatives},
                           {"oshwa_compatible", l.oshwaCompatible},
                           {"free_for", l.freeFor},
                           {"replaced_by", nullable(l.replacedBy)},
                           {"declared_by_project", l.declaredByProject}});
        printJson({{"licenses", out}});
        return;
    }
    std::cout << fmt::format("{:<21}{:<12}{:<12}{:<7}{:<6}{}\n", "ID", "KIND", "COMMERCIAL", "SHARE", "OSHWA",
                             "NAME");
    std::size_t deprecated = 0;
    for (const auto& l : catalog.licenses()) {
        if (l.deprecated()) {
            ++deprecated;
            continue;
        }
        std::string name = l.name;
        if (name.size() > 22) name = name.substr(0, 21) + "…";
        std::cout << fmt::format("{:<21}{:<12}{:<12}{:<7}{:<6}{}\n", l.id + " ", l.kind,
                                 license::toString(l.commercial), license::toString(l.shareAlike),
                                 l.oshwaCompatible ? "yes" : "no", name);
    }
    std::cout << fmt::format(
        "{} licences ({} deprecated ids not shown); `telar license explain ID` tells more\n",
        catalog.licenses().size() - deprecated, deprecated);
}

void runNotice(Context& ctx, const std::string& product) {
    auto tree = ctx.tree();
    core::Design design = readDesign(ctx, *tree);
    std::vector<std::string> products =
        product.empty() ? core::productsOf(design) : std::vector<std::string>{product};
    std::vector<core::AttributionNotice> notices;
    for (const auto& p : products)
        notices.push_back(core::attributionNotice(design, *tree, p));
    if (ctx.globals.json) {
        Json out = Json::array();
        for (const auto& n : notices)
            out.push_back(attributionNoticeJson(n));
        printJson({{"notices", out}});
        return;
    }
    for (std::size_t i = 0; i < notices.size(); ++i) {
        if (i > 0) std::cout << "\n";
        std::cout << notices[i].text();
    }
}

} // namespace

nlohmann::json attributionNoticeJson(const core::AttributionNotice& n) {
    using Json = nlohmann::json;
    Json modules = Json::array();
    for (const auto& m : n.modules)
        modules.push_back({{"module", m.module},
                           {"name", m.name},
                           {"version", m.version},
                           {"license", m.license},
                           {"other_licenses", m.otherLicenses}});
    Json origins = Json::array();
    for (const auto& o : n.origins)
        origins.push_back({{"module", o.module},
                           {"part", o.part},
                           {"license", o.license},
                           {"author", o.author},
                           {"source", o.source},
                           {"retrieved", o.retrieved},
                           {"modified", o.modified ? Json(*o.modified) : Json(nullptr)}});
    return {{"product", n.product},   {"project", n.project}, {"licensor", n.licensor},
            {"modules", modules},      {"origins", origins},   {"licenses", n.licenses}};
}

void addLicenseCommands(CLI::App& app, Context& ctx) {
    auto* lic =
        app.add_subcommand("license", "Licences: consistency, what a fab may do, explanations, notices");
    lic->require_subcommand(1);

    auto* check = lic->add_subcommand("check", "Check the licences of the design at a revision (exit 1 on "
                                               "errors) and list each product's obligations");
    check->callback([&ctx] { runCheck(ctx); });

    static VerdictOptions verdict;
    auto* verdictCmd = lic->add_subcommand(
        "verdict",
        "What a fab may do with each module of a product: free, free with obligations, reciprocity "
        "required or not allowed (exit 1 only when something is not allowed)");
    verdictCmd
        ->add_option("--fab", verdict.fab,
                     "Fab profile (fab.toml), e.g. resources/fabs/community-fablab.toml")
        ->required()
        ->check(CLI::ExistingFile);
    verdictCmd->add_option("--purpose", verdict.purpose, "Override the profile's purpose")
        ->check(CLI::IsMember({"personal", "non-commercial", "commercial"}));
    verdictCmd->add_option("PRODUCT", verdict.product,
                           "Module id of the product (default: the project's products)");
    verdictCmd->callback([&ctx] { runVerdict(ctx, verdict); });

    static std::string expression;
    auto* explainCmd = lic->add_subcommand("explain", "What an SPDX licence expression allows and requires");
    explainCmd->add_option("EXPR", expression, "SPDX expression, e.g. \"PPL\" or \"MIT OR Apache-2.0\"")
        ->required();
    explainCmd->callback([&ctx] { runExplain(ctx, expression); });

    auto* list =
        lic->add_subcommand("list", "The licence catalogue (with the project's own licences in a design)");
    list->callback([&ctx] { runList(ctx); });

    static std::string noticeProduct;
    auto* notice = lic->add_subcommand(
        "notice", "Attribution notice for a product: modules, licences, imported origins");
    notice->add_option("PRODUCT", noticeProduct,
                       "Module id of the product (default: the project's products)");
    notice->callback([&ctx] { runNotice(ctx, noticeProduct); });
}

} // namespace telar::cli

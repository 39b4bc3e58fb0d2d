// explain(): what an expression allows and requires, in plain words.
#include "telar/error.h"
#include "telar/license/verdict.h"
#include "obligation_util.h"
#include "text_util.h"

namespace telar::license {

using detail::join;

namespace {

std::string freeForWords(const LicenseInfo& info) {
    std::vector<std::string> words;
    for (const auto& token : info.freeFor) {
        if (token == "individual") words.emplace_back("individuals");
        else if (token == "nonprofit") words.emplace_back("non-profits");
        else if (token == "cooperative") words.emplace_back("cooperatives and worker-owned enterprises");
        else if (token == "for-profit") words.emplace_back("for-profit enterprises");
        else if (token == "non-commercial") words.emplace_back("any non-commercial use");
        else if (token == "contributor") words.emplace_back("enterprises that contribute to this commons");
    }
    if (words.size() < 2) return join(words, "");
    const std::string last = words.back();
    words.pop_back();
    return join(words, ", ") + " and " + last;
}

void explainOption(std::string& out, const std::vector<LicenseTerm>& option, const Catalog& catalog,
                   const std::string& indent) {
    std::vector<Obligation> obligations;
    bool commercialForbidden = false;
    bool derivatives = true;
    bool oshwa = true;
    std::vector<std::string> reciprocity;
    for (const auto& term : option) {
        const LicenseInfo& info = resolveTerm(term, catalog);
        out += indent + info.id + " (" + info.name + "): " + info.summary + "\n";
        if (!term.exception.empty()) {
            if (const ExceptionInfo* exception = catalog.findException(term.exception))
                out += indent + "  with " + exception->id + " (" + exception->name + "): " + exception->summary + "\n";
        }
        detail::mergeObligations(obligations, obligationsOf(info));
        commercialForbidden = commercialForbidden || info.commercial == CommercialUse::Forbidden;
        derivatives = derivatives && info.derivatives;
        oshwa = oshwa && info.oshwaCompatible;
        if (info.commercial == CommercialUse::Reciprocity)
            reciprocity.push_back(info.id + ": free for " + freeForWords(info) + ". " + info.reciprocityTerms);
    }
    if (commercialForbidden) {
        out += indent + "Commercial use: not allowed, for anyone.\n";
    } else if (!reciprocity.empty()) {
        out += indent + "Commercial use: conditioned on reciprocity. " + join(reciprocity, " ") + "\n";
    } else {
        out += indent + "Commercial use: allowed for anyone.\n";
    }
    out += indent + (derivatives ? "Modified versions: may be shared.\n" : "Modified versions: may not be shared.\n");
    if (obligations.empty()) {
        out += indent + "Requires: nothing.\n";
    } else {
        out += indent + "Requires:\n";
        for (const auto& obligation : obligations) out += indent + "  - " + obligation.text + "\n";
    }
    out += indent + (oshwa ? "OSHWA-compatible: yes.\n" : "OSHWA-compatible: no.\n");
}

std::string optionText(const std::vector<LicenseTerm>& option) {
    std::vector<std::string> parts;
    for (const auto& term : option) parts.push_back(term.toString());
    return join(parts, " AND ");
}

} // namespace

std::string explain(std::string_view expression, const Catalog& catalog) {
    const Expression parsed = parseExpression(expression);
    if (auto unknown = findUnknownId(parsed, catalog, {})) throw LicenseError(*unknown);
    const Expression normalized = normalizeExpression(parsed, catalog);
    const auto options = normalized.options();

    std::string out = normalized.toString() + "\n";
    if (options.size() == 1) {
        if (options.front().size() > 1) out += "All of these licences apply together:\n";
        explainOption(out, options.front(), catalog, "  ");
        return out;
    }
    out += "You may choose any one of " + std::to_string(options.size()) + " options:\n";
    std::size_t lightest = 0;
    int lightestWeight = 0;
    for (std::size_t i = 0; i < options.size(); ++i) {
        out += "Option " + std::to_string(i + 1) + ": " + optionText(options[i]) + "\n";
        explainOption(out, options[i], catalog, "  ");
        int weight = 0;
        for (const auto& term : options[i]) weight += detail::burden(resolveTerm(term, catalog));
        if (i == 0 || weight < lightestWeight) {
            lightest = i;
            lightestWeight = weight;
        }
    }
    out += "The option with the fewest conditions is " + optionText(options[lightest]) + ".\n";
    return out;
}

std::string explain(std::string_view expression) { return explain(expression, Catalog::builtin()); }

} // namespace telar::license

// Verdicts: what a fab of a given kind, contribution and purpose may do under an expression.
#include "telar/license/verdict.h"

#include "telar/error.h"
#include "obligation_util.h"
#include "text_util.h"

#include <algorithm>

namespace telar::license {

using detail::join;

namespace {

struct TermVerdict {
    VerdictKind kind = VerdictKind::Free;
    std::string reason;
    std::vector<Obligation> obligations;
};

bool has(const LicenseInfo& info, std::string_view token) {
    return std::find(info.freeFor.begin(), info.freeFor.end(), token) != info.freeFor.end();
}

std::string purposeWords(Purpose purpose) {
    return purpose == Purpose::Personal ? "personal" : purpose == Purpose::NonCommercial ? "non-commercial" : "commercial";
}

std::string conditionsWords(const std::vector<Obligation>& obligations) {
    std::vector<std::string> words;
    for (const auto& obligation : obligations) words.emplace_back(toString(obligation.kind));
    return join(words, ", ");
}

std::string stewardWords(const FabContext& fab) {
    if (!fab.steward) return "ask the licensor";
    const Steward& steward = *fab.steward;
    std::string out = "ask " + (steward.name.empty() ? std::string("the steward") : steward.name);
    if (!steward.contact.empty()) out += " (" + steward.contact + ")";
    if (!steward.terms.empty()) out += ", terms: " + steward.terms;
    return out;
}

// Why a reciprocity licence lets this fab use it freely; empty when it does not.
std::string freeUseClause(const LicenseInfo& info, const FabContext& fab) {
    if (fab.purpose != Purpose::Commercial && has(info, "non-commercial"))
        return info.id + ": " + purposeWords(fab.purpose) +
               " use is free for everyone; its reciprocity terms concern commercial use only";
    const std::string_view kind = toString(fab.organization);
    if (has(info, kind)) {
        switch (fab.organization) {
        case OrganizationKind::Cooperative:
            return info.id + ": commercial use is free for cooperatives and worker-owned enterprises whose surplus "
                             "goes to their workers";
        case OrganizationKind::Nonprofit:
            return info.id + ": commercial use is free for non-profits (common-good institutions)";
        case OrganizationKind::Individual:
            return info.id + ": an individual working on their own account owns their work like a worker-owner, "
                             "and commercial use is free for worker-owned enterprises";
        case OrganizationKind::ForProfit:
            return info.id + ": commercial use is free for for-profit enterprises";
        }
    }
    if (fab.contributesToCommons && has(info, "contributor"))
        return info.id + ": commercial use is free for enterprises that contribute to this commons";
    return {};
}

std::string organizationWords(OrganizationKind kind) {
    switch (kind) {
    case OrganizationKind::Individual: return "an individual";
    case OrganizationKind::Nonprofit: return "a non-profit";
    case OrganizationKind::Cooperative: return "a cooperative";
    case OrganizationKind::ForProfit: return "a for-profit enterprise owned by shareholders";
    }
    return {};
}

TermVerdict judge(const LicenseTerm& term, const LicenseInfo& info, const FabContext& fab, const Catalog& catalog) {
    TermVerdict verdict;
    verdict.obligations = obligationsOf(info);
    auto dropReciprocity = [&]() {
        std::erase_if(verdict.obligations, [](const Obligation& o) { return o.kind == ObligationKind::Reciprocity; });
    };
    switch (info.commercial) {
    case CommercialUse::Forbidden:
        if (fab.purpose == Purpose::Commercial) {
            verdict.kind = VerdictKind::NotAllowed;
            verdict.reason = info.id + " forbids commercial use (NonCommercial clause), whoever the user is";
            verdict.obligations.clear();
            return verdict;
        }
        verdict.reason = info.id + " allows " + purposeWords(fab.purpose) +
                         " use; its NonCommercial clause forbids only commercial use";
        break;
    case CommercialUse::Reciprocity: {
        const std::string clause = freeUseClause(info, fab);
        if (!clause.empty()) {
            dropReciprocity();
            verdict.reason = clause;
            break;
        }
        verdict.kind = VerdictKind::ReciprocityRequired;
        std::string who = organizationWords(fab.organization);
        if (has(info, "contributor")) who += " that does not contribute to this commons";
        verdict.reason = info.id + ": " + purposeWords(fab.purpose) + " use by " + who +
                         " needs a licence fee or another reciprocity agreement with the licensor; " + stewardWords(fab);
        return verdict;
    }
    case CommercialUse::Free:
        verdict.reason = verdict.obligations.empty() ? info.id + " places no conditions on any use"
                                                     : info.id + " allows any use, commercial included, on conditions: " +
                                                           conditionsWords(verdict.obligations);
        break;
    }
    if (!term.exception.empty()) {
        const ExceptionInfo* exception = catalog.findException(term.exception);
        verdict.reason += " (with " + (exception ? exception->id + ": " + exception->summary : term.exception) + ")";
    }
    verdict.kind = verdict.obligations.empty() ? VerdictKind::Free : VerdictKind::FreeWithObligations;
    return verdict;
}

struct OptionVerdict {
    Verdict verdict;
    int weight = 0;
};

OptionVerdict judgeOption(const std::vector<LicenseTerm>& option, const FabContext& fab, const Catalog& catalog) {
    OptionVerdict out;
    std::vector<std::string> texts;
    std::vector<TermVerdict> terms;
    for (const auto& term : option) {
        const LicenseInfo& info = resolveTerm(term, catalog);
        texts.push_back(term.toString());
        terms.push_back(judge(term, info, fab, catalog));
        out.weight += detail::burden(info);
        out.verdict.kind = std::max(out.verdict.kind, terms.back().kind);
    }
    out.verdict.chosenOption = join(texts, " AND ");
    std::vector<std::string> reasons;
    for (const auto& term : terms) {
        // When something blocks, say only what blocks.
        if (out.verdict.kind >= VerdictKind::ReciprocityRequired && term.kind != out.verdict.kind) continue;
        reasons.push_back(term.reason);
        detail::mergeObligations(out.verdict.obligations, term.obligations);
    }
    if (out.verdict.kind == VerdictKind::NotAllowed) out.verdict.obligations.clear();
    out.verdict.reason = join(reasons, "; ");
    if (out.verdict.kind == VerdictKind::ReciprocityRequired) out.verdict.steward = fab.steward;
    return out;
}

} // namespace

std::string_view toString(OrganizationKind kind) {
    switch (kind) {
    case OrganizationKind::Individual: return "individual";
    case OrganizationKind::Nonprofit: return "nonprofit";
    case OrganizationKind::Cooperative: return "cooperative";
    case OrganizationKind::ForProfit: return "for-profit";
    }
    return "individual";
}

std::optional<OrganizationKind> parseOrganizationKind(std::string_view text) {
    if (text == "individual") return OrganizationKind::Individual;
    if (text == "nonprofit" || text == "non-profit") return OrganizationKind::Nonprofit;
    if (text == "cooperative" || text == "worker-owned") return OrganizationKind::Cooperative;
    if (text == "for-profit") return OrganizationKind::ForProfit;
    return std::nullopt;
}

std::string_view toString(Purpose purpose) {
    switch (purpose) {
    case Purpose::Personal: return "personal";
    case Purpose::NonCommercial: return "non-commercial";
    case Purpose::Commercial: return "commercial";
    }
    return "personal";
}

std::optional<Purpose> parsePurpose(std::string_view text) {
    if (text == "personal") return Purpose::Personal;
    if (text == "non-commercial") return Purpose::NonCommercial;
    if (text == "commercial") return Purpose::Commercial;
    return std::nullopt;
}

std::string_view toString(VerdictKind kind) {
    switch (kind) {
    case VerdictKind::Free: return "free";
    case VerdictKind::FreeWithObligations: return "free with obligations";
    case VerdictKind::ReciprocityRequired: return "reciprocity required";
    case VerdictKind::NotAllowed: return "not allowed";
    }
    return "free";
}

Verdict decideVerdict(const Expression& expression, const FabContext& fab, const Catalog& catalog) {
    const auto options = normalizeExpression(expression, catalog).options();
    std::optional<OptionVerdict> best;
    std::vector<std::string> optionTexts;
    for (const auto& option : options) {
        OptionVerdict candidate = judgeOption(option, fab, catalog);
        optionTexts.push_back(candidate.verdict.chosenOption);
        const bool better =
            !best || candidate.verdict.kind < best->verdict.kind ||
            (candidate.verdict.kind == best->verdict.kind && candidate.weight < best->weight);
        if (better) best = std::move(candidate);
    }
    Verdict verdict = std::move(best->verdict);
    verdict.options = optionTexts;
    if (options.size() > 1)
        verdict.reason += " (chose " + verdict.chosenOption + ", the most favourable of " + join(optionTexts, " | ") + ")";
    return verdict;
}

Verdict decideVerdict(std::string_view expression, const FabContext& fab, const Catalog& catalog) {
    return decideVerdict(parseExpression(expression), fab, catalog);
}

} // namespace telar::license

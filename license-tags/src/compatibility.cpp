// Licence compatibility: inclusion of material, combinations, obligations, OSHWA.
#include "telar/license/compatibility.h"

#include "telar/error.h"
#include "obligation_util.h"
#include "text_util.h"

#include <algorithm>
#include <optional>

namespace telar::license {

using detail::join;

namespace {

struct TermCheck {
    bool ok = true;
    std::string reason;
    std::vector<std::string> effects;
};

bool listedIn(const std::string& id, const std::vector<std::string>& ids) {
    return std::any_of(ids.begin(), ids.end(), [&](const std::string& other) { return detail::iequals(id, other); });
}

std::string allowedTargets(const LicenseInfo& m) {
    std::vector<std::string> targets{m.id};
    targets.insert(targets.end(), m.compatibleWith.begin(), m.compatibleWith.end());
    if (targets.size() == 1) return targets.front();
    std::string last = targets.back();
    targets.pop_back();
    return join(targets, ", ") + " or " + last;
}

// May material under m go into a work under w?
TermCheck checkTerm(const LicenseInfo& m, const LicenseInfo& w, bool modified) {
    TermCheck check;
    const bool same = m.id == w.id;
    if (!m.derivatives && modified) {
        check.ok = false;
        check.reason = m.id + " does not allow modified versions: its material cannot be adapted into a " + w.id +
                       " work (include it unmodified or replace it)";
        return check;
    }
    if (same) {
        check.reason = m.id + " material may go into a " + w.id + " work: same licence";
        return check;
    }
    if (!m.derivatives && w.shareAlike == ShareAlike::Design) {
        check.ok = false;
        check.reason = m.id + " material cannot be relicensed, but " + w.id + " requires the whole design under " + w.id;
        return check;
    }
    if (m.commercial == CommercialUse::Forbidden && w.commercial != CommercialUse::Forbidden) {
        check.ok = false;
        check.reason = m.id + " forbids commercial use, so a work including it becomes non-commercial, which " + w.id +
                       " does not allow (license the work non-commercially or replace the material)";
        return check;
    }
    if (listedIn(w.id, m.incompatibleWith)) {
        check.ok = false;
        check.reason = m.id + " material cannot go into a " + w.id + " work";
        if (!m.compatNote.empty()) check.reason += " (" + m.compatNote + ")";
        return check;
    }
    if (m.commercial == CommercialUse::Reciprocity && w.commercial == CommercialUse::Free) {
        check.ok = false;
        check.reason = m.id + " reserves some commercial use to an agreement with its licensor, but " + w.id +
                       " would let anyone use the work commercially";
        return check;
    }
    const bool compatibleListed = listedIn(w.id, m.compatibleWith);
    if (m.shareAlike == ShareAlike::Design && !compatibleListed) {
        check.ok = false;
        check.reason = m.id + " requires adaptations to be shared under " + allowedTargets(m) + ", and " + w.id +
                       " is not one of them";
        if (w.shareAlike == ShareAlike::None) check.reason += " (it is permissive and would let others close the design)";
        return check;
    }
    if (m.shareAlike == ShareAlike::File && !compatibleListed && w.shareAlike == ShareAlike::Design) {
        check.ok = false;
        check.reason = m.id + " keeps its files under " + m.id + ", but " + w.id + " requires the whole design under " +
                       w.id;
        return check;
    }

    if (m.commercial == CommercialUse::Forbidden) check.effects.push_back("the work stays non-commercial");
    if (m.attribution) check.effects.push_back("keep the notices of the " + m.id + " material and credit its authors");
    if (compatibleListed) {
        check.reason = m.id + " allows adaptations under " + w.id;
        if (!m.compatNote.empty()) check.reason += " (" + m.compatNote + ")";
        if (m.shareAlike == ShareAlike::Design) check.effects.push_back("the adapted material is shared under " + w.id);
    } else if (m.shareAlike == ShareAlike::File) {
        check.reason = m.id + " is reciprocal per file only: its files keep " + m.id + " inside a " + w.id + " work";
        check.effects.push_back("the " + m.id + " files stay under " + m.id + ", with their sources available");
    } else if (!m.derivatives) {
        check.reason = m.id + " material is included unmodified, which " + m.id + " allows";
        check.effects.push_back("the " + m.id + " material stays unmodified and under its own licence");
    } else if (m.attribution) {
        check.reason = m.id + " has no share-alike clause: its material may go into a " + w.id + " work, keeping its notices";
    } else {
        check.reason = m.id + " places no conditions: its material may go into a " + w.id + " work";
    }
    return check;
}

std::string optionText(const std::vector<LicenseTerm>& option) {
    std::vector<std::string> parts;
    for (const auto& term : option) parts.push_back(term.toString());
    return join(parts, " AND ");
}

void addUnique(std::vector<std::string>& list, const std::string& value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

std::string obligationBase(ObligationKind kind) {
    switch (kind) {
    case ObligationKind::Attribute: return "credit the authors and keep the licence notices";
    case ObligationKind::ShareAlikeFile: return "share modified files under the same licence";
    case ObligationKind::ShareAlikeDesign: return "share the whole adapted design under the same or a compatible licence";
    case ObligationKind::PublishSources: return "publish the complete sources with the designs and products you distribute";
    case ObligationKind::NonCommercial: return "use it only non-commercially";
    case ObligationKind::NoDerivatives: return "do not share modified versions";
    case ObligationKind::Reciprocity: return "commercial use outside the free cases needs an agreement with the licensor";
    }
    return {};
}

std::optional<Conflict> conflictBetween(const LicenseInfo& a, const LicenseInfo& b) {
    if (a.id == b.id) return std::nullopt;
    const TermCheck aIntoB = checkTerm(a, b, false);
    if (aIntoB.ok) return std::nullopt;
    const TermCheck bIntoA = checkTerm(b, a, false);
    if (bIntoA.ok) return std::nullopt;
    return Conflict{a.id, b.id, a.id + " and " + b.id + " cannot be joined: " + aIntoB.reason};
}

} // namespace

namespace detail {

void mergeObligations(std::vector<Obligation>& into, const std::vector<Obligation>& add) {
    for (const auto& obligation : add) {
        auto it = std::find_if(into.begin(), into.end(), [&](const Obligation& o) { return o.kind == obligation.kind; });
        if (it == into.end()) {
            into.push_back(obligation);
            continue;
        }
        for (const auto& id : obligation.from) addUnique(it->from, id);
        it->text = obligationBase(it->kind) + " (" + join(it->from, ", ") + ")";
    }
    std::stable_sort(into.begin(), into.end(),
                     [](const Obligation& a, const Obligation& b) { return static_cast<int>(a.kind) < static_cast<int>(b.kind); });
}

int burden(const LicenseInfo& info) {
    int score = 0;
    if (info.attribution) score += 1;
    if (info.shareAlike == ShareAlike::File) score += 2;
    if (info.shareAlike == ShareAlike::Design) score += 4;
    if (info.sourceDisclosure) score += 2;
    if (info.commercial == CommercialUse::Reciprocity) score += 6;
    if (info.commercial == CommercialUse::Forbidden) score += 8;
    if (!info.derivatives) score += 8;
    return score;
}

} // namespace detail

using detail::burden;
using detail::mergeObligations;

std::string_view toString(ObligationKind kind) {
    switch (kind) {
    case ObligationKind::Attribute: return "attribute";
    case ObligationKind::ShareAlikeFile: return "share alike (files)";
    case ObligationKind::ShareAlikeDesign: return "share alike (whole design)";
    case ObligationKind::PublishSources: return "publish sources";
    case ObligationKind::NonCommercial: return "non-commercial only";
    case ObligationKind::NoDerivatives: return "no modified versions";
    case ObligationKind::Reciprocity: return "reciprocity";
    }
    return "";
}

const LicenseInfo& resolveTerm(const LicenseTerm& term, const Catalog& catalog) {
    const LicenseInfo* written = catalog.find(term.id);
    if (written && term.orLater && !written->orLaterId.empty()) return catalog.get(written->orLaterId);
    if (written && term.orLater && written->deprecated()) {
        const LicenseInfo& current = catalog.get(written->replacedBy);
        if (!current.orLaterId.empty()) return catalog.get(current.orLaterId);
    }
    return catalog.get(term.id);
}

std::vector<Obligation> obligationsOf(const LicenseInfo& info) {
    std::vector<Obligation> out;
    auto add = [&](ObligationKind kind) { out.push_back({kind, {info.id}, obligationBase(kind) + " (" + info.id + ")"}); };
    if (info.attribution) add(ObligationKind::Attribute);
    if (info.shareAlike == ShareAlike::File) add(ObligationKind::ShareAlikeFile);
    if (info.shareAlike == ShareAlike::Design) add(ObligationKind::ShareAlikeDesign);
    if (info.sourceDisclosure) add(ObligationKind::PublishSources);
    if (info.commercial == CommercialUse::Forbidden) add(ObligationKind::NonCommercial);
    if (!info.derivatives) add(ObligationKind::NoDerivatives);
    if (info.commercial == CommercialUse::Reciprocity) add(ObligationKind::Reciprocity);
    return out;
}

InclusionResult checkInclusion(const Expression& material, const Expression& work, const Catalog& catalog,
                               InclusionOptions options) {
    const auto materialOptions = normalizeExpression(material, catalog).options();
    const auto workOptions = normalizeExpression(work, catalog).options();
    std::optional<InclusionResult> firstFailure;

    for (const auto& mOption : materialOptions) {
        InclusionResult result;
        result.materialOption = optionText(mOption);
        result.workOption = workOptions.size() == 1 ? optionText(workOptions.front()) : work.toString();
        std::vector<std::string> reasons;
        for (const auto& wOption : workOptions) {
            for (const auto& mTerm : mOption) {
                const LicenseInfo& m = resolveTerm(mTerm, catalog);
                // A work that itself carries the material's licence ("S AND CC-BY-SA") honours it;
                // otherwise every licence of the work must.
                std::vector<const LicenseInfo*> targets;
                bool carriesSame = false;
                for (const auto& wTerm : wOption) {
                    const LicenseInfo& w = resolveTerm(wTerm, catalog);
                    carriesSame = carriesSame || w.id == m.id;
                    targets.push_back(&w);
                }
                if (carriesSame) targets = {&m};
                for (const LicenseInfo* w : targets) {
                    TermCheck check = checkTerm(m, *w, options.modified);
                    if (!check.ok) {
                        result.compatible = false;
                        result.reason = check.reason;
                        if (workOptions.size() > 1)
                            result.reason = "the work may be taken under " + optionText(wOption) + ", and " + check.reason;
                        break;
                    }
                    addUnique(reasons, check.reason);
                    for (const auto& effect : check.effects) addUnique(result.effects, effect);
                }
                if (!result.compatible) break;
            }
            if (!result.compatible) break;
        }
        if (result.compatible) {
            result.reason = join(reasons, "; ");
            if (materialOptions.size() > 1)
                result.reason = "using the material under " + result.materialOption + ": " + result.reason;
            return result;
        }
        if (!firstFailure) firstFailure = std::move(result);
    }
    return *firstFailure;
}

InclusionResult checkInclusion(std::string_view material, std::string_view work, const Catalog& catalog,
                               InclusionOptions options) {
    const Expression materialExpression = parseExpression(material);
    const Expression workExpression = parseExpression(work);
    return checkInclusion(materialExpression, workExpression, catalog, options);
}

Combination combine(const std::vector<Expression>& expressions, const Catalog& catalog) {
    Combination result;
    std::vector<const LicenseInfo*> chosenInfos;
    auto conflictsWithChosen = [&](const std::vector<const LicenseInfo*>& infos) {
        int count = 0;
        for (std::size_t i = 0; i < infos.size(); ++i) {
            for (const LicenseInfo* other : chosenInfos) count += conflictBetween(*infos[i], *other) ? 1 : 0;
            for (std::size_t j = i + 1; j < infos.size(); ++j) count += conflictBetween(*infos[i], *infos[j]) ? 1 : 0;
        }
        return count;
    };

    for (const auto& expression : expressions) {
        const auto options = normalizeExpression(expression, catalog).options();
        std::size_t best = 0;
        int bestConflicts = 0;
        int bestBurden = 0;
        std::vector<std::vector<const LicenseInfo*>> resolved;
        for (std::size_t i = 0; i < options.size(); ++i) {
            std::vector<const LicenseInfo*> infos;
            int load = 0;
            for (const auto& term : options[i]) {
                infos.push_back(&resolveTerm(term, catalog));
                load += burden(*infos.back());
            }
            const int conflicts = conflictsWithChosen(infos);
            if (i == 0 || conflicts < bestConflicts || (conflicts == bestConflicts && load < bestBurden)) {
                best = i;
                bestConflicts = conflicts;
                bestBurden = load;
            }
            resolved.push_back(std::move(infos));
        }
        result.chosen.push_back(optionText(options[best]));
        for (const LicenseInfo* info : resolved[best]) {
            if (std::find(chosenInfos.begin(), chosenInfos.end(), info) == chosenInfos.end()) chosenInfos.push_back(info);
        }
    }

    for (std::size_t i = 0; i < chosenInfos.size(); ++i) {
        mergeObligations(result.obligations, obligationsOf(*chosenInfos[i]));
        for (std::size_t j = i + 1; j < chosenInfos.size(); ++j) {
            if (auto conflict = conflictBetween(*chosenInfos[i], *chosenInfos[j])) result.conflicts.push_back(*conflict);
        }
    }
    return result;
}

Combination combine(const std::vector<std::string>& expressions, const Catalog& catalog) {
    std::vector<Expression> parsed;
    for (const auto& text : expressions) parsed.push_back(parseExpression(text));
    return combine(parsed, catalog);
}

bool oshwaCompatible(const Expression& expression, const Catalog& catalog) {
    for (const auto& option : expression.options()) {
        const bool all = std::all_of(option.begin(), option.end(), [&](const LicenseTerm& term) {
            return resolveTerm(term, catalog).oshwaCompatible;
        });
        if (all) return true;
    }
    return false;
}

} // namespace telar::license

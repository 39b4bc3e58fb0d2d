// Free-text licence names and licence file texts → SPDX ids.
#include "telar/license/name_mapping.h"

#include "telar/error.h"
#include "telar/license/catalog.h"
#include "telar/license/expression.h"
#include "telar/license/reuse.h"
#include "text_util.h"

#include <algorithm>
#include <array>

namespace telar::license {

namespace detail {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return c >= 'a' && c <= 'z'; }

void addUnique(std::vector<std::string>& ids, const std::string& id) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

std::vector<std::string> exactMatches(const Catalog& catalog, const std::string& key) {
    std::vector<std::string> ids;
    if (key.empty()) return ids;
    for (const auto& info : catalog.licenses()) {
        bool hit = normalizeLicenseName(info.id) == key || normalizeLicenseName(info.name) == key;
        for (const auto& alias : info.names) hit = hit || normalizeLicenseName(alias) == key;
        if (hit) addUnique(ids, info.deprecated() ? info.replacedBy : info.id);
    }
    return ids;
}

} // namespace

std::string normalizeLicenseName(std::string_view name) {
    std::string text = toLower(name);
    for (std::size_t at = text.find("licence"); at != std::string::npos; at = text.find("licence", at))
        text.replace(at, 7, "license");
    // Tokens of letters, of digits (with inner dots), and '+'.
    std::vector<std::string> tokens;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (isAlpha(c)) {
            std::size_t end = i;
            while (end < text.size() && isAlpha(text[end])) ++end;
            tokens.push_back(text.substr(i, end - i));
            i = end;
        } else if (isDigit(c)) {
            std::size_t end = i;
            while (end < text.size() && (isDigit(text[end]) || (text[end] == '.' && end + 1 < text.size() &&
                                                                isDigit(text[end + 1]))))
                ++end;
            std::string number = text.substr(i, end - i);
            while (number.size() > 2 && number.ends_with(".0")) number.resize(number.size() - 2);
            tokens.push_back(number);
            i = end;
        } else if (c == '+') {
            tokens.push_back("orlater");
            ++i;
        } else {
            ++i;
        }
    }
    static const std::array<std::string_view, 9> kFiller = {"the",    "license", "version", "international",
                                                            "public", "v",       "ver",     "any",
                                                            "agreement"};
    std::string out;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        std::string token = tokens[i];
        const bool numberFollows = i + 1 < tokens.size() && isDigit(tokens[i + 1][0]);
        // "gplv3", "mplv2": a trailing 'v' before a version number is the word "version".
        if (numberFollows && token.size() > 2 && token.back() == 'v') token.pop_back();
        if (std::find(kFiller.begin(), kFiller.end(), token) != kFiller.end()) continue;
        if (token == "or" && i + 1 < tokens.size() && (tokens[i + 1] == "later" || tokens[i + 1] == "any")) {
            out += "orlater";
            while (i + 1 < tokens.size() && (tokens[i + 1] == "later" || tokens[i + 1] == "any" ||
                                             tokens[i + 1] == "version" || tokens[i + 1] == "newer"))
                ++i;
            continue;
        }
        out += token;
    }
    return out;
}

std::vector<std::string> matchLicenseName(const Catalog& catalog, std::string_view name) {
    const std::string key = normalizeLicenseName(name);
    std::vector<std::string> ids = exactMatches(catalog, key);
    if (!ids.empty()) return ids;
    const std::size_t later = key.find("orlater");
    if (later != std::string::npos) {
        // "GNU GPL v3 or later": match without it, then take the or-later id.
        std::string base = key;
        base.erase(later, 7);
        for (const auto& id : exactMatches(catalog, base)) {
            const LicenseInfo& info = catalog.get(id);
            if (!info.orLaterId.empty()) addUnique(ids, info.orLaterId);
            else if (toLower(info.id).ends_with("-or-later")) addUnique(ids, info.id);
        }
        return ids;
    }
    if (key.size() > 4 && key.ends_with("only")) return exactMatches(catalog, key.substr(0, key.size() - 4));
    return ids;
}

} // namespace detail

namespace {

// Adds the "only or later?" ambiguity when the id has an or-later sibling and the words did not say.
void addVersionAmbiguity(LicenseGuess& guess, const Catalog& catalog, const std::string& what) {
    const LicenseInfo* info = catalog.find(guess.id);
    if (!info || info->orLaterId.empty()) return;
    guess.alternatives.push_back(info->orLaterId);
    guess.ambiguity = what + " does not say whether later versions are allowed: " + guess.id + " or " +
                      info->orLaterId;
}

} // namespace

LicenseGuess licenseFromName(std::string_view name, const Catalog& catalog) {
    LicenseGuess guess;
    const std::string_view trimmed = detail::trim(name);
    if (trimmed.empty()) {
        guess.ambiguity = "no licence name given";
        return guess;
    }
    // Already an SPDX expression of known ids.
    if (!checkExpression(trimmed, catalog)) {
        guess.id = normalizeExpression(trimmed, catalog);
        return guess;
    }
    const std::vector<std::string> ids = detail::matchLicenseName(catalog, trimmed);
    if (ids.empty()) {
        guess.ambiguity = "'" + std::string(trimmed) + "' is not a licence name Telar knows";
        if (auto suggestion = catalog.suggest(trimmed)) guess.alternatives.push_back(*suggestion);
        return guess;
    }
    guess.id = ids.front();
    guess.alternatives.assign(ids.begin() + 1, ids.end());
    if (ids.size() > 1) {
        guess.ambiguity = "'" + std::string(trimmed) + "' fits several licences: " + detail::join(ids, ", ");
        return guess;
    }
    const std::string key = detail::normalizeLicenseName(trimmed);
    if (key.find("only") == std::string::npos && key.find("orlater") == std::string::npos)
        addVersionAmbiguity(guess, catalog, "'" + std::string(trimmed) + "'");
    return guess;
}

LicenseGuess licenseFromName(std::string_view name) { return licenseFromName(name, Catalog::builtin()); }

LicenseGuess licenseFromText(std::string_view text, const Catalog& catalog) {
    LicenseGuess guess;
    // An explicit SPDX-License-Identifier line says it all.
    for (const auto& header : findSpdxHeaders(text)) {
        if (!checkExpression(header.expression, catalog)) {
            guess.id = normalizeExpression(header.expression, catalog);
            return guess;
        }
    }
    const std::string collapsed = detail::collapseWhitespace(text);
    struct Candidate {
        std::string id;
        std::size_t score;
    };
    std::vector<Candidate> candidates;
    for (const auto& info : catalog.licenses()) {
        if (info.textMarkers.empty()) continue;
        bool all = true;
        std::size_t score = 0;
        for (const auto& marker : info.textMarkers) {
            if (collapsed.find(detail::collapseWhitespace(marker)) == std::string::npos) {
                all = false;
                break;
            }
            score += marker.size();
        }
        for (const auto& exclude : info.textExcludes)
            all = all && collapsed.find(detail::collapseWhitespace(exclude)) == std::string::npos;
        if (all) candidates.push_back({info.deprecated() ? info.replacedBy : info.id, score});
    }
    if (candidates.empty()) {
        guess.ambiguity = "the text matches no licence in the catalogue";
        return guess;
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    guess.id = candidates.front().id;
    for (std::size_t i = 1; i < candidates.size(); ++i) {
        if (candidates[i].id != guess.id) guess.alternatives.push_back(candidates[i].id);
    }
    if (!guess.alternatives.empty()) {
        guess.ambiguity = "the text also matches " + detail::join(guess.alternatives, ", ");
        return guess;
    }
    addVersionAmbiguity(guess, catalog, "the licence text alone");
    return guess;
}

LicenseGuess licenseFromText(std::string_view text) { return licenseFromText(text, Catalog::builtin()); }

} // namespace telar::license

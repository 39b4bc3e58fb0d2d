// The licence catalogue: reading resources/licenses.toml, lookups, project licences.
#include "telar/license/catalog.h"

#include "telar/error.h"
#include "text_util.h"

#include <toml++/toml.h>

#include <algorithm>
#include <array>

namespace telar::license {

using detail::toLower;

namespace {

const std::array<std::string_view, 6> kFreeForTokens = {"individual",     "nonprofit",  "cooperative",
                                                        "for-profit",     "non-commercial", "contributor"};

class TableReader {
public:
    TableReader(const toml::table& table, std::string where) : m_table(table), m_where(std::move(where)) {}

    [[noreturn]] void fail(const std::string& field, const std::string& reason) const {
        throw LicenseError(m_where + ": " + field + ": " + reason);
    }

    std::string string(const std::string& key, bool required) const {
        const toml::node* node = m_table.get(key);
        if (!node) {
            if (required) fail(key, "is required");
            return {};
        }
        if (!node->is_string()) fail(key, "must be a string");
        return std::string(*node->value<std::string_view>());
    }

    bool boolean(const std::string& key, bool fallback) const {
        const toml::node* node = m_table.get(key);
        if (!node) return fallback;
        if (!node->is_boolean()) fail(key, "must be true or false");
        return *node->value<bool>();
    }

    std::vector<std::string> strings(const std::string& key) const {
        std::vector<std::string> out;
        const toml::node* node = m_table.get(key);
        if (!node) return out;
        const toml::array* array = node->as_array();
        if (!array) fail(key, "must be an array of strings");
        for (const auto& element : *array) {
            if (!element.is_string()) fail(key, "must be an array of strings");
            out.emplace_back(*element.value<std::string_view>());
        }
        return out;
    }

    void rejectUnknownKeys(std::initializer_list<std::string_view> known) const {
        for (const auto& [key, value] : m_table) {
            if (std::find(known.begin(), known.end(), key.str()) == known.end())
                fail(std::string(key.str()), "unknown field");
        }
    }

private:
    const toml::table& m_table;
    std::string m_where;
};

void checkFreeFor(const std::vector<std::string>& tokens, const std::string& where) {
    for (const auto& token : tokens) {
        if (std::find(kFreeForTokens.begin(), kFreeForTokens.end(), token) == kFreeForTokens.end())
            throw LicenseError(where + ": free_for: unknown value '" + token +
                               "' (expected individual, nonprofit, cooperative, for-profit, non-commercial or "
                               "contributor)");
    }
}

LicenseInfo readLicense(const toml::table& table, const std::string& where) {
    TableReader reader(table, where);
    reader.rejectUnknownKeys({"id", "name", "kind", "attribution", "share_alike", "source_disclosure", "commercial",
                              "derivatives", "oshwa_compatible", "family", "summary", "free_for",
                              "reciprocity_terms", "compatible_with", "incompatible_with", "compat_note", "names",
                              "text_markers", "text_excludes", "replaced_by", "or_later_id"});
    LicenseInfo info;
    info.id = reader.string("id", true);
    info.replacedBy = reader.string("replaced_by", false);
    info.orLaterId = reader.string("or_later_id", false);
    info.name = reader.string("name", true);
    info.names = reader.strings("names");
    info.textMarkers = reader.strings("text_markers");
    info.textExcludes = reader.strings("text_excludes");
    if (info.deprecated()) return info; // attributes come from the replacement
    info.kind = reader.string("kind", true);
    info.attribution = reader.boolean("attribution", false);
    const std::string shareAlike = reader.string("share_alike", true);
    const auto parsedShareAlike = parseShareAlike(shareAlike);
    if (!parsedShareAlike) reader.fail("share_alike", "must be none, file or design, not '" + shareAlike + "'");
    info.shareAlike = *parsedShareAlike;
    info.sourceDisclosure = reader.boolean("source_disclosure", false);
    const std::string commercial = reader.string("commercial", true);
    const auto parsedCommercial = parseCommercialUse(commercial);
    if (!parsedCommercial) reader.fail("commercial", "must be free, reciprocity or forbidden, not '" + commercial + "'");
    info.commercial = *parsedCommercial;
    info.derivatives = reader.boolean("derivatives", true);
    info.oshwaCompatible = reader.boolean("oshwa_compatible", false);
    info.family = reader.string("family", false);
    info.summary = reader.string("summary", true);
    info.freeFor = reader.strings("free_for");
    checkFreeFor(info.freeFor, where);
    info.reciprocityTerms = reader.string("reciprocity_terms", false);
    info.compatibleWith = reader.strings("compatible_with");
    info.incompatibleWith = reader.strings("incompatible_with");
    info.compatNote = reader.string("compat_note", false);
    if (info.commercial == CommercialUse::Reciprocity && info.freeFor.empty())
        reader.fail("free_for", "is required when commercial = \"reciprocity\"");
    return info;
}

ExceptionInfo readException(const toml::table& table, const std::string& where) {
    TableReader reader(table, where);
    reader.rejectUnknownKeys({"id", "name", "summary", "applies_to"});
    ExceptionInfo info;
    info.id = reader.string("id", true);
    info.name = reader.string("name", true);
    info.summary = reader.string("summary", true);
    info.appliesTo = reader.strings("applies_to");
    return info;
}

} // namespace

std::string_view toString(ShareAlike value) {
    switch (value) {
    case ShareAlike::None: return "none";
    case ShareAlike::File: return "file";
    case ShareAlike::Design: return "design";
    }
    return "none";
}

std::optional<ShareAlike> parseShareAlike(std::string_view text) {
    if (text == "none") return ShareAlike::None;
    if (text == "file") return ShareAlike::File;
    if (text == "design") return ShareAlike::Design;
    return std::nullopt;
}

std::string_view toString(CommercialUse value) {
    switch (value) {
    case CommercialUse::Free: return "free";
    case CommercialUse::Reciprocity: return "reciprocity";
    case CommercialUse::Forbidden: return "forbidden";
    }
    return "free";
}

std::optional<CommercialUse> parseCommercialUse(std::string_view text) {
    if (text == "free") return CommercialUse::Free;
    if (text == "reciprocity") return CommercialUse::Reciprocity;
    if (text == "forbidden") return CommercialUse::Forbidden;
    return std::nullopt;
}

const Catalog& Catalog::builtin() {
    static const Catalog catalog = fromToml(detail::embeddedCatalogText(), "resources/licenses.toml");
    return catalog;
}

Catalog Catalog::fromToml(std::string_view text, std::string_view sourceName) {
    toml::table root;
    try {
        root = toml::parse(text, sourceName);
    } catch (const toml::parse_error& error) {
        const auto& begin = error.source().begin;
        throw LicenseError(std::string(sourceName) + ":" + std::to_string(begin.line) + ":" +
                           std::to_string(begin.column) + ": " + std::string(error.description()));
    }
    Catalog catalog;
    for (const auto& [key, value] : root) {
        if (key.str() != "license" && key.str() != "exception")
            throw LicenseError(std::string(sourceName) + ": unknown table '" + std::string(key.str()) + "'");
    }
    if (const toml::array* licenses = root["license"].as_array()) {
        for (std::size_t i = 0; i < licenses->size(); ++i) {
            const std::string where = std::string(sourceName) + ": license[" + std::to_string(i) + "]";
            const toml::table* table = (*licenses)[i].as_table();
            if (!table) throw LicenseError(where + ": must be a table");
            catalog.add(readLicense(*table, where));
        }
    }
    if (const toml::array* exceptions = root["exception"].as_array()) {
        for (std::size_t i = 0; i < exceptions->size(); ++i) {
            const std::string where = std::string(sourceName) + ": exception[" + std::to_string(i) + "]";
            const toml::table* table = (*exceptions)[i].as_table();
            if (!table) throw LicenseError(where + ": must be a table");
            ExceptionInfo info = readException(*table, where);
            const std::string key = toLower(info.id);
            if (catalog.m_exceptionIndex.count(key)) throw LicenseError(where + ": duplicate exception id '" + info.id + "'");
            catalog.m_exceptionIndex.emplace(key, catalog.m_exceptions.size());
            catalog.m_exceptions.push_back(std::move(info));
        }
    }
    // Every id a licence refers to must exist, so lookups later never dangle.
    for (const auto& info : catalog.m_licenses) {
        auto check = [&](const std::string& id, const char* field) {
            if (!id.empty() && !catalog.find(id))
                throw LicenseError(std::string(sourceName) + ": " + info.id + ": " + field + " names unknown id '" +
                                   id + "'");
        };
        check(info.replacedBy, "replaced_by");
        check(info.orLaterId, "or_later_id");
        for (const auto& id : info.compatibleWith) check(id, "compatible_with");
        for (const auto& id : info.incompatibleWith) check(id, "incompatible_with");
    }
    return catalog;
}

const LicenseInfo* Catalog::find(std::string_view id) const {
    const auto it = m_licenseIndex.find(toLower(id));
    return it == m_licenseIndex.end() ? nullptr : &m_licenses[it->second];
}

const LicenseInfo& Catalog::get(std::string_view id) const {
    const LicenseInfo* info = find(id);
    if (!info) {
        std::string message = "unknown licence id '" + std::string(id) + "'";
        if (auto suggestion = suggest(id)) message += " (did you mean '" + *suggestion + "'?)";
        throw LicenseError(message);
    }
    if (info->deprecated()) {
        if (const LicenseInfo* replacement = find(info->replacedBy)) return *replacement;
    }
    return *info;
}

const ExceptionInfo* Catalog::findException(std::string_view id) const {
    const auto it = m_exceptionIndex.find(toLower(id));
    return it == m_exceptionIndex.end() ? nullptr : &m_exceptions[it->second];
}

void Catalog::add(LicenseInfo info) {
    if (info.id.empty()) throw LicenseError("a licence needs an id");
    const std::string key = toLower(info.id);
    if (m_licenseIndex.count(key)) throw LicenseError("duplicate licence id '" + info.id + "'");
    m_licenseIndex.emplace(key, m_licenses.size());
    m_licenses.push_back(std::move(info));
}

void Catalog::addProjectLicense(const ProjectLicense& license) {
    const std::string where = "license '" + license.id + "'";
    if (!detail::istartsWith(license.id, "LicenseRef-") || license.id.size() == 11)
        throw LicenseError(where + ": id: a project licence id must start with 'LicenseRef-'");
    for (char c : license.id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '.';
        if (!ok) throw LicenseError(where + ": id: only letters, digits, '-' and '.' are allowed");
    }
    if (find(license.id)) throw LicenseError(where + ": id: already defined");
    if (license.name.empty()) throw LicenseError(where + ": name: is required");
    const auto shareAlike = parseShareAlike(license.shareAlike);
    if (!shareAlike)
        throw LicenseError(where + ": share_alike: must be none, file or design, not '" + license.shareAlike + "'");
    const auto commercial = parseCommercialUse(license.commercial);
    if (!commercial)
        throw LicenseError(where + ": commercial: must be free, reciprocity or forbidden, not '" +
                           license.commercial + "'");
    checkFreeFor(license.freeFor, where);

    LicenseInfo info;
    info.id = license.id;
    info.name = license.name;
    info.kind = "project";
    info.attribution = license.attribution;
    info.shareAlike = *shareAlike;
    info.sourceDisclosure = license.sourceDisclosure;
    info.commercial = *commercial;
    info.derivatives = license.derivatives;
    info.oshwaCompatible = license.oshwaCompatible;
    info.summary = license.summary.empty() ? license.name : license.summary;
    info.freeFor = license.freeFor;
    if (info.commercial == CommercialUse::Reciprocity && info.freeFor.empty()) info.freeFor = {"non-commercial"};
    info.declaredByProject = true;
    add(std::move(info));
}

std::optional<std::string> Catalog::suggest(std::string_view unknownId, const std::vector<std::string>& extraIds) const {
    // A free-text name the catalogue knows ("GPLv3", "CC BY-SA 4.0") is the clearest hint.
    if (auto byName = detail::matchLicenseName(*this, unknownId); !byName.empty()) return byName.front();

    std::vector<std::string_view> candidates;
    for (const auto& info : m_licenses) {
        if (!info.deprecated()) candidates.push_back(info.id);
    }
    for (const auto& id : extraIds) candidates.push_back(id);

    const std::string lowered = toLower(unknownId);
    std::optional<std::string> best;
    std::size_t bestDistance = std::max<std::size_t>(2, unknownId.size() / 4) + 1;
    for (const auto candidate : candidates) {
        std::size_t distance = detail::editDistance(unknownId, candidate);
        // A prefix of a known id ("CERN-OHL-S-2", "CC-BY-SA-4") is the likeliest meaning.
        if (lowered.size() >= 4 && toLower(candidate).starts_with(lowered)) distance = std::min<std::size_t>(distance, 1);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = std::string(candidate);
        }
    }
    return best;
}

} // namespace telar::license

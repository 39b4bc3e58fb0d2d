// The credit policy file and the contributions ledger (contributions.toml): parsing with
// toml++, every problem reported as a ManifestError naming file, line and field.

#include "telar/core/catalog.h"
#include "telar/core/credits.h"
#include "telar/error.h"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace telar::core {

namespace {

[[noreturn]] void fail(const std::string& file, const toml::source_region& at, const std::string& field,
                       const std::string& reason) {
    throw ManifestError(file, static_cast<int>(at.begin.line), static_cast<int>(at.begin.column), field,
                        reason);
}

toml::table parse(std::string_view text, const std::string& file) {
    try {
        return toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        throw ManifestError(file, static_cast<int>(e.source().begin.line),
                            static_cast<int>(e.source().begin.column), "", std::string(e.description()));
    }
}

void allowOnly(const toml::table& t, const std::string& file, const std::string& prefix,
               std::initializer_list<std::string_view> keys) {
    for (const auto& [k, v] : t) {
        if (std::find(keys.begin(), keys.end(), k.str()) == keys.end())
            fail(file, k.source(),
                 prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str()),
                 "unknown field");
    }
}

double number(const toml::node& n, const std::string& file, const std::string& field) {
    std::optional<double> v;
    if (auto i = n.value_exact<int64_t>())
        v = static_cast<double>(*i);
    else if (auto d = n.value_exact<double>())
        v = *d;
    if (!v) fail(file, n.source(), field, "must be a number");
    if (*v < 0) fail(file, n.source(), field, "must not be negative");
    return *v;
}

std::vector<std::string> strings(const toml::node& n, const std::string& file, const std::string& field) {
    const auto* arr = n.as_array();
    if (!arr) fail(file, n.source(), field, "must be an array of strings");
    std::vector<std::string> out;
    for (const auto& item : *arr) {
        auto s = item.value_exact<std::string>();
        if (!s) fail(file, item.source(), field, "must be an array of strings");
        out.push_back(*s);
    }
    return out;
}

std::string dateText(const toml::node& n) {
    std::ostringstream out;
    if (auto d = n.as_date()) {
        out << d->get();
        return out.str();
    }
    if (auto dt = n.as_date_time()) {
        out << dt->get();
        return out.str();
    }
    if (auto s = n.value_exact<std::string>()) return *s;
    return {};
}

} // namespace

const std::vector<std::string>& contributionKinds() {
    static const std::vector<std::string> kinds{"design",  "testing", "documentation", "fabrication-feedback",
                                                "funding", "other"};
    return kinds;
}

CreditPolicy parseCreditPolicy(std::string_view text, const std::string& file) {
    CreditPolicy p;
    p.file = file;
    toml::table root = parse(text, file);
    allowOnly(root, file, "", {"history", "ledger"});
    if (const auto* h = root["history"].as_table()) {
        allowOnly(*h, file, "history",
                  {"per_commit", "per_cad_kib", "per_manifest_kib", "per_other_kib", "max_commit_points",
                   "co_author_weight", "cad_extensions", "manifest_files", "ignored_files"});
        auto num = [&](const char* key, double& out) {
            if (const auto* n = h->get(key)) out = number(*n, file, std::string("history.") + key);
        };
        num("per_commit", p.perCommit);
        num("per_cad_kib", p.perCadKib);
        num("per_manifest_kib", p.perManifestKib);
        num("per_other_kib", p.perOtherKib);
        num("max_commit_points", p.maxCommitPoints);
        num("co_author_weight", p.coAuthorWeight);
        if (const auto* n = h->get("cad_extensions")) {
            p.cadExtensions = strings(*n, file, "history.cad_extensions");
            for (auto& e : p.cadExtensions)
                std::transform(e.begin(), e.end(), e.begin(),
                               [](unsigned char c) { return std::tolower(c); });
        }
        if (const auto* n = h->get("manifest_files"))
            p.manifestFiles = strings(*n, file, "history.manifest_files");
        if (const auto* n = h->get("ignored_files"))
            p.ignoredFiles = strings(*n, file, "history.ignored_files");
    } else if (root.contains("history")) {
        fail(file, root["history"].node()->source(), "history", "must be a table");
    }
    if (const auto* l = root["ledger"].as_table()) {
        allowOnly(*l, file, "ledger", {"per_hour", "per_value", "max_entry_points"});
        if (const auto* n = l->get("max_entry_points"))
            p.maxEntryPoints = number(*n, file, "ledger.max_entry_points");
        for (const char* table : {"per_hour", "per_value"}) {
            const auto* t = l->get_as<toml::table>(table);
            if (!t) continue;
            auto& target = std::string(table) == "per_hour" ? p.perHour : p.perValue;
            for (const auto& [k, v] : *t) {
                std::string kind(k.str());
                std::string field = std::string("ledger.") + table + "." + kind;
                const auto& kinds = contributionKinds();
                if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
                    fail(file, v.source(), field,
                         "unknown contribution kind (one of design, testing, documentation, "
                         "fabrication-feedback, funding, other)");
                target[kind] = number(v, file, field);
            }
        }
    }
    return p;
}

CreditPolicy loadCreditPolicy(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw UsageError("cannot read the credit policy " + file.string());
    std::stringstream buf;
    buf << in.rdbuf();
    return parseCreditPolicy(buf.str(), file.string());
}

CreditPolicy defaultCreditPolicy() {
    std::filesystem::path file = Catalog::resourceDir() / "credit-policy.toml";
    std::error_code ec;
    if (std::filesystem::exists(file, ec)) return loadCreditPolicy(file);
    CreditPolicy p;
    p.file = "built-in";
    return p;
}

std::vector<Contribution> parseContributions(std::string_view text, const std::string& file) {
    std::vector<Contribution> out;
    toml::table root = parse(text, file);
    allowOnly(root, file, "", {"contribution"});
    const toml::node* node = root.get("contribution");
    if (!node) return out;
    const auto* arr = node->as_array();
    if (!arr || !arr->is_array_of_tables())
        fail(file, node->source(), "contribution", "must be an array of tables: write [[contribution]]");
    size_t index = 0;
    for (const auto& item : *arr) {
        ++index;
        const auto& t = *item.as_table();
        const std::string prefix = "contribution[" + std::to_string(index) + "]";
        allowOnly(t, file, prefix, {"kind", "who", "email", "date", "module", "hours", "value", "note"});
        Contribution c;
        c.line = static_cast<int>(t.source().begin.line);
        auto field = [&](const char* key, bool required) {
            const toml::node* n = t.get(key);
            if (!n) {
                if (required) fail(file, t.source(), prefix + "." + key, "is required");
                return std::string();
            }
            auto s = n->value_exact<std::string>();
            if (!s) fail(file, n->source(), prefix + "." + key, "must be a string");
            if (required && s->empty()) fail(file, n->source(), prefix + "." + key, "must not be empty");
            return *s;
        };
        c.kind = field("kind", true);
        const auto& kinds = contributionKinds();
        if (std::find(kinds.begin(), kinds.end(), c.kind) == kinds.end())
            fail(file, t.get("kind")->source(), prefix + ".kind",
                 "unknown kind '" + c.kind +
                     "' (one of design, testing, documentation, fabrication-feedback, "
                     "funding, other)");
        c.who = field("who", true);
        c.email = field("email", false);
        c.module = field("module", false);
        c.note = field("note", false);
        const toml::node* date = t.get("date");
        if (!date) fail(file, t.source(), prefix + ".date", "is required");
        c.date = dateText(*date);
        if (c.date.size() < 10) fail(file, date->source(), prefix + ".date", "must be a date (2026-03-01)");
        if (const auto* n = t.get("hours")) c.hours = number(*n, file, prefix + ".hours");
        if (const auto* n = t.get("value")) c.value = number(*n, file, prefix + ".value");
        if (c.hours.has_value() == c.value.has_value())
            fail(file, t.source(), prefix, "give either hours or value (exactly one)");
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace telar::core

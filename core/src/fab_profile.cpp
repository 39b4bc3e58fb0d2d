// Parsing and checking fab profiles (fab.toml).
#include "telar/core/fab_profile.h"

#include "telar/core/catalog.h"
#include "telar/error.h"
#include "toml_util.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace telar::core {

using detail::DiagSink;
using detail::TableReader;

namespace {

const std::vector<std::string> kOrganisationKinds = {"individual", "nonprofit", "cooperative", "for-profit"};
const std::vector<std::string> kPurposes = {"personal", "non-commercial", "commercial"};

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

// Reads an array of N positive numbers (mm); reports anything else.
template <std::size_t N>
std::optional<std::array<double, N>> readSize(const toml::table& table, TableReader& r, std::string_view key) {
    const toml::node* node = table.get(key);
    if (!node) return std::nullopt;
    (void)r.at(key);
    const toml::array* arr = node->as_array();
    std::array<double, N> out{};
    bool ok = arr && arr->size() == N;
    if (ok)
        for (std::size_t i = 0; i < N; ++i) {
            auto v = (*arr)[i].value<double>();
            if (!v || !(*v > 0) || *v > 1e6) {
                ok = false;
                break;
            }
            out[i] = *v;
        }
    if (!ok) {
        const std::string example = N == 3 ? "[250, 210, 220]" : "[600, 400]";
        r.sink().error(detail::posOf(*node), r.field(key),
                       "must be an array of " + std::to_string(N) + " positive sizes in mm, got " +
                           detail::describeValue(*node),
                       "write e.g. " + std::string(key) + " = " + example);
        return std::nullopt;
    }
    return out;
}

void readFab(const toml::table& t, FabProfile& fab, DiagSink& sink) {
    SourceInfo info;
    TableReader r(t, "fab", info, sink, {"name", "currency", "usd_rate", "labour_rate"});
    if (auto v = r.str("name", true)) fab.name = *v;
    if (auto v = r.str("currency")) {
        if (detail::isCurrency(*v)) fab.currency = *v;
        else sink.error(r.at("currency"), r.field("currency"), "must be an ISO 4217 code such as \"EUR\", got " +
                                                                   detail::quoteToml(*v), "use three capital letters");
    }
    if (auto v = r.nonNegative("usd_rate")) {
        if (*v > 0) fab.usdRate = *v;
        else sink.error(r.at("usd_rate"), r.field("usd_rate"), "must be greater than 0",
                        "give how many units of the fab's currency one USD buys, e.g. 0.92");
    } else if (!t.get("usd_rate") && fab.currency != "USD") {
        sink.error(r.pos(), r.field("usd_rate"), "required when currency is not USD",
                   "add usd_rate = … (" + fab.currency + " per USD) so catalogue prices can be converted");
    }
    if (auto v = r.nonNegative("labour_rate")) fab.labourRate = *v;
}

void readOrganisation(const toml::table& t, FabProfile& fab, DiagSink& sink) {
    SourceInfo info;
    TableReader r(t, "organisation", info, sink, {"kind", "contributes", "purpose"});
    if (auto v = r.str("kind", true)) {
        if (std::find(kOrganisationKinds.begin(), kOrganisationKinds.end(), *v) != kOrganisationKinds.end())
            fab.organisation = *v;
        else
            sink.error(r.at("kind"), r.field("kind"),
                       "unknown organisation kind '" + *v + "'" + didYouMean(*v, kOrganisationKinds),
                       "use one of: " + joined(kOrganisationKinds));
    }
    if (auto v = r.boolean("contributes")) fab.contributes = *v;
    if (auto v = r.str("purpose")) {
        if (std::find(kPurposes.begin(), kPurposes.end(), *v) != kPurposes.end()) fab.purpose = *v;
        else
            sink.error(r.at("purpose"), r.field("purpose"), "unknown purpose '" + *v + "'" + didYouMean(*v, kPurposes),
                       "use one of: " + joined(kPurposes));
    }
}

void readMachines(const toml::array& arr, FabProfile& fab, DiagSink& sink, const Catalog* catalog) {
    std::size_t index = 0;
    for (const auto& node : arr) {
        const toml::table& t = *node.as_table();
        SourceInfo info;
        TableReader r(t, "machine[" + std::to_string(++index) + "]", info, sink,
                      {"process", "name", "hourly_rate", "build_volume", "bed", "max_thickness"});
        FabMachine m;
        bool ok = true;
        if (auto v = r.str("process", true)) {
            if (!isValidId(*v)) {
                sink.error(r.at("process"), r.field("process"), "invalid process id " + detail::quoteToml(*v),
                           "use a catalogue id such as \"laser-cut\"");
                ok = false;
            } else if (catalog && !catalog->process(*v)) {
                auto s = catalog->suggestProcesses(*v);
                sink.error(r.at("process"), r.field("process"),
                           "unknown process '" + *v + "'" + (s.empty() ? "" : " (did you mean '" + s.front() + "'?)"),
                           "use a process id from resources/processes.toml");
                ok = false;
            } else {
                m.process = *v;
            }
        } else {
            ok = false;
        }
        if (auto v = r.str("name")) m.name = *v;
        if (m.name.empty()) m.name = m.process;
        if (auto v = r.nonNegative("hourly_rate")) m.hourlyRate = *v;
        m.buildVolume = readSize<3>(t, r, "build_volume");
        m.bed = readSize<2>(t, r, "bed");
        if (auto v = r.nonNegative("max_thickness")) m.maxThickness = *v;
        if (ok) fab.machines.push_back(std::move(m));
    }
}

void readMaterialPrices(const toml::table& t, FabProfile& fab, DiagSink& sink, const Catalog* catalog) {
    for (auto&& [key, value] : t) {
        const std::string id(key.str());
        const std::string field = "materials." + id;
        if (!isValidId(id)) {
            sink.error(detail::posOf(key), field, "invalid material id " + detail::quoteToml(id),
                       "use a catalogue id such as \"pla\"");
            continue;
        }
        if (catalog && !catalog->material(id)) {
            auto s = catalog->suggestMaterials(id);
            sink.error(detail::posOf(key), field,
                       "unknown material '" + id + "'" + (s.empty() ? "" : " (did you mean '" + s.front() + "'?)"),
                       "use a material id from resources/materials.toml");
            continue;
        }
        auto d = value.value<double>();
        if (!value.is_number() || !d || !(*d >= 0) || *d > 1e9) {
            sink.error(detail::posOf(value), field,
                       "must be a price per kg of 0 or more, got " + detail::describeValue(value),
                       "write a number without quotes, e.g. 24.5");
            continue;
        }
        fab.materialPrices[id] = *d;
    }
}

FabProfile parse(std::string_view text, const std::string& file, std::vector<Diagnostic>& diags,
                 const Catalog* catalog) {
    FabProfile fab;
    fab.file = file;
    DiagSink sink(file, diags);
    auto root = detail::parseToml(text, sink);
    if (!root) return fab;
    SourceInfo info;
    TableReader top(*root, "", info, sink, {"fab", "organisation", "machine", "materials"});
    if (const toml::table* t = top.table("fab")) readFab(*t, fab, sink);
    else if (!root->get("fab")) sink.error({1, 1}, "fab", "required table is missing", "add a [fab] table with name = \"…\"");
    if (const toml::table* t = top.table("organisation")) readOrganisation(*t, fab, sink);
    else if (!root->get("organisation"))
        sink.error({1, 1}, "organisation", "required table is missing",
                   "add [organisation] with kind = \"nonprofit\" (or individual, cooperative, for-profit)");
    if (const toml::array* a = top.tableArray("machine")) readMachines(*a, fab, sink, catalog);
    if (const toml::table* t = top.table("materials")) readMaterialPrices(*t, fab, sink, catalog);
    return fab;
}

} // namespace

FabProfile parseFabProfile(std::string_view text, const std::string& file, std::vector<Diagnostic>& diags) {
    return parse(text, file, diags, nullptr);
}

FabProfile parseFabProfile(std::string_view text, const std::string& file, std::vector<Diagnostic>& diags,
                           const Catalog& catalog) {
    return parse(text, file, diags, &catalog);
}

FabProfile loadFabProfile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error("cannot read fab profile " + file.string() + ": the file is missing or unreadable");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw Error("cannot read fab profile " + file.string());
    const Catalog catalog = Catalog::loadDefault();
    std::vector<Diagnostic> diags;
    FabProfile fab = parseFabProfile(ss.str(), file.string(), diags, catalog);
    sortDiagnostics(diags);
    for (const auto& d : diags)
        if (d.severity == Severity::Error) throw ManifestError(d.file, d.line, d.column, d.field, d.message);
    return fab;
}

} // namespace telar::core

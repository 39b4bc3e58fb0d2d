// telar adopt: proposing manifests for an existing repository (see adopt.h, docs/adopt.md).

#include "telar/core/adopt.h"

#include "telar/core/manifest_edit.h"
#include "telar/core/okh.h"
#include "telar/error.h"
#include "telar/license/catalog.h"
#include "telar/license/expression.h"
#include "telar/license/name_mapping.h"
#include "telar/license/reuse.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace telar::core {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string readText(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return {};
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

enum class CadKind { None, Step, Iges, Stl, ThreeMf };

CadKind cadKind(const fs::path& p) {
    std::string ext = lower(p.extension().string());
    if (ext == ".step" || ext == ".stp") return CadKind::Step;
    if (ext == ".iges" || ext == ".igs") return CadKind::Iges;
    if (ext == ".stl") return CadKind::Stl;
    if (ext == ".3mf") return CadKind::ThreeMf;
    return CadKind::None;
}

bool isMesh(CadKind k) { return k == CadKind::Stl || k == CadKind::ThreeMf; }

struct CadFile {
    std::string path;   // repository-relative
    std::string folder; // repository-relative folder ("" for the root)
    std::string fileName;
    CadKind kind = CadKind::None;
    AdoptFileName name;
    std::string twin; // the STEP/IGES twin of a mesh, or the mesh of a solid (then skipped)
};

std::string kindOf(const std::string& id) {
    const auto* info = license::Catalog::builtin().find(id);
    return info ? info->kind : std::string();
}

std::string displayName(const std::string& stem) {
    std::string out = stem;
    std::replace(out.begin(), out.end(), '_', ' ');
    return out;
}

bool isLicenseFileName(const std::string& name) {
    std::string n = lower(name);
    for (const char* base : {"license", "licence", "copying"})
        for (const char* ext : {"", ".md", ".txt", ".rst"})
            if (n == std::string(base) + ext) return true;
    return false;
}

std::string joinIds(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : " or ") + id;
    return out;
}

std::vector<std::string> withAlternatives(const AdoptLicense& l) {
    std::vector<std::string> all{l.id};
    all.insert(all.end(), l.alternatives.begin(), l.alternatives.end());
    return all;
}

} // namespace

std::string adoptSanitizeId(std::string_view text) {
    std::string out;
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        char l = static_cast<char>(std::tolower(c));
        if (std::isalnum(c) && c < 0x80)
            out += l;
        else if (ch == '.' || ch == '_' || ch == '-')
            out += ch;
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    std::size_t start = 0;
    while (start < out.size() && !std::isalnum(static_cast<unsigned char>(out[start]))) ++start;
    out.erase(0, start);
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "part" : out;
}

AdoptFileName parseAdoptFileName(std::string_view fileName) {
    AdoptFileName r;
    std::string stem = fs::path(std::string(fileName)).stem().string();
    if (stem.size() > 4 && lower(stem.substr(0, 4)) == "[a]_") {
        r.accent = true;
        stem.erase(0, 4);
    }
    // "_x5" at the end: the quantity.
    std::size_t us = stem.rfind('_');
    if (us != std::string::npos && us + 2 < stem.size() && (stem[us + 1] == 'x' || stem[us + 1] == 'X')) {
        std::string digits = stem.substr(us + 2);
        if (!digits.empty() && digits.size() <= 6 &&
            std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
            long long q = std::stoll(digits);
            if (q > 0) {
                r.quantity = q;
                stem.erase(us);
            }
        }
    }
    r.stem = stem;
    return r;
}

AdoptProposal proposeAdoption(const fs::path& dirIn) {
    std::error_code ec;
    if (!fs::is_directory(dirIn, ec)) throw UsageError("not a folder: " + dirIn.string());
    const fs::path dir = fs::absolute(dirIn);
    AdoptProposal prop;

    // ---- CAD files, skipping hidden folders (.git) and symbolic links ----
    std::vector<CadFile> files;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const auto& entry = *it;
        std::string name = entry.path().filename().string();
        if (!name.empty() && name.front() == '.') {
            if (entry.is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        if (entry.is_symlink(ec) || !entry.is_regular_file(ec)) continue;
        CadKind k = cadKind(entry.path());
        if (k == CadKind::None) continue;
        CadFile f;
        f.path = fs::relative(entry.path(), dir).generic_string();
        f.folder = fs::path(f.path).parent_path().generic_string();
        f.fileName = name;
        f.kind = k;
        f.name = parseAdoptFileName(name);
        files.push_back(std::move(f));
    }
    std::sort(files.begin(), files.end(), [](const CadFile& a, const CadFile& b) { return a.path < b.path; });

    // ---- STEP/STL twins: the same name (without [a]_ and _xN), one solid and one mesh ----
    std::map<std::string, std::vector<std::size_t>> meshesByStem;
    for (std::size_t i = 0; i < files.size(); ++i)
        if (isMesh(files[i].kind)) meshesByStem[lower(files[i].name.stem)].push_back(i);
    for (auto& f : files) {
        if (isMesh(f.kind)) continue;
        auto m = meshesByStem.find(lower(f.name.stem));
        if (m == meshesByStem.end()) continue;
        for (std::size_t i : m->second) {
            if (!files[i].twin.empty()) continue;
            files[i].twin = f.path;
            f.twin = files[i].path;
            prop.undecided.push_back(
                {"twin", f.path,
                 "'" + f.path + "' and '" + files[i].path +
                     "' look like the same part (solid and mesh): proposed as one part with the mesh as the "
                     "printable file; check that they match, and keep the solid as its source"});
            break;
        }
    }

    // ---- modules and parts ----
    const bool voronQuantities =
        std::any_of(files.begin(), files.end(), [](const CadFile& f) { return f.name.quantity > 0; });
    std::map<std::string, ModuleManifest> modules;
    for (const auto& f : files) {
        if (!isMesh(f.kind) && !f.twin.empty()) continue; // folded into its mesh twin
        ModuleManifest& m = modules[f.folder];
        if (m.id.empty()) {
            m.id = f.folder;
            std::string last = fs::path(f.folder).filename().string();
            m.name = displayName(last.empty() ? dir.filename().string() : last);
            m.version = "0.1.0";
        }
        Part p;
        std::string base = adoptSanitizeId(f.name.stem);
        p.id = base;
        for (int n = 2; m.findPart(p.id); ++n) p.id = base + "-" + std::to_string(n);
        p.name = displayName(f.name.stem);
        p.file = f.fileName;
        p.quantity = f.name.quantity > 0 ? f.name.quantity : 1;
        std::vector<std::string> notes;
        if (isMesh(f.kind)) {
            p.process = "fdm-print";
        } else {
            notes.push_back("process undecided (telar adopt)");
            prop.undecided.push_back({"process", f.path,
                                      "'" + f.path + "' is a " + (f.kind == CadKind::Step ? "STEP" : "IGES") +
                                          " file: its process (cnc-mill, laser-cut, fdm-print, purchased…) is "
                                          "unknown; set it with `telar part add` or by editing " +
                                          (f.folder.empty() ? std::string("module.toml") : f.folder + "/module.toml")});
        }
        if (f.name.accent) notes.push_back("accent colour ([a]_ in the file name)");
        if (!f.twin.empty()) notes.push_back("solid model: " + f.twin);
        if (voronQuantities && f.name.quantity == 0 && isMesh(f.kind)) {
            notes.push_back("no _xN quantity in the file name: a build-specific part");
            prop.undecided.push_back({"quantity", f.path,
                                      "'" + f.path + "' has no _xN quantity: under the repository's naming it is "
                                          "an optional, build-specific part; quantity 1 proposed"});
        }
        for (const auto& n : notes) p.notes += (p.notes.empty() ? "" : "; ") + n;
        m.parts.push_back(std::move(p));
    }
    // Files at the root cannot form a module (a module id is a folder path): they are listed.
    if (auto root = modules.find(""); root != modules.end()) {
        for (const auto& p : root->second.parts)
            prop.undecided.push_back({"process", p.file,
                                      "'" + p.file + "' lies at the repository root, which cannot be a module: "
                                      "move it into a folder and run adopt again, or add it by hand"});
        modules.erase(root);
    }

    // Uses: each module is used by its nearest ancestor module; the others are products.
    for (auto& [id, m] : modules) {
        fs::path parent = fs::path(id).parent_path();
        bool used = false;
        for (; !parent.empty(); parent = parent.parent_path()) {
            auto it = modules.find(parent.generic_string());
            if (it != modules.end()) {
                Use u;
                u.module = id;
                u.quantity = 1;
                it->second.uses.push_back(u);
                used = true;
                break;
            }
        }
        if (!used) prop.project.products.push_back(id);
    }

    // ---- licences ----
    struct Candidate {
        AdoptLicense lic;
        int rank; // lower wins: hardware licences first, then the root licence file, then others
    };
    std::vector<Candidate> candidates;
    auto addLicense = [&](const AdoptLicense& lic, int rank) {
        prop.licenses.push_back(lic);
        if (!lic.id.empty()) candidates.push_back({lic, rank});
    };
    std::vector<fs::path> rootFiles;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.is_regular_file(ec)) rootFiles.push_back(e.path());
    std::sort(rootFiles.begin(), rootFiles.end());
    for (const auto& p : rootFiles) {
        if (!isLicenseFileName(p.filename().string())) continue;
        auto g = license::licenseFromText(readText(p));
        addLicense({p.filename().string(), g.id, g.alternatives, g.ambiguity, kindOf(g.id)}, 2);
    }
    if (fs::is_directory(dir / "LICENSES", ec)) {
        std::vector<fs::path> licFiles;
        for (const auto& e : fs::directory_iterator(dir / "LICENSES", ec))
            if (e.is_regular_file(ec)) licFiles.push_back(e.path());
        std::sort(licFiles.begin(), licFiles.end());
        for (const auto& p : licFiles) {
            std::string stem = p.stem().string();
            AdoptLicense lic{"LICENSES/" + p.filename().string(), {}, {}, {}, {}};
            const auto* exact = license::Catalog::builtin().find(stem);
            if (exact && exact->id == stem && !exact->deprecated()) {
                lic.id = stem; // REUSE names the files by their SPDX id
            } else {
                auto g = license::licenseFromText(readText(p));
                if (g.id.empty()) {
                    std::string n = stem;
                    std::replace(n.begin(), n.end(), '_', ' ');
                    g = license::licenseFromName(n);
                }
                lic.id = g.id;
                lic.alternatives = g.alternatives;
                lic.ambiguity = g.ambiguity;
            }
            lic.kind = kindOf(lic.id);
            addLicense(lic, 3);
        }
    }
    // REUSE: per-module licences from the files' paths.
    std::optional<license::Dep5> dep5;
    std::optional<license::ReuseToml> reuseToml;
    if (fs::is_regular_file(dir / ".reuse" / "dep5", ec)) dep5 = license::parseDep5(readText(dir / ".reuse" / "dep5"));
    if (fs::is_regular_file(dir / "REUSE.toml", ec)) {
        try {
            reuseToml = license::parseReuseToml(readText(dir / "REUSE.toml"));
        } catch (const Error& e) {
            prop.undecided.push_back({"license", "REUSE.toml", std::string("REUSE.toml could not be read: ") + e.what()});
        }
    }
    if (dep5 || reuseToml) {
        std::map<std::string, int> counts;
        for (auto& [id, m] : modules) {
            std::set<std::string> exprs;
            for (const auto& p : m.parts) {
                std::string path = id + "/" + p.file;
                std::optional<std::string> e;
                if (reuseToml) e = license::licenseForPath(*reuseToml, path);
                if (!e && dep5) e = license::licenseForPath(*dep5, path);
                exprs.insert(e ? *e : std::string());
            }
            if (exprs.size() == 1 && !exprs.begin()->empty() && !license::checkExpression(*exprs.begin())) {
                m.license = *exprs.begin();
                counts[m.license]++;
            } else if (exprs.size() > 1) {
                prop.undecided.push_back({"license", id,
                                          "REUSE gives the files of module '" + id +
                                              "' different licences: set part licences by hand"});
            }
        }
        std::string best;
        int bestCount = 0;
        for (const auto& [e, n] : counts)
            if (n > bestCount) best = e, bestCount = n;
        if (!best.empty())
            addLicense({reuseToml ? "REUSE.toml" : ".reuse/dep5", best, {}, {}, kindOf(best)}, 1);
    }
    // An OKH manifest at the root.
    for (const auto& p : rootFiles) {
        std::string n = lower(p.filename().string());
        std::string ext = lower(p.extension().string());
        if (n.find("okh") == std::string::npos || (ext != ".yml" && ext != ".yaml" && ext != ".toml")) continue;
        try {
            OkhImportOptions opts;
            opts.lenient = true;
            OkhImport im = importOkh(p, opts);
            if (!im.project.name.empty() && prop.project.name.empty()) prop.project.name = im.project.name;
            if (!im.project.description.empty() && prop.project.description.empty())
                prop.project.description = im.project.description;
            if (!im.project.licensor.empty() && prop.project.licensor.empty())
                prop.project.licensor = im.project.licensor;
            if (!im.project.license.empty()) {
                auto g = license::licenseFromName(im.project.license);
                addLicense({p.filename().string(), g.id.empty() ? im.project.license : g.id, g.alternatives,
                            g.ambiguity, kindOf(g.id)},
                           4);
            }
            if (!im.skipped.empty())
                prop.decisions.push_back(p.filename().string() + ": read leniently, " +
                                         std::to_string(im.skipped.size()) + " line(s) skipped");
        } catch (const Error& e) {
            prop.decisions.push_back(p.filename().string() + ": not read (" + e.what() + ")");
        }
    }

    // Decide the project licence: a hardware licence first, then by source rank.
    if (!candidates.empty()) {
        std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
            bool ha = a.lic.kind == "hardware", hb = b.lic.kind == "hardware";
            if (ha != hb) return ha;
            return a.rank < b.rank;
        });
        const AdoptLicense& chosen = candidates.front().lic;
        if (!license::checkExpression(chosen.id)) prop.project.license = chosen.id;
        prop.decisions.push_back("project licence " + chosen.id + " (from " + chosen.file +
                                 (chosen.kind.empty() ? "" : ", a " + chosen.kind + " licence") + ")");
        if (!chosen.ambiguity.empty() || !chosen.alternatives.empty()) {
            std::vector<std::string> all{chosen.id};
            all.insert(all.end(), chosen.alternatives.begin(), chosen.alternatives.end());
            prop.undecided.push_back({"license", chosen.file,
                                      chosen.file + " is " + joinIds(all) +
                                          (chosen.ambiguity.empty() ? "" : " (" + chosen.ambiguity + ")") + "; " +
                                          chosen.id + " proposed: set [project] license to what the authors chose"});
        }
        std::set<std::string> seen{chosen.id};
        for (const auto& c : candidates) {
            if (!seen.insert(c.lic.id).second) continue;
            prop.undecided.push_back(
                {"license", c.lic.file,
                 c.lic.file + " also names " + joinIds(withAlternatives(c.lic)) + (c.lic.kind.empty() ? "" : " (a " + c.lic.kind + " licence)") +
                     ": it may cover " +
                     (c.lic.kind == "content" ? "documentation"
                      : c.lic.kind == "software" ? "software or firmware"
                                                 : "some of the files") +
                     "; the modules are proposed under " + chosen.id +
                     " — give parts or modules their own licence where it applies"});
        }
    } else {
        prop.undecided.push_back({"license", "", "no licence found (LICENSE, COPYING, LICENSES/, REUSE, OKH): "
                                                 "set [project] license before publishing"});
    }
    for (const auto& l : prop.licenses)
        if (l.id.empty())
            prop.undecided.push_back({"license", l.file, l.file + " is not a licence Telar recognises" +
                                                             (l.ambiguity.empty() ? "" : " (" + l.ambiguity + ")")});

    if (prop.project.name.empty()) prop.project.name = dir.filename().string();
    for (auto& [id, m] : modules) prop.modules.push_back(std::move(m));
    return prop;
}

void writeAdoption(const fs::path& dir, const AdoptProposal& proposal) {
    std::error_code ec;
    if (fs::exists(dir / "telar.toml", ec))
        throw UsageError((dir / "telar.toml").string() + " already exists: this repository is already a Telar design");
    for (const auto& m : proposal.modules)
        if (fs::exists(dir / m.id / "module.toml", ec))
            throw UsageError((dir / m.id / "module.toml").string() + " already exists: adopt does not overwrite it");
    auto declared = proposal.project.declaredLicenseIds();
    for (const auto& m : proposal.modules) createModuleManifest(dir, m, declared);
    createProjectManifest(dir, proposal.project, declared);
}

} // namespace telar::core

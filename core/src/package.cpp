// Fabrication packages: per-part files, BOM in four formats, licences, verdict, OKH manifest,
// README and checksums, built in memory and written atomically.

#include "telar/core/package.h"
#include "telar/cad/mesh.h"
#include "telar/core/bom_html.h"
#include "telar/core/bom_output.h"
#include "telar/core/cyclonedx.h"
#include "telar/core/license_check.h"
#include "telar/core/manifest_edit.h"
#include "telar/core/okh.h"
#include "telar/core/sha256.h"
#include "telar/core/xlsx.h"
#include "telar/error.h"
#include "telar/license/verdict.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <unistd.h>

namespace telar::core {

namespace fs = std::filesystem;

namespace {

// A file name safe inside a package: characters other than [A-Za-z0-9._-] become '_'.
std::string safeName(std::string_view name) {
    std::string out;
    for (unsigned char c : name) out += (std::isalnum(c) || c == '.' || c == '-' || c == '_') ? char(c) : '_';
    while (!out.empty() && out.front() == '.') out.erase(0, 1);
    return out.empty() ? "file" : out;
}

std::string lowerExt(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext;
}

// Wraps text at width columns; its own leading spaces start the first line, later lines start
// with indent spaces.
std::string wrap(const std::string& text, size_t indent, size_t width = 80) {
    const size_t lead = std::min(text.find_first_not_of(' '), text.size());
    const std::string first = text.substr(0, lead), pad(indent, ' ');
    std::string out, line = first, start = first;
    size_t pos = lead;
    while (pos < text.size()) {
        size_t sp = text.find(' ', pos);
        std::string word = text.substr(pos, sp == std::string::npos ? std::string::npos : sp - pos);
        pos = sp == std::string::npos ? text.size() : sp + 1;
        if (word.empty()) continue;
        if (line != start && line.size() + 1 + word.size() > width) {
            out += line + "\n";
            line = start = pad;
        }
        line += (line == start ? "" : " ") + word;
    }
    if (line != start || out.empty()) out += line + "\n";
    return out;
}

std::string verdictText(const FabProfile& fab, const license::FabContext& ctx, const Design& design,
                        const std::vector<ProductVerdict>& verdicts) {
    std::string o = wrap(fmt::format("Licence verdict for {} ({}, {}, {} use)", fab.name.empty() ? fab.file : fab.name,
                                     license::toString(ctx.organization),
                                     ctx.contributesToCommons ? "contributes to this commons" : "does not contribute",
                                     license::toString(ctx.purpose)),
                         2);
    o += "Revision: " + design.treeName + "\n";
    bool stewardNeeded = false;
    for (const auto& pv : verdicts) {
        std::string overall = fmt::format("Product {}: {}", pv.product, license::toString(pv.overall));
        if (!pv.deciding.empty() && pv.overall != license::VerdictKind::FreeWithObligations) {
            std::string d;
            for (const auto& m : pv.deciding) d += (d.empty() ? "" : ", ") + m;
            overall += " (" + d + ")";
        }
        o += "\n" + wrap(overall, 2) + "\n";
        for (const auto& mv : pv.modules) {
            o += fmt::format("{} ({}, x{}): {}\n", mv.module, mv.license.empty() ? "no licence" : mv.license, mv.quantity,
                             license::toString(mv.verdict.kind));
            if (!mv.verdict.obligations.empty()) {
                std::string kinds;
                for (const auto& ob : mv.verdict.obligations)
                    kinds += (kinds.empty() ? "" : ", ") + std::string(license::toString(ob.kind));
                o += wrap("  obligations: " + kinds, 4);
            }
            o += wrap("  reason: " + mv.verdict.reason, 4);
            if (mv.verdict.kind == license::VerdictKind::ReciprocityRequired) stewardNeeded = true;
        }
    }
    if (stewardNeeded) {
        o += "\n";
        if (ctx.steward)
            o += wrap("Reciprocity: ask " + ctx.steward->name + " (" + ctx.steward->contact + ")" +
                          (ctx.steward->terms.empty() ? "" : "; terms: " + ctx.steward->terms),
                      2);
        else
            o += wrap("Reciprocity: ask the licensor" +
                          (design.project.licensor.empty() ? std::string() : " (" + design.project.licensor + ")"),
                      2);
    }
    return o;
}

nlohmann::ordered_json verdictJson(const FabProfile& fab, const license::FabContext& ctx, const Design& design,
                                   const std::vector<ProductVerdict>& verdicts) {
    using J = nlohmann::ordered_json;
    J products = J::array();
    for (const auto& pv : verdicts) {
        J modules = J::array();
        for (const auto& mv : pv.modules) {
            J obligations = J::array();
            for (const auto& ob : mv.verdict.obligations)
                obligations.push_back({{"kind", std::string(license::toString(ob.kind))}, {"text", ob.text}});
            modules.push_back({{"module", mv.module},
                               {"quantity", mv.quantity},
                               {"license", mv.license},
                               {"expression", mv.expression},
                               {"verdict", std::string(license::toString(mv.verdict.kind))},
                               {"rolled_up", std::string(license::toString(mv.rolledUp))},
                               {"obligations", obligations},
                               {"reason", mv.verdict.reason}});
        }
        products.push_back({{"product", pv.product},
                            {"verdict", std::string(license::toString(pv.overall))},
                            {"allowed", pv.overall != license::VerdictKind::NotAllowed},
                            {"deciding", pv.deciding},
                            {"modules", modules}});
    }
    J steward = nullptr;
    if (ctx.steward) steward = {{"name", ctx.steward->name}, {"contact", ctx.steward->contact}, {"terms", ctx.steward->terms}};
    return {{"tree", design.treeName},
            {"fab",
             {{"name", fab.name},
              {"organisation", std::string(license::toString(ctx.organization))},
              {"contributes", ctx.contributesToCommons},
              {"purpose", std::string(license::toString(ctx.purpose))}}},
            {"steward", steward},
            {"products", products}};
}

} // namespace

const PackageFile* Package::find(std::string_view path) const {
    for (const auto& f : files)
        if (f.path == path) return &f;
    return nullptr;
}

bool isSafePackagePath(std::string_view path) {
    if (path.empty() || path.front() == '/') return false;
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        std::string_view part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == "..") return false;
        start = end + 1;
        if (end == path.size()) break;
    }
    for (unsigned char c : path)
        if (c < 0x20 || c == 0x7f || c == '\\' || c == ':') return false;
    return true;
}

std::string sha256Sums(const std::vector<PackageFile>& files) {
    std::vector<const PackageFile*> sorted;
    for (const auto& f : files) sorted.push_back(&f);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->path < b->path; });
    std::string out;
    for (const auto* f : sorted) out += sha256Hex(f->bytes) + "  " + f->path + "\n";
    return out;
}

Package buildPackage(const Design& design, const Tree& tree, const Catalog& catalog, GeometryCache& cache,
                     const PackageOptions& options, const Progress& progress) {
    if (!options.fab) throw UsageError("a fabrication package needs a fab profile (--fab FILE)");
    const FabProfile& fab = *options.fab;
    Package pkg;
    BomOptions bomOptions;
    bomOptions.roots = options.roots;
    bomOptions.fab = &fab;
    pkg.bom = computeBom(design, tree, catalog, cache, bomOptions, progress.child(0.0, 0.3));
    const Bom& bom = pkg.bom;
    const std::string version = options.version.empty() ? design.treeName : options.version;

    std::map<std::string, std::string> files; // path → bytes
    auto add = [&](const std::string& path, std::string bytes) {
        if (!isSafePackagePath(path))
            throw Error("refusing to write '" + path + "' into a package: the path would leave it");
        files[path] = std::move(bytes);
    };

    // Fabrication files.
    std::map<std::string, std::vector<std::string>> exports;
    for (size_t i = 0; i < bom.lines.size(); ++i) {
        progress.throwIfCancelled();
        progress.child(0.3, 0.7).report(double(i) / double(bom.lines.size()), "fabrication files");
        const BomLine& l = bom.lines[i];
        FabricationFile ff{l.module, l.partId, l.name, l.process, l.quantity, {}, l.file, {}};
        const std::string dir = "parts/" + l.module + "/";
        if (l.file.empty() || l.blobId.empty()) {
            ff.note = l.estimator == "purchased" ? "purchased: no fabrication file" : "no CAD file";
        } else if (l.estimator == "print") {
            std::string error;
            auto mesh = bomLineMesh(bom, i, tree, cache, options.deflection, &error);
            if (mesh) {
                ff.path = dir + safeName(l.partId) + ".stl";
                add(ff.path, cad::writeStl(*mesh, l.name));
                ff.note = "STL tessellated with a chordal deflection of " + fmt::format("{}", options.deflection) + " mm";
            } else {
                ff.note = "cannot tessellate: " + error;
                pkg.warnings.push_back(l.module + "/" + l.partId + ": " + ff.note);
            }
        } else if (l.estimator == "cut" || l.estimator == "machine") {
            auto bytes = tree.readFile(l.file);
            if (!bytes) {
                ff.note = "file missing at " + tree.describe();
                pkg.warnings.push_back(l.module + "/" + l.partId + ": " + ff.note);
            } else if (!l.assembly.empty()) {
                ff.path = dir + safeName(fs::path(l.assembly).filename().string());
                ff.note = "the assembly file; the part is '" + l.name + "' inside it";
                if (!files.count(ff.path)) add(ff.path, *bytes);
            } else {
                std::string ext = lowerExt(l.file);
                if (ext == ".stp") ext = ".step";
                ff.path = dir + safeName(l.partId) + ext;
                ff.note = "the original " + (ext == ".step" ? std::string("STEP") : ext.substr(1)) + " file";
                add(ff.path, *bytes);
            }
        } else {
            ff.note = l.estimator + ": no fabrication file";
        }
        if (!ff.path.empty()) exports[l.module + "/" + l.partId].push_back(ff.path);
        pkg.fabrication.push_back(std::move(ff));
    }

    // BOM in every format.
    add("bom/bom.csv", formatBomCsv(bom, BomView::Flat));
    add("bom/bom-tree.csv", formatBomCsv(bom, BomView::Tree));
    add("bom/bom.json", formatBomJson(bom));
    add("bom/bom.xlsx", formatBomXlsx(bom, options.timestamp));
    add("bom/bom.cdx.json", formatBomCycloneDx(bom, design, {options.timestamp, {}}));
    auto thumbnails = bomThumbnails(bom, tree, cache, progress.child(0.7, 0.95));
    add("bom/bom.html", formatBomHtml(bom, thumbnails, design.project.name + " " + version + " — bill of materials for " +
                                                           (fab.name.empty() ? fab.file : fab.name)));

    // Licences: notices, the list, the verdict for this fab.
    std::string notice;
    for (const auto& root : bom.roots) {
        if (!notice.empty()) notice += "\n";
        notice += attributionNotice(design, tree, root).text();
    }
    add("NOTICE.txt", notice);
    license::Catalog licCatalog = licenseCatalog(design.project);
    std::set<std::string> expressions;
    for (const auto& l : bom.lines)
        if (!l.license.empty()) expressions.insert(l.license);
    std::string list = "Licences of the material in this package\n\n";
    for (const auto& e : expressions) {
        std::set<std::string> modules;
        for (const auto& l : bom.lines)
            if (l.license == e) modules.insert(l.module);
        std::string ms;
        for (const auto& m : modules) ms += (ms.empty() ? "" : ", ") + m;
        list += e + "\n" + wrap("  used by: " + ms, 4);
        try {
            std::string explained = license::explain(e, licCatalog);
            size_t pos = 0;
            while (pos < explained.size()) {
                size_t nl = explained.find('\n', pos);
                if (nl == std::string::npos) nl = explained.size();
                list += wrap("  " + explained.substr(pos, nl - pos), 4);
                pos = nl + 1;
            }
        } catch (const LicenseError& err) {
            list += "  (cannot explain: " + std::string(err.what()) + ")\n";
        }
        list += "\n";
    }
    add("LICENSES.txt", list);
    license::FabContext ctx = fabContext(fab, design);
    auto verdicts = decideVerdicts(design, licCatalog, ctx, bom.roots);
    add("VERDICT.txt", verdictText(fab, ctx, design, verdicts));
    add("VERDICT.json", verdictJson(fab, ctx, design, verdicts).dump(2) + "\n");

    // OKH manifest.
    OkhExportOptions okh;
    okh.repoUrl = options.repoUrl;
    okh.version = options.version;
    okh.bomPath = "bom/bom.csv";
    okh.readme = "README.txt";
    okh.bom = &bom;
    okh.exports = exports;
    add("okh.toml", formatOkhToml(design, okh));

    // README for the fab.
    std::string roots;
    for (const auto& r : bom.roots) roots += (roots.empty() ? "" : ", ") + r;
    std::string r = design.project.name + " — fabrication package\n";
    r += std::string(r.size() > 1 ? 60 : 0, '=') + "\n\n";
    r += "Revision:      " + version + (bom.commitId.empty() ? "" : " (commit " + bom.commitId + ")") + "\n";
    r += "Products:      " + roots + "\n";
    r += "Prepared for:  " + (fab.name.empty() ? fab.file : fab.name) + " (prices in " + bom.currency + ")\n";
    r += fmt::format("BOM:           {} lines, {} pieces, {:.3f} kg, {:.2f} {}{}\n", bom.total.lines, bom.total.pieces,
                     bom.total.mass / 1000.0, bom.total.cost, bom.currency,
                     bom.total.unknownCost ? fmt::format(" ({} lines without a cost)", bom.total.unknownCost) : "");
    std::string overall;
    for (const auto& pv : verdicts)
        overall += (overall.empty() ? "" : "; ") + pv.product + ": " + std::string(license::toString(pv.overall));
    r += "Licence:       " + overall + " (see VERDICT.txt)\n\n";
    if (!bom.ok()) r += "WARNING: the BOM has problems; see bom/bom.csv and bom/bom.html.\n\n";
    r += "Contents\n";
    r += "  README.txt          this file\n";
    r += "  SHA256SUMS          checksums of every other file: sha256sum -c SHA256SUMS\n";
    r += "  bom/bom.csv         the bill of materials, one line per unique part (bom-tree.csv by module)\n";
    r += "  bom/bom.xlsx        the same as a spreadsheet; bom/bom.json as JSON; bom/bom.cdx.json as CycloneDX\n";
    r += "  bom/bom.html        a report with a picture of every part\n";
    r += "  NOTICE.txt          whom to credit (keep it with what you make)\n";
    r += "  LICENSES.txt        the licences of the material and what they ask\n";
    r += "  VERDICT.txt/.json   what this fab may do under those licences\n";
    r += "  okh.toml            an Open Know-How (OKH-LOSH) manifest\n";
    r += "  parts/MODULE/...    fabrication files: STL for printing, STEP for cutting and machining\n\n";
    r += "Parts to make\n";
    int made = 0, bought = 0;
    for (const auto& ff : pkg.fabrication) {
        const BomLine* line = nullptr;
        for (const auto& l : bom.lines)
            if (l.module == ff.module && l.partId == ff.partId) line = &l;
        if (!line || line->estimator == "purchased") {
            ++bought;
            continue;
        }
        ++made;
        std::string where = line->fabStatus.empty() ? "" : " — " + line->fabStatus +
                                                                (line->fabMachine.empty() ? "" : " on " + line->fabMachine);
        r += wrap(fmt::format("  {} x{}  {}, {}{}{}", ff.module + "/" + ff.partId, ff.quantity, ff.name, ff.process,
                              line->material.empty() ? "" : ", " + line->material, where),
                  6);
        r += "      " + (ff.path.empty() ? ff.note : ff.path) + "\n";
    }
    if (made == 0) r += "  (none)\n";
    r += fmt::format("\nParts to buy: {} lines (suppliers and SKUs in bom/bom.csv)\n", bought);
    if (!pkg.warnings.empty()) {
        r += "\nWarnings\n";
        for (const auto& w : pkg.warnings) r += wrap("  " + w, 4);
    }
    add("README.txt", r);

    // Checksums last, over everything else.
    for (auto& [path, bytes] : files) pkg.files.push_back({path, std::move(bytes)});
    std::string sums = sha256Sums(pkg.files);
    pkg.files.push_back({"SHA256SUMS", sums});
    std::sort(pkg.files.begin(), pkg.files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    progress.report(1.0);
    return pkg;
}

void writePackage(const std::vector<PackageFile>& files, const fs::path& out) {
    for (const auto& f : files)
        if (!isSafePackagePath(f.path))
            throw Error("refusing to write '" + f.path + "' into a package: the path would leave it");
    std::error_code ec;
    const bool zip = out.extension() == ".zip";
    if (zip) {
        if (fs::exists(out, ec)) throw UsageError(out.string() + " exists already; choose another name or remove it");
        writeFileAtomically(out, zipBytes(files));
        return;
    }
    if (fs::exists(out, ec) && (!fs::is_directory(out, ec) || !fs::is_empty(out, ec)))
        throw UsageError(out.string() + " exists and is not an empty folder");
    fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
    fs::create_directories(parent, ec);
    std::string pattern = (parent / ("." + out.filename().string() + ".tmp-XXXXXX")).string();
    if (!mkdtemp(pattern.data())) throw Error("cannot create a temporary folder beside " + out.string());
    const fs::path tmp = pattern;
    try {
        for (const auto& f : files) {
            fs::path target = tmp / f.path;
            fs::create_directories(target.parent_path());
            std::ofstream o(target, std::ios::binary);
            o.write(f.bytes.data(), std::streamsize(f.bytes.size()));
            o.close();
            if (!o) throw Error("cannot write " + target.string());
        }
        fs::permissions(tmp, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                 fs::perms::others_read | fs::perms::others_exec);
        if (fs::exists(out, ec)) fs::remove(out);
        fs::rename(tmp, out);
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(tmp, ec);
        throw Error("cannot write the package to " + out.string() + ": " + e.what());
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }
}

} // namespace telar::core

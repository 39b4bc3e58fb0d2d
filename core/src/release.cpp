// Releases: gates over one revision, release notes with the BOM changes since the previous
// release, and the annotated tag.

#include "telar/core/release.h"
#include "telar/core/bom_diff.h"
#include "telar/core/design.h"
#include "telar/core/license_check.h"
#include "telar/error.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace telar::core {

namespace {

std::string massKg(double grams) { return fmt::format("{:.3f} kg", grams / 1000.0); }

bool validTagName(const std::string& name) {
    if (name.empty() || name.front() == '-' || name.front() == '/' || name.back() == '/' || name.back() == '.')
        return false;
    if (name.find("..") != std::string::npos || name.find("@{") != std::string::npos || name.find("//") != std::string::npos)
        return false;
    if (name.size() >= 5 && name.compare(name.size() - 5, 5, ".lock") == 0) return false;
    for (unsigned char c : name)
        if (c < 0x21 || c == 0x7f || c == '~' || c == '^' || c == ':' || c == '?' || c == '*' || c == '[' || c == '\\')
            return false;
    return true;
}

} // namespace

bool ReleaseCheck::ok() const { return firstFailure() == nullptr; }

const ReleaseGate* ReleaseCheck::firstFailure() const {
    for (const auto& g : gates)
        if (!g.passed) return &g;
    return nullptr;
}

std::optional<std::string> previousReleaseTag(const Repository& repo, const std::string& rev, const std::string& exclude) {
    auto history = repo.log(rev);
    std::map<std::string, size_t> position;
    for (size_t i = 0; i < history.size(); ++i) position.emplace(history[i].id, i);
    std::optional<std::string> best;
    size_t bestPos = 0;
    for (const auto& tag : repo.tags()) {
        if (tag == exclude) continue;
        auto commit = repo.resolve("refs/tags/" + tag);
        if (!commit) continue;
        auto it = position.find(*commit);
        if (it == position.end()) continue;
        if (!best || it->second < bestPos || (it->second == bestPos && tag > *best)) {
            best = tag;
            bestPos = it->second;
        }
    }
    return best;
}

std::string releaseNotes(const Bom& bom, const Bom* previous, const std::string& previousTag) {
    std::string roots;
    for (const auto& r : bom.roots) roots += (roots.empty() ? "" : ", ") + r;
    std::string o = fmt::format("BOM of {}: {} lines, {} pieces, mass {}, cost {:.2f} {}", roots, bom.total.lines,
                                bom.total.pieces, massKg(bom.total.mass), bom.total.cost, bom.currency);
    if (bom.total.unknownCost) o += fmt::format(" ({} lines without a cost)", bom.total.unknownCost);
    o += "\n";
    for (const auto& [process, t] : bom.processTotals)
        o += fmt::format("  {}: {} lines, {} pieces\n", process.empty() ? "(no process)" : process, t.lines, t.pieces);
    o += "\n";
    if (!previous) {
        o += "First release: no earlier release tag to compare with.\n";
        return o;
    }
    // The shared BOM diff (core/bom_diff.h) renders the changes as markdown.
    const BomDiff diff = diffBoms(*previous, bom);
    if (diff.empty()) {
        o += "No BOM changes since " + previousTag + ".\n";
        return o;
    }
    o += "Changes since " + previousTag + ":\n\n" + formatBomDiffMarkdown(diff);
    return o;
}

ReleaseCheck checkRelease(const Repository& repo, const std::string& rev, const Catalog& catalog, GeometryCache& cache,
                          const Progress& progress) {
    ReleaseCheck check;
    check.rev = rev;
    auto commit = repo.resolve(rev);
    if (!commit) throw GitError("unknown revision '" + rev + "'");
    check.commitId = *commit;
    auto tree = repo.treeAt(*commit);
    Design design = loadDesign(*tree, catalog, progress.child(0.0, 0.05));

    ReleaseGate manifests{"manifests", "manifests are valid", true, {}};
    for (const auto& d : design.diagnostics)
        if (d.severity == Severity::Error) manifests.reasons.push_back(d.str());
    manifests.passed = manifests.reasons.empty();

    ReleaseGate licences{"licences", "licences are consistent", true, {}};
    LicenseReport report = checkLicenses(design, *tree, progress.child(0.05, 0.1));
    for (const auto& f : report.findings)
        if (f.severity == Severity::Error) licences.reasons.push_back(f.str());
    licences.passed = licences.reasons.empty();

    ReleaseGate cad{"cad", "every CAD file is analysable", true, {}};
    std::set<std::string> paths;
    for (const auto& [id, m] : design.modules) {
        for (const auto& p : m.parts)
            if (!p.filePath.empty()) paths.insert(p.resolvedPath.empty() ? p.filePath : p.resolvedPath);
        for (const auto& a : m.assemblies)
            if (!a.filePath.empty()) paths.insert(a.resolvedPath.empty() ? a.filePath : a.resolvedPath);
    }
    auto outcomes = cache.analyze(*tree, {paths.begin(), paths.end()}, progress.child(0.1, 0.6));
    for (const auto& o : outcomes)
        if (!o.ok()) cad.reasons.push_back(o.error);
    cad.passed = cad.reasons.empty();

    ReleaseGate bomGate{"bom", "the BOM is computable", true, {}};
    try {
        check.bom = computeBom(design, *tree, catalog, cache, {}, progress.child(0.6, 0.8));
        for (const auto& l : check.bom.lines)
            for (const auto& e : l.errors) bomGate.reasons.push_back(l.module + "/" + l.partId + ": " + e);
        for (const auto& p : check.bom.problems) bomGate.reasons.push_back(p);
    } catch (const UsageError& e) {
        bomGate.reasons.push_back(e.what());
    }
    bomGate.passed = bomGate.reasons.empty();
    check.gates = {manifests, licences, cad, bomGate};

    check.previousTag = previousReleaseTag(repo, *commit);
    std::optional<Bom> previous;
    if (check.previousTag) {
        auto prevTree = repo.treeAt("refs/tags/" + *check.previousTag);
        Design prevDesign = loadDesign(*prevTree, catalog);
        try {
            previous = computeBom(prevDesign, *prevTree, catalog, cache, {}, progress.child(0.8, 1.0));
        } catch (const UsageError& e) {
            (void)e; // the previous release has no products: compare with nothing
        }
    }
    check.notes = releaseNotes(check.bom, previous ? &*previous : nullptr, check.previousTag.value_or(""));
    progress.report(1.0);
    return check;
}

ReleaseCheck createRelease(Repository& repo, const std::string& tag, const std::string& rev, const std::string& message,
                           const Signature& tagger, const Catalog& catalog, GeometryCache& cache,
                           const Progress& progress) {
    if (!validTagName(tag)) throw UsageError("'" + tag + "' is not a valid tag name");
    for (const auto& t : repo.tags())
        if (t == tag) throw UsageError("tag '" + tag + "' exists already");
    ReleaseCheck check = checkRelease(repo, rev, catalog, cache, progress);
    if (!check.ok()) return check;
    std::string text = (message.empty() ? "Release " + tag : message) + "\n\n" + check.notes;
    repo.createTag(tag, check.commitId, text, tagger);
    return check;
}

} // namespace telar::core

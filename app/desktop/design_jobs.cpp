#include "design_jobs.h"

#include "cache_store.h"

#include "telar/cad/analyze.h"
#include "telar/core/catalog.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/git.h"
#include "telar/core/store.h"

namespace telar::desktop {

DesignSnapshot loadDesignSnapshot(const std::filesystem::path& dir, const std::string& rev,
                                  const Progress& progress) {
    progress.report(0.0, "Opening repository");
    core::Repository repo = core::Repository::open(dir);
    progress.throwIfCancelled();

    DesignSnapshot snap;
    snap.repository = repo.isBare() ? dir : repo.workdir();
    snap.currentBranch = repo.currentBranch();
    snap.rev = rev;
    if (snap.rev.empty() && repo.isBare()) snap.rev = "HEAD";

    if (!repo.isBare())
        snap.revisions.push_back({RevisionEntry::Kind::WorkingTree, "", QStringLiteral("Working tree")});
    if (repo.resolve("HEAD")) {
        QString head = snap.currentBranch.empty()
                           ? QStringLiteral("HEAD (detached)")
                           : QStringLiteral("HEAD (%1)").arg(QString::fromStdString(snap.currentBranch));
        snap.revisions.push_back({RevisionEntry::Kind::Head, "HEAD", head});
    }
    // The current branch first, then the other local branches, the remote-tracking ones, the tags.
    if (!snap.currentBranch.empty() && repo.resolve(snap.currentBranch))
        snap.revisions.push_back({RevisionEntry::Kind::Branch, snap.currentBranch,
                                  QStringLiteral("branch %1").arg(QString::fromStdString(snap.currentBranch))});
    for (const auto& branch : repo.localBranches())
        if (branch != snap.currentBranch)
            snap.revisions.push_back(
                {RevisionEntry::Kind::Branch, branch, QStringLiteral("branch %1").arg(QString::fromStdString(branch))});
    for (const auto& branch : repo.remoteBranches())
        snap.revisions.push_back({RevisionEntry::Kind::RemoteBranch, branch,
                                  QStringLiteral("remote branch %1").arg(QString::fromStdString(branch))});
    for (const auto& tag : repo.tags())
        snap.revisions.push_back(
            {RevisionEntry::Kind::Tag, tag, QStringLiteral("tag %1").arg(QString::fromStdString(tag))});

    progress.report(0.1, "Reading revision");
    std::shared_ptr<const core::Tree> tree =
        snap.rev.empty() ? std::shared_ptr<const core::Tree>(repo.workingTree())
                         : std::shared_ptr<const core::Tree>(repo.treeAt(snap.rev));
    progress.throwIfCancelled();

    core::Catalog catalog = core::Catalog::loadDefault();
    auto design = std::make_shared<core::Design>(core::loadDesign(*tree, catalog, progress.child(0.15, 1.0)));
    progress.report(1.0, "Design loaded");
    snap.design = std::move(design);
    snap.tree = std::move(tree);
    return snap;
}

GeometrySnapshot loadGeometry(const std::shared_ptr<const core::Tree>& tree, const std::string& filePath,
                              const Progress& progress) {
    GeometrySnapshot geo;
    geo.filePath = filePath;
    progress.report(0.0, "Reading " + filePath);
    auto bytes = tree->readFile(filePath);
    if (!bytes) throw CadError(filePath, "not found in " + tree->describe());
    geo.blobId = tree->blobId(filePath).value_or("");
    progress.throwIfCancelled();
    // Measured through the geometry cache, like the BOM: a file the BOM has measured is not
    // analysed again, and a new one is analysed in a worker process and kept for the BOM.
    std::unique_ptr<core::Store> store = openGeometryStore({});
    core::GeometryCache cache(store.get());
    std::vector<core::GeometryOutcome> outcomes = cache.analyze(*tree, {filePath}, progress.child(0.0, 0.5));
    if (!outcomes.front().ok()) {
        std::string reason = outcomes.front().error;
        if (reason.rfind(filePath + ": ", 0) == 0) reason.erase(0, filePath.size() + 2);
        throw CadError(filePath, reason);
    }
    geo.analysis = std::move(*outcomes.front().result);
    progress.report(0.5, "Tessellating " + filePath);
    geo.mesh = cad::tessellate(*bytes, filePath, cad::kWholeFile, 0.1, progress.child(0.5, 1.0));
    progress.report(1.0, "Geometry ready");
    return geo;
}

BomSnapshot computeModuleBom(const std::shared_ptr<const core::Design>& design,
                             const std::shared_ptr<const core::Tree>& tree, const std::string& module,
                             const Progress& progress) {
    BomSnapshot snap;
    snap.module = module;
    progress.report(0.0, "Opening the geometry cache");
    std::unique_ptr<core::Store> store = openGeometryStore([&snap](const std::string& n) { snap.note = n; });
    core::GeometryCache cache(store.get());
    const core::Catalog catalog = core::Catalog::loadDefault();
    core::BomOptions options;
    options.roots = {module};
    snap.bom = core::computeBom(*design, *tree, catalog, cache, options, progress.child(0.05, 1.0));
    progress.report(1.0, "BOM ready");
    return snap;
}

} // namespace telar::desktop

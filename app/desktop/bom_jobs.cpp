#include "bom_jobs.h"

#include "cache_store.h"

#include "telar/core/bom_html.h"
#include "telar/core/catalog.h"
#include "telar/core/cyclonedx.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/manifest_edit.h"
#include "telar/core/store.h"
#include "telar/core/xlsx.h"
#include "telar/error.h"

#include <QFileInfo>

namespace telar::desktop {

QString formatName(BomExportFormat format) {
    switch (format) {
    case BomExportFormat::Csv:
        return QStringLiteral("csv");
    case BomExportFormat::Xlsx:
        return QStringLiteral("xlsx");
    case BomExportFormat::Json:
        return QStringLiteral("json");
    case BomExportFormat::Html:
        return QStringLiteral("html");
    case BomExportFormat::CycloneDx:
        return QStringLiteral("cyclonedx");
    }
    return {};
}

std::optional<BomExportFormat> formatFromName(const QString& name) {
    for (auto f : {BomExportFormat::Csv, BomExportFormat::Xlsx, BomExportFormat::Json, BomExportFormat::Html,
                   BomExportFormat::CycloneDx})
        if (name.compare(formatName(f), Qt::CaseInsensitive) == 0) return f;
    return std::nullopt;
}

QString formatExtension(BomExportFormat format) {
    return format == BomExportFormat::CycloneDx ? QStringLiteral("cdx.json") : formatName(format);
}

std::optional<BomExportFormat> formatOfFile(const QString& file) {
    if (file.endsWith(QLatin1String(".cdx.json"), Qt::CaseInsensitive)) return BomExportFormat::CycloneDx;
    const QString suffix = QFileInfo(file).suffix();
    if (suffix.compare(QLatin1String("cyclonedx"), Qt::CaseInsensitive) == 0) return std::nullopt;
    return formatFromName(suffix);
}

BomSnapshot computeFabBom(const std::shared_ptr<const core::Design>& design,
                          const std::shared_ptr<const core::Tree>& tree, const std::string& module,
                          const std::shared_ptr<const core::FabProfile>& fab, const Progress& progress) {
    BomSnapshot snap;
    snap.module = module;
    progress.report(0.0, "Opening the geometry cache");
    std::unique_ptr<core::Store> store = openGeometryStore([&snap](const std::string& n) { snap.note = n; });
    core::GeometryCache cache(store.get());
    const core::Catalog catalog = core::Catalog::loadDefault();
    core::BomOptions options;
    if (!module.empty()) options.roots = {module}; // else the project's products
    options.fab = fab.get();
    snap.bom = core::computeBom(*design, *tree, catalog, cache, options, progress.child(0.05, 1.0));
    progress.report(1.0, "BOM ready");
    return snap;
}

std::string bomExportBytes(const core::Bom& bom, BomExportFormat format, core::BomView view,
                           const std::shared_ptr<const core::Tree>& tree,
                           const std::shared_ptr<const core::Design>& design, const Progress& progress) {
    switch (format) {
    case BomExportFormat::Csv:
        return core::formatBomCsv(bom, view);
    case BomExportFormat::Xlsx:
        return core::formatBomXlsx(bom);
    case BomExportFormat::Json:
        return core::formatBomJson(bom);
    case BomExportFormat::Html: {
        progress.report(0.0, "Drawing the thumbnails");
        std::unique_ptr<core::Store> store = openGeometryStore({});
        core::GeometryCache cache(store.get());
        return core::formatBomHtml(bom, core::bomThumbnails(bom, *tree, cache, progress.child(0.0, 0.95)));
    }
    case BomExportFormat::CycloneDx:
        if (!design) throw UsageError("a CycloneDX BOM needs the design it was computed from");
        return core::formatBomCycloneDx(bom, *design);
    }
    return {};
}

BomExport exportBom(const core::Bom& bom, BomExportFormat format, core::BomView view,
                    const std::shared_ptr<const core::Tree>& tree,
                    const std::shared_ptr<const core::Design>& design, const std::filesystem::path& file,
                    const Progress& progress) {
    const std::string bytes = bomExportBytes(bom, format, view, tree, design, progress);
    progress.throwIfCancelled();
    progress.report(0.95, "Writing " + file.string());
    core::writeFileAtomically(file, bytes);
    progress.report(1.0, "Written");
    return {file, format, bytes.size()};
}

} // namespace telar::desktop

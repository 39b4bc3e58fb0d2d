#pragma once
// The BOM panel's work off the GUI thread, as plain functions over values: the bill of materials
// of a module for a fab profile, and writing a BOM with the core's writers in the formats of
// `telar bom --format` (the same bytes for the same module, revision and profile).

#include "design_jobs.h"

#include "telar/core/bom_output.h"
#include "telar/core/fab_profile.h"

#include <QString>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace telar::desktop {

// The formats the BOM can be exported to.
enum class BomExportFormat { Csv, Xlsx, Json, Html, CycloneDx };

// "csv", "xlsx", "json", "html", "cyclonedx" (the `--format` word) and back.
QString formatName(BomExportFormat format);
std::optional<BomExportFormat> formatFromName(const QString& name);
// The file extension of a format: its name, "cdx.json" for CycloneDX (CycloneDX's convention).
QString formatExtension(BomExportFormat format);
// The format a file name asks for by its extension (".cdx.json" before ".json"), or nullopt.
std::optional<BomExportFormat> formatOfFile(const QString& file);

// Computes the BOM of module (empty: of all the project's products, as `telar bom` without a
// module) as computeModuleBom does, priced for fab and with its make / buy /
// outsource decisions when fab is given (nullptr: catalogue prices in USD, no decisions). Runs on
// a worker thread. Throws UsageError (unknown module), GitError and telar::Cancelled.
BomSnapshot computeFabBom(const std::shared_ptr<const core::Design>& design,
                          const std::shared_ptr<const core::Tree>& tree, const std::string& module,
                          const std::shared_ptr<const core::FabProfile>& fab, const Progress& progress);

// What an export wrote.
struct BomExport {
    std::filesystem::path file;
    BomExportFormat format = BomExportFormat::Csv;
    std::size_t bytes = 0;
};

// The bytes of bom in format: formatBomCsv (view), formatBomXlsx (created 0), formatBomJson,
// formatBomHtml with the thumbnails of its lines read from tree through the per-user geometry
// cache, or formatBomCycloneDx of design (the design the BOM was computed from), exactly as
// `telar bom --format FORMAT [--tree]` prints them. Throws telar::Error (xlsx), GitError and
// telar::Cancelled.
std::string bomExportBytes(const core::Bom& bom, BomExportFormat format, core::BomView view,
                           const std::shared_ptr<const core::Tree>& tree,
                           const std::shared_ptr<const core::Design>& design, const Progress& progress);

// Writes bomExportBytes(…) to file atomically (a temporary file and a rename). Runs on a worker
// thread. Throws telar::Error naming the file when it cannot be written, and what
// bomExportBytes throws.
BomExport exportBom(const core::Bom& bom, BomExportFormat format, core::BomView view,
                    const std::shared_ptr<const core::Tree>& tree,
                    const std::shared_ptr<const core::Design>& design, const std::filesystem::path& file,
                    const Progress& progress);

} // namespace telar::desktop

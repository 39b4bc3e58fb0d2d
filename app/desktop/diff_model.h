#pragma once
// The comparison of two revisions for the Diff tab: the job that computes it off the GUI thread
// (the core's hardware-aware diff, the BOM diff of the products and thumbnails of changed parts),
// and four tables over its result — licence changes, manifest changes, BOM lines, geometry per
// CAD file. Every
// value is the core's (diff.h, bom_diff.h, bom_html.h); nothing is recomputed here.

#include "design_jobs.h"

#include "telar/core/bom_diff.h"
#include "telar/core/diff.h"
#include "telar/core/git.h"

#include <QAbstractTableModel>
#include <QImage>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace telar::desktop {

// What to compare.
struct DiffRequest {
    std::filesystem::path repository;
    std::string base;   // a revision; empty: automatic (see defaultBaseRevision)
    std::string target; // a revision; empty: the working tree
    // The design shown; its tree and design are reused when target is its revision.
    std::shared_ptr<const DesignSnapshot> shown;
};

// A changed part's geometry drawn on both sides (a null image where that side has none).
struct PartThumbnails {
    QImage before;
    QImage after;
};

// Two revisions compared.
struct DiffSnapshot {
    std::string base;   // the revision compared from (resolved when it was automatic)
    std::string target; // the revision compared to; empty: the working tree
    bool baseAutomatic = false;
    core::DesignDiff design; // licences, manifests, geometry per CAD file (no cost: see bom)
    core::BomDiff bom;       // the products' bills of materials, each side with its own products
    // Thumbnails of BOM lines whose CAD file changed, keyed "module/partId" (the first
    // kMaxThumbnails such lines).
    std::map<std::string, PartThumbnails> thumbnails;
    std::vector<std::string> notes; // e.g. no bill of materials on one side, and why
};

// How many changed parts get thumbnails in one comparison.
constexpr int kMaxThumbnails = 12;
// Thumbnail size in pixels.
constexpr int kThumbnailSize = 160;

// The base a comparison defaults to for target (empty: the working tree, whose commit is HEAD):
// the newest tag on target's history that is not on target's own commit, else the commit before
// it ("HEAD~1", "v1.0~1"); for the working tree of a one-commit history, "HEAD". Throws
// UsageError when there is no earlier revision (target is a root commit, or nothing is
// committed), GitError when target names no commit.
std::string defaultBaseRevision(const core::Repository& repo, const std::string& target);

// Compares request.base with request.target: core::diffDesigns with the per-user geometry cache
// (Store::defaultPath(); TELAR_HOME overrides; without a store the geometry is analysed uncached
// and a note says so), core::diffBoms of the products' BOMs on both sides, and thumbnails of the
// changed parts (core::meshThumbnailSvg). A side without a BOM (no products, unknown root) is an
// empty BOM with a note. Runs on a worker thread. Throws GitError (not a repository, unknown
// revision), UsageError (no earlier revision) and telar::Cancelled.
DiffSnapshot computeDiff(const DiffRequest& request, const Progress& progress);

// Draws an <svg> written by core::meshThumbnailSvg (filled triangle paths) into an image of its
// size with a transparent background. A null image when svg is empty or not of that form.
// Safe on worker threads.
QImage thumbnailImage(const std::string& svg);

// The licence changes of a comparison (core::DesignDiff::licences), in the core's order.
class LicenceChangeModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ScopeColumn, WhereColumn, BeforeColumn, AfterColumn, MessageColumn, ColumnCount };

    explicit LicenceChangeModel(QObject* parent = nullptr);
    void setDiff(std::shared_ptr<const DiffSnapshot> diff);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const DiffSnapshot> m_diff;
};

// The manifest changes of a comparison (core::DesignDiff): telar.toml fields, modules and parts
// added or removed, and every changed field of a module or part ("version", "quantity",
// "use[axes/x].quantity"), as `telar diff` lists them. A part whose only change is its CAD file's
// bytes is left to the geometry table.
class ManifestChangeModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { WhereColumn, FieldColumn, BeforeColumn, AfterColumn, ColumnCount };

    explicit ManifestChangeModel(QObject* parent = nullptr);
    void setDiff(std::shared_ptr<const DiffSnapshot> diff);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString where, field, before, after;
    };
    std::vector<Row> m_rows;
};

// The BOM lines that differ (core::BomDiff::lines): the after BOM's order, removed lines last.
// Changed values show as "before → after".
class BomDiffModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        ChangeColumn,
        ModuleColumn,
        PartColumn,
        NameColumn,
        QuantityColumn,
        UnitCostColumn,
        LineCostColumn,
        CostDeltaColumn,
        MassColumn,
        ChangesColumn,
        ColumnCount
    };
    enum Role {
        KeyRole = Qt::UserRole + 1, // QString "module/partId" (the thumbnails' key)
        KindRole,                   // int: core::ChangeKind
        QuantityBeforeRole,         // qint64: pieces per product before (0 when added)
        QuantityAfterRole,          // qint64: pieces per product after (0 when removed)
        LineCostBeforeRole,         // double, invalid when unknown
        LineCostAfterRole,          // double, invalid when unknown
    };

    explicit BomDiffModel(QObject* parent = nullptr);
    void setDiff(std::shared_ptr<const DiffSnapshot> diff);
    // "Lines 64 → 64 · pieces 292 → 293 · cost 659.52 → 673.72 USD (+14.20) · mass 151.20 → 151.20 kg".
    QString totalsText() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const DiffSnapshot> m_diff;
};

// The geometry of each part whose CAD file changed (core::DesignDiff::geometry).
class GeometryDiffModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        ModuleColumn,
        PartColumn,
        FileColumn,
        VolumeColumn,
        MassColumn,
        SizeColumn,
        ErrorsColumn,
        ColumnCount
    };
    enum Role {
        KeyRole = Qt::UserRole + 1, // QString "module/part"
        VolumeBeforeRole,           // double mm³, invalid when unknown
        VolumeAfterRole,
        MassBeforeRole, // double g, invalid when unknown
        MassAfterRole,
    };

    explicit GeometryDiffModel(QObject* parent = nullptr);
    void setDiff(std::shared_ptr<const DiffSnapshot> diff);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const DiffSnapshot> m_diff;
};

} // namespace telar::desktop

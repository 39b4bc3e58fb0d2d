#include "diff_model.h"

#include "cache_store.h"

#include "telar/core/bom_html.h"
#include "telar/core/catalog.h"
#include "telar/core/geometry_cache.h"
#include "telar/core/history.h"
#include "telar/core/store.h"
#include "telar/error.h"

#include <QBrush>
#include <QColor>
#include <QPainter>
#include <QPainterPath>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace telar::desktop {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
const QString kUnknown = QStringLiteral("—");
const QString kArrow = QStringLiteral(" → ");

QString money(double v) {
    return QString::number(v, 'f', 2);
}
QString signedMoney(double v) {
    return (v > 0 ? QStringLiteral("+") : QString()) + money(v);
}

// "a" when both sides are equal, "a → b" when they differ, one side with "—" for the other.
template <class T, class F>
QString beforeAfter(const std::optional<T>& before, const std::optional<T>& after, F format) {
    if (!before && !after) return kUnknown;
    if (before && after && format(*before) == format(*after)) return format(*after);
    return (before ? format(*before) : kUnknown) + kArrow + (after ? format(*after) : kUnknown);
}

QString sizeText(const std::array<double, 3>& s) {
    return QStringLiteral("%1 × %2 × %3").arg(s[0], 0, 'f', 1).arg(s[1], 0, 'f', 1).arg(s[2], 0, 'f', 1);
}

QVariant optional(const std::optional<double>& v) {
    return v ? QVariant(*v) : QVariant();
}

QBrush kindBrush(core::ChangeKind kind) {
    switch (kind) {
    case core::ChangeKind::Added:
        return QBrush(QColor(20, 120, 40));
    case core::ChangeKind::Removed:
        return QBrush(QColor(180, 30, 30));
    default:
        return QBrush(QColor(40, 80, 160));
    }
}

// The BOM of design's products, or an empty BOM (with a note) when the design has none to give.
core::Bom productBom(const core::Design& design, const core::Tree& tree, const core::Catalog& catalog,
                     core::GeometryCache& cache, std::vector<std::string>& notes, const Progress& progress) {
    try {
        return core::computeBom(design, tree, catalog, cache, {}, progress);
    } catch (const UsageError& e) {
        notes.push_back("no bill of materials at " + tree.describe() + ": " + e.what());
        core::Bom empty;
        empty.treeName = tree.describe();
        return empty;
    }
}

// The index of the line of bom with this module, part id and assembly; -1 when none.
int lineIndex(const core::Bom& bom, const core::BomLineDiff& d) {
    for (size_t i = 0; i < bom.lines.size(); ++i) {
        const core::BomLine& l = bom.lines[i];
        if (l.module == d.module && l.partId == d.partId && l.assembly == d.assembly) return int(i);
    }
    return -1;
}

QImage lineThumbnail(const core::Bom& bom, const core::BomLineDiff& d, const core::Tree* tree,
                     core::GeometryCache& cache) {
    const int index = lineIndex(bom, d);
    if (!tree || index < 0) return {};
    const core::BomLine& line = bom.lines[size_t(index)];
    if (line.file.empty() || line.blobId.empty() || !line.volume) return {};
    // The coarse tessellation the BOM's HTML thumbnails use (bomThumbnails).
    const double big = line.stockSize ? (*line.stockSize)[0] : 50.0;
    auto mesh = core::bomLineMesh(bom, size_t(index), *tree, cache, std::max(0.2, big / 40.0));
    if (!mesh) return {};
    return thumbnailImage(core::meshThumbnailSvg(*mesh, kThumbnailSize));
}

} // namespace

std::string defaultBaseRevision(const core::Repository& repo, const std::string& target) {
    const std::string from = target.empty() ? "HEAD" : target;
    const auto tip = repo.resolve(from);
    if (!tip) {
        if (target.empty())
            throw UsageError(
                "nothing is committed yet: there is no revision to compare the working tree with");
        throw GitError("unknown revision '" + target + "'");
    }
    std::map<std::string, std::string> tagAt; // commit → the last tag (by name) on it
    for (const auto& tag : repo.tags())
        if (auto commit = repo.resolve(tag)) tagAt[*commit] = tag;
    const auto commits = repo.log(from);
    for (const auto& c : commits) {
        if (c.id == *tip) continue;
        if (auto t = tagAt.find(c.id); t != tagAt.end()) return t->second;
    }
    if (commits.size() >= 2) return from + "~1";
    if (target.empty()) return "HEAD";
    throw UsageError(target +
                     " is the first commit: there is no earlier revision to compare it with; pick a base");
}

DiffSnapshot computeDiff(const DiffRequest& request, const Progress& progress) {
    DiffSnapshot snap;
    progress.report(0.0, "Opening repository");
    core::Repository repo = core::Repository::open(request.repository);
    snap.baseAutomatic = request.base.empty();
    snap.base = snap.baseAutomatic ? defaultBaseRevision(repo, request.target) : request.base;
    snap.target = request.target;
    progress.throwIfCancelled();

    progress.report(0.02, "Reading " + snap.base);
    const core::Catalog catalog = core::Catalog::loadDefault();
    std::shared_ptr<const core::Tree> before = repo.treeAt(snap.base);
    const core::Design designBefore = core::loadDesign(*before, catalog, progress.child(0.02, 0.06));
    std::shared_ptr<const core::Tree> after;
    std::shared_ptr<const core::Design> designAfter;
    if (request.shown && request.shown->rev == request.target) {
        after = request.shown->tree;
        designAfter = request.shown->design;
    } else {
        after = request.target.empty() ? std::shared_ptr<const core::Tree>(repo.workingTree())
                                       : std::shared_ptr<const core::Tree>(repo.treeAt(request.target));
        designAfter = std::make_shared<const core::Design>(
            core::loadDesign(*after, catalog, progress.child(0.06, 0.1)));
    }
    progress.throwIfCancelled();

    std::unique_ptr<core::Store> store =
        openGeometryStore([&snap](const std::string& notice) { snap.notes.push_back(notice); });
    core::GeometryCache cache(store.get());
    core::DiffOptions options;
    options.cache = &cache;
    options.cost = false; // the BOM diff below carries the cost of both sides
    progress.report(0.1, "Comparing the designs");
    snap.design = core::diffDesigns(*before, *after, catalog, options, progress.child(0.1, 0.4));

    progress.report(0.4, "Bill of materials at " + before->describe());
    const core::Bom bomBefore =
        productBom(designBefore, *before, catalog, cache, snap.notes, progress.child(0.4, 0.62));
    progress.report(0.62, "Bill of materials at " + after->describe());
    const core::Bom bomAfter =
        productBom(*designAfter, *after, catalog, cache, snap.notes, progress.child(0.62, 0.85));
    snap.bom = core::diffBoms(bomBefore, bomAfter);

    int drawn = 0;
    for (const auto& d : snap.bom.lines) {
        if (drawn >= kMaxThumbnails) break;
        const bool changedFile = d.kind != core::ChangeKind::Changed ||
                                 std::find(d.changes.begin(), d.changes.end(), "geometry") != d.changes.end();
        if (!changedFile || (d.blobBefore.empty() && d.blobAfter.empty())) continue;
        progress.throwIfCancelled();
        progress.report(0.85 + 0.15 * drawn / kMaxThumbnails, "Drawing " + d.module + "/" + d.partId);
        PartThumbnails t;
        t.before = lineThumbnail(bomBefore, d, before.get(), cache);
        t.after = lineThumbnail(bomAfter, d, after.get(), cache);
        if (t.before.isNull() && t.after.isNull()) continue;
        snap.thumbnails[d.module + "/" + d.partId] = std::move(t);
        ++drawn;
    }
    progress.report(1.0, "Comparison ready");
    return snap;
}

QImage thumbnailImage(const std::string& svg) {
    // Local, not static: this runs on worker threads.
    const QRegularExpression sizeRe(QStringLiteral("<svg [^>]*width=\"(\\d+)\" height=\"(\\d+)\""));
    const QRegularExpression pathRe(
        QStringLiteral("<path d=\"M([-\\d.]+) ([-\\d.]+)L([-\\d.]+) ([-\\d.]+)L([-\\d.]+) ([-\\d.]+)Z\" "
                       "fill=\"(#[0-9a-fA-F]{6})\""));
    const QString text = qs(svg);
    const auto size = sizeRe.match(text);
    if (!size.hasMatch()) return {};
    QImage image(size.captured(1).toInt(), size.captured(2).toInt(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    int triangles = 0;
    for (auto it = pathRe.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        QPainterPath path;
        path.moveTo(m.captured(1).toDouble(), m.captured(2).toDouble());
        path.lineTo(m.captured(3).toDouble(), m.captured(4).toDouble());
        path.lineTo(m.captured(5).toDouble(), m.captured(6).toDouble());
        path.closeSubpath();
        const QColor colour(m.captured(7));
        painter.setPen(QPen(colour, 0.3)); // as the SVG strokes it: closes hairline seams
        painter.setBrush(colour);
        painter.drawPath(path);
        ++triangles;
    }
    painter.end();
    return triangles > 0 ? image : QImage();
}

// ---- licence changes ------------------------------------------------------------------------

LicenceChangeModel::LicenceChangeModel(QObject* parent) : QAbstractTableModel(parent) {}

void LicenceChangeModel::setDiff(std::shared_ptr<const DiffSnapshot> diff) {
    beginResetModel();
    m_diff = std::move(diff);
    endResetModel();
}

int LicenceChangeModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_diff ? 0 : int(m_diff->design.licences.size());
}

int LicenceChangeModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LicenceChangeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_diff || index.row() >= rowCount()) return {};
    const core::LicenceChange& c = m_diff->design.licences[size_t(index.row())];
    if (role == Qt::ToolTipRole) return qs(c.message);
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case ScopeColumn:
        return qs(c.scope);
    case WhereColumn:
        if (c.module.empty()) return tr("project");
        return c.part.empty() ? qs(c.module) : qs(c.module) + QLatin1Char(':') + qs(c.part);
    case BeforeColumn:
        return c.before.empty() ? tr("(none)") : qs(c.before);
    case AfterColumn:
        return c.after.empty() ? tr("(none)") : qs(c.after);
    case MessageColumn:
        return qs(c.message);
    }
    return {};
}

QVariant LicenceChangeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case ScopeColumn:
        return tr("Scope");
    case WhereColumn:
        return tr("Where");
    case BeforeColumn:
        return tr("Before");
    case AfterColumn:
        return tr("After");
    case MessageColumn:
        return tr("Change");
    }
    return {};
}

// ---- manifest changes -----------------------------------------------------------------------

ManifestChangeModel::ManifestChangeModel(QObject* parent) : QAbstractTableModel(parent) {}

void ManifestChangeModel::setDiff(std::shared_ptr<const DiffSnapshot> diff) {
    beginResetModel();
    m_rows.clear();
    if (diff) {
        const core::DesignDiff& d = diff->design;
        auto none = [this](const std::string& v) { return v.empty() ? tr("(none)") : qs(v); };
        for (const auto& f : d.project)
            m_rows.push_back({tr("project"), qs(f.field), none(f.before), none(f.after)});
        for (const auto& m : d.modules) {
            const QString module = qs(m.module);
            if (m.kind == core::ChangeKind::Added)
                m_rows.push_back({module, tr("module"), tr("(none)"), tr("added: %1").arg(qs(m.name))});
            else if (m.kind == core::ChangeKind::Removed)
                m_rows.push_back({module, tr("module"), qs(m.name), tr("removed")});
            for (const auto& f : m.fields)
                m_rows.push_back({module, qs(f.field), none(f.before), none(f.after)});
            for (const auto& p : m.parts) {
                const QString where = module + QLatin1Char(':') + qs(p.part);
                if (p.kind == core::ChangeKind::Added)
                    m_rows.push_back({where, tr("part"), tr("(none)"), tr("added")});
                else if (p.kind == core::ChangeKind::Removed)
                    m_rows.push_back({where, tr("part"), tr("present"), tr("removed")});
                for (const auto& f : p.fields)
                    m_rows.push_back({where, qs(f.field), none(f.before), none(f.after)});
            }
        }
    }
    endResetModel();
}

int ManifestChangeModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ManifestChangeModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ManifestChangeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const Row& r = m_rows[size_t(index.row())];
    switch (index.column()) {
    case WhereColumn:
        return r.where;
    case FieldColumn:
        return r.field;
    case BeforeColumn:
        return r.before;
    case AfterColumn:
        return r.after;
    }
    return {};
}

QVariant ManifestChangeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case WhereColumn:
        return tr("Where");
    case FieldColumn:
        return tr("Field");
    case BeforeColumn:
        return tr("Before");
    case AfterColumn:
        return tr("After");
    }
    return {};
}

// ---- BOM lines ------------------------------------------------------------------------------

BomDiffModel::BomDiffModel(QObject* parent) : QAbstractTableModel(parent) {}

void BomDiffModel::setDiff(std::shared_ptr<const DiffSnapshot> diff) {
    beginResetModel();
    m_diff = std::move(diff);
    endResetModel();
}

QString BomDiffModel::totalsText() const {
    if (!m_diff) return {};
    const core::BomDiff& d = m_diff->bom;
    const core::BomTotals& b = d.totalBefore;
    const core::BomTotals& a = d.totalAfter;
    QString text = tr("Lines %1 → %2 · pieces %3 → %4 · cost %5 → %6 %7 (%8) · mass %9 → %10 kg")
                       .arg(b.lines)
                       .arg(a.lines)
                       .arg(b.pieces)
                       .arg(a.pieces)
                       .arg(money(b.cost), money(a.cost), qs(d.currency), signedMoney(a.cost - b.cost))
                       .arg(b.mass / 1000.0, 0, 'f', 2)
                       .arg(a.mass / 1000.0, 0, 'f', 2);
    if (b.unknownCost || a.unknownCost)
        text += tr(" · lines without a cost %1 → %2").arg(b.unknownCost).arg(a.unknownCost);
    return text;
}

int BomDiffModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_diff ? 0 : int(m_diff->bom.lines.size());
}

int BomDiffModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BomDiffModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_diff || index.row() >= rowCount()) return {};
    const core::BomLineDiff& l = m_diff->bom.lines[size_t(index.row())];
    const bool hasBefore = l.kind != core::ChangeKind::Added;
    const bool hasAfter = l.kind != core::ChangeKind::Removed;
    switch (role) {
    case KeyRole:
        return qs(l.module + "/" + l.partId);
    case KindRole:
        return int(l.kind);
    case QuantityBeforeRole:
        return QVariant::fromValue<qint64>(l.quantityBefore);
    case QuantityAfterRole:
        return QVariant::fromValue<qint64>(l.quantityAfter);
    case LineCostBeforeRole:
        return optional(l.lineCostBefore);
    case LineCostAfterRole:
        return optional(l.lineCostAfter);
    case Qt::ForegroundRole:
        if (index.column() == ChangeColumn) return kindBrush(l.kind);
        return {};
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case QuantityColumn:
        case UnitCostColumn:
        case LineCostColumn:
        case CostDeltaColumn:
        case MassColumn:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        }
        return {};
    case Qt::ToolTipRole:
        if (!l.assembly.empty()) return tr("from assembly %1").arg(qs(l.assembly));
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case ChangeColumn:
            return QLatin1String(core::changeKindName(l.kind));
        case ModuleColumn:
            return qs(l.module);
        case PartColumn:
            return qs(l.partId);
        case NameColumn:
            return qs(l.name);
        case QuantityColumn:
            return beforeAfter(hasBefore ? std::optional<qint64>(l.quantityBefore) : std::nullopt,
                               hasAfter ? std::optional<qint64>(l.quantityAfter) : std::nullopt,
                               [](qint64 q) { return QString::number(q); });
        case UnitCostColumn:
            return beforeAfter(l.unitCostBefore, l.unitCostAfter, money);
        case LineCostColumn:
            return beforeAfter(l.lineCostBefore, l.lineCostAfter, money);
        case CostDeltaColumn: {
            // A side the line is absent from costs nothing; an unknown cost stays unknown.
            const std::optional<double> b = hasBefore ? l.lineCostBefore : std::optional<double>(0.0);
            const std::optional<double> a = hasAfter ? l.lineCostAfter : std::optional<double>(0.0);
            if (!a || !b) return kUnknown;
            return std::abs(*a - *b) < 0.005 ? QString() : signedMoney(*a - *b);
        }
        case MassColumn:
            return beforeAfter(l.massBefore, l.massAfter,
                               [](double g) { return QString::number(g, 'f', 1); });
        case ChangesColumn: {
            QStringList changes;
            for (const auto& c : l.changes)
                changes << qs(c);
            return changes.join(QStringLiteral(", "));
        }
        }
        return {};
    }
    return {};
}

QVariant BomDiffModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    const QString currency = m_diff && !m_diff->bom.currency.empty() ? qs(m_diff->bom.currency) : QString();
    auto withCurrency = [&](const QString& title) {
        return currency.isEmpty() ? title : QStringLiteral("%1 (%2)").arg(title, currency);
    };
    switch (section) {
    case ChangeColumn:
        return tr("Change");
    case ModuleColumn:
        return tr("Module");
    case PartColumn:
        return tr("Part");
    case NameColumn:
        return tr("Name");
    case QuantityColumn:
        return tr("Qty");
    case UnitCostColumn:
        return withCurrency(tr("Unit cost"));
    case LineCostColumn:
        return withCurrency(tr("Line cost"));
    case CostDeltaColumn:
        return tr("Δ cost");
    case MassColumn:
        return tr("Mass (g)");
    case ChangesColumn:
        return tr("What changed");
    }
    return {};
}

// ---- geometry -------------------------------------------------------------------------------

GeometryDiffModel::GeometryDiffModel(QObject* parent) : QAbstractTableModel(parent) {}

void GeometryDiffModel::setDiff(std::shared_ptr<const DiffSnapshot> diff) {
    beginResetModel();
    m_diff = std::move(diff);
    endResetModel();
}

int GeometryDiffModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_diff ? 0 : int(m_diff->design.geometry.size());
}

int GeometryDiffModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant GeometryDiffModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_diff || index.row() >= rowCount()) return {};
    const core::GeometryDiff& g = m_diff->design.geometry[size_t(index.row())];
    switch (role) {
    case KeyRole:
        return qs(g.module + "/" + g.part);
    case VolumeBeforeRole:
        return optional(g.volumeBefore);
    case VolumeAfterRole:
        return optional(g.volumeAfter);
    case MassBeforeRole:
        return optional(g.massBefore);
    case MassAfterRole:
        return optional(g.massAfter);
    case Qt::ForegroundRole:
        if (index.column() == ErrorsColumn) return QBrush(QColor(180, 30, 30));
        return {};
    case Qt::ToolTipRole:
        if (index.column() == FileColumn)
            return tr("blob %1 → %2")
                .arg(g.blobBefore.empty() ? kUnknown : qs(g.blobBefore.substr(0, 7)),
                     g.blobAfter.empty() ? kUnknown : qs(g.blobAfter.substr(0, 7)));
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case ModuleColumn:
            return qs(g.module);
        case PartColumn:
            return qs(g.part);
        case FileColumn:
            if (g.pathBefore.empty() || g.pathBefore == g.pathAfter) return qs(g.pathAfter);
            if (g.pathAfter.empty()) return qs(g.pathBefore);
            return qs(g.pathBefore) + kArrow + qs(g.pathAfter);
        case VolumeColumn: {
            QString text = beforeAfter(g.volumeBefore, g.volumeAfter,
                                       [](double v) { return QString::number(v, 'f', 0); });
            if (g.volumeBefore && g.volumeAfter && *g.volumeBefore > 0 && *g.volumeAfter != *g.volumeBefore) {
                const double pct = (*g.volumeAfter - *g.volumeBefore) / *g.volumeBefore * 100.0;
                text += QStringLiteral(" (%1%2 %)")
                            .arg(pct > 0 ? QStringLiteral("+") : QString())
                            .arg(pct, 0, 'f', 1);
            }
            return text;
        }
        case MassColumn:
            return beforeAfter(g.massBefore, g.massAfter,
                               [](double v) { return QString::number(v, 'f', 1); });
        case SizeColumn:
            return beforeAfter(g.sizeBefore, g.sizeAfter, sizeText);
        case ErrorsColumn: {
            QStringList errors;
            for (const auto& e : g.errors)
                errors << qs(e);
            return errors.join(QStringLiteral("; "));
        }
        }
        return {};
    }
    return {};
}

QVariant GeometryDiffModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case ModuleColumn:
        return tr("Module");
    case PartColumn:
        return tr("Part");
    case FileColumn:
        return tr("File");
    case VolumeColumn:
        return tr("Volume (mm³)");
    case MassColumn:
        return tr("Mass (g)");
    case SizeColumn:
        return tr("Size (mm)");
    case ErrorsColumn:
        return tr("Problems");
    }
    return {};
}

} // namespace telar::desktop

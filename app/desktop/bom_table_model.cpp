#include "bom_table_model.h"

#include <QBrush>
#include <QColor>

namespace telar::desktop {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
const QString kUnknown = QStringLiteral("—");
QString money(const std::optional<double>& v) {
    return v ? QString::number(*v, 'f', 2) : kUnknown;
}

std::optional<double> lineCost(const core::BomLine& l, std::int64_t quantity) {
    if (!l.unitCost) return std::nullopt;
    return quantity == l.quantity && l.lineCost ? *l.lineCost : *l.unitCost * double(quantity);
}

QColor fabColour(const std::string& status) {
    if (status == "make") return QColor(30, 130, 60);
    if (status == "buy") return QColor(40, 90, 170);
    return QColor(190, 100, 0); // outsource
}
} // namespace

BomTableModel::BomTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void BomTableModel::setBom(std::shared_ptr<const core::Bom> bom) {
    beginResetModel();
    m_bom = std::move(bom);
    endResetModel();
}

QString BomTableModel::totalsText() const {
    if (!m_bom) return {};
    const core::BomTotals& t = m_bom->total;
    QString text = tr("%1 lines · %2 pieces · %3 kg · %4 %5")
                       .arg(t.lines)
                       .arg(t.pieces)
                       .arg(t.mass / 1000.0, 0, 'f', 2)
                       .arg(t.cost, 0, 'f', 2)
                       .arg(qs(m_bom->currency));
    if (t.unknownCost > 0)
        text += t.unknownCost == 1 ? tr(" (1 line without a cost)")
                                   : tr(" (%1 lines without a cost)").arg(t.unknownCost);
    if (t.errors > 0)
        text += t.errors == 1 ? tr(" · 1 line with errors") : tr(" · %1 lines with errors").arg(t.errors);
    if (!m_bom->fabName.empty()) {
        int make = 0, buy = 0, outsource = 0;
        for (const auto& l : m_bom->lines) {
            make += l.fabStatus == "make";
            buy += l.fabStatus == "buy";
            outsource += l.fabStatus == "outsource";
        }
        text += tr(" · at %1: %2 make, %3 buy, %4 outsource")
                    .arg(qs(m_bom->fabName))
                    .arg(make)
                    .arg(buy)
                    .arg(outsource);
    }
    return text;
}

int BomTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_bom ? 0 : int(m_bom->lines.size());
}

int BomTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BomTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_bom || index.row() >= rowCount()) return {};
    const core::BomLine& l = m_bom->lines[size_t(index.row())];
    return lineData(l, index.column(), role, l.quantity);
}

QVariant BomTableModel::lineData(const core::BomLine& l, int column, int role, std::int64_t quantity) {
    switch (role) {
    case FilePathRole:
        return qs(l.file);
    case PartIdRole:
        return qs(l.partId);
    case ModuleIdRole:
        return qs(l.module);
    case FabStatusRole:
        return qs(l.fabStatus);
    case LineCostRole: {
        const auto cost = lineCost(l, quantity);
        return cost ? QVariant(*cost) : QVariant();
    }
    case Qt::TextAlignmentRole:
        switch (column) {
        case QuantityColumn:
        case MassColumn:
        case UnitCostColumn:
        case LineCostColumn:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        }
        return {};
    case Qt::ForegroundRole:
        if (!l.ok()) return QBrush(QColor(180, 30, 30));
        if ((column == FabColumn || column == FabReasonColumn) && !l.fabStatus.empty())
            return QBrush(fabColour(l.fabStatus));
        return {};
    case Qt::ToolTipRole: {
        QStringList lines;
        if (column == FabColumn || column == FabReasonColumn) {
            if (l.fabStatus.empty()) return {};
            QString fab = qs(l.fabStatus);
            if (!l.fabReason.empty()) fab += QStringLiteral(": ") + qs(l.fabReason);
            lines << fab;
            if (!l.fabMachine.empty()) lines << tr("machine: %1").arg(qs(l.fabMachine));
        }
        for (const auto& e : l.errors)
            lines << tr("error: %1").arg(qs(e));
        for (const auto& w : l.warnings)
            lines << tr("warning: %1").arg(qs(w));
        if (!l.assembly.empty()) lines << tr("from assembly %1").arg(qs(l.assembly));
        return lines.isEmpty() ? QVariant() : QVariant(lines.join(QLatin1Char('\n')));
    }
    case SortRole:
        switch (column) {
        case QuantityColumn:
            return QVariant::fromValue<qint64>(quantity);
        case MassColumn:
            return l.mass.value_or(-1.0);
        case UnitCostColumn:
            return l.unitCost.value_or(-1.0);
        case LineCostColumn:
            return lineCost(l, quantity).value_or(-1.0);
        }
        [[fallthrough]];
    case Qt::DisplayRole:
        switch (column) {
        case ModuleColumn:
            return qs(l.module);
        case PartColumn:
            return qs(l.partId);
        case NameColumn:
            return qs(l.name);
        case QuantityColumn:
            return QString::number(quantity);
        case ProcessColumn:
            return qs(l.process);
        case MaterialColumn:
            return qs(l.material);
        case MassColumn:
            return l.mass ? QString::number(*l.mass, 'f', 1) : kUnknown;
        case StockColumn:
            if (!l.stockSize) return kUnknown;
            return QStringLiteral("%1 × %2 × %3")
                .arg((*l.stockSize)[0], 0, 'f', 1)
                .arg((*l.stockSize)[1], 0, 'f', 1)
                .arg((*l.stockSize)[2], 0, 'f', 1);
        case UnitCostColumn:
            return money(l.unitCost);
        case LineCostColumn:
            return money(lineCost(l, quantity));
        case LicenseColumn:
            return qs(l.license);
        case ProblemsColumn:
            if (!l.errors.empty()) return tr("errors: %1").arg(l.errors.size());
            if (!l.warnings.empty()) return tr("warnings: %1").arg(l.warnings.size());
            return QString();
        case FabColumn:
            return qs(l.fabStatus);
        case FabReasonColumn:
            return qs(l.fabReason);
        }
        return {};
    }
    return {};
}

QVariant BomTableModel::columnHeader(int column, const core::Bom* bom) {
    const QString currency = bom ? qs(bom->currency) : QString();
    switch (column) {
    case ModuleColumn:
        return tr("Module");
    case PartColumn:
        return tr("Part");
    case NameColumn:
        return tr("Name");
    case QuantityColumn:
        return tr("Qty");
    case ProcessColumn:
        return tr("Process");
    case MaterialColumn:
        return tr("Material");
    case MassColumn:
        return tr("Mass (g)");
    case StockColumn:
        return tr("Stock (mm)");
    case UnitCostColumn:
        return currency.isEmpty() ? tr("Unit cost") : tr("Unit cost (%1)").arg(currency);
    case LineCostColumn:
        return currency.isEmpty() ? tr("Line cost") : tr("Line cost (%1)").arg(currency);
    case LicenseColumn:
        return tr("Licence");
    case ProblemsColumn:
        return tr("Problems");
    case FabColumn:
        return bom && !bom->fabName.empty() ? tr("At %1").arg(qs(bom->fabName)) : tr("Fab");
    case FabReasonColumn:
        return tr("Fab reason");
    }
    return {};
}

QVariant BomTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    return columnHeader(section, m_bom.get());
}

// ---- totals --------------------------------------------------------------------------------

BomTotalsModel::BomTotalsModel(QObject* parent) : QAbstractTableModel(parent) {}

void BomTotalsModel::setBom(std::shared_ptr<const core::Bom> bom) {
    beginResetModel();
    m_bom = std::move(bom);
    m_rows.clear();
    if (m_bom) {
        m_rows.push_back({QStringLiteral("all"), QString(), &m_bom->total});
        for (const auto& [process, totals] : m_bom->processTotals)
            m_rows.push_back({QStringLiteral("process"), qs(process), &totals});
        for (const auto& [module, totals] : m_bom->moduleTotals)
            m_rows.push_back({QStringLiteral("module"), qs(module), &totals});
    }
    endResetModel();
}

int BomTotalsModel::rowOf(const QString& kind, const QString& key) const {
    for (size_t r = 0; r < m_rows.size(); ++r)
        if (m_rows[r].kind == kind && m_rows[r].key == key) return int(r);
    return -1;
}

int BomTotalsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BomTotalsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BomTotalsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const Row& row = m_rows[size_t(index.row())];
    const core::BomTotals& t = *row.totals;
    switch (role) {
    case KeyRole:
        return row.key;
    case CostRole:
        return t.cost;
    case Qt::TextAlignmentRole:
        return index.column() >= LinesColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::ForegroundRole:
        if (index.column() == ErrorsColumn && t.errors > 0) return QBrush(QColor(180, 30, 30));
        return {};
    case SortRole:
        switch (index.column()) {
        case LinesColumn:
            return t.lines;
        case PiecesColumn:
            return QVariant::fromValue<qint64>(t.pieces);
        case MassColumn:
            return t.mass;
        case CostColumn:
            return t.cost;
        case UnknownCostColumn:
            return t.unknownCost;
        case ErrorsColumn:
            return t.errors;
        }
        [[fallthrough]];
    case Qt::DisplayRole:
        switch (index.column()) {
        case KindColumn:
            if (row.kind == QLatin1String("all")) return tr("all");
            return row.kind == QLatin1String("process") ? tr("process") : tr("module");
        case KeyColumn:
            if (row.kind == QLatin1String("all")) return tr("whole BOM");
            return row.key.isEmpty() ? tr("(none)") : row.key;
        case LinesColumn:
            return QString::number(t.lines);
        case PiecesColumn:
            return QString::number(t.pieces);
        case MassColumn:
            return QString::number(t.mass / 1000.0, 'f', 3);
        case CostColumn:
            return QString::number(t.cost, 'f', 2);
        case UnknownCostColumn:
            return QString::number(t.unknownCost);
        case ErrorsColumn:
            return QString::number(t.errors);
        }
        return {};
    }
    return {};
}

QVariant BomTotalsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case KindColumn:
        return tr("Totals by");
    case KeyColumn:
        return tr("Process / module");
    case LinesColumn:
        return tr("Lines");
    case PiecesColumn:
        return tr("Pieces");
    case MassColumn:
        return tr("Mass (kg)");
    case CostColumn:
        return m_bom ? tr("Cost (%1)").arg(qs(m_bom->currency)) : tr("Cost");
    case UnknownCostColumn:
        return tr("Without a cost");
    case ErrorsColumn:
        return tr("With errors");
    }
    return {};
}

} // namespace telar::desktop

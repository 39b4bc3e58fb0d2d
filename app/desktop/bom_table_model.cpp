#include "bom_table_model.h"

#include <QBrush>
#include <QColor>

namespace telar::desktop {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
const QString kUnknown = QStringLiteral("—");
QString money(const std::optional<double>& v) { return v ? QString::number(*v, 'f', 2) : kUnknown; }
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
        text += t.unknownCost == 1 ? tr(" (1 line without a cost)") : tr(" (%1 lines without a cost)").arg(t.unknownCost);
    if (t.errors > 0) text += t.errors == 1 ? tr(" · 1 line with errors") : tr(" · %1 lines with errors").arg(t.errors);
    if (!m_bom->fabName.empty()) text += tr(" · at %1").arg(qs(m_bom->fabName));
    return text;
}

int BomTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_bom ? 0 : int(m_bom->lines.size());
}

int BomTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant BomTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_bom || index.row() >= rowCount()) return {};
    const core::BomLine& l = m_bom->lines[size_t(index.row())];
    switch (role) {
    case FilePathRole: return qs(l.file);
    case PartIdRole: return qs(l.partId);
    case ModuleIdRole: return qs(l.module);
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case QuantityColumn: case MassColumn: case UnitCostColumn: case LineCostColumn:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        }
        return {};
    case Qt::ForegroundRole:
        if (!l.ok()) return QBrush(QColor(180, 30, 30));
        return {};
    case Qt::ToolTipRole: {
        QStringList lines;
        for (const auto& e : l.errors) lines << tr("error: %1").arg(qs(e));
        for (const auto& w : l.warnings) lines << tr("warning: %1").arg(qs(w));
        if (!l.assembly.empty()) lines << tr("from assembly %1").arg(qs(l.assembly));
        return lines.isEmpty() ? QVariant() : QVariant(lines.join(QLatin1Char('\n')));
    }
    case SortRole:
        switch (index.column()) {
        case QuantityColumn: return QVariant::fromValue<qint64>(l.quantity);
        case MassColumn: return l.mass.value_or(-1.0);
        case UnitCostColumn: return l.unitCost.value_or(-1.0);
        case LineCostColumn: return l.lineCost.value_or(-1.0);
        }
        [[fallthrough]];
    case Qt::DisplayRole:
        switch (index.column()) {
        case ModuleColumn: return qs(l.module);
        case PartColumn: return qs(l.partId);
        case NameColumn: return qs(l.name);
        case QuantityColumn: return QString::number(l.quantity);
        case ProcessColumn: return qs(l.process);
        case MaterialColumn: return qs(l.material);
        case MassColumn: return l.mass ? QString::number(*l.mass, 'f', 1) : kUnknown;
        case StockColumn:
            if (!l.stockSize) return kUnknown;
            return QStringLiteral("%1 × %2 × %3")
                .arg((*l.stockSize)[0], 0, 'f', 1)
                .arg((*l.stockSize)[1], 0, 'f', 1)
                .arg((*l.stockSize)[2], 0, 'f', 1);
        case UnitCostColumn: return money(l.unitCost);
        case LineCostColumn: return money(l.lineCost);
        case LicenseColumn: return qs(l.license);
        case ProblemsColumn:
            if (!l.errors.empty()) return tr("errors: %1").arg(l.errors.size());
            if (!l.warnings.empty()) return tr("warnings: %1").arg(l.warnings.size());
            return QString();
        }
        return {};
    }
    return {};
}

QVariant BomTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case ModuleColumn: return tr("Module");
    case PartColumn: return tr("Part");
    case NameColumn: return tr("Name");
    case QuantityColumn: return tr("Qty");
    case ProcessColumn: return tr("Process");
    case MaterialColumn: return tr("Material");
    case MassColumn: return tr("Mass (g)");
    case StockColumn: return tr("Stock (mm)");
    case UnitCostColumn: return tr("Unit cost");
    case LineCostColumn: return tr("Line cost");
    case LicenseColumn: return tr("Licence");
    case ProblemsColumn: return tr("Problems");
    }
    return {};
}

} // namespace telar::desktop

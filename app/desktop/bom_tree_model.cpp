#include "bom_tree_model.h"

#include "bom_table_model.h"

#include <QFont>

namespace telar::desktop {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// The flat model's column for each tree column (part rows are drawn by BomTableModel::lineData).
int flatColumn(int column) {
    switch (column) {
    case BomTreeModel::ItemColumn:
        return BomTableModel::PartColumn;
    case BomTreeModel::NameColumn:
        return BomTableModel::NameColumn;
    case BomTreeModel::QuantityColumn:
        return BomTableModel::QuantityColumn;
    case BomTreeModel::ProcessColumn:
        return BomTableModel::ProcessColumn;
    case BomTreeModel::MaterialColumn:
        return BomTableModel::MaterialColumn;
    case BomTreeModel::MassColumn:
        return BomTableModel::MassColumn;
    case BomTreeModel::StockColumn:
        return BomTableModel::StockColumn;
    case BomTreeModel::UnitCostColumn:
        return BomTableModel::UnitCostColumn;
    case BomTreeModel::LineCostColumn:
        return BomTableModel::LineCostColumn;
    case BomTreeModel::LicenseColumn:
        return BomTableModel::LicenseColumn;
    case BomTreeModel::ProblemsColumn:
        return BomTableModel::ProblemsColumn;
    case BomTreeModel::FabColumn:
        return BomTableModel::FabColumn;
    case BomTreeModel::FabReasonColumn:
        return BomTableModel::FabReasonColumn;
    }
    return -1;
}
} // namespace

BomTreeModel::BomTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

int BomTreeModel::add(const core::BomNode& node, int parent, int row) {
    const int self = int(m_items.size());
    Item item;
    item.node = &node;
    item.parent = parent;
    item.row = row;
    m_items.push_back(item);
    int childRow = 0;
    for (std::size_t line : node.lines) {
        Item part;
        part.line = line;
        part.parent = self;
        part.row = childRow++;
        m_items[size_t(self)].children.push_back(int(m_items.size()));
        m_items.push_back(part);
    }
    for (const auto& child : node.children) {
        const int c = add(child, self, childRow++);
        m_items[size_t(self)].children.push_back(c);
    }
    return self;
}

void BomTreeModel::setBom(std::shared_ptr<const core::Bom> bom) {
    beginResetModel();
    m_bom = std::move(bom);
    m_items.clear();
    m_roots.clear();
    if (m_bom)
        for (const auto& root : m_bom->tree)
            m_roots.push_back(add(root, -1, int(m_roots.size())));
    endResetModel();
}

const std::vector<int>& BomTreeModel::childrenOf(const QModelIndex& parent) const {
    if (!parent.isValid()) return m_roots;
    return m_items[size_t(parent.internalId())].children;
}

QModelIndex BomTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (row < 0 || column < 0 || column >= ColumnCount) return {};
    if (parent.isValid() && parent.column() != 0) return {};
    const auto& children = childrenOf(parent);
    if (row >= int(children.size())) return {};
    return createIndex(row, column, quintptr(children[size_t(row)]));
}

QModelIndex BomTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid()) return {};
    const Item& item = m_items[size_t(child.internalId())];
    if (item.parent < 0) return {};
    return createIndex(m_items[size_t(item.parent)].row, 0, quintptr(item.parent));
}

int BomTreeModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0) return 0;
    return int(childrenOf(parent).size());
}

int BomTreeModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

QVariant BomTreeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_bom) return {};
    const Item& item = m_items[size_t(index.internalId())];
    if (!item.node) {
        const core::BomLine& line = m_bom->lines[item.line];
        switch (role) {
        case IsModuleRole:
            return false;
        case ModuleIdRole:
            return qs(line.module);
        case PartIdRole:
            return qs(line.partId);
        case LineCostRole:
            return BomTableModel::lineData(line, BomTableModel::LineCostColumn, BomTableModel::LineCostRole,
                                           line.moduleQuantity);
        case SortRole:
            return BomTableModel::lineData(line, flatColumn(index.column()), BomTableModel::SortRole,
                                           line.moduleQuantity);
        }
        return BomTableModel::lineData(line, flatColumn(index.column()), role, line.moduleQuantity);
    }
    const core::BomNode& node = *item.node;
    const double lineCost = node.unitCost * double(node.quantity);
    switch (role) {
    case IsModuleRole:
        return true;
    case ModuleIdRole:
        return qs(node.module);
    case PartIdRole:
        return QString();
    case LineCostRole:
        return lineCost;
    case Qt::FontRole: {
        QFont font;
        font.setBold(true);
        return font;
    }
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case QuantityColumn:
        case MassColumn:
        case UnitCostColumn:
        case LineCostColumn:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        }
        return {};
    case Qt::ToolTipRole:
        return tr("%1 per parent, %2 per product").arg(node.quantity).arg(node.count);
    case SortRole:
        switch (index.column()) {
        case QuantityColumn:
            return QVariant::fromValue<qint64>(node.quantity);
        case MassColumn:
            return node.unitMass;
        case UnitCostColumn:
            return node.unitCost;
        case LineCostColumn:
            return lineCost;
        }
        [[fallthrough]];
    case Qt::DisplayRole:
        switch (index.column()) {
        case ItemColumn:
            return qs(node.module);
        case NameColumn:
            return qs(node.name);
        case QuantityColumn:
            return QString::number(node.quantity);
        case MassColumn:
            return QString::number(node.unitMass, 'f', 1);
        case UnitCostColumn:
            return QString::number(node.unitCost, 'f', 2);
        case LineCostColumn:
            return QString::number(lineCost, 'f', 2);
        }
        return QString();
    }
    return {};
}

QVariant BomTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    if (section == ItemColumn) return tr("Module / part");
    return BomTableModel::columnHeader(flatColumn(section), m_bom.get());
}

} // namespace telar::desktop

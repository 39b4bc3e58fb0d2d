#pragma once
// A computed bill of materials in its tree view (telar::core::Bom::tree): one row per use of a
// module along each path from a root, with its own parts (quantities per module instance) and
// then its sub-modules (quantities per parent), as `telar bom --tree` shows it. Module rows show
// one instance's mass and cost and the line cost for the use quantity. Every value is the core's.

#include "telar/core/bom.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace telar::desktop {

class BomTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column {
        ItemColumn, // module id (module rows) or part id (part rows)
        NameColumn,
        QuantityColumn,
        ProcessColumn,
        MaterialColumn,
        MassColumn,
        StockColumn,
        UnitCostColumn,
        LineCostColumn,
        LicenseColumn,
        ProblemsColumn,
        FabColumn,
        FabReasonColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers as numbers
        IsModuleRole,                // bool: a module row
        ModuleIdRole,                // QString: the module of the row
        PartIdRole,                  // QString: empty on module rows
        LineCostRole,                // double, or an invalid QVariant when unknown
    };

    explicit BomTreeModel(QObject* parent = nullptr);

    // Shows bom (shared, immutable); nullptr empties the model.
    void setBom(std::shared_ptr<const core::Bom> bom);
    const std::shared_ptr<const core::Bom>& bom() const { return m_bom; }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Item {
        const core::BomNode* node = nullptr; // module rows
        std::size_t line = 0;                // part rows: index into Bom::lines
        int parent = -1;                     // index into m_items; -1 for a root
        int row = 0;                         // row under its parent
        std::vector<int> children;
    };
    int add(const core::BomNode& node, int parent, int row);
    const std::vector<int>& childrenOf(const QModelIndex& parent) const;

    std::shared_ptr<const core::Bom> m_bom;
    std::vector<Item> m_items;
    std::vector<int> m_roots;
};

} // namespace telar::desktop

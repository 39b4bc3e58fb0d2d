#pragma once
// A computed bill of materials (telar::core::Bom, flat view) as a table: one row per BOM line,
// in the core's order. Every value is the core's; unknown values show as "—".

#include "telar/core/bom.h"

#include <QAbstractTableModel>

#include <memory>

namespace telar::desktop {

class BomTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        ModuleColumn, PartColumn, NameColumn, QuantityColumn, ProcessColumn, MaterialColumn, MassColumn,
        StockColumn, UnitCostColumn, LineCostColumn, LicenseColumn, ProblemsColumn, ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers as numbers
        FilePathRole,                // QString: the line's CAD file
        PartIdRole,                  // QString
        ModuleIdRole,                // QString
    };

    explicit BomTableModel(QObject* parent = nullptr);

    // Shows bom (shared, immutable); nullptr empties the model.
    void setBom(std::shared_ptr<const core::Bom> bom);
    const std::shared_ptr<const core::Bom>& bom() const { return m_bom; }
    // "64 lines · 245 pieces · 151.2 kg · 1 234.56 USD (12 lines without a cost)".
    QString totalsText() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const core::Bom> m_bom;
};

} // namespace telar::desktop

#pragma once
// A computed bill of materials (telar::core::Bom, flat view) as a table: one row per BOM line,
// in the core's order; and the core's totals (overall, per process, per module) as a second
// table. Every value is the core's; unknown values show as "—".

#include "telar/core/bom.h"

#include <QAbstractTableModel>

#include <cstdint>
#include <memory>

namespace telar::desktop {

class BomTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        ModuleColumn,
        PartColumn,
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
        FabColumn,       // the core's make | buy | outsource for the BOM's fab profile; empty without one
        FabReasonColumn, // why ("on Prusa MK4 #1", "no cnc-mill machine")
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers as numbers
        FilePathRole,                // QString: the line's CAD file
        PartIdRole,                  // QString
        ModuleIdRole,                // QString
        FabStatusRole,               // QString: make | buy | outsource (empty without a fab)
        LineCostRole,                // double, or an invalid QVariant when the cost is unknown
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

    // The value of one cell of line for role, with quantity pieces (per product in the flat
    // view, per module instance in the tree view; the line cost is unit cost × quantity). Shared
    // by the flat and the tree model so both show a line the same way.
    static QVariant lineData(const core::BomLine& line, int column, int role, std::int64_t quantity);
    // The header of column; costs name the BOM's currency when bom is given.
    static QVariant columnHeader(int column, const core::Bom* bom);

private:
    std::shared_ptr<const core::Bom> m_bom;
};

// The core's totals of a BOM: the whole BOM first, then one row per process (Bom::processTotals,
// sorted by id; "(none)" for lines without a process), then one row per module
// (Bom::moduleTotals, sorted by id).
class BomTotalsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        KindColumn, // "all" | "process" | "module"
        KeyColumn,  // process or module id
        LinesColumn,
        PiecesColumn,
        MassColumn,
        CostColumn,
        UnknownCostColumn,
        ErrorsColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers as numbers
        KeyRole,                     // QString: process or module id ("" for the whole BOM / no process)
        CostRole,                    // double: BomTotals::cost
    };

    explicit BomTotalsModel(QObject* parent = nullptr);

    void setBom(std::shared_ptr<const core::Bom> bom);
    // The row of the totals of process (kind "process") or module (kind "module"); -1 when none.
    int rowOf(const QString& kind, const QString& key) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString kind;
        QString key;
        const core::BomTotals* totals = nullptr;
    };
    std::shared_ptr<const core::Bom> m_bom;
    std::vector<Row> m_rows;
};

} // namespace telar::desktop

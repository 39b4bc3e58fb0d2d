#pragma once
// The parts of one module as a table: a QAbstractTableModel over a ModuleManifest of a loaded
// Design. One row per [[part]] in manifest order, then one row per [[assembly]] (a multi-part CAD
// file expanded by the BOM; shown here by its file). Values are the manifest's, except the
// licence column, which shows the licence that applies (the core's effectiveLicense()).

#include "telar/core/design.h"

#include <QAbstractTableModel>

#include <memory>
#include <string>

namespace telar::desktop {

class PartTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        IdColumn, NameColumn, QuantityColumn, ProcessColumn, MaterialColumn, LicenseColumn, FileColumn,
        ColumnCount
    };
    enum Role {
        PartIdRole = Qt::UserRole + 1, // QString: the part id ("" for an assembly row)
        FilePathRole,                  // QString: the CAD file, repository-relative ("" when none)
        IsAssemblyRole,                // bool
        SortRole,                      // numbers as numbers, for sorting
    };

    explicit PartTableModel(QObject* parent = nullptr);

    // Shows the parts of module moduleId of design; an unknown id or nullptr design empties it.
    void setModule(std::shared_ptr<const core::Design> design, const QString& moduleId);
    const QString& moduleId() const { return m_moduleId; }
    // The row of part partId, or -1.
    int rowOfPart(const QString& partId) const;
    // The row of the first part or assembly with a CAD file, or -1.
    int firstRowWithFile() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const core::Design> m_design;
    const core::ModuleManifest* m_module = nullptr; // inside *m_design
    QString m_moduleId;
};

} // namespace telar::desktop

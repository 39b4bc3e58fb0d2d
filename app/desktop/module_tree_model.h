#pragma once
// The module tree: a QAbstractItemModel over a loaded Design. Top-level rows are the project's
// products (in telar.toml order), then modules no product reaches (sorted); each module's
// children are the modules it uses, in manifest order, with the `use` quantity. A module that
// would repeat one of its ancestors (a cycle, which loadDesign reports) is shown once more as a
// leaf marked "cycle" and not expanded. Children are built lazily, so shared sub-modules cost
// nothing until they are expanded.

#include "telar/core/design.h"

#include <QAbstractItemModel>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace telar::desktop {

class ModuleTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, QuantityColumn, IdColumn, LicenseColumn, ColumnCount };
    enum Role {
        ModuleIdRole = Qt::UserRole + 1, // QString: the module id ("controller/sensors")
        QuantityRole,                    // qint64: the `use` quantity (1 for top-level rows)
        CycleRole,                       // bool: this row closes a cycle
    };

    explicit ModuleTreeModel(QObject* parent = nullptr);
    ~ModuleTreeModel() override;

    // Shows design (shared, immutable); nullptr empties the model.
    void setDesign(std::shared_ptr<const core::Design> design);
    const std::shared_ptr<const core::Design>& design() const { return m_design; }

    // The first row (depth-first, top-level rows first) showing module id; invalid when none.
    QModelIndex findModule(const QString& id) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node {
        std::string module;
        std::int64_t quantity = 1;
        bool cycle = false;
        bool built = false; // children filled in
        Node* parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Node>> children;
    };
    Node* nodeOf(const QModelIndex& index) const;
    void buildChildren(Node* node) const;
    QModelIndex findIn(Node* node, const std::string& id) const;

    std::shared_ptr<const core::Design> m_design;
    std::unique_ptr<Node> m_root; // invisible root; its children are the top-level rows
};

} // namespace telar::desktop

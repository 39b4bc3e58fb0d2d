#include "module_tree_model.h"

#include <algorithm>
#include <set>

namespace telar::desktop {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
} // namespace

ModuleTreeModel::ModuleTreeModel(QObject* parent) : QAbstractItemModel(parent), m_root(std::make_unique<Node>()) {
    m_root->built = true;
}

ModuleTreeModel::~ModuleTreeModel() = default;

void ModuleTreeModel::setDesign(std::shared_ptr<const core::Design> design) {
    beginResetModel();
    m_design = std::move(design);
    m_root = std::make_unique<Node>();
    m_root->built = true;
    if (m_design) {
        const core::ModuleGraph& graph = m_design->graph;
        std::vector<std::string> top;
        std::set<std::string> listed;
        for (const auto& product : m_design->project.products)
            if (m_design->module(product) && listed.insert(product).second) top.push_back(product);
        // Whatever the products do not reach: other roots, then modules only reachable in cycles.
        std::set<std::string> reached;
        std::vector<std::string> stack(top.begin(), top.end());
        auto reach = [&]() {
            while (!stack.empty()) {
                std::string id = std::move(stack.back());
                stack.pop_back();
                if (!reached.insert(id).second) continue;
                for (const auto& use : graph.children(id)) stack.push_back(use.module);
            }
        };
        reach();
        std::vector<std::string> candidates = graph.roots();
        for (const auto& [id, manifest] : m_design->modules)
            if (std::find(candidates.begin(), candidates.end(), id) == candidates.end()) candidates.push_back(id);
        for (const auto& id : candidates) {
            if (reached.count(id)) continue;
            top.push_back(id);
            stack.push_back(id);
            reach();
        }
        for (const auto& id : top) {
            auto node = std::make_unique<Node>();
            node->module = id;
            node->parent = m_root.get();
            node->row = static_cast<int>(m_root->children.size());
            m_root->children.push_back(std::move(node));
        }
    }
    endResetModel();
}

ModuleTreeModel::Node* ModuleTreeModel::nodeOf(const QModelIndex& index) const {
    if (!index.isValid()) return m_root.get();
    return static_cast<Node*>(index.internalPointer());
}

void ModuleTreeModel::buildChildren(Node* node) const {
    if (node->built) return;
    node->built = true;
    if (!m_design || node->cycle) return;
    for (const auto& use : m_design->graph.children(node->module)) {
        auto child = std::make_unique<Node>();
        child->module = use.module;
        child->quantity = use.quantity;
        for (Node* a = node; a && a != m_root.get(); a = a->parent)
            if (a->module == use.module) child->cycle = true;
        child->parent = node;
        child->row = static_cast<int>(node->children.size());
        node->children.push_back(std::move(child));
    }
}

QModelIndex ModuleTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (column < 0 || column >= ColumnCount || row < 0) return {};
    Node* p = nodeOf(parent);
    buildChildren(p);
    if (row >= static_cast<int>(p->children.size())) return {};
    return createIndex(row, column, p->children[row].get());
}

QModelIndex ModuleTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid()) return {};
    Node* p = nodeOf(child)->parent;
    if (!p || p == m_root.get()) return {};
    return createIndex(p->row, 0, p);
}

int ModuleTreeModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0) return 0;
    Node* p = nodeOf(parent);
    buildChildren(p);
    return static_cast<int>(p->children.size());
}

int ModuleTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

bool ModuleTreeModel::hasChildren(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0) return false;
    Node* p = nodeOf(parent);
    if (p == m_root.get()) return !p->children.empty();
    if (p->cycle || !m_design) return false;
    return !m_design->graph.children(p->module).empty();
}

QVariant ModuleTreeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_design) return {};
    const Node* n = nodeOf(index);
    const core::ModuleManifest* m = m_design->module(n->module);
    switch (role) {
    case ModuleIdRole:
        return qs(n->module);
    case QuantityRole:
        return QVariant::fromValue<qint64>(n->quantity);
    case CycleRole:
        return n->cycle;
    case Qt::ToolTipRole:
        if (n->cycle) return tr("%1 uses itself through this path (a cycle); not expanded").arg(qs(n->module));
        return m && !m->description.empty() ? qs(m->description) : qs(n->module);
    case Qt::TextAlignmentRole:
        if (index.column() == QuantityColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: {
            QString name = m && !m->name.empty() ? qs(m->name) : qs(n->module);
            return n->cycle ? tr("%1 (cycle)").arg(name) : name;
        }
        case QuantityColumn:
            return QString::number(n->quantity);
        case IdColumn:
            return qs(n->module);
        case LicenseColumn:
            return m ? qs(m_design->moduleLicense(*m)) : QString();
        }
        return {};
    default:
        return {};
    }
}

QVariant ModuleTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case NameColumn: return tr("Module");
    case QuantityColumn: return tr("Qty");
    case IdColumn: return tr("Id");
    case LicenseColumn: return tr("Licence");
    }
    return {};
}

QModelIndex ModuleTreeModel::findModule(const QString& id) const {
    return findIn(m_root.get(), id.toStdString());
}

QModelIndex ModuleTreeModel::findIn(Node* node, const std::string& id) const {
    buildChildren(node);
    for (const auto& child : node->children)
        if (child->module == id) return createIndex(child->row, 0, child.get());
    for (const auto& child : node->children)
        if (auto found = findIn(child.get(), id); found.isValid()) return found;
    return {};
}

} // namespace telar::desktop

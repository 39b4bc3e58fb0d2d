#include "part_table_model.h"

#include <QFileInfo>

namespace telar::desktop {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
} // namespace

PartTableModel::PartTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void PartTableModel::setModule(std::shared_ptr<const core::Design> design, const QString& moduleId) {
    beginResetModel();
    m_design = std::move(design);
    m_module = m_design ? m_design->module(moduleId.toStdString()) : nullptr;
    m_moduleId = m_module ? moduleId : QString();
    endResetModel();
}

int PartTableModel::rowOfPart(const QString& partId) const {
    if (!m_module) return -1;
    const std::string id = partId.toStdString();
    for (size_t i = 0; i < m_module->parts.size(); ++i)
        if (m_module->parts[i].id == id) return static_cast<int>(i);
    return -1;
}

int PartTableModel::firstRowWithFile() const {
    for (int row = 0; row < rowCount(); ++row)
        if (!data(index(row, 0), FilePathRole).toString().isEmpty()) return row;
    return -1;
}

int PartTableModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || !m_module) return 0;
    return static_cast<int>(m_module->parts.size() + m_module->assemblies.size());
}

int PartTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant PartTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_module || index.row() >= rowCount()) return {};
    const size_t row = static_cast<size_t>(index.row());
    const bool isAssembly = row >= m_module->parts.size();

    if (isAssembly) {
        const core::Assembly& a = m_module->assemblies[row - m_module->parts.size()];
        switch (role) {
        case PartIdRole: return QString();
        case FilePathRole: return qs(a.filePath);
        case IsAssemblyRole: return true;
        case Qt::ToolTipRole: return tr("Assembly: its parts come from the product structure of %1").arg(qs(a.file));
        case Qt::TextAlignmentRole:
            if (index.column() == QuantityColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case SortRole:
            if (index.column() == QuantityColumn) return QVariant::fromValue<qint64>(0);
            [[fallthrough]];
        case Qt::DisplayRole:
            switch (index.column()) {
            case IdColumn: return tr("(assembly)");
            case NameColumn: return QFileInfo(qs(a.file)).fileName();
            case QuantityColumn: return tr("from file");
            case ProcessColumn: return qs(a.process);
            case MaterialColumn: return qs(a.material);
            case LicenseColumn: return qs(m_design->effectiveLicense(*m_module, a));
            case FileColumn: return qs(a.file);
            }
            return {};
        }
        return {};
    }

    const core::Part& p = m_module->parts[row];
    switch (role) {
    case PartIdRole: return qs(p.id);
    case FilePathRole: return qs(p.filePath);
    case IsAssemblyRole: return false;
    case Qt::ToolTipRole: return p.notes.empty() ? QVariant() : QVariant(qs(p.notes));
    case Qt::TextAlignmentRole:
        if (index.column() == QuantityColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SortRole:
        if (index.column() == QuantityColumn) return QVariant::fromValue<qint64>(p.quantity);
        [[fallthrough]];
    case Qt::DisplayRole:
        switch (index.column()) {
        case IdColumn: return qs(p.id);
        case NameColumn: return qs(p.name);
        case QuantityColumn: return QString::number(p.quantity);
        case ProcessColumn: return qs(p.process);
        case MaterialColumn: return qs(p.material);
        case LicenseColumn: return qs(m_design->effectiveLicense(*m_module, p));
        case FileColumn: return qs(p.file);
        }
        return {};
    }
    return {};
}

QVariant PartTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case IdColumn: return tr("Id");
    case NameColumn: return tr("Name");
    case QuantityColumn: return tr("Qty");
    case ProcessColumn: return tr("Process");
    case MaterialColumn: return tr("Material");
    case LicenseColumn: return tr("Licence");
    case FileColumn: return tr("File");
    }
    return {};
}

} // namespace telar::desktop

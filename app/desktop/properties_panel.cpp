#include "properties_panel.h"

#include <QHeaderView>

namespace telar::desktop {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
QString mm(double v) { return QString::number(v, 'f', v < 100 ? 2 : 1); }
QString boxSize(const cad::Vec3& v) {
    return QStringLiteral("%1 × %2 × %3 mm").arg(mm(v.x), mm(v.y), mm(v.z));
}
const QString kGeometry = QStringLiteral("Geometry");
} // namespace

PropertiesPanel::PropertiesPanel(QWidget* parent) : QTreeWidget(parent) {
    setColumnCount(2);
    setHeaderLabels({tr("Property"), tr("Value")});
    setRootIsDecorated(false);
    setSelectionMode(QAbstractItemView::NoSelection);
    setFocusPolicy(Qt::NoFocus);
    setWordWrap(true);
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    header()->setStretchLastSection(true);
    showNothing();
}

QTreeWidgetItem* PropertiesPanel::section(const QString& title) {
    auto* item = new QTreeWidgetItem(this, {title});
    QFont f = item->font(0);
    f.setBold(true);
    item->setFont(0, f);
    item->setFirstColumnSpanned(true);
    item->setExpanded(true);
    return item;
}

void PropertiesPanel::add(QTreeWidgetItem* sectionItem, const QString& property, const QString& value) {
    if (value.isEmpty()) return;
    auto* item = new QTreeWidgetItem(sectionItem, {property, value});
    item->setToolTip(1, value);
}

void PropertiesPanel::showNothing() {
    clear();
    auto* item = new QTreeWidgetItem(this, {tr("Select a module or a part")});
    item->setFirstColumnSpanned(true);
    item->setDisabled(true);
}

void PropertiesPanel::showModule(const std::shared_ptr<const core::Design>& design, const QString& moduleId) {
    clear();
    const core::ModuleManifest* m = design ? design->module(moduleId.toStdString()) : nullptr;
    if (!m) return showNothing();
    auto* s = section(tr("Module"));
    add(s, tr("Id"), qs(m->id));
    add(s, tr("Name"), qs(m->name));
    add(s, tr("Version"), qs(m->version));
    add(s, tr("Licence"), qs(design->moduleLicense(*m)) + (m->license.empty() ? tr(" (project default)") : QString()));
    add(s, tr("Description"), qs(m->description));
    add(s, tr("Parts"), QString::number(m->parts.size()));
    add(s, tr("Assemblies"), m->assemblies.empty() ? QString() : QString::number(m->assemblies.size()));
    if (!m->uses.empty()) {
        auto* u = section(tr("Uses"));
        for (const auto& use : m->uses) add(u, qs(use.module), QStringLiteral("× %1").arg(use.quantity));
    }
    auto parents = design->graph.parents(m->id);
    if (!parents.empty()) {
        auto* u = section(tr("Used by"));
        for (const auto& p : parents) add(u, qs(p), tr("module"));
    }
    expandAll();
}

void PropertiesPanel::showPart(const std::shared_ptr<const core::Design>& design, const QString& moduleId, int row) {
    clear();
    const core::ModuleManifest* m = design ? design->module(moduleId.toStdString()) : nullptr;
    if (!m || row < 0) return showNothing();
    const size_t r = static_cast<size_t>(row);
    if (r < m->parts.size()) {
        const core::Part& p = m->parts[r];
        auto* s = section(tr("Part"));
        add(s, tr("Id"), qs(p.id));
        add(s, tr("Name"), qs(p.name));
        add(s, tr("Module"), qs(m->id));
        add(s, tr("Quantity"), QString::number(p.quantity));
        add(s, tr("Process"), qs(p.process));
        add(s, tr("Material"), qs(p.material));
        add(s, tr("Licence"), qs(design->effectiveLicense(*m, p)) +
                                  (p.license.empty() ? tr(" (from the module)") : QString()));
        add(s, tr("File"), qs(p.filePath));
        if (p.unitCost) add(s, tr("Unit cost"), QStringLiteral("%1 %2").arg(*p.unitCost, 0, 'f', 2).arg(qs(p.currency)).trimmed());
        add(s, tr("Supplier"), qs(p.supplier));
        add(s, tr("SKU"), qs(p.sku));
        add(s, tr("Notes"), qs(p.notes));
        if (p.origin) {
            auto* o = section(tr("Origin"));
            add(o, tr("Source"), qs(p.origin->source));
            add(o, tr("Licence"), qs(p.origin->license));
            add(o, tr("Author"), qs(p.origin->author));
            add(o, tr("Retrieved"), qs(p.origin->retrieved));
            add(o, tr("SHA-256"), qs(p.origin->sha256));
        }
    } else if (r < m->parts.size() + m->assemblies.size()) {
        const core::Assembly& a = m->assemblies[r - m->parts.size()];
        auto* s = section(tr("Assembly"));
        add(s, tr("File"), qs(a.filePath));
        add(s, tr("Module"), qs(m->id));
        add(s, tr("Process"), qs(a.process));
        add(s, tr("Material"), qs(a.material));
        add(s, tr("Licence"), qs(design->effectiveLicense(*m, a)));
        for (const auto& rule : a.rules) {
            QStringList what;
            if (!rule.process.empty()) what << tr("process %1").arg(qs(rule.process));
            if (!rule.material.empty()) what << tr("material %1").arg(qs(rule.material));
            add(s, tr("Rule %1").arg(qs(rule.match)), what.join(QStringLiteral(", ")));
        }
    } else {
        return showNothing();
    }
    expandAll();
}

void PropertiesPanel::removeSection(const QString& title) {
    for (int i = topLevelItemCount() - 1; i >= 0; --i)
        if (topLevelItem(i)->text(0) == title) delete takeTopLevelItem(i);
}

void PropertiesPanel::removeGeometry() { removeSection(kGeometry); }

void PropertiesPanel::showContributors(const core::Provenance& p) {
    const QString title = tr("Contributors");
    removeSection(title);
    auto* s = section(title);
    if (p.contributors.empty()) {
        auto* item = new QTreeWidgetItem(s, {tr("No commit touched it yet")});
        item->setFirstColumnSpanned(true);
    }
    for (const core::ProvenanceContributor& c : p.contributors) {
        QString what = c.authored == 1 ? tr("1 commit") : tr("%1 commits").arg(c.authored);
        if (c.coAuthored > 0) what += tr(", %1 co-authored").arg(c.coAuthored);
        const QString who = qs(c.name);
        add(s, who, what);
        if (!c.email.empty()) s->child(s->childCount() - 1)->setToolTip(0, who + QStringLiteral(" <") + qs(c.email) + QLatin1Char('>'));
    }
    expandAll();
}

void PropertiesPanel::showGeometryStatus(const QString& status) {
    removeGeometry();
    auto* s = section(kGeometry);
    auto* item = new QTreeWidgetItem(s, {status});
    item->setFirstColumnSpanned(true);
    item->setToolTip(0, status);
    expandAll();
}

void PropertiesPanel::showGeometry(const GeometrySnapshot& g) {
    removeGeometry();
    const cad::AnalysisResult& a = g.analysis;
    auto* s = section(kGeometry);
    add(s, tr("Format"), qs(cad::formatName(a.format)));
    if (!a.lengthUnits.empty()) {
        QStringList units;
        for (const auto& u : a.lengthUnits) units << qs(u);
        add(s, tr("Units"), units.join(QStringLiteral(", ")));
    }
    add(s, tr("Blob"), qs(g.blobId.substr(0, 12)));
    if (a.parts.size() == 1 && a.totals.instances <= 1) {
        const cad::PartInfo& p = a.parts.front();
        add(s, tr("Volume"), QStringLiteral("%1 cm³").arg(p.volume / 1000.0, 0, 'f', 2));
        add(s, tr("Area"), QStringLiteral("%1 cm²").arg(p.area / 100.0, 0, 'f', 2));
        add(s, tr("Bounding box"), boxSize(p.bbox.size()));
        add(s, tr("Stock size"), boxSize(p.orientedSize));
        add(s, tr("Solids"), QString::number(p.solids));
        add(s, tr("Closed"), p.closed ? tr("yes") : tr("no"));
        add(s, tr("Valid"), p.valid ? tr("yes") : tr("no"));
        if (p.triangles) add(s, tr("Triangles"), QString::number(p.triangles));
        if (p.material) add(s, tr("Material in file"), qs(*p.material));
        if (p.mass) add(s, tr("Mass in file"), QStringLiteral("%1 g").arg(*p.mass, 0, 'f', 1));
    } else {
        add(s, tr("Unique parts"), QString::number(a.totals.uniqueParts));
        add(s, tr("Instances"), QString::number(a.totals.instances));
        add(s, tr("Total volume"), QStringLiteral("%1 cm³").arg(a.totals.volume / 1000.0, 0, 'f', 2));
        add(s, tr("Bounding box"), boxSize(a.totals.bbox.size()));
        for (const auto& p : a.parts)
            add(s, qs(p.name), QStringLiteral("× %1, %2 cm³").arg(p.quantity).arg(p.volume / 1000.0, 0, 'f', 2));
    }
    add(s, tr("Triangles shown"), QString::number(g.mesh.triangleCount()));
    for (const auto& w : a.warnings) add(s, tr("Warning"), qs(w));
    expandAll();
}

QString PropertiesPanel::value(const QString& property) const {
    for (int i = 0; i < topLevelItemCount(); ++i) {
        const QTreeWidgetItem* s = topLevelItem(i);
        for (int j = 0; j < s->childCount(); ++j)
            if (s->child(j)->text(0) == property) return s->child(j)->text(1);
    }
    return {};
}

} // namespace telar::desktop

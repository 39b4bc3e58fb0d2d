#pragma once
// The properties of the selection: a module (name, version, licence, uses) or a part (material,
// process, quantity, licence, file, origin), plus the geometry of its CAD file once analysed.
// Only shows values the core computed; it derives nothing.

#include "design_jobs.h"

#include "telar/core/design.h"
#include "telar/core/provenance.h"

#include <QTreeWidget>

#include <memory>

namespace telar::desktop {

class PropertiesPanel : public QTreeWidget {
    Q_OBJECT
public:
    explicit PropertiesPanel(QWidget* parent = nullptr);

    // Shows nothing but a hint.
    void showNothing();
    void showModule(const std::shared_ptr<const core::Design>& design, const QString& moduleId);
    // row is a row of PartTableModel for that module: a part, or an assembly after the parts.
    void showPart(const std::shared_ptr<const core::Design>& design, const QString& moduleId, int row);
    // Adds (or replaces) the Geometry section with what analysis found in the file.
    void showGeometry(const GeometrySnapshot& geometry);
    // Replaces the Geometry section with a line saying why there is none (loading, error).
    void showGeometryStatus(const QString& status);
    // Adds (or replaces) the Contributors section: the people of the item's history (after
    // .mailmap), with their authored and co-authored commits, as the core counts them.
    void showContributors(const core::Provenance& provenance);

    // The value shown for a property (first match in any section), for tests; empty when absent.
    QString value(const QString& property) const;

private:
    QTreeWidgetItem* section(const QString& title);
    void add(QTreeWidgetItem* section, const QString& property, const QString& value);
    void removeSection(const QString& title);
    void removeGeometry();
};

} // namespace telar::desktop

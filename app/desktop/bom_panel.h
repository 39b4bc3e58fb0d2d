#pragma once
// The BOM tab: the bill of materials of the module selected in the tree (with everything it
// uses), computed by the core off the GUI thread when the tab is shown, kept per module for the
// snapshot and fab profile shown. A flat table or the module tree (both sortable and filtered by
// one filter box), a fab-profile picker (make / buy / outsource marks and the fab's prices), the
// core's totals overall, per process and per module, and export to CSV, XLSX, JSON and HTML
// through the core's writers.

#include "bom_jobs.h"
#include "design_jobs.h"
#include "job_progress.h"
#include "panel_job.h"

#include "telar/core/bom_output.h"
#include "telar/core/fab_profile.h"

#include <QHash>
#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QToolButton;
class QTreeView;

namespace telar::desktop {

class BomTableModel;
class BomTotalsModel;
class BomTreeModel;
class FabProfilePicker;

class BomPanel : public QWidget {
    Q_OBJECT
public:
    explicit BomPanel(QWidget* parent = nullptr);
    ~BomPanel() override;

    // A new design snapshot: forgets computed BOMs and stops a running job.
    void setSnapshot(std::shared_ptr<const DesignSnapshot> snapshot);
    // The module whose BOM to show; computed now when the panel is active.
    void setModule(const QString& moduleId);
    // Shows the BOM of all the project's products at once instead of the module's (the
    // *Products* button), as `telar bom` without a module.
    void setWholeProducts(bool whole);
    bool wholeProducts() const { return m_wholeProducts; }
    // Whether the panel is on screen (its tab is current): only then are BOMs computed.
    void setActive(bool active);

    // Chooses the fab profile file (empty: none) as if picked, without emitting
    // fabProfileChosen, and recomputes. false with the core's message in error when it cannot be
    // read (the previous profile stays).
    bool setFabProfileFile(const QString& file, QString* error = nullptr);
    QString fabProfileFile() const;
    std::shared_ptr<const core::FabProfile> fabProfile() const { return m_fab; }
    FabProfilePicker* fabPicker() const { return m_fabPicker; }

    // Flat table (default) or module tree.
    void setView(core::BomView view);
    core::BomView viewMode() const { return m_viewMode; }

    // Writes the BOM shown to file in format, off the GUI thread, with the core's writer (CSV in
    // the current view); exportFinished reports the outcome. false when no BOM is shown or an
    // export is running.
    bool exportTo(const QString& file, BomExportFormat format);
    // Asks for a file and format (a save dialog) and exports to it.
    void chooseExportFile();

    // Errors of exports and of fab profiles that fail to load go to a dialog (default) or only to
    // the panel's status line and the signals.
    void setErrorDialogsEnabled(bool enabled);

    bool isBusy() const;
    void cancel();
    // The progress of the running job (nullptr when none ran yet).
    std::shared_ptr<JobProgress> progress() const;

    BomTableModel* model() const { return m_model; }
    BomTreeModel* treeModel() const { return m_treeModel; }
    BomTotalsModel* totalsModel() const { return m_totalsModel; }
    QTableView* view() const { return m_view; }
    QTreeView* treeView() const { return m_treeView; }
    QLineEdit* filterEdit() const { return m_filter; }
    // The flat table's proxy (sorting and filtering).
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QString totalsText() const;
    // The last export's outcome, or a fab profile's load error.
    QString statusText() const;
    // The heading above the lines ("Bill of materials of frame at HEAD (…)").
    QString titleText() const;

signals:
    void jobStarted();
    // The BOM of the current module is shown, or its job failed (message non-empty) or was cancelled.
    void jobFinished(const QString& error);
    // The user chose another fab profile in this panel's picker (empty: none).
    void fabProfileChosen(const QString& file);
    // An export ended: error is empty when file was written.
    void exportFinished(const QString& file, const QString& error);

private:
    void ensureComputed();
    void show(const std::shared_ptr<const BomSnapshot>& bom);
    void clearShown(const QString& title);
    void onFinished(const JobResult<BomSnapshot>& result);
    void onExportFinished(const JobResult<BomExport>& result);
    void onFabChanged();
    void updateFabColumns();

    std::shared_ptr<const DesignSnapshot> m_snapshot;
    std::shared_ptr<const core::FabProfile> m_fab;
    QString m_module;
    bool m_active = false;
    bool m_errorDialogs = true;
    core::BomView m_viewMode = core::BomView::Flat;
    QHash<QString, std::shared_ptr<const BomSnapshot>> m_cache; // by module, for m_snapshot and m_fab
    std::shared_ptr<const BomSnapshot> m_shownBom;
    QString m_shown;   // module whose BOM is in the table
    QString m_running; // module whose BOM is being computed
    PanelJob<BomSnapshot> m_job{this};
    PanelJob<BomExport> m_exportJob{this};
    QString m_exportFile;

    QLabel* m_title = nullptr;
    QString shownKey() const; // the module, or kProducts for the products
    bool m_wholeProducts = false;
    QToolButton* m_productsButton = nullptr;
    QToolButton* m_flatButton = nullptr;
    QToolButton* m_treeButton = nullptr;
    FabProfilePicker* m_fabPicker = nullptr;
    QLineEdit* m_filter = nullptr;
    QToolButton* m_exportButton = nullptr;
    QStackedWidget* m_views = nullptr;
    QTableView* m_view = nullptr;
    BomTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTreeView* m_treeView = nullptr;
    BomTreeModel* m_treeModel = nullptr;
    QSortFilterProxyModel* m_treeProxy = nullptr;
    QTableView* m_totalsView = nullptr;
    BomTotalsModel* m_totalsModel = nullptr;
    QLabel* m_totals = nullptr;
    QLabel* m_status = nullptr;
};

} // namespace telar::desktop

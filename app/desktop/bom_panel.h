#pragma once
// The BOM tab: the bill of materials of the module selected in the tree (with everything it
// uses), computed by the core off the GUI thread when the tab is shown, kept per module for the
// snapshot shown, with totals below the table.

#include "design_jobs.h"
#include "job_progress.h"

#include <QFutureWatcher>
#include <QHash>
#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace telar::desktop {

class BomTableModel;

class BomPanel : public QWidget {
    Q_OBJECT
public:
    explicit BomPanel(QWidget* parent = nullptr);
    ~BomPanel() override;

    // A new design snapshot: forgets computed BOMs and stops a running job.
    void setSnapshot(std::shared_ptr<const DesignSnapshot> snapshot);
    // The module whose BOM to show; computed now when the panel is active.
    void setModule(const QString& moduleId);
    // Whether the panel is on screen (its tab is current): only then are BOMs computed.
    void setActive(bool active);

    bool isBusy() const;
    void cancel();
    // The progress of the running job (nullptr when none ran yet).
    std::shared_ptr<JobProgress> progress() const { return m_progress; }

    BomTableModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QString totalsText() const;

signals:
    void jobStarted();
    // The BOM of the current module is shown, or its job failed (message non-empty) or was cancelled.
    void jobFinished(const QString& error);

private:
    void ensureComputed();
    void show(const std::shared_ptr<const BomSnapshot>& bom);
    void onFinished(int generation);

    std::shared_ptr<const DesignSnapshot> m_snapshot;
    QString m_module;
    bool m_active = false;
    QHash<QString, std::shared_ptr<const BomSnapshot>> m_cache; // by module, for m_snapshot
    QString m_shown;   // module whose BOM is in the table
    QString m_running; // module whose BOM is being computed
    int m_generation = 0;
    bool m_pending = false; // from the start of a job until its result is handled
    std::shared_ptr<JobProgress> m_progress;
    QFutureWatcher<JobResult<BomSnapshot>>* m_watcher = nullptr;

    QLabel* m_title = nullptr;
    QLineEdit* m_filter = nullptr;
    QTableView* m_view = nullptr;
    BomTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QLabel* m_totals = nullptr;
};

} // namespace telar::desktop

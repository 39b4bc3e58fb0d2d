#pragma once
// The History tab: the provenance of the module or part selected (every commit that touched it
// with authors and co-authors, first and last change, contributors, the releases that contain
// it, origin records of imported geometry and whether each file is still the original, the fork
// chain). Computed by the core off the GUI thread only while the tab is shown, kept per item for
// the snapshot shown.

#include "design_jobs.h"
#include "history_model.h"
#include "job_progress.h"
#include "panel_job.h"

#include <QHash>
#include <QWidget>

#include <memory>

class QLabel;
class QTableView;
class QTreeWidget;

namespace telar::desktop {

class HistoryPanel : public QWidget {
    Q_OBJECT
public:
    explicit HistoryPanel(QWidget* parent = nullptr);
    ~HistoryPanel() override;

    // A new design snapshot: forgets computed histories and stops a running job.
    void setSnapshot(std::shared_ptr<const DesignSnapshot> snapshot);
    // The item whose history to show (see provenanceQuery()); computed now when the panel is
    // active. An empty module shows nothing.
    void setSelection(const QString& module, const QString& partId = {}, const QString& file = {});
    // Whether the panel is on screen (its tab is current): only then is history computed.
    void setActive(bool active);

    bool isBusy() const;
    void cancel();
    // The progress of the running job (nullptr when none ran yet).
    std::shared_ptr<JobProgress> progress() const { return m_job.progress(); }

    HistoryModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    // The summary below the commits: one top-level item per section ("First change",
    // "Contributors (2)", "Releases (1)", "Imported geometry (1)", "Fork of (1)", …).
    QTreeWidget* details() const { return m_details; }
    // The query shown ("controller", "wheels:hub"); empty when none.
    const QString& shownQuery() const { return m_shown; }
    QString titleText() const;

    // The history of query for the current snapshot, computed by this panel or given to
    // remember(); nullptr when there is none yet.
    std::shared_ptr<const HistorySnapshot> cachedHistory(const QString& query) const { return m_cache.value(query); }
    // Whether this panel is computing query now (its historyReady will follow).
    bool computing(const QString& query) const { return isBusy() && m_running == query; }
    // Keeps a history computed elsewhere for the current snapshot (the properties' contributors),
    // so the tab shows it without computing it again.
    void remember(const std::shared_ptr<const HistorySnapshot>& history);

signals:
    // The history of query was computed by this panel (it is in cachedHistory()).
    void historyReady(const QString& query);
    void jobStarted();
    // The history of the current item is shown, or its job failed (message non-empty) or was
    // cancelled ("cancelled").
    void jobFinished(const QString& error);

private:
    void ensureComputed();
    void show(const std::shared_ptr<const HistorySnapshot>& history);
    void fillDetails(const core::Provenance& p);
    void onFinished(const JobResult<HistorySnapshot>& result);

    std::shared_ptr<const DesignSnapshot> m_snapshot;
    QString m_query;
    bool m_active = false;
    QHash<QString, std::shared_ptr<const HistorySnapshot>> m_cache; // by query, for m_snapshot
    QString m_shown;                                                // query whose history is shown
    QString m_running;                                              // query being computed
    PanelJob<HistorySnapshot> m_job{this};

    QLabel* m_title = nullptr;
    QTableView* m_view = nullptr;
    HistoryModel* m_model = nullptr;
    QTreeWidget* m_details = nullptr;
};

} // namespace telar::desktop

#pragma once
// The Diff tab: what changed between two revisions, licence changes on top, then the bill of
// materials of the products (lines added, removed, changed, with quantities and costs), then the
// geometry of each changed CAD file, and the selected changed part drawn before and after. Two
// pickers choose the base (default: the previous tag, else the commit before) and the target
// (default: the revision shown). Computed off the GUI thread only while the tab is shown, kept
// per pair of revisions for the snapshot shown.

#include "design_jobs.h"
#include "diff_model.h"
#include "job_progress.h"
#include "panel_job.h"

#include <QHash>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QTableView;

namespace telar::desktop {

class DiffPanel : public QWidget {
    Q_OBJECT
public:
    explicit DiffPanel(QWidget* parent = nullptr);
    ~DiffPanel() override;

    // A new design snapshot: the pickers list its revisions, the base goes back to automatic
    // and the target to the revision shown; computed comparisons are forgotten.
    void setSnapshot(std::shared_ptr<const DesignSnapshot> snapshot);
    // Compares base (empty: automatic) with target (empty: the working tree); computed now
    // when the panel is active. Revisions not in the pickers are added to them.
    void compare(const QString& base, const QString& target);
    // Whether the panel is on screen (its tab is current): only then is a comparison computed.
    void setActive(bool active);

    bool isBusy() const;
    void cancel();
    // The progress of the running job (nullptr when none ran yet).
    std::shared_ptr<JobProgress> progress() const { return m_job.progress(); }

    // The comparison shown (nullptr while none is).
    const std::shared_ptr<const DiffSnapshot>& shownDiff() const { return m_shownDiff; }
    LicenceChangeModel* licenceModel() const { return m_licenceModel; }
    ManifestChangeModel* manifestModel() const { return m_manifestModel; }
    BomDiffModel* bomModel() const { return m_bomModel; }
    GeometryDiffModel* geometryModel() const { return m_geometryModel; }
    QTableView* bomView() const { return m_bomView; }
    QComboBox* basePicker() const { return m_base; }
    QComboBox* targetPicker() const { return m_target; }
    QString titleText() const;
    QString licenceText() const;
    // The manifest changes heading ("Manifests: unchanged", "Manifests: 2 changes").
    QString manifestText() const;
    // The key ("module/part") of the part drawn in the thumbnails; empty when none is.
    const QString& thumbnailKey() const { return m_thumbnailKey; }

signals:
    void jobStarted();
    // The comparison is shown, or its job failed (message non-empty) or was cancelled
    // ("cancelled").
    void jobFinished(const QString& error);

private:
    void fillPickers();
    void onPicked(QComboBox* picker, int index);
    void ensureComputed();
    void show(const std::shared_ptr<const DiffSnapshot>& diff);
    void showThumbnails(const QString& key);
    void onFinished(const JobResult<DiffSnapshot>& result);
    QString requestKey() const;

    std::shared_ptr<const DesignSnapshot> m_snapshot;
    QString m_baseRev;   // empty: automatic
    QString m_targetRev; // empty: the working tree
    bool m_active = false;
    QHash<QString, std::shared_ptr<const DiffSnapshot>> m_cache; // by requestKey(), for m_snapshot
    QString m_shown;                                             // requestKey() of what is shown
    QString m_running;                                           // requestKey() being computed
    PanelJob<DiffSnapshot> m_job{this};
    std::shared_ptr<const DiffSnapshot> m_shownDiff;
    QString m_thumbnailKey;

    QComboBox* m_base = nullptr;
    QComboBox* m_target = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_licenceTitle = nullptr;
    QTableView* m_licenceView = nullptr;
    LicenceChangeModel* m_licenceModel = nullptr;
    QLabel* m_manifestTitle = nullptr;
    QTableView* m_manifestView = nullptr;
    ManifestChangeModel* m_manifestModel = nullptr;
    QLabel* m_bomTitle = nullptr;
    QTableView* m_bomView = nullptr;
    BomDiffModel* m_bomModel = nullptr;
    QLabel* m_bomTotals = nullptr;
    QLabel* m_geometryTitle = nullptr;
    QTableView* m_geometryView = nullptr;
    GeometryDiffModel* m_geometryModel = nullptr;
    QLabel* m_thumbTitle = nullptr;
    QLabel* m_thumbBefore = nullptr;
    QLabel* m_thumbAfter = nullptr;
    QLabel* m_thumbBeforeCaption = nullptr;
    QLabel* m_thumbAfterCaption = nullptr;
};

} // namespace telar::desktop

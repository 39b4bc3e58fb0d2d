#pragma once
// The Licences tab: the core's licence consistency findings for the design at the revision shown
// (as `telar license check`), each product's obligations, and, for the chosen fab profile, what
// that fab may do with each module of each product and what it owes (as `telar license verdict
// --fab`). Computed off the GUI thread while the tab is shown, again when the snapshot or the fab
// profile changes.

#include "design_jobs.h"
#include "job_progress.h"
#include "panel_job.h"

#include "telar/core/fab_profile.h"
#include "telar/core/license_check.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <string>
#include <vector>

class QLabel;
class QTreeWidget;

namespace telar::desktop {

class FabProfilePicker;

// Everything the Licences tab shows for one snapshot and fab profile.
struct LicenseSnapshot {
    std::string treeName;
    std::size_t moduleCount = 0;
    core::LicenseReport report;
    std::string licensor; // the project's, for "ask the licensor"
    // With a fab profile: who asks, and the verdict per product (empty without a profile).
    std::shared_ptr<const core::FabProfile> fab;
    std::optional<license::FabContext> fabContext;
    std::vector<core::ProductVerdict> verdicts;
    std::string verdictError; // why no verdict could be decided (the core's message)
};

// Checks the licences of design (read from tree) and, when fab is given, decides the verdicts of
// every product for it, as `telar license check` and `telar license verdict --fab` do. Runs on a
// worker thread. Throws UsageError when the design has no telar.toml and telar::Cancelled; a
// profile or [[license]] declaration the verdict cannot use is reported in verdictError.
LicenseSnapshot computeLicenses(const std::shared_ptr<const core::Design>& design,
                                const std::shared_ptr<const core::Tree>& tree,
                                const std::shared_ptr<const core::FabProfile>& fab, const Progress& progress);

// "press: reciprocity required (controller, drawer, hopper)", as the CLI's overall line.
QString verdictLine(const core::ProductVerdict& verdict);
// "Fab: Metalworks Ltd (for-profit, does not contribute, commercial use)".
QString fabLine(const core::FabProfile& fab, const license::FabContext& context);
// "Reciprocity: ask STEWARD (CONTACT); terms: TERMS", or "ask the licensor …" without a steward;
// empty when no module of any product needs reciprocity.
QString reciprocityLine(const LicenseSnapshot& snapshot);

class LicensePanel : public QWidget {
    Q_OBJECT
public:
    // Columns of the findings and verdict views.
    enum FindingColumn {
        SeverityColumn,
        CodeColumn,
        ModuleColumn,
        PartColumn,
        WhereColumn,
        MessageColumn,
        HintColumn
    };
    enum VerdictColumn {
        VerdictModuleColumn,
        VerdictLicenseColumn,
        VerdictColumn,
        RolledUpColumn,
        ObligationsColumn,
        ReasonColumn
    };

    explicit LicensePanel(QWidget* parent = nullptr);
    ~LicensePanel() override;

    // A new design snapshot: forgets computed results and stops a running job.
    void setSnapshot(std::shared_ptr<const DesignSnapshot> snapshot);
    // Whether the panel is on screen (its tab is current): only then is anything computed.
    void setActive(bool active);

    // Chooses the fab profile file (empty: none) without emitting fabProfileChosen, and
    // recomputes. false with the core's message when it cannot be read.
    bool setFabProfileFile(const QString& file, QString* error = nullptr);
    QString fabProfileFile() const;
    FabProfilePicker* fabPicker() const { return m_fabPicker; }
    void setErrorDialogsEnabled(bool enabled);

    bool isBusy() const { return m_job.busy(); }
    void cancel();
    std::shared_ptr<JobProgress> progress() const { return m_job.progress(); }

    // The result shown (nullptr while none is).
    std::shared_ptr<const LicenseSnapshot> result() const { return m_shown; }
    QTreeWidget* findingsView() const { return m_findings; }
    QTreeWidget* obligationsView() const { return m_obligations; }
    // Products (top level: product, "", overall verdict, "", "", the CLI's overall line) with
    // their modules as children.
    QTreeWidget* verdictView() const { return m_verdicts; }
    QString titleText() const;
    QString checkSummary() const;
    QString fabText() const;
    QString reciprocityText() const;

signals:
    void jobStarted();
    // The result is shown, or its job failed (message non-empty) or was cancelled.
    void jobFinished(const QString& error);
    // The user chose another fab profile in this panel's picker (empty: none).
    void fabProfileChosen(const QString& file);

private:
    void ensureComputed();
    void onFinished(const JobResult<LicenseSnapshot>& result);
    void show(const std::shared_ptr<const LicenseSnapshot>& result);
    void clearShown(const QString& title);
    void onFabChanged();

    std::shared_ptr<const DesignSnapshot> m_snapshot;
    std::shared_ptr<const core::FabProfile> m_fab;
    bool m_active = false;
    std::shared_ptr<const LicenseSnapshot> m_shown;
    QString m_shownKey;
    QString m_runningKey;
    PanelJob<LicenseSnapshot> m_job{this};

    QLabel* m_title = nullptr;
    FabProfilePicker* m_fabPicker = nullptr;
    QLabel* m_checkSummary = nullptr;
    QTreeWidget* m_findings = nullptr;
    QTreeWidget* m_obligations = nullptr;
    QLabel* m_fabLine = nullptr;
    QTreeWidget* m_verdicts = nullptr;
    QLabel* m_reciprocity = nullptr;
};

} // namespace telar::desktop

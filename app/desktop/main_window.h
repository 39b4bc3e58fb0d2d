#pragma once
// The main window: start page, or a workspace of module tree | parts / 3D / problems tabs |
// properties, with a revision picker in the tool bar and progress + Cancel in the status bar.
//
// All core work runs off the GUI thread (QtConcurrent::run); jobs capture paths, revision names
// and shared snapshots, never widgets, and hand their JobResult back here, where a generation
// number discards the results of jobs that were superseded. Nothing here computes domain values:
// the models and panels show what the core returned.

#include "app_options.h"
#include "design_jobs.h"
#include "job_progress.h"

#include <QFutureWatcher>
#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <memory>
#include <string>
#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSettings;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QToolButton;
class QTreeView;
class QTreeWidget;

namespace telar::desktop {

class BomPanel;
struct HistorySnapshot;
class DiffPanel;
class FabProfileEditor;
class HistoryPanel;
class LicensePanel;
class MeshView;
class ModuleTreeModel;
class PartTableModel;
class PropertiesPanel;
class RepositoryActions;
class StartPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // persistent: read and write window state and recent repositories in QSettings (off for
    // screenshots and tests, which must not depend on or change the user's settings).
    explicit MainWindow(bool persistent = true, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Errors go to a dialog (default) or only to the status bar and stderr (screenshots).
    void setErrorDialogsEnabled(bool enabled) { m_errorDialogs = enabled; }
    // What to select and bring forward once the next design has loaded (see applySelection()).
    void setInitialSelection(const QString& module, const QString& part, View view);

    // Starts loading the design at rev (empty: working tree) of the repository at path.
    void openRepository(const QString& path, const QString& rev = {});
    // Reloads the open repository at rev.
    void loadRevision(const std::string& rev);

    // True from the start of a design, geometry or BOM job until its result is shown.
    bool isBusy() const;
    // The design shown, or nullptr.
    const DesignSnapshot* snapshot() const { return m_snapshot.get(); }
    // The message of the last failed job (empty after a success).
    const QString& lastError() const { return m_lastError; }

    // Selects module id in the tree (its first occurrence); false when it is not there.
    bool selectModule(const QString& id);
    // Selects, in the selected module, the part with this id, or else the row whose file is key
    // (as written or repository-relative, e.g. an assembly file). false when none matches.
    bool selectPart(const QString& key);
    // Selects module (default: the first top-level row) and part (default for View::ThreeD: the
    // first row with a CAD file, searching the module and then the modules it uses; for
    // View::Parts: the first row), then brings view forward.
    void applySelection(const QString& module, const QString& part, View view);
    void showView(View view);

    ModuleTreeModel* treeModel() const { return m_treeModel; }
    PartTableModel* partModel() const { return m_partModel; }
    QTreeView* treeView() const { return m_treeView; }
    QTableView* partView() const { return m_partView; }
    PropertiesPanel* properties() const { return m_properties; }
    BomPanel* bomPanel() const { return m_bomPanel; }
    LicensePanel* licensePanel() const { return m_licensePanel; }
    HistoryPanel* historyPanel() const { return m_historyPanel; }
    DiffPanel* diffPanel() const { return m_diffPanel; }
    // File → Clone… / Fork… / Adopt folder… (and the start page's buttons) and the Repository menu.
    RepositoryActions* repositoryActions() const { return m_repositoryActions; }
    QComboBox* revisionPicker() const { return m_revisionCombo; }
    // The 3D view; nullptr until its tab is first shown, and when OpenGL is not available (a
    // notice is shown instead).
    MeshView* meshView() const { return m_meshView; }
    // The 3D view's rectangle in window coordinates (empty when there is no 3D view).
    QRect meshViewRect() const;

    // The geometry shown in the 3D view and the properties (a part's file, or the selected
    // module's first [[assembly]] file), or nullptr.
    const GeometrySnapshot* shownGeometry() const;
    // Selects what instance (an index in shownGeometry()->mesh.groups) stands for, as a click in
    // the 3D view does: highlights it, selects its row in the parts table (its part, or the
    // [[assembly]] row for an instance of an assembly file), its line in the BOM table (now, or
    // once the BOM is computed) and keeps its module selected in the tree. -1 clears the
    // highlight. false when nothing is shown or instance is out of range.
    bool pickInstance(int instance);
    // The highlighted instances of the geometry shown (kept without OpenGL too).
    const std::vector<int>& highlightedInstances() const { return m_highlight; }
    // Selects the line of part partId of module in the BOM's flat table and its row in the tree
    // view (expanded to it); false when the BOM shown has no such line (not computed yet, or
    // filtered out of the flat table).
    bool selectBomLine(const QString& module, const QString& partId);

signals:
    // A design snapshot is now shown.
    void designLoaded();
    // A design load failed or was cancelled; message is the core's message.
    void designLoadFailed(const QString& message);
    // The geometry of the selected row is shown (or its job failed; see lastError()).
    void geometryFinished();
    // An instance of the geometry shown was picked (pickInstance(), a click in the 3D view);
    // -1 when the selection in the view was cleared.
    void instancePicked(int instance);

public slots:
    // Tools → Fab profile…: the editor (one, not modal) on the BOM panel's profile; a profile it
    // saves becomes the one the BOM and licence panels use.
    FabProfileEditor* openFabProfileEditor();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void buildWorkspace();
    void updateRecent();
    void browseForRepository();
    void cancelJobs();
    void pollProgress();
    void startDesignJob(const QString& path, const std::string& rev);
    void onDesignJobFinished(int generation);
    void applySnapshot(std::shared_ptr<const DesignSnapshot> snapshot);
    void fillRevisionPicker();
    void onRevisionActivated(int index);
    void fillProblems();
    void onModuleChanged(const QModelIndex& current);
    void onPartChanged(const QModelIndex& current);
    void startGeometryJob(const std::string& filePath);
    // The contributors of the selection for the properties (the core's provenance, off the GUI
    // thread, kept per item until the design is reloaded).
    void startContributorsJob(const QString& module, const QString& partId = {}, const QString& file = {});
    void onGeometryJobFinished(int generation);
    void dropGeometryJob();
    // 3D picking and selection sync.
    void ensureMeshView();
    void showMesh(const std::shared_ptr<const GeometrySnapshot>& geometry);
    void showModuleGeometry();
    void setHighlight(std::vector<int> instances);
    void selectPickedBomLine();
    // A BOM row became current in the flat table or the tree: highlight what it stands for.
    void onBomLineChosen(const QString& module, const QString& partId);
    void showError(const QString& title, const QString& message);
    void closeRepository();
    void updateSummary();
    int selectedPartRow() const;

    bool m_persistent;
    bool m_errorDialogs = true;
    std::unique_ptr<QSettings> m_settings;

    // Pending initial selection.
    bool m_hasInitialSelection = false;
    QString m_initialModule;
    QString m_initialPart;
    View m_initialView = View::Tree;

    std::shared_ptr<const DesignSnapshot> m_snapshot;
    QString m_lastError;
    QHash<QString, std::shared_ptr<const GeometrySnapshot>> m_geometryCache; // by file, this snapshot
    std::string m_shownGeometry; // file path shown in the 3D view / properties
    QString m_contributorsQuery; // the provenance query of the selection whose contributors to show
    int m_contributorsGeneration = 0;
    std::shared_ptr<JobProgress> m_contributorsProgress;
    std::vector<int> m_highlight; // instances of the shown geometry highlighted in 3D
    // The BOM line of the last pick: module and part id, or the unique part of an assembly file
    // (resolved once the BOM is computed).
    QString m_pickedModule;
    QString m_pickedPartId;
    int m_pickedAssemblyPart = -1;
    bool m_syncingSelection = false; // true while one view's selection is copied to another

    // Jobs: each start bumps its generation; results of older generations are dropped.
    // A job is pending from its start until its result for the current generation is handled
    // (a watcher's future can be finished before its finished() signal arrives).
    int m_designGeneration = 0;
    int m_geometryGeneration = 0;
    bool m_designPending = false;
    bool m_geometryPending = false;
    QString m_designPath; // path asked for by the running design job
    std::shared_ptr<JobProgress> m_designProgress;
    std::shared_ptr<JobProgress> m_geometryProgress;
    QFutureWatcher<JobResult<DesignSnapshot>>* m_designWatcher = nullptr;
    QFutureWatcher<JobResult<GeometrySnapshot>>* m_geometryWatcher = nullptr;

    // Widgets.
    QStackedWidget* m_stack = nullptr;
    StartPage* m_startPage = nullptr;
    QSplitter* m_splitter = nullptr;
    QTreeView* m_treeView = nullptr;
    ModuleTreeModel* m_treeModel = nullptr;
    QTabWidget* m_tabs = nullptr;
    QTableView* m_partView = nullptr;
    PartTableModel* m_partModel = nullptr;
    QSortFilterProxyModel* m_partProxy = nullptr;
    QLineEdit* m_partFilter = nullptr;
    QWidget* m_partsPage = nullptr;
    QWidget* m_viewPage = nullptr;
    MeshView* m_meshView = nullptr;
    QTreeWidget* m_problems = nullptr;
    BomPanel* m_bomPanel = nullptr;
    LicensePanel* m_licensePanel = nullptr;
    QPointer<FabProfileEditor> m_fabEditor;
    HistoryPanel* m_historyPanel = nullptr;
    DiffPanel* m_diffPanel = nullptr;
    PropertiesPanel* m_properties = nullptr;
    QComboBox* m_revisionCombo = nullptr;
    QLabel* m_summary = nullptr;
    QProgressBar* m_progressBar = nullptr;
    QToolButton* m_cancelButton = nullptr;
    QTimer* m_progressTimer = nullptr;

    QAction* m_openAction = nullptr;
    QAction* m_reloadAction = nullptr;
    QAction* m_closeAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_fitAction = nullptr;
    QAction* m_resetViewAction = nullptr;
    QMenu* m_recentMenu = nullptr;
    RepositoryActions* m_repositoryActions = nullptr;
};

// True when this display can give the 3D view an OpenGL context (checked once).
bool openGlAvailable();

} // namespace telar::desktop

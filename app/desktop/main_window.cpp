#include "main_window.h"

#include "app_icon.h"
#include "bom_panel.h"
#include "bom_table_model.h"
#include "bom_tree_model.h"
#include "diff_panel.h"
#include "fab_profile_editor.h"
#include "history_model.h"
#include "history_panel.h"
#include "license_panel.h"
#include "mesh_view.h"
#include "module_tree_model.h"
#include "part_table_model.h"
#include "picking.h"
#include "properties_panel.h"
#include "recent_repositories.h"
#include "repo_dialogs.h"
#include "start_page.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QFileDialog>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QOpenGLContext>
#include <QProgressBar>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <iostream>
#include <optional>

namespace telar::desktop {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
constexpr int kOtherRevision = -1; // item data of the "Other revision…" entry
} // namespace

bool openGlAvailable() {
    static const bool available = [] {
        QOpenGLContext context;
        return context.create();
    }();
    return available;
}

MainWindow::MainWindow(bool persistent, QWidget* parent) : QMainWindow(parent), m_persistent(persistent) {
    if (m_persistent) m_settings = std::make_unique<QSettings>();
    setWindowTitle(tr("Telar"));
    setWindowIcon(appIcon());

    m_stack = new QStackedWidget;
    m_startPage = new StartPage;
    m_stack->addWidget(m_startPage);
    buildWorkspace();
    setCentralWidget(m_stack);
    buildActions();

    connect(m_startPage, &StartPage::browseRequested, this, &MainWindow::browseForRepository);
    connect(m_startPage, &StartPage::openRequested, this, [this](const QString& path) { openRepository(path); });

    // Status bar: a summary of the design, and progress with Cancel while a job runs.
    m_summary = new QLabel;
    statusBar()->addPermanentWidget(m_summary);
    m_progressBar = new QProgressBar;
    m_progressBar->setRange(0, 1000);
    m_progressBar->setMaximumWidth(220);
    m_progressBar->setTextVisible(false);
    m_progressBar->hide();
    statusBar()->addPermanentWidget(m_progressBar);
    m_cancelButton = new QToolButton;
    m_cancelButton->setDefaultAction(m_cancelAction);
    m_cancelButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_cancelButton->hide();
    statusBar()->addPermanentWidget(m_cancelButton);
    m_progressTimer = new QTimer(this);
    m_progressTimer->setInterval(50);
    connect(m_progressTimer, &QTimer::timeout, this, &MainWindow::pollProgress);

    m_designWatcher = new QFutureWatcher<JobResult<DesignSnapshot>>(this);
    m_geometryWatcher = new QFutureWatcher<JobResult<GeometrySnapshot>>(this);

    resize(1200, 800);
    if (m_settings) {
        restoreGeometry(m_settings->value(QStringLiteral("mainWindow/geometry")).toByteArray());
        restoreState(m_settings->value(QStringLiteral("mainWindow/state")).toByteArray());
        m_splitter->restoreState(m_settings->value(QStringLiteral("mainWindow/splitter")).toByteArray());
    }
    updateRecent();
    statusBar()->showMessage(tr("Open a design repository to start"));
}

MainWindow::~MainWindow() {
    // Jobs hold only values; let them stop early and finish on their own.
    cancelJobs();
    m_designWatcher->waitForFinished();
    m_geometryWatcher->waitForFinished();
}

void MainWindow::buildWorkspace() {
    m_treeModel = new ModuleTreeModel(this);
    m_treeView = new QTreeView;
    m_treeView->setModel(m_treeModel);
    m_treeView->setUniformRowHeights(true);
    m_treeView->setAlternatingRowColors(true);
    m_treeView->header()->setStretchLastSection(false);
    m_treeView->header()->setSectionResizeMode(ModuleTreeModel::NameColumn, QHeaderView::Stretch);
    m_treeView->header()->setSectionResizeMode(ModuleTreeModel::QuantityColumn, QHeaderView::ResizeToContents);
    m_treeView->setColumnHidden(ModuleTreeModel::IdColumn, true);
    m_treeView->header()->setSectionResizeMode(ModuleTreeModel::LicenseColumn, QHeaderView::ResizeToContents);
    m_treeView->setMinimumWidth(220);
    connect(m_treeView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { onModuleChanged(current); });

    m_partModel = new PartTableModel(this);
    m_partProxy = new QSortFilterProxyModel(this);
    m_partProxy->setSourceModel(m_partModel);
    m_partProxy->setSortRole(PartTableModel::SortRole);
    m_partProxy->setFilterKeyColumn(-1);
    m_partProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_partView = new QTableView;
    m_partView->setModel(m_partProxy);
    m_partView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_partView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_partView->setSortingEnabled(true);
    m_partView->sortByColumn(-1, Qt::AscendingOrder); // manifest order until a header is clicked
    m_partView->setAlternatingRowColors(true);
    m_partView->setWordWrap(false);
    m_partView->verticalHeader()->hide();
    m_partView->verticalHeader()->setDefaultSectionSize(m_partView->fontMetrics().height() + 8);
    m_partView->horizontalHeader()->setStretchLastSection(true);
    m_partView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    connect(m_partView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { onPartChanged(current); });
    connect(m_partView, &QTableView::doubleClicked, this, [this] { showView(View::ThreeD); });

    m_partFilter = new QLineEdit;
    m_partFilter->setPlaceholderText(tr("Filter parts (Ctrl+F)"));
    m_partFilter->setClearButtonEnabled(true);
    connect(m_partFilter, &QLineEdit::textChanged, m_partProxy, &QSortFilterProxyModel::setFilterFixedString);
    m_partsPage = new QWidget;
    auto* partsLayout = new QVBoxLayout(m_partsPage);
    partsLayout->setContentsMargins(0, 0, 0, 0);
    partsLayout->addWidget(m_partFilter);
    partsLayout->addWidget(m_partView);

    // The 3D view is made when its tab is first shown (ensureMeshView()): an OpenGL widget makes
    // the whole window composite through OpenGL, which costs a software renderer hundreds of
    // milliseconds at start-up (docs/benchmarks.md).
    m_viewPage = new QWidget;
    new QVBoxLayout(m_viewPage);
    m_viewPage->layout()->setContentsMargins(0, 0, 0, 0);

    m_problems = new QTreeWidget;
    m_problems->setHeaderLabels({tr("Severity"), tr("Where"), tr("Problem"), tr("Hint")});
    m_problems->setRootIsDecorated(false);
    m_problems->setWordWrap(true);
    m_problems->setAlternatingRowColors(true);

    m_bomPanel = new BomPanel;
    connect(m_bomPanel, &BomPanel::jobStarted, this, [this] { m_progressTimer->start(); });
    connect(m_bomPanel, &BomPanel::jobFinished, this, [this](const QString& error) {
        pollProgress();
        if (error.isEmpty())
            statusBar()->showMessage(m_bomPanel->totalsText(), 5000);
        else if (error == tr("cancelled"))
            statusBar()->showMessage(tr("Bill of materials cancelled"), 5000);
        else
            showError(tr("Cannot compute the bill of materials"), error);
    });

    // Licences: checked while their tab is shown. One fab profile for both panels: a choice in
    // either picker is passed to the other.
    m_licensePanel = new LicensePanel;
    connect(m_licensePanel, &LicensePanel::jobStarted, this, [this] { m_progressTimer->start(); });
    connect(m_licensePanel, &LicensePanel::jobFinished, this, [this](const QString& error) {
        pollProgress();
        if (!error.isEmpty() && error != tr("cancelled")) showError(tr("Cannot check the licences"), error);
    });
    connect(m_bomPanel, &BomPanel::fabProfileChosen, this,
            [this](const QString& file) { m_licensePanel->setFabProfileFile(file); });
    connect(m_licensePanel, &LicensePanel::fabProfileChosen, this,
            [this](const QString& file) { m_bomPanel->setFabProfileFile(file); });

    // History and diff: jobs like the BOM's, run while their tab is shown; failures show in the
    // panel and the status bar.
    m_historyPanel = new HistoryPanel;
    m_diffPanel = new DiffPanel;
    connect(m_historyPanel, &HistoryPanel::jobStarted, this, [this] { m_progressTimer->start(); });
    connect(m_historyPanel, &HistoryPanel::jobFinished, this, [this](const QString& error) {
        pollProgress();
        statusBar()->showMessage(
            error.isEmpty() ? m_historyPanel->titleText() : tr("History: %1").arg(error), 10000);
    });
    connect(m_diffPanel, &DiffPanel::jobStarted, this, [this] { m_progressTimer->start(); });
    connect(m_diffPanel, &DiffPanel::jobFinished, this, [this](const QString& error) {
        pollProgress();
        statusBar()->showMessage(error.isEmpty() ? m_diffPanel->titleText() : tr("Diff: %1").arg(error),
                                 10000);
    });

    m_tabs = new QTabWidget;
    m_tabs->addTab(m_partsPage, tr("Parts"));
    m_tabs->addTab(m_bomPanel, tr("BOM"));
    m_tabs->addTab(m_licensePanel, tr("Licences"));
    m_tabs->addTab(m_viewPage, tr("3D view"));
    m_tabs->addTab(m_problems, tr("Problems"));
    m_tabs->addTab(m_historyPanel, tr("History"));
    m_tabs->addTab(m_diffPanel, tr("Diff"));
    connect(m_tabs, &QTabWidget::currentChanged, this,
            [this] { m_bomPanel->setActive(m_tabs->currentWidget() == m_bomPanel); });
    // 3D selection sync: a module's assembly is read when the 3D view is shown; BOM rows
    // highlight their instances; a pick waiting for the BOM is applied once it is computed.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_tabs->currentWidget() == m_viewPage) ensureMeshView();
        const bool in3d = m_meshView && m_tabs->currentWidget() == m_viewPage;
        if (m_fitAction) m_fitAction->setEnabled(in3d);
        if (m_resetViewAction) m_resetViewAction->setEnabled(in3d);
        showModuleGeometry();
    });
    connect(m_historyPanel, &HistoryPanel::historyReady, this, [this](const QString& query) {
        if (query != m_contributorsQuery) return;
        if (auto history = m_historyPanel->cachedHistory(query)) m_properties->showContributors(history->provenance);
    });
    connect(m_bomPanel->view()->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    onBomLineChosen(current.data(BomTableModel::ModuleIdRole).toString(),
                                    current.data(BomTableModel::PartIdRole).toString());
            });
    connect(m_bomPanel->treeView()->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid() && !current.data(BomTreeModel::IsModuleRole).toBool())
                    onBomLineChosen(current.data(BomTreeModel::ModuleIdRole).toString(),
                                    current.data(BomTreeModel::PartIdRole).toString());
            });
    connect(m_bomPanel, &BomPanel::jobFinished, this, [this] { selectPickedBomLine(); });
    connect(m_tabs, &QTabWidget::currentChanged, this,
            [this] { m_licensePanel->setActive(m_tabs->currentWidget() == m_licensePanel); });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        m_historyPanel->setActive(m_tabs->currentWidget() == m_historyPanel);
        m_diffPanel->setActive(m_tabs->currentWidget() == m_diffPanel);
    });

    m_properties = new PropertiesPanel;
    m_properties->setMinimumWidth(240);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->addWidget(m_treeView);
    m_splitter->addWidget(m_tabs);
    m_splitter->addWidget(m_properties);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 0);
    m_splitter->setSizes({340, 560, 300});
    m_stack->addWidget(m_splitter);
}

void MainWindow::buildActions() {
    // Shortcuts are spelled out rather than taken from QKeySequence's standard keys, which differ
    // between platforms (no Quit key on some): the same keys everywhere, as docs/desktop.md lists.
    QMenu* file = menuBar()->addMenu(tr("&File"));
    m_openAction = file->addAction(tr("&Open repository…"), this, &MainWindow::browseForRepository);
    m_openAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    m_recentMenu = file->addMenu(tr("Open &recent"));
    m_repositoryActions = new RepositoryActions(this, m_startPage);
    m_repositoryActions->addFileActions(file);
    m_reloadAction = file->addAction(tr("&Reload"), this, [this] {
        if (m_snapshot) loadRevision(m_snapshot->rev);
    });
    m_reloadAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_closeAction = file->addAction(tr("&Close repository"), this, &MainWindow::closeRepository);
    m_closeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_W));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* toTree = view->addAction(tr("Module &tree"), this, [this] { showView(View::Tree); });
    toTree->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    QAction* toParts = view->addAction(tr("&Parts"), this, [this] { showView(View::Parts); });
    toParts->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    QAction* toBom = view->addAction(tr("&Bill of materials"), this, [this] { showView(View::Bom); });
    toBom->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_3));
    QAction* to3d = view->addAction(tr("&3D view"), this, [this] { showView(View::ThreeD); });
    to3d->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_4));
    QAction* toProblems = view->addAction(tr("Pro&blems"), this, [this] {
        m_stack->setCurrentWidget(m_splitter);
        m_tabs->setCurrentWidget(m_problems);
        m_problems->setFocus();
    });
    toProblems->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_5));
    QAction* toHistory = view->addAction(tr("&History"), this, [this] { showView(View::History); });
    toHistory->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_6));
    QAction* toDiff = view->addAction(tr("&Diff between revisions"), this, [this] { showView(View::Diff); });
    toDiff->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_7));
    QAction* toLicences = view->addAction(tr("&Licences"), this, [this] { showView(View::Licences); });
    toLicences->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_8));
    QAction* filter = view->addAction(tr("&Filter parts"), this, [this] {
        showView(View::Parts);
        m_partFilter->setFocus();
        m_partFilter->selectAll();
    });
    filter->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
    view->addSeparator();
    // F and Home are enabled while the 3D view is the current tab (wherever the focus is in the
    // window), so elsewhere the tree's type-ahead keeps them; line edits take typed keys first.
    m_fitAction = new QAction(tr("&Fit all"), this);
    m_fitAction->setShortcut(QKeySequence(Qt::Key_F));
    m_resetViewAction = new QAction(tr("&Reset view"), this);
    m_resetViewAction->setShortcut(QKeySequence(Qt::Key_Home));
    connect(m_fitAction, &QAction::triggered, this, [this] {
        if (m_meshView) m_meshView->fitAll();
    });
    connect(m_resetViewAction, &QAction::triggered, this, [this] {
        if (m_meshView) m_meshView->resetView();
    });
    m_fitAction->setEnabled(false);
    m_resetViewAction->setEnabled(false);
    view->addAction(m_fitAction);
    view->addAction(m_resetViewAction);

    m_cancelAction = new QAction(tr("Cancel"), this);
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setToolTip(tr("Stop the work in progress (Esc)"));
    m_cancelAction->setEnabled(false);
    connect(m_cancelAction, &QAction::triggered, this, &MainWindow::cancelJobs);
    addAction(m_cancelAction);

    menuBar()->addMenu(m_repositoryActions->repositoryMenu());
    QMenu* tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(tr("&Fab profile…"), this, &MainWindow::openFabProfileEditor);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Telar"), this, [this] {
        QMessageBox::about(this, tr("About Telar"),
                           tr("<h3>Telar %1</h3><p>A desktop client for an open design commons for hardware: "
                              "modules, parts, licences and geometry, read from git at any revision.</p>")
                               .arg(QApplication::applicationVersion()));
    });

    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->addAction(m_openAction);
    bar->addAction(m_reloadAction);
    bar->addSeparator();
    bar->addWidget(new QLabel(tr("Revision: ")));
    m_revisionCombo = new QComboBox;
    m_revisionCombo->setMinimumContentsLength(18);
    m_revisionCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_revisionCombo->setToolTip(tr("Read the design at another revision (no checkout happens)"));
    m_revisionCombo->setEnabled(false);
    connect(m_revisionCombo, &QComboBox::activated, this, &MainWindow::onRevisionActivated);
    bar->addWidget(m_revisionCombo);
    bar->addSeparator();
    bar->addAction(m_fitAction);
    m_reloadAction->setEnabled(false);
    m_closeAction->setEnabled(false);
}

void MainWindow::updateRecent() {
    QStringList paths;
    if (m_settings) paths = RecentRepositories(*m_settings).list();
    m_startPage->setRecent(paths);
    m_recentMenu->clear();
    for (const QString& path : paths)
        m_recentMenu->addAction(path, this, [this, path] { openRepository(path); });
    m_recentMenu->setEnabled(!paths.isEmpty());
}

void MainWindow::browseForRepository() {
    const QString start = m_snapshot ? QString::fromStdString(m_snapshot->repository.string()) : QString();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a design repository"), start);
    if (!dir.isEmpty()) openRepository(dir);
}

void MainWindow::setInitialSelection(const QString& module, const QString& part, View view) {
    m_hasInitialSelection = true;
    m_initialModule = module;
    m_initialPart = part;
    m_initialView = view;
}

// ---- jobs ----------------------------------------------------------------------------------

bool MainWindow::isBusy() const {
    return m_designPending || m_geometryPending || m_bomPanel->isBusy() || m_licensePanel->isBusy() ||
           m_historyPanel->isBusy() || m_diffPanel->isBusy();
}

void MainWindow::cancelJobs() {
    if (m_designProgress) m_designProgress->cancel();
    if (m_geometryProgress) m_geometryProgress->cancel();
    m_bomPanel->cancel();
    m_licensePanel->cancel();
    m_historyPanel->cancel();
    m_diffPanel->cancel();
}

void MainWindow::pollProgress() {
    const bool design = m_designPending;
    const bool geometry = m_geometryPending;
    const bool bom = m_bomPanel->isBusy() || m_licensePanel->isBusy() || m_historyPanel->isBusy() ||
                     m_diffPanel->isBusy();
    if (!design && !geometry && !bom) {
        m_progressTimer->stop();
        m_progressBar->hide();
        m_cancelButton->hide();
        m_cancelAction->setEnabled(false);
        return;
    }
    const auto progress = design                    ? m_designProgress
                          : geometry                ? m_geometryProgress
                          : m_bomPanel->isBusy()    ? m_bomPanel->progress()
                          : m_licensePanel->isBusy() ? m_licensePanel->progress()
                          : m_historyPanel->isBusy() ? m_historyPanel->progress()
                                                    : m_diffPanel->progress();
    m_progressBar->show();
    m_cancelButton->show();
    m_cancelAction->setEnabled(true);
    m_progressBar->setValue(int(progress->fraction() * 1000));
    const QString label = progress->label();
    if (!label.isEmpty()) statusBar()->showMessage(label + QStringLiteral("…"));
}

void MainWindow::openRepository(const QString& path, const QString& rev) {
    startDesignJob(path, rev.toStdString());
}

void MainWindow::loadRevision(const std::string& rev) {
    if (!m_snapshot) return;
    startDesignJob(qs(m_snapshot->repository.string()), rev);
}

void MainWindow::startDesignJob(const QString& path, const std::string& rev) {
    cancelJobs();
    const int generation = ++m_designGeneration;
    m_designPending = true;
    dropGeometryJob(); // whatever geometry is in flight belongs to the old design
    m_designPath = path;
    auto progress = std::make_shared<JobProgress>();
    m_designProgress = progress;
    const std::filesystem::path dir = path.toStdString();
    m_designWatcher->disconnect(this);
    connect(m_designWatcher, &QFutureWatcherBase::finished, this,
            [this, generation] { onDesignJobFinished(generation); });
    m_designWatcher->setFuture(QtConcurrent::run([dir, rev, progress] {
        return runJob<DesignSnapshot>([&] { return loadDesignSnapshot(dir, rev, progress->progress()); });
    }));
    statusBar()->showMessage(tr("Loading %1…").arg(path));
    m_progressTimer->start();
    pollProgress();
}

void MainWindow::onDesignJobFinished(int generation) {
    if (generation != m_designGeneration) return;
    m_designPending = false;
    const JobResult<DesignSnapshot> result = m_designWatcher->result();
    pollProgress();
    if (result.cancelled) {
        m_lastError = tr("cancelled");
        statusBar()->showMessage(tr("Loading cancelled"), 5000);
        fillRevisionPicker(); // back to what is shown
        emit designLoadFailed(m_lastError);
        return;
    }
    if (!result.value) {
        m_lastError = result.error;
        fillRevisionPicker();
        showError(tr("Cannot open %1").arg(m_designPath), result.error);
        emit designLoadFailed(m_lastError);
        return;
    }
    m_lastError.clear();
    applySnapshot(result.value);
}

void MainWindow::applySnapshot(std::shared_ptr<const DesignSnapshot> snapshot) {
    // Keep the selection across reloads of the same repository.
    QString module;
    QString part;
    if (m_snapshot && m_snapshot->repository == snapshot->repository) {
        module = m_partModel->moduleId();
        const int row = selectedPartRow();
        if (row >= 0) {
            part = m_partModel->data(m_partModel->index(row, 0), PartTableModel::PartIdRole).toString();
            if (part.isEmpty())
                part = m_partModel->data(m_partModel->index(row, 0), PartTableModel::FilePathRole).toString();
        }
    }
    const bool sameRepository = m_snapshot && m_snapshot->repository == snapshot->repository;
    m_snapshot = std::move(snapshot);
    m_geometryCache.clear();
    m_contributorsQuery.clear();
    ++m_contributorsGeneration;
    m_shownGeometry.clear();
    const core::Design& design = *m_snapshot->design;

    m_partModel->setModule(nullptr, {});
    m_bomPanel->setSnapshot(m_snapshot);
    m_licensePanel->setSnapshot(m_snapshot);
    m_historyPanel->setSnapshot(m_snapshot);
    m_diffPanel->setSnapshot(m_snapshot);
    m_treeModel->setDesign(m_snapshot->design);
    m_treeView->expandToDepth(0);
    m_stack->setCurrentWidget(m_splitter);
    fillRevisionPicker();
    fillProblems();
    updateSummary();
    m_reloadAction->setEnabled(true);
    m_closeAction->setEnabled(true);

    const QString name = design.project.name.empty() ? qs(m_snapshot->repository.filename().string())
                                                      : qs(design.project.name);
    setWindowTitle(tr("%1 — %2 — Telar").arg(name, qs(design.treeName)));
    if (m_settings) {
        RecentRepositories(*m_settings).add(qs(m_snapshot->repository.string()));
        updateRecent();
    }
    statusBar()->showMessage(tr("Loaded %1").arg(qs(design.treeName)), 5000);

    if (m_hasInitialSelection) {
        m_hasInitialSelection = false;
        applySelection(m_initialModule, m_initialPart, m_initialView);
    } else if (sameRepository && !module.isEmpty() && selectModule(module)) {
        if (!part.isEmpty()) selectPart(part);
    } else {
        applySelection({}, {}, View::Tree);
    }
    emit designLoaded();
}

void MainWindow::fillRevisionPicker() {
    QSignalBlocker block(m_revisionCombo);
    m_revisionCombo->clear();
    if (!m_snapshot) {
        m_revisionCombo->setEnabled(false);
        return;
    }
    int current = -1;
    for (size_t i = 0; i < m_snapshot->revisions.size(); ++i) {
        const RevisionEntry& entry = m_snapshot->revisions[i];
        m_revisionCombo->addItem(entry.label, int(i));
        if (entry.rev == m_snapshot->rev) current = m_revisionCombo->count() - 1;
    }
    if (current < 0) { // a revision typed by the user (a commit id, HEAD~2, another branch)
        m_revisionCombo->addItem(qs(m_snapshot->rev), int(m_snapshot->revisions.size()));
        current = m_revisionCombo->count() - 1;
    }
    m_revisionCombo->addItem(tr("Other revision…"), kOtherRevision);
    m_revisionCombo->setCurrentIndex(current);
    m_revisionCombo->setEnabled(true);
}

void MainWindow::onRevisionActivated(int index) {
    if (!m_snapshot) return;
    const int data = m_revisionCombo->itemData(index).toInt();
    std::string rev;
    if (data == kOtherRevision) {
        bool ok = false;
        const QString typed = QInputDialog::getText(this, tr("Other revision"),
                                                    tr("Branch, tag or commit (e.g. HEAD~2, v1.0, 1a2b3c4):"),
                                                    QLineEdit::Normal, {}, &ok)
                                  .trimmed();
        if (!ok || typed.isEmpty()) {
            fillRevisionPicker();
            return;
        }
        rev = typed.toStdString();
    } else if (data >= 0 && size_t(data) < m_snapshot->revisions.size()) {
        rev = m_snapshot->revisions[size_t(data)].rev;
    } else {
        rev = m_snapshot->rev;
    }
    loadRevision(rev);
}

void MainWindow::fillProblems() {
    m_problems->clear();
    const auto& diags = m_snapshot->design->diagnostics;
    for (const auto& d : diags) {
        QString where = qs(d.file);
        if (d.line > 0) where += QStringLiteral(":%1").arg(d.line);
        if (!d.field.empty()) where += QStringLiteral(" %1").arg(qs(d.field));
        auto* item = new QTreeWidgetItem(m_problems, {d.severity == core::Severity::Error ? tr("error") : tr("warning"),
                                                      where, qs(d.message), qs(d.hint)});
        item->setToolTip(2, qs(d.str()));
        item->setForeground(0, d.severity == core::Severity::Error ? QColor(180, 30, 30) : QColor(160, 110, 0));
    }
    const int index = m_tabs->indexOf(m_problems);
    m_tabs->setTabText(index, diags.empty() ? tr("Problems") : tr("Problems (%1)").arg(diags.size()));
    for (int c = 0; c < 2; ++c) m_problems->resizeColumnToContents(c);
}

void MainWindow::updateSummary() {
    if (!m_snapshot) {
        m_summary->clear();
        return;
    }
    const core::Design& d = *m_snapshot->design;
    size_t parts = 0;
    for (const auto& [id, m] : d.modules) parts += m.parts.size();
    size_t errors = 0;
    for (const auto& diag : d.diagnostics) errors += diag.severity == core::Severity::Error;
    m_summary->setText(tr("%1 · %2 modules · %3 parts · %4 errors, %5 warnings")
                           .arg(qs(d.treeName))
                           .arg(d.modules.size())
                           .arg(parts)
                           .arg(errors)
                           .arg(d.diagnostics.size() - errors));
}

void MainWindow::dropGeometryJob() {
    ++m_geometryGeneration;
    m_geometryPending = false;
    if (m_geometryProgress) m_geometryProgress->cancel();
}

void MainWindow::closeRepository() {
    cancelJobs();
    ++m_designGeneration;
    m_designPending = false;
    dropGeometryJob();
    m_snapshot.reset();
    m_geometryCache.clear();
    m_contributorsQuery.clear();
    ++m_contributorsGeneration;
    m_shownGeometry.clear();
    m_partModel->setModule(nullptr, {});
    m_treeModel->setDesign(nullptr);
    m_bomPanel->setSnapshot(nullptr);
    m_licensePanel->setSnapshot(nullptr);
    m_historyPanel->setSnapshot(nullptr);
    m_diffPanel->setSnapshot(nullptr);
    m_properties->showNothing();
    if (m_meshView) m_meshView->clear();
    fillRevisionPicker();
    m_summary->clear();
    m_reloadAction->setEnabled(false);
    m_closeAction->setEnabled(false);
    setWindowTitle(tr("Telar"));
    m_stack->setCurrentWidget(m_startPage);
}

FabProfileEditor* MainWindow::openFabProfileEditor() {
    if (!m_fabEditor) {
        m_fabEditor = new FabProfileEditor(this);
        m_fabEditor->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_fabEditor, &FabProfileEditor::saved, this, [this](const QString& file) {
            QString error;
            if (!m_bomPanel->setFabProfileFile(file, &error)) showError(tr("Cannot use the fab profile"), error);
            else m_licensePanel->setFabProfileFile(file);
        });
        QString error;
        const QString file = m_bomPanel->fabProfileFile();
        if (!file.isEmpty() && !m_fabEditor->openFile(file, &error))
            showError(tr("Cannot open the fab profile"), error);
    }
    m_fabEditor->show();
    m_fabEditor->raise();
    m_fabEditor->activateWindow();
    return m_fabEditor;
}

void MainWindow::showError(const QString& title, const QString& message) {
    std::cerr << "telar-desktop: " << title.toStdString() << ": " << message.toStdString() << "\n";
    statusBar()->showMessage(title + QStringLiteral(": ") + message);
    if (m_errorDialogs) QMessageBox::warning(this, title, message);
}

// ---- selection -----------------------------------------------------------------------------

bool MainWindow::selectModule(const QString& id) {
    const QModelIndex index = m_treeModel->findModule(id);
    if (!index.isValid()) return false;
    m_treeView->scrollTo(index);
    m_treeView->setCurrentIndex(index);
    return true;
}

bool MainWindow::selectPart(const QString& key) {
    int row = m_partModel->rowOfPart(key);
    for (int r = 0; row < 0 && r < m_partModel->rowCount(); ++r) {
        const QModelIndex i = m_partModel->index(r, PartTableModel::FileColumn);
        if (i.data().toString() == key || i.data(PartTableModel::FilePathRole).toString() == key) row = r;
    }
    if (row < 0) return false;
    const QModelIndex proxyIndex = m_partProxy->mapFromSource(m_partModel->index(row, 0));
    if (!proxyIndex.isValid()) return false; // filtered out
    m_partView->setCurrentIndex(proxyIndex);
    m_partView->scrollTo(proxyIndex);
    return true;
}

int MainWindow::selectedPartRow() const {
    const QModelIndex current = m_partView->currentIndex();
    if (!current.isValid()) return -1;
    return m_partProxy->mapToSource(current).row();
}

void MainWindow::applySelection(const QString& module, const QString& part, View view) {
    if (!m_snapshot) return;
    bool selected = false;
    if (!module.isEmpty()) {
        selected = selectModule(module);
        if (!selected) showError(tr("No such module"), tr("module '%1' is not in this design").arg(module));
    }
    if (!selected && m_treeModel->rowCount() > 0) m_treeView->setCurrentIndex(m_treeModel->index(0, 0));

    if (!part.isEmpty()) {
        if (!selectPart(part))
            showError(tr("No such part"), tr("module '%1' has no part or file '%2'").arg(m_partModel->moduleId(), part));
    } else if (view == View::ThreeD) {
        // The module's assembly, else the first row with a CAD file here, else the same in the
        // modules below (depth first).
        std::vector<QModelIndex> stack{m_treeView->currentIndex()};
        while (!stack.empty()) {
            const QModelIndex index = stack.back();
            stack.pop_back();
            if (!index.isValid()) continue;
            if (m_treeView->currentIndex() != index) m_treeView->setCurrentIndex(index);
            const auto* manifest = m_snapshot->design->module(m_partModel->moduleId().toStdString());
            if (manifest && !manifest->assemblies.empty()) break; // shown by showModuleGeometry()
            if (const int row = m_partModel->firstRowWithFile(); row >= 0) {
                m_partView->setCurrentIndex(m_partProxy->mapFromSource(m_partModel->index(row, 0)));
                break;
            }
            for (int r = m_treeModel->rowCount(index) - 1; r >= 0; --r) stack.push_back(m_treeModel->index(r, 0, index));
        }
    } else if (view == View::Parts && m_partProxy->rowCount() > 0) {
        m_partView->setCurrentIndex(m_partProxy->index(0, 0));
    }
    showView(view);
}

void MainWindow::showView(View view) {
    if (!m_snapshot) return;
    m_stack->setCurrentWidget(m_splitter);
    switch (view) {
    case View::Tree:
        m_treeView->expandAll();
        m_treeView->setFocus();
        break;
    case View::Parts:
        m_tabs->setCurrentWidget(m_partsPage);
        m_partView->setFocus();
        break;
    case View::Bom:
        m_tabs->setCurrentWidget(m_bomPanel);
        m_bomPanel->view()->setFocus();
        break;
    case View::Licences:
        m_tabs->setCurrentWidget(m_licensePanel);
        m_licensePanel->setFocus();
        break;
    case View::ThreeD:
        m_tabs->setCurrentWidget(m_viewPage);
        m_viewPage->setFocus();
        break;
    case View::History:
        m_tabs->setCurrentWidget(m_historyPanel);
        m_historyPanel->view()->setFocus();
        break;
    case View::Diff:
        m_tabs->setCurrentWidget(m_diffPanel);
        m_diffPanel->bomView()->setFocus();
        break;
    }
}

QRect MainWindow::meshViewRect() const {
    if (!m_meshView || !m_meshView->isVisible()) return {};
    return QRect(m_meshView->mapTo(this, QPoint(0, 0)), m_meshView->size());
}

void MainWindow::onModuleChanged(const QModelIndex& current) {
    const QString id = current.data(ModuleTreeModel::ModuleIdRole).toString();
    m_partModel->setModule(m_snapshot ? m_snapshot->design : nullptr, id);
    m_bomPanel->setModule(id);
    m_historyPanel->setSelection(id);
    if (m_partModel->rowCount() <= 500) m_partView->resizeColumnsToContents();
    dropGeometryJob(); // a geometry result for the previous selection is no longer wanted
    m_shownGeometry.clear();
    if (!m_snapshot || id.isEmpty()) {
        m_properties->showNothing();
        return;
    }
    m_properties->showModule(m_snapshot->design, id);
    startContributorsJob(id);
    showModuleGeometry();
}

void MainWindow::startContributorsJob(const QString& module, const QString& partId, const QString& file) {
    const QString query = provenanceQuery(module, partId, file);
    if (!m_snapshot || query.isEmpty()) return;
    const int generation = ++m_contributorsGeneration;
    m_contributorsQuery = query;
    if (m_contributorsProgress) m_contributorsProgress->cancel();
    m_contributorsProgress.reset();
    // One history per item and snapshot, shared with the History tab: taken from it when it has
    // it or is computing it, else computed here and handed to it.
    if (auto cached = m_historyPanel->cachedHistory(query)) {
        m_properties->showContributors(cached->provenance);
        return;
    }
    if (m_historyPanel->computing(query)) return; // historyReady brings it
    auto progress = std::make_shared<JobProgress>();
    m_contributorsProgress = progress;
    const std::filesystem::path repository = m_snapshot->repository;
    const std::string rev = m_snapshot->rev;
    auto tree = m_snapshot->tree;
    const std::string q = query.toStdString();
    const auto startedFor = m_snapshot;
    auto* watcher = new QFutureWatcher<JobResult<HistorySnapshot>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, startedFor] {
        watcher->deleteLater();
        const JobResult<HistorySnapshot> result = watcher->result();
        // Failures and cancels are the History tab's to explain; the properties stay as they are.
        if (!result.value || m_snapshot != startedFor) return;
        m_historyPanel->remember(result.value);
        if (generation == m_contributorsGeneration) m_properties->showContributors(result.value->provenance);
    });
    watcher->setFuture(QtConcurrent::run([repository, rev, tree, q, progress] {
        return runJob<HistorySnapshot>([&] { return computeHistory(repository, rev, tree, q, progress->progress()); });
    }));
}

void MainWindow::onPartChanged(const QModelIndex& current) {
    if (!m_snapshot) return;
    const QModelIndex source = m_partProxy->mapToSource(current);
    if (!source.isValid()) {
        m_properties->showModule(m_snapshot->design, m_partModel->moduleId());
        m_historyPanel->setSelection(m_partModel->moduleId());
        startContributorsJob(m_partModel->moduleId());
        return;
    }
    m_properties->showPart(m_snapshot->design, m_partModel->moduleId(), source.row());
    m_historyPanel->setSelection(m_partModel->moduleId(), source.data(PartTableModel::PartIdRole).toString(),
                                 source.data(PartTableModel::FilePathRole).toString());
    startContributorsJob(m_partModel->moduleId(), source.data(PartTableModel::PartIdRole).toString(),
                         source.data(PartTableModel::FilePathRole).toString());
    const QString file = source.data(PartTableModel::FilePathRole).toString();
    if (file.isEmpty()) {
        dropGeometryJob();
        m_shownGeometry.clear();
        if (m_meshView) m_meshView->clear(tr("%1 has no CAD file").arg(source.siblingAtColumn(PartTableModel::NameColumn).data().toString()));
        return;
    }
    startGeometryJob(file.toStdString());
}

void MainWindow::startGeometryJob(const std::string& filePath) {
    dropGeometryJob();
    const int generation = m_geometryGeneration;
    if (auto cached = m_geometryCache.value(qs(filePath))) {
        m_properties->showGeometry(*cached);
        showMesh(cached);
        emit geometryFinished();
        return;
    }
    m_properties->showGeometryStatus(tr("Reading %1…").arg(qs(filePath)));
    if (m_meshView) {
        m_meshView->clear(tr("Loading %1…").arg(qs(filePath)));
    }
    auto progress = std::make_shared<JobProgress>();
    m_geometryProgress = progress;
    std::shared_ptr<const core::Tree> tree = m_snapshot->tree;
    // The previous job (if any) was cancelled above; wait for it so one watcher serves one job.
    m_geometryWatcher->disconnect(this);
    connect(m_geometryWatcher, &QFutureWatcherBase::finished, this,
            [this, generation] { onGeometryJobFinished(generation); });
    m_geometryPending = true;
    m_geometryWatcher->setFuture(QtConcurrent::run([tree, filePath, progress] {
        return runJob<GeometrySnapshot>([&] { return loadGeometry(tree, filePath, progress->progress()); });
    }));
    m_progressTimer->start();
}

void MainWindow::onGeometryJobFinished(int generation) {
    if (generation != m_geometryGeneration) return;
    m_geometryPending = false;
    pollProgress();
    const JobResult<GeometrySnapshot> result = m_geometryWatcher->result();
    if (result.cancelled) {
        m_properties->showGeometryStatus(tr("Cancelled"));
        if (m_meshView) m_meshView->clear(tr("Loading cancelled"));
        statusBar()->showMessage(tr("Geometry cancelled"), 5000);
    } else if (!result.value) {
        m_lastError = result.error;
        m_properties->showGeometryStatus(result.error);
        if (m_meshView) m_meshView->clear(result.error);
        showError(tr("Cannot read the CAD file"), result.error);
    } else {
        m_lastError.clear();
        m_geometryCache.insert(qs(result.value->filePath), result.value);
        m_properties->showGeometry(*result.value);
        showMesh(result.value);
        statusBar()->showMessage(tr("%1: %2 triangles")
                                     .arg(qs(result.value->filePath))
                                     .arg(result.value->mesh.triangleCount()),
                                 5000);
    }
    emit geometryFinished();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_settings) {
        m_settings->setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
        m_settings->setValue(QStringLiteral("mainWindow/state"), saveState());
        m_settings->setValue(QStringLiteral("mainWindow/splitter"), m_splitter->saveState());
    }
    QMainWindow::closeEvent(event);
}

// ---- 3D picking and selection sync -----------------------------------------------------------

void MainWindow::ensureMeshView() {
    if (m_meshView || m_viewPage->layout()->count() > 0) return;
    if (!openGlAvailable()) {
        auto* notice = new QLabel(tr("The 3D view needs OpenGL, which this display does not provide."));
        notice->setAlignment(Qt::AlignCenter);
        notice->setWordWrap(true);
        m_viewPage->layout()->addWidget(notice);
        return;
    }
    m_meshView = new MeshView;
    m_viewPage->layout()->addWidget(m_meshView);
    m_viewPage->setFocusProxy(m_meshView);
    connect(m_meshView, &MeshView::instanceClicked, this, [this](int instance) { pickInstance(instance); });
    if (const GeometrySnapshot* geometry = shownGeometry()) {
        m_meshView->setMesh(std::shared_ptr<const cad::Mesh>(m_geometryCache.value(qs(m_shownGeometry)), &geometry->mesh));
        m_meshView->setHighlight(m_highlight);
    } else {
        m_meshView->clear(m_geometryPending ? tr("Loading…") : tr("Select a part with a CAD file to see it here"));
    }
}

const GeometrySnapshot* MainWindow::shownGeometry() const {
    if (m_shownGeometry.empty()) return nullptr;
    return m_geometryCache.value(qs(m_shownGeometry)).get();
}

void MainWindow::showMesh(const std::shared_ptr<const GeometrySnapshot>& geometry) {
    // Selecting the row of the file already shown (as a pick does) keeps the view and highlight.
    if (m_shownGeometry == geometry->filePath && m_meshView && m_meshView->hasMesh()) return;
    if (m_shownGeometry == geometry->filePath && !m_meshView) return;
    m_shownGeometry = geometry->filePath;
    setHighlight({});
    if (m_meshView) m_meshView->setMesh(std::shared_ptr<const cad::Mesh>(geometry, &geometry->mesh));
}

void MainWindow::showModuleGeometry() {
    if (!m_snapshot || selectedPartRow() >= 0 || !m_shownGeometry.empty() || m_geometryPending) return;
    const QString id = m_partModel->moduleId();
    const core::ModuleManifest* module = m_snapshot->design->module(id.toStdString());
    if (!module) return;
    const core::Assembly* assembly = nullptr;
    for (const auto& a : module->assemblies)
        if (!a.filePath.empty()) {
            assembly = &a;
            break;
        }
    const QString name = module->name.empty() ? id : qs(module->name);
    if (!assembly) {
        setHighlight({});
        if (m_meshView)
            m_meshView->clear(tr("%1 has no [[assembly]] file to show as a whole: select one of its parts "
                                 "to see it here").arg(name));
        return;
    }
    if (m_tabs->currentWidget() != m_viewPage) { // read when the 3D view is shown
        if (m_meshView) m_meshView->clear();
        return;
    }
    if (module->assemblies.size() > 1)
        statusBar()->showMessage(tr("%1 has %2 assembly files; showing %3 (select the others in the parts table)")
                                     .arg(name)
                                     .arg(module->assemblies.size())
                                     .arg(qs(assembly->filePath)),
                                 10000);
    startGeometryJob(assembly->filePath);
}

void MainWindow::setHighlight(std::vector<int> instances) {
    m_highlight = std::move(instances);
    if (m_highlight.empty()) {
        m_pickedModule.clear();
        m_pickedPartId.clear();
        m_pickedAssemblyPart = -1;
    }
    if (m_meshView) m_meshView->setHighlight(m_highlight);
}

bool MainWindow::pickInstance(int instance) {
    const GeometrySnapshot* geometry = shownGeometry();
    if (!geometry || !m_snapshot) return false;
    if (instance < 0) {
        setHighlight({});
        emit instancePicked(-1);
        return true;
    }
    if (size_t(instance) >= geometry->mesh.groups.size()) return false;
    const QString moduleId = m_partModel->moduleId();
    const core::ModuleManifest* module = m_snapshot->design->module(moduleId.toStdString());
    if (!module) return false;
    const cad::MeshGroup& group = geometry->mesh.groups[size_t(instance)];
    setHighlight({instance});

    // The row of the parts table: the selected row when it shows this file, else the first part
    // with this file, else the assembly row of this file.
    const QString file = qs(geometry->filePath);
    QString partId;
    bool isAssembly = false;
    for (const auto& a : module->assemblies) isAssembly = isAssembly || a.filePath == geometry->filePath;
    const int current = selectedPartRow();
    if (!isAssembly && current >= 0 &&
        m_partModel->index(current, 0).data(PartTableModel::FilePathRole).toString() == file) {
        partId = m_partModel->index(current, 0).data(PartTableModel::PartIdRole).toString();
    } else if (!isAssembly) {
        for (const auto& p : module->parts)
            if (p.filePath == geometry->filePath) {
                partId = qs(p.id);
                break;
            }
    }
    // Selecting the row reads the same file again from the cache; showMesh() keeps the view.
    selectPart(partId.isEmpty() ? file : partId);
    m_pickedModule = moduleId;
    m_pickedPartId = partId;
    m_pickedAssemblyPart = isAssembly ? group.part : -1;
    selectPickedBomLine();

    QString what = qs(group.name);
    if (group.part >= 0 && size_t(group.part) < geometry->analysis.parts.size()) {
        const cad::PartInfo& p = geometry->analysis.parts[size_t(group.part)];
        what += tr(" — %1, %2 in this file").arg(qs(p.name)).arg(p.quantity);
    }
    statusBar()->showMessage(tr("Picked %1").arg(what), 10000);
    emit instancePicked(instance);
    return true;
}

namespace {

// The first part row of module/partId in a BOM tree model (or its proxy), depth first.
QModelIndex findTreeLine(const QAbstractItemModel* model, const QModelIndex& parent, const QString& module,
                         const QString& partId) {
    for (int r = 0; r < model->rowCount(parent); ++r) {
        const QModelIndex index = model->index(r, 0, parent);
        if (!index.data(BomTreeModel::IsModuleRole).toBool() &&
            index.data(BomTreeModel::ModuleIdRole).toString() == module &&
            index.data(BomTreeModel::PartIdRole).toString() == partId)
            return index;
        if (QModelIndex found = findTreeLine(model, index, module, partId); found.isValid()) return found;
    }
    return {};
}

} // namespace

bool MainWindow::selectBomLine(const QString& module, const QString& partId) {
    const bool syncing = m_syncingSelection;
    m_syncingSelection = true;
    QTreeView* tree = m_bomPanel->treeView();
    if (const QModelIndex index = findTreeLine(tree->model(), {}, module, partId); index.isValid()) {
        tree->setCurrentIndex(index);
        tree->scrollTo(index);
    }
    bool found = false;
    QSortFilterProxyModel* proxy = m_bomPanel->proxy();
    for (int r = 0; r < proxy->rowCount() && !found; ++r) {
        const QModelIndex index = proxy->index(r, 0);
        if (index.data(BomTableModel::ModuleIdRole).toString() != module ||
            index.data(BomTableModel::PartIdRole).toString() != partId)
            continue;
        m_bomPanel->view()->setCurrentIndex(index);
        m_bomPanel->view()->scrollTo(index);
        found = true;
    }
    m_syncingSelection = syncing;
    return found;
}

void MainWindow::selectPickedBomLine() {
    if (m_pickedModule.isEmpty()) return;
    if (!m_pickedPartId.isEmpty()) {
        selectBomLine(m_pickedModule, m_pickedPartId);
        return;
    }
    const GeometrySnapshot* geometry = shownGeometry();
    const auto& bom = m_bomPanel->model()->bom();
    if (!geometry || !bom || m_pickedAssemblyPart < 0) return;
    const auto line = bomLineOfAssemblyPart(*bom, m_pickedModule.toStdString(), geometry->filePath,
                                            geometry->analysis, m_pickedAssemblyPart);
    if (line) selectBomLine(m_pickedModule, qs(bom->lines[*line].partId));
}

void MainWindow::onBomLineChosen(const QString& moduleId, const QString& partIdText) {
    if (m_syncingSelection || !m_snapshot) return;
    const GeometrySnapshot* geometry = shownGeometry();
    const auto& bom = m_bomPanel->model()->bom();
    if (!geometry || !bom) return;
    const std::string module = moduleId.toStdString();
    const std::string partId = partIdText.toStdString();
    std::optional<size_t> lineIndex;
    for (size_t i = 0; i < bom->lines.size() && !lineIndex; ++i)
        if (bom->lines[i].module == module && bom->lines[i].partId == partId) lineIndex = i;
    // Only lines drawn in the view are highlighted: the shown file, in the module shown.
    if (!lineIndex || bom->lines[*lineIndex].file != geometry->filePath || qs(module) != m_partModel->moduleId()) {
        setHighlight({});
        return;
    }
    std::vector<int> instances;
    const core::BomLine& line = bom->lines[*lineIndex];
    if (!line.assembly.empty()) {
        if (const auto part = assemblyPartOfBomLine(*bom, *lineIndex, geometry->analysis))
            instances = instancesOfPart(geometry->mesh, *part);
    } else {
        for (size_t g = 0; g < geometry->mesh.groups.size(); ++g) instances.push_back(int(g));
    }
    setHighlight(instances);
    m_pickedModule = qs(module);
    m_pickedPartId = line.assembly.empty() ? qs(partId) : QString();
    m_pickedAssemblyPart = line.assembly.empty() || instances.empty() ? -1 : geometry->mesh.groups[size_t(instances.front())].part;
}

} // namespace telar::desktop

#include "bom_panel.h"

#include "bom_table_model.h"
#include "bom_tree_model.h"
#include "fab_profile_picker.h"

#include <QButtonGroup>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace telar::desktop {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QSortFilterProxyModel* makeProxy(QAbstractItemModel* source, int sortRole, QObject* parent) {
    auto* proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(source);
    proxy->setSortRole(sortRole);
    proxy->setFilterKeyColumn(-1);
    proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy->setRecursiveFilteringEnabled(true); // tree: a module row stays when one of its parts matches
    return proxy;
}

// The cache and shown key of the products' BOM (module ids cannot hold '*').
const QString kProducts = QStringLiteral("*products*");

// The formats of the export dialog, in the order of its filters.
struct ExportFilter {
    BomExportFormat format;
    const char* filter;
};
const ExportFilter kExportFilters[] = {
    {BomExportFormat::Csv, QT_TRANSLATE_NOOP("telar::desktop::BomPanel", "CSV (*.csv)")},
    {BomExportFormat::Xlsx, QT_TRANSLATE_NOOP("telar::desktop::BomPanel", "Excel workbook (*.xlsx)")},
    {BomExportFormat::Json, QT_TRANSLATE_NOOP("telar::desktop::BomPanel", "JSON (*.json)")},
    {BomExportFormat::Html, QT_TRANSLATE_NOOP("telar::desktop::BomPanel", "HTML page (*.html)")},
    {BomExportFormat::CycloneDx, QT_TRANSLATE_NOOP("telar::desktop::BomPanel", "CycloneDX BOM (*.cdx.json)")},
};
} // namespace

BomPanel::BomPanel(QWidget* parent) : QWidget(parent) {
    m_title = new QLabel;
    m_title->setWordWrap(true);

    m_productsButton = new QToolButton;
    m_productsButton->setText(tr("Products"));
    m_productsButton->setToolTip(
        tr("The bill of materials of all the project's products at once, whatever module is selected"));
    m_productsButton->setCheckable(true);
    connect(m_productsButton, &QToolButton::toggled, this, [this](bool on) { setWholeProducts(on); });

    m_flatButton = new QToolButton;
    m_flatButton->setText(tr("Flat"));
    m_flatButton->setToolTip(tr("One line per unique part with its quantity per product"));
    m_flatButton->setCheckable(true);
    m_flatButton->setChecked(true);
    m_treeButton = new QToolButton;
    m_treeButton->setText(tr("Tree"));
    m_treeButton->setToolTip(tr("Modules with their parts and sub-modules, quantities per parent"));
    m_treeButton->setCheckable(true);
    auto* viewGroup = new QButtonGroup(this);
    viewGroup->setExclusive(true);
    viewGroup->addButton(m_flatButton);
    viewGroup->addButton(m_treeButton);
    connect(m_flatButton, &QToolButton::clicked, this, [this] { setView(core::BomView::Flat); });
    connect(m_treeButton, &QToolButton::clicked, this, [this] { setView(core::BomView::Tree); });

    m_fabPicker = new FabProfilePicker;
    connect(m_fabPicker, &FabProfilePicker::profileChosen, this, [this] {
        onFabChanged();
        emit fabProfileChosen(m_fabPicker->currentFile());
    });
    connect(m_fabPicker, &FabProfilePicker::loadFailed, this, [this](const QString& message) {
        m_status->setText(tr("Fab profile not used: %1").arg(message));
    });

    m_filter = new QLineEdit;
    m_filter->setPlaceholderText(tr("Filter BOM lines"));
    m_filter->setClearButtonEnabled(true);

    m_exportButton = new QToolButton;
    m_exportButton->setText(tr("Export…"));
    m_exportButton->setToolTip(tr("Write this bill of materials as CSV, XLSX, JSON or HTML"));
    m_exportButton->setEnabled(false);
    connect(m_exportButton, &QToolButton::clicked, this, &BomPanel::chooseExportFile);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_flatButton);
    bar->addWidget(m_treeButton);
    bar->addSpacing(8);
    bar->addWidget(new QLabel(tr("Fab:")));
    bar->addWidget(m_fabPicker);
    bar->addStretch(1);
    bar->addWidget(m_exportButton);

    m_model = new BomTableModel(this);
    m_proxy = makeProxy(m_model, BomTableModel::SortRole, this);
    m_treeModel = new BomTreeModel(this);
    m_treeProxy = makeProxy(m_treeModel, BomTreeModel::SortRole, this);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_filter, &QLineEdit::textChanged, m_treeProxy, &QSortFilterProxyModel::setFilterFixedString);

    m_view = new QTableView;
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    // The fab's decision next to the quantity (its reason stays last, with the details).
    m_view->horizontalHeader()->moveSection(BomTableModel::FabColumn, BomTableModel::QuantityColumn + 1);

    m_treeView = new QTreeView;
    m_treeView->setModel(m_treeProxy);
    m_treeView->setSortingEnabled(true);
    m_treeView->sortByColumn(-1, Qt::AscendingOrder);
    m_treeView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_treeView->setAlternatingRowColors(true);
    m_treeView->setUniformRowHeights(true);
    m_treeView->header()->setStretchLastSection(true);
    m_treeView->header()->moveSection(BomTreeModel::FabColumn, BomTreeModel::QuantityColumn + 1);

    m_views = new QStackedWidget;
    m_views->addWidget(m_view);
    m_views->addWidget(m_treeView);

    m_totalsModel = new BomTotalsModel(this);
    auto* totalsProxy = makeProxy(m_totalsModel, BomTotalsModel::SortRole, this);
    m_totalsView = new QTableView;
    m_totalsView->setModel(totalsProxy);
    m_totalsView->setSortingEnabled(true);
    m_totalsView->sortByColumn(-1, Qt::AscendingOrder);
    m_totalsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_totalsView->setAlternatingRowColors(true);
    m_totalsView->verticalHeader()->hide();
    m_totalsView->verticalHeader()->setDefaultSectionSize(m_totalsView->fontMetrics().height() + 8);
    m_totalsView->horizontalHeader()->setStretchLastSection(true);

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_views);
    split->addWidget(m_totalsView);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    m_totals = new QLabel;
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_totals->setWordWrap(true); // a long line must not widen the window
    m_status = new QLabel;
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addLayout(bar);
    auto* filterRow = new QHBoxLayout;
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(m_productsButton);
    layout->addLayout(filterRow);
    layout->addWidget(split, 1);
    layout->addWidget(m_totals);
    layout->addWidget(m_status);
    m_title->setText(tr("Select a module to see its bill of materials"));
    updateFabColumns();
}

BomPanel::~BomPanel() = default;

bool BomPanel::isBusy() const {
    return m_job.busy() || m_exportJob.busy();
}

void BomPanel::cancel() {
    m_job.cancel();
    m_exportJob.cancel();
}

std::shared_ptr<JobProgress> BomPanel::progress() const {
    return m_exportJob.busy() ? m_exportJob.progress() : m_job.progress();
}

QString BomPanel::totalsText() const {
    return m_totals->text();
}

QString BomPanel::titleText() const {
    return m_title->text();
}

QString BomPanel::statusText() const {
    return m_status->text();
}

void BomPanel::setErrorDialogsEnabled(bool enabled) {
    m_errorDialogs = enabled;
    m_fabPicker->setErrorDialogsEnabled(enabled);
}

void BomPanel::setSnapshot(std::shared_ptr<const DesignSnapshot> snapshot) {
    m_job.stop();
    m_running.clear();
    m_snapshot = std::move(snapshot);
    m_cache.clear();
    m_module.clear();
    clearShown(tr("Select a module to see its bill of materials"));
}

void BomPanel::setModule(const QString& moduleId) {
    m_module = moduleId;
    ensureComputed();
}

void BomPanel::setWholeProducts(bool whole) {
    if (whole == m_wholeProducts) return;
    m_wholeProducts = whole;
    QSignalBlocker block(m_productsButton);
    m_productsButton->setChecked(whole);
    ensureComputed();
}

QString BomPanel::shownKey() const {
    return m_wholeProducts ? kProducts : m_module;
}

void BomPanel::setActive(bool active) {
    m_active = active;
    ensureComputed();
}

QString BomPanel::fabProfileFile() const {
    return m_fabPicker->currentFile();
}

bool BomPanel::setFabProfileFile(const QString& file, QString* error) {
    if (!m_fabPicker->selectFile(file, error)) return false;
    onFabChanged();
    return true;
}

void BomPanel::onFabChanged() {
    m_fab = m_fabPicker->currentProfile();
    m_status->clear();
    // BOMs priced for another fab are of no use any more.
    m_job.stop();
    m_running.clear();
    m_cache.clear();
    clearShown(m_module.isEmpty()
                   ? tr("Select a module to see its bill of materials")
                   : tr("The bill of materials of %1 is computed when this tab is shown").arg(m_module));
    ensureComputed();
}

void BomPanel::setView(core::BomView view) {
    m_viewMode = view;
    m_flatButton->setChecked(view == core::BomView::Flat);
    m_treeButton->setChecked(view == core::BomView::Tree);
    m_views->setCurrentWidget(view == core::BomView::Flat ? static_cast<QWidget*>(m_view) : m_treeView);
}

void BomPanel::clearShown(const QString& title) {
    m_shown.clear();
    m_shownBom.reset();
    m_model->setBom(nullptr);
    m_treeModel->setBom(nullptr);
    m_totalsModel->setBom(nullptr);
    m_totals->clear();
    m_exportButton->setEnabled(false);
    m_title->setText(title);
}

void BomPanel::ensureComputed() {
    const QString key = shownKey();
    if (!m_active || !m_snapshot || key.isEmpty() || key == m_shown) return;
    if (auto cached = m_cache.value(key)) {
        show(cached);
        emit jobFinished({});
        return;
    }
    if (m_job.busy() && m_running == key) return;
    m_running = key;
    const QString what = key == kProducts ? tr("the products") : key;
    clearShown(m_fab ? tr("Computing the bill of materials of %1 for %2…").arg(what, qs(m_fab->name))
                     : tr("Computing the bill of materials of %1…").arg(what));
    auto design = m_snapshot->design;
    auto tree = m_snapshot->tree;
    auto fab = m_fab;
    const std::string module = key == kProducts ? std::string() : key.toStdString();
    m_job.start([design, tree, module, fab](const Progress& progress) {
        return computeFabBom(design, tree, module, fab, progress);
    }, [this](const JobResult<BomSnapshot>& result) { onFinished(result); });
    emit jobStarted();
}

void BomPanel::onFinished(const JobResult<BomSnapshot>& result) {
    const QString key = m_running;
    m_running.clear();
    if (result.cancelled) {
        m_title->setText(tr("Computing the bill of materials was cancelled"));
        emit jobFinished(tr("cancelled"));
        return;
    }
    if (!result.value) {
        m_title->setText(tr("No bill of materials: %1").arg(result.error));
        emit jobFinished(result.error);
        return;
    }
    m_cache.insert(key, result.value);
    show(result.value);
    emit jobFinished({});
    ensureComputed(); // the selection may have moved on meanwhile
}

void BomPanel::updateFabColumns() {
    const bool noFab = !m_shownBom || m_shownBom->bom.fabName.empty();
    m_view->setColumnHidden(BomTableModel::FabColumn, noFab);
    m_view->setColumnHidden(BomTableModel::FabReasonColumn, noFab);
    m_treeView->setColumnHidden(BomTreeModel::FabColumn, noFab);
    m_treeView->setColumnHidden(BomTreeModel::FabReasonColumn, noFab);
}

void BomPanel::show(const std::shared_ptr<const BomSnapshot>& snap) {
    m_shown = snap->module.empty() ? kProducts : qs(snap->module);
    m_shownBom = snap;
    const std::shared_ptr<const core::Bom> bom(snap, &snap->bom);
    m_model->setBom(bom);
    m_treeModel->setBom(bom);
    m_totalsModel->setBom(bom);
    updateFabColumns();
    if (m_model->rowCount() <= 500) {
        m_view->resizeColumnsToContents();
        m_treeView->expandAll();
        for (int c = 0; c < BomTreeModel::ColumnCount; ++c)
            m_treeView->resizeColumnToContents(c);
    } else {
        m_treeView->expandToDepth(0);
    }
    m_totalsView->resizeColumnsToContents();
    QString title = tr("Bill of materials of %1 at %2")
                        .arg(m_shown == kProducts ? tr("the products") : m_shown, qs(snap->bom.treeName));
    if (!snap->bom.fabName.empty())
        title += tr(", for %1 (%2)").arg(qs(snap->bom.fabName), qs(snap->bom.currency));
    if (!snap->note.empty()) title += QStringLiteral(" — ") + qs(snap->note);
    for (const auto& p : snap->bom.problems)
        title += QStringLiteral("\n") + tr("problem: %1").arg(qs(p));
    m_title->setText(title);
    m_totals->setText(m_model->totalsText());
    m_exportButton->setEnabled(true);
}

// ---- export --------------------------------------------------------------------------------

void BomPanel::chooseExportFile() {
    if (!m_shownBom) return;
    QStringList filters;
    for (const auto& f : kExportFilters)
        filters << tr(f.filter);
    QString selected = filters.first();
    QString base = m_shown == kProducts ? QStringLiteral("products") : m_shown;
    base.replace(QLatin1Char('/'), QLatin1Char('-'));
    const QString suggested =
        QDir(m_exportFile.isEmpty() ? QDir::homePath() : QFileInfo(m_exportFile).absolutePath())
            .filePath(base + QStringLiteral("-bom.csv"));
    QString file = QFileDialog::getSaveFileName(this, tr("Export the bill of materials"), suggested,
                                                filters.join(QStringLiteral(";;")), &selected);
    if (file.isEmpty()) return;
    // The file's extension decides; without a known one, the chosen filter does (and names it).
    std::optional<BomExportFormat> format = formatOfFile(file);
    if (!format) {
        format = BomExportFormat::Csv;
        for (const auto& f : kExportFilters)
            if (tr(f.filter) == selected) format = f.format;
        file += QLatin1Char('.') + formatExtension(*format);
    }
    exportTo(file, *format);
}

bool BomPanel::exportTo(const QString& file, BomExportFormat format) {
    if (!m_shownBom || m_exportJob.busy() || !m_snapshot) return false;
    m_exportFile = file;
    auto snap = m_shownBom;
    auto tree = m_snapshot->tree;
    auto design = m_snapshot->design;
    const core::BomView view = m_viewMode;
    const std::filesystem::path path = file.toStdString();
    m_exportButton->setEnabled(false);
    m_status->setText(tr("Writing %1…").arg(file));
    m_exportJob.start([snap, tree, design, format, view, path](const Progress& progress) {
        return exportBom(snap->bom, format, view, tree, design, path, progress);
    }, [this](const JobResult<BomExport>& result) { onExportFinished(result); });
    emit jobStarted();
    return true;
}

void BomPanel::onExportFinished(const JobResult<BomExport>& result) {
    m_exportButton->setEnabled(m_shownBom != nullptr);
    QString error;
    if (result.cancelled) {
        error = tr("cancelled");
        m_status->setText(tr("Export to %1 cancelled").arg(m_exportFile));
    } else if (!result.value) {
        error = result.error;
        m_status->setText(tr("Export failed: %1").arg(error));
        if (m_errorDialogs) QMessageBox::warning(this, tr("Cannot export the bill of materials"), error);
    } else {
        m_status->setText(tr("Wrote %1 (%2, %3 bytes)")
                              .arg(m_exportFile, formatName(result.value->format).toUpper())
                              .arg(result.value->bytes));
    }
    emit exportFinished(m_exportFile, error);
}

} // namespace telar::desktop

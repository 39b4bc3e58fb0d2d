#include "diff_panel.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace telar::desktop {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// Item data of the pickers: the revision (Qt::UserRole) and what the entry is (KindRole).
constexpr int KindRole = Qt::UserRole + 1;
enum PickerKind { RevisionEntryKind, AutomaticKind, OtherKind };

QTableView* makeTable(QAbstractItemModel* model) {
    auto* view = new QTableView;
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

QLabel* boldLabel() {
    auto* label = new QLabel;
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    label->setWordWrap(true);
    return label;
}

QWidget* box(std::initializer_list<QWidget*> widgets, int stretchIndex) {
    auto* w = new QWidget;
    auto* layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    int i = 0;
    for (QWidget* child : widgets)
        layout->addWidget(child, i++ == stretchIndex ? 1 : 0);
    return w;
}

QLabel* thumbnailLabel() {
    auto* label = new QLabel;
    label->setAlignment(Qt::AlignCenter);
    // May shrink below the drawing (which then shows cropped): never widens the window.
    label->setMinimumSize(kThumbnailSize / 2, kThumbnailSize / 2);
    label->setFrameShape(QFrame::StyledPanel);
    label->setStyleSheet(QStringLiteral("background: white"));
    return label;
}

} // namespace

DiffPanel::DiffPanel(QWidget* parent) : QWidget(parent) {
    m_base = new QComboBox;
    m_base->setToolTip(tr("The revision compared from"));
    // The width there is, at least a few characters: the panel must not widen the window.
    m_base->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_base->setMinimumContentsLength(6);
    m_base->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_target = new QComboBox;
    m_target->setToolTip(tr("The revision compared to"));
    m_target->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_target->setMinimumContentsLength(6);
    m_target->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(m_base, &QComboBox::activated, this, [this](int i) { onPicked(m_base, i); });
    connect(m_target, &QComboBox::activated, this, [this](int i) { onPicked(m_target, i); });
    auto* pickers = new QHBoxLayout;
    pickers->addWidget(new QLabel(tr("Base:")));
    pickers->addWidget(m_base);
    pickers->addWidget(new QLabel(tr("Target:")));
    pickers->addWidget(m_target);

    m_title = new QLabel;
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_licenceTitle = boldLabel();
    m_licenceModel = new LicenceChangeModel(this);
    m_licenceView = makeTable(m_licenceModel);
    m_licenceView->hide();

    m_manifestTitle = boldLabel();
    m_manifestModel = new ManifestChangeModel(this);
    m_manifestView = makeTable(m_manifestModel);
    m_manifestView->hide();

    m_bomTitle = boldLabel();
    m_bomModel = new BomDiffModel(this);
    m_bomView = makeTable(m_bomModel);
    m_bomTotals = new QLabel;
    m_bomTotals->setWordWrap(true);
    m_bomTotals->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_geometryTitle = boldLabel();
    m_geometryModel = new GeometryDiffModel(this);
    m_geometryView = makeTable(m_geometryModel);

    m_thumbTitle = boldLabel();
    m_thumbBefore = thumbnailLabel();
    m_thumbAfter = thumbnailLabel();
    m_thumbBeforeCaption = new QLabel;
    m_thumbAfterCaption = new QLabel;
    for (QLabel* caption : {m_thumbBeforeCaption, m_thumbAfterCaption}) {
        caption->setWordWrap(true);
        caption->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
        caption->setMaximumWidth(2 * kThumbnailSize);
    }
    auto* thumbs = new QWidget;
    auto* thumbLayout = new QGridLayout(thumbs);
    thumbLayout->setContentsMargins(0, 0, 0, 0);
    thumbLayout->addWidget(m_thumbBefore, 0, 0);
    thumbLayout->addWidget(m_thumbAfter, 0, 1);
    thumbLayout->addWidget(m_thumbBeforeCaption, 1, 0);
    thumbLayout->addWidget(m_thumbAfterCaption, 1, 1);
    thumbLayout->setRowStretch(2, 1);
    QWidget* thumbBox = box({m_thumbTitle, thumbs}, 2);

    connect(m_bomView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid()) showThumbnails(current.data(BomDiffModel::KeyRole).toString());
            });
    connect(m_geometryView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid()) showThumbnails(current.data(GeometryDiffModel::KeyRole).toString());
            });

    auto* bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(box({m_geometryTitle, m_geometryView}, 1));
    bottom->addWidget(thumbBox);
    bottom->setStretchFactor(0, 1);
    bottom->setStretchFactor(1, 0);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(box({m_licenceTitle, m_licenceView}, 1));
    split->addWidget(box({m_manifestTitle, m_manifestView}, 1));
    split->addWidget(box({m_bomTitle, m_bomView, m_bomTotals}, 1));
    split->addWidget(bottom);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setStretchFactor(2, 2);
    split->setStretchFactor(3, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(pickers);
    layout->addWidget(m_title);
    layout->addWidget(split, 1);
    setSnapshot(nullptr);
}

DiffPanel::~DiffPanel() = default;

bool DiffPanel::isBusy() const {
    return m_job.busy();
}

void DiffPanel::cancel() {
    m_job.cancel();
}

QString DiffPanel::titleText() const {
    return m_title->text();
}

QString DiffPanel::manifestText() const {
    return m_manifestTitle->text();
}

QString DiffPanel::licenceText() const {
    return m_licenceTitle->text();
}

QString DiffPanel::requestKey() const {
    return (m_baseRev.isEmpty() ? QStringLiteral("\x01auto") : m_baseRev) + QLatin1Char('\n') + m_targetRev;
}

void DiffPanel::setSnapshot(std::shared_ptr<const DesignSnapshot> snapshot) {
    m_job.stop();
    m_running.clear();
    m_snapshot = std::move(snapshot);
    m_cache.clear();
    m_shown.clear();
    m_shownDiff.reset();
    m_baseRev.clear();
    m_targetRev = m_snapshot ? qs(m_snapshot->rev) : QString();
    m_licenceModel->setDiff(nullptr);
    m_manifestModel->setDiff(nullptr);
    m_bomModel->setDiff(nullptr);
    m_geometryModel->setDiff(nullptr);
    m_licenceTitle->clear();
    m_licenceView->hide();
    m_manifestTitle->clear();
    m_manifestView->hide();
    m_bomTitle->clear();
    m_bomTotals->clear();
    m_geometryTitle->clear();
    showThumbnails({});
    m_title->setText(m_snapshot ? tr("Show this tab to compare two revisions")
                                : tr("Open a design repository"));
    fillPickers();
    ensureComputed(); // the tab may be on screen already
}

void DiffPanel::fillPickers() {
    QSignalBlocker blockBase(m_base);
    QSignalBlocker blockTarget(m_target);
    m_base->clear();
    m_target->clear();
    m_base->setEnabled(bool(m_snapshot));
    m_target->setEnabled(bool(m_snapshot));
    if (!m_snapshot) return;
    auto addEntry = [](QComboBox* picker, const QString& label, const QString& rev) {
        picker->addItem(label, rev);
        picker->setItemData(picker->count() - 1, RevisionEntryKind, KindRole);
    };
    QString autoText = tr("Automatic (previous tag, else the commit before)");
    if (m_shownDiff && m_shownDiff->baseAutomatic && m_shown == requestKey())
        autoText = tr("Automatic: %1").arg(qs(m_shownDiff->base));
    m_base->addItem(autoText, QString());
    m_base->setItemData(0, AutomaticKind, KindRole);
    for (const RevisionEntry& e : m_snapshot->revisions) {
        if (e.kind != RevisionEntry::Kind::WorkingTree) addEntry(m_base, e.label, qs(e.rev));
        addEntry(m_target, e.label, qs(e.rev));
    }
    auto select = [&](QComboBox* picker, const QString& rev, bool automatic) {
        for (int i = 0; i < picker->count(); ++i) {
            const int kind = picker->itemData(i, KindRole).toInt();
            if ((automatic && kind == AutomaticKind) ||
                (!automatic && kind == RevisionEntryKind && picker->itemData(i).toString() == rev)) {
                picker->setCurrentIndex(i);
                return;
            }
        }
        addEntry(picker, rev.isEmpty() ? tr("Working tree") : rev, rev); // typed by the user
        picker->setCurrentIndex(picker->count() - 1);
    };
    select(m_base, m_baseRev, m_baseRev.isEmpty());
    select(m_target, m_targetRev, false);
    for (QComboBox* picker : {m_base, m_target}) {
        picker->addItem(tr("Other revision…"), QString());
        picker->setItemData(picker->count() - 1, OtherKind, KindRole);
    }
}

void DiffPanel::onPicked(QComboBox* picker, int index) {
    if (!m_snapshot) return;
    QString rev = picker->itemData(index).toString();
    if (picker->itemData(index, KindRole).toInt() == OtherKind) {
        bool ok = false;
        rev = QInputDialog::getText(this, tr("Other revision"),
                                    tr("Branch, tag or commit (e.g. HEAD~2, v1.0, 1a2b3c4):"),
                                    QLineEdit::Normal, {}, &ok)
                  .trimmed();
        if (!ok || rev.isEmpty()) {
            fillPickers();
            return;
        }
    }
    if (picker == m_base)
        compare(rev, m_targetRev);
    else
        compare(m_baseRev, rev);
}

void DiffPanel::compare(const QString& base, const QString& target) {
    m_baseRev = base;
    m_targetRev = target;
    fillPickers();
    ensureComputed();
}

void DiffPanel::setActive(bool active) {
    m_active = active;
    ensureComputed();
}

void DiffPanel::ensureComputed() {
    const QString key = requestKey();
    if (!m_active || !m_snapshot || key == m_shown) return;
    if (auto cached = m_cache.value(key)) {
        show(cached);
        emit jobFinished({});
        return;
    }
    if (isBusy() && m_running == key) return;
    m_running = key;
    const QString targetName = m_targetRev.isEmpty() ? tr("the working tree") : m_targetRev;
    m_title->setText(m_baseRev.isEmpty() ? tr("Comparing %1 with the revision before it…").arg(targetName)
                                         : tr("Comparing %1 with %2…").arg(m_baseRev, targetName));
    DiffRequest request;
    request.repository = m_snapshot->repository;
    request.base = m_baseRev.toStdString();
    request.target = m_targetRev.toStdString();
    request.shown = m_snapshot;
    m_job.start([request](const Progress& progress) { return computeDiff(request, progress); },
                [this](const JobResult<DiffSnapshot>& result) { onFinished(result); });
    emit jobStarted();
}

void DiffPanel::onFinished(const JobResult<DiffSnapshot>& result) {
    const QString key = m_running;
    m_running.clear();
    if (result.cancelled) {
        m_title->setText(tr("The comparison was cancelled"));
        emit jobFinished(tr("cancelled"));
        return;
    }
    if (!result.value) {
        m_title->setText(tr("No comparison: %1").arg(result.error));
        m_shown = key; // shown as failed: not retried until the pickers or the design change
        m_shownDiff.reset();
        m_licenceModel->setDiff(nullptr);
        m_manifestModel->setDiff(nullptr);
        m_manifestView->hide();
        m_bomModel->setDiff(nullptr);
        m_geometryModel->setDiff(nullptr);
        showThumbnails({});
        emit jobFinished(result.error);
        return;
    }
    m_cache.insert(key, result.value);
    if (key == requestKey()) show(result.value);
    emit jobFinished({});
    ensureComputed(); // the pickers may have moved on meanwhile
}

void DiffPanel::show(const std::shared_ptr<const DiffSnapshot>& diff) {
    m_shown = requestKey();
    m_shownDiff = diff;
    const core::DesignDiff& d = diff->design;
    QString title = tr("From %1 to %2").arg(qs(d.from), qs(d.to));
    if (d.empty() && diff->bom.empty()) title += tr(" — no differences");
    for (const auto& n : diff->notes)
        title += QStringLiteral("\n") + qs(n);
    m_title->setText(title);
    fillPickers(); // the automatic entry names the base it chose

    m_licenceModel->setDiff(diff);
    if (d.licences.empty()) {
        m_licenceTitle->setText(tr("Licences: unchanged"));
        m_licenceTitle->setStyleSheet({});
        m_licenceView->hide();
    } else {
        m_licenceTitle->setText(d.licences.size() == 1 ? tr("1 licence change")
                                                       : tr("%1 licence changes").arg(d.licences.size()));
        m_licenceTitle->setStyleSheet(QStringLiteral("color: #a01c1c"));
        m_licenceView->show();
        m_licenceView->resizeColumnsToContents();
    }

    m_manifestModel->setDiff(diff);
    const int fields = m_manifestModel->rowCount();
    m_manifestTitle->setText(fields == 0   ? tr("Manifests: unchanged")
                             : fields == 1 ? tr("Manifests: 1 change")
                                           : tr("Manifests: %1 changes").arg(fields));
    m_manifestView->setVisible(fields > 0);
    if (fields > 0) m_manifestView->resizeColumnsToContents();

    m_bomModel->setDiff(diff);
    const size_t lines = diff->bom.lines.size();
    m_bomTitle->setText(lines == 0   ? tr("Bill of materials of the products: unchanged")
                        : lines == 1 ? tr("Bill of materials of the products: 1 line differs")
                                     : tr("Bill of materials of the products: %1 lines differ").arg(lines));
    m_bomTotals->setText(m_bomModel->totalsText());
    if (m_bomModel->rowCount() <= 500) m_bomView->resizeColumnsToContents();

    m_geometryModel->setDiff(diff);
    m_geometryTitle->setText(d.geometry.empty() ? tr("Geometry: no CAD file changed")
                             : d.geometry.size() == 1
                                 ? tr("Geometry: 1 part's CAD file changed")
                                 : tr("Geometry: %1 parts' CAD files changed").arg(d.geometry.size()));
    m_geometryView->resizeColumnsToContents();

    // Draw the first changed line that has thumbnails.
    QString first;
    for (int r = 0; r < m_bomModel->rowCount() && first.isEmpty(); ++r) {
        const QString key = m_bomModel->index(r, 0).data(BomDiffModel::KeyRole).toString();
        if (diff->thumbnails.count(key.toStdString())) first = key;
    }
    showThumbnails(first);
}

void DiffPanel::showThumbnails(const QString& key) {
    m_thumbnailKey.clear();
    m_thumbBefore->clear();
    m_thumbAfter->clear();
    m_thumbBeforeCaption->clear();
    m_thumbAfterCaption->clear();
    if (!m_shownDiff) {
        m_thumbTitle->setText(tr("Changed part"));
        return;
    }
    const auto it = m_shownDiff->thumbnails.find(key.toStdString());
    if (it == m_shownDiff->thumbnails.end()) {
        m_thumbTitle->setText(key.isEmpty() ? tr("No changed part to draw")
                                            : tr("%1: no drawing (its CAD file did not change)").arg(key));
        return;
    }
    m_thumbnailKey = key;
    m_thumbTitle->setText(tr("%1: before and after").arg(key));
    const PartThumbnails& t = it->second;
    if (t.before.isNull())
        m_thumbBefore->setText(tr("(absent)"));
    else
        m_thumbBefore->setPixmap(QPixmap::fromImage(t.before));
    if (t.after.isNull())
        m_thumbAfter->setText(tr("(absent)"));
    else
        m_thumbAfter->setPixmap(QPixmap::fromImage(t.after));
    // Each drawing is scaled to fit its square: the captions give the sizes.
    std::optional<std::array<double, 3>> sizeBefore, sizeAfter;
    for (const auto& l : m_shownDiff->bom.lines)
        if (qs(l.module + "/" + l.partId) == key) {
            sizeBefore = l.sizeBefore;
            sizeAfter = l.sizeAfter;
        }
    auto caption = [](const std::string& side, const std::optional<std::array<double, 3>>& size) {
        QString text = qs(side);
        if (size)
            text += QStringLiteral("\n%1 × %2 × %3 mm")
                        .arg((*size)[0], 0, 'f', 1)
                        .arg((*size)[1], 0, 'f', 1)
                        .arg((*size)[2], 0, 'f', 1);
        return text;
    };
    m_thumbBeforeCaption->setText(caption(m_shownDiff->design.from, sizeBefore));
    m_thumbAfterCaption->setText(caption(m_shownDiff->design.to, sizeAfter));
}

} // namespace telar::desktop

#include "fab_profile_editor.h"

#include "fab_profile_picker.h"

#include "telar/core/manifest_edit.h"
#include "telar/core/toml_patch.h"
#include "telar/error.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <charconv>
#include <cmath>

namespace telar::desktop {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

const QStringList kKinds = {QString(), QStringLiteral("individual"), QStringLiteral("nonprofit"),
                            QStringLiteral("cooperative"), QStringLiteral("for-profit")};
const QStringList kPurposes = {QStringLiteral("personal"), QStringLiteral("non-commercial"),
                               QStringLiteral("commercial")};

// The shortest text that reads back as v ("0.92", "250").
QString numberText(double v) {
    char buf[64];
    const auto result = std::to_chars(buf, buf + sizeof buf, v);
    return QString::fromLatin1(buf, int(result.ptr - buf));
}

QString sizeText(const double* values, int count) {
    QStringList parts;
    for (int i = 0; i < count; ++i)
        parts << numberText(values[i]);
    return parts.join(QStringLiteral(" × "));
}

// A TOML basic string, escaped as the core writes manifests.
std::string tomlString(const QString& text) {
    return core::renderValue(text.toStdString());
}

// A number as TOML when text is one; anything else as a string, so that the core's parser names
// the field and says what it expected.
std::string tomlNumber(const QString& text) {
    const QString t = text.trimmed();
    bool ok = false;
    const double v = t.toDouble(&ok);
    if (ok && std::isfinite(v)) return numberText(v).toStdString();
    return tomlString(t);
}

// "250 × 210 × 220", "250, 210, 220" or "250x210x220" as a TOML array; a string otherwise.
std::string tomlSize(const QString& text) {
    const QStringList parts =
        text.trimmed().split(QRegularExpression(QStringLiteral("[\\s,×xX*]+")), Qt::SkipEmptyParts);
    std::string out = "[";
    for (int i = 0; i < parts.size(); ++i) {
        bool ok = false;
        const double v = parts[i].toDouble(&ok);
        if (!ok || !std::isfinite(v)) return tomlString(text.trimmed());
        out += (i ? ", " : "") + numberText(v).toStdString();
    }
    return out + "]";
}

QString cellText(const QTableWidget* table, int row, int column) {
    const QTableWidgetItem* item = table->item(row, column);
    return item ? item->text().trimmed() : QString();
}

void setCell(QTableWidget* table, int row, int column, const QString& text) {
    table->setItem(row, column, new QTableWidgetItem(text));
}

// An editable combo box of catalogue ids for one column.
class IdDelegate : public QStyledItemDelegate {
public:
    IdDelegate(QStringList ids, QObject* parent) : QStyledItemDelegate(parent), m_ids(std::move(ids)) {}

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem&, const QModelIndex&) const override {
        auto* combo = new QComboBox(parent);
        combo->setEditable(true);
        combo->addItems(m_ids);
        return combo;
    }
    void setEditorData(QWidget* editor, const QModelIndex& index) const override {
        static_cast<QComboBox*>(editor)->setCurrentText(index.data().toString());
    }
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override {
        model->setData(index, static_cast<QComboBox*>(editor)->currentText().trimmed());
    }

private:
    QStringList m_ids;
};

QTableWidget* makeTable(const QStringList& headers) {
    auto* table = new QTableWidget(0, int(headers.size()));
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    return table;
}

} // namespace

FabProfileEditor::FabProfileEditor(QWidget* parent) : QDialog(parent) {
    try {
        m_catalog = core::Catalog::loadDefault();
    } catch (const Error& e) {
        m_catalogError = QString::fromStdString(e.what());
    }
    QStringList processIds, materialIds;
    if (m_catalog) {
        for (const auto& p : m_catalog->processes())
            processIds << qs(p.id);
        for (const auto& m : m_catalog->materials())
            materialIds << qs(m.id);
    }

    m_name = new QLineEdit;
    m_name->setPlaceholderText(tr("required, e.g. Community Fab Lab"));
    m_currency = new QLineEdit(QStringLiteral("USD"));
    m_currency->setPlaceholderText(tr("ISO 4217 code, e.g. EUR"));
    m_usdRate = new QLineEdit;
    m_usdRate->setPlaceholderText(tr("units of the currency per USD; required unless USD"));
    m_labourRate = new QLineEdit;
    m_labourRate->setPlaceholderText(tr("per hour; empty = catalogue rates converted"));
    auto* fabForm = new QFormLayout;
    fabForm->addRow(tr("&Name:"), m_name);
    fabForm->addRow(tr("&Currency:"), m_currency);
    fabForm->addRow(tr("&USD rate:"), m_usdRate);
    fabForm->addRow(tr("&Labour rate:"), m_labourRate);
    auto* fabBox = new QGroupBox(tr("Fab"));
    fabBox->setLayout(fabForm);

    m_kind = new QComboBox;
    m_kind->addItems(kKinds);
    m_kind->setItemText(0, tr("(choose)"));
    m_contributes = new QCheckBox(tr("gives its changes back to the commons"));
    m_purpose = new QComboBox;
    m_purpose->addItems(kPurposes);
    m_purpose->setCurrentText(QStringLiteral("non-commercial"));
    auto* orgForm = new QFormLayout;
    orgForm->addRow(tr("&Kind:"), m_kind);
    orgForm->addRow(tr("Contributes:"), m_contributes);
    orgForm->addRow(tr("&Purpose:"), m_purpose);
    auto* orgBox = new QGroupBox(tr("Organisation (licence verdicts depend on it)"));
    orgBox->setLayout(orgForm);

    m_machines = makeTable({tr("Process"), tr("Name"), tr("Hourly rate"), tr("Build volume (mm)"),
                            tr("Bed (mm)"), tr("Max thickness (mm)")});
    m_machines->setItemDelegateForColumn(ProcessColumn, new IdDelegate(processIds, this));
    m_machines->setToolTip(
        tr("Sizes as \"250 × 210 × 220\" or \"600, 400\"; empty rates use the catalogue's"));
    auto* addMachineButton = new QPushButton(tr("Add machine"));
    auto* removeMachineButton = new QPushButton(tr("Remove machine"));
    connect(addMachineButton, &QPushButton::clicked, this, [this] {
        const int row = addMachine();
        m_machines->setCurrentCell(row, ProcessColumn);
        m_machines->editItem(m_machines->item(row, ProcessColumn));
    });
    connect(removeMachineButton, &QPushButton::clicked, this, [this] {
        if (m_machines->currentRow() >= 0) m_machines->removeRow(m_machines->currentRow());
        scheduleValidation();
    });
    auto* machineButtons = new QHBoxLayout;
    machineButtons->addWidget(addMachineButton);
    machineButtons->addWidget(removeMachineButton);
    machineButtons->addStretch(1);
    auto* machineBox = new QGroupBox(tr("Machines"));
    auto* machineLayout = new QVBoxLayout(machineBox);
    machineLayout->addWidget(m_machines);
    machineLayout->addLayout(machineButtons);

    m_materials = makeTable({tr("Material"), tr("Price per kg")});
    m_materials->setItemDelegateForColumn(MaterialIdColumn, new IdDelegate(materialIds, this));
    auto* addMaterialButton = new QPushButton(tr("Add material"));
    auto* removeMaterialButton = new QPushButton(tr("Remove material"));
    connect(addMaterialButton, &QPushButton::clicked, this, [this] {
        const int row = addMaterial();
        m_materials->setCurrentCell(row, MaterialIdColumn);
        m_materials->editItem(m_materials->item(row, MaterialIdColumn));
    });
    connect(removeMaterialButton, &QPushButton::clicked, this, [this] {
        if (m_materials->currentRow() >= 0) m_materials->removeRow(m_materials->currentRow());
        scheduleValidation();
    });
    auto* materialButtons = new QHBoxLayout;
    materialButtons->addWidget(addMaterialButton);
    materialButtons->addWidget(removeMaterialButton);
    materialButtons->addStretch(1);
    auto* materialBox = new QGroupBox(tr("Material prices (in the fab's currency)"));
    auto* materialLayout = new QVBoxLayout(materialBox);
    materialLayout->addWidget(m_materials);
    materialLayout->addLayout(materialButtons);

    m_problems = new QListWidget;
    m_problems->setWordWrap(true);
    m_problems->setMaximumHeight(110);
    connect(m_problems, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { focusField(item->data(Qt::UserRole).toString().toStdString()); });
    m_state = new QLabel;

    auto* buttons = new QDialogButtonBox;
    QPushButton* open = buttons->addButton(tr("Open…"), QDialogButtonBox::ActionRole);
    QPushButton* saveButton = buttons->addButton(QDialogButtonBox::Save);
    QPushButton* saveAsButton = buttons->addButton(tr("Save as…"), QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Close);
    connect(open, &QPushButton::clicked, this, [this] {
        const QString start = m_file.isEmpty()
                                  ? QFileInfo(FabProfilePicker::shippedProfiles().value(0)).absolutePath()
                                  : m_file;
        const QString file = QFileDialog::getOpenFileName(this, tr("Open a fab profile"), start,
                                                          tr("Fab profiles (*.toml);;All files (*)"));
        QString error;
        if (!file.isEmpty() && !openFile(file, &error)) m_state->setText(error);
    });
    connect(saveButton, &QPushButton::clicked, this, [this] { save(); });
    connect(saveAsButton, &QPushButton::clicked, this, [this] { saveAs(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* top = new QHBoxLayout;
    top->addWidget(fabBox, 1);
    top->addWidget(orgBox, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(machineBox, 2);
    layout->addWidget(materialBox, 1);
    layout->addWidget(new QLabel(tr("Problems (checked by the same parser as `telar bom --fab`):")));
    layout->addWidget(m_problems);
    layout->addWidget(m_state);
    layout->addWidget(buttons);

    m_validateTimer = new QTimer(this);
    m_validateTimer->setSingleShot(true);
    m_validateTimer->setInterval(300);
    connect(m_validateTimer, &QTimer::timeout, this, [this] { validate(); });
    for (QLineEdit* edit : {m_name, m_currency, m_usdRate, m_labourRate})
        connect(edit, &QLineEdit::textChanged, this, &FabProfileEditor::scheduleValidation);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &FabProfileEditor::scheduleValidation);
    connect(m_purpose, &QComboBox::currentIndexChanged, this, &FabProfileEditor::scheduleValidation);
    connect(m_contributes, &QCheckBox::toggled, this, &FabProfileEditor::scheduleValidation);
    connect(m_machines, &QTableWidget::itemChanged, this, &FabProfileEditor::scheduleValidation);
    connect(m_materials, &QTableWidget::itemChanged, this, &FabProfileEditor::scheduleValidation);

    resize(900, 720);
    updateTitle();
    if (!m_catalogError.isEmpty())
        m_state->setText(tr("The catalogue cannot be read, so process and material ids are not checked: %1")
                             .arg(m_catalogError));
}

FabProfileEditor::~FabProfileEditor() = default;

void FabProfileEditor::updateTitle() {
    setWindowTitle(m_file.isEmpty() ? tr("Fab profile — new") : tr("Fab profile — %1").arg(m_file));
}

void FabProfileEditor::scheduleValidation() {
    m_validateTimer->start();
}

int FabProfileEditor::addMachine() {
    const int row = m_machines->rowCount();
    m_machines->insertRow(row);
    for (int c = 0; c < MachineColumnCount; ++c)
        setCell(m_machines, row, c, {});
    return row;
}

int FabProfileEditor::addMaterial() {
    const int row = m_materials->rowCount();
    m_materials->insertRow(row);
    for (int c = 0; c < MaterialColumnCount; ++c)
        setCell(m_materials, row, c, {});
    return row;
}

void FabProfileEditor::setProfile(const core::FabProfile& fab) {
    const QSignalBlocker b1(m_machines), b2(m_materials);
    m_name->setText(qs(fab.name));
    m_currency->setText(qs(fab.currency));
    m_usdRate->setText(fab.currency == "USD" && fab.usdRate == 1.0 ? QString() : numberText(fab.usdRate));
    m_labourRate->setText(fab.labourRate > 0 ? numberText(fab.labourRate) : QString());
    m_kind->setCurrentIndex(std::max(0, int(kKinds.indexOf(qs(fab.organisation)))));
    m_contributes->setChecked(fab.contributes);
    m_purpose->setCurrentIndex(std::max(0, int(kPurposes.indexOf(qs(fab.purpose)))));
    m_machines->setRowCount(0);
    for (const auto& m : fab.machines) {
        const int row = addMachine();
        setCell(m_machines, row, ProcessColumn, qs(m.process));
        setCell(m_machines, row, MachineNameColumn, m.name == m.process ? QString() : qs(m.name));
        setCell(m_machines, row, HourlyRateColumn, m.hourlyRate > 0 ? numberText(m.hourlyRate) : QString());
        setCell(m_machines, row, BuildVolumeColumn,
                m.buildVolume ? sizeText(m.buildVolume->data(), 3) : QString());
        setCell(m_machines, row, BedColumn, m.bed ? sizeText(m.bed->data(), 2) : QString());
        setCell(m_machines, row, MaxThicknessColumn,
                m.maxThickness > 0 ? numberText(m.maxThickness) : QString());
    }
    m_materials->setRowCount(0);
    for (const auto& [id, price] : fab.materialPrices) {
        const int row = addMaterial();
        setCell(m_materials, row, MaterialIdColumn, qs(id));
        setCell(m_materials, row, PriceColumn, numberText(price));
    }
    m_machines->resizeColumnsToContents();
    validate();
}

bool FabProfileEditor::openFile(const QString& file, QString* error) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error) *error = tr("cannot read fab profile %1: %2").arg(file, f.errorString());
        return false;
    }
    const QByteArray bytes = f.readAll();
    std::vector<core::Diagnostic> diags;
    const std::string text(bytes.constData(), size_t(bytes.size()));
    const core::FabProfile fab = m_catalog
                                     ? core::parseFabProfile(text, file.toStdString(), diags, *m_catalog)
                                     : core::parseFabProfile(text, file.toStdString(), diags);
    m_file = QFileInfo(file).absoluteFilePath();
    m_openedText = text;
    updateTitle();
    setProfile(fab);
    if (core::hasErrors(diags)) {
        // What the file says, not what could be read of it: the problems of the file as written.
        sortDiagnostics(diags);
        showProblems(diags);
        m_state->setText(tr("%1 has problems; the fields show what could be read").arg(m_file));
    } else {
        m_state->setText(tr("Opened %1").arg(m_file));
    }
    return true;
}

QString FabProfileEditor::stateText() const {
    return m_state->text();
}

std::string FabProfileEditor::tomlText() const {
    std::string out = "# A fab profile (docs/fab-profile.md), written by the Telar desktop app.\n\n[fab]\n";
    auto line = [&out](const char* key, const std::string& value) {
        out += std::string(key) + " = " + value + "\n";
    };
    if (!m_name->text().trimmed().isEmpty()) line("name", tomlString(m_name->text().trimmed()));
    if (!m_currency->text().trimmed().isEmpty()) line("currency", tomlString(m_currency->text().trimmed()));
    if (!m_usdRate->text().trimmed().isEmpty()) line("usd_rate", tomlNumber(m_usdRate->text()));
    if (!m_labourRate->text().trimmed().isEmpty()) line("labour_rate", tomlNumber(m_labourRate->text()));
    out += "\n[organisation]\n";
    if (m_kind->currentIndex() > 0) line("kind", tomlString(kKinds[m_kind->currentIndex()]));
    line("contributes", m_contributes->isChecked() ? "true" : "false");
    line("purpose", tomlString(m_purpose->currentText()));
    for (int r = 0; r < m_machines->rowCount(); ++r) {
        bool empty = true;
        for (int c = 0; c < MachineColumnCount; ++c)
            empty = empty && cellText(m_machines, r, c).isEmpty();
        if (empty) continue;
        out += "\n[[machine]]\n";
        line("process", tomlString(cellText(m_machines, r, ProcessColumn)));
        if (const QString v = cellText(m_machines, r, MachineNameColumn); !v.isEmpty())
            line("name", tomlString(v));
        if (const QString v = cellText(m_machines, r, HourlyRateColumn); !v.isEmpty())
            line("hourly_rate", tomlNumber(v));
        if (const QString v = cellText(m_machines, r, BuildVolumeColumn); !v.isEmpty())
            line("build_volume", tomlSize(v));
        if (const QString v = cellText(m_machines, r, BedColumn); !v.isEmpty()) line("bed", tomlSize(v));
        if (const QString v = cellText(m_machines, r, MaxThicknessColumn); !v.isEmpty())
            line("max_thickness", tomlNumber(v));
    }
    bool materials = false;
    for (int r = 0; r < m_materials->rowCount(); ++r) {
        const QString id = cellText(m_materials, r, MaterialIdColumn);
        const QString price = cellText(m_materials, r, PriceColumn);
        if (id.isEmpty() && price.isEmpty()) continue;
        if (!materials) out += "\n[materials]\n";
        materials = true;
        // A key that is not a bare key is quoted, so the parser names it in its message.
        static const QRegularExpression bare(QStringLiteral("^[A-Za-z0-9_-]+$"));
        const std::string key = bare.match(id).hasMatch() ? id.toStdString() : tomlString(id);
        out += key + " = " + tomlNumber(price) + "\n";
    }
    return out;
}

std::vector<core::Diagnostic> FabProfileEditor::validate() {
    m_validateTimer->stop();
    const std::string text = tomlText();
    const std::string name =
        m_file.isEmpty() ? std::string("fab.toml") : QFileInfo(m_file).fileName().toStdString();
    std::vector<core::Diagnostic> diags;
    if (m_catalog)
        core::parseFabProfile(text, name, diags, *m_catalog);
    else
        core::parseFabProfile(text, name, diags);
    // Errors first, then in the order of the text.
    std::stable_sort(diags.begin(), diags.end(), [](const core::Diagnostic& a, const core::Diagnostic& b) {
        if (a.severity != b.severity) return a.severity == core::Severity::Error;
        return a.line < b.line;
    });
    showProblems(diags);
    return diags;
}

void FabProfileEditor::showProblems(const std::vector<core::Diagnostic>& diags) {
    m_problems->clear();
    for (const auto& d : diags) {
        QString text =
            d.field.empty() ? qs(d.message) : QStringLiteral("%1: %2").arg(qs(d.field), qs(d.message));
        if (!d.hint.empty()) text += QStringLiteral(" — ") + qs(d.hint);
        auto* item = new QListWidgetItem(
            (d.severity == core::Severity::Error ? tr("error: ") : tr("warning: ")) + text, m_problems);
        item->setData(Qt::UserRole, qs(d.field));
        item->setForeground(d.severity == core::Severity::Error ? QColor(180, 30, 30) : QColor(160, 110, 0));
    }
    if (diags.empty()) new QListWidgetItem(tr("No problems: the profile is valid."), m_problems);
}

QString FabProfileEditor::problemsText() const {
    QStringList lines;
    for (int i = 0; i < m_problems->count(); ++i)
        lines << m_problems->item(i)->text();
    return lines.join(QLatin1Char('\n'));
}

void FabProfileEditor::focusField(const std::string& fieldPath) {
    const QString field = qs(fieldPath);
    static const QRegularExpression machine(QStringLiteral("^machine\\[(\\d+)\\]\\.(\\w+)"));
    if (const auto m = machine.match(field); m.hasMatch()) {
        // Rows that are entirely empty are not written, so count the written ones.
        int wanted = m.captured(1).toInt();
        const QString key = m.captured(2);
        const int column = key == QLatin1String("name")            ? MachineNameColumn
                           : key == QLatin1String("hourly_rate")   ? HourlyRateColumn
                           : key == QLatin1String("build_volume")  ? BuildVolumeColumn
                           : key == QLatin1String("bed")           ? BedColumn
                           : key == QLatin1String("max_thickness") ? MaxThicknessColumn
                                                                   : ProcessColumn;
        for (int r = 0; r < m_machines->rowCount(); ++r) {
            bool empty = true;
            for (int c = 0; c < MachineColumnCount; ++c)
                empty = empty && cellText(m_machines, r, c).isEmpty();
            if (!empty && --wanted == 0) {
                m_machines->setFocus();
                m_machines->setCurrentCell(r, column);
                return;
            }
        }
        return;
    }
    if (field.startsWith(QLatin1String("materials."))) {
        const QString id = field.mid(10);
        for (int r = 0; r < m_materials->rowCount(); ++r)
            if (cellText(m_materials, r, MaterialIdColumn) == id) {
                m_materials->setFocus();
                m_materials->setCurrentCell(r, PriceColumn);
                return;
            }
        return;
    }
    QWidget* widget = nullptr;
    if (field == QLatin1String("fab.name") || field == QLatin1String("fab"))
        widget = m_name;
    else if (field == QLatin1String("fab.currency"))
        widget = m_currency;
    else if (field == QLatin1String("fab.usd_rate"))
        widget = m_usdRate;
    else if (field == QLatin1String("fab.labour_rate"))
        widget = m_labourRate;
    else if (field == QLatin1String("organisation.kind") || field == QLatin1String("organisation"))
        widget = m_kind;
    else if (field == QLatin1String("organisation.purpose"))
        widget = m_purpose;
    if (widget) widget->setFocus();
}

bool FabProfileEditor::saveTo(const QString& file) {
    const auto diags = validate();
    for (const auto& d : diags)
        if (d.severity == core::Severity::Error) {
            m_state->setText(tr("Not saved: %1: %2").arg(qs(d.field), qs(d.message)));
            focusField(d.field);
            return false;
        }
    // The opened file's comments, blank lines and layout are kept: only what changed is edited.
    std::string text = tomlText();
    bool layoutLost = false;
    if (!m_openedText.empty()) {
        if (auto kept = core::patchToml(m_openedText, text))
            text = std::move(*kept);
        else
            layoutLost = m_openedText.find('#') != std::string::npos;
    }
    try {
        core::writeFileAtomically(file.toStdString(), text);
    } catch (const Error& e) {
        m_state->setText(tr("Not saved: %1").arg(QString::fromStdString(e.what())));
        return false;
    }
    m_file = QFileInfo(file).absoluteFilePath();
    m_openedText = text;
    updateTitle();
    m_state->setText(layoutLost ? tr("Saved %1, written anew: the opened file's comments could not be kept "
                                     "(it uses dotted keys or does not parse)")
                                      .arg(m_file)
                                : tr("Saved %1").arg(m_file));
    emit saved(m_file);
    return true;
}

bool FabProfileEditor::save() {
    const bool shipped = !m_file.isEmpty() &&
                         FabProfilePicker::shippedProfiles().contains(QFileInfo(m_file).canonicalFilePath());
    if (m_file.isEmpty() || shipped) return saveAs();
    return saveTo(m_file);
}

bool FabProfileEditor::saveAs() {
    QString start = m_file.isEmpty() ? QStringLiteral("fab.toml") : QFileInfo(m_file).fileName();
    const QString file =
        QFileDialog::getSaveFileName(this, tr("Save the fab profile"), start, tr("Fab profiles (*.toml)"));
    if (file.isEmpty()) return false;
    return saveTo(file.endsWith(QLatin1String(".toml")) ? file : file + QStringLiteral(".toml"));
}

} // namespace telar::desktop

#include "fab_profile_picker.h"

#include "telar/core/catalog.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>

#include <exception>

namespace telar::desktop {

namespace {
constexpr int kPathRole = Qt::UserRole;
constexpr int kOpenRole = Qt::UserRole + 1; // true on "Open profile file…"

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QString normalised(const QString& file) {
    const QFileInfo info(file);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? info.absoluteFilePath() : canonical;
}

// "Community Fab Lab — community-fablab.toml"; the name is read without checking the profile.
QString labelOf(const QString& file) {
    QString name;
    QFile f(file);
    if (f.open(QIODevice::ReadOnly)) {
        const QByteArray bytes = f.readAll();
        std::vector<core::Diagnostic> diags;
        name = qs(core::parseFabProfile(std::string_view(bytes.constData(), size_t(bytes.size())),
                                        file.toStdString(), diags)
                      .name);
    }
    const QString fileName = QFileInfo(file).fileName();
    return name.isEmpty() ? fileName : QStringLiteral("%1 — %2").arg(name, fileName);
}
} // namespace

FabProfilePicker::FabProfilePicker(QWidget* parent) : QComboBox(parent) {
    // As wide as the longest name when there is room, narrower when the window is small (the
    // panels share it with the module tree and the properties).
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setMinimumWidth(90);
    setToolTip(tr("The fab profile to price the BOM and judge the licences for"));
    addItem(tr("No fab profile"), QString());
    for (const QString& file : shippedProfiles()) {
        addItem(labelOf(file), file);
        setItemData(count() - 1, file, Qt::ToolTipRole);
    }
    addItem(tr("Open profile file…"));
    setItemData(count() - 1, true, kOpenRole);
    setCurrentIndex(0);
    connect(this, &QComboBox::activated, this, &FabProfilePicker::onActivated);
}

QStringList FabProfilePicker::shippedProfiles() {
    const QDir dir(qs((core::Catalog::resourceDir() / "fabs").string()));
    QStringList files;
    for (const QString& name : dir.entryList({QStringLiteral("*.toml")}, QDir::Files, QDir::Name))
        files << normalised(dir.filePath(name));
    return files;
}

int FabProfilePicker::indexOfFile(const QString& file) const {
    if (file.isEmpty()) return 0;
    for (int i = 1; i < count(); ++i)
        if (itemData(i, kPathRole).toString() == file) return i;
    return -1;
}

void FabProfilePicker::showCurrent() {
    const int index = indexOfFile(m_file);
    setCurrentIndex(index < 0 ? 0 : index);
}

bool FabProfilePicker::selectFile(const QString& file, QString* error) {
    if (file.isEmpty()) {
        selectNone();
        return true;
    }
    const QString path = normalised(file);
    std::shared_ptr<const core::FabProfile> profile;
    try {
        profile = std::make_shared<const core::FabProfile>(core::loadFabProfile(path.toStdString()));
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        showCurrent();
        return false;
    }
    int index = indexOfFile(path);
    if (index < 0) {
        index = count() - 1; // before "Open profile file…"
        insertItem(index, labelOf(path), path);
        setItemData(index, path, Qt::ToolTipRole);
    } else {
        setItemText(index, labelOf(path)); // the name may have been edited
    }
    m_file = path;
    m_profile = std::move(profile);
    setCurrentIndex(index);
    return true;
}

void FabProfilePicker::selectNone() {
    m_file.clear();
    m_profile.reset();
    setCurrentIndex(0);
}

void FabProfilePicker::onActivated(int index) {
    QString file;
    if (itemData(index, kOpenRole).toBool()) {
        const QString start =
            m_file.isEmpty() ? QFileInfo(shippedProfiles().value(0)).absolutePath() : m_file;
        file = QFileDialog::getOpenFileName(this, tr("Open a fab profile"), start,
                                            tr("Fab profiles (*.toml);;All files (*)"));
        if (file.isEmpty()) {
            showCurrent();
            return;
        }
    } else {
        file = itemData(index, kPathRole).toString();
    }
    if (file.isEmpty()) {
        if (m_file.isEmpty()) return;
        selectNone();
        emit profileChosen();
        return;
    }
    if (normalised(file) == m_file && itemData(index, kOpenRole).isNull()) return; // unchanged
    QString error;
    if (!selectFile(file, &error)) {
        if (m_errorDialogs) QMessageBox::warning(this, tr("Cannot use this fab profile"), error);
        emit loadFailed(error);
        return;
    }
    emit profileChosen();
}

} // namespace telar::desktop

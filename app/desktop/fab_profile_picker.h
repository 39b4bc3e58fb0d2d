#pragma once
// A combo box to choose the fab profile a panel works for: none, the profiles shipped with Telar
// (`fabs/*.toml` in the resource folder, Catalog::resourceDir()), files opened or saved during
// the session, and "Open profile file…". A chosen file is read with the core's loadFabProfile;
// one that does not load is refused with the core's message and the previous choice stays.

#include "telar/core/fab_profile.h"

#include <QComboBox>

#include <memory>

namespace telar::desktop {

class FabProfilePicker : public QComboBox {
    Q_OBJECT
public:
    explicit FabProfilePicker(QWidget* parent = nullptr);

    // The shipped profiles, sorted by file name (absolute paths).
    static QStringList shippedProfiles();

    // The chosen file (empty: no fab profile) and its profile (nullptr: none).
    QString currentFile() const { return m_file; }
    std::shared_ptr<const core::FabProfile> currentProfile() const { return m_profile; }

    // Reads file (again, when it is already listed) and chooses it; adds it to the list when it is
    // new. Emits nothing. On failure returns false with the core's message in error, and keeps
    // the current choice.
    bool selectFile(const QString& file, QString* error = nullptr);
    // Chooses "No fab profile". Emits nothing.
    void selectNone();

    // Whether a profile that fails to load is also shown in a dialog (off in tests).
    void setErrorDialogsEnabled(bool enabled) { m_errorDialogs = enabled; }

signals:
    // The user chose another profile (or none) and it is loaded.
    void profileChosen();
    // A profile the user chose could not be read; message is the core's.
    void loadFailed(const QString& message);

private:
    void onActivated(int index);
    int indexOfFile(const QString& file) const;
    void showCurrent();

    QString m_file;
    std::shared_ptr<const core::FabProfile> m_profile;
    bool m_errorDialogs = true;
};

} // namespace telar::desktop

#pragma once
// The fab-profile editor (Tools → Fab profile…): every field of a fab.toml (docs/fab-profile.md)
// — [fab] name, currency, usd_rate, labour_rate; [organisation] kind, contributes, purpose; the
// [[machine]] list with rates and sizes; [materials] prices — written back as TOML, validated by
// the core's parser against the catalogue (each problem names its field, e.g.
// "machine[1].hourly_rate"), and saved atomically. Comments of a file opened here are not kept.

#include "telar/core/catalog.h"
#include "telar/core/fab_profile.h"
#include "telar/core/manifest.h"

#include <QDialog>

#include <optional>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QTableWidget;
class QTimer;

namespace telar::desktop {

class FabProfileEditor : public QDialog {
    Q_OBJECT
public:
    // Columns of the machine and material tables.
    enum MachineColumn {
        ProcessColumn,
        MachineNameColumn,
        HourlyRateColumn,
        BuildVolumeColumn,
        BedColumn,
        MaxThicknessColumn,
        MachineColumnCount
    };
    enum MaterialColumn { MaterialIdColumn, PriceColumn, MaterialColumnCount };

    explicit FabProfileEditor(QWidget* parent = nullptr);
    ~FabProfileEditor() override;

    // Fills the fields from fab (the file name is not changed).
    void setProfile(const core::FabProfile& fab);
    // Reads file into the fields; a profile with errors is loaded as far as it could be read and
    // its problems are listed. false with a message when the file cannot be read.
    bool openFile(const QString& file, QString* error = nullptr);
    // The file the profile was read from or last saved to (empty for a new profile).
    QString file() const { return m_file; }

    // The fab.toml the fields describe.
    std::string tomlText() const;
    // Parses tomlText() with the core's parser and the catalogue, lists the problems ("field:
    // message — hint") and returns them (errors and warnings, sorted).
    std::vector<core::Diagnostic> validate();
    // The problems listed, one per line.
    QString problemsText() const;
    // The status line ("Saved …", "Opened …", "Not saved: …").
    QString stateText() const;
    // Validates and, when there is no error, writes the profile to file atomically and emits
    // saved(). When a file was opened, its comments, blank lines and layout are kept: only what
    // changed is edited (core::patchToml). false when it is invalid (the first field in error gets the focus) or cannot be
    // written (the message is listed).
    bool saveTo(const QString& file);
    // Save to file(), or ask for a file when there is none or it is a profile shipped with Telar.
    bool save();
    bool saveAs();

    QLineEdit* nameEdit() const { return m_name; }
    QLineEdit* currencyEdit() const { return m_currency; }
    QLineEdit* usdRateEdit() const { return m_usdRate; }
    QLineEdit* labourRateEdit() const { return m_labourRate; }
    QComboBox* kindCombo() const { return m_kind; }
    QCheckBox* contributesCheck() const { return m_contributes; }
    QComboBox* purposeCombo() const { return m_purpose; }
    QTableWidget* machineTable() const { return m_machines; }
    QTableWidget* materialTable() const { return m_materials; }
    // Appends an empty machine / material row and returns its row.
    int addMachine();
    int addMaterial();

signals:
    // The profile was written to file.
    void saved(const QString& file);

private:
    void scheduleValidation();
    void showProblems(const std::vector<core::Diagnostic>& diags);
    void focusField(const std::string& field);
    void updateTitle();

    QString m_file;
    std::string m_openedText; // the file as read (or last saved): its layout is kept on save
    std::optional<core::Catalog> m_catalog; // nullopt when the catalogue cannot be read
    QString m_catalogError;

    QLineEdit* m_name = nullptr;
    QLineEdit* m_currency = nullptr;
    QLineEdit* m_usdRate = nullptr;
    QLineEdit* m_labourRate = nullptr;
    QComboBox* m_kind = nullptr;
    QCheckBox* m_contributes = nullptr;
    QComboBox* m_purpose = nullptr;
    QTableWidget* m_machines = nullptr;
    QTableWidget* m_materials = nullptr;
    QListWidget* m_problems = nullptr;
    QLabel* m_state = nullptr;
    QTimer* m_validateTimer = nullptr;
};

} // namespace telar::desktop

// The BOM panel with fab profiles (make / buy marks, prices, totals, tree view, export), the
// licence panel and the fab-profile editor, against the example commons built by the real
// telar-example-gen, compared with what the real telar binary prints for the same revision.
#include "gui_fixture.h"

#include "bom_jobs.h"
#include "bom_panel.h"
#include "bom_table_model.h"
#include "bom_tree_model.h"
#include "fab_profile_editor.h"
#include "fab_profile_picker.h"
#include "license_panel.h"
#include "main_window.h"

#include "telar/core/fab_profile.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableWidget>
#include <QTest>
#include <QTreeWidget>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <map>

using namespace telar::desktop;
using telar::test::ExampleCommons;
using telar::test::TempDir;

namespace {

std::string fabFile(const std::string& name) {
    return (telar::test::resourceDir() / "fabs" / name).string();
}
QString qfab(const std::string& name) {
    return QString::fromStdString(fabFile(name));
}

QString text(const QAbstractItemModel& model, int row, int column, const QModelIndex& parent = {}) {
    return model.index(row, column, parent).data().toString();
}

// Waits (processing events) until busy() is false; false after a minute.
template <class F> bool waitUntilIdle(F busy) {
    for (int i = 0; i < 1200 && busy(); ++i)
        QTest::qWait(50);
    return !busy();
}

// The per-user store of the GUI (TELAR_HOME) for the duration of a test, shared with the CLI runs.
class Home {
public:
    Home() { setenv("TELAR_HOME", m_dir.path().c_str(), 1); }
    ~Home() { unsetenv("TELAR_HOME"); }
    std::string env() const { return "TELAR_HOME=" + m_dir.path().string(); }

private:
    TempDir m_dir{"telar-gui-home"};
};

telar::test::RunResult runTelar(const std::vector<std::string>& args, const Home& home) {
    std::vector<std::string> argv{(telar::test::binaryDir() / "telar").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return telar::test::run(argv, {}, {home.env()});
}

int rowOfPart(const QAbstractItemModel& model, const QString& module, const QString& part) {
    for (int r = 0; r < model.rowCount(); ++r)
        if (text(model, r, BomTableModel::ModuleColumn) == module &&
            text(model, r, BomTableModel::PartColumn) == part)
            return r;
    return -1;
}

std::shared_ptr<const telar::core::Bom> bomOf(const BomSnapshot& snap) {
    auto owner = std::make_shared<BomSnapshot>(snap);
    return {owner, &owner->bom};
}

} // namespace

TEST_CASE("BOM models for the community fab lab: make / buy marks, fab prices, totals per process", "[gui]") {
    telar::test::ensureGuiApplication();
    ExampleCommons commons;
    Home home;
    const DesignSnapshot snap = loadDesignSnapshot(commons.openPress(), "HEAD", {});
    auto lab = std::make_shared<const telar::core::FabProfile>(
        telar::core::loadFabProfile(fabFile("community-fablab.toml")));
    const BomSnapshot press = computeFabBom(snap.design, snap.tree, "press", lab, {});
    const auto bom = bomOf(press);

    BomTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setBom(bom);
    REQUIRE(model.rowCount() == 64);
    CHECK(model.headerData(BomTableModel::FabColumn, Qt::Horizontal).toString() == "At Community Fab Lab");
    CHECK(model.headerData(BomTableModel::LineCostColumn, Qt::Horizontal).toString() == "Line cost (EUR)");

    struct Mark {
        const char* module;
        const char* part;
        const char* status;
        const char* reason;
    };
    const Mark marks[] = {
        {"frame", "foot-pad", "make", "on Prusa MK4 #1"},
        {"frame", "side-plate", "outsource", "8 mm is thicker than the 6 mm maximum of CO2 laser 60 W"},
        {"drawer", "drawer-floor", "outsource", "12 mm is thicker than the 6 mm maximum of CO2 laser 60 W"},
        {"wheels", "wheel-hub", "outsource", "no cnc-mill machine"},
        {"hopper", "agitator-shaft", "outsource", "no turning machine"},
        {"controller", "gland-plate", "make", "on CO2 laser 60 W"},
        {"controller", "lid-screw", "buy", "purchased part"},
        {"frame", "m10x30", "buy", "purchased part"},
    };
    for (const Mark& m : marks) {
        INFO(m.module << "/" << m.part);
        const int row = rowOfPart(model, m.module, m.part);
        REQUIRE(row >= 0);
        CHECK(text(model, row, BomTableModel::FabColumn) == m.status);
        CHECK(text(model, row, BomTableModel::FabReasonColumn) == m.reason);
        CHECK(model.index(row, 0).data(BomTableModel::FabStatusRole).toString() == m.status);
    }

    // 24 M10×30 screws at 0.18 USD converted at 0.92 EUR per USD.
    const int screws = rowOfPart(model, "frame", "m10x30");
    CHECK(text(model, screws, BomTableModel::QuantityColumn) == "24");
    CHECK(text(model, screws, BomTableModel::UnitCostColumn) == "0.17");
    CHECK(text(model, screws, BomTableModel::LineCostColumn) == "3.97");
    CHECK(model.index(screws, 0).data(BomTableModel::LineCostRole).toDouble() ==
          Approx(24 * 0.18 * 0.92).epsilon(1e-12));
    // A part the lab makes, priced with its laser's rate: the CLI's table says 10.40 for both walls.
    CHECK(text(model, rowOfPart(model, "hopper", "hopper-wall"), BomTableModel::LineCostColumn) == "10.40");
    CHECK(model.totalsText().contains(" EUR"));
    CHECK(model.totalsText().endsWith(" · at Community Fab Lab: 18 make, 24 buy, 22 outsource"));

    // Totals per process and per module are the core's, and equal the sums of their lines.
    BomTotalsModel totals;
    QAbstractItemModelTester totalsTester(&totals, QAbstractItemModelTester::FailureReportingMode::Fatal);
    totals.setBom(bom);
    REQUIRE(totals.rowCount() == 1 + int(bom->processTotals.size()) + int(bom->moduleTotals.size()));
    CHECK(text(totals, 0, BomTotalsModel::LinesColumn) == "64");
    CHECK(text(totals, 0, BomTotalsModel::PiecesColumn) == "292");
    std::map<QString, double> cost;
    std::map<QString, qint64> pieces;
    std::map<QString, int> lines;
    for (int r = 0; r < model.rowCount(); ++r) {
        const QString process = text(model, r, BomTableModel::ProcessColumn);
        cost[process] += model.index(r, 0).data(BomTableModel::LineCostRole).toDouble(); // unknown: 0
        pieces[process] += text(model, r, BomTableModel::QuantityColumn).toLongLong();
        ++lines[process];
    }
    REQUIRE(lines.size() == bom->processTotals.size());
    for (const auto& [process, sum] : cost) {
        INFO("process " << process.toStdString());
        const int row = totals.rowOf("process", process);
        REQUIRE(row > 0);
        CHECK(totals.index(row, 0).data(BomTotalsModel::CostRole).toDouble() == Approx(sum).epsilon(1e-9));
        CHECK(text(totals, row, BomTotalsModel::PiecesColumn) == QString::number(pieces[process]));
        CHECK(text(totals, row, BomTotalsModel::LinesColumn) == QString::number(lines[process]));
    }
    const int purchased = totals.rowOf("process", "purchased");
    CHECK(text(totals, purchased, BomTotalsModel::UnknownCostColumn) == "1"); // the lid screws
    CHECK(text(totals, totals.rowOf("module", "frame"), BomTotalsModel::LinesColumn) == "10");
    CHECK(text(totals, totals.rowOf("module", "frame"), BomTotalsModel::PiecesColumn) == "121");

    // Tree view: press, its parts, then its sub-modules with quantities per parent.
    BomTreeModel tree;
    QAbstractItemModelTester treeTester(&tree, QAbstractItemModelTester::FailureReportingMode::Fatal);
    tree.setBom(bom);
    REQUIRE(tree.rowCount() == 1);
    const QModelIndex root = tree.index(0, 0);
    CHECK(root.data().toString() == "press");
    CHECK(text(tree, 0, BomTreeModel::NameColumn) == "Open Press");
    REQUIRE(tree.rowCount(root) == 2 + 7); // nameplate, lifting-eye, seven sub-modules
    CHECK(text(tree, 0, BomTreeModel::ItemColumn, root) == "nameplate");
    CHECK(text(tree, 0, BomTreeModel::FabColumn, root) == "make");
    const QModelIndex wheels = tree.index(8, 0, root);
    CHECK(wheels.data().toString() == "wheels");
    CHECK(wheels.data(BomTreeModel::IsModuleRole).toBool());
    CHECK(text(tree, 8, BomTreeModel::QuantityColumn, root) == "2");
    REQUIRE(tree.rowCount(wheels) == 6);
    CHECK(text(tree, 0, BomTreeModel::ItemColumn, wheels) == "wheel-hub");
    CHECK(text(tree, 0, BomTreeModel::QuantityColumn, wheels) == "2"); // per wheel set
    CHECK(text(tree, 0, BomTreeModel::FabReasonColumn, wheels) == "no cnc-mill machine");
}

TEST_CASE("BOM panel: fab picker, filter, sorting, and exports byte-identical to telar bom", "[gui]") {
    telar::test::ensureGuiApplication();
    ExampleCommons commons;
    Home home;
    TempDir out("telar-gui-export");
    auto snap = std::make_shared<const DesignSnapshot>(loadDesignSnapshot(commons.openPress(), "", {}));

    BomPanel panel;
    panel.setErrorDialogsEnabled(false);
    // The panel fits beside the module tree and the properties of an 800 px wide window.
    CHECK(panel.minimumSizeHint().width() <= 320);
    // The shipped profiles are offered: none, then the two of resources/fabs.
    QComboBox* picker = panel.fabPicker();
    REQUIRE(picker->count() == 4);
    CHECK(picker->itemText(0) == "No fab profile");
    CHECK(picker->itemText(1) == "Community Fab Lab — community-fablab.toml");
    CHECK(picker->itemText(2) == "Metalworks Ltd — forprofit-workshop.toml");
    CHECK(picker->itemText(3) == "Open profile file…");

    panel.setSnapshot(snap);
    panel.setActive(true);
    panel.setModule("frame");
    REQUIRE(waitUntilIdle([&] { return panel.isBusy(); }));
    REQUIRE(panel.model()->rowCount() == 10);
    CHECK(panel.view()->isColumnHidden(BomTableModel::FabColumn)); // no fab profile yet

    // Choosing a profile the way a user does recomputes for that fab.
    QSignalSpy chosen(&panel, &BomPanel::fabProfileChosen);
    picker->setCurrentIndex(1);
    emit picker->activated(1);
    REQUIRE(chosen.size() == 1);
    CHECK(chosen[0][0].toString() == QFileInfo(qfab("community-fablab.toml")).canonicalFilePath());
    REQUIRE(waitUntilIdle([&] { return panel.isBusy(); }));
    REQUIRE(panel.model()->rowCount() == 10);
    CHECK_FALSE(panel.view()->isColumnHidden(BomTableModel::FabColumn));
    CHECK(panel.view()->horizontalHeader()->visualIndex(BomTableModel::FabColumn) ==
          BomTableModel::QuantityColumn + 1);
    CHECK(panel.model()->bom()->fabName == "Community Fab Lab");
    CHECK(panel.totalsText().startsWith("10 lines · 121 pieces · "));
    CHECK(panel.totalsText().endsWith(" · at Community Fab Lab: 3 make, 3 buy, 4 outsource"));
    CHECK(panel.minimumSizeHint().width() <= 320); // the totals line wraps rather than widen

    // Filter and sort through the proxy.
    panel.filterEdit()->setText("WASHER");
    REQUIRE(panel.proxy()->rowCount() == 1);
    CHECK(panel.proxy()->index(0, BomTableModel::PartColumn).data().toString() == "m10-washer");
    panel.filterEdit()->setText("outsource");
    CHECK(panel.proxy()->rowCount() == 4);
    panel.filterEdit()->clear();
    panel.view()->sortByColumn(BomTableModel::LineCostColumn, Qt::DescendingOrder);
    CHECK(panel.proxy()->index(0, BomTableModel::PartColumn).data().toString() == "cross-member");
    CHECK(panel.proxy()->index(0, BomTableModel::LineCostColumn).data().toString() == "464.45");

    auto exportAndCompare = [&](BomExportFormat format, const std::vector<std::string>& extra) {
        const std::string name = "frame." + formatExtension(format).toStdString();
        INFO(name);
        QSignalSpy finished(&panel, &BomPanel::exportFinished);
        REQUIRE(panel.exportTo(QString::fromStdString((out / name).string()), format));
        REQUIRE(waitUntilIdle([&] { return panel.isBusy(); }));
        REQUIRE(finished.size() == 1);
        CHECK(finished[0][1].toString().toStdString() == "");
        std::vector<std::string> args{
            "--repo", commons.openPress().string(),     "bom",      "frame",
            "--fab",  fabFile("community-fablab.toml"), "--format", formatName(format).toStdString(),
            "-o",     (out / ("cli-" + name)).string()};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto cli = runTelar(args, home);
        INFO(cli.err);
        REQUIRE(cli.exitCode == 0);
        const std::string ours = telar::test::readFile(out / name);
        const std::string theirs = telar::test::readFile(out / ("cli-" + name));
        CHECK(ours.size() == theirs.size());
        CHECK(ours == theirs);
        return ours;
    };
    const std::string csv = exportAndCompare(BomExportFormat::Csv, {});
    CHECK(csv.rfind("Module,Part,Name,Qty,Process,Material,", 0) == 0);
    CHECK(csv.find("\r\nframe,side-plate,Side plate,2,laser-cut,steel-s235,") != std::string::npos);
    CHECK(csv.find(",outsource,8 mm is thicker than the 6 mm maximum of CO2 laser 60 W,") !=
          std::string::npos);
    const std::string json = exportAndCompare(BomExportFormat::Json, {});
    const auto j = nlohmann::json::parse(json);
    CHECK(j["fab"] == "Community Fab Lab");
    CHECK(j["currency"] == "EUR");
    CHECK(j["lines"].size() == 10);
    exportAndCompare(BomExportFormat::Xlsx, {});
    const std::string html = exportAndCompare(BomExportFormat::Html, {});
    CHECK(html.find("<svg") != std::string::npos); // thumbnails drawn from the geometry
    const std::string cdx = exportAndCompare(BomExportFormat::CycloneDx, {});
    const auto c = nlohmann::json::parse(cdx);
    CHECK(c["bomFormat"] == "CycloneDX");
    CHECK(c["specVersion"] == "1.5");
    // The file name decides the format, CycloneDX's double extension first.
    CHECK(formatOfFile("press.cdx.json") == BomExportFormat::CycloneDx);
    CHECK(formatOfFile("press.JSON") == BomExportFormat::Json);
    CHECK(formatOfFile("press.cyclonedx") == std::nullopt);
    CHECK(formatOfFile("press") == std::nullopt);
    // The tree toggle: CSV follows it, like --tree.
    panel.setView(telar::core::BomView::Tree);
    CHECK(panel.treeView()->isVisibleTo(&panel));
    const std::string treeCsv = exportAndCompare(BomExportFormat::Csv, {"--tree"});
    CHECK(treeCsv.rfind("Level,Module,Part,", 0) == 0);
    CHECK(panel.statusText().startsWith("Wrote "));

    // All the products at once, as `telar bom` without a module, whatever module is selected.
    panel.setView(telar::core::BomView::Flat);
    panel.setWholeProducts(true);
    REQUIRE(waitUntilIdle([&] { return panel.isBusy(); }));
    CHECK(panel.model()->rowCount() == 64);
    CHECK(panel.titleText().startsWith("Bill of materials of the products at "));
    {
        QSignalSpy finished(&panel, &BomPanel::exportFinished);
        REQUIRE(panel.exportTo(QString::fromStdString((out / "products.csv").string()), BomExportFormat::Csv));
        REQUIRE(waitUntilIdle([&] { return panel.isBusy(); }));
        REQUIRE(finished.size() == 1);
        const auto cli = runTelar({"--repo", commons.openPress().string(), "bom", "--fab",
                                   fabFile("community-fablab.toml"), "--format", "csv", "-o",
                                   (out / "cli-products.csv").string()},
                                  home);
        INFO(cli.err);
        REQUIRE(cli.exitCode == 0);
        CHECK(telar::test::readFile(out / "products.csv") == telar::test::readFile(out / "cli-products.csv"));
    }
    panel.setWholeProducts(false); // back to the module's BOM, from the cache
    CHECK_FALSE(panel.isBusy());
    CHECK(panel.model()->rowCount() == 10);

    // An export that cannot be written says why, naming the file.
    QSignalSpy failed(&panel, &BomPanel::exportFinished);
    REQUIRE(panel.exportTo(QString::fromStdString((out / "no-such-dir" / "x.csv").string()),
                           BomExportFormat::Csv));
    REQUIRE(waitUntilIdle([&] { return panel.isBusy(); }));
    REQUIRE(failed.size() == 1);
    CHECK(failed[0][1].toString().contains("no-such-dir"));
}

TEST_CASE("Licence panel: findings and the verdicts of the two shipped fab profiles", "[gui]") {
    telar::test::ensureGuiApplication();
    ExampleCommons commons;
    Home home;
    auto snap = std::make_shared<const DesignSnapshot>(loadDesignSnapshot(commons.openPress(), "", {}));
    LicensePanel panel;
    panel.setErrorDialogsEnabled(false);
    CHECK(panel.minimumSizeHint().width() <= 320);
    panel.setSnapshot(snap);
    CHECK_FALSE(panel.isBusy()); // nothing runs while the tab is not shown
    panel.setActive(true);
    REQUIRE(waitUntilIdle([&] { return panel.isBusy(); }));
    REQUIRE(panel.result());

    // The findings are those of `telar license check`.
    const auto check = runTelar({"--repo", commons.openPress().string(), "license", "check", "--json"}, home);
    REQUIRE(check.exitCode == 0);
    const auto checkJson = nlohmann::json::parse(check.out);
    CHECK(panel.checkSummary() == "working tree: licences of 9 modules — 0 errors, 4 warnings");
    QTreeWidget* findings = panel.findingsView();
    REQUIRE(findings->topLevelItemCount() == int(checkJson["findings"].size()));
    for (int i = 0; i < findings->topLevelItemCount(); ++i) {
        const auto& f = checkJson["findings"][size_t(i)];
        const QTreeWidgetItem* item = findings->topLevelItem(i);
        CHECK(item->text(LicensePanel::SeverityColumn).toStdString() == f["severity"].get<std::string>());
        CHECK(item->text(LicensePanel::CodeColumn).toStdString() == f["code"].get<std::string>());
        CHECK(item->text(LicensePanel::MessageColumn).toStdString() == f["message"].get<std::string>());
        CHECK(item->text(LicensePanel::HintColumn).toStdString() == f["hint"].get<std::string>());
    }
    CHECK(findings->topLevelItem(0)->text(LicensePanel::ModuleColumn) == "press");
    CHECK(findings->topLevelItem(0)->text(LicensePanel::WhereColumn) ==
          "press/module.toml:31:10 use[2].module");
    REQUIRE(panel.obligationsView()->topLevelItemCount() == 1);
    CHECK(panel.obligationsView()->topLevelItem(0)->childCount() == 5);
    CHECK(panel.verdictView()->topLevelItemCount() == 0);
    CHECK(panel.fabText() == "Choose a fab profile to see what that fab may do with each module.");

    // module → verdict, as the view shows it and as `telar license verdict --json` says it.
    auto verdicts = [&] {
        std::map<std::string, std::string> out;
        const QTreeWidgetItem* product = panel.verdictView()->topLevelItem(0);
        for (int i = 0; product && i < product->childCount(); ++i)
            out[product->child(i)->text(LicensePanel::VerdictModuleColumn).toStdString()] =
                product->child(i)->text(LicensePanel::VerdictColumn).toStdString();
        return out;
    };
    auto cliVerdicts = [&](const std::string& profile) {
        const auto r = runTelar({"--repo", commons.openPress().string(), "license", "verdict", "--fab",
                                 fabFile(profile), "--json"},
                                home);
        REQUIRE(r.exitCode == 0);
        std::map<std::string, std::string> out;
        const auto j = nlohmann::json::parse(r.out);
        for (const auto& m : j["products"][0]["modules"])
            out[m["module"].get<std::string>()] = m["verdict"].get<std::string>();
        return out;
    };

    REQUIRE(panel.setFabProfileFile(qfab("community-fablab.toml")));
    REQUIRE(waitUntilIdle([&] { return panel.isBusy(); }));
    CHECK(panel.fabText() ==
          "Fab: Community Fab Lab (nonprofit, contributes to this commons, non-commercial use)");
    REQUIRE(panel.verdictView()->topLevelItemCount() == 1);
    const QTreeWidgetItem* atLab = panel.verdictView()->topLevelItem(0);
    CHECK(atLab->text(LicensePanel::VerdictModuleColumn) == "press");
    CHECK(atLab->text(LicensePanel::VerdictColumn) == "free with obligations");
    CHECK(atLab->text(LicensePanel::ReasonColumn) == "press: free with obligations");
    const auto lab = verdicts();
    CHECK(lab.size() == 9);
    for (const auto& [module, verdict] : lab)
        CHECK(verdict == "free with obligations");
    CHECK(lab == cliVerdicts("community-fablab.toml"));
    CHECK(panel.reciprocityText().isEmpty());

    // The for-profit workshop: the PPL and CBRL modules need reciprocity, and whom to ask.
    REQUIRE(panel.setFabProfileFile(qfab("forprofit-workshop.toml")));
    REQUIRE(waitUntilIdle([&] { return panel.isBusy(); }));
    CHECK(panel.fabText() == "Fab: Metalworks Ltd (for-profit, does not contribute, commercial use)");
    const QTreeWidgetItem* atShop = panel.verdictView()->topLevelItem(0);
    CHECK(atShop->text(LicensePanel::VerdictColumn) == "reciprocity required");
    CHECK(atShop->text(LicensePanel::ReasonColumn) ==
          "press: reciprocity required (controller, drawer, hopper)");
    const auto shop = verdicts();
    CHECK(shop.at("hopper") == "reciprocity required");
    CHECK(shop.at("drawer") == "reciprocity required");
    CHECK(shop.at("controller") == "reciprocity required");
    CHECK(shop.at("frame") == "free with obligations");
    CHECK(shop.at("controller/sensors") == "free with obligations");
    CHECK(shop == cliVerdicts("forprofit-workshop.toml"));
    const QTreeWidgetItem* hopper = nullptr;
    for (int i = 0; i < atShop->childCount(); ++i)
        if (atShop->child(i)->text(0) == "hopper") hopper = atShop->child(i);
    REQUIRE(hopper);
    CHECK(hopper->text(LicensePanel::VerdictLicenseColumn) == "PPL");
    CHECK(hopper->text(LicensePanel::ObligationsColumn) ==
          "attribute, share alike (whole design), reciprocity");
    CHECK(hopper->text(LicensePanel::ReasonColumn)
              .startsWith("PPL: commercial use by a for-profit enterprise"));
    CHECK(panel.minimumSizeHint().width() <= 320);
    CHECK(panel.reciprocityText() ==
          "Reciprocity: ask Open Press for-benefit association (mailto:stewards@openpress.example); terms: "
          "https://openpress.example/reciprocity");

    // No profile: the findings stay, the verdict section asks for a profile.
    REQUIRE(panel.setFabProfileFile({}));
    REQUIRE(waitUntilIdle([&] { return panel.isBusy(); }));
    CHECK(panel.fabProfileFile().isEmpty());
    CHECK(panel.verdictView()->topLevelItemCount() == 0);
    CHECK(panel.findingsView()->topLevelItemCount() == int(checkJson["findings"].size()));
    CHECK(panel.fabText() == "Choose a fab profile to see what that fab may do with each module.");
    CHECK(panel.reciprocityText().isEmpty());
}

TEST_CASE("Fab-profile editor: round trip, a bad rate rejected naming the field, saved profile used",
          "[gui]") {
    telar::test::ensureGuiApplication();
    TempDir dir("telar-gui-fab");
    FabProfileEditor editor;
    REQUIRE(editor.openFile(qfab("community-fablab.toml")));
    CHECK(editor.nameEdit()->text() == "Community Fab Lab");
    CHECK(editor.currencyEdit()->text() == "EUR");
    CHECK(editor.usdRateEdit()->text() == "0.92");
    CHECK(editor.labourRateEdit()->text() == "20");
    CHECK(editor.kindCombo()->currentText() == "nonprofit");
    CHECK(editor.contributesCheck()->isChecked());
    CHECK(editor.purposeCombo()->currentText() == "non-commercial");
    QTableWidget* machines = editor.machineTable();
    REQUIRE(machines->rowCount() == 4);
    CHECK(machines->item(2, FabProfileEditor::ProcessColumn)->text() == "laser-cut");
    CHECK(machines->item(2, FabProfileEditor::HourlyRateColumn)->text() == "30");
    CHECK(machines->item(2, FabProfileEditor::BedColumn)->text() == "600 × 400");
    CHECK(machines->item(2, FabProfileEditor::MaxThicknessColumn)->text() == "6");
    CHECK(machines->item(0, FabProfileEditor::BuildVolumeColumn)->text() == "250 × 210 × 220");
    CHECK(editor.materialTable()->rowCount() == 5);
    CHECK(editor.validate().empty());

    // What the editor writes reads back as the same profile.
    std::vector<telar::core::Diagnostic> diags;
    const auto original = telar::core::loadFabProfile(fabFile("community-fablab.toml"));
    const auto again = telar::core::parseFabProfile(editor.tomlText(), "fab.toml", diags);
    CHECK(diags.empty());
    CHECK(again.name == original.name);
    CHECK(again.currency == original.currency);
    CHECK(again.usdRate == original.usdRate);
    CHECK(again.labourRate == original.labourRate);
    CHECK(again.organisation == original.organisation);
    CHECK(again.contributes == original.contributes);
    CHECK(again.purpose == original.purpose);
    REQUIRE(again.machines.size() == original.machines.size());
    for (size_t i = 0; i < again.machines.size(); ++i) {
        CHECK(again.machines[i].name == original.machines[i].name);
        CHECK(again.machines[i].hourlyRate == original.machines[i].hourlyRate);
        CHECK(again.machines[i].buildVolume == original.machines[i].buildVolume);
        CHECK(again.machines[i].bed == original.machines[i].bed);
        CHECK(again.machines[i].maxThickness == original.machines[i].maxThickness);
    }
    CHECK(again.materialPrices == original.materialPrices);

    // A negative machine rate is refused by the core's parser, naming the field; nothing is written.
    const QString target = QString::fromStdString((dir / "lab.toml").string());
    machines->item(2, FabProfileEditor::HourlyRateColumn)->setText("-30");
    CHECK_FALSE(editor.saveTo(target));
    CHECK_FALSE(std::filesystem::exists(dir / "lab.toml"));
    CHECK(editor.problemsText().toStdString() ==
          "error: machine[3].hourly_rate: must not be negative, got -30 — write a price of 0 or more");
    CHECK(machines->currentRow() == 2);
    CHECK(machines->currentColumn() == FabProfileEditor::HourlyRateColumn);
    // Not a number at all.
    machines->item(2, FabProfileEditor::HourlyRateColumn)->setText("30");
    editor.labourRateEdit()->setText("twenty");
    CHECK_FALSE(editor.saveTo(target));
    CHECK(editor.problemsText().startsWith("error: fab.labour_rate: "));
    // An unknown process gets the catalogue's did-you-mean.
    editor.labourRateEdit()->setText("22.5");
    machines->item(2, FabProfileEditor::ProcessColumn)->setText("laser-cutt");
    CHECK_FALSE(editor.saveTo(target));
    CHECK(editor.problemsText().contains(
        "machine[3].process: unknown process 'laser-cutt' (did you mean 'laser-cut'?)"));
    machines->item(2, FabProfileEditor::ProcessColumn)->setText("laser-cut");

    // Valid: saved atomically, and the saved profile is what the core reads.
    editor.nameEdit()->setText("Our Lab");
    machines->item(2, FabProfileEditor::HourlyRateColumn)->setText("35.5");
    QSignalSpy saved(&editor, &FabProfileEditor::saved);
    REQUIRE(editor.saveTo(target));
    REQUIRE(saved.size() == 1);
    CHECK(saved[0][0].toString() == target);
    const auto ours = telar::core::loadFabProfile(target.toStdString());
    CHECK(ours.name == "Our Lab");
    CHECK(ours.labourRate == 22.5);
    CHECK(ours.machines[2].hourlyRate == 35.5);
    CHECK(ours.machines[2].process == "laser-cut");
    // Saved over the shipped file's text: its comments and layout stay, only the edited values
    // changed (the editor's 20 for the unchanged 20.0 is the same number and is left alone).
    std::string expected = telar::test::readFile(fabFile("community-fablab.toml"));
    auto change = [&expected](const std::string& from, const std::string& to) {
        const auto at = expected.find(from);
        REQUIRE(at != std::string::npos);
        expected.replace(at, from.size(), to);
    };
    change("name = \"Community Fab Lab\"", "name = \"Our Lab\"");
    change("labour_rate = 20.0 ", "labour_rate = 22.5 ");
    change("hourly_rate = 30.0", "hourly_rate = 35.5");
    CHECK(telar::test::readFile(dir / "lab.toml") == expected);
    CHECK(editor.stateText() == "Saved " + target);

    // The BOM panel can use it: the picker lists it and prices for it.
    BomPanel panel;
    REQUIRE(panel.setFabProfileFile(target));
    CHECK(panel.fabProfile()->name == "Our Lab");
    CHECK(panel.fabPicker()->currentText() == "Our Lab — lab.toml");
    QString error;
    CHECK_FALSE(panel.setFabProfileFile(QString::fromStdString((dir / "missing.toml").string()), &error));
    CHECK(error.contains("missing.toml"));
    CHECK(panel.fabProfile()->name == "Our Lab"); // the previous choice stays
}

TEST_CASE("Main window: licence tab, one fab profile for BOM and licences, Tools → Fab profile", "[gui]") {
    telar::test::ensureGuiApplication();
    ExampleCommons commons;
    Home home;
    TempDir dir("telar-gui-fab");
    MainWindow window(false);
    window.setErrorDialogsEnabled(false);
    window.setInitialSelection("frame", {}, View::Bom);
    window.show();
    QSignalSpy loaded(&window, &MainWindow::designLoaded);
    window.openRepository(QString::fromStdString(commons.openPress().string()));
    for (int i = 0; i < 600 && loaded.isEmpty(); ++i)
        loaded.wait(100);
    REQUIRE_FALSE(loaded.isEmpty());
    REQUIRE(waitUntilIdle([&] { return window.isBusy(); }));
    REQUIRE(window.bomPanel()->model()->rowCount() == 10);
    CHECK_FALSE(window.licensePanel()->result()); // its tab is not shown

    // A profile chosen in the BOM panel is the licence panel's too.
    QComboBox* picker = window.bomPanel()->fabPicker();
    picker->setCurrentIndex(2);
    emit picker->activated(2);
    REQUIRE(waitUntilIdle([&] { return window.isBusy(); }));
    CHECK(window.bomPanel()->model()->bom()->fabName == "Metalworks Ltd");
    CHECK(window.licensePanel()->fabProfileFile() == window.bomPanel()->fabProfileFile());
    auto* tabs = window.findChild<QTabWidget*>();
    REQUIRE(tabs);
    const int licences = tabs->indexOf(window.licensePanel());
    REQUIRE(licences >= 0);
    CHECK(tabs->tabText(licences) == "Licences");
    tabs->setCurrentIndex(licences);
    REQUIRE(waitUntilIdle([&] { return window.isBusy(); }));
    REQUIRE(window.licensePanel()->result());
    CHECK(window.licensePanel()->verdictView()->topLevelItem(0)->text(LicensePanel::VerdictColumn) ==
          "reciprocity required");

    // The editor opens on the chosen profile; what it saves becomes both panels' profile.
    FabProfileEditor* editor = window.openFabProfileEditor();
    REQUIRE(editor);
    CHECK(editor->nameEdit()->text() == "Metalworks Ltd");
    editor->contributesCheck()->setChecked(true);
    editor->nameEdit()->setText("Metalworks Co-op");
    const QString file = QString::fromStdString((dir / "coop.toml").string());
    REQUIRE(editor->saveTo(file));
    REQUIRE(waitUntilIdle([&] { return window.isBusy(); }));
    CHECK(window.bomPanel()->fabProfileFile() == file);
    CHECK(window.licensePanel()->fabProfileFile() == file);
    // Contributing to the commons frees the CBRL modules; PPL still asks for reciprocity.
    CHECK(window.licensePanel()->verdictView()->topLevelItem(0)->text(LicensePanel::ReasonColumn) ==
          "press: reciprocity required (hopper)");
    CHECK(window.licensePanel()->fabText() ==
          "Fab: Metalworks Co-op (for-profit, contributes to this commons, commercial use)");
    editor->close();
}

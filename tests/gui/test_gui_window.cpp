// The main window on the offscreen platform, driven like a user: open a repository, pick
// modules, parts and revisions; errors and the start page.
#include "gui_fixture.h"

#include "bom_panel.h"
#include "bom_table_model.h"
#include "history_model.h"
#include "history_panel.h"
#include "main_window.h"
#include "module_tree_model.h"
#include "part_table_model.h"
#include "properties_panel.h"
#include "start_page.h"

#include <QComboBox>
#include <QEventLoop>
#include <QTimer>
#include <QListWidget>
#include <QSignalSpy>
#include <QTest>
#include <QStatusBar>
#include <QStackedWidget>
#include <QTableView>
#include <QTreeView>

#include <catch2/catch.hpp>

using namespace telar::desktop;
using telar::test::ExampleCommons;

namespace {

// Opens path at rev and waits for the design (true) or the failure (false).
bool openAndWait(MainWindow& window, const std::filesystem::path& path, const QString& rev = {}) {
    QSignalSpy loaded(&window, &MainWindow::designLoaded);
    QSignalSpy failed(&window, &MainWindow::designLoadFailed);
    window.openRepository(QString::fromStdString(path.string()), rev);
    for (int i = 0; i < 600 && loaded.isEmpty() && failed.isEmpty(); ++i) loaded.wait(100);
    return !loaded.isEmpty();
}

bool waitGeometry(MainWindow& window) {
    QSignalSpy done(&window, &MainWindow::geometryFinished);
    for (int i = 0; i < 600 && window.isBusy(); ++i) done.wait(100);
    return !window.isBusy();
}

} // namespace

TEST_CASE("Main window opens the example commons and shows modules, parts and properties", "[gui]") {
    telar::test::ensureGuiApplication();
    ExampleCommons commons;
    MainWindow window(/*persistent=*/false);
    window.setErrorDialogsEnabled(false);
    window.resize(1200, 800);
    window.show();
    REQUIRE(openAndWait(window, commons.openPress()));
    REQUIRE(window.snapshot());
    CHECK(window.snapshot()->rev.empty()); // the working tree by default
    CHECK(window.windowTitle() == "Open Press — working tree — Telar");

    // The first product is selected: its two parts are listed.
    CHECK(window.partModel()->moduleId() == "press");
    CHECK(window.partModel()->rowCount() == 2);
    CHECK(window.properties()->value("Name") == "Open Press");
    CHECK(window.properties()->value("Version") == "1.0.0");

    REQUIRE(window.selectModule("frame"));
    CHECK(window.partModel()->rowCount() == 10);
    CHECK(window.properties()->value("Licence") == "CERN-OHL-S-2.0");
    REQUIRE(window.selectPart("side-plate"));
    CHECK(window.properties()->value("Material") == "steel-s235");
    CHECK(window.properties()->value("Process") == "laser-cut");
    CHECK(window.properties()->value("Quantity") == "2");
    CHECK(window.properties()->value("File") == "frame/cad/side-plate.step");
    CHECK(window.properties()->value("Licence") == "CERN-OHL-S-2.0 (from the module)");
    REQUIRE(waitGeometry(window));
    CHECK(window.properties()->value("Format") == "STEP");
    CHECK(window.properties()->value("Solids") == "1");
    CHECK(window.properties()->value("Closed") == "yes");
    // 8 mm side plates at HEAD: the stock size's last edge is the thickness.
    CHECK(window.properties()->value("Stock size").endsWith("× 8.00 mm"));

    // Imported geometry shows its origin.
    REQUIRE(window.selectModule("wheels"));
    REQUIRE(window.selectPart("wheel-hub"));
    CHECK(window.properties()->value("Source") == "https://fieldcart.example.org/cad/wheel-hub.step");
    CHECK(window.properties()->value("Author") == "Field Cart project");
    CHECK(window.properties()->value("Licence") == "CC-BY-SA-4.0 (from the module)");
    REQUIRE(waitGeometry(window));

    // A purchased part has no CAD file: nothing to load.
    REQUIRE(window.selectPart("tyre"));
    CHECK_FALSE(window.isBusy());
    CHECK(window.properties()->value("Unit cost") == "21.00 USD");
    CHECK_FALSE(window.selectPart("no-such-part"));
}

TEST_CASE("Properties list the contributors of the selected module from its history", "[gui]") {
    telar::test::ensureGuiApplication();
    ExampleCommons commons;
    MainWindow window(/*persistent=*/false);
    window.setErrorDialogsEnabled(false);
    window.resize(1200, 800);
    window.show();
    REQUIRE(openAndWait(window, commons.openPress()));
    REQUIRE(window.selectModule("controller"));
    // Computed off the GUI thread: wait for the section.
    QEventLoop loop;
    for (int i = 0; i < 300 && window.properties()->value("Chen Wei").isEmpty(); ++i) {
        QTimer::singleShot(100, &loop, &QEventLoop::quit);
        loop.exec();
    }
    // The controller's three commits are Chen Wei's (see the history model test).
    CHECK(window.properties()->value("Chen Wei") == "3 commits");
    CHECK(window.properties()->value("Name") == "Controller");

    // That history is the History tab's too: shown at once, without computing it again.
    QSignalSpy started(window.historyPanel(), &HistoryPanel::jobStarted);
    window.showView(View::History);
    CHECK(started.isEmpty());
    CHECK_FALSE(window.historyPanel()->isBusy());
    CHECK(window.historyPanel()->shownQuery() == "controller");
    CHECK(window.historyPanel()->model()->rowCount() == 3);
}

TEST_CASE("Revision picker reloads the design from a tag without checkout", "[gui]") {
    telar::test::ensureGuiApplication();
    ExampleCommons commons;
    MainWindow window(false);
    window.setErrorDialogsEnabled(false);
    window.show();
    REQUIRE(openAndWait(window, commons.openPress(), "HEAD"));
    QComboBox* picker = window.revisionPicker();
    REQUIRE(picker->count() == 5);
    CHECK(picker->itemText(0) == "Working tree");
    CHECK(picker->itemText(1) == "HEAD (main)");
    CHECK(picker->itemText(2) == "branch main");
    CHECK(picker->itemText(3) == "tag v1.0");
    CHECK(picker->itemText(4) == "Other revision…");
    CHECK(picker->currentIndex() == 1);

    REQUIRE(window.selectModule("hopper"));
    CHECK(window.properties()->value("Version") == "1.1.0");

    QSignalSpy loaded(&window, &MainWindow::designLoaded);
    picker->activated(3); // what choosing "tag v1.0" emits
    for (int i = 0; i < 600 && loaded.isEmpty(); ++i) loaded.wait(100);
    REQUIRE(loaded.size() == 1);
    CHECK(window.snapshot()->rev == "v1.0");
    CHECK(picker->currentIndex() == 3);
    // The selection is kept across the reload, showing the module as it was at v1.0.
    CHECK(window.partModel()->moduleId() == "hopper");
    CHECK(window.properties()->value("Version") == "1.0.0");
    // The working tree was not touched (no checkout).
    CHECK(telar::test::readFile(commons.openPress() / "hopper/module.toml").find("version = \"1.1.0\"") !=
          std::string::npos);

    // An unknown revision keeps the design shown and reports the core's message.
    QSignalSpy failed(&window, &MainWindow::designLoadFailed);
    window.loadRevision("v9.9");
    for (int i = 0; i < 600 && failed.isEmpty(); ++i) failed.wait(100);
    REQUIRE(failed.size() == 1);
    CHECK(failed.first().first().toString().contains("unknown revision 'v9.9'"));
    CHECK(window.snapshot()->rev == "v1.0");
    CHECK(picker->currentIndex() == 3);
}

TEST_CASE("A folder that is not a repository stays on the start page with the core's message", "[gui]") {
    telar::test::ensureGuiApplication();
    telar::test::TempDir empty;
    MainWindow window(false);
    window.setErrorDialogsEnabled(false);
    window.show();
    auto* stack = qobject_cast<QStackedWidget*>(window.centralWidget());
    REQUIRE(stack);
    CHECK(qobject_cast<StartPage*>(stack->currentWidget()));
    CHECK_FALSE(openAndWait(window, empty.path()));
    CHECK(window.lastError().contains("not a git repository"));
    CHECK(window.snapshot() == nullptr);
    CHECK(qobject_cast<StartPage*>(stack->currentWidget()));
}

TEST_CASE("Initial selection for the 3D view picks the first part with a CAD file", "[gui]") {
    telar::test::ensureGuiApplication();
    ExampleCommons commons;
    MainWindow window(false);
    window.setErrorDialogsEnabled(false);
    window.setInitialSelection("controller", "cad/enclosure.step", View::ThreeD);
    window.show();
    REQUIRE(openAndWait(window, commons.openPress()));
    CHECK(window.partModel()->moduleId() == "controller");
    CHECK(window.partView()->currentIndex().row() == 8);
    REQUIRE(waitGeometry(window));
    CHECK(window.properties()->value("Instances") == "6");
    CHECK(window.properties()->value("Unique parts") == "3");

    // Default: the product has a nameplate with a STEP file, the first row with a file.
    window.applySelection({}, {}, View::ThreeD);
    CHECK(window.partModel()->moduleId() == "press");
    CHECK(window.partView()->currentIndex().row() == 0);
    REQUIRE(waitGeometry(window));
    CHECK(window.properties()->value("Id") == "nameplate");
}

TEST_CASE("BOM tab computes the selected module's bill of materials when shown", "[gui]") {
    telar::test::ensureGuiApplication();
    ExampleCommons commons;
    telar::test::TempDir home;
    setenv("TELAR_HOME", home.path().c_str(), 1);
    MainWindow window(false);
    window.setErrorDialogsEnabled(false);
    window.setInitialSelection("frame", {}, View::Bom);
    window.show();
    REQUIRE(openAndWait(window, commons.openPress()));
    for (int i = 0; i < 600 && window.isBusy(); ++i) QTest::qWait(100);
    REQUIRE_FALSE(window.isBusy());
    REQUIRE(window.bomPanel()->model()->rowCount() == 10);
    CHECK(window.bomPanel()->totalsText().startsWith("10 lines · 121 pieces · "));

    // Another module while the tab is shown: recomputed for it.
    REQUIRE(window.selectModule("controller/sensors"));
    for (int i = 0; i < 600 && window.isBusy(); ++i) QTest::qWait(100);
    CHECK(window.bomPanel()->model()->rowCount() == 5);
    CHECK(window.bomPanel()->totalsText().startsWith("5 lines · 30 pieces · "));

    // Not shown: nothing is computed.
    window.showView(View::Parts);
    REQUIRE(window.selectModule("hopper"));
    CHECK_FALSE(window.bomPanel()->isBusy());
    INFO("status: " << window.statusBar()->currentMessage().toStdString());
    CHECK_FALSE(window.isBusy());
    CHECK(window.bomPanel()->model()->rowCount() == 5);
    unsetenv("TELAR_HOME");
}

// telar adopt on real repositories (Voron-0, Oak-Compact-Joystick) and on small made-up ones.

#include "telar/core/adopt.h"
#include "telar/core/manifest.h"
#include "telar/error.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;
using namespace telar::core;
using telar::test::TempDir;
using telar::test::writeFile;

namespace {

const ModuleManifest* findModule(const AdoptProposal& p, const std::string& id) {
    for (const auto& m : p.modules)
        if (m.id == id) return &m;
    return nullptr;
}

bool hasUndecided(const AdoptProposal& p, const std::string& kind, const std::string& text) {
    return std::any_of(p.undecided.begin(), p.undecided.end(), [&](const AdoptUndecided& u) {
        return u.kind == kind && u.message.find(text) != std::string::npos;
    });
}

fs::path copyRealRepo(const fs::path& from, const TempDir& tmp) {
    fs::path to = tmp.path() / from.filename();
    fs::copy(from, to, fs::copy_options::recursive);
    REQUIRE(telar::test::run({"git", "init", "-q", to.string()}).exitCode == 0);
    return to;
}

} // namespace

TEST_CASE("adopt file names follow Voron's naming", "[adopt]") {
    auto a = parseAdoptFileName("[a]_Railstops_x5.stl");
    CHECK(a.stem == "Railstops");
    CHECK(a.quantity == 5);
    CHECK(a.accent);
    auto b = parseAdoptFileName("PSU_Cover_x1.STL");
    CHECK(b.stem == "PSU_Cover");
    CHECK(b.quantity == 1);
    CHECK_FALSE(b.accent);
    auto c = parseAdoptFileName("[a]_Hotend_Mount_Dragon.stl");
    CHECK(c.stem == "Hotend_Mount_Dragon");
    CHECK(c.quantity == 0);
    auto d = parseAdoptFileName("Box_xl.stl");
    CHECK(d.stem == "Box_xl");
    CHECK(d.quantity == 0);
    CHECK(adoptSanitizeId("9mm_Spacer") == "9mm_spacer");
    CHECK(adoptSanitizeId("VHB DIN Mount") == "vhb-din-mount");
    CHECK(adoptSanitizeId("__Ünïcode (v2)") == "n-code-v2");
    CHECK(adoptSanitizeId("***") == "part");
}

TEST_CASE("adopt Voron-0: quantities, modules, twins and the GPL licence", "[adopt][realdata]") {
    TELAR_REQUIRE_REALDATA(realdata);
    TempDir tmp;
    fs::path repo = copyRealRepo(realdata / "Voron-0", tmp);
    AdoptProposal p = proposeAdoption(repo);

    CHECK(p.project.license == "GPL-3.0-only");
    CHECK(hasUndecided(p, "license", "GPL-3.0-or-later"));

    struct Expect {
        const char* module;
        const char* part;
        long long quantity;
    };
    for (const Expect& e : {Expect{"STLs", "railstops", 5}, Expect{"STLs", "9mm_spacer", 6},
                            Expect{"STLs", "idler_cam_lock", 2}, Expect{"STLs/Panel_Mounting", "middle_clip", 9},
                            Expect{"STLs/Tophat", "th_side_clip", 4}, Expect{"STLs/Tophat", "th_side_clip_mirror", 4},
                            Expect{"STLs/Electronics", "psu_cover", 1}}) {
        INFO(e.module << " " << e.part);
        const ModuleManifest* m = findModule(p, e.module);
        REQUIRE(m);
        const Part* part = m->findPart(e.part);
        REQUIRE(part);
        CHECK(part->quantity == e.quantity);
        CHECK(part->process == "fdm-print");
    }
    const Part* rail = findModule(p, "STLs")->findPart("railstops");
    CHECK(rail->file == "[a]_Railstops_x5.stl");
    CHECK(rail->name == "Railstops");
    CHECK(rail->notes.find("accent colour") != std::string::npos);
    CHECK(findModule(p, "STLs/Electronics")->findPart("psu_cover")->file == "PSU_Cover_x1.STL");

    // Module ids are the folder paths; each module is used by its nearest ancestor module.
    const ModuleManifest* stls = findModule(p, "STLs");
    std::vector<std::string> uses;
    for (const auto& u : stls->uses) uses.push_back(u.module);
    CHECK(uses == std::vector<std::string>{"STLs/Electronics", "STLs/Panel_Mounting", "STLs/Toolheads/Hotend_Mounts/Standard",
                                           "STLs/Tophat"});
    CHECK(p.project.products == std::vector<std::string>{"CAD/ADXL_Mounts", "CAD/Electronics Mounts",
                                                         "CAD/Hotend Mounts/Standard", "STLs"});

    // The STEP/STL twins become one part: the STL, with the STEP noted.
    const ModuleManifest* toolheads = findModule(p, "STLs/Toolheads/Hotend_Mounts/Standard");
    REQUIRE(toolheads);
    const Part* dragon = toolheads->findPart("hotend_mount_dragonfly_bms_7_fins");
    REQUIRE(dragon);
    CHECK(dragon->notes.find("CAD/Hotend Mounts/Standard/Hotend_Mount_Dragonfly_BMS_7_FINS.step") != std::string::npos);
    CHECK(hasUndecided(p, "twin", "Hotend_Mount_Dragonfly_BMS_7_FINS.step"));
    const ModuleManifest* cadHotend = findModule(p, "CAD/Hotend Mounts/Standard");
    REQUIRE(cadHotend);
    REQUIRE(cadHotend->parts.size() == 1);
    CHECK(cadHotend->parts[0].id == "hotend_mount_creality_spider_pro");
    CHECK(cadHotend->parts[0].process.empty());
    CHECK(hasUndecided(p, "process", "Hotend_Mount_Creality_Spider_Pro.step"));
    // Upper-case .STEP is a CAD file too.
    CHECK(findModule(p, "CAD/Electronics Mounts")->findPart("vhb-din-mount"));
    // Without _xN, a Voron part is build-specific.
    CHECK(hasUndecided(p, "quantity", "[a]_Hotend_Mount_Dragon.stl"));

    writeAdoption(repo, p);
    CHECK(fs::exists(repo / "telar.toml"));
    CHECK(fs::exists(repo / "STLs/Panel_Mounting/module.toml"));
    std::vector<Diagnostic> diags;
    auto text = telar::test::readFile(repo / "STLs/module.toml");
    auto m = parseModuleManifest(text, "STLs/module.toml", "STLs", diags);
    CHECK(diags.empty());
    REQUIRE(m.findPart("railstops"));
    CHECK(m.findPart("railstops")->quantity == 5);
    CHECK_THROWS_AS(writeAdoption(repo, p), telar::UsageError);
}

TEST_CASE("adopt Oak-Compact-Joystick: the hardware licence from LICENSES/", "[adopt][realdata]") {
    TELAR_REQUIRE_REALDATA(realdata);
    TempDir tmp;
    fs::path repo = copyRealRepo(realdata / "Oak-Compact-Joystick", tmp);
    AdoptProposal p = proposeAdoption(repo);
    CHECK(p.project.license == "CERN-OHL-W-2.0");
    std::vector<std::string> ids;
    for (const auto& l : p.licenses) ids.push_back(l.id);
    CHECK(std::find(ids.begin(), ids.end(), "CC-BY-SA-4.0") != ids.end());
    CHECK(hasUndecided(p, "license", "CC-BY-SA-4.0"));
    CHECK(hasUndecided(p, "license", "GPL-3.0"));
    // Topper twins: STL parts with their STEP noted; the interface has no twin.
    const ModuleManifest* toppers = findModule(p, "Build_Files/3D_Printing_Files/Toppers");
    REQUIRE(toppers);
    CHECK(toppers->parts.size() == 3);
    const ModuleManifest* iface = findModule(p, "Design_Files/CAD_Files/Topper_Interface");
    REQUIRE(iface);
    REQUIRE(iface->parts.size() == 1);
    CHECK(iface->parts[0].id == "oak_topper_interface");
    CHECK(hasUndecided(p, "twin", "Oak_Topper_Nut.step"));
}

TEST_CASE("adopt reads REUSE dep5 for module licences", "[adopt]") {
    TempDir tmp;
    fs::path repo = tmp.path();
    writeFile(repo / ".reuse/dep5", "Format: https://www.debian.org/doctypes/copyright-format/1.0/\n"
                                    "Upstream-Name: x\n\n"
                                    "Files: hardware/*\nCopyright: A\nLicense: CERN-OHL-S-2.0\n\n"
                                    "Files: docs/*\nCopyright: A\nLicense: CC-BY-4.0\n");
    writeFile(repo / "hardware/case/top.STP", "ISO-10303-21;");
    writeFile(repo / "hardware/case/foot.3mf", "x");
    AdoptProposal p = proposeAdoption(repo);
    REQUIRE(p.modules.size() == 1);
    CHECK(p.modules[0].id == "hardware/case");
    CHECK(p.modules[0].license == "CERN-OHL-S-2.0");
    CHECK(p.project.license == "CERN-OHL-S-2.0");
    CHECK(p.modules[0].findPart("foot")->process == "fdm-print");
    CHECK(p.modules[0].findPart("top")->process.empty());
}

TEST_CASE("adopt without any licence says so", "[adopt]") {
    TempDir tmp;
    writeFile(tmp.path() / "parts/Bracket.stl", "solid x\nendsolid x\n");
    AdoptProposal p = proposeAdoption(tmp.path());
    CHECK(p.project.license.empty());
    CHECK(hasUndecided(p, "license", "no licence found"));
    REQUIRE(p.modules.size() == 1);
    CHECK(p.modules[0].parts[0].quantity == 1);
}

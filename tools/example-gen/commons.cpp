#include "commons.h"

#include <cstdio>
#include <sstream>

namespace telar::examplegen {

namespace {

using K = ShapeSpec::Kind;

ShapeSpec shape(K kind, double a, double b, double c, int holes = 0, double hole = 5) {
    ShapeSpec s;
    s.kind = kind;
    s.a = a;
    s.b = b;
    s.c = c;
    s.holes = holes;
    s.holeDiameter = hole;
    return s;
}

PartDef made(std::string id, std::string name, std::string process, std::string material, int qty, ShapeSpec s) {
    PartDef p;
    p.id = std::move(id);
    p.name = std::move(name);
    p.process = std::move(process);
    p.material = std::move(material);
    p.quantity = qty;
    p.shape = s;
    p.stl = p.process == "fdm-print";
    return p;
}

PartDef bought(std::string id, std::string name, int qty, double cost, std::string supplier = {},
               std::string sku = {}) {
    PartDef p;
    p.id = std::move(id);
    p.name = std::move(name);
    p.process = "purchased";
    p.quantity = qty;
    p.unitCost = cost;
    p.supplier = std::move(supplier);
    p.sku = std::move(sku);
    return p;
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

} // namespace

std::vector<ModuleDef> openPressModules() {
    std::vector<ModuleDef> ms;

    ModuleDef frame{"frame", "Frame", "1.0.0", "CERN-OHL-S-2.0", "Bolted box frame carrying the press loads", {}, {}, {}};
    frame.parts = {
        made("side-plate", "Side plate", "laser-cut", "steel-s235", 2, shape(K::Plate, 600, 400, 6, 6, 11)),
        made("base-plate", "Base plate", "laser-cut", "steel-s235", 1, shape(K::Plate, 700, 500, 8, 8, 11)),
        made("cross-member", "Cross member", "cnc-mill", "steel-1018", 4, shape(K::Block, 500, 60, 40, 2, 11)),
        made("gusset", "Corner gusset", "laser-cut", "steel-s235", 8, shape(K::Bracket, 80, 80, 6, 1, 11)),
        made("top-rail", "Top rail", "laser-cut", "steel-s235", 2, shape(K::Plate, 700, 80, 8, 4, 11)),
        made("foot-pad", "Foot pad", "fdm-print", "tpu", 4, shape(K::Spacer, 15, 60, 12)),
        made("corner-cap", "Corner cap", "fdm-print", "tpu", 4, shape(K::Knob, 20, 40, 0)),
        bought("m10x30", "Hex bolt M10x30 ISO 4017", 24, 0.18, "Fastenal", "ISO4017-M10x30-8.8"),
        bought("m10-nut", "Hex nut M10 ISO 4032", 24, 0.06, "Fastenal", "ISO4032-M10-8"),
        bought("m10-washer", "Washer M10 ISO 7089", 48, 0.03, "Fastenal", "ISO7089-10"),
    };
    ms.push_back(frame);

    ModuleDef hopper{"hopper", "Soil hopper", "1.0.0", "PPL", "Hopper with a rotating agitator that feeds sifted soil", {}, {}, {}};
    hopper.parts = {
        made("hopper-wall", "Hopper wall", "laser-cut", "steel-s235", 2, shape(K::Plate, 400, 350, 3, 4, 7)),
        made("hopper-end", "Hopper end", "laser-cut", "steel-s235", 2, shape(K::Plate, 300, 350, 3, 4, 7)),
        made("agitator-shaft", "Agitator shaft", "turning", "steel-1018", 1, shape(K::Spacer, 380, 25, 6)),
        made("agitator-paddle", "Agitator paddle", "laser-cut", "stainless-304", 4, shape(K::Plate, 120, 40, 3, 2, 6)),
        made("shaft-collar", "Shaft collar", "cnc-mill", "aluminium-6061", 2, shape(K::Spacer, 15, 40, 25)),
        made("funnel-guide", "Funnel guide", "fdm-print", "petg", 2, shape(K::Bracket, 100, 60, 4, 2, 6)),
        bought("bearing-6205", "Deep groove ball bearing 6205-2RS", 2, 3.20, "SKF", "6205-2RSH"),
        bought("m6x16", "Socket head screw M6x16 ISO 4762", 16, 0.08, "Fastenal", "ISO4762-M6x16"),
    };
    ms.push_back(hopper);

    ModuleDef chamber{"compression-chamber", "Compression chamber", "1.0.0", "CERN-OHL-S-2.0",
                      "Mould, piston and lid where the brick is pressed", {}, {}, {}};
    chamber.parts = {
        made("liner-plate", "Liner plate", "laser-cut", "stainless-304", 4, shape(K::Plate, 300, 150, 10, 4, 13)),
        made("piston-plate", "Piston plate", "cnc-mill", "steel-1018", 1, shape(K::Block, 290, 140, 30, 4, 13)),
        made("lid", "Chamber lid", "cnc-mill", "steel-1018", 1, shape(K::Block, 300, 150, 25, 6, 13)),
        made("hinge-pin", "Lid hinge pin", "turning", "steel-1018", 2, shape(K::Spacer, 160, 20, 6)),
        made("hinge-knuckle", "Hinge knuckle", "cnc-mill", "steel-1018", 4, shape(K::Spacer, 30, 40, 20)),
        made("wear-strip", "Wear strip", "cnc-mill", "hdpe", 4, shape(K::Plate, 280, 20, 5, 3, 5)),
        bought("m12x40", "Hex bolt M12x40 ISO 4017", 8, 0.35, "Fastenal", "ISO4017-M12x40-8.8"),
    };
    ms.push_back(chamber);

    ModuleDef hydraulics{"hydraulics", "Hydraulic power unit", "1.0.0", "CERN-OHL-W-2.0",
                         "Pump, valves and the main cylinder that drives the piston", {}, {}, {}};
    hydraulics.parts = {
        made("manifold-block", "Valve manifold block", "cnc-mill", "aluminium-6061", 1, shape(K::Block, 80, 60, 50, 3, 8)),
        made("cylinder-mount", "Cylinder mount", "cnc-mill", "steel-1018", 2, shape(K::Bracket, 120, 80, 12, 2, 13)),
        made("clevis-pin", "Clevis pin", "turning", "steel-1018", 2, shape(K::Spacer, 90, 25, 6)),
        made("hose-guide", "Hose guide clip", "fdm-print", "petg", 6, shape(K::Knob, 30, 24, 0)),
        bought("hydraulic-cylinder", "Hydraulic cylinder 63/250", 1, 185.00, "Hydraulic Supply Co.", "HC-63-250"),
        bought("gear-pump", "Gear pump 8 cc", 1, 120.00, "Hydraulic Supply Co.", "GP-8"),
        bought("relief-valve", "Pressure relief valve", 1, 38.50, "Hydraulic Supply Co.", "RV-210"),
        bought("hose-assembly", "Hydraulic hose 1/2\" x 1 m", 3, 14.20, "Hydraulic Supply Co.", "HOSE-08-1000"),
        bought("control-valve", "Directional control valve", 1, 64.00, "Hydraulic Supply Co.", "DCV-1S"),
    };
    hydraulics.parts[0].license = "CERN-OHL-P-2.0";
    ms.push_back(hydraulics);

    ModuleDef drawer{"drawer", "Soil drawer", "1.0.0", "LicenseRef-CBRL-1.0",
                     "Sliding drawer that meters soil into the chamber", {}, {}, {}};
    drawer.parts = {
        made("drawer-floor", "Drawer floor", "laser-cut", "plywood-birch", 1, shape(K::Plate, 300, 150, 12)),
        made("drawer-side", "Drawer side", "laser-cut", "plywood-birch", 2, shape(K::Plate, 300, 80, 12, 2, 4)),
        made("drawer-front", "Drawer front", "laser-cut", "plywood-birch", 1, shape(K::Plate, 160, 80, 12, 2, 4)),
        made("drawer-handle", "Drawer handle", "fdm-print", "petg", 1, shape(K::Bracket, 120, 30, 8, 2, 4)),
        made("drawer-runner", "Drawer runner", "cnc-mill", "hdpe", 2, shape(K::Plate, 300, 20, 10, 3, 4)),
        bought("wood-screw-4x30", "Wood screw 4x30", 16, 0.04, "Spax", "4x30-T20"),
    };
    ms.push_back(drawer);

    ModuleDef controller{"controller", "Controller", "1.0.0", "LicenseRef-CBRL-1.0",
                         "Relay controller that sequences the press cycle", {}, {}, {}};
    controller.parts = {
        made("front-knob", "Front panel knob", "fdm-print", "pla", 2, shape(K::Knob, 20, 30, 0)),
        made("gland-plate", "Cable gland plate", "laser-cut", "acrylic-pmma", 1, shape(K::Plate, 80, 40, 3, 3, 12)),
        made("din-rail-clip", "DIN rail clip", "fdm-print", "petg", 4, shape(K::Bracket, 40, 20, 3, 1, 4)),
        bought("microcontroller", "Microcontroller board (RP2040)", 1, 9.50, "Raspberry Pi", "SC0915"),
        bought("relay-module", "Relay module 2-channel 12 V", 1, 4.80, "Generic", "RLY-2CH-12V"),
        bought("pressure-switch", "Pressure switch 200 bar", 1, 22.00, "Hydraulic Supply Co.", "PS-200"),
        bought("psu-12v", "Power supply 12 V 5 A DIN", 1, 18.90, "Mean Well", "HDR-60-12"),
        bought("e-stop", "Emergency stop button", 1, 7.40, "Schneider", "XB5AS8442"),
    };
    AssemblyDef enclosure;
    enclosure.file = "cad/enclosure.step";
    enclosure.name = "Controller enclosure";
    enclosure.process = "fdm-print";
    enclosure.material = "petg";
    enclosure.components = {
        {"Enclosure base", shape(K::Block, 160, 110, 50), {0, 0, 0}, {0.20, 0.45, 0.30}},
        {"Enclosure lid", shape(K::Plate, 160, 110, 4), {0, 0, 50}, {0.85, 0.85, 0.80}},
        {"Lid screw:1", shape(K::Screw, 12, 3, 5.5), {8, 8, 54}, {0.30, 0.30, 0.30}},
        {"Lid screw:2", shape(K::Screw, 12, 3, 5.5), {152, 8, 54}, {0.30, 0.30, 0.30}},
        {"Lid screw:3", shape(K::Screw, 12, 3, 5.5), {8, 102, 54}, {0.30, 0.30, 0.30}},
        {"Lid screw:4", shape(K::Screw, 12, 3, 5.5), {152, 102, 54}, {0.30, 0.30, 0.30}},
    };
    enclosure.rules = {{"*screw*", "purchased"}};
    controller.assembly = enclosure;
    controller.uses = {{"controller/sensors", 1}};
    ms.push_back(controller);

    ModuleDef sensors{"controller/sensors", "Sensors", "1.0.0", "CERN-OHL-P-2.0",
                      "Limit switches and the pressure sensor with printed mounts", {}, {}, {}};
    sensors.parts = {
        made("sensor-bracket", "Sensor bracket", "fdm-print", "pla", 3, shape(K::Bracket, 50, 25, 4, 2, 3.4)),
        made("sensor-cover", "Sensor cover", "fdm-print", "pla", 3, shape(K::Plate, 30, 20, 2)),
        bought("limit-switch", "Limit switch (roller lever)", 3, 2.10, "Omron", "V-156-1C25"),
        bought("pressure-sensor", "Pressure transducer 0-250 bar", 1, 26.00, "Generic", "PT-250"),
        bought("cable-tie", "Cable tie 150 mm", 20, 0.02),
    };
    ms.push_back(sensors);

    ModuleDef wheels{"wheels", "Wheel set", "1.0.0", "CC-BY-SA-4.0", "Axle and two wheels to move the press on site", {}, {}, {}};
    wheels.parts = {
        made("wheel-hub", "Wheel hub", "cnc-mill", "aluminium-6061", 2, shape(K::Spacer, 60, 100, 25)),
        made("axle", "Axle", "turning", "steel-1018", 1, shape(K::Spacer, 600, 25, 6)),
        made("axle-bracket", "Axle bracket", "laser-cut", "steel-s235", 2, shape(K::Bracket, 100, 80, 8, 2, 26)),
        made("hubcap", "Hub cap", "fdm-print", "pla", 2, shape(K::Knob, 10, 90, 0)),
        bought("tyre", "Pneumatic tyre 4.00-8", 2, 21.00, "Generic", "TYRE-400-8"),
        bought("cotter-pin", "Cotter pin 4x40", 2, 0.15),
    };
    wheels.parts[0].origin = Origin{"https://fieldcart.example.org/cad/wheel-hub.step", "CC-BY-4.0",
                                    "Field Cart project", "2026-01-21"};
    ms.push_back(wheels);

    ModuleDef press{"press", "Open Press", "1.0.0", "CERN-OHL-S-2.0",
                    "The whole compressed-earth brick press as a fab builds it", {}, {}, {}};
    press.parts = {
        made("nameplate", "Nameplate", "laser-cut", "stainless-304", 1, shape(K::Plate, 120, 60, 1.5, 4, 4)),
        bought("lifting-eye", "Lifting eye bolt M12", 2, 5.60, "Fastenal", "DIN580-M12"),
    };
    press.uses = {{"frame", 1}, {"hopper", 1}, {"compression-chamber", 1}, {"hydraulics", 1},
                  {"drawer", 1}, {"controller", 1}, {"wheels", 2}};
    ms.push_back(press);
    return ms;
}

std::vector<ModuleDef> generatedModules(int modules, int parts) {
    static const char* kPrinted[] = {"pla", "petg", "asa"};
    static const char* kSheet[] = {"steel-s235", "aluminium-5052", "plywood-birch", "acrylic-pmma"};
    static const char* kBar[] = {"aluminium-6061", "steel-1018", "hdpe"};
    std::vector<ModuleDef> ms;
    const int leaves = modules > 1 ? modules - 1 : 1;
    int made_parts = 0;
    for (int i = 0; i < leaves; ++i) {
        char id[32];
        std::snprintf(id, sizeof id, "m%03d", i + 1);
        ModuleDef m{id, std::string("Module ") + std::to_string(i + 1), "1.0.0", i % 7 == 3 ? "PPL" : "CERN-OHL-S-2.0",
                    "Generated module", {}, {}, {}};
        int count = parts / leaves + (i < parts % leaves ? 1 : 0);
        for (int k = 0; k < count; ++k, ++made_parts) {
            const int n = made_parts;
            const double v = 1.0 + (n % 97) * 0.01; // vary sizes so every part is unique geometry
            std::string pid = "p" + std::to_string(k + 1);
            std::string name = "Part " + std::to_string(n + 1);
            switch (n % 4) {
            case 0:
                m.parts.push_back(made(pid, name, "fdm-print", kPrinted[n % 3], 1 + n % 3,
                                       shape(K::Bracket, 40 * v, 20, 4, 1, 4)));
                break;
            case 1:
                m.parts.push_back(made(pid, name, "laser-cut", kSheet[n % 4], 1 + n % 2,
                                       shape(K::Plate, 120 * v, 60, 3, 2, 5)));
                break;
            case 2:
                m.parts.push_back(made(pid, name, "cnc-mill", kBar[n % 3], 1, shape(K::Block, 50 * v, 30, 20, 1, 5)));
                break;
            default:
                m.parts.push_back(bought(pid, name, 2 + n % 5, 0.1 + (n % 13) * 0.25, "Generic", "SKU-" + std::to_string(n)));
            }
        }
        ms.push_back(m);
    }
    ModuleDef root{"machine", "Generated machine", "1.0.0", "CERN-OHL-S-2.0", "Product of every generated module", {}, {}, {}};
    for (const auto& m : ms) root.uses.push_back({m.path, 1});
    if (modules > 1) ms.push_back(root);
    return ms;
}

std::string moduleToml(const ModuleDef& m) {
    std::ostringstream t;
    t << "# " << m.name << " — " << m.description << "\n";
    t << "[module]\n";
    t << "name = " << quoted(m.name) << "\n";
    t << "version = " << quoted(m.version) << "\n";
    t << "license = " << quoted(m.license) << "\n";
    t << "description = " << quoted(m.description) << "\n";
    for (const auto& p : m.parts) {
        t << "\n[[part]]\n";
        t << "id = " << quoted(p.id) << "\n";
        t << "name = " << quoted(p.name) << "\n";
        if (p.shape) t << "file = " << quoted("cad/" + p.id + (p.stl ? ".stl" : ".step")) << "\n";
        if (!p.material.empty()) t << "material = " << quoted(p.material) << "\n";
        t << "process = " << quoted(p.process) << "\n";
        t << "quantity = " << p.quantity << "\n";
        if (p.process == "purchased") {
            t << "unit_cost = " << number(p.unitCost) << "\n";
            t << "currency = \"USD\"\n";
            if (!p.supplier.empty()) t << "supplier = " << quoted(p.supplier) << "\n";
            if (!p.sku.empty()) t << "sku = " << quoted(p.sku) << "\n";
        }
        if (!p.license.empty()) t << "license = " << quoted(p.license) << "\n";
        if (p.origin) {
            t << "[part.origin]\n";
            t << "source = " << quoted(p.origin->source) << "\n";
            t << "license = " << quoted(p.origin->license) << "\n";
            t << "author = " << quoted(p.origin->author) << "\n";
            t << "retrieved = " << quoted(p.origin->retrieved) << "\n";
            t << "sha256 = \"@SHA256:" << p.id << "@\"\n"; // filled in once the file exists
        }
    }
    if (m.assembly) {
        const auto& a = *m.assembly;
        t << "\n# " << a.name << ": a multi-part STEP file expanded by its product structure\n";
        t << "[[assembly]]\n";
        t << "file = " << quoted(a.file) << "\n";
        t << "process = " << quoted(a.process) << "\n";
        t << "material = " << quoted(a.material) << "\n";
        for (const auto& [match, process] : a.rules) {
            t << "[[assembly.rule]]\n";
            t << "match = " << quoted(match) << "\n";
            t << "process = " << quoted(process) << "\n";
        }
    }
    for (const auto& [module, qty] : m.uses) {
        t << "\n[[use]]\n";
        t << "module = " << quoted(module) << "\n";
        t << "quantity = " << qty << "\n";
    }
    return t.str();
}

} // namespace telar::examplegen

// Reading 3MF: round trips through our own writer, hand-written packages (units, build items,
// components, colours, scaled and mirrored instances), hostile packages, the worker path.
#include "cad_test_helpers.h"
#include "stl_fixtures.h"
#include "telar/cad/analyze.h"
#include "telar/cad/batch.h"
#include "telar/cad/mesh.h"
#include "telar/error.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>

using namespace telar::cad;
using namespace telar::cad::test;

namespace {

std::string readAll(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint32_t crc32(const std::string& data) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char b : data) {
        c ^= b;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

void put16(std::string& s, std::uint32_t v) {
    s.push_back(char(v & 0xFF));
    s.push_back(char((v >> 8) & 0xFF));
}
void put32(std::string& s, std::uint32_t v) {
    put16(s, v & 0xFFFF);
    put16(s, v >> 16);
}

// One entry of a test zip. With declaredSize the data is written as a deflate stream of stored
// blocks whose header claims declaredSize uncompressed bytes.
struct ZipEntry {
    std::string name;
    std::string data;
    std::optional<std::uint32_t> declaredSize;
};

std::string zipOf(const std::vector<ZipEntry>& entries) {
    std::string zip, central;
    for (const ZipEntry& e : entries) {
        std::string payload = e.data;
        const bool deflated = e.declaredSize.has_value();
        if (deflated) {
            payload.clear();
            payload.push_back('\x01'); // final stored block
            put16(payload, static_cast<std::uint32_t>(e.data.size()));
            put16(payload, static_cast<std::uint32_t>(~e.data.size() & 0xFFFF));
            payload += e.data;
        }
        const std::uint32_t size = deflated ? *e.declaredSize : static_cast<std::uint32_t>(e.data.size());
        const std::uint32_t offset = static_cast<std::uint32_t>(zip.size());
        auto header = [&](std::string& s, bool isCentral) {
            put32(s, isCentral ? 0x02014b50u : 0x04034b50u);
            if (isCentral) put16(s, 20);
            put16(s, 20);
            put16(s, 0);
            put16(s, deflated ? 8 : 0);
            put16(s, 0);
            put16(s, 0x21);
            put32(s, crc32(e.data));
            put32(s, static_cast<std::uint32_t>(payload.size()));
            put32(s, size);
            put16(s, static_cast<std::uint32_t>(e.name.size()));
            put16(s, 0);
            if (isCentral) {
                put16(s, 0);
                put16(s, 0);
                put16(s, 0);
                put32(s, 0);
                put32(s, offset);
            }
            s += e.name;
        };
        header(zip, false);
        zip += payload;
        header(central, true);
    }
    const std::uint32_t centralOffset = static_cast<std::uint32_t>(zip.size());
    zip += central;
    put32(zip, 0x06054b50u);
    put16(zip, 0);
    put16(zip, 0);
    put16(zip, static_cast<std::uint32_t>(entries.size()));
    put16(zip, static_cast<std::uint32_t>(entries.size()));
    put32(zip, static_cast<std::uint32_t>(central.size()));
    put32(zip, centralOffset);
    put16(zip, 0);
    return zip;
}

const std::string kContentTypes =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"model\" "
    "ContentType=\"application/vnd.ms-package.3dmanufacturing-3dmodel+xml\"/></Types>";

std::string relsTo(const std::string& target) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
           "<Relationship Target=\"" +
           target +
           "\" Id=\"rel0\" "
           "Type=\"http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel\"/></Relationships>";
}

// A 3MF package holding model as 3D/3dmodel.model (plus extra parts).
std::string packageOf(const std::string& model, std::vector<ZipEntry> extra = {}) {
    std::vector<ZipEntry> entries = {{"[Content_Types].xml", kContentTypes, std::nullopt},
                                     {"_rels/.rels", relsTo("/3D/3dmodel.model"), std::nullopt},
                                     {"3D/3dmodel.model", model, std::nullopt}};
    for (ZipEntry& e : extra)
        entries.push_back(std::move(e));
    return zipOf(entries);
}

std::string modelOf(const std::string& body, const std::string& attributes = "unit=\"millimeter\"") {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<model " + attributes +
           " xmlns=\"http://schemas.microsoft.com/3dmanufacturing/core/2015/02\">\n" + body + "</model>\n";
}

// The mesh of the box [0,a]×[0,b]×[0,c] shifted by (dx,dy,dz), as a 3MF <mesh> element.
std::string boxMesh(double a, double b, double c, double dx = 0, double dy = 0, double dz = 0) {
    const double v[8][3] = {{0, 0, 0}, {a, 0, 0}, {a, b, 0}, {0, b, 0},
                            {0, 0, c}, {a, 0, c}, {a, b, c}, {0, b, c}};
    const int faces[12][3] = {{0, 2, 1}, {0, 3, 2}, {4, 5, 6}, {4, 6, 7}, {0, 1, 5}, {0, 5, 4},
                              {1, 2, 6}, {1, 6, 5}, {2, 3, 7}, {2, 7, 6}, {3, 0, 4}, {3, 4, 7}};
    std::string s = "<mesh><vertices>\n";
    char buffer[160];
    for (const auto& p : v) {
        std::snprintf(buffer, sizeof buffer, "<vertex x=\"%g\" y=\"%g\" z=\"%g\"/>\n", p[0] + dx, p[1] + dy,
                      p[2] + dz);
        s += buffer;
    }
    s += "</vertices><triangles>\n";
    for (const auto& f : faces) {
        std::snprintf(buffer, sizeof buffer, "<triangle v1=\"%d\" v2=\"%d\" v3=\"%d\"/>\n", f[0], f[1], f[2]);
        s += buffer;
    }
    return s + "</triangles></mesh>\n";
}

std::string errorOf(const std::string& bytes, const std::string& name) {
    try {
        analyzeBytes(bytes, name);
    } catch (const telar::CadError& e) {
        CHECK(e.file() == name);
        return e.what();
    }
    return "(analysed without error)";
}

// Triangles write3mf keeps: per group, vertices welded by position, degenerate triangles dropped.
std::size_t trianglesWritten(const Mesh& mesh) {
    std::size_t kept = 0;
    for (const MeshGroup& g : mesh.groups) {
        std::map<std::array<float, 3>, std::uint32_t> weld;
        for (std::uint32_t i = g.firstIndex; i + 3 <= g.firstIndex + g.indexCount; i += 3) {
            std::uint32_t v[3];
            for (int k = 0; k < 3; ++k) {
                const float* p = &mesh.positions[std::size_t(mesh.indices[i + std::uint32_t(k)]) * 3];
                v[k] = weld.try_emplace({p[0], p[1], p[2]}, static_cast<std::uint32_t>(weld.size()))
                           .first->second;
            }
            kept += (v[0] != v[1] && v[1] != v[2] && v[0] != v[2]) ? 1 : 0;
        }
    }
    return kept;
}

// The triangles of one group as a mesh of its own.
Mesh groupOf(const Mesh& mesh, const MeshGroup& group) {
    Mesh out = mesh;
    out.indices.assign(mesh.indices.begin() + group.firstIndex,
                       mesh.indices.begin() + group.firstIndex + group.indexCount);
    out.groups = {group};
    out.groups[0].firstIndex = 0;
    return out;
}

std::size_t placedTriangles(const AnalysisResult& r) {
    std::size_t n = 0;
    for (const PartInfo& p : r.parts)
        n += p.triangles * static_cast<std::size_t>(p.quantity);
    return n;
}

} // namespace

TEST_CASE("3MF round trip of a box through write3mf", "[cad]") {
    Mesh mesh =
        tessellate(readAll(std::filesystem::path(TELAR_CAD_TEST_DIR) / "corpus/box.step"), "box.step");
    REQUIRE(mesh.groups.size() == 1);
    mesh.groups[0].name = "box:1"; // the object's name in the package
    const std::string package = write3mf(mesh);
    const AnalysisResult r = analyzeBytes(package, "box.3mf");
    CHECK(r.format == Format::ThreeMf);
    CHECK(r.lengthUnits == std::vector<std::string>{"millimeter"});
    CHECK(r.unitToMm == 1.0);
    REQUIRE(r.parts.size() == 1);
    const PartInfo& p = r.parts[0];
    CHECK(p.name == "box");
    CHECK(p.rawNames == std::vector<std::string>{"box:1"});
    CHECK(p.quantity == 1);
    CHECK(p.volume == Approx(6000.0));
    CHECK(p.area == Approx(2200.0));
    CHECK(p.triangles == 12);
    CHECK(p.closed);
    CHECK(p.valid);
    CHECK(p.orientedSize.x == Approx(30.0));
    CHECK(p.orientedSize.y == Approx(20.0));
    CHECK(p.orientedSize.z == Approx(10.0));
    CHECK(p.fingerprint.rfind("mesh:v=6000;a=2200;", 0) == 0);
    CHECK(r.warnings.empty());
    REQUIRE(r.nodes.size() == 1);
    CHECK(r.nodes[0].kind == NodeKind::Part);
    CHECK(r.nodes[0].shapeType == "mesh");
    CHECK(r.roots == std::vector<int>{0});
    CHECK(r.totals.instances == 1);
    CHECK(r.totals.volume == Approx(6000.0));

    // Tessellating the 3MF gives the mesh back, with write3mf's default colour.
    const Mesh back = tessellate(package, "box.3mf");
    CHECK(back.triangleCount() == 12);
    REQUIRE(back.groups.size() == 1);
    CHECK(back.groups[0].name == "box:1");
    CHECK(back.groups[0].part == 0);
    CHECK(back.groups[0].colour == Rgb{180, 180, 180});
    CHECK(analyzeBytes(writeStl(back), "back.stl").parts[0].volume == Approx(6000.0));
}

TEST_CASE("3MF round trip of real STEP parts: volume within 0.5 %, exact triangle count", "[cad]") {
    TELAR_REQUIRE_REALDATA(root);
    struct Case {
        std::string file;
        double volume;
        std::size_t parts;
    };
    const std::vector<Case> cases = {
        {"Voron-0/CAD/Hotend Mounts/Standard/Hotend_Mount_Creality_Spider_Pro.step", 6167.6, 1},
        {"Voron-0/CAD/ADXL_Mounts/MiniSB_adxl_mount_ldo_15mm_c_c.step", 16281.6, 8},
    };
    for (const Case& c : cases) {
        INFO(c.file);
        const AnalysisResult step = analyzeFile(root / c.file, c.file);
        CHECK(nearRel(step.totals.volume, c.volume, 1e-4));
        const Mesh mesh = tessellate(readAll(root / c.file), c.file, kWholeFile, 0.05);
        const std::string package = write3mf(mesh, "round trip");
        const AnalysisResult r = analyzeBytes(package, "round_trip.3mf");
        CHECK(nearRel(r.totals.volume, step.totals.volume, 5e-3));
        CHECK(placedTriangles(r) == trianglesWritten(mesh));
        CHECK(r.totals.instances == step.totals.instances);
        // Equal meshes placed apart are one part again, as in the STEP file.
        CHECK(r.parts.size() == c.parts);
        // The same mesh as one STL: the same overall box and area.
        const AnalysisResult stl = analyzeBytes(writeStl(mesh), "round_trip.stl");
        CHECK(r.totals.bbox == stl.totals.bbox);
        CHECK(nearRel(r.totals.area, stl.totals.area, 1e-6));
        // Each part measures as the STL of its own tessellation does (open where that is open).
        for (const PartInfo& p : r.parts) {
            INFO(p.name);
            const PartInfo* original = findPart(step, p.name);
            REQUIRE(original != nullptr);
            CHECK(p.quantity == original->quantity);
            const int index = static_cast<int>(original - step.parts.data());
            const auto group = std::find_if(mesh.groups.begin(), mesh.groups.end(),
                                            [&](const MeshGroup& g) { return g.part == index; });
            REQUIRE(group != mesh.groups.end());
            const Mesh partMesh = groupOf(mesh, *group);
            const PartInfo single = analyzeBytes(writeStl(partMesh), "part.stl").parts[0];
            CHECK(p.triangles == trianglesWritten(partMesh));
            CHECK(p.closed == single.closed);
            CHECK(nearRel(p.volume, single.volume, 1e-6));
            CHECK(nearRel(p.area, single.area, 1e-6));
        }
    }
}

TEST_CASE("3MF in inches with two build items of one object", "[cad]") {
    // The box 1×2×3 inch, placed as is and turned 90° about z, 10 inch along x.
    const std::string model =
        modelOf("<resources>\n<object id=\"7\" type=\"model\" name=\"bracket\">" + boxMesh(1, 2, 3) +
                    "</object>\n</resources>\n<build>\n<item objectid=\"7\"/>\n"
                    "<item objectid=\"7\" transform=\"0 1 0 -1 0 0 0 0 1 10 0 0\"/>\n</build>\n",
                "unit=\"inch\" xml:lang=\"en-US\"");
    const AnalysisResult r = analyzeBytes(packageOf(model), "inch.3mf");
    CHECK(r.lengthUnits == std::vector<std::string>{"inch"});
    CHECK(r.unitToMm == 25.4);
    REQUIRE(r.parts.size() == 1);
    const PartInfo& p = r.parts[0];
    CHECK(p.name == "bracket");
    CHECK(p.rawNames == std::vector<std::string>{"bracket"});
    CHECK(p.quantity == 2);
    CHECK(p.volume == Approx(6 * 25.4 * 25.4 * 25.4));
    CHECK(p.area == Approx(22 * 25.4 * 25.4));
    CHECK(p.bbox.size().x == Approx(25.4));
    CHECK(p.bbox.size().y == Approx(50.8));
    CHECK(p.bbox.size().z == Approx(76.2));
    CHECK(p.orientedSize.x == Approx(76.2));
    CHECK(p.orientedSize.y == Approx(50.8));
    CHECK(p.orientedSize.z == Approx(25.4));
    CHECK(p.centroid.x == Approx(12.7));
    CHECK(p.centroid.y == Approx(25.4));
    CHECK(p.centroid.z == Approx(38.1));
    CHECK(p.closed);
    CHECK(p.valid);
    CHECK(r.totals.instances == 2);
    CHECK(r.totals.uniqueParts == 1);
    CHECK(r.totals.volume == Approx(12 * 25.4 * 25.4 * 25.4));
    // Overall: x from 0 to 10 inch (the turned copy spans 8..10), y 0..2, z 0..3.
    CHECK(r.totals.bbox.min.x == Approx(0.0).margin(1e-9));
    CHECK(r.totals.bbox.max.x == Approx(254.0));
    CHECK(r.totals.bbox.size().y == Approx(50.8));
    CHECK(r.totals.bbox.size().z == Approx(76.2));
    REQUIRE(r.nodes.size() == 2);
    CHECK(r.roots == std::vector<int>{0, 1});
    CHECK(r.nodes[1].kind == NodeKind::Part);
    CHECK(r.nodes[1].part == 0);
    CHECK(r.nodes[1].placement.translation.x == Approx(254.0));
    CHECK(r.nodes[1].placement.rotation == std::array<double, 9>{0, -1, 0, 1, 0, 0, 0, 0, 1});
    CHECK(r.warnings.empty());

    const Mesh mesh = tessellate(packageOf(model), "inch.3mf");
    CHECK(mesh.groups.size() == 2);
    CHECK(mesh.triangleCount() == 24);
    CHECK(analyzeBytes(writeStl(mesh), "inch.stl").totals.bbox.size().x == Approx(254.0));
}

TEST_CASE("3MF components, equal meshes under two ids, colours, scaled and mirrored items", "[cad]") {
    const std::string model =
        modelOf("<resources>\n"
                "<basematerials id=\"1\"><base name=\"red\" displaycolor=\"#FF0000\"/><base name=\"blue\" "
                "displaycolor=\"#0000ffcc\"/></basematerials>\n"
                "<object id=\"2\" name=\"box\" pid=\"1\" pindex=\"0\">" +
                boxMesh(1, 2, 3) +
                "</object>\n"
                "<object id=\"3\" name=\"box (2)\" pid=\"1\" pindex=\"1\">" +
                boxMesh(1, 2, 3, 5, 5, 5) +
                "</object>\n"
                "<object id=\"4\" name=\"pair\"><components><component objectid=\"2\"/>"
                "<component objectid=\"3\" transform=\"1 0 0 0 1 0 0 0 1 0 0 10\"/></components></object>\n"
                "<object id=\"5\">" +
                boxMesh(1, 1, 1) +
                "</object>\n"
                "</resources>\n<build>\n<item objectid=\"4\"/>\n"
                "<item objectid=\"2\" transform=\"2 0 0 0 2 0 0 0 2 20 0 0\"/>\n"
                "<item objectid=\"5\" transform=\"-1 0 0 0 1 0 0 0 1 -30 0 0\"/>\n</build>\n");
    const std::string package = packageOf(model);
    const AnalysisResult r = analyzeBytes(package, "parts.3mf");
    CHECK(r.lengthUnits == std::vector<std::string>{"millimeter"});
    REQUIRE(r.parts.size() == 3);
    // Objects 2 and 3 hold the same box at different places: one part of quantity 2.
    CHECK(r.parts[0].name == "box");
    CHECK(r.parts[0].quantity == 2);
    CHECK(r.parts[0].rawNames == std::vector<std::string>{"box", "box (2)"});
    CHECK(r.parts[0].volume == Approx(6.0));
    CHECK(r.parts[0].colour == Rgb{255, 0, 0});
    // Scaled ×2: other geometry, its own part.
    CHECK(r.parts[1].name == "box");
    CHECK(r.parts[1].quantity == 1);
    CHECK(r.parts[1].volume == Approx(48.0));
    CHECK(r.parts[1].bbox.size().z == Approx(6.0));
    // Mirrored: still outward-facing, positive volume, no warning; the unnamed object's name.
    CHECK(r.parts[2].name == "object 5");
    CHECK(r.parts[2].volume == Approx(1.0));
    CHECK(r.parts[2].valid);
    CHECK(r.warnings.empty());
    CHECK(r.totals.instances == 4);
    CHECK(r.totals.volume == Approx(6 + 6 + 48 + 1));
    CHECK(r.totals.bbox.min.x == Approx(-31.0));
    CHECK(r.totals.bbox.max.x == Approx(22.0));
    CHECK(r.totals.bbox.max.z == Approx(18.0));

    // The tree: the assembly with its two parts, then the two single items.
    REQUIRE(r.nodes.size() == 5);
    CHECK(r.roots == std::vector<int>{0, 3, 4});
    CHECK(r.nodes[0].kind == NodeKind::Assembly);
    CHECK(r.nodes[0].name == "pair");
    CHECK(r.nodes[0].children == std::vector<int>{1, 2});
    CHECK(r.nodes[1].name == "box");
    CHECK(r.nodes[1].parent == 0);
    CHECK(r.nodes[1].colour == Rgb{255, 0, 0});
    CHECK(r.nodes[2].name == "box (2)");
    CHECK(r.nodes[2].part == 0);
    CHECK(r.nodes[2].colour == Rgb{0, 0, 255});
    CHECK(r.nodes[2].placement.translation.z == Approx(10.0));
    CHECK(r.nodes[3].part == 1);
    CHECK(r.nodes[4].name == "object 5");
    CHECK(r.nodes[4].productName.empty());

    // Tessellation: one group per placed mesh, with its colour and part.
    const Mesh whole = tessellate(package, "parts.3mf");
    REQUIRE(whole.groups.size() == 4);
    CHECK(whole.triangleCount() == 48);
    CHECK(whole.groups[1].colour == Rgb{0, 0, 255});
    CHECK(whole.groups[1].part == 0);
    CHECK(whole.groups[3].part == 2);
    const AnalysisResult placed = analyzeBytes(writeStl(whole), "whole.stl");
    CHECK(placed.totals.volume == Approx(61.0));
    const Mesh scaled = tessellate(package, "parts.3mf", 1);
    CHECK(scaled.triangleCount() == 12);
    CHECK(analyzeBytes(writeStl(scaled), "scaled.stl").parts[0].bbox.size().y == Approx(4.0));
    CHECK_THROWS_WITH(tessellate(package, "parts.3mf", 3), "parts.3mf: part 3 does not exist");
}

TEST_CASE("3MF open meshes, production parts and unread extensions", "[cad]") {
    // A box without its top face: open edges, warned about.
    std::string open = boxMesh(1, 1, 1);
    const std::string top = "<triangle v1=\"4\" v2=\"5\" v3=\"6\"/>\n";
    open.erase(open.find(top), top.size());
    const AnalysisResult r =
        analyzeBytes(packageOf(modelOf("<resources><object id=\"1\" name=\"tray\">" + open +
                                       "</object></resources><build><item objectid=\"1\"/></build>")),
                     "tray.3mf");
    REQUIRE(r.parts.size() == 1);
    CHECK_FALSE(r.parts[0].closed);
    CHECK(r.warnings ==
          std::vector<std::string>{"part 'tray' is not watertight (3 open, 0 non-manifold, 0 "
                                   "inconsistently oriented edges): its volume is not meaningful"});

    // A root model whose component lives in another model part (the production extension), in cm.
    const std::string production =
        "xmlns:p=\"http://schemas.microsoft.com/3dmanufacturing/production/2015/06\"";
    const std::string rootModel =
        modelOf("<resources><object id=\"1\" name=\"plate\"><components>"
                "<component p:path=\"/3D/Objects/object_1.model\" objectid=\"3\" transform=\"1 0 0 0 1 0 0 0 "
                "1 1 0 0\"/>"
                "</components></object></resources><build><item objectid=\"1\"/></build>",
                "unit=\"centimeter\" requiredextensions=\"p s\" " + production +
                    " xmlns:s=\"http://schemas.microsoft.com/3dmanufacturing/slice/2015/07\"");
    const std::string objectModel = modelOf("<resources><object id=\"3\" name=\"cube\">" + boxMesh(1, 1, 1) +
                                                "</object></resources><build/>",
                                            "unit=\"centimeter\"");
    const AnalysisResult multi = analyzeBytes(
        packageOf(rootModel, {{"3D/Objects/object_1.model", objectModel, std::nullopt}}), "multi.3mf");
    REQUIRE(multi.parts.size() == 1);
    CHECK(multi.parts[0].name == "cube");
    CHECK(multi.parts[0].volume == Approx(1000.0));
    CHECK(multi.totals.bbox.min.x == Approx(10.0));
    CHECK(multi.lengthUnits == std::vector<std::string>{"centimeter"});
    CHECK(multi.warnings ==
          std::vector<std::string>{
              "the model requires the 3MF extension "
              "http://schemas.microsoft.com/3dmanufacturing/slice/2015/07, which is not read: "
              "geometry it adds is missing"});

    // The model part is found through the package relationships, whatever its name.
    const std::string renamed = zipOf({{"_rels/.rels", relsTo("/3D/shop.model"), std::nullopt},
                                       {"3D/shop.model",
                                        modelOf("<resources><object id=\"1\">" + boxMesh(2, 2, 2) +
                                                "</object></resources><build><item objectid=\"1\"/></build>"),
                                        std::nullopt}});
    CHECK(analyzeBytes(renamed, "renamed.3mf").totals.volume == Approx(8.0));
}

TEST_CASE("3MF bad input table", "[cad]") {
    const std::string box = "<resources><object id=\"1\">" + boxMesh(1, 1, 1) + "</object></resources>";
    const std::string item = "<build><item objectid=\"1\"/></build>";
    std::string outOfRange = box;
    outOfRange.replace(outOfRange.find("v3=\"1\""), 6, "v3=\"99\"");
    std::string emptyZip;
    put32(emptyZip, 0x06054b50u);
    emptyZip.append(18, '\0');
    struct Row {
        std::string name;
        std::string bytes;
        std::string message;
    };
    const std::vector<Row> rows = {
        {"empty.3mf", emptyZip,
         "empty.3mf: content is not 3MF (nor any other CAD format we read) despite the file extension"},
        {"broken.3mf", std::string("PK\x03\x04", 4) + std::string(100, 'x'),
         "broken.3mf: 3MF package is not a readable zip archive (Not a zip archive)"},
        {"nomodel.3mf", zipOf({{"[Content_Types].xml", kContentTypes, std::nullopt}}),
         "nomodel.3mf: 3MF package has no 3D model part 3D/3dmodel.model"},
        {"lost.3mf", zipOf({{"_rels/.rels", relsTo("/3D/lost.model"), std::nullopt}}),
         "lost.3mf: 3MF package has no 3D model part 3D/lost.model"},
        {"garbage.3mf", packageOf("\x01\x02 not xml at all"),
         "garbage.3mf: 3MF part 3D/3dmodel.model line 1: has text outside the root element"},
        {"cut.3mf", packageOf(modelOf(box + item).substr(0, 300)),
         "cut.3mf: 3MF part 3D/3dmodel.model line 8: ends inside the tag <vertex>"},
        {"unclosed.3mf",
         packageOf("<model xmlns=\"http://schemas.microsoft.com/3dmanufacturing/core/2015/02\" unit=\"inch"),
         "unclosed.3mf: 3MF part 3D/3dmodel.model line 1: ends inside the value of attribute unit"},
        {"mismatch.3mf", packageOf(modelOf("<resources></build>")),
         "mismatch.3mf: 3MF part 3D/3dmodel.model line 3: has </build> where </resources> was expected"},
        {"root.3mf", packageOf("<model unit=\"millimeter\"/>"),
         "root.3mf: 3MF part 3D/3dmodel.model line 1: has the root element <model> in namespace '', not "
         "3MF's "
         "<model> in http://schemas.microsoft.com/3dmanufacturing/core/2015/02"},
        {"dtd.3mf", packageOf("<!DOCTYPE model [<!ENTITY a \"aaaaaaaa\">]>\n" + modelOf(box + item)),
         "dtd.3mf: 3MF part 3D/3dmodel.model line 1: holds a document type declaration, which 3MF does not "
         "allow"},
        {"entity.3mf", packageOf(modelOf(box + item, "unit=\"&lol;\"")),
         "entity.3mf: 3MF part 3D/3dmodel.model line 2: uses the undefined entity &lol;"},
        {"unit.3mf", packageOf(modelOf(box + item, "unit=\"furlong\"")),
         "unit.3mf: 3MF part 3D/3dmodel.model line 2: declares the unknown unit 'furlong' (3MF knows micron, "
         "millimeter, centimeter, inch, foot, meter)"},
        {"index.3mf", packageOf(modelOf(outOfRange + item)),
         "index.3mf: 3MF part 3D/3dmodel.model line 13: object 1 triangle 0 refers to vertex 99, but the "
         "mesh "
         "has 8 vertices"},
        {"number.3mf",
         packageOf(modelOf("<resources><object id=\"1\"><mesh><vertices><vertex x=\"1\" y=\"nan\" z=\"0\"/>"
                           "</vertices></mesh></object></resources>" +
                           item)),
         "number.3mf: 3MF part 3D/3dmodel.model line 3: has a bad number 'nan' in a vertex"},
        {"far.3mf",
         packageOf(modelOf("<resources><object id=\"1\"><mesh><vertices><vertex x=\"1\" y=\"1e31\" z=\"0\"/>"
                           "</vertices></mesh></object></resources>" +
                           item)),
         "far.3mf: 3MF part 3D/3dmodel.model line 3: has a vertex coordinate out of range"},
        {"scale.3mf",
         packageOf(
             modelOf(box + "<build><item objectid=\"1\" transform=\"1e7 0 0 0 1 0 0 0 1 0 0 0\"/></build>")),
         "scale.3mf: 3MF build places object 1 with a transform out of range (scaled by more than 10⁶ or "
         "moved by "
         "more than 10³⁰ mm)"},
        {"missing.3mf",
         packageOf(modelOf("<resources><object id=\"1\"><mesh><vertices><vertex x=\"1\" y=\"2\"/>"
                           "</vertices></mesh></object></resources>" +
                           item)),
         "missing.3mf: 3MF part 3D/3dmodel.model line 3: <vertex> lacks the attribute z"},
        {"notriangles.3mf",
         packageOf(modelOf("<resources><object id=\"1\"><mesh><vertices/><triangles/></mesh>"
                           "</object></resources>" +
                           item)),
         "notriangles.3mf: 3MF part 3D/3dmodel.model line 3: object 1 has a mesh without triangles"},
        {"dangling.3mf", packageOf(modelOf(box + "<build><item objectid=\"9\"/></build>")),
         "dangling.3mf: 3MF part 3D/3dmodel.model line 26: the build item refers to object 9, which the part "
         "does not define"},
        {"twice.3mf",
         packageOf(modelOf("<resources><object id=\"1\">" + boxMesh(1, 1, 1) + "</object><object id=\"1\">" +
                           boxMesh(1, 1, 1) + "</object></resources>" + item)),
         "twice.3mf: 3MF part 3D/3dmodel.model line 26: defines resource id 1 twice"},
        {"nobuild.3mf", packageOf(modelOf(box + "<build/>")),
         "nobuild.3mf: 3MF model has no build items: it places no object"},
        {"transform.3mf",
         packageOf(modelOf(box + "<build><item objectid=\"1\" transform=\"1 0 0 0 1 0\"/></build>")),
         "transform.3mf: 3MF part 3D/3dmodel.model line 26: has a transform without 12 numbers: '1 0 0 0 1 "
         "0'"},
        {"cycle.3mf",
         packageOf(modelOf(
             "<resources><object id=\"1\"><components><component objectid=\"2\"/></components></object>"
             "<object id=\"2\"><components><component objectid=\"1\"/></components></object></resources>" +
             item)),
         "cycle.3mf: 3MF object 1 contains itself through its components"},
        {"production.3mf",
         packageOf(modelOf(
             "<resources><object id=\"1\"><components><component p:path=\"/3D/gone.model\" objectid=\"1\"/>"
             "</components></object></resources>" +
                 item,
             "xmlns:p=\"http://schemas.microsoft.com/3dmanufacturing/production/2015/06\"")),
         "production.3mf: 3MF package has no model part 3D/gone.model, which the model refers to"},
        {"prefix.3mf", packageOf(modelOf(box + "<build><item objectid=\"1\" q:path=\"x\"/></build>")),
         "prefix.3mf: 3MF part 3D/3dmodel.model line 26: uses the undeclared namespace prefix 'q'"},
        {"huge.3mf",
         zipOf({{"_rels/.rels", relsTo("/3D/3dmodel.model"), std::nullopt},
                {"3D/3dmodel.model", modelOf(box + item), 4000000000u}}),
         "huge.3mf: 3MF part 3D/3dmodel.model declares 4000000000 bytes uncompressed, more than the limit of "
         "536870912"},
        {"short.3mf",
         zipOf({{"_rels/.rels", relsTo("/3D/3dmodel.model"), std::nullopt},
                {"3D/3dmodel.model", modelOf(box + item), 100u}}),
         "short.3mf: 3MF part 3D/3dmodel.model does not hold the 100 bytes its zip entry declares"},
    };
    for (const Row& row : rows) {
        INFO(row.name);
        const auto start = std::chrono::steady_clock::now();
        CHECK(errorOf(row.bytes, row.name) == row.message);
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    }
    // tessellate refuses the same input with the same message.
    CHECK_THROWS_WITH(tessellate(rows[12].bytes, rows[12].name), rows[12].message);
}

TEST_CASE("3MF nesting and expansion are bounded", "[cad]") {
    // 100000 nested components: refused at the depth limit, quickly.
    std::string deep = "<resources><object id=\"1\">" + boxMesh(1, 1, 1) + "</object>";
    for (int i = 2; i <= 100000; ++i)
        deep += "<object id=\"" + std::to_string(i) + "\"><components><component objectid=\"" +
                std::to_string(i - 1) + "\"/></components></object>";
    deep += "</resources><build><item objectid=\"100000\"/></build>";
    auto start = std::chrono::steady_clock::now();
    CHECK(errorOf(packageOf(modelOf(deep)), "deep.3mf") ==
          "deep.3mf: 3MF components are nested more than 64 levels deep");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));

    // 40 levels that each place the level below twice, side by side: 2^40 boxes. Refused, not expanded.
    std::string doubling = "<resources><object id=\"1\">" + boxMesh(1, 1, 1) + "</object>";
    for (int i = 2; i <= 41; ++i)
        doubling += "<object id=\"" + std::to_string(i) + "\"><components><component objectid=\"" +
                    std::to_string(i - 1) + "\"/><component objectid=\"" + std::to_string(i - 1) +
                    "\" transform=\"1 0 0 0 1 0 0 0 1 " + std::to_string(1ll << (i - 2)) +
                    " 0 0\"/></components></object>";
    doubling += "</resources><build><item objectid=\"41\"/></build>";
    start = std::chrono::steady_clock::now();
    CHECK(errorOf(packageOf(modelOf(doubling)), "doubling.3mf") ==
          "doubling.3mf: 3MF build expands to more than 100000 placed objects");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));

    // 10 levels are fine: 1024 boxes, one unique part.
    std::string fine = doubling.substr(0, doubling.find("<object id=\"12\"")) +
                       "</resources><build><item objectid=\"11\"/></build>";
    const AnalysisResult r = analyzeBytes(packageOf(modelOf(fine)), "fine.3mf");
    REQUIRE(r.parts.size() == 1);
    CHECK(r.parts[0].quantity == 1024);
    CHECK(r.totals.volume == Approx(1024.0));
    CHECK(r.totals.bbox.size().x == Approx(1024.0));
}

TEST_CASE("3MF through worker processes gives the in-process result", "[cad]") {
    REQUIRE_FALSE(findWorkerExecutable().empty());
    const Mesh mesh =
        tessellate(readAll(std::filesystem::path(TELAR_CAD_TEST_DIR) / "corpus/box.step"), "box.step");
    const std::string package = write3mf(mesh, "box");
    const std::string inch =
        packageOf(modelOf("<resources><object id=\"1\" name=\"b\">" + boxMesh(1, 2, 3) +
                              "</object></resources><build><item objectid=\"1\"/>"
                              "<item objectid=\"1\" transform=\"1 0 0 0 1 0 0 0 1 0 5 0\"/></build>",
                          "unit=\"inch\""));
    const std::vector<FileJob> jobs = {
        {"box.3mf", {}, package}, {"inch.3mf", {}, inch}, {"bad.3mf", {}, packageOf("<model/>")}};
    for (bool processes : {true, false}) {
        INFO((processes ? "worker processes" : "threads"));
        BatchOptions options;
        options.jobs = 2;
        options.useWorkerProcesses = processes;
        const std::vector<FileOutcome> outcomes = analyzeFiles(jobs, options);
        REQUIRE(outcomes.size() == 3);
        REQUIRE(outcomes[0].ok());
        CHECK(*outcomes[0].result == analyzeBytes(package, "box.3mf"));
        REQUIRE(outcomes[1].ok());
        CHECK(*outcomes[1].result == analyzeBytes(inch, "inch.3mf"));
        CHECK(outcomes[1].result->parts[0].quantity == 2);
        CHECK_FALSE(outcomes[2].ok());
        CHECK(outcomes[2].error == "bad.3mf: 3MF part 3D/3dmodel.model line 1: has the root element <model> "
                                   "in namespace '', not 3MF's "
                                   "<model> in http://schemas.microsoft.com/3dmanufacturing/core/2015/02");
    }
}

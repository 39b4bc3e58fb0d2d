// Tessellation for the 3D view and STL/3MF export.
#include "telar/cad/mesh.h"

#include "engine.h"
#include "stl.h"
#include "telar/cad/analyze.h"
#include "telar/error.h"
#include "threemf.h"

#include <array>
#include <cmath>
#include <cstring>
#include <map>

namespace telar::cad {
namespace {

Mesh meshFromStl(std::string_view bytes, Format format, const std::string& name) {
    const detail::TriangleSoup soup = detail::parseStl(bytes, format, name);
    Mesh mesh;
    mesh.positions = soup.xyz;
    mesh.normals.resize(soup.xyz.size());
    mesh.indices.resize(soup.triangleCount() * 3);
    for (std::size_t t = 0; t < soup.triangleCount(); ++t) {
        const float* v = &soup.xyz[t * 9];
        const double u[3] = {double(v[3]) - v[0], double(v[4]) - v[1], double(v[5]) - v[2]};
        const double w[3] = {double(v[6]) - v[0], double(v[7]) - v[1], double(v[8]) - v[2]};
        double n[3] = {u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]};
        const double len = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
        if (len > 0) for (double& c : n) c /= len;
        for (int k = 0; k < 3; ++k) {
            for (int c = 0; c < 3; ++c) mesh.normals[t * 9 + std::size_t(k) * 3 + std::size_t(c)] = float(n[c]);
            mesh.indices[t * 3 + std::size_t(k)] = static_cast<std::uint32_t>(t * 3 + std::size_t(k));
        }
    }
    const auto slash = name.find_last_of("/\\");
    mesh.groups.push_back({slash == std::string::npos ? name : name.substr(slash + 1), 0, std::nullopt, 0,
                           static_cast<std::uint32_t>(mesh.indices.size())});
    return mesh;
}

// CRC-32 (IEEE) for the zip container of 3MF.
std::uint32_t crc32(std::string_view data) {
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char b : data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
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

// An uncompressed ("stored") zip archive with fixed timestamps, so exports are byte-reproducible.
std::string storedZip(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::string zip, central;
    for (const auto& entry : entries) {
        const std::string& name = entry.first; // not a structured binding: lambdas capture it
        const std::string& data = entry.second;
        const std::uint32_t offset = static_cast<std::uint32_t>(zip.size());
        const std::uint32_t crc = crc32(data);
        auto header = [&](std::string& s, bool isCentral) {
            put32(s, isCentral ? 0x02014b50u : 0x04034b50u);
            if (isCentral) put16(s, 20);
            put16(s, 20); // version needed
            put16(s, 0);  // flags
            put16(s, 0);  // stored
            put16(s, 0);  // time 00:00
            put16(s, 0x21); // date 1980-01-01
            put32(s, crc);
            put32(s, static_cast<std::uint32_t>(data.size()));
            put32(s, static_cast<std::uint32_t>(data.size()));
            put16(s, static_cast<std::uint32_t>(name.size()));
            put16(s, 0); // extra
            if (isCentral) {
                put16(s, 0); // comment
                put16(s, 0); // disk
                put16(s, 0); // internal attributes
                put32(s, 0); // external attributes
                put32(s, offset);
            }
            s += name;
        };
        header(zip, false);
        zip += data;
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

std::string xmlEscape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out.push_back(c);
        }
    }
    return out;
}

} // namespace

Mesh tessellate(std::string_view bytes, const std::string& name, int part, double deflection, const Progress& progress) {
    if (bytes.empty()) throw CadError(name, "empty file");
    if (!(deflection > 0.0)) throw CadError(name, "tessellation deflection must be positive");
    const Format format = detectFormat(bytes, name);
    if (format == Format::StlAscii || format == Format::StlBinary) {
        if (part != kWholeFile && part != 0) throw CadError(name, "part " + std::to_string(part) + " does not exist");
        return meshFromStl(bytes, format, name);
    }
    if (format == Format::ThreeMf) return detail::tessellate3mf(bytes, name, part, progress);
    if (format != Format::Step && format != Format::Iges && format != Format::Brep)
        throw CadError(name, "cannot tessellate " + formatName(format) + " content");
    return detail::engine(name).tessellate(bytes, format, name, part, deflection, progress);
}

std::string writeStl(const Mesh& mesh, std::string_view solidName) {
    // The header must not start with "solid", or readers may take the file for ASCII STL.
    std::string out = "binary STL: " + std::string(solidName);
    out.resize(80, '\0');
    const auto count = static_cast<std::uint32_t>(mesh.triangleCount());
    put32(out, count);
    out.reserve(out.size() + std::size_t(count) * 50);
    auto putFloat = [&](float f) {
        std::uint32_t v;
        std::memcpy(&v, &f, 4);
        put32(out, v);
    };
    for (std::size_t t = 0; t < mesh.triangleCount(); ++t) {
        const float* p[3];
        for (int k = 0; k < 3; ++k) p[k] = &mesh.positions[std::size_t(mesh.indices[t * 3 + std::size_t(k)]) * 3];
        double n[3] = {(p[1][1] - p[0][1]) * double(p[2][2] - p[0][2]) - (p[1][2] - p[0][2]) * double(p[2][1] - p[0][1]),
                       (p[1][2] - p[0][2]) * double(p[2][0] - p[0][0]) - (p[1][0] - p[0][0]) * double(p[2][2] - p[0][2]),
                       (p[1][0] - p[0][0]) * double(p[2][1] - p[0][1]) - (p[1][1] - p[0][1]) * double(p[2][0] - p[0][0])};
        const double len = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
        for (double c : n) putFloat(len > 0 ? float(c / len) : 0.0f);
        for (int k = 0; k < 3; ++k)
            for (int c = 0; c < 3; ++c) putFloat(p[k][c]);
        put16(out, 0);
    }
    return out;
}

std::string write3mf(const Mesh& mesh, std::string_view objectName) {
    // Vertices are welded per group (3MF requires shared vertices for a manifold object).
    std::string model = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<model unit=\"millimeter\" xml:lang=\"en-US\" "
                        "xmlns=\"http://schemas.microsoft.com/3dmanufacturing/core/2015/02\">\n<resources>\n";
    std::string materials = "<basematerials id=\"1\">\n";
    std::string objects, items;
    char buffer[128];
    std::vector<MeshGroup> groups = mesh.groups;
    if (groups.empty()) groups.push_back({std::string(objectName), -1, std::nullopt, 0, static_cast<std::uint32_t>(mesh.indices.size())});
    int id = 2;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const MeshGroup& group = groups[g];
        const Rgb c = group.colour.value_or(Rgb{180, 180, 180});
        std::snprintf(buffer, sizeof buffer, "<base name=\"%zu\" displaycolor=\"#%02X%02X%02XFF\"/>\n", g, c.r, c.g, c.b);
        materials += buffer;
        std::map<std::array<float, 3>, std::uint32_t> weld;
        std::string vertices, triangles;
        for (std::uint32_t i = group.firstIndex; i + 3 <= group.firstIndex + group.indexCount; i += 3) {
            std::uint32_t v[3];
            for (int k = 0; k < 3; ++k) {
                const float* p = &mesh.positions[std::size_t(mesh.indices[i + std::uint32_t(k)]) * 3];
                const std::array<float, 3> key{p[0], p[1], p[2]};
                auto [it, inserted] = weld.try_emplace(key, static_cast<std::uint32_t>(weld.size()));
                if (inserted) {
                    std::snprintf(buffer, sizeof buffer, "<vertex x=\"%.9g\" y=\"%.9g\" z=\"%.9g\"/>\n", p[0], p[1], p[2]);
                    vertices += buffer;
                }
                v[k] = it->second;
            }
            if (v[0] == v[1] || v[1] == v[2] || v[0] == v[2]) continue;
            std::snprintf(buffer, sizeof buffer, "<triangle v1=\"%u\" v2=\"%u\" v3=\"%u\"/>\n", v[0], v[1], v[2]);
            triangles += buffer;
        }
        std::snprintf(buffer, sizeof buffer, "<object id=\"%d\" type=\"model\" pid=\"1\" pindex=\"%zu\" name=\"", id, g);
        objects += buffer + xmlEscape(group.name.empty() ? objectName : std::string_view(group.name)) + "\">\n<mesh>\n<vertices>\n" +
                   vertices + "</vertices>\n<triangles>\n" + triangles + "</triangles>\n</mesh>\n</object>\n";
        std::snprintf(buffer, sizeof buffer, "<item objectid=\"%d\"/>\n", id);
        items += buffer;
        ++id;
    }
    model += materials + "</basematerials>\n" + objects + "</resources>\n<build>\n" + items + "</build>\n</model>\n";
    const std::string contentTypes =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"model\" ContentType=\"application/vnd.ms-package.3dmanufacturing-3dmodel+xml\"/>"
        "</Types>\n";
    const std::string rels =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Target=\"/3D/3dmodel.model\" Id=\"rel0\" "
        "Type=\"http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel\"/></Relationships>\n";
    return storedZip({{"[Content_Types].xml", contentTypes}, {"_rels/.rels", rels}, {"3D/3dmodel.model", model}});
}

} // namespace telar::cad

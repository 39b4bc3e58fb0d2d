// Reading a 3MF package into a Model: the zip (libzip), the relationships, the model parts.
#include "threemf_model.h"

#include "telar/error.h"
#include "xml_scanner.h"

#include <zip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>

namespace telar::cad::detail {
namespace {

// Limits that keep hostile packages bounded in memory and time.
constexpr std::uint64_t kMaxModelBytes = 512ull << 20; // all model parts together, uncompressed
constexpr std::uint64_t kMaxRelsBytes = 1u << 20;      // the package relationships
constexpr std::size_t kMaxModelParts = 1024;

constexpr std::string_view kCoreNs = "http://schemas.microsoft.com/3dmanufacturing/core/2015/02";
constexpr std::string_view kMaterialNs = "http://schemas.microsoft.com/3dmanufacturing/material/2015/02";
constexpr std::string_view kProductionNs = "http://schemas.microsoft.com/3dmanufacturing/production/2015/06";
constexpr std::string_view kRelsNs = "http://schemas.openxmlformats.org/package/2006/relationships";
constexpr std::string_view kModelRelType = "http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel";
constexpr std::string_view kDefaultModelPath = "3D/3dmodel.model";

std::string lowerAscii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// ---------------------------------------------------------------------------------------------
// The zip package.

struct ZipDiscard {
    void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileClose {
    void operator()(zip_file_t* f) const { zip_fclose(f); }
};

class Package {
public:
    Package(std::string_view bytes, const std::string& file) : m_file(file) {
        zip_error_t error;
        zip_error_init(&error);
        zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
        if (!source) {
            const std::string text = zip_error_strerror(&error);
            zip_error_fini(&error);
            throw CadError(file, "3MF package cannot be opened (" + text + ")");
        }
        zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
        if (!archive) {
            const std::string text = zip_error_strerror(&error);
            zip_error_fini(&error);
            zip_source_free(source); // not taken by the archive
            throw CadError(file, "3MF package is not a readable zip archive (" + text + ")");
        }
        zip_error_fini(&error);
        m_zip.reset(archive);
    }

    // The bytes of a part (path without leading '/', case-insensitive as in OPC), nullopt when the
    // package has no such part. limit bounds the uncompressed size.
    std::optional<std::string> read(const std::string& path, std::uint64_t limit) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat(m_zip.get(), path.c_str(), ZIP_FL_NOCASE, &st) != 0) return std::nullopt;
        if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_INDEX))
            throw CadError(m_file, "3MF part " + path + " has no recorded size in the zip directory");
        if (st.size > limit)
            throw CadError(m_file, "3MF part " + path + " declares " + std::to_string(st.size) +
                                       " bytes uncompressed, more than the limit of " +
                                       std::to_string(limit));
        std::unique_ptr<zip_file_t, ZipFileClose> in(zip_fopen_index(m_zip.get(), st.index, 0));
        if (!in)
            throw CadError(m_file,
                           "3MF part " + path + " cannot be read (" + zip_strerror(m_zip.get()) + ")");
        std::string data(static_cast<std::size_t>(st.size), '\0');
        std::uint64_t done = 0;
        while (done < st.size) {
            const zip_int64_t n = zip_fread(in.get(), data.data() + done, st.size - done);
            if (n < 0)
                throw CadError(m_file,
                               "3MF part " + path + " is corrupt (" + zip_file_strerror(in.get()) + ")");
            if (n == 0) break;
            done += static_cast<std::uint64_t>(n);
        }
        char extra;
        if (done != st.size || zip_fread(in.get(), &extra, 1) != 0)
            throw CadError(m_file, "3MF part " + path + " does not hold the " + std::to_string(st.size) +
                                       " bytes its zip entry declares");
        return data;
    }

private:
    const std::string& m_file;
    std::unique_ptr<zip_t, ZipDiscard> m_zip;
};

// ---------------------------------------------------------------------------------------------
// The model parts.

std::optional<double> unitFactor(std::string_view unit) {
    if (unit == "micron") return 0.001;
    if (unit == "millimeter") return 1.0;
    if (unit == "centimeter") return 10.0;
    if (unit == "inch") return 25.4;
    if (unit == "foot") return 304.8;
    if (unit == "meter") return 1000.0;
    return std::nullopt;
}

double parseNumber(const XmlScanner& xml, std::string_view text, std::string_view what) {
    std::string_view s = trimXml(text);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double value = 0.0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(value))
        xml.fail("has a bad number '" + std::string(text) + "' in " + std::string(what));
    return value;
}

std::uint32_t parseIndex(const XmlScanner& xml, std::string_view text, std::string_view what) {
    const std::string_view s = trimXml(text);
    std::uint32_t value = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size())
        xml.fail("has a bad index '" + std::string(text) + "' in " + std::string(what));
    return value;
}

int parseId(const XmlScanner& xml, std::string_view text, std::string_view what) {
    const std::uint32_t id = parseIndex(xml, text, what);
    if (id == 0 || id > 0x7FFFFFFFu)
        xml.fail("has a bad resource id '" + std::string(text) + "' in " + std::string(what));
    return static_cast<int>(id);
}

Rgb parseColour(const XmlScanner& xml, std::string_view text) {
    const std::string_view s = trimXml(text);
    auto hex = [&](std::size_t at) {
        unsigned v = 0;
        const auto [ptr, ec] = std::from_chars(s.data() + at, s.data() + at + 2, v, 16);
        if (ec != std::errc() || ptr != s.data() + at + 2)
            xml.fail("has a bad colour '" + std::string(text) + "'");
        return static_cast<std::uint8_t>(v);
    };
    if ((s.size() != 7 && s.size() != 9) || s[0] != '#')
        xml.fail("has a bad colour '" + std::string(text) + "'");
    if (s.size() == 9) hex(7);
    return {hex(1), hex(3), hex(5)};
}

// A 3MF transform "m00 m01 m02 m10 … m32" maps a row vector: p' = p·M. Translations are in the
// part's unit.
Placement parseTransform(const XmlScanner& xml, std::string_view text, double unitToMm) {
    double m[12];
    std::string_view s = text;
    for (int i = 0; i < 12; ++i) {
        s = trimXml(s);
        std::size_t end = 0;
        while (end < s.size() && !isXmlSpace(s[end]))
            ++end;
        if (end == 0) xml.fail("has a transform without 12 numbers: '" + std::string(text) + "'");
        m[i] = parseNumber(xml, s.substr(0, end), "a transform");
        s.remove_prefix(end);
    }
    if (!trimXml(s).empty())
        xml.fail("has a transform with more than 12 numbers: '" + std::string(text) + "'");
    Placement p;
    p.rotation = {m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]};
    p.translation = {m[9] * unitToMm, m[10] * unitToMm, m[11] * unitToMm};
    if (!(std::abs(p.translation.x) <= kMaxCoordinate && std::abs(p.translation.y) <= kMaxCoordinate &&
          std::abs(p.translation.z) <= kMaxCoordinate))
        xml.fail("has a transform out of range: '" + std::string(text) + "'");
    return p;
}

std::string partKey(std::string_view path) {
    while (!path.empty() && path.front() == '/')
        path.remove_prefix(1);
    return lowerAscii(path);
}

// Reads one model part into model.parts[index]; references to other parts are recorded with their
// part index (new parts are appended for the caller to load).
class ModelParser {
public:
    ModelParser(Model& model, std::size_t index, const std::string& file)
        : m_model(model), m_index(index), m_file(file) {}

    void parse(std::string_view text) {
        XmlScanner xml(text, m_file, m_model.parts[m_index].path);
        enum class In {
            Document,
            Model,
            Resources,
            Build,
            BaseMaterials,
            ColourGroup,
            Object,
            Mesh,
            Vertices,
            Triangles,
            Components,
            Skip
        };
        std::vector<In> stack{In::Document};
        std::size_t skipDepth = 0;
        Object* object = nullptr;
        bool verticesDone = false;
        std::vector<Rgb>* palette = nullptr;
        while (xml.next()) {
            if (skipDepth > 0) {
                skipDepth += xml.isStart() ? 1 : -1;
                continue;
            }
            const In in = stack.back();
            if (!xml.isStart()) {
                stack.pop_back();
                if (in == In::Vertices) verticesDone = true;
                if (in == In::Object) finishObject(xml, *object);
                continue;
            }
            const bool core = xml.uri() == kCoreNs;
            const std::string_view name = xml.localName();
            In next = In::Skip;
            switch (in) {
            case In::Document:
                if (!xml.is(kCoreNs, "model"))
                    xml.fail("has the root element <" + std::string(name) + "> in namespace '" +
                             std::string(xml.uri()) + "', not 3MF's <model> in " + std::string(kCoreNs));
                readModel(xml);
                next = In::Model;
                break;
            case In::Model:
                if (core && name == "resources")
                    next = In::Resources;
                else if (core && name == "build")
                    next = In::Build;
                break;
            case In::Resources:
                if (core && name == "object") {
                    object = &addObject(xml);
                    verticesDone = false;
                    next = In::Object;
                } else if ((core && name == "basematerials") || xml.is(kMaterialNs, "colorgroup")) {
                    palette = &m_model.parts[m_index].palettes[addResource(xml, xml.required("id"))];
                    next = name == "basematerials" ? In::BaseMaterials : In::ColourGroup;
                }
                break;
            case In::BaseMaterials:
                if (core && name == "base")
                    palette->push_back(parseColour(xml, xml.required("displaycolor")));
                break;
            case In::ColourGroup:
                if (xml.is(kMaterialNs, "color")) palette->push_back(parseColour(xml, xml.required("color")));
                break;
            case In::Object:
                if (core && name == "mesh") {
                    if (object->hasMesh || object->hasComponents)
                        xml.fail("object " + std::to_string(object->id) +
                                 " has more than one mesh or components element");
                    object->hasMesh = true;
                    next = In::Mesh;
                } else if (core && name == "components") {
                    if (object->hasMesh || object->hasComponents)
                        xml.fail("object " + std::to_string(object->id) +
                                 " has more than one mesh or components element");
                    object->hasComponents = true;
                    next = In::Components;
                }
                break;
            case In::Mesh:
                if (core && name == "vertices") {
                    next = In::Vertices;
                } else if (core && name == "triangles") {
                    if (!verticesDone)
                        xml.fail("object " + std::to_string(object->id) +
                                 " lists triangles before its vertices");
                    next = In::Triangles;
                }
                break;
            case In::Vertices:
                if (core && name == "vertex") addVertex(xml, *object);
                break;
            case In::Triangles:
                if (core && name == "triangle") addTriangle(xml, *object);
                break;
            case In::Components:
                if (core && name == "component")
                    object->components.push_back(readReference(xml, "component"));
                break;
            case In::Build:
                if (core && name == "item") {
                    if (m_index != 0) xml.fail("has build items outside the root model part");
                    m_model.items.push_back(readReference(xml, "item"));
                }
                break;
            case In::Skip:
                break;
            }
            if (next == In::Skip) {
                skipDepth = 1; // an element we do not read (metadata, other extensions): skip its subtree
            } else {
                stack.push_back(next);
            }
        }
        resolveColours();
    }

private:
    void readModel(const XmlScanner& xml) {
        ModelPart& part = m_model.parts[m_index];
        if (const auto unit = xml.attribute("unit")) {
            const auto factor = unitFactor(*unit);
            if (!factor)
                xml.fail("declares the unknown unit '" + std::string(*unit) +
                         "' (3MF knows micron, millimeter, centimeter, inch, foot, meter)");
            part.unitToMm = *factor;
            if (m_index == 0) {
                m_model.unit = std::string(*unit);
                m_model.unitToMm = *factor;
            }
        }
        if (const auto required = xml.attribute("requiredextensions"); required && m_index == 0) {
            std::string_view list = *required;
            while (!(list = trimXml(list)).empty()) {
                std::size_t end = 0;
                while (end < list.size() && !isXmlSpace(list[end]))
                    ++end;
                const std::string_view prefix = list.substr(0, end);
                list.remove_prefix(end);
                const std::string_view uri = xml.resolve(prefix);
                if (uri.empty())
                    xml.fail("requires the extension prefix '" + std::string(prefix) +
                             "', which it does not declare");
                if (uri != kMaterialNs && uri != kProductionNs) m_model.unreadExtensions.emplace_back(uri);
            }
        }
    }

    int addResource(const XmlScanner& xml, std::string_view idText) {
        const int id = parseId(xml, idText, "a resource id");
        if (!m_model.parts[m_index].resourceIds.insert(id).second)
            xml.fail("defines resource id " + std::to_string(id) + " twice");
        return id;
    }

    Object& addObject(const XmlScanner& xml) {
        const int id = addResource(xml, xml.required("id"));
        Object o;
        o.id = id;
        o.part = m_index;
        o.line = xml.line();
        if (const auto name = xml.attribute("name")) o.name = std::string(*name);
        if (const auto pid = xml.attribute("pid")) {
            const auto pindex = xml.attribute("pindex");
            o.property =
                std::make_pair(parseId(xml, *pid, "pid"), pindex ? parseIndex(xml, *pindex, "pindex") : 0u);
        }
        m_model.parts[m_index].objects[id] = m_model.objects.size();
        m_model.objects.push_back(std::move(o));
        return m_model.objects.back();
    }

    void addVertex(const XmlScanner& xml, Object& o) {
        const double unit = m_model.parts[m_index].unitToMm;
        for (const char* axis : {"x", "y", "z"}) {
            const double v = parseNumber(xml, xml.required(axis), "a vertex") * unit;
            if (!(std::abs(v) <= kMaxCoordinate)) xml.fail("has a vertex coordinate out of range");
            o.xyz.push_back(static_cast<float>(v));
        }
    }

    void addTriangle(const XmlScanner& xml, Object& o) {
        const std::size_t vertices = o.xyz.size() / 3;
        for (const char* corner : {"v1", "v2", "v3"}) {
            const std::uint32_t v = parseIndex(xml, xml.required(corner), "a triangle");
            if (v >= vertices)
                xml.fail("object " + std::to_string(o.id) + " triangle " +
                         std::to_string(o.triangles.size() / 3) + " refers to vertex " + std::to_string(v) +
                         ", but the mesh has " + std::to_string(vertices) + " vertices");
            o.triangles.push_back(v);
        }
        if (!o.property && o.triangles.size() == 3) {
            const auto pid = xml.attribute("pid");
            const auto p1 = xml.attribute("p1");
            if (pid)
                o.property = std::make_pair(parseId(xml, *pid, "pid"), p1 ? parseIndex(xml, *p1, "p1") : 0u);
        }
    }

    Reference readReference(const XmlScanner& xml, const char* what) {
        Reference ref;
        ref.objectId = parseId(xml, xml.required("objectid"), what);
        ref.line = xml.line();
        ref.fromPart = m_index;
        ref.part = m_index;
        if (const auto transform = xml.attribute("transform"))
            ref.placement = parseTransform(xml, *transform, m_model.parts[m_index].unitToMm);
        if (const auto path = xml.attribute(kProductionNs, "path")) {
            const std::string key = partKey(*path);
            if (key.empty()) xml.fail("has an empty production path");
            auto it = m_model.partByKey.find(key);
            if (it == m_model.partByKey.end()) {
                if (m_model.parts.size() >= kMaxModelParts)
                    xml.fail("refers to more than " + std::to_string(kMaxModelParts) + " model parts");
                it = m_model.partByKey.emplace(key, m_model.parts.size()).first;
                ModelPart part;
                std::string_view clean = *path;
                while (!clean.empty() && clean.front() == '/')
                    clean.remove_prefix(1);
                part.path = std::string(clean);
                m_model.parts.push_back(std::move(part));
            }
            ref.part = it->second;
        }
        return ref;
    }

    void finishObject(const XmlScanner& xml, const Object& o) {
        if (!o.hasMesh && !o.hasComponents)
            xml.failAt(o.line, "object " + std::to_string(o.id) + " has neither a mesh nor components");
        if (o.hasMesh && o.triangles.empty())
            xml.failAt(o.line, "object " + std::to_string(o.id) + " has a mesh without triangles");
    }

    void resolveColours() {
        const ModelPart& part = m_model.parts[m_index];
        for (const auto& [id, index] : part.objects) {
            Object& o = m_model.objects[index];
            if (!o.property) continue;
            const auto palette = part.palettes.find(o.property->first);
            if (palette != part.palettes.end() && o.property->second < palette->second.size())
                o.colour = palette->second[o.property->second];
        }
    }

    Model& m_model;
    std::size_t m_index;
    const std::string& m_file;
};

// The root model part named by the package relationships, else the conventional one.
std::string rootModelPath(Package& package, const std::string& file) {
    const auto rels = package.read("_rels/.rels", kMaxRelsBytes);
    if (!rels) return std::string(kDefaultModelPath);
    XmlScanner xml(*rels, file, "_rels/.rels");
    while (xml.next()) {
        if (xml.isStart() && xml.is(kRelsNs, "Relationship") && xml.attribute("Type") == kModelRelType) {
            std::string_view target = xml.required("Target");
            while (!target.empty() && target.front() == '/')
                target.remove_prefix(1);
            if (target.empty()) xml.fail("names an empty 3D model part");
            return std::string(target);
        }
    }
    return std::string(kDefaultModelPath);
}

} // namespace

Model loadModel(std::string_view bytes, const std::string& file) {
    Package package(bytes, file);
    Model model;
    ModelPart root;
    root.path = rootModelPath(package, file);
    model.partByKey.emplace(partKey(root.path), 0);
    model.parts.push_back(std::move(root));
    for (std::size_t i = 0; i < model.parts.size(); ++i) {
        const std::string path = model.parts[i].path;
        const auto text = package.read(path, kMaxModelBytes - model.bytesRead);
        if (!text) {
            if (i == 0) throw CadError(file, "3MF package has no 3D model part " + path);
            throw CadError(file, "3MF package has no model part " + path + ", which the model refers to");
        }
        model.bytesRead += text->size();
        ModelParser(model, i, file).parse(*text);
    }
    // Resolve object references; a reference names an object of the part it points into.
    auto resolve = [&](Reference& ref, const char* what) {
        const ModelPart& part = model.parts[ref.part];
        const auto it = part.objects.find(ref.objectId);
        if (it == part.objects.end())
            throw CadError(file, "3MF part " + model.parts[ref.fromPart].path + " line " +
                                     std::to_string(ref.line) + ": " + what + " refers to object " +
                                     std::to_string(ref.objectId) + ", which " +
                                     (ref.part == ref.fromPart ? std::string("the part does not define")
                                                               : "part " + part.path + " does not define"));
        ref.target = it->second;
    };
    for (Reference& item : model.items)
        resolve(item, "the build item");
    for (Object& o : model.objects)
        for (Reference& c : o.components)
            resolve(c, ("a component of object " + std::to_string(o.id)).c_str());
    if (model.items.empty()) throw CadError(file, "3MF model has no build items: it places no object");
    return model;
}

} // namespace telar::cad::detail

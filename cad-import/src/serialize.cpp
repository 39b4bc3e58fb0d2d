#include "telar/cad/serialize.h"

#include "telar/error.h"

#include <nlohmann/json.hpp>

namespace telar::cad {
namespace {

using nlohmann::json;

json vec(const Vec3& v) { return json::array({v.x, v.y, v.z}); }
Vec3 vec(const json& j) { return {j.at(0).get<double>(), j.at(1).get<double>(), j.at(2).get<double>()}; }

json box(const Box3& b) {
    if (b.isEmpty()) return nullptr;
    return json::array({vec(b.min), vec(b.max)});
}
Box3 box(const json& j) {
    Box3 b;
    if (j.is_null()) return b;
    b.min = vec(j.at(0));
    b.max = vec(j.at(1));
    return b;
}

json rgb(const std::optional<Rgb>& c) {
    if (!c) return nullptr;
    return json::array({c->r, c->g, c->b});
}
std::optional<Rgb> rgb(const json& j) {
    if (j.is_null()) return std::nullopt;
    return Rgb{j.at(0).get<std::uint8_t>(), j.at(1).get<std::uint8_t>(), j.at(2).get<std::uint8_t>()};
}

template <class T> json opt(const std::optional<T>& v) { return v ? json(*v) : json(nullptr); }
template <class T> std::optional<T> opt(const json& j) {
    if (j.is_null()) return std::nullopt;
    return j.get<T>();
}

const char* kindName(NodeKind k) {
    switch (k) {
    case NodeKind::Assembly: return "assembly";
    case NodeKind::Part: return "part";
    case NodeKind::NonSolid: return "nonsolid";
    case NodeKind::Empty: break;
    }
    return "empty";
}
NodeKind kindOf(const std::string& s) {
    if (s == "assembly") return NodeKind::Assembly;
    if (s == "part") return NodeKind::Part;
    if (s == "nonsolid") return NodeKind::NonSolid;
    if (s == "empty") return NodeKind::Empty;
    throw std::invalid_argument("unknown node kind " + s);
}

json placement(const Placement& p) {
    if (p.isIdentity()) return nullptr;
    json j = json::array();
    for (double v : p.rotation) j.push_back(v);
    j.push_back(p.translation.x);
    j.push_back(p.translation.y);
    j.push_back(p.translation.z);
    return j;
}
Placement placement(const json& j) {
    Placement p;
    if (j.is_null()) return p;
    for (std::size_t i = 0; i < 9; ++i) p.rotation[i] = j.at(i).get<double>();
    p.translation = {j.at(9).get<double>(), j.at(10).get<double>(), j.at(11).get<double>()};
    return p;
}

} // namespace

std::string toJson(const AnalysisResult& r) {
    json j;
    j["version"] = r.analyserVersion;
    j["name"] = r.name;
    j["format"] = static_cast<int>(r.format);
    j["units"] = r.lengthUnits;
    j["unitToMm"] = r.unitToMm;
    j["warnings"] = r.warnings;
    json nodes = json::array();
    for (const TreeNode& n : r.nodes) {
        nodes.push_back({{"name", n.name}, {"product", n.productName}, {"kind", kindName(n.kind)},
                         {"parent", n.parent}, {"children", n.children}, {"part", n.part},
                         {"placement", placement(n.placement)}, {"colour", rgb(n.colour)}, {"shape", n.shapeType}});
    }
    j["nodes"] = std::move(nodes);
    j["roots"] = r.roots;
    json parts = json::array();
    for (const PartInfo& p : r.parts) {
        parts.push_back({{"name", p.name}, {"rawNames", p.rawNames}, {"quantity", p.quantity},
                         {"volume", p.volume}, {"area", p.area}, {"bbox", box(p.bbox)},
                         {"orientedSize", vec(p.orientedSize)}, {"centroid", vec(p.centroid)},
                         {"counts", {p.solids, p.shells, p.faces, p.edges, p.vertices}},
                         {"triangles", p.triangles}, {"closed", p.closed}, {"valid", p.valid},
                         {"density", opt(p.density)}, {"material", opt(p.material)}, {"mass", opt(p.mass)},
                         {"colour", rgb(p.colour)}, {"fingerprint", p.fingerprint}});
    }
    j["parts"] = std::move(parts);
    const Totals& t = r.totals;
    j["totals"] = {{"volume", t.volume}, {"area", t.area}, {"bbox", box(t.bbox)}, {"instances", t.instances},
                   {"uniqueParts", t.uniqueParts}, {"nonSolids", t.nonSolids}};
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

AnalysisResult fromJson(std::string_view text) {
    try {
        const json j = json::parse(text.begin(), text.end());
        AnalysisResult r;
        r.analyserVersion = j.at("version").get<int>();
        if (r.analyserVersion != kAnalyserVersion)
            throw CadError("<cache>", "written by analyser version " + std::to_string(r.analyserVersion) +
                                          ", this is version " + std::to_string(kAnalyserVersion));
        r.name = j.at("name").get<std::string>();
        const int format = j.at("format").get<int>();
        if (format < 0 || format > static_cast<int>(Format::ThreeMf)) throw std::invalid_argument("bad format");
        r.format = static_cast<Format>(format);
        r.lengthUnits = j.at("units").get<std::vector<std::string>>();
        r.unitToMm = j.at("unitToMm").get<double>();
        r.warnings = j.at("warnings").get<std::vector<std::string>>();
        for (const json& n : j.at("nodes")) {
            TreeNode node;
            node.name = n.at("name").get<std::string>();
            node.productName = n.at("product").get<std::string>();
            node.kind = kindOf(n.at("kind").get<std::string>());
            node.parent = n.at("parent").get<int>();
            node.children = n.at("children").get<std::vector<int>>();
            node.part = n.at("part").get<int>();
            node.placement = placement(n.at("placement"));
            node.colour = rgb(n.at("colour"));
            node.shapeType = n.at("shape").get<std::string>();
            r.nodes.push_back(std::move(node));
        }
        r.roots = j.at("roots").get<std::vector<int>>();
        for (const json& p : j.at("parts")) {
            PartInfo part;
            part.name = p.at("name").get<std::string>();
            part.rawNames = p.at("rawNames").get<std::vector<std::string>>();
            part.quantity = p.at("quantity").get<int>();
            part.volume = p.at("volume").get<double>();
            part.area = p.at("area").get<double>();
            part.bbox = box(p.at("bbox"));
            part.orientedSize = vec(p.at("orientedSize"));
            part.centroid = vec(p.at("centroid"));
            const json& c = p.at("counts");
            part.solids = c.at(0).get<int>();
            part.shells = c.at(1).get<int>();
            part.faces = c.at(2).get<int>();
            part.edges = c.at(3).get<int>();
            part.vertices = c.at(4).get<int>();
            part.triangles = p.at("triangles").get<std::size_t>();
            part.closed = p.at("closed").get<bool>();
            part.valid = p.at("valid").get<bool>();
            part.density = opt<double>(p.at("density"));
            part.material = opt<std::string>(p.at("material"));
            part.mass = opt<double>(p.at("mass"));
            part.colour = rgb(p.at("colour"));
            part.fingerprint = p.at("fingerprint").get<std::string>();
            r.parts.push_back(std::move(part));
        }
        const json& t = j.at("totals");
        r.totals.volume = t.at("volume").get<double>();
        r.totals.area = t.at("area").get<double>();
        r.totals.bbox = box(t.at("bbox"));
        r.totals.instances = t.at("instances").get<int>();
        r.totals.uniqueParts = t.at("uniqueParts").get<int>();
        r.totals.nonSolids = t.at("nonSolids").get<int>();
        // Indices must be in range, or a corrupt entry could crash a reader of the tree.
        const int nodeCount = static_cast<int>(r.nodes.size());
        const int partCount = static_cast<int>(r.parts.size());
        for (const TreeNode& n : r.nodes) {
            if (n.parent < -1 || n.parent >= nodeCount || n.part < -1 || n.part >= partCount)
                throw std::invalid_argument("index out of range");
            for (int c : n.children)
                if (c < 0 || c >= nodeCount) throw std::invalid_argument("child index out of range");
        }
        for (int root : r.roots)
            if (root < 0 || root >= nodeCount) throw std::invalid_argument("root index out of range");
        return r;
    } catch (const CadError&) {
        throw;
    } catch (const std::exception& e) {
        throw CadError("<cache>", std::string("corrupt analysis record: ") + e.what());
    }
}

} // namespace telar::cad

// 3MF reading: build expansion, measuring and grouping, tessellation (the package and its model
// parts are read in threemf_model.cpp).
#include "threemf.h"

#include "size_warnings.h"
#include "stl.h"
#include "telar/cad/analyze.h"
#include "telar/error.h"
#include "threemf_model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <vector>

namespace telar::cad::detail {
namespace {

// Limits that keep hostile builds bounded in memory and time.
constexpr std::size_t kMaxNodes = 100'000;                 // expanded product tree
constexpr std::size_t kMaxMeasuredTriangles = 100'000'000; // over all distinct (scaled) meshes
constexpr std::size_t kMaxShownTriangles = 20'000'000;     // tessellation of the whole build
constexpr std::uint64_t kMaxBoxTransforms = 200'000'000;   // vertices moved for exact overall boxes
constexpr double kMaxLinear = 1e6;                         // placement matrix entries
constexpr std::size_t kMaxGroupCandidates = 64;            // meshes compared when grouping one

// ---------------------------------------------------------------------------------------------
// Expansion, measuring and grouping.

bool isRotation(const Placement& p) {
    const auto& m = p.rotation;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            const double dot =
                m[i * 3] * m[j * 3] + m[i * 3 + 1] * m[j * 3 + 1] + m[i * 3 + 2] * m[j * 3 + 2];
            if (std::abs(dot - (i == j ? 1.0 : 0.0)) > 1e-6) return false;
        }
    const double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) +
                       m[2] * (m[3] * m[7] - m[4] * m[6]);
    return det > 0.0;
}

double determinant(const std::array<double, 9>& m) {
    return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) +
           m[2] * (m[3] * m[7] - m[4] * m[6]);
}

// One placed mesh object.
struct Instance {
    int node = 0;
    std::size_t definition = 0;
    Placement rest; // from the definition's coordinates to the build's
};

// A mesh object as measured: its own coordinates, with the linear part of its placement applied
// when that is not a rotation (scaled or mirrored instances are distinct geometry).
struct Definition {
    std::size_t object = 0;
    std::array<double, 9> linear{1, 0, 0, 0, 1, 0, 0, 0, 1};
    TriangleSoup soup;
    std::vector<float> points; // the vertices the triangles use
    MeshMeasures measures;
    int part = -1;
};

struct Expanded {
    AnalysisResult result;
    std::vector<Instance> instances;
    std::vector<Definition> definitions;
    std::vector<std::size_t> representative; // per unique part: its first definition
    Model model;
};

bool sameGeometry(const MeshMeasures& a, const MeshMeasures& b) {
    if (a.triangles != b.triangles || a.vertices != b.vertices || a.edges != b.edges) return false;
    auto close = [](double x, double y, double relative) {
        return std::abs(x - y) <= relative * std::max(std::abs(x), std::abs(y));
    };
    if (!close(std::abs(a.volume), std::abs(b.volume), 1e-6) || !close(a.area, b.area, 1e-6)) return false;
    const double scale = std::max(a.moments[2], b.moments[2]);
    for (int k = 0; k < 3; ++k)
        if (std::abs(a.moments[k] - b.moments[k]) > 1e-5 * scale) return false;
    return true;
}

void measureDefinition(Definition& d, const Object& o) {
    const auto& L = d.linear;
    const bool mirrored = determinant(L) < 0.0;
    const bool identity = L == std::array<double, 9>{1, 0, 0, 0, 1, 0, 0, 0, 1};
    const std::size_t vertexCount = o.xyz.size() / 3;
    std::vector<float> moved;
    if (!identity) {
        moved.resize(o.xyz.size());
        for (std::size_t v = 0; v < vertexCount; ++v) {
            const double x = o.xyz[v * 3], y = o.xyz[v * 3 + 1], z = o.xyz[v * 3 + 2];
            for (int r = 0; r < 3; ++r)
                moved[v * 3 + std::size_t(r)] =
                    static_cast<float>(L[std::size_t(r) * 3] * x + L[std::size_t(r) * 3 + 1] * y +
                                       L[std::size_t(r) * 3 + 2] * z);
        }
    }
    const std::vector<float>& xyz = identity ? o.xyz : moved;
    const std::size_t triangles = o.triangles.size() / 3;
    d.soup.xyz.resize(triangles * 9);
    std::vector<char> used(vertexCount, 0);
    for (std::size_t t = 0; t < triangles; ++t) {
        std::uint32_t v[3] = {o.triangles[t * 3], o.triangles[t * 3 + 1], o.triangles[t * 3 + 2]};
        if (mirrored) std::swap(v[1], v[2]); // keep the triangles facing outwards
        for (int k = 0; k < 3; ++k) {
            std::copy_n(&xyz[std::size_t(v[k]) * 3], 3, &d.soup.xyz[t * 9 + std::size_t(k) * 3]);
            used[v[k]] = 1;
        }
    }
    for (std::size_t v = 0; v < vertexCount; ++v)
        if (used[v]) d.points.insert(d.points.end(), &xyz[v * 3], &xyz[v * 3] + 3);
    d.measures = measureSoup(d.soup);
}

// Whether every row of m has one non-zero entry (axis permutations, mirrors, axis scales): then
// boxes transform exactly through their corners.
bool mapsAxesToAxes(const std::array<double, 9>& m) {
    for (int r = 0; r < 3; ++r) {
        int nonZero = 0;
        for (int c = 0; c < 3; ++c)
            nonZero += m[std::size_t(r * 3 + c)] != 0.0 ? 1 : 0;
        if (nonZero != 1) return false;
    }
    return true;
}

Box3 transformedCorners(const Box3& box, const Placement& p) {
    Box3 out;
    for (int i = 0; i < 8; ++i)
        out.add(p.apply({(i & 1) ? box.max.x : box.min.x, (i & 2) ? box.max.y : box.min.y,
                         (i & 4) ? box.max.z : box.min.z}));
    return out;
}

Expanded expand(std::string_view bytes, const std::string& file, const AnalyzeOptions& options,
                const Progress& progress) {
    progress.report(0.0, "reading " + file);
    Expanded e;
    e.model = loadModel(bytes, file);
    progress.throwIfCancelled();
    const Model& model = e.model;
    AnalysisResult& r = e.result;
    r.name = file;
    r.format = Format::ThreeMf;
    if (!model.unit.empty()) r.lengthUnits = {model.unit};
    r.unitToMm = model.unitToMm;

    // The product tree: one node per placed object, depth first in build order.
    std::map<std::pair<std::size_t, std::array<double, 9>>, std::size_t> definitionOf;
    std::vector<char> onPath(model.objects.size(), 0);
    auto addNode = [&](std::size_t objectIndex, const Placement& local, int parent) {
        if (r.nodes.size() >= kMaxNodes)
            throw CadError(file,
                           "3MF build expands to more than " + std::to_string(kMaxNodes) + " placed objects");
        const Object& o = model.objects[objectIndex];
        TreeNode node;
        node.name = o.displayName();
        node.productName = o.name;
        node.kind =
            o.hasMesh ? NodeKind::Part : (o.components.empty() ? NodeKind::Empty : NodeKind::Assembly);
        node.parent = parent;
        node.placement = local;
        node.colour = o.colour;
        node.shapeType = o.hasMesh ? "mesh" : "";
        const int index = static_cast<int>(r.nodes.size());
        r.nodes.push_back(std::move(node));
        if (parent >= 0) r.nodes[static_cast<std::size_t>(parent)].children.push_back(index);
        return index;
    };
    struct Frame {
        std::size_t object;
        Placement world;
        int node;
        std::size_t next;
        int depth;
    };
    std::vector<Frame> stack;
    auto enter = [&](std::size_t objectIndex, const Placement& world, int node, int depth) {
        const Object& o = model.objects[objectIndex];
        bool inRange = std::abs(world.translation.x) <= kMaxCoordinate &&
                       std::abs(world.translation.y) <= kMaxCoordinate &&
                       std::abs(world.translation.z) <= kMaxCoordinate;
        for (double m : world.rotation)
            inRange = inRange && std::abs(m) <= kMaxLinear;
        if (!inRange)
            throw CadError(
                file,
                "3MF build places object " + std::to_string(o.id) +
                    " with a transform out of range (scaled by more than 10⁶ or moved by more than 10³⁰ mm)");
        if (o.hasMesh) {
            Instance instance;
            instance.node = node;
            std::array<double, 9> linear{1, 0, 0, 0, 1, 0, 0, 0, 1};
            if (isRotation(world)) {
                instance.rest = world;
            } else {
                linear = world.rotation;
                instance.rest.translation = world.translation;
            }
            const auto [it, inserted] = definitionOf.try_emplace({objectIndex, linear}, e.definitions.size());
            if (inserted) {
                Definition d;
                d.object = objectIndex;
                d.linear = linear;
                e.definitions.push_back(std::move(d));
            }
            instance.definition = it->second;
            e.instances.push_back(instance);
            return;
        }
        if (onPath[objectIndex])
            throw CadError(file,
                           "3MF object " + std::to_string(o.id) + " contains itself through its components");
        if (depth >= options.maxAssemblyDepth)
            throw CadError(file, "3MF components are nested more than " +
                                     std::to_string(options.maxAssemblyDepth) + " levels deep");
        onPath[objectIndex] = 1;
        stack.push_back({objectIndex, world, node, 0, depth});
    };
    for (const Reference& item : model.items) {
        const int root = addNode(item.target, item.placement, -1);
        r.roots.push_back(root);
        enter(item.target, item.placement, root, 0);
        while (!stack.empty()) {
            Frame& top = stack.back();
            const Object& o = model.objects[top.object];
            if (top.next == o.components.size()) {
                onPath[top.object] = 0;
                stack.pop_back();
                continue;
            }
            const Reference& c = o.components[top.next++];
            const Placement world = top.world * c.placement;
            const int depth = top.depth + 1;
            const int child = addNode(c.target, c.placement, top.node);
            enter(c.target, world, child, depth); // may grow the stack: top is not used after this
        }
    }

    // Measure each definition once, then group equal geometry into unique parts.
    std::size_t measured = 0;
    for (std::size_t i = 0; i < e.definitions.size(); ++i) {
        progress.throwIfCancelled();
        progress.report(0.1 + 0.8 * double(i) / double(e.definitions.size()), "measuring " + file);
        Definition& d = e.definitions[i];
        const Object& o = model.objects[d.object];
        measured += o.triangles.size() / 3;
        if (measured > kMaxMeasuredTriangles)
            throw CadError(file, "3MF build needs more than " + std::to_string(kMaxMeasuredTriangles) +
                                     " triangles measured (too many differently scaled objects)");
        measureDefinition(d, o);
    }
    // Candidates are the parts with the same counts whose volume is within the tolerance, at most
    // kMaxGroupCandidates of them, so that grouping stays near-linear in the number of meshes.
    std::map<std::array<std::size_t, 3>, std::multimap<double, std::size_t>> candidates;
    std::vector<std::vector<std::size_t>> instancesOfPart;
    for (std::size_t i = 0; i < e.instances.size(); ++i) {
        Definition& d = e.definitions[e.instances[i].definition];
        if (d.part < 0) {
            const MeshMeasures& m = d.measures;
            auto& byVolume = candidates[{m.triangles, m.vertices, m.edges}];
            const double volume = std::abs(m.volume);
            std::size_t compared = 0;
            for (auto it = byVolume.lower_bound(volume * (1 - 2e-6));
                 it != byVolume.end() && it->first <= volume * (1 + 2e-6) && compared < kMaxGroupCandidates;
                 ++it, ++compared) {
                if (sameGeometry(e.definitions[e.representative[it->second]].measures, m)) {
                    d.part = static_cast<int>(it->second);
                    break;
                }
            }
            if (d.part < 0) {
                d.part = static_cast<int>(e.representative.size());
                byVolume.emplace(volume, e.representative.size());
                e.representative.push_back(e.instances[i].definition);
                instancesOfPart.emplace_back();
            }
        }
        instancesOfPart[static_cast<std::size_t>(d.part)].push_back(i);
        r.nodes[static_cast<std::size_t>(e.instances[i].node)].part = d.part;
    }

    for (std::size_t p = 0; p < e.representative.size(); ++p) {
        const Definition& d = e.definitions[e.representative[p]];
        const MeshMeasures& m = d.measures;
        PartInfo part;
        std::map<std::string, int> cleanCounts;
        std::vector<std::string> cleanOrder;
        for (std::size_t i : instancesOfPart[p]) {
            const std::string& raw = r.nodes[static_cast<std::size_t>(e.instances[i].node)].name;
            if (std::find(part.rawNames.begin(), part.rawNames.end(), raw) == part.rawNames.end())
                part.rawNames.push_back(raw);
            const std::string clean = cleanPartName(raw);
            if (cleanCounts[clean]++ == 0) cleanOrder.push_back(clean);
        }
        part.name = cleanOrder.front();
        for (const std::string& n : cleanOrder)
            if (cleanCounts[n] > cleanCounts[part.name]) part.name = n;
        part.quantity = static_cast<int>(instancesOfPart[p].size());
        setMeshGeometry(part, m);
        part.colour = model.objects[d.object].colour;
        if (!part.closed) {
            r.warnings.push_back(
                "part '" + part.name + "' is not watertight (" + std::to_string(m.openEdges) + " open, " +
                std::to_string(m.nonManifoldEdges) + " non-manifold, " + std::to_string(m.flippedEdges) +
                " inconsistently oriented edges): its volume is not meaningful");
        }
        if (m.volume < 0.0)
            r.warnings.push_back(
                "part '" + part.name +
                "': mesh triangles face inwards (negative volume); the absolute value is used");
        if (m.degenerate > 0)
            r.warnings.push_back("part '" + part.name + "': " + std::to_string(m.degenerate) +
                                 " degenerate triangle(s)");
        r.totals.volume += part.volume * part.quantity;
        r.totals.area += part.area * part.quantity;
        r.parts.push_back(std::move(part));
    }

    // The overall box: exact through the corners for axis-aligned placements, else over the moved
    // vertices (per definition and rotation once, within a budget; then through the corners).
    std::map<std::pair<std::size_t, std::array<double, 9>>, Box3> rotatedBoxes;
    std::uint64_t moved = 0;
    for (const Instance& instance : e.instances) {
        const Definition& d = e.definitions[instance.definition];
        if (mapsAxesToAxes(instance.rest.rotation)) {
            r.totals.bbox.add(transformedCorners(d.measures.bbox, instance.rest));
            continue;
        }
        Placement rotation = instance.rest;
        rotation.translation = {};
        auto found = rotatedBoxes.find({instance.definition, rotation.rotation});
        if (found == rotatedBoxes.end()) {
            Box3 box;
            if (moved + d.points.size() / 3 <= kMaxBoxTransforms) {
                moved += d.points.size() / 3;
                for (std::size_t v = 0; v + 2 < d.points.size(); v += 3)
                    box.add(rotation.apply({d.points[v], d.points[v + 1], d.points[v + 2]}));
            } else {
                box = transformedCorners(d.measures.bbox, rotation);
            }
            found = rotatedBoxes.emplace(std::make_pair(instance.definition, rotation.rotation), box).first;
        }
        Placement shift;
        shift.translation = instance.rest.translation;
        r.totals.bbox.add(transformedCorners(found->second, shift));
    }
    r.totals.instances = static_cast<int>(e.instances.size());
    r.totals.uniqueParts = static_cast<int>(r.parts.size());
    r.totals.nonSolids = 0;
    for (const std::string& uri : model.unreadExtensions)
        r.warnings.push_back("the model requires the 3MF extension " + uri +
                             ", which is not read: geometry it adds is missing");
    addSizeWarnings(r, options);
    return e;
}

// Appends the triangles of soup, moved by placement, as one flat-shaded group.
void appendGroup(Mesh& mesh, const TriangleSoup& soup, const Placement& placement, MeshGroup group) {
    group.firstIndex = static_cast<std::uint32_t>(mesh.indices.size());
    const std::size_t triangles = soup.triangleCount();
    for (std::size_t t = 0; t < triangles; ++t) {
        Vec3 p[3];
        for (int k = 0; k < 3; ++k) {
            const float* v = &soup.xyz[t * 9 + std::size_t(k) * 3];
            p[k] = placement.apply({v[0], v[1], v[2]});
        }
        const double u[3] = {p[1].x - p[0].x, p[1].y - p[0].y, p[1].z - p[0].z};
        const double w[3] = {p[2].x - p[0].x, p[2].y - p[0].y, p[2].z - p[0].z};
        double n[3] = {u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]};
        const double len = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
        if (len > 0)
            for (double& c : n)
                c /= len;
        for (int k = 0; k < 3; ++k) {
            const auto index = static_cast<std::uint32_t>(mesh.positions.size() / 3);
            mesh.positions.insert(mesh.positions.end(), {float(p[k].x), float(p[k].y), float(p[k].z)});
            mesh.normals.insert(mesh.normals.end(), {float(n[0]), float(n[1]), float(n[2])});
            mesh.indices.push_back(index);
        }
    }
    group.indexCount = static_cast<std::uint32_t>(triangles * 3);
    mesh.groups.push_back(std::move(group));
}

} // namespace

AnalysisResult analyze3mf(std::string_view bytes, const std::string& displayName,
                          const AnalyzeOptions& options, const Progress& progress) {
    Expanded e = expand(bytes, displayName, options, progress);
    progress.report(1.0, "measured " + displayName);
    return std::move(e.result);
}

Mesh tessellate3mf(std::string_view bytes, const std::string& displayName, int part,
                   const Progress& progress) {
    const Expanded e = expand(bytes, displayName, AnalyzeOptions{}, progress);
    Mesh mesh;
    if (part != kWholeFile) {
        if (part < 0 || static_cast<std::size_t>(part) >= e.representative.size())
            throw CadError(displayName, "part " + std::to_string(part) + " does not exist");
        const Definition& d = e.definitions[e.representative[static_cast<std::size_t>(part)]];
        const Object& o = e.model.objects[d.object];
        appendGroup(mesh, d.soup, Placement{},
                    {e.result.parts[static_cast<std::size_t>(part)].name, part, o.colour, 0, 0});
        return mesh;
    }
    std::size_t total = 0;
    for (const Instance& instance : e.instances)
        total += e.definitions[instance.definition].soup.triangleCount();
    if (total > kMaxShownTriangles)
        throw CadError(displayName, "3MF build places " + std::to_string(total) +
                                        " triangles, more than the " + std::to_string(kMaxShownTriangles) +
                                        " that can be shown");
    mesh.positions.reserve(total * 9);
    mesh.normals.reserve(total * 9);
    mesh.indices.reserve(total * 3);
    for (const Instance& instance : e.instances) {
        progress.throwIfCancelled();
        const Definition& d = e.definitions[instance.definition];
        const TreeNode& node = e.result.nodes[static_cast<std::size_t>(instance.node)];
        appendGroup(mesh, d.soup, instance.rest, {node.name, d.part, node.colour, 0, 0});
    }
    return mesh;
}

} // namespace telar::cad::detail

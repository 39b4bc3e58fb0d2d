#include "xcaf_analysis.h"

#include "occt_support.h"
#include "telar/cad/analyze.h"
#include "telar/error.h"

#include <Quantity_Color.hxx>
#include <TDF_LabelSequence.hxx>
#include <TDF_Tool.hxx>
#include <TDataStd_Name.hxx>
#include <TDataStd_TreeNode.hxx>
#include <TCollection_AsciiString.hxx>
#include <TopoDS_Iterator.hxx>
#include <XCAFDoc.hxx>
#include <XCAFDoc_ColorTool.hxx>
#include <XCAFDoc_DocumentTool.hxx>
#include <XCAFDoc_Material.hxx>
#include <XCAFDoc_MaterialTool.hxx>
#include <XCAFDoc_ShapeTool.hxx>
#include <gp_Trsf.hxx>

#include <algorithm>
#include <atomic>
#include <thread>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>

namespace telar::cad::detail {
namespace {

std::string labelName(const TDF_Label& label) {
    Handle(TDataStd_Name) name;
    if (label.IsNull() || !label.FindAttribute(TDataStd_Name::GetID(), name)) return {};
    return toUtf8(name->Get());
}

std::string entryOf(const TDF_Label& label) {
    TCollection_AsciiString entry;
    TDF_Tool::Entry(label, entry);
    return entry.ToCString();
}

Rgb toRgb(const Quantity_Color& colour) {
    double r, g, b;
    colour.Values(r, g, b, Quantity_TOC_sRGB);
    auto channel = [](double v) { return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255.0)); };
    return {channel(r), channel(g), channel(b)};
}

std::optional<Rgb> labelColour(const Handle(XCAFDoc_ColorTool)& colours, const TDF_Label& label) {
    Quantity_Color colour;
    if (colours->GetColor(label, XCAFDoc_ColorSurf, colour) || colours->GetColor(label, XCAFDoc_ColorGen, colour))
        return toRgb(colour);
    return std::nullopt;
}

// Colour of a definition: its own, else that of its first coloured sub-shape.
std::optional<Rgb> definitionColour(const Handle(XCAFDoc_ColorTool)& colours, const TDF_Label& label) {
    if (auto c = labelColour(colours, label)) return c;
    TDF_LabelSequence subs;
    XCAFDoc_ShapeTool::GetSubShapes(label, subs);
    for (int i = 1; i <= subs.Length(); ++i)
        if (auto c = labelColour(colours, subs.Value(i))) return c;
    return std::nullopt;
}

Placement toPlacement(const TopLoc_Location& location) {
    Placement p;
    if (location.IsIdentity()) return p;
    const gp_Trsf t = location.Transformation();
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) p.rotation[r * 3 + c] = t.Value(r + 1, c + 1);
    p.translation = {t.Value(1, 4), t.Value(2, 4), t.Value(3, 4)};
    return p;
}

std::string shapeTypeName(const TopoDS_Shape& shape) {
    if (shape.IsNull()) return "";
    switch (shape.ShapeType()) {
    case TopAbs_COMPOUND: return "compound";
    case TopAbs_COMPSOLID: return "compsolid";
    case TopAbs_SOLID: return "solid";
    case TopAbs_SHELL: return "shell";
    case TopAbs_FACE: return "face";
    case TopAbs_WIRE: return "wire";
    case TopAbs_EDGE: return "edge";
    case TopAbs_VERTEX: return "vertex";
    case TopAbs_SHAPE: break;
    }
    return "shape";
}

// A box transformed exactly when the rotation only permutes/negates axes; nullopt otherwise.
std::optional<Box3> transformBoxExactly(const Box3& box, const Placement& p) {
    for (double v : p.rotation) {
        if (std::abs(v) > 1e-12 && std::abs(std::abs(v) - 1.0) > 1e-12) return std::nullopt;
    }
    Box3 out;
    for (int i = 0; i < 8; ++i) {
        const Vec3 corner = {(i & 1) ? box.max.x : box.min.x, (i & 2) ? box.max.y : box.min.y,
                             (i & 4) ? box.max.z : box.min.z};
        out.add(p.apply(corner));
    }
    return out;
}

class Builder {
public:
    Builder(const LoadedDocument& loaded, const std::string& name, const AnalyzeOptions& options,
            DocumentAnalysis& out)
        : m_name(name), m_options(options), m_out(out) {
        const TDF_Label main = loaded.doc->Main();
        m_shapes = XCAFDoc_DocumentTool::ShapeTool(main);
        m_colours = XCAFDoc_DocumentTool::ColorTool(main);
    }

    void expand() {
        TDF_LabelSequence roots;
        m_shapes->GetFreeShapes(roots);
        for (int i = 1; i <= roots.Length(); ++i) {
            const int node = visit(roots.Value(i), roots.Value(i), -1, TopLoc_Location(), 0);
            m_out.result.roots.push_back(node);
        }
    }

private:
    int visit(const TDF_Label& occurrence, const TDF_Label& definition, int parent, const TopLoc_Location& parentWorld,
              int depth) {
        if (depth > m_options.maxAssemblyDepth)
            throw CadError(m_name, "assembly is nested deeper than " + std::to_string(m_options.maxAssemblyDepth) + " levels");
        auto& nodes = m_out.result.nodes;
        const int index = static_cast<int>(nodes.size());
        nodes.emplace_back();
        const bool isComponent = occurrence != definition;
        const TopLoc_Location local = isComponent ? XCAFDoc_ShapeTool::GetLocation(occurrence) : TopLoc_Location();
        const TopLoc_Location world = parentWorld * local;
        {
            TreeNode& node = nodes[static_cast<std::size_t>(index)];
            node.parent = parent;
            node.placement = toPlacement(local);
            node.productName = labelName(definition);
            const std::string instanceName = isComponent ? labelName(occurrence) : std::string();
            node.name = instanceName.empty() ? node.productName : instanceName;
            if (isComponent) node.colour = labelColour(m_colours, occurrence);
        }
        if (parent >= 0) nodes[static_cast<std::size_t>(parent)].children.push_back(index);

        if (XCAFDoc_ShapeTool::IsAssembly(definition)) {
            nodes[static_cast<std::size_t>(index)].kind = NodeKind::Assembly;
            if (!nodes[static_cast<std::size_t>(index)].colour)
                nodes[static_cast<std::size_t>(index)].colour = labelColour(m_colours, definition);
            TDF_LabelSequence components;
            XCAFDoc_ShapeTool::GetComponents(definition, components);
            for (int i = 1; i <= components.Length(); ++i) {
                TDF_Label referred;
                if (!XCAFDoc_ShapeTool::GetReferredShape(components.Value(i), referred)) continue;
                visit(components.Value(i), referred, index, world, depth + 1);
            }
            return index;
        }
        const int def = definitionIndex(definition);
        const Definition& d = m_out.definitions[static_cast<std::size_t>(def)];
        TreeNode& node = nodes[static_cast<std::size_t>(index)];
        node.kind = d.kind;
        node.shapeType = shapeTypeName(d.shape);
        if (!node.colour) node.colour = d.colour;
        if (d.kind == NodeKind::Part) m_out.instances.push_back({index, def, world});
        if (d.kind == NodeKind::NonSolid) m_out.nonSolids.push_back({index, def, world});
        return index;
    }

    int definitionIndex(const TDF_Label& label) {
        const std::string entry = entryOf(label);
        const auto found = m_index.find(entry);
        if (found != m_index.end()) return found->second;
        Definition d;
        d.label = label;
        d.shape = XCAFDoc_ShapeTool::GetShape(label);
        d.productName = labelName(label);
        d.colour = definitionColour(m_colours, label);
        if (!d.shape.IsNull()) countTopology(d.shape, d.measures);
        if (d.measures.solids > 0 || d.measures.closedShells > 0) d.kind = NodeKind::Part;
        else if (d.measures.vertices > 0 || d.measures.faces > 0) d.kind = NodeKind::NonSolid;
        else d.kind = NodeKind::Empty;
        const double density = XCAFDoc_MaterialTool::GetDensityForShape(label);
        if (density > 0.0) d.density = density;
        Handle(TDataStd_TreeNode) materialRef;
        if (label.FindAttribute(XCAFDoc::MaterialRefGUID(), materialRef) && materialRef->HasFather()) {
            Handle(XCAFDoc_Material) material;
            if (materialRef->Father()->Label().FindAttribute(XCAFDoc_Material::GetID(), material))
                d.material = toUtf8(material->GetName());
        }
        const int index = static_cast<int>(m_out.definitions.size());
        m_out.definitions.push_back(std::move(d));
        m_index.emplace(entry, index);
        return index;
    }

    const std::string& m_name;
    const AnalyzeOptions& m_options;
    DocumentAnalysis& m_out;
    Handle(XCAFDoc_ShapeTool) m_shapes;
    Handle(XCAFDoc_ColorTool) m_colours;
    std::unordered_map<std::string, int> m_index;
};

// Names exporters write when they have none: OCCT's "SOLID"/"COMPOUND" products, its
// "=>[0:1:1:3]" label references as instance names, the translator banner as root product,
// bare occurrence numbers.
bool isGenericName(const std::string& n) {
    static const char* const generic[] = {"", "SOLID", "COMPOUND", "COMPSOLID", "SHELL", "FACE", "BODY", "NONE", "UNNAMED"};
    for (const char* g : generic)
        if (n == g) return true;
    if (std::all_of(n.begin(), n.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return true; // a bare occurrence id (KiCad)
    return n.rfind("=>[", 0) == 0 || n.rfind("Open CASCADE STEP translator", 0) == 0;
}

// The name a part instance goes by: the nearest non-generic product name up the tree (Pro/E and
// KiCad put a generic "SOLID" product under the named one), else the file's stem.
std::string partNameFor(const AnalysisResult& r, int node) {
    auto partChildren = [&](const TreeNode& t) {
        int count = 0;
        for (int c : t.children) count += r.nodes[static_cast<std::size_t>(c)].kind == NodeKind::Part ? 1 : 0;
        return count;
    };
    for (int n = node; n >= 0; n = r.nodes[static_cast<std::size_t>(n)].parent) {
        const TreeNode& t = r.nodes[static_cast<std::size_t>(n)];
        if (!isGenericName(t.productName)) return t.productName;
        if (n == node && !isGenericName(t.name)) return t.name;
        // Climb only through a product that wraps this one part (not a real assembly of several).
        if (t.parent >= 0 && partChildren(r.nodes[static_cast<std::size_t>(t.parent)]) != 1) break;
    }
    std::string stem = r.name;
    const auto slash = stem.find_last_of("/\\");
    if (slash != std::string::npos) stem.erase(0, slash + 1);
    const auto dot = stem.rfind('.');
    if (dot != std::string::npos && dot > 0) stem.resize(dot);
    return stem;
}

// Groups measured part definitions into unique parts (sets Definition::part); returns the
// representative definition of each part.
std::vector<int> assignParts(DocumentAnalysis& a) {
    std::vector<int> representative; // definition index per part
    for (std::size_t i = 0; i < a.definitions.size(); ++i) {
        Definition& d = a.definitions[i];
        if (d.kind != NodeKind::Part) continue;
        for (std::size_t p = 0; p < representative.size(); ++p) {
            if (sameGeometry(a.definitions[static_cast<std::size_t>(representative[p])].measures, d.measures)) {
                d.part = static_cast<int>(p);
                break;
            }
        }
        if (d.part < 0) {
            d.part = static_cast<int>(representative.size());
            representative.push_back(static_cast<int>(i));
        }
    }
    return representative;
}

// Fills result.parts from the grouped definitions.
void fillParts(DocumentAnalysis& a, const std::vector<int>& representative) {
    AnalysisResult& r = a.result;
    std::vector<std::map<std::string, int>> nameVotes(representative.size());
    std::vector<std::vector<std::string>> nameOrder(representative.size());
    r.parts.resize(representative.size());
    for (std::size_t p = 0; p < representative.size(); ++p) {
        const Definition& d = a.definitions[static_cast<std::size_t>(representative[p])];
        const ShapeMeasures& m = d.measures;
        PartInfo& part = r.parts[p];
        part.volume = m.volume;
        part.area = m.area;
        part.bbox = enlarged(m.bbox, m.boxGap);
        part.orientedSize = m.orientedSize;
        part.centroid = m.centroid;
        part.solids = m.solids;
        part.shells = m.shells;
        part.faces = m.faces;
        part.edges = m.edges;
        part.vertices = m.vertices;
        part.closed = m.closed;
        part.valid = m.valid;
        part.colour = d.colour;
        part.density = d.density;
        part.material = d.material;
        if (d.density) part.mass = *d.density * m.volume / 1000.0;
        part.fingerprint = fingerprintOf(m);
    }
    for (Instance& inst : a.instances) {
        const Definition& d = a.definitions[static_cast<std::size_t>(inst.definition)];
        TreeNode& node = r.nodes[static_cast<std::size_t>(inst.node)];
        node.part = d.part;
        PartInfo& part = r.parts[static_cast<std::size_t>(d.part)];
        ++part.quantity;
        // The name the file gives this part: its product's, else the instance's.
        const std::string& raw = !isGenericName(node.productName) ? node.productName : node.name;
        if (std::find(part.rawNames.begin(), part.rawNames.end(), raw) == part.rawNames.end())
            part.rawNames.push_back(raw);
        const std::string clean = cleanPartName(partNameFor(r, inst.node));
        auto& votes = nameVotes[static_cast<std::size_t>(d.part)];
        if (votes[clean]++ == 0) nameOrder[static_cast<std::size_t>(d.part)].push_back(clean);
    }
    for (std::size_t p = 0; p < r.parts.size(); ++p) {
        std::string best;
        int bestVotes = 0;
        for (const std::string& n : nameOrder[p]) {
            if (nameVotes[p][n] > bestVotes) {
                best = n;
                bestVotes = nameVotes[p][n];
            }
        }
        r.parts[p].name = best.empty() ? "part " + std::to_string(p + 1) : best;
    }
}

} // namespace

DocumentAnalysis analyzeDocument(const LoadedDocument& loaded, Format format, const std::string& name,
                                 const AnalyzeOptions& options, const Progress& progress) {
    DocumentAnalysis a;
    AnalysisResult& r = a.result;
    r.name = name;
    r.format = format;
    r.lengthUnits = loaded.lengthUnits;
    r.unitToMm = loaded.unitToMm;
    if (r.lengthUnits.size() > 1) {
        std::string list;
        for (const auto& u : r.lengthUnits) list += (list.empty() ? "" : ", ") + u;
        r.warnings.push_back("the file declares several length units (" + list + "); each was converted to mm");
    }
    try {
        Builder(loaded, name, options, a).expand();
        // Measure each part definition once, on all cores: measuring only reads the shapes, and each
        // definition's result goes to its own slot, so the outcome does not depend on scheduling.
        std::vector<std::size_t> toMeasure;
        for (std::size_t i = 0; i < a.definitions.size(); ++i)
            if (a.definitions[i].kind == NodeKind::Part) toMeasure.push_back(i);
        // Largest first, so one big part does not finish alone at the end.
        std::stable_sort(toMeasure.begin(), toMeasure.end(), [&](std::size_t x, std::size_t y) {
            return a.definitions[x].measures.faces > a.definitions[y].measures.faces;
        });
        std::vector<std::string> failures(a.definitions.size());
        // Runs fn on every listed definition, on all cores; each writes only its own slot.
        auto forEachDefinition = [&](const std::vector<std::size_t>& list, const char* what, auto fn) {
            std::atomic<std::size_t> next{0}, done{0};
            auto worker = [&] {
                for (std::size_t k = next++; k < list.size(); k = next++) {
                    if (progress.isCancelled()) return;
                    Definition& d = a.definitions[list[k]];
                    try {
                        fn(d);
                    } catch (const Standard_Failure& failure) {
                        if (failures[list[k]].empty()) failures[list[k]] = describe(failure);
                        d.measures.valid = false;
                    } catch (const std::exception& e) {
                        if (failures[list[k]].empty()) failures[list[k]] = e.what();
                        d.measures.valid = false;
                    }
                    progress.report(double(++done) / double(list.size()), what);
                }
            };
            const std::size_t threads =
                std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), list.size());
            std::vector<std::thread> pool;
            for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
            worker();
            for (auto& t : pool) t.join();
            progress.throwIfCancelled();
        };
        forEachDefinition(toMeasure, "measuring parts", [&](Definition& d) { d.measures = measureShape(d.shape, options); });
        // Stock size and validity depend only on the geometry, so they are computed once per unique
        // part (on its first definition) and shared by the definitions grouped with it.
        const std::vector<int> representative = assignParts(a);
        std::vector<std::size_t> toFinish(representative.begin(), representative.end());
        std::stable_sort(toFinish.begin(), toFinish.end(), [&](std::size_t x, std::size_t y) {
            return a.definitions[x].measures.faces > a.definitions[y].measures.faces;
        });
        forEachDefinition(toFinish, "checking parts", [&](Definition& d) { finishPart(d.shape, d.measures, options); });
        for (Definition& d : a.definitions) {
            if (d.kind != NodeKind::Part) continue;
            const ShapeMeasures& rep = a.definitions[static_cast<std::size_t>(representative[static_cast<std::size_t>(d.part)])].measures;
            d.measures.orientedSize = rep.orientedSize;
            d.measures.valid = rep.valid;
        }
        for (std::size_t i = 0; i < failures.size(); ++i)
            if (!failures[i].empty())
                r.warnings.push_back("could not measure '" + a.definitions[i].productName + "': " + failures[i]);
        fillParts(a, representative);
        // Totals over the placed instances. The overall box is the one OCCT gives for the whole
        // placed assembly: the union of exact-transformed boxes, grown once by the largest gap.
        double gap = 0.0;
        for (const Instance& inst : a.instances) {
            const Definition& d = a.definitions[static_cast<std::size_t>(inst.definition)];
            const PartInfo& part = r.parts[static_cast<std::size_t>(d.part)];
            r.totals.volume += part.volume;
            r.totals.area += part.area;
            ++r.totals.instances;
            const Placement world = toPlacement(inst.world);
            double instanceGap = d.measures.boxGap;
            if (auto exact = transformBoxExactly(d.measures.bbox, world)) r.totals.bbox.add(*exact);
            else r.totals.bbox.add(placedBox(d.shape, inst.world, instanceGap));
            gap = std::max(gap, instanceGap);
        }
        // Non-solid geometry is part of what the file shows, so of its overall size.
        for (const Instance& inst : a.nonSolids) {
            double instanceGap = 0.0;
            r.totals.bbox.add(placedBox(a.definitions[static_cast<std::size_t>(inst.definition)].shape, inst.world, instanceGap));
            gap = std::max(gap, instanceGap);
        }
        r.totals.bbox = enlarged(r.totals.bbox, gap);
    } catch (const Standard_Failure& failure) {
        throw CadError(name, "OpenCASCADE failed while analysing: " + describe(failure));
    }
    r.totals.uniqueParts = static_cast<int>(r.parts.size());
    for (const TreeNode& n : r.nodes) r.totals.nonSolids += n.kind == NodeKind::NonSolid ? 1 : 0;
    if (r.totals.instances == 0 && r.totals.nonSolids == 0) throw CadError(name, "the file holds no geometry");
    if (r.totals.nonSolids > 0)
        r.warnings.push_back(std::to_string(r.totals.nonSolids) +
                             " non-solid item(s) (edges, wires, faces or open shells) are not counted as parts");
    for (const Definition& d : a.definitions) {
        if (d.kind != NodeKind::Part) continue;
        const std::string label = d.productName.empty() ? std::string("a part") : "'" + d.productName + "'";
        if (d.measures.inverted) r.warnings.push_back(label + " has an inverted (inside-out) solid");
        if (!d.measures.valid) r.warnings.push_back(label + " fails the geometry validity check");
        if (!d.measures.closed) r.warnings.push_back(label + " is not closed: its volume is not meaningful");
    }
    addSizeWarnings(r, options);
    return a;
}

} // namespace telar::cad::detail

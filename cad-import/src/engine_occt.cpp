// The OpenCASCADE engine: reading, measuring and tessellating STEP, IGES and BREP (see engine.h).
#include "engine.h"

#include "occt_document.h"
#include "occt_support.h"
#include "telar/error.h"
#include "xcaf_analysis.h"

#include <BRepMesh_IncrementalMesh.hxx>
#include <BRep_Tool.hxx>
#include <Poly_Triangulation.hxx>
#include <TopExp_Explorer.hxx>
#include <TopoDS.hxx>
#include <TopoDS_Face.hxx>
#include <gp_Trsf.hxx>

#include <map>

namespace telar::cad::detail {
namespace {

void appendFaceTriangles(const TopoDS_Shape& shape, const TopLoc_Location& placement, Mesh& mesh) {
    for (TopExp_Explorer it(shape, TopAbs_FACE); it.More(); it.Next()) {
        const TopoDS_Face face = TopoDS::Face(it.Current());
        TopLoc_Location location;
        const Handle(Poly_Triangulation) tri = BRep_Tool::Triangulation(face, location);
        if (tri.IsNull() || tri->NbTriangles() == 0) continue;
        if (!tri->HasNormals()) tri->ComputeNormals();
        const gp_Trsf trsf = (placement * location).Transformation();
        const bool reversed = face.Orientation() == TopAbs_REVERSED;
        const auto base = static_cast<std::uint32_t>(mesh.vertexCount());
        for (int i = 1; i <= tri->NbNodes(); ++i) {
            const gp_Pnt p = tri->Node(i).Transformed(trsf);
            gp_Dir n = tri->Normal(i).Transformed(trsf);
            if (reversed) n.Reverse();
            mesh.positions.insert(mesh.positions.end(), {float(p.X()), float(p.Y()), float(p.Z())});
            mesh.normals.insert(mesh.normals.end(), {float(n.X()), float(n.Y()), float(n.Z())});
        }
        for (int t = 1; t <= tri->NbTriangles(); ++t) {
            int a, b, c;
            tri->Triangle(t).Get(a, b, c);
            if (reversed) std::swap(b, c);
            mesh.indices.insert(mesh.indices.end(), {base + std::uint32_t(a - 1), base + std::uint32_t(b - 1),
                                                     base + std::uint32_t(c - 1)});
        }
    }
}

AnalysisResult analyzeBRep(std::string_view bytes, Format format, const std::string& displayName,
                           const AnalyzeOptions& options, const Progress& progress) {
    const LoadedDocument loaded = loadDocument(bytes, format, displayName, options, progress.child(0.0, 0.7));
    return analyzeDocument(loaded, format, displayName, options, progress.child(0.7, 1.0)).result;
}

Mesh tessellateBRep(std::string_view bytes, Format format, const std::string& name, int part, double deflection,
                    const Progress& progress) {
    AnalyzeOptions options;
    options.checkValidity = false;
    const LoadedDocument loaded = loadDocument(bytes, format, name, options, progress.child(0.0, 0.5));
    DocumentAnalysis analysis = analyzeDocument(loaded, format, name, options, progress.child(0.5, 0.6));
    if (part != kWholeFile && (part < 0 || part >= static_cast<int>(analysis.result.parts.size())))
        throw CadError(name, "part " + std::to_string(part) + " does not exist (the file has " +
                                 std::to_string(analysis.result.parts.size()) + ")");
    Mesh mesh;
    try {
        std::map<int, bool> meshed;
        auto ensureMeshed = [&](int definition) {
            if (meshed[definition]) return;
            const TopoDS_Shape& shape = analysis.definitions[static_cast<std::size_t>(definition)].shape;
            BRepMesh_IncrementalMesh mesher(shape, deflection, Standard_False, 0.5, Standard_False);
            meshed[definition] = true;
        };
        std::size_t done = 0;
        for (const Instance& inst : analysis.instances) {
            progress.throwIfCancelled();
            const Definition& d = analysis.definitions[static_cast<std::size_t>(inst.definition)];
            if (part != kWholeFile && d.part != part) continue;
            ensureMeshed(inst.definition);
            const TreeNode& node = analysis.result.nodes[static_cast<std::size_t>(inst.node)];
            MeshGroup group{node.name, d.part, node.colour ? node.colour : d.colour,
                            static_cast<std::uint32_t>(mesh.indices.size()), 0};
            appendFaceTriangles(d.shape, part == kWholeFile ? inst.world : TopLoc_Location(), mesh);
            group.indexCount = static_cast<std::uint32_t>(mesh.indices.size()) - group.firstIndex;
            mesh.groups.push_back(std::move(group));
            progress.child(0.6, 1.0).report(double(++done) / double(analysis.instances.size()), "tessellating");
            if (part != kWholeFile) break; // one instance, in the part's own coordinates
        }
    } catch (const Standard_Failure& failure) {
        throw CadError(name, "tessellation failed: " + describe(failure));
    }
    return mesh;
}

const Engine kEngine{&analyzeBRep, &tessellateBRep};

} // namespace
} // namespace telar::cad::detail

extern "C" const telar::cad::detail::Engine* telar_cad_engine() { return &telar::cad::detail::kEngine; }

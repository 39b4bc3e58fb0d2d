#include "cad_factory.h"

#include <BRepAlgoAPI_Cut.hxx>
#include <BRepAlgoAPI_Fuse.hxx>
#include <BRepMesh_IncrementalMesh.hxx>
#include <BRepPrimAPI_MakeBox.hxx>
#include <BRepPrimAPI_MakeCylinder.hxx>
#include <BRepBuilderAPI_Transform.hxx>
#include <Interface_Static.hxx>
#include <Message.hxx>
#include <Message_Messenger.hxx>
#include <Message_PrinterOStream.hxx>
#include <Quantity_Color.hxx>
#include <STEPCAFControl_Writer.hxx>
#include <StlAPI_Writer.hxx>
#include <TDataStd_Name.hxx>
#include <TDocStd_Document.hxx>
#include <TopLoc_Location.hxx>
#include <TopoDS_Shape.hxx>
#include <XCAFApp_Application.hxx>
#include <XCAFDoc_ColorTool.hxx>
#include <XCAFDoc_DocumentTool.hxx>
#include <XCAFDoc_ShapeTool.hxx>
#include <gp_Ax2.hxx>
#include <gp_Trsf.hxx>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace telar::examplegen {

namespace {

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::filesystem::path tempFile(const char* ext) {
    static int counter = 0;
    return std::filesystem::temp_directory_path() /
           ("telar-example-gen-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ext);
}

TopoDS_Shape cylinderZ(double x, double y, double z, double radius, double height) {
    return BRepPrimAPI_MakeCylinder(gp_Ax2(gp_Pnt(x, y, z), gp_Dir(0, 0, 1)), radius, height).Shape();
}

TopoDS_Shape cut(const TopoDS_Shape& a, const TopoDS_Shape& b) {
    BRepAlgoAPI_Cut op(a, b);
    if (!op.IsDone()) throw std::runtime_error("boolean cut failed");
    return op.Shape();
}

TopoDS_Shape fuse(const TopoDS_Shape& a, const TopoDS_Shape& b) {
    BRepAlgoAPI_Fuse op(a, b);
    if (!op.IsDone()) throw std::runtime_error("boolean fuse failed");
    return op.Shape();
}

// Drills n holes of diameter d along a line through a w×h face, at depth t.
TopoDS_Shape drill(TopoDS_Shape s, double w, double h, double t, int n, double d) {
    for (int i = 0; i < n; ++i) {
        double x = w * (i + 1) / (n + 1);
        double y = (i % 2 == 0) ? h * 0.3 : h * 0.7;
        s = cut(s, cylinderZ(x, y, -1, d / 2, t + 2));
    }
    return s;
}

TopoDS_Shape build(const ShapeSpec& s) {
    switch (s.kind) {
    case ShapeSpec::Kind::Plate:
        return drill(BRepPrimAPI_MakeBox(s.a, s.b, s.c).Shape(), s.a, s.b, s.c, s.holes, s.holeDiameter);
    case ShapeSpec::Kind::Bracket: {
        TopoDS_Shape base = BRepPrimAPI_MakeBox(s.a, s.b, s.c).Shape();
        TopoDS_Shape wall = BRepPrimAPI_MakeBox(gp_Pnt(0, 0, 0), s.c, s.b, s.a * 0.6).Shape();
        return drill(fuse(base, wall), s.a, s.b, s.c, s.holes, s.holeDiameter);
    }
    case ShapeSpec::Kind::Block: {
        TopoDS_Shape block = BRepPrimAPI_MakeBox(s.a, s.b, s.c).Shape();
        TopoDS_Shape pocket =
            BRepPrimAPI_MakeBox(gp_Pnt(s.a * 0.2, s.b * 0.2, s.c * 0.5), s.a * 0.6, s.b * 0.6, s.c).Shape();
        return drill(cut(block, pocket), s.a, s.b, s.c, s.holes, s.holeDiameter);
    }
    case ShapeSpec::Kind::Spacer:
        return cut(cylinderZ(0, 0, 0, s.b / 2, s.a), cylinderZ(0, 0, -1, s.c / 2, s.a + 2));
    case ShapeSpec::Kind::Knob:
        return fuse(cylinderZ(0, 0, 0, s.b / 2, s.a * 0.4),
                    BRepPrimAPI_MakeBox(gp_Pnt(-s.b / 6, -s.b / 6, 0), s.b / 3, s.b / 3, s.a).Shape());
    case ShapeSpec::Kind::Screw:
        return fuse(cylinderZ(0, 0, 0, s.c / 2, s.c * 0.6), cylinderZ(0, 0, -s.a, s.b / 2, s.a));
    }
    throw std::logic_error("unknown shape kind");
}

// OCCT keeps writer settings and document application state process-wide.
std::mutex& occtMutex() {
    static std::mutex m;
    return m;
}

// STEP headers carry the time of writing and the writer's origin; fix them so output is reproducible.
std::string normaliseStepHeader(std::string text, const std::string& name) {
    static const std::regex fileName(R"(FILE_NAME\('[^']*','[^']*')");
    return std::regex_replace(text, fileName, "FILE_NAME('" + name + "','2026-01-01T00:00:00'",
                              std::regex_constants::format_first_only);
}

std::string writeDocument(const Handle(TDocStd_Document)& doc, const std::string& name) {
    Interface_Static::SetCVal("write.step.schema", "AP214IS");
    Interface_Static::SetCVal("write.step.unit", "MM");
    STEPCAFControl_Writer writer;
    writer.SetColorMode(true);
    writer.SetNameMode(true);
    if (!writer.Transfer(doc, STEPControl_AsIs)) throw std::runtime_error("STEP transfer failed for " + name);
    auto path = tempFile(".step");
    if (writer.Write(path.c_str()) != IFSelect_RetDone) throw std::runtime_error("STEP write failed for " + name);
    std::string text = slurp(path);
    std::filesystem::remove(path);
    return normaliseStepHeader(std::move(text), name);
}

Handle(TDocStd_Document) newDocument() {
    Handle(TDocStd_Document) doc;
    XCAFApp_Application::GetApplication()->NewDocument("MDTV-XCAF", doc);
    return doc;
}

} // namespace

void silenceOcct() {
    const Handle(Message_Messenger)& messenger = Message::DefaultMessenger();
    Message_SequenceOfPrinters printers = messenger->Printers();
    for (auto it = printers.cbegin(); it != printers.cend(); ++it) messenger->RemovePrinter(*it);
}

std::string makeStep(const ShapeSpec& spec, const std::string& productName) {
    std::lock_guard lock(occtMutex());
    Handle(TDocStd_Document) doc = newDocument();
    Handle(XCAFDoc_ShapeTool) shapes = XCAFDoc_DocumentTool::ShapeTool(doc->Main());
    TDF_Label label = shapes->AddShape(build(spec), false);
    TDataStd_Name::Set(label, TCollection_ExtendedString(productName.c_str(), true));
    std::string out = writeDocument(doc, productName);
    XCAFApp_Application::GetApplication()->Close(doc);
    return out;
}

std::string makeStl(const ShapeSpec& spec) {
    std::lock_guard lock(occtMutex());
    TopoDS_Shape shape = build(spec);
    BRepMesh_IncrementalMesh mesh(shape, 0.05, false, 0.3, false);
    StlAPI_Writer writer;
    writer.ASCIIMode() = false;
    auto path = tempFile(".stl");
    if (!writer.Write(shape, path.c_str())) throw std::runtime_error("STL write failed");
    std::string bytes = slurp(path);
    std::filesystem::remove(path);
    return bytes;
}

std::string makeAssemblyStep(const std::string& assemblyName, const std::vector<Component>& components) {
    std::lock_guard lock(occtMutex());
    Handle(TDocStd_Document) doc = newDocument();
    Handle(XCAFDoc_ShapeTool) shapes = XCAFDoc_DocumentTool::ShapeTool(doc->Main());
    Handle(XCAFDoc_ColorTool) colours = XCAFDoc_DocumentTool::ColorTool(doc->Main());
    TDF_Label assembly = shapes->NewShape();
    TDataStd_Name::Set(assembly, TCollection_ExtendedString(assemblyName.c_str(), true));

    std::map<std::string, TDF_Label> products; // one product per distinct part name stem
    int instance = 0;
    for (const auto& c : components) {
        std::string stem = c.name.substr(0, c.name.find(':'));
        auto it = products.find(stem);
        if (it == products.end()) {
            TDF_Label part = shapes->AddShape(build(c.shape), false);
            TDataStd_Name::Set(part, TCollection_ExtendedString(stem.c_str(), true));
            colours->SetColor(part, Quantity_Color(c.colour[0], c.colour[1], c.colour[2], Quantity_TOC_RGB),
                              XCAFDoc_ColorSurf);
            it = products.emplace(stem, part).first;
        }
        gp_Trsf placement;
        placement.SetTranslation(gp_Vec(c.offset[0], c.offset[1], c.offset[2]));
        TDF_Label component = shapes->AddComponent(assembly, it->second, TopLoc_Location(placement));
        TDataStd_Name::Set(component,
                           TCollection_ExtendedString((stem + ":" + std::to_string(++instance)).c_str(), true));
    }
    shapes->UpdateAssemblies();
    std::string out = writeDocument(doc, assemblyName);
    XCAFApp_Application::GetApplication()->Close(doc);
    return out;
}

} // namespace telar::examplegen

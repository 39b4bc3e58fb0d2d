#include "occt_document.h"

#include "occt_support.h"
#include "telar/error.h"

#include <BRepTools.hxx>
#include <BRep_Builder.hxx>
#include <IGESCAFControl_Reader.hxx>
#include <Interface_Check.hxx>
#include <Interface_InterfaceModel.hxx>
#include <IGESControl_Reader.hxx>
#include <IGESData_IGESModel.hxx>
#include <STEPCAFControl_Reader.hxx>
#include <STEPControl_Reader.hxx>
#include <TColStd_SequenceOfAsciiString.hxx>
#include <TopoDS_Shape.hxx>
#include <XCAFApp_Application.hxx>
#include <XCAFDoc_DocumentTool.hxx>
#include <XCAFDoc_ShapeTool.hxx>
#include <XSControl_WorkSession.hxx>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <istream>
#include <streambuf>
#include <unistd.h>
#include <unordered_map>

namespace telar::cad::detail {
namespace {

// A read-only std::streambuf over bytes we do not own (no copy of a git blob).
class ViewBuffer : public std::streambuf {
public:
    explicit ViewBuffer(std::string_view bytes) {
        char* begin = const_cast<char*>(bytes.data());
        setg(begin, begin, begin + bytes.size());
    }

protected:
    pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode) override {
        char* target = dir == std::ios_base::beg ? eback() + off : dir == std::ios_base::cur ? gptr() + off : egptr() + off;
        if (target < eback() || target > egptr()) return pos_type(off_type(-1));
        setg(eback(), target, egptr());
        return pos_type(target - eback());
    }
    pos_type seekpos(pos_type pos, std::ios_base::openmode mode) override {
        return seekoff(off_type(pos), std::ios_base::beg, mode);
    }
};

// A temporary file holding bytes, removed on destruction (for readers without stream input).
class TempFile {
public:
    TempFile(std::string_view bytes, const std::string& extension) {
        std::string pattern = (std::filesystem::temp_directory_path() / "telar-cad-XXXXXX").string() + extension;
        const int fd = ::mkstemps(pattern.data(), static_cast<int>(extension.size()));
        if (fd < 0) throw std::runtime_error("cannot create a temporary file");
        m_path = pattern;
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
            if (n <= 0) {
                ::close(fd);
                std::filesystem::remove(m_path);
                throw std::runtime_error("cannot write a temporary file");
            }
            done += static_cast<std::size_t>(n);
        }
        ::close(fd);
    }
    ~TempFile() {
        std::error_code ec;
        std::filesystem::remove(m_path, ec);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

// A document that is not registered in the application's session, so it is freed with its last
// handle (NewDocument would keep every analysed file alive until an explicit Close).
// OCCT's STEP and IGES translators dereference null on dangling or mistyped references (found by
// fuzz_cad: tests/cad/corpus/bad_*), so a file whose parser check reports global failures is refused
// before transfer. Exporters do leave single unreadable entities (Fusion 360 files have some);
// those only fail locally and are accepted.
void refuseMalformed(const Handle(Interface_InterfaceModel)& model, const std::string& name, const char* format) {
    if (model.IsNull()) throw CadError(name, std::string("not a readable ") + format + " file");
    const Handle(Interface_Check) check = model->GlobalCheck(Standard_True);
    if (check.IsNull() || check->NbFails() == 0) return;
    throw CadError(name, std::string(format) + " file is malformed: the parser reports " +
                             std::to_string(check->NbFails()) + " error(s) (first: " +
                             toUtf8(check->Fail(1, Standard_True)) + ")");
}

Handle(TDocStd_Document) newDocument() {
    Handle(TDocStd_Document) doc = new TDocStd_Document("BinXCAF");
    XCAFApp_Application::GetApplication()->InitDocument(doc);
    // Lengths in the document are millimetres, whatever xstep.cascade.unit says.
    XCAFDoc_DocumentTool::SetLengthUnit(doc, 1.0, UnitsMethods_LengthUnit_Millimeter);
    return doc;
}

void addUnit(LoadedDocument& loaded, std::string unit) {
    for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (unit.empty()) return;
    if (std::find(loaded.lengthUnits.begin(), loaded.lengthUnits.end(), unit) == loaded.lengthUnits.end())
        loaded.lengthUnits.push_back(unit);
}

void finishUnits(LoadedDocument& loaded) {
    loaded.unitToMm = 1.0;
    if (!loaded.lengthUnits.empty()) {
        const double f = unitFactorToMm(loaded.lengthUnits.front());
        if (f > 0) loaded.unitToMm = f;
    }
}

LoadedDocument loadStep(std::string_view bytes, const std::string& name, const AnalyzeOptions& options,
                        const Progress& progress) {
    prescanStep(bytes, name, options.maxAssemblyDepth);
    LoadedDocument loaded;
    std::lock_guard lock(readerMutex());
    StaticSettingsGuard settings;
    settings.setString("xstep.cascade.unit", "MM");
    settings.setInteger("read.step.product.mode", 1); // read the product structure
    settings.setInteger("read.step.assembly.level", 1);

    STEPCAFControl_Reader reader;
    reader.SetColorMode(true);
    reader.SetNameMode(true);
    reader.SetMatMode(true);
    reader.SetLayerMode(false);
    reader.SetPropsMode(false);
    reader.SetGDTMode(false);
    reader.SetSHUOMode(false);
    reader.SetViewMode(false);
    ViewBuffer buffer(bytes);
    std::istream stream(&buffer);
    progress.report(0.0, "reading " + name);
    const IFSelect_ReturnStatus status = reader.ChangeReader().ReadStream(name.c_str(), stream);
    if (status != IFSelect_RetDone) throw CadError(name, "not a readable STEP file (the STEP parser failed)");
    progress.throwIfCancelled();
    refuseMalformed(reader.ChangeReader().WS()->Model(), name, "STEP");
    if (reader.ChangeReader().NbRootsForTransfer() == 0) throw CadError(name, "STEP file holds no shapes");

    TColStd_SequenceOfAsciiString lengths, angles, solidAngles;
    reader.ChangeReader().FileUnits(lengths, angles, solidAngles);
    for (int i = 1; i <= lengths.Length(); ++i) addUnit(loaded, lengths.Value(i).ToCString());
    finishUnits(loaded);

    loaded.doc = newDocument();
    Handle(ProgressBridge) bridge = new ProgressBridge(progress.child(0.3, 1.0), "transferring " + name);
    const bool ok = reader.Transfer(loaded.doc, bridge->Start());
    progress.throwIfCancelled();
    if (!ok) throw CadError(name, "STEP transfer failed (no shape could be built)");
    return loaded;
}

LoadedDocument loadIges(std::string_view bytes, const std::string& name, const Progress& progress) {
    LoadedDocument loaded;
    TempFile file(bytes, ".igs");
    std::lock_guard lock(readerMutex());
    StaticSettingsGuard settings;
    settings.setString("xstep.cascade.unit", "MM");
    IGESCAFControl_Reader reader;
    reader.SetColorMode(true);
    reader.SetNameMode(true);
    reader.SetLayerMode(false);
    if (reader.ReadFile(file.path().c_str()) != IFSelect_RetDone) throw CadError(name, "not a readable IGES file");
    refuseMalformed(reader.WS()->Model(), name, "IGES");
    // OCCT's IGES translator also crashes on single broken entities (fuzz_cad), so IGES, unlike
    // STEP, must be free of them.
    const Handle(Interface_InterfaceModel) igesModel = reader.WS()->Model();
    int broken = 0;
    for (int i = 1; i <= igesModel->NbEntities(); ++i) broken += igesModel->IsErrorEntity(i) ? 1 : 0;
    if (broken > 0) throw CadError(name, "IGES file is malformed: " + std::to_string(broken) + " unreadable entities");
    Handle(IGESData_IGESModel) model = Handle(IGESData_IGESModel)::DownCast(reader.WS()->Model());
    if (!model.IsNull()) {
        const Handle(TCollection_HAsciiString) unit = model->GlobalSection().UnitName();
        if (!unit.IsNull()) addUnit(loaded, unit->ToCString());
    }
    finishUnits(loaded);
    loaded.doc = newDocument();
    Handle(ProgressBridge) bridge = new ProgressBridge(progress.child(0.3, 1.0), "transferring " + name);
    const bool ok = reader.Transfer(loaded.doc, bridge->Start());
    progress.throwIfCancelled();
    if (!ok) throw CadError(name, "IGES transfer failed (no shape could be built)");
    return loaded;
}

LoadedDocument loadBrep(std::string_view bytes, const std::string& name) {
    LoadedDocument loaded;
    std::lock_guard lock(readerMutex()); // the shared XCAF application is not thread-safe
    ViewBuffer buffer(bytes);
    std::istream stream(&buffer);
    TopoDS_Shape shape;
    BRep_Builder builder;
    BRepTools::Read(shape, stream, builder);
    if (shape.IsNull()) throw CadError(name, "not a readable BREP file");
    loaded.doc = newDocument();
    Handle(XCAFDoc_ShapeTool) shapes = XCAFDoc_DocumentTool::ShapeTool(loaded.doc->Main());
    shapes->AddShape(shape, false);
    return loaded; // BREP has no unit: taken as millimetres
}

// The n-th comma-separated argument of a STEP entity, starting after its '('. Handles quoted
// strings with doubled quotes. Returns false at the end of the argument list.
bool nextArgument(std::string_view s, std::size_t& pos, std::string_view& arg) {
    while (pos < s.size() && std::isspace(static_cast<unsigned char>(s[pos]))) ++pos;
    const std::size_t start = pos;
    int depth = 0;
    while (pos < s.size()) {
        const char c = s[pos];
        if (c == '\'') {
            ++pos;
            while (pos < s.size()) {
                if (s[pos] == '\'') {
                    if (pos + 1 < s.size() && s[pos + 1] == '\'') {
                        pos += 2;
                        continue;
                    }
                    break;
                }
                ++pos;
            }
        } else if (c == '(') {
            ++depth;
        } else if (c == ')') {
            if (depth == 0) {
                arg = s.substr(start, pos - start);
                return false;
            }
            --depth;
        } else if (c == ',' && depth == 0) {
            arg = s.substr(start, pos - start);
            ++pos;
            return true;
        }
        ++pos;
    }
    arg = s.substr(start);
    return false;
}

long entityId(std::string_view arg) {
    while (!arg.empty() && std::isspace(static_cast<unsigned char>(arg.front()))) arg.remove_prefix(1);
    if (arg.empty() || arg.front() != '#') return -1;
    long v = 0;
    for (std::size_t i = 1; i < arg.size() && std::isdigit(static_cast<unsigned char>(arg[i])); ++i) {
        if (i > 15) return -1; // no real file has 10^15 entities; also keeps v from overflowing
        v = v * 10 + (arg[i] - '0');
    }
    return v;
}

} // namespace

double unitFactorToMm(const std::string& unit) {
    static const std::unordered_map<std::string, double> factors = {
        {"MILLIMETRE", 1.0}, {"MILLIMETER", 1.0}, {"MM", 1.0},           {"CENTIMETRE", 10.0},
        {"CENTIMETER", 10.0}, {"CM", 10.0},       {"METRE", 1000.0},     {"METER", 1000.0},
        {"M", 1000.0},        {"INCH", 25.4},     {"IN", 25.4},          {"FOOT", 304.8},
        {"FT", 304.8},        {"MICROMETRE", 1e-3}, {"MICRON", 1e-3},    {"UM", 1e-3},
        {"KILOMETRE", 1e6},   {"KM", 1e6},        {"MIL", 0.0254},       {"DECIMETRE", 100.0},
        {"MILE", 1609344.0},  {"NANOMETRE", 1e-6}};
    const auto it = factors.find(unit);
    return it == factors.end() ? 0.0 : it->second;
}

void prescanStep(std::string_view bytes, const std::string& name, int maxDepth) {
    // A complete exchange file ends with END-ISO-10303-21; anything else was cut off.
    std::size_t tail = bytes.size();
    while (tail > 0 && (std::isspace(static_cast<unsigned char>(bytes[tail - 1])) || bytes[tail - 1] == '\0')) --tail;
    const std::string_view trailer = "END-ISO-10303-21;";
    if (tail < trailer.size() || bytes.substr(tail - trailer.size(), trailer.size()) != trailer)
        throw CadError(name, "STEP file is truncated (it does not end with END-ISO-10303-21;)");
    if (bytes.find("DATA;") == std::string_view::npos) throw CadError(name, "STEP file has no DATA section");

    // Assembly graph: relating product definition → related ones.
    std::unordered_map<long, std::vector<long>> children;
    const std::string_view keyword = "NEXT_ASSEMBLY_USAGE_OCCURRENCE(";
    for (std::size_t at = bytes.find(keyword); at != std::string_view::npos; at = bytes.find(keyword, at + 1)) {
        std::size_t pos = at + keyword.size();
        std::string_view args[5];
        int n = 0;
        for (; n < 5; ++n) {
            if (!nextArgument(bytes, pos, args[n])) {
                ++n;
                break;
            }
        }
        if (n < 5) continue; // malformed; OCCT's parser will judge
        const long relating = entityId(args[3]);
        const long related = entityId(args[4]);
        if (relating >= 0 && related >= 0) children[relating].push_back(related);
    }
    if (children.empty()) return;
    // Longest path with cycle detection, iteratively (a hostile file must not overflow our stack).
    enum : char { Unseen = 0, Active = 1, Done = 2 };
    std::unordered_map<long, char> state;
    std::unordered_map<long, int> height;
    for (const auto& [root, unused] : children) {
        if (state[root] == Done) continue;
        std::vector<std::pair<long, std::size_t>> stack{{root, 0}};
        state[root] = Active;
        while (!stack.empty()) {
            auto& [node, next] = stack.back();
            const auto it = children.find(node);
            if (it != children.end() && next < it->second.size()) {
                const long child = it->second[next++];
                const char s = state[child];
                if (s == Active) throw CadError(name, "STEP assembly structure contains a cycle");
                if (s == Unseen) {
                    state[child] = Active;
                    stack.emplace_back(child, 0);
                }
                continue;
            }
            int h = 0;
            if (it != children.end())
                for (long c : it->second) h = std::max(h, height[c] + 1);
            height[node] = h;
            if (h > maxDepth)
                throw CadError(name, "STEP assembly is nested more than " + std::to_string(maxDepth) +
                                         " levels deep (a hostile or broken file?)");
            state[node] = Done;
            stack.pop_back();
        }
    }
}

LoadedDocument loadDocument(std::string_view bytes, Format format, const std::string& name,
                            const AnalyzeOptions& options, const Progress& progress) {
    silenceOcct();
    try {
        switch (format) {
        case Format::Step: return loadStep(bytes, name, options, progress);
        case Format::Iges: return loadIges(bytes, name, progress);
        case Format::Brep: return loadBrep(bytes, name);
        default: break;
        }
    } catch (const Standard_Failure& failure) {
        throw CadError(name, "OpenCASCADE failed while reading: " + describe(failure));
    } catch (const std::bad_alloc&) {
        throw CadError(name, "out of memory while reading");
    } catch (const std::runtime_error& e) {
        if (dynamic_cast<const Error*>(&e)) throw;
        throw CadError(name, e.what());
    }
    throw CadError(name, "format " + formatName(format) + " cannot be read as a B-rep document");
}

} // namespace telar::cad::detail

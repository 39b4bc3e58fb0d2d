// Entry points: format dispatch, the STL path (3MF in threemf.cpp), files from disk.
#include "telar/cad/analyze.h"

#include "engine.h"
#include "size_warnings.h"
#include "stl.h"
#include "telar/error.h"
#include "threemf.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace telar::cad {
namespace {

std::string extensionOf(const std::string& name) {
    const auto slash = name.find_last_of("/\\");
    const auto dot = name.rfind('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
    std::string ext = name.substr(dot + 1);
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

std::string stemOf(const std::string& name) {
    const auto slash = name.find_last_of("/\\");
    std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
    const auto dot = base.rfind('.');
    if (dot != std::string::npos && dot > 0) base.resize(dot);
    return base;
}

// The format the extension suggests, to warn when the content disagrees.
Format formatOfExtension(const std::string& ext) {
    if (ext == "step" || ext == "stp" || ext == "p21") return Format::Step;
    if (ext == "iges" || ext == "igs") return Format::Iges;
    if (ext == "brep" || ext == "brp") return Format::Brep;
    if (ext == "stl") return Format::StlAscii;
    if (ext == "3mf") return Format::ThreeMf;
    return Format::Unknown;
}

bool sameFamily(Format a, Format b) {
    auto family = [](Format f) { return f == Format::StlBinary ? Format::StlAscii : f; };
    return family(a) == family(b);
}

AnalysisResult analyzeStl(std::string_view bytes, Format format, const std::string& name,
                          const AnalyzeOptions& options, const Progress& progress) {
    progress.report(0.0, "reading " + name);
    const detail::TriangleSoup soup = detail::parseStl(bytes, format, name);
    progress.throwIfCancelled();
    progress.report(0.5, "measuring " + name);
    const detail::MeshMeasures m = detail::measureSoup(soup);

    AnalysisResult r;
    r.name = name;
    r.format = format;
    r.unitToMm = 1.0; // STL carries no unit: millimetres by convention
    PartInfo part;
    part.name = cleanPartName(stemOf(name));
    part.rawNames = {stemOf(name)};
    part.quantity = 1;
    detail::setMeshGeometry(part, m);
    r.parts.push_back(part);

    TreeNode node;
    node.name = stemOf(name);
    node.productName = soup.solidName;
    node.kind = NodeKind::Part;
    node.part = 0;
    node.shapeType = "mesh";
    r.nodes.push_back(node);
    r.roots.push_back(0);
    r.totals = {part.volume, part.area, part.bbox, 1, 1, 0};

    if (!part.closed) {
        r.warnings.push_back("mesh is not watertight (" + std::to_string(m.openEdges) + " open, " +
                             std::to_string(m.nonManifoldEdges) + " non-manifold, " + std::to_string(m.flippedEdges) +
                             " inconsistently oriented edges): its volume is not meaningful");
    }
    if (m.volume < 0.0) r.warnings.push_back("mesh triangles face inwards (negative volume); the absolute value is used");
    if (m.degenerate > 0) r.warnings.push_back(std::to_string(m.degenerate) + " degenerate triangle(s)");
    detail::addSizeWarnings(r, options);
    progress.report(1.0, "measured " + name);
    return r;
}

} // namespace

AnalysisResult analyzeBytes(std::string_view bytes, const std::string& displayName, const AnalyzeOptions& options,
                            const Progress& progress) {
    if (bytes.empty()) throw CadError(displayName, "empty file");
    progress.throwIfCancelled();
    const Format format = detectFormat(bytes, displayName);
    const Format expected = formatOfExtension(extensionOf(displayName));
    if (format == Format::Unknown) {
        throw CadError(displayName, expected == Format::Unknown
                                        ? "unrecognised content (not STEP, IGES, BREP, STL or 3MF)"
                                        : "content is not " + formatName(expected) +
                                              " (nor any other CAD format we read) despite the file extension");
    }
    AnalysisResult r;
    if (format == Format::StlAscii || format == Format::StlBinary) {
        r = analyzeStl(bytes, format, displayName, options, progress);
    } else if (format == Format::ThreeMf) {
        r = detail::analyze3mf(bytes, displayName, options, progress);
    } else {
        r = detail::engine(displayName).analyze(bytes, format, displayName, options, progress);
    }
    if (expected != Format::Unknown && !sameFamily(expected, format)) {
        r.warnings.insert(r.warnings.begin(), "the content is " + formatName(format) + " although the name ends in ." +
                                                  extensionOf(displayName));
    }
    return r;
}

AnalysisResult analyzeFile(const std::filesystem::path& path, const std::string& displayName,
                           const AnalyzeOptions& options, const Progress& progress) {
    const std::string name = displayName.empty() ? path.string() : displayName;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CadError(name, std::string("cannot open: ") + std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (!in && !in.eof()) throw CadError(name, "cannot read the file");
    const std::string bytes = buffer.str();
    return analyzeBytes(bytes, name, options, progress);
}

} // namespace telar::cad

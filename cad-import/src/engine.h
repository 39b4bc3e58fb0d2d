#pragma once
// The OpenCASCADE half of telar::cad, behind a table of two functions.
//
// Everything in telar::cad that does not need OCCT (format detection, STL and 3MF, the worker client,
// serialisation, mesh writers) is in the telar_cad library. Reading and tessellating STEP, IGES
// and BREP is in the engine (engine_occt.cpp and the occt_* / xcaf_* / measure files), which
// programs either link in (the worker, the desktop app, the CAD tests) or load on first use as the
// module telar-cad-engine.so (the `telar` CLI, whose commands mostly never touch CAD geometry:
// loading OCCT's ~30 toolkits costs every process ~50 ms).

#include "telar/cad/mesh.h"
#include "telar/cad/types.h"
#include "telar/progress.h"

#include <string>
#include <string_view>

namespace telar::cad::detail {

struct Engine {
    // Analyses STEP, IGES or BREP content (format as detected). Throws CadError and Cancelled.
    AnalysisResult (*analyze)(std::string_view bytes, Format format, const std::string& name,
                              const AnalyzeOptions& options, const Progress& progress);
    // Tessellates STEP, IGES or BREP content (see cad::tessellate). Throws CadError and Cancelled.
    Mesh (*tessellate)(std::string_view bytes, Format format, const std::string& name, int part,
                       double deflection, const Progress& progress);
};

// The engine linked into this program, or else the module loaded once per process.
// Throws CadError{name, reason} when the module cannot be found or loaded.
const Engine& engine(const std::string& name);

} // namespace telar::cad::detail

// Defined by the engine; the symbol the module loader looks up.
extern "C" const telar::cad::detail::Engine* telar_cad_engine();

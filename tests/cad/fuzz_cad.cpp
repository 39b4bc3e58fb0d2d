// libFuzzer target for the STEP and STL entry points (clang only, see CMakeLists.txt). The first
// byte picks the display name's extension, so both the content sniffing and the extension
// fallback get exercised. Any exception other than CadError is a bug; so is a crash or a hang.
#include "telar/cad/analyze.h"
#include "telar/error.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const char* const names[] = {"fuzz.step", "fuzz.stl", "fuzz.STL", "fuzz.igs", "fuzz.brep", "fuzz"};
    const char* name = names[data[0] % 6];
    const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
#ifdef TELAR_FUZZ_STEP_STL_ONLY
    // The CI run covers our STEP and STL entry points; OCCT's IGES and BREP translators have known
    // crashes of their own (tests/cad/crashers), which analyzeFiles contains in worker processes.
    const auto format = telar::cad::detectFormat(bytes, name);
    if (format == telar::cad::Format::Iges || format == telar::cad::Format::Brep) return 0;
#endif
    try {
        telar::cad::analyzeBytes(bytes, name);
    } catch (const telar::CadError&) {
    }
    return 0;
}

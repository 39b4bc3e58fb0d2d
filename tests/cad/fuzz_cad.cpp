// libFuzzer target for the STEP, STL and 3MF entry points (clang only, see CMakeLists.txt). The
// first byte picks the display name's extension, so both the content sniffing and the extension
// fallback get exercised; one more choice wraps the input as the model part of a 3MF package, so
// that mutations reach the XML reader (a mutated zip entry fails its CRC check before that).
// Any exception other than CadError is a bug; so is a crash or a hang.
#include "telar/cad/analyze.h"
#include "telar/error.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

void put16(std::string& s, std::uint32_t v) {
    s.push_back(char(v & 0xFF));
    s.push_back(char((v >> 8) & 0xFF));
}
void put32(std::string& s, std::uint32_t v) {
    put16(s, v & 0xFFFF);
    put16(s, v >> 16);
}

// A zip holding data, stored, as the 3MF model part 3D/3dmodel.model.
std::string packageOf(std::string_view data) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (unsigned char b : data) {
        crc ^= b;
        for (int k = 0; k < 8; ++k)
            crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
    }
    crc ^= 0xFFFFFFFFu;
    const std::string name = "3D/3dmodel.model";
    std::string zip, central;
    for (bool isCentral : {false, true}) {
        std::string& s = isCentral ? central : zip;
        put32(s, isCentral ? 0x02014b50u : 0x04034b50u);
        if (isCentral) put16(s, 20);
        put16(s, 20);
        put16(s, 0);
        put16(s, 0);
        put16(s, 0);
        put16(s, 0x21);
        put32(s, crc);
        put32(s, static_cast<std::uint32_t>(data.size()));
        put32(s, static_cast<std::uint32_t>(data.size()));
        put16(s, static_cast<std::uint32_t>(name.size()));
        put16(s, 0);
        if (isCentral) {
            put16(s, 0);
            put16(s, 0);
            put16(s, 0);
            put32(s, 0);
            put32(s, 0);
        }
        s += name;
        if (!isCentral) s += data;
    }
    const auto centralOffset = static_cast<std::uint32_t>(zip.size());
    zip += central;
    put32(zip, 0x06054b50u);
    put32(zip, 0);
    put16(zip, 1);
    put16(zip, 1);
    put32(zip, static_cast<std::uint32_t>(central.size()));
    put32(zip, centralOffset);
    put16(zip, 0);
    return zip;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const char* const names[] = {"fuzz.step", "fuzz.stl", "fuzz.STL", "fuzz.igs",
                                        "fuzz.brep", "fuzz",     "fuzz.3mf", "model.3mf"};
    const std::size_t choice = data[0] % 8;
    const char* name = names[choice];
    std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    std::string package;
    if (choice == 7) {
        package = packageOf(bytes);
        bytes = package;
    }
#ifdef TELAR_FUZZ_STEP_STL_ONLY
    // The CI run covers our STEP, STL and 3MF entry points; OCCT's IGES and BREP translators have
    // known crashes of their own (tests/cad/crashers), which analyzeFiles contains in worker processes.
    const auto format = telar::cad::detectFormat(bytes, name);
    if (format == telar::cad::Format::Iges || format == telar::cad::Format::Brep) return 0;
#endif
    try {
        telar::cad::analyzeBytes(bytes, name);
    } catch (const telar::CadError&) {
    }
    return 0;
}

// Finds the OCCT engine: linked into this program, or the module telar-cad-engine.so.
#include "engine.h"

#include "telar/error.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <vector>

// Resolves to the engine's definition when the engine's objects are linked into this program.
extern "C" __attribute__((weak)) const telar::cad::detail::Engine* telar_cad_engine();

namespace telar::cad::detail {
namespace {

namespace fs = std::filesystem;

constexpr const char* kModuleName = "telar-cad-engine.so";

// Where the module may be: $TELAR_CAD_ENGINE, beside this program, the install location relative
// to it, and the build tree.
std::vector<fs::path> candidates() {
    std::vector<fs::path> out;
    // An explicit choice is the only candidate.
    if (const char* env = std::getenv("TELAR_CAD_ENGINE"); env && *env) return {fs::path(env)};
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        out.push_back(self.parent_path() / kModuleName);
#ifdef TELAR_CAD_ENGINE_INSTALL_REL
        out.push_back(self.parent_path() / TELAR_CAD_ENGINE_INSTALL_REL / kModuleName);
#endif
    }
#ifdef TELAR_CAD_ENGINE_BUILD_PATH
    out.emplace_back(TELAR_CAD_ENGINE_BUILD_PATH);
#endif
    return out;
}

struct Loaded {
    const Engine* engine = nullptr;
    std::string error;
};

Loaded load() {
    if (telar_cad_engine) return {telar_cad_engine(), {}};
    std::string tried;
    std::string lastError;
    for (const fs::path& path : candidates()) {
        std::error_code ec;
        if (!fs::exists(path, ec)) {
            tried += (tried.empty() ? "" : ", ") + path.string();
            continue;
        }
        void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            const char* why = ::dlerror();
            lastError = "cannot load " + path.string() + ": " + (why ? why : "unknown error");
            continue;
        }
        using EntryPoint = const Engine* (*)();
        auto entry = reinterpret_cast<EntryPoint>(::dlsym(handle, "telar_cad_engine"));
        if (!entry) {
            lastError = path.string() + " is not a Telar CAD engine (no telar_cad_engine symbol)";
            continue;
        }
        return {entry(), {}};
    }
    if (!lastError.empty()) return {nullptr, lastError + "; reinstall Telar or set TELAR_CAD_ENGINE"};
    return {nullptr, std::string("the CAD engine ") + kModuleName + " was not found (looked in " + tried +
                         "); reinstall Telar or set TELAR_CAD_ENGINE to its path"};
}

} // namespace

const Engine& engine(const std::string& name) {
    static std::once_flag once;
    static Loaded loaded;
    std::call_once(once, [] { loaded = load(); });
    if (!loaded.engine) throw CadError(name, loaded.error);
    return *loaded.engine;
}

} // namespace telar::cad::detail

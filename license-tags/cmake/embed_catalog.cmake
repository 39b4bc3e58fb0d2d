# Writes OUTPUT, a C++ source defining telar::license::detail::embeddedCatalogText() that returns
# the bytes of INPUT. Run as `cmake -DINPUT=… -DOUTPUT=… -P embed_catalog.cmake`.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hexLength)
math(EXPR byteCount "${hexLength} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n"
       bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
"// Generated from resources/licenses.toml by license-tags/cmake/embed_catalog.cmake. Do not edit.
#include <string_view>

namespace telar::license::detail {
namespace {
const unsigned char kCatalogBytes[] = {
${bytes}0x00};
} // namespace

std::string_view embeddedCatalogText() {
    return std::string_view(reinterpret_cast<const char*>(kCatalogBytes), ${byteCount});
}
} // namespace telar::license::detail
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")

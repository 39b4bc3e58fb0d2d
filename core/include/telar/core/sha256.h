#pragma once
// SHA-256 of bytes, as lower-case hex. Used for origin records of imported geometry and for the
// checksums of fabrication packages.

#include <string>
#include <string_view>

namespace telar::core {

// The SHA-256 digest of data as 64 lower-case hex characters.
std::string sha256Hex(std::string_view data);

} // namespace telar::core

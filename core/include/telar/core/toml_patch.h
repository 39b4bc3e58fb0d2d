#pragma once
// Saving a TOML file that a program re-rendered from its fields without losing what a person
// wrote in it: comments, blank lines, key order and how values are written.

#include <optional>
#include <string>
#include <string_view>

namespace telar::core {

// Rewrites `original` to hold the same TOML data as `wanted`, touching only what differs:
// a changed value is replaced in place (with its text from `wanted`), a new key goes after the
// last line of its table, a removed key or table goes with its lines, new tables and new
// entries of an array of tables ([[machine]]) are copied from `wanted` after the last entry or
// at the end. Everything else stays byte for byte. Returns nullopt when either text does not
// parse or when the layout cannot be kept (a table written with dotted keys, a key added at the
// top level of a file with tables, a value that changes between table and plain value): the
// caller then writes `wanted` as it is. A returned text parses to `wanted`'s data, numbers
// compared by value (a person's `20.0` stays when the program writes `20`).
std::optional<std::string> patchToml(std::string_view original, std::string_view wanted);

} // namespace telar::core

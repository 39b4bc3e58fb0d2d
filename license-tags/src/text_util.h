#pragma once
// Small string helpers shared by the licence library (private).

#include <string>
#include <string_view>
#include <vector>

namespace telar::license {
class Catalog;
}

namespace telar::license::detail {

// ASCII lower-case copy.
std::string toLower(std::string_view text);
// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);
// ASCII case-insensitive prefix test.
bool istartsWith(std::string_view text, std::string_view prefix);
// Text without leading and trailing spaces, tabs, CR and LF.
std::string_view trim(std::string_view text);
// Levenshtein distance over lower-cased ASCII.
std::size_t editDistance(std::string_view a, std::string_view b);
// Splits on '\n', dropping a trailing '\r' on each line.
std::vector<std::string_view> splitLines(std::string_view text);
// Collapses every run of whitespace to one space and trims the ends (case kept).
std::string collapseWhitespace(std::string_view text);
// Joins with a separator.
std::string join(const std::vector<std::string>& parts, std::string_view separator);
// The text as it should appear quoted in a message: printable ASCII as is, other bytes as \xNN.
std::string printable(std::string_view text);

// A licence name reduced for comparison: lower case, "licence" → "license", filler words
// ("the", "license", "version", "international", "public", "v") dropped, "2.0" → "2", "+"/"or later"
// → "orlater", everything else but letters and digits removed. "GNU GPL v3" → "gnugpl3".
std::string normalizeLicenseName(std::string_view name);

// The canonical ids whose id, name or free-text aliases normalise like name (deprecated ids
// resolved to their replacement; "+"/"or later" mapped to the or-later id). Empty when none.
std::vector<std::string> matchLicenseName(const Catalog& catalog, std::string_view name);

// The bytes of resources/licenses.toml, generated at build time.
std::string_view embeddedCatalogText();

} // namespace telar::license::detail

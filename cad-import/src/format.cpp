// Format detection from content, and the clean display names of parts.
#include "telar/cad/analyze.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>

namespace telar::cad {
namespace {

std::string lowerExtension(std::string_view name) {
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos) return {};
    std::string ext(name.substr(dot + 1));
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

std::string_view skipSpace(std::string_view s) {
    std::size_t i = 0;
    if (s.size() >= 3 && static_cast<unsigned char>(s[0]) == 0xEF && static_cast<unsigned char>(s[1]) == 0xBB &&
        static_cast<unsigned char>(s[2]) == 0xBF)
        i = 3; // UTF-8 byte order mark
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    return s.substr(i);
}

bool startsWithNoCase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    return true;
}

bool containsNoCase(std::string_view s, std::string_view word) {
    return std::search(s.begin(), s.end(), word.begin(), word.end(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           }) != s.end();
}

// IGES: fixed 80-column records whose column 73 holds the section letter (S, G, D, P, T).
bool looksLikeIges(std::string_view s) {
    const auto eol = s.find_first_of("\r\n");
    const std::string_view first = s.substr(0, eol);
    return first.size() >= 73 && (first[72] == 'S' || first[72] == 'G') &&
           (s.size() < 160 || s.find('G', 72) != std::string_view::npos);
}

} // namespace

Format detectFormat(std::string_view bytes, std::string_view name) {
    const std::string ext = lowerExtension(name);
    if (bytes.size() >= 84) {
        std::uint32_t count;
        std::memcpy(&count, bytes.data() + 80, 4);
        if (84 + 50 * std::uint64_t(count) == bytes.size()) return Format::StlBinary;
    }
    if (bytes.size() >= 4 && bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
        // A zip: 3MF packages name their model part 3D/3dmodel.model near the start.
        if (bytes.substr(0, std::min<std::size_t>(bytes.size(), 4096)).find("3D/") != std::string_view::npos ||
            ext == "3mf")
            return Format::ThreeMf;
        return Format::Unknown;
    }
    const std::string_view text = skipSpace(bytes);
    if (startsWithNoCase(text, "ISO-10303-21")) return Format::Step;
    if (startsWithNoCase(text, "DBRep_DrawableShape") || startsWithNoCase(text, "CASCADE Topology")) return Format::Brep;
    if (startsWithNoCase(text, "solid")) {
        // Binary STL headers may also start with "solid": demand facets in the text.
        const std::string_view head = text.substr(0, std::min<std::size_t>(text.size(), 4096));
        if (containsNoCase(head, "facet") || containsNoCase(head, "endsolid")) return Format::StlAscii;
        if (ext == "stl" && head.find('\0') == std::string_view::npos) return Format::StlAscii;
    }
    if (looksLikeIges(bytes)) return Format::Iges;
    if (ext == "stl" && bytes.size() >= 84) return Format::StlBinary; // lying count: reported by the reader
    return Format::Unknown;
}

std::string cleanPartName(std::string_view raw) {
    std::string name(raw);
    auto trim = [](std::string& s) {
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
        std::size_t i = 0;
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        s.erase(0, i);
    };
    trim(name);
    for (bool changed = true; changed && !name.empty();) {
        changed = false;
        // " (2)" — a copy counter
        if (name.back() == ')') {
            const auto open = name.rfind('(');
            if (open != std::string::npos && open > 0 && name[open - 1] == ' ' && open + 2 < name.size() &&
                std::all_of(name.begin() + static_cast<std::ptrdiff_t>(open) + 1, name.end() - 1,
                            [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
                std::string shorter = name.substr(0, open);
                trim(shorter);
                if (!shorter.empty()) {
                    name = shorter;
                    changed = true;
                    continue;
                }
            }
        }
        // ":2" — an occurrence number (Fusion 360, Inventor, SolidWorks exports)
        const auto colon = name.rfind(':');
        if (colon != std::string::npos && colon + 1 < name.size() && colon > 0 &&
            std::all_of(name.begin() + static_cast<std::ptrdiff_t>(colon) + 1, name.end(),
                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
            std::string shorter = name.substr(0, colon);
            trim(shorter);
            if (!shorter.empty()) {
                name = shorter;
                changed = true;
            }
        }
    }
    return name.empty() ? std::string(raw) : name;
}

} // namespace telar::cad

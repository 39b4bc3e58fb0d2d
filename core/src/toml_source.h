#pragma once
// Private helpers for editing TOML text in place: toml++ source positions as byte offsets, and
// the lines a table's block spans. Shared by manifest_edit.cpp and toml_patch.cpp.

#include <toml++/toml.h>

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

namespace telar::core::detail {

// Maps toml++ positions (1-based line, column in code points) to byte offsets.
class Offsets {
public:
    explicit Offsets(std::string_view text) : m_text(text) {
        m_lineStart.push_back(0);
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n') m_lineStart.push_back(i + 1);
    }
    std::size_t at(toml::source_position pos) const {
        if (pos.line == 0 || pos.line > m_lineStart.size()) return m_text.size();
        std::size_t i = m_lineStart[pos.line - 1];
        for (std::size_t col = 1; col < pos.column && i < m_text.size(); ++col) {
            ++i;
            while (i < m_text.size() && (static_cast<unsigned char>(m_text[i]) & 0xC0) == 0x80)
                ++i;
        }
        return i;
    }
    // Offset of the start of the line after `line` (the text's end when it is the last line).
    std::size_t afterLine(std::size_t line) const {
        return line < m_lineStart.size() ? m_lineStart[line] : m_text.size();
    }
    char charAt(toml::source_position pos) const {
        std::size_t i = at(pos);
        return i < m_text.size() ? m_text[i] : '\0';
    }

private:
    std::string_view m_text;
    std::vector<std::size_t> m_lineStart;
};

// True when a node is a table or an array of tables written with its own [header].
inline bool definedByHeader(const toml::node& n, const Offsets& off) {
    if (const toml::table* t = n.as_table()) return !t->is_inline() && off.charAt(t->source().begin) == '[';
    if (const toml::array* a = n.as_array()) {
        if (a->empty()) return false;
        const toml::table* t0 = (*a)[0].as_table();
        return t0 && !t0->is_inline() && off.charAt(t0->source().begin) == '[';
    }
    return false;
}

// The last line holding a key of this table's own block (0 when none).
inline std::size_t lastLineInBlock(const toml::table& t, const Offsets& off) {
    std::size_t last = 0;
    for (auto&& [key, value] : t) {
        if (definedByHeader(value, off)) continue;
        last = std::max<std::size_t>(last, value.source().end.line);
        if (const toml::table* sub = value.as_table(); sub && !sub->is_inline())
            last = std::max(last, lastLineInBlock(*sub, off));
    }
    return last;
}

// The last line of a node and everything under it (including sub-tables with headers).
inline std::size_t lastLineAll(const toml::node& n) {
    std::size_t last = n.source().end.line;
    if (const toml::table* t = n.as_table())
        for (auto&& [key, value] : *t)
            last = std::max(last, lastLineAll(value));
    if (const toml::array* a = n.as_array())
        for (const auto& e : *a)
            last = std::max(last, lastLineAll(e));
    return last;
}

} // namespace telar::core::detail

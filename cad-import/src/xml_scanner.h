#pragma once
// A small, strict, non-validating XML scanner for 3MF model parts and OPC relationships: start and
// end tags with attributes and namespaces; comments, processing instructions and CDATA are
// skipped, character data is ignored. No DTD (3MF forbids one), so no entity expansion beyond the
// five predefined entities and character references; nesting is bounded. Errors are CadError
// naming the package file, the part and the line.

#include "telar/error.h"

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace telar::cad::detail {

inline bool isXmlSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// s without leading and trailing XML white space.
inline std::string_view trimXml(std::string_view s) {
    while (!s.empty() && isXmlSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isXmlSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

// Elements nested deeper than this are refused.
inline constexpr int kMaxXmlDepth = 256;

class XmlScanner {
public:
    // Scans text, the part named part of the package file (both for messages). Throws CadError
    // for UTF-16 text.
    XmlScanner(std::string_view text, const std::string& file, std::string part);

    // Advances to the next start or end tag (a self-closing tag gives both). False at the end.
    bool next();

    bool isStart() const { return m_isStart; }
    std::string_view localName() const { return m_local; }
    // The namespace of a start tag's element ("" for end tags).
    std::string_view uri() const { return m_uri; }
    bool is(std::string_view uri, std::string_view local) const { return m_local == local && m_uri == uri; }

    // An unprefixed attribute of the current start tag.
    std::optional<std::string_view> attribute(std::string_view name) const {
        for (const Attribute& a : m_attributes)
            if (a.qname == name) return a.value;
        return std::nullopt;
    }
    // A namespaced attribute (prefix resolved through the declarations in scope).
    std::optional<std::string_view> attribute(std::string_view uri, std::string_view local) const;
    std::string_view required(std::string_view name) const {
        const auto value = attribute(name);
        if (!value) fail("<" + std::string(m_local) + "> lacks the attribute " + std::string(name));
        return *value;
    }
    // The namespace a prefix stands for here ("" when undeclared).
    std::string_view resolve(std::string_view prefix) const;

    // The line of the current tag. Counted on from the last call (tags only move forward), so
    // asking for every tag's line stays linear in the size of the part.
    std::size_t line() const;
    const std::string& part() const { return m_part; }
    [[noreturn]] void fail(const std::string& reason) const { failAt(line(), reason); }
    [[noreturn]] void failAt(std::size_t line, const std::string& reason) const {
        throw CadError(m_file, "3MF part " + m_part + " line " + std::to_string(line) + ": " + reason);
    }

private:
    struct Attribute {
        std::string_view qname;
        std::string_view value;
    };
    struct Element {
        std::string_view qname;
        std::size_t namespaceMark;
    };

    void skipPast(std::string_view end, const char* what);
    void skipSpaces() {
        while (m_pos < m_text.size() && isXmlSpace(m_text[m_pos]))
            ++m_pos;
    }
    std::string_view readName();
    void startElement();
    void endElement();
    void setName(std::string_view qname);
    std::string decode(std::string_view raw) const;

    std::string_view m_text;
    const std::string& m_file;
    std::string m_part;
    std::size_t m_pos = 0;
    std::size_t m_tag = 0; // start of the current tag, for line numbers
    mutable std::size_t m_line = 1;
    mutable std::size_t m_lineCountedTo = 0;
    bool m_sawRoot = false;
    bool m_isStart = false;
    bool m_pendingEnd = false;
    std::string_view m_local;
    std::string_view m_uri;
    std::vector<Attribute> m_attributes;
    std::vector<std::string> m_decoded;
    std::vector<Element> m_elements;
    // (prefix, URI) declarations in scope; a deque keeps the strings in place as it grows.
    std::deque<std::pair<std::string, std::string>> m_namespaces;
};

} // namespace telar::cad::detail

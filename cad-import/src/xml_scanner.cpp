#include "xml_scanner.h"

#include "telar/error.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace telar::cad::detail {
namespace {
constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";
} // namespace

XmlScanner::XmlScanner(std::string_view text, const std::string& file, std::string part)
    : m_text(text), m_file(file), m_part(std::move(part)) {
    if (m_text.size() >= 2 &&
        ((m_text[0] == '\xFF' && m_text[1] == '\xFE') || (m_text[0] == '\xFE' && m_text[1] == '\xFF')))
        fail("is UTF-16; 3MF model parts must be UTF-8");
    if (m_text.substr(0, 3) == "\xEF\xBB\xBF") m_pos = 3;
}

bool XmlScanner::next() {
    if (m_pendingEnd) {
        m_pendingEnd = false;
        endElement();
        return true;
    }
    for (;;) {
        const std::size_t lt = m_text.find('<', m_pos);
        if (m_elements.empty() && !trimXml(m_text.substr(m_pos, lt - m_pos)).empty()) {
            m_tag = m_pos;
            fail("has text outside the root element");
        }
        if (lt == std::string_view::npos) {
            m_tag = m_text.size();
            if (!m_elements.empty()) fail("ends inside <" + std::string(m_elements.back().qname) + ">");
            if (!m_sawRoot) fail("holds no XML element");
            return false;
        }
        m_tag = m_pos = lt;
        const std::string_view rest = m_text.substr(lt);
        if (rest.substr(0, 4) == "<!--") {
            skipPast("-->", "an unterminated comment");
        } else if (rest.substr(0, 9) == "<![CDATA[") {
            if (m_elements.empty()) fail("has CDATA outside the root element");
            skipPast("]]>", "an unterminated CDATA section");
        } else if (rest.substr(0, 2) == "<!") {
            fail("holds a document type declaration, which 3MF does not allow");
        } else if (rest.substr(0, 2) == "<?") {
            skipPast("?>", "an unterminated processing instruction");
        } else if (rest.substr(0, 2) == "</") {
            m_pos += 2;
            const std::string_view qname = readName();
            skipSpaces();
            if (m_pos >= m_text.size() || m_text[m_pos] != '>')
                fail("has a malformed end tag </" + std::string(qname));
            ++m_pos;
            if (m_elements.empty() || m_elements.back().qname != qname)
                fail("has </" + std::string(qname) + "> where " +
                     (m_elements.empty() ? std::string("no element is open")
                                         : "</" + std::string(m_elements.back().qname) + "> was expected"));
            endElement();
            return true;
        } else {
            startElement();
            return true;
        }
    }
}

std::optional<std::string_view> XmlScanner::attribute(std::string_view uri, std::string_view local) const {
    for (const Attribute& a : m_attributes) {
        const auto colon = a.qname.find(':');
        if (colon == std::string_view::npos || a.qname.substr(colon + 1) != local) continue;
        if (a.qname.substr(0, colon) == "xmlns") continue;
        if (resolve(a.qname.substr(0, colon)) == uri) return a.value;
    }
    return std::nullopt;
}

std::string_view XmlScanner::resolve(std::string_view prefix) const {
    if (prefix == "xml") return kXmlNs;
    for (auto it = m_namespaces.rbegin(); it != m_namespaces.rend(); ++it)
        if (it->first == prefix) return it->second;
    return {};
}

std::size_t XmlScanner::line() const {
    const std::size_t end = std::min(m_tag, m_text.size());
    if (end < m_lineCountedTo) {
        m_lineCountedTo = 0;
        m_line = 1;
    }
    m_line +=
        static_cast<std::size_t>(std::count(m_text.begin() + static_cast<std::ptrdiff_t>(m_lineCountedTo),
                                            m_text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
    m_lineCountedTo = end;
    return m_line;
}

void XmlScanner::skipPast(std::string_view end, const char* what) {
    const std::size_t at = m_text.find(end, m_pos);
    if (at == std::string_view::npos) fail(std::string("ends in ") + what);
    m_pos = at + end.size();
}

std::string_view XmlScanner::readName() {
    const std::size_t start = m_pos;
    while (m_pos < m_text.size()) {
        const char c = m_text[m_pos];
        if (isXmlSpace(c) || c == '/' || c == '>' || c == '=' || c == '<' || c == '"' || c == '\'') break;
        ++m_pos;
    }
    if (m_pos == start) fail("has a tag or attribute without a name");
    return m_text.substr(start, m_pos - start);
}

void XmlScanner::startElement() {
    if (m_elements.empty() && m_sawRoot) fail("has a second root element");
    ++m_pos;
    const std::string_view qname = readName();
    m_attributes.clear();
    bool selfClosing = false;
    for (;;) {
        const std::size_t before = m_pos;
        skipSpaces();
        if (m_pos >= m_text.size()) fail("ends inside the tag <" + std::string(qname) + ">");
        if (m_text[m_pos] == '>') {
            ++m_pos;
            break;
        }
        if (m_text.substr(m_pos, 2) == "/>") {
            m_pos += 2;
            selfClosing = true;
            break;
        }
        if (m_pos == before) fail("has no space before an attribute of <" + std::string(qname) + ">");
        const std::string_view name = readName();
        skipSpaces();
        if (m_pos >= m_text.size() || m_text[m_pos] != '=')
            fail("has attribute " + std::string(name) + " without a value");
        ++m_pos;
        skipSpaces();
        if (m_pos >= m_text.size() || (m_text[m_pos] != '"' && m_text[m_pos] != '\''))
            fail("has attribute " + std::string(name) + " without a quoted value");
        const char quote = m_text[m_pos++];
        const std::size_t close = m_text.find(quote, m_pos);
        if (close == std::string_view::npos) fail("ends inside the value of attribute " + std::string(name));
        const std::string_view value = m_text.substr(m_pos, close - m_pos);
        if (value.find('<') != std::string_view::npos)
            fail("has '<' in the value of attribute " + std::string(name));
        m_pos = close + 1;
        for (const Attribute& a : m_attributes)
            if (a.qname == name)
                fail("repeats attribute " + std::string(name) + " in <" + std::string(qname) + ">");
        m_attributes.push_back({name, value});
    }
    // Entity references are decoded into storage that is sized once, so the views stay valid.
    m_decoded.clear();
    std::size_t entities = 0;
    for (const Attribute& a : m_attributes)
        entities += a.value.find('&') != std::string_view::npos ? 1 : 0;
    m_decoded.reserve(entities);
    for (Attribute& a : m_attributes) {
        if (a.value.find('&') == std::string_view::npos) continue;
        m_decoded.push_back(decode(a.value));
        a.value = m_decoded.back();
    }

    m_elements.push_back({qname, m_namespaces.size()});
    if (m_elements.size() > static_cast<std::size_t>(kMaxXmlDepth))
        fail("nests elements more than " + std::to_string(kMaxXmlDepth) + " levels deep");
    m_sawRoot = true;
    for (const Attribute& a : m_attributes) {
        if (a.qname == "xmlns")
            m_namespaces.emplace_back(std::string(), std::string(a.value));
        else if (a.qname.substr(0, 6) == "xmlns:")
            m_namespaces.emplace_back(std::string(a.qname.substr(6)), std::string(a.value));
    }
    for (const Attribute& a : m_attributes) {
        const auto colon = a.qname.find(':');
        if (colon != std::string_view::npos && a.qname.substr(0, colon) != "xmlns" &&
            resolve(a.qname.substr(0, colon)).empty())
            fail("uses the undeclared namespace prefix '" + std::string(a.qname.substr(0, colon)) + "'");
    }
    setName(qname);
    m_isStart = true;
    m_pendingEnd = selfClosing;
}

void XmlScanner::endElement() {
    // The element's namespace goes out of scope with it: end tags report only the local name.
    const std::string_view qname = m_elements.back().qname;
    const auto colon = qname.find(':');
    m_local = colon == std::string_view::npos ? qname : qname.substr(colon + 1);
    m_uri = {};
    m_namespaces.resize(m_elements.back().namespaceMark);
    m_elements.pop_back();
    m_attributes.clear();
    m_isStart = false;
}

void XmlScanner::setName(std::string_view qname) {
    const auto colon = qname.find(':');
    const std::string_view prefix =
        colon == std::string_view::npos ? std::string_view() : qname.substr(0, colon);
    m_local = colon == std::string_view::npos ? qname : qname.substr(colon + 1);
    m_uri = resolve(prefix);
    if (!prefix.empty() && m_uri.empty())
        fail("uses the undeclared namespace prefix '" + std::string(prefix) + "'");
}

std::string XmlScanner::decode(std::string_view raw) const {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '&') {
            out.push_back(raw[i]);
            continue;
        }
        const std::size_t semi = raw.find(';', i);
        if (semi == std::string_view::npos || semi - i > 12) fail("has an unterminated entity reference");
        const std::string_view entity = raw.substr(i + 1, semi - i - 1);
        i = semi;
        if (entity == "lt")
            out.push_back('<');
        else if (entity == "gt")
            out.push_back('>');
        else if (entity == "amp")
            out.push_back('&');
        else if (entity == "quot")
            out.push_back('"');
        else if (entity == "apos")
            out.push_back('\'');
        else if (entity.size() > 1 && entity[0] == '#') {
            const bool hex = entity[1] == 'x';
            const std::string_view digits = entity.substr(hex ? 2 : 1);
            std::uint32_t cp = 0;
            const auto [ptr, ec] =
                std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
            if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() || cp == 0 ||
                cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                fail("has a bad character reference &" + std::string(entity) + ";");
            if (cp < 0x80) {
                out.push_back(static_cast<char>(cp));
            } else if (cp < 0x800) {
                out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
                out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
            } else if (cp < 0x10000) {
                out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
                out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
                out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
            } else {
                out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
                out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
                out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
                out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
            }
        } else {
            fail("uses the undefined entity &" + std::string(entity) + ";");
        }
    }
    return out;
}

} // namespace telar::cad::detail

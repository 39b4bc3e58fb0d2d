// A small, tolerant reader for the block-YAML subset OKH v1 manifests use. It never crashes:
// every line it cannot read is either an error naming the line (strict) or a note in `skipped`
// saying what was done with it (lenient).

#include "telar/core/okh.h"
#include "telar/error.h"

#include <optional>

namespace telar::core {

const YamlNode* YamlNode::find(std::string_view key) const {
    for (const auto& [k, v] : fields)
        if (k == key) return &v;
    return nullptr;
}

namespace {

struct YLine {
    int no = 0;     // 1-based
    int indent = 0; // leading spaces
    std::string text; // without indentation and trailing comment / whitespace
};

std::string rtrim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
    return s;
}

std::string trim(std::string_view s) {
    size_t b = 0;
    while (b < s.size() && (s[b] == ' ' || s[b] == '\t')) ++b;
    return rtrim(std::string(s.substr(b)));
}

// Removes a comment: '#' at the start or after whitespace, outside quotes.
std::string stripComment(const std::string& s) {
    char quote = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (quote) {
            if (c == '\\' && quote == '"') ++i;
            else if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            if (i == 0 || s[i - 1] == ' ' || s[i - 1] == ':' || s[i - 1] == '-' || s[i - 1] == '[' || s[i - 1] == ',')
                quote = c;
        } else if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
            return rtrim(s.substr(0, i));
        }
    }
    return rtrim(s);
}

bool isSeqItem(const YLine& l) {
    return l.text == "-" || (l.text.size() >= 2 && l.text[0] == '-' && l.text[1] == ' ');
}

// The position of the ':' that ends a mapping key, or npos.
size_t keyColon(const std::string& s) {
    char quote = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (quote) {
            if (c == '\\' && quote == '"') ++i;
            else if (c == quote) quote = 0;
            continue;
        }
        if ((c == '"' || c == '\'') && i == 0) {
            quote = c;
            continue;
        }
        if (c == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) return i;
        if (i == 0 && (c == '[' || c == '{')) return std::string::npos;
    }
    return std::string::npos;
}

std::string unquote(const std::string& s) {
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
        std::string out;
        for (size_t i = 1; i + 1 < s.size(); ++i) {
            if (s[i] == '\\' && i + 2 < s.size()) {
                char n = s[++i];
                out += n == 'n' ? '\n' : n == 't' ? '\t' : n;
            } else {
                out += s[i];
            }
        }
        return out;
    }
    if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') {
        std::string out;
        for (size_t i = 1; i + 1 < s.size(); ++i) {
            out += s[i];
            if (s[i] == '\'' && s[i + 1] == '\'') ++i;
        }
        return out;
    }
    return s;
}

class Parser {
public:
    Parser(std::string_view text, std::string file, bool lenient, std::vector<std::string>* skipped)
        : m_file(std::move(file)), m_lenient(lenient), m_skipped(skipped) {
        int no = 0;
        size_t pos = 0;
        while (pos <= text.size()) {
            size_t end = text.find('\n', pos);
            if (end == std::string_view::npos) end = text.size();
            std::string raw(text.substr(pos, end - pos));
            ++no;
            pos = end + 1;
            int indent = 0;
            while (size_t(indent) < raw.size() && raw[size_t(indent)] == ' ') ++indent;
            if (size_t(indent) < raw.size() && raw[size_t(indent)] == '\t') {
                problem(no, indent + 1, "a tab in the indentation (YAML allows only spaces)", "read as a space");
            }
            std::string body = stripComment(raw.substr(size_t(indent)));
            body = trim(body);
            if (body.empty()) continue;
            if (indent == 0 && (body == "---" || body == "..." || body[0] == '%')) continue;
            m_lines.push_back({no, indent, body});
            if (pos > text.size()) break;
        }
    }

    YamlNode parse() {
        YamlNode root;
        if (m_lines.empty()) return root;
        int indent = m_lines[0].indent;
        root = isSeqItem(m_lines[0]) ? sequence(indent, 0, 0) : mapping(indent, 0, nullptr);
        while (m_i < m_lines.size()) {
            const YLine& l = m_lines[m_i];
            problem(l.no, l.indent + 1, "unexpected indentation or content after the document", "skipped");
            ++m_i;
        }
        return root;
    }

private:
    void problem(int line, int column, const std::string& reason, const std::string& action) {
        if (!m_lenient) throw ManifestError(m_file, line, column, "", "not valid YAML: " + reason);
        if (m_skipped) m_skipped->push_back("line " + std::to_string(line) + ": " + reason + " (" + action + ")");
    }

    YamlNode scalar(const std::string& text, int line) {
        YamlNode n;
        n.line = line;
        if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
            n.kind = YamlNode::Kind::Sequence;
            std::string inner = text.substr(1, text.size() - 2);
            std::string cur;
            char quote = 0;
            for (char c : inner) {
                if (quote) {
                    if (c == quote) quote = 0;
                    cur += c;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                    cur += c;
                } else if (c == ',') {
                    if (!trim(cur).empty()) n.items.push_back({YamlNode::Kind::Scalar, unquote(trim(cur)), {}, {}, line});
                    cur.clear();
                } else {
                    cur += c;
                }
            }
            if (!trim(cur).empty()) n.items.push_back({YamlNode::Kind::Scalar, unquote(trim(cur)), {}, {}, line});
            return n;
        }
        n.kind = YamlNode::Kind::Scalar;
        n.scalar = unquote(text);
        if (text == "~" || text == "null") n.kind = YamlNode::Kind::Null, n.scalar.clear();
        return n;
    }

    // The value of a key whose text after ':' is rest, at line index m_i (already consumed).
    YamlNode value(const std::string& rest, int keyIndent, int line, int depth, const std::string& key) {
        if (depth > 64) {
            problem(line, keyIndent + 1, "nesting deeper than 64 levels", "skipped");
            while (m_i < m_lines.size() && m_lines[m_i].indent > keyIndent) ++m_i;
            return {};
        }
        if (rest.empty()) {
            if (m_i < m_lines.size()) {
                const YLine& next = m_lines[m_i];
                if (next.indent > keyIndent)
                    return isSeqItem(next) ? sequence(next.indent, keyIndent + 1, depth + 1)
                                           : mapping(next.indent, depth + 1, nullptr);
                if (next.indent == keyIndent && isSeqItem(next)) return sequence(next.indent, keyIndent, depth + 1);
            }
            YamlNode n;
            n.line = line;
            return n;
        }
        if (rest == "|" || rest == ">" || rest == "|-" || rest == ">-") {
            YamlNode n;
            n.kind = YamlNode::Kind::Scalar;
            n.line = line;
            const char sep = rest[0] == '|' ? '\n' : ' ';
            while (m_i < m_lines.size() && m_lines[m_i].indent > keyIndent) {
                n.scalar += (n.scalar.empty() ? "" : std::string(1, sep)) + m_lines[m_i].text;
                ++m_i;
            }
            return n;
        }
        YamlNode n = scalar(rest, line);
        if (n.kind == YamlNode::Kind::Scalar && rest[0] != '"' && rest[0] != '\'') {
            // A plain scalar continues on more-indented lines.
            while (m_i < m_lines.size() && m_lines[m_i].indent > keyIndent && !isSeqItem(m_lines[m_i]) &&
                   keyColon(m_lines[m_i].text) == std::string::npos) {
                n.scalar += " " + m_lines[m_i].text;
                ++m_i;
            }
            // Lines that are neither keys nor items at the key's level: YAML reads them as a key
            // without ':'. Leniently, they continue the value.
            while (m_i < m_lines.size() && m_lines[m_i].indent <= keyIndent && !isSeqItem(m_lines[m_i]) &&
                   keyColon(m_lines[m_i].text) == std::string::npos) {
                const YLine& l = m_lines[m_i];
                problem(l.no, l.indent + 1,
                        "expected 'key: value'; a continuation of '" + key + "' must be indented",
                        "joined to '" + key + "'");
                n.scalar += " " + l.text;
                ++m_i;
            }
        }
        return n;
    }

    YamlNode mapping(int indent, int depth, const YLine* first) {
        YamlNode n;
        n.kind = YamlNode::Kind::Mapping;
        bool useFirst = first != nullptr;
        while (useFirst || m_i < m_lines.size()) {
            YLine l = useFirst ? *first : m_lines[m_i];
            if (!useFirst) {
                if (l.indent < indent || isSeqItem(l)) break;
                if (l.indent > indent) {
                    problem(l.no, l.indent + 1,
                            "indented " + std::to_string(l.indent) + " where " + std::to_string(indent) + " was expected",
                            "read at the mapping's level");
                }
                ++m_i;
            }
            useFirst = false;
            if (n.line == 0) n.line = l.no;
            size_t colon = keyColon(l.text);
            if (colon == std::string::npos) {
                problem(l.no, l.indent + 1, "expected 'key: value'", "skipped");
                continue;
            }
            std::string key = unquote(trim(l.text.substr(0, colon)));
            std::string rest = trim(l.text.substr(colon + 1));
            n.fields.emplace_back(key, value(rest, l.indent, l.no, depth, key));
        }
        return n;
    }

    // Items "- …" at indent; items at other indents above minIndent are read too (leniently).
    YamlNode sequence(int indent, int minIndent, int depth) {
        YamlNode n;
        n.kind = YamlNode::Kind::Sequence;
        while (m_i < m_lines.size()) {
            YLine l = m_lines[m_i];
            if (!isSeqItem(l) || l.indent < minIndent) break;
            if (l.indent != indent) {
                if (l.indent > indent && !n.items.empty()) break; // belongs to something deeper
                problem(l.no, l.indent + 1,
                        "sequence item indented " + std::to_string(l.indent) + " where " + std::to_string(indent) +
                            " was expected",
                        "read as the next item");
            }
            if (n.line == 0) n.line = l.no;
            ++m_i;
            std::string content = l.text == "-" ? std::string() : l.text.substr(2);
            int pad = 0;
            while (size_t(pad) < content.size() && content[size_t(pad)] == ' ') ++pad;
            content = trim(content);
            const int itemIndent = l.indent + 2 + pad;
            if (content.empty()) {
                n.items.push_back(value("", l.indent, l.no, depth, "-"));
                continue;
            }
            if (isSeqItem({l.no, itemIndent, content})) {
                // "- - x": a nested sequence starting on this line.
                m_lines.insert(m_lines.begin() + long(m_i), YLine{l.no, itemIndent, content});
                n.items.push_back(sequence(itemIndent, itemIndent, depth + 1));
                continue;
            }
            if (keyColon(content) != std::string::npos) {
                // The item's lines that sit between the dash and the item's keys are out of line.
                for (size_t j = m_i; j < m_lines.size() && m_lines[j].indent > l.indent; ++j) {
                    if (m_lines[j].indent < itemIndent) {
                        problem(m_lines[j].no, m_lines[j].indent + 1,
                                "indented " + std::to_string(m_lines[j].indent) + " where " +
                                    std::to_string(itemIndent) + " was expected (the item's first key)",
                                "read as a key of that item");
                        m_lines[j].indent = itemIndent;
                    }
                    if (isSeqItem(m_lines[j]) && m_lines[j].indent == itemIndent) break;
                }
                YLine first{l.no, itemIndent, content};
                n.items.push_back(mapping(itemIndent, depth + 1, &first));
                continue;
            }
            n.items.push_back(value(content, l.indent, l.no, depth, "-"));
        }
        return n;
    }

    std::string m_file;
    bool m_lenient;
    std::vector<std::string>* m_skipped;
    std::vector<YLine> m_lines;
    size_t m_i = 0;
};

} // namespace

YamlNode parseYaml(std::string_view text, const std::string& file, bool lenient, std::vector<std::string>* skipped) {
    Parser p(text, file, lenient, skipped);
    return p.parse();
}

} // namespace telar::core

// toml++-facing helpers shared by the manifest parsers, the catalog and the editor.
#include "toml_util.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <sstream>

namespace telar::core::detail {

void DiagSink::error(SourcePos pos, std::string field, std::string message, std::string hint) {
    ++m_errors;
    m_out.push_back({Severity::Error, m_file, pos.line, pos.column, std::move(field), std::move(message),
                     std::move(hint)});
}

void DiagSink::warning(SourcePos pos, std::string field, std::string message, std::string hint) {
    m_out.push_back({Severity::Warning, m_file, pos.line, pos.column, std::move(field), std::move(message),
                     std::move(hint)});
}

SourcePos posOf(const toml::node& node) {
    const auto& s = node.source();
    return {static_cast<int>(s.begin.line), static_cast<int>(s.begin.column)};
}

SourcePos posOf(const toml::key& key) {
    const auto& s = key.source();
    return {static_cast<int>(s.begin.line), static_cast<int>(s.begin.column)};
}

std::string dotted(std::string_view prefix, std::string_view key) {
    if (prefix.empty()) return std::string(key);
    return std::string(prefix) + "." + std::string(key);
}

std::string quoteToml(std::string_view text) {
    std::string out = "\"";
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        switch (ch) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04X", c);
                out += buf;
            } else {
                out += ch;
            }
        }
    }
    out += '"';
    return out;
}

namespace {

std::string formatDouble(double v) {
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

std::string clip(std::string_view s) {
    if (s.size() <= 60) return std::string(s);
    return std::string(s.substr(0, 57)) + "...";
}

template <typename T> std::string streamed(const T& value) {
    std::ostringstream os;
    os << value;
    return os.str();
}

} // namespace

std::string describeValue(const toml::node& node) {
    switch (node.type()) {
    case toml::node_type::string:
        return "the string " + quoteToml(clip(*node.value<std::string>()));
    case toml::node_type::integer:
        return std::to_string(*node.value<std::int64_t>());
    case toml::node_type::floating_point:
        return formatDouble(*node.value<double>());
    case toml::node_type::boolean:
        return *node.value<bool>() ? "true" : "false";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::table:
        return "a table";
    case toml::node_type::date:
        return "the date " + streamed(*node.as_date());
    case toml::node_type::time:
        return "the time " + streamed(*node.as_time());
    case toml::node_type::date_time:
        return "the date-time " + streamed(*node.as_date_time());
    default:
        return "nothing";
    }
}

namespace {

bool isBareKeyChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// toml++ 3.3 asserts (and in release builds assumes, which is undefined behaviour) on a few
// malformed inputs: a table header not starting with a key ("[.a]", "[=", "[[ ["), '}' where an
// array expects a value ("a = [1, }"), and some non-ASCII characters outside strings. This scan
// finds them first so they are reported as syntax errors and never reach the parser. It follows strings,
// comments and bracketed values so that '[' inside them is not taken for a header.
std::optional<std::pair<SourcePos, std::string>> findUnsafeSyntax(std::string_view s) {
    int line = 1;
    std::size_t lineStart = 0;
    bool atLineStart = true, inValue = false;
    std::string open; // the brackets of the value being read: '[' arrays, '{' inline tables
    auto column = [&](std::size_t at) {
        int col = 1;
        for (std::size_t k = lineStart; k < at; ++k)
            if ((static_cast<unsigned char>(s[k]) & 0xC0) != 0x80) ++col;
        return col;
    };
    std::size_t badEscape = std::string_view::npos;
    SourcePos badEscapePos;
    auto skipString = [&](std::size_t i, std::string_view close, bool escapes, bool multiline) {
        for (; i < s.size(); ++i) {
            if (escapes && s[i] == '\\') {
                ++i;
                if (i < s.size() && static_cast<unsigned char>(s[i]) >= 0x80 &&
                    badEscape == std::string_view::npos) {
                    badEscape = i; // toml++ 3.3 tests it as whitespace and reaches an "unreachable" branch
                    badEscapePos = SourcePos{line, column(i)};
                }
                if (i < s.size() && s[i] == '\n') ++line, lineStart = i + 1;
                continue;
            }
            if (s[i] == '\n') {
                if (!multiline) return i - 1; // unterminated: toml++ reports it; the caller sees the newline
                ++line;
                lineStart = i + 1;
            }
            if (s.substr(i, close.size()) == close) return i + close.size() - 1;
        }
        return s.size();
    };
    const std::size_t start = s.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; // a UTF-8 byte order mark
    lineStart = start;
    for (std::size_t i = start; i < s.size(); ++i) {
        if (badEscape != std::string_view::npos) break;
        const char c = s[i];
        if (c == '\n') {
            ++line;
            lineStart = i + 1;
            atLineStart = true;
            if (open.empty()) inValue = false;
            continue;
        }
        if (atLineStart && (c == ' ' || c == '\t')) continue;
        const bool wasLineStart = atLineStart;
        atLineStart = false;
        if (c == '#') {
            while (i + 1 < s.size() && s[i + 1] != '\n')
                ++i;
        } else if (c == '"') { // keys are never multi-line strings
            i = inValue && s.substr(i, 3) == "\"\"\"" ? skipString(i + 3, "\"\"\"", true, true)
                                                      : skipString(i + 1, "\"", true, false);
        } else if (c == '\'') {
            i = inValue && s.substr(i, 3) == "\'\'\'" ? skipString(i + 3, "\'\'\'", false, true)
                                                      : skipString(i + 1, "'", false, false);
        } else if (inValue && std::string_view(" \t\r,[]{}=").find(c) == std::string_view::npos) {
            // A bare value (number, boolean, date): toml++ reads it up to a terminator, testing
            // every character on the way, quotes included.
            auto digit = [&](std::size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
            const bool date = digit(i) && digit(i + 1) && digit(i + 2) && digit(i + 3) && i + 10 < s.size() &&
                              s[i + 4] == '-' && digit(i + 5) && digit(i + 6) && s[i + 7] == '-' &&
                              digit(i + 8) && digit(i + 9);
            if (date && (s[i + 10] == 'T' || s[i + 10] == 't' || s[i + 10] == ' ') &&
                (s[i + 10] != ' ' || digit(i + 11)) &&
                !(digit(i + 11) && digit(i + 12) && i + 13 < s.size() && s[i + 13] == ':' && digit(i + 14) &&
                  digit(i + 15)))
                return std::make_pair(SourcePos{line, column(i + 11)},
                                      std::string("invalid TOML in date-time: expected a time hh:mm:ss"));
            for (; i < s.size() && std::string_view(" \t\r\n,]}#").find(s[i]) == std::string_view::npos;
                 ++i) {
                if (static_cast<unsigned char>(s[i]) >= 0x80)
                    return std::make_pair(SourcePos{line, column(i)},
                                          std::string("invalid TOML: non-ASCII character outside a string"));
            }
            --i;
        } else if (static_cast<unsigned char>(c) >= 0x80) {
            // Outside strings and comments TOML is ASCII; toml++ 3.3 reaches an "unreachable"
            // branch on some of these characters.
            return std::make_pair(SourcePos{line, column(i)},
                                  std::string("invalid TOML: non-ASCII character outside a string"));
        } else if (inValue && (c == '[' || c == '{')) {
            open += c;
        } else if (inValue && (c == ']' || c == '}')) {
            if (!open.empty() && open.back() == (c == ']' ? '{' : '[')) { // toml++ 3.3 asserts on "[1, }"
                return std::make_pair(
                    SourcePos{line, column(i)},
                    open.back() == '['
                        ? std::string("invalid TOML in array: expected a value, ',' or ']', saw '}'")
                        : std::string("invalid TOML in inline table: expected a key, ',' or '}', saw ']'"));
            }
            if (!open.empty()) open.pop_back();
        } else if (c == '=' && open.empty()) {
            inValue = true;
        } else if (c == '[' && wasLineStart && !inValue) {
            std::size_t j = i + 1;
            if (j < s.size() && s[j] == '[') ++j;
            while (j < s.size() && (s[j] == ' ' || s[j] == '\t'))
                ++j;
            if (j >= s.size()) return std::nullopt;
            const char k = s[j];
            if (isBareKeyChar(k) || k == '"' || k == '\'' || k == ']') continue;
            std::string saw =
                k == '\n' || k == '\r' ? "the end of the line"
                : (static_cast<unsigned char>(k) >= 0x21 && static_cast<unsigned char>(k) < 0x7f)
                    ? "'" + std::string(1, k) + "'"
                    : "an invalid character";
            return std::make_pair(SourcePos{line, column(j)},
                                  "invalid TOML in table header: expected a key name, saw " + saw);
        }
    }
    if (badEscape != std::string_view::npos)
        return std::make_pair(badEscapePos, std::string("invalid TOML in string: invalid escape sequence"));
    return std::nullopt;
}

} // namespace

std::optional<toml::table> parseToml(std::string_view text, DiagSink& sink) {
    if (auto bad = findUnsafeSyntax(text)) {
        sink.error(bad->first, "", bad->second, "fix the TOML syntax at this position (see https://toml.io)");
        return std::nullopt;
    }
    try {
        return toml::parse(text, std::string_view(sink.file()));
    } catch (const toml::parse_error& e) {
        std::string desc(e.description());
        const std::string prefix = "Error while parsing ";
        if (desc.rfind(prefix, 0) == 0)
            desc = "invalid TOML in " + desc.substr(prefix.size());
        else
            desc = "invalid TOML: " + desc;
        const auto& s = e.source();
        sink.error({static_cast<int>(s.begin.line), static_cast<int>(s.begin.column)}, "", desc,
                   "fix the TOML syntax at this position (see https://toml.io)");
        return std::nullopt;
    }
}

TableReader::TableReader(const toml::table& table, std::string path, SourceInfo& info, DiagSink& sink,
                         std::initializer_list<std::string_view> allowed)
    : m_table(table), m_path(std::move(path)), m_info(info), m_sink(sink) {
    m_info.pos = posOf(table);
    m_info.path = m_path;
    std::vector<std::string> names(allowed.begin(), allowed.end());
    for (auto&& [key, node] : table) {
        if (std::find(names.begin(), names.end(), key.str()) != names.end()) continue;
        std::string list;
        for (const auto& n : names)
            list += (list.empty() ? "" : ", ") + n;
        m_sink.error(posOf(key), field(key.str()),
                     "unknown field '" + std::string(key.str()) + "'" + didYouMean(key.str(), names),
                     "remove it or use one of: " + list);
    }
}

const toml::node* TableReader::get(std::string_view key) {
    const toml::node* node = m_table.get(key);
    if (node) m_info.fieldPos[std::string(key)] = posOf(*node);
    return node;
}

void TableReader::wrongType(const toml::node& node, std::string_view key, std::string_view expected,
                            std::string hint) {
    m_sink.error(posOf(node), field(key), "must be " + std::string(expected) + ", got " + describeValue(node),
                 std::move(hint));
}

void TableReader::missing(std::string_view key) {
    m_sink.error(m_info.pos, field(key), "required field is missing",
                 "add " + std::string(key) + " = \"…\" to this table");
}

std::optional<std::string> TableReader::str(std::string_view key, bool required) {
    const toml::node* node = get(key);
    if (!node) {
        if (required) missing(key);
        return std::nullopt;
    }
    if (!node->is_string()) {
        wrongType(*node, key, "a string", "put the text in double quotes");
        return std::nullopt;
    }
    std::string value = *node->value<std::string>();
    if (required && value.find_first_not_of(" \t") == std::string::npos) {
        m_sink.error(posOf(*node), field(key), "must not be empty", "give it a value");
        return std::nullopt;
    }
    return value;
}

std::optional<bool> TableReader::boolean(std::string_view key) {
    const toml::node* node = get(key);
    if (!node) return std::nullopt;
    if (!node->is_boolean()) {
        wrongType(*node, key, "true or false", "write true or false without quotes");
        return std::nullopt;
    }
    return *node->value<bool>();
}

std::optional<std::int64_t> TableReader::positiveInt(std::string_view key) {
    const toml::node* node = get(key);
    if (!node) return std::nullopt;
    const std::string hint = "write a whole number of at least 1, without quotes";
    if (!node->is_integer()) {
        wrongType(*node, key, "a positive integer", hint);
        return std::nullopt;
    }
    std::int64_t v = *node->value<std::int64_t>();
    if (v < 1) {
        wrongType(*node, key, "a positive integer", hint);
        return std::nullopt;
    }
    if (v > 1000000) {
        m_sink.error(posOf(*node), field(key), "must be at most 1000000, got " + std::to_string(v),
                     "split the quantity across modules if you really need more");
        return std::nullopt;
    }
    return v;
}

std::optional<double> TableReader::nonNegative(std::string_view key) {
    const toml::node* node = get(key);
    if (!node) return std::nullopt;
    if (!node->is_number()) {
        wrongType(*node, key, "a number", "write a number without quotes, e.g. 0.12");
        return std::nullopt;
    }
    double v =
        node->is_integer() ? static_cast<double>(*node->value<std::int64_t>()) : *node->value<double>();
    if (!(v >= 0) || v > 1e12) {
        m_sink.error(posOf(*node), field(key), "must not be negative, got " + describeValue(*node),
                     "write a price of 0 or more");
        return std::nullopt;
    }
    return v;
}

std::optional<std::string> TableReader::isoDate(std::string_view key) {
    const toml::node* node = get(key);
    if (!node) return std::nullopt;
    const std::string hint = "write a date such as 2026-11-01 or 2026-11-20T10:00:00Z";
    if (node->is_date()) return streamed(*node->as_date());
    if (node->is_date_time()) return streamed(*node->as_date_time());
    if (node->is_string()) {
        std::string v = *node->value<std::string>();
        if (isIsoDate(v)) return v;
        m_sink.error(posOf(*node), field(key), "must be an ISO 8601 date, got " + describeValue(*node), hint);
        return std::nullopt;
    }
    wrongType(*node, key, "an ISO 8601 date", hint);
    return std::nullopt;
}

std::optional<std::vector<std::string>> TableReader::strings(std::string_view key,
                                                             std::vector<SourcePos>* positions) {
    const toml::node* node = get(key);
    if (!node) return std::nullopt;
    const toml::array* arr = node->as_array();
    if (!arr) {
        wrongType(*node, key, "an array of strings", "write [\"a\", \"b\"]");
        return std::nullopt;
    }
    std::vector<std::string> out;
    std::size_t index = 0;
    for (const auto& item : *arr) {
        ++index;
        if (!item.is_string()) {
            m_sink.error(posOf(item), field(key) + "[" + std::to_string(index) + "]",
                         "must be a string, got " + describeValue(item), "put the text in double quotes");
            continue;
        }
        out.push_back(*item.value<std::string>());
        if (positions) positions->push_back(posOf(item));
    }
    return out;
}

const toml::table* TableReader::table(std::string_view key) {
    const toml::node* node = get(key);
    if (!node) return nullptr;
    if (!node->is_table()) {
        wrongType(*node, key, "a table", "write it as [" + field(key) + "] followed by its fields");
        return nullptr;
    }
    return node->as_table();
}

const toml::array* TableReader::tableArray(std::string_view key) {
    const toml::node* node = get(key);
    if (!node) return nullptr;
    const toml::array* arr = node->as_array();
    if (!arr || !arr->is_array_of_tables()) {
        if (arr && arr->empty()) return arr;
        wrongType(*node, key, "an array of tables ([[" + std::string(key) + "]])",
                  "write each entry as a [[" + std::string(key) + "]] block");
        return nullptr;
    }
    return arr;
}

namespace {

bool digits(std::string_view s, std::size_t from, std::size_t count, int& out) {
    if (from + count > s.size()) return false;
    out = 0;
    for (std::size_t i = from; i < from + count; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

} // namespace

bool isIsoDate(std::string_view s) {
    int y = 0, mo = 0, d = 0;
    if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
        !digits(s, 8, 2, d))
        return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12) return false;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d < 1 || d > days[mo - 1] + (mo == 2 && leap ? 1 : 0)) return false;
    if (s.size() == 10) return true;
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return false;
    int h = 0, mi = 0, sec = 0;
    if (!digits(s, 11, 2, h) || s.size() < 16 || s[13] != ':' || !digits(s, 14, 2, mi) || h > 23 || mi > 59)
        return false;
    std::size_t i = 16;
    if (i < s.size() && s[i] == ':') {
        if (!digits(s, i + 1, 2, sec) || sec > 60) return false;
        i += 3;
        if (i < s.size() && s[i] == '.') {
            std::size_t j = i + 1;
            while (j < s.size() && s[j] >= '0' && s[j] <= '9')
                ++j;
            if (j == i + 1) return false;
            i = j;
        }
    }
    if (i == s.size()) return true;
    if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size()) return true;
    int oh = 0, om = 0;
    return (s[i] == '+' || s[i] == '-') && s.size() == i + 6 && digits(s, i + 1, 2, oh) && s[i + 3] == ':' &&
           digits(s, i + 4, 2, om) && oh <= 23 && om <= 59;
}

bool isHex(std::string_view text, std::size_t length) {
    if (text.size() != length) return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
    return true;
}

bool isCurrency(std::string_view text) {
    if (text.size() != 3) return false;
    for (char c : text)
        if (c < 'A' || c > 'Z') return false;
    return true;
}

bool isSemver(std::string_view s) {
    // MAJOR.MINOR.PATCH with optional -pre and +build parts.
    std::size_t i = 0;
    for (int part = 0; part < 3; ++part) {
        std::size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        if (i == start || (i - start > 1 && s[start] == '0')) return false;
        if (part < 2) {
            if (i >= s.size() || s[i] != '.') return false;
            ++i;
        }
    }
    if (i == s.size()) return true;
    if (s[i] != '-' && s[i] != '+') return false;
    for (++i; i < s.size(); ++i) {
        char c = s[i];
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+')) return false;
    }
    return true;
}

} // namespace telar::core::detail

// REUSE readers: .reuse/dep5, REUSE.toml, SPDX-License-Identifier headers.
#include "telar/license/reuse.h"

#include "telar/error.h"
#include "text_util.h"

#include <toml++/toml.h>

#include <vector>

namespace telar::license {

using detail::trim;

namespace {

// Dynamic programming over (pattern position, path position): at[i][j] says whether
// pattern[i..] matches path[j..]. Linear in |pattern| × |path|, no backtracking blow-up.
bool globMatchAt(std::string_view pattern, std::string_view path, bool crossFolders) {
    const std::size_t P = pattern.size(), S = path.size();
    std::vector<std::vector<char>> at(P + 1, std::vector<char>(S + 1, 0));
    at[P][S] = 1;
    for (std::size_t i = P; i-- > 0;) {
        for (std::size_t j = S + 1; j-- > 0;) {
            const char c = pattern[i];
            bool match = false;
            if (c == '*' && i + 1 < P && pattern[i + 1] == '*') {
                // "**" crosses folders; "**/" may also stand for no folder at all.
                match = at[i + 2][j] || (j < S && at[i][j + 1]) ||
                        (i + 2 < P && pattern[i + 2] == '/' && at[i + 3][j]);
            } else if (c == '*') {
                match = at[i + 1][j] || (j < S && (crossFolders || path[j] != '/') && at[i][j + 1]);
            } else if (c == '?') {
                match = j < S && path[j] != '/' && at[i + 1][j + 1];
            } else {
                match = j < S && path[j] == c && at[i + 1][j + 1];
            }
            at[i][j] = match ? 1 : 0;
        }
    }
    return at[0][0] != 0;
}

std::string_view stripDotSlash(std::string_view path) {
    while (path.starts_with("./")) path.remove_prefix(2);
    return path;
}

bool dep5PatternMatches(std::string_view pattern, std::string_view path) {
    pattern = stripDotSlash(pattern);
    if (globMatch(pattern, path, true)) return true;
    // A plain folder name covers what is inside it.
    const bool hasWildcard = pattern.find_first_of("*?") != std::string_view::npos;
    if (!hasWildcard) {
        std::string folder(pattern);
        if (!folder.ends_with('/')) folder += '/';
        return path.starts_with(folder);
    }
    return false;
}

// Removes comment leaders and trailers around an SPDX tag's value.
std::string cleanTagValue(std::string_view value) {
    value = trim(value);
    for (std::string_view trailer : {"*/", "-->", "--}", "\"\"\"", "'''", "%>", "#}", "*)"}) {
        if (value.ends_with(trailer)) value = trim(value.substr(0, value.size() - trailer.size()));
    }
    return std::string(value);
}

std::vector<std::pair<std::string, int>> findTag(std::string_view text, std::string_view tag) {
    std::vector<std::pair<std::string, int>> found;
    const auto lines = detail::splitLines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::size_t at = lines[i].find(tag);
        if (at == std::string_view::npos) continue;
        // A tag inside a string literal or a sentence about REUSE is preceded by a letter or quote.
        if (at > 0) {
            const char before = lines[i][at - 1];
            if (before == '"' || before == '\'' || before == '`' ||
                ((before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z')))
                continue;
        }
        std::string value = cleanTagValue(lines[i].substr(at + tag.size()));
        if (!value.empty()) found.emplace_back(std::move(value), static_cast<int>(i + 1));
    }
    return found;
}

std::vector<std::string> stringOrStrings(const toml::table& table, std::string_view key, const std::string& where) {
    std::vector<std::string> out;
    const toml::node* node = table.get(key);
    if (!node) return out;
    if (node->is_string()) {
        out.emplace_back(*node->value<std::string_view>());
        return out;
    }
    const toml::array* array = node->as_array();
    bool ok = array != nullptr;
    if (array) {
        for (const auto& element : *array) {
            if (!element.is_string()) {
                ok = false;
                break;
            }
            out.emplace_back(*element.value<std::string_view>());
        }
    }
    if (!ok) {
        const auto& begin = node->source().begin;
        throw LicenseError("REUSE.toml:" + std::to_string(begin.line) + ":" + std::to_string(begin.column) + ": " +
                           where + "." + std::string(key) + ": must be a string or an array of strings");
    }
    return out;
}

} // namespace

bool globMatch(std::string_view pattern, std::string_view path, bool crossFolders) {
    return globMatchAt(pattern, path, crossFolders);
}

Dep5 parseDep5(std::string_view text) {
    Dep5 result;
    const auto lines = detail::splitLines(text);
    struct Field {
        std::string name;
        std::vector<std::string> values; // first line, then continuation lines
        int line = 0;
    };
    std::vector<Field> fields;
    bool firstParagraph = true;

    auto flush = [&]() {
        if (fields.empty()) return;
        const Field* files = nullptr;
        const Field* license = nullptr;
        const Field* copyright = nullptr;
        for (const auto& field : fields) {
            const std::string name = detail::toLower(field.name);
            if (name == "files") files = &field;
            else if (name == "license") license = &field;
            else if (name == "copyright") copyright = &field;
            else if (firstParagraph && name == "upstream-name") result.upstreamName = field.values.front();
            else if (firstParagraph && name == "source") result.source = field.values.front();
        }
        if (files) {
            Dep5Paragraph paragraph;
            paragraph.line = files->line;
            for (const auto& value : files->values) {
                std::string_view rest = value;
                while (!rest.empty()) {
                    const std::size_t start = rest.find_first_not_of(" \t");
                    if (start == std::string_view::npos) break;
                    rest.remove_prefix(start);
                    const std::size_t end = rest.find_first_of(" \t");
                    paragraph.patterns.emplace_back(rest.substr(0, end));
                    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
                }
            }
            if (license && !license->values.front().empty()) {
                paragraph.license = license->values.front();
            }
            if (copyright) {
                for (std::size_t i = 0; i < copyright->values.size(); ++i) {
                    if (copyright->values[i].empty()) continue;
                    if (!paragraph.copyright.empty()) paragraph.copyright += '\n';
                    paragraph.copyright += copyright->values[i];
                }
            }
            if (paragraph.patterns.empty())
                result.warnings.push_back("line " + std::to_string(files->line) + ": Files: lists no pattern");
            else if (paragraph.license.empty())
                result.warnings.push_back("line " + std::to_string(files->line) + ": Files paragraph has no License");
            else
                result.paragraphs.push_back(std::move(paragraph));
        }
        // A paragraph with License: but no Files: holds a licence text, not a mapping: skipped.
        fields.clear();
        firstParagraph = false;
    };

    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        const int lineNumber = static_cast<int>(i + 1);
        if (trim(line).empty()) {
            flush();
            continue;
        }
        if (line.front() == '#') continue;
        if (line.front() == ' ' || line.front() == '\t') {
            if (fields.empty()) {
                result.warnings.push_back("line " + std::to_string(lineNumber) + ": continuation line without a field");
                continue;
            }
            const std::string_view value = trim(line);
            fields.back().values.emplace_back(value == "." ? std::string_view() : value);
            continue;
        }
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) {
            result.warnings.push_back("line " + std::to_string(lineNumber) + ": not a 'Field: value' line");
            continue;
        }
        Field field;
        field.name = std::string(trim(line.substr(0, colon)));
        field.values.emplace_back(trim(line.substr(colon + 1)));
        field.line = lineNumber;
        fields.push_back(std::move(field));
    }
    flush();
    return result;
}

std::optional<std::string> licenseForPath(const Dep5& dep5, std::string_view path) {
    path = stripDotSlash(path);
    std::optional<std::string> found;
    for (const auto& paragraph : dep5.paragraphs) {
        for (const auto& pattern : paragraph.patterns) {
            if (dep5PatternMatches(pattern, path)) {
                found = paragraph.license;
                break;
            }
        }
    }
    return found;
}

ReuseToml parseReuseToml(std::string_view text) {
    toml::table root;
    try {
        root = toml::parse(text, std::string_view("REUSE.toml"));
    } catch (const toml::parse_error& error) {
        const auto& begin = error.source().begin;
        throw LicenseError("REUSE.toml:" + std::to_string(begin.line) + ":" + std::to_string(begin.column) + ": " +
                           std::string(error.description()));
    }
    ReuseToml result;
    if (const toml::node* version = root.get("version")) {
        if (!version->is_integer()) throw LicenseError("REUSE.toml: version: must be an integer");
        result.version = static_cast<int>(*version->value<int64_t>());
    }
    const toml::node* annotations = root.get("annotations");
    if (!annotations) return result;
    const toml::array* array = annotations->as_array();
    if (!array) throw LicenseError("REUSE.toml: annotations: must be an array of tables ([[annotations]])");
    for (std::size_t i = 0; i < array->size(); ++i) {
        const std::string where = "annotations[" + std::to_string(i) + "]";
        const toml::table* table = (*array)[i].as_table();
        if (!table) throw LicenseError("REUSE.toml: " + where + ": must be a table");
        ReuseAnnotation annotation;
        annotation.paths = stringOrStrings(*table, "path", where);
        if (annotation.paths.empty()) throw LicenseError("REUSE.toml: " + where + ".path: is required");
        annotation.licenses = stringOrStrings(*table, "SPDX-License-Identifier", where);
        annotation.copyrights = stringOrStrings(*table, "SPDX-FileCopyrightText", where);
        const auto precedence = stringOrStrings(*table, "precedence", where);
        annotation.precedence = precedence.empty() ? "closest" : precedence.front();
        if (annotation.precedence != "closest" && annotation.precedence != "aggregate" &&
            annotation.precedence != "override")
            throw LicenseError("REUSE.toml: " + where +
                               ".precedence: must be closest, aggregate or override, not '" + annotation.precedence +
                               "'");
        result.annotations.push_back(std::move(annotation));
    }
    return result;
}

std::optional<std::string> licenseForPath(const ReuseToml& reuse, std::string_view path) {
    path = stripDotSlash(path);
    std::optional<std::string> found;
    for (const auto& annotation : reuse.annotations) {
        if (annotation.licenses.empty()) continue;
        for (const auto& pattern : annotation.paths) {
            if (!globMatch(stripDotSlash(pattern), path, false)) continue;
            std::string expression;
            for (std::size_t i = 0; i < annotation.licenses.size(); ++i) {
                if (i > 0) expression += " AND ";
                const bool compound = annotation.licenses.size() > 1 &&
                                      annotation.licenses[i].find(' ') != std::string::npos;
                expression += compound ? "(" + annotation.licenses[i] + ")" : annotation.licenses[i];
            }
            found = expression;
            break;
        }
    }
    return found;
}

std::vector<SpdxHeader> findSpdxHeaders(std::string_view text) {
    std::vector<SpdxHeader> headers;
    for (auto& [value, line] : findTag(text, "SPDX-License-Identifier:")) headers.push_back({std::move(value), line});
    return headers;
}

std::vector<std::string> findSpdxCopyrights(std::string_view text) {
    std::vector<std::string> out;
    for (auto& [value, line] : findTag(text, "SPDX-FileCopyrightText:")) out.push_back(std::move(value));
    return out;
}

} // namespace telar::license

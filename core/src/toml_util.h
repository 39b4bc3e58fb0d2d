#pragma once
// Private helpers shared by the manifest, catalog and edit code: reading toml++ tables into our
// structs while turning every problem into a Diagnostic. toml++ stays out of public headers.

#include "telar/core/manifest.h"

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::core::detail {

// Appends diagnostics for one file.
class DiagSink {
public:
    DiagSink(std::string file, std::vector<Diagnostic>& out) : m_file(std::move(file)), m_out(out) {}
    void error(SourcePos pos, std::string field, std::string message, std::string hint = {});
    void warning(SourcePos pos, std::string field, std::string message, std::string hint = {});
    const std::string& file() const { return m_file; }
    int errors() const { return m_errors; }

private:
    std::string m_file;
    std::vector<Diagnostic>& m_out;
    int m_errors = 0;
};

SourcePos posOf(const toml::node& node);
SourcePos posOf(const toml::key& key);

// "0", "2.5", "true", the string "2", "an array", "a table", "the date 2026-11-01"…
std::string describeValue(const toml::node& node);
// A string as a TOML basic string literal, with escapes.
std::string quoteToml(std::string_view text);
// "a" + "b" → "a.b"; "" + "b" → "b".
std::string dotted(std::string_view prefix, std::string_view key);

// Parses text; on a syntax error appends a diagnostic and returns nullopt.
std::optional<toml::table> parseToml(std::string_view text, DiagSink& sink);

// Reads the fields of one table, recording their positions into info and reporting unknown
// keys (with a did-you-mean), wrong types and missing required values.
class TableReader {
public:
    TableReader(const toml::table& table, std::string path, SourceInfo& info, DiagSink& sink,
                std::initializer_list<std::string_view> allowed);

    // A string; required ones must be present and non-empty.
    std::optional<std::string> str(std::string_view key, bool required = false);
    std::optional<bool> boolean(std::string_view key);
    // An integer ≥ 1 (and ≤ 1,000,000).
    std::optional<std::int64_t> positiveInt(std::string_view key);
    // Any number (integer or float) ≥ 0.
    std::optional<double> nonNegative(std::string_view key);
    // A TOML date / date-time, or a string in ISO 8601, returned as ISO text.
    std::optional<std::string> isoDate(std::string_view key);
    // An array of strings.
    std::optional<std::vector<std::string>> strings(std::string_view key,
                                                    std::vector<SourcePos>* positions = nullptr);
    // A sub-table (not an array of tables).
    const toml::table* table(std::string_view key);
    // An array of tables ([[key]]); reports a single table written as [key].
    const toml::array* tableArray(std::string_view key);

    const std::string& path() const { return m_path; }
    std::string field(std::string_view key) const { return dotted(m_path, key); }
    SourcePos pos() const { return m_info.pos; }
    // The position of key's value (or of the table when absent).
    SourcePos at(std::string_view key) const { return m_info.at(key); }
    DiagSink& sink() { return m_sink; }

private:
    const toml::node* get(std::string_view key);
    void wrongType(const toml::node& node, std::string_view key, std::string_view expected, std::string hint);
    void missing(std::string_view key);

    const toml::table& m_table;
    std::string m_path;
    SourceInfo& m_info;
    DiagSink& m_sink;
};

// Rules on single values, shared by the parsers.
bool isIsoDate(std::string_view text);
bool isHex(std::string_view text, std::size_t length);
bool isCurrency(std::string_view text);
bool isSemver(std::string_view text);

} // namespace telar::core::detail

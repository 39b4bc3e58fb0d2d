#pragma once
// REUSE (https://reuse.software) licence information, read from file contents (never paths):
// `.reuse/dep5` (Debian copyright format), `REUSE.toml`, and `SPDX-License-Identifier:` lines in
// file headers and `.license` sidecars. Used when adopting an existing repository.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::license {

// One "Files:" paragraph of a dep5 file.
struct Dep5Paragraph {
    std::vector<std::string> patterns; // Files: globs, '*' and '?' match across '/'
    std::string license;               // the License: expression (first line of the field)
    std::string copyright;             // the Copyright: field, continuation lines joined with '\n'
    int line = 0;                      // 1-based line of its "Files:" field
};

// A parsed `.reuse/dep5`.
struct Dep5 {
    std::string upstreamName; // header Upstream-Name:, may be empty
    std::string source;       // header Source:, may be empty
    std::vector<Dep5Paragraph> paragraphs;
    std::vector<std::string> warnings; // paragraphs or lines that were skipped, with their line
};

// Parses dep5 text. Paragraphs without Files: or License: become warnings, not errors. Never throws.
Dep5 parseDep5(std::string_view text);
// The licence expression dep5 gives a repository-relative path ("hardware/case/top.step"), or
// nullopt. The last matching paragraph wins, as in the Debian format; a pattern without
// wildcards also covers everything below it when it names a folder (".github").
std::optional<std::string> licenseForPath(const Dep5& dep5, std::string_view path);

// One [[annotations]] table of REUSE.toml.
struct ReuseAnnotation {
    std::vector<std::string> paths; // globs: '*' stays within a folder, '**' crosses folders
    std::string precedence;         // "closest" (default), "aggregate" or "override"
    std::vector<std::string> licenses;   // SPDX-License-Identifier (one or several expressions)
    std::vector<std::string> copyrights; // SPDX-FileCopyrightText
};

// A parsed REUSE.toml.
struct ReuseToml {
    int version = 0;
    std::vector<ReuseAnnotation> annotations;
};

// Parses REUSE.toml text. Throws LicenseError ("REUSE.toml:3:7: …") when the TOML is malformed or
// a field has the wrong type.
ReuseToml parseReuseToml(std::string_view text);
// The licence expression REUSE.toml gives a path (several licences joined with AND), or nullopt.
// The last matching annotation wins.
std::optional<std::string> licenseForPath(const ReuseToml& reuse, std::string_view path);

// An SPDX-License-Identifier found in a text.
struct SpdxHeader {
    std::string expression; // as written, comment markers and trailing "*/", "-->" removed
    int line = 0;           // 1-based
};
// Finds every `SPDX-License-Identifier:` in a source file header or a `.license` sidecar, in
// order. Never throws; the expressions are not validated here.
std::vector<SpdxHeader> findSpdxHeaders(std::string_view text);
// Every `SPDX-FileCopyrightText:` value in a text, in order.
std::vector<std::string> findSpdxCopyrights(std::string_view text);

// Matches a repository-relative path against a glob. With crossFolders, '*' matches '/' too
// (dep5); otherwise only '**' does (REUSE.toml). '?' matches one character other than '/'.
bool globMatch(std::string_view pattern, std::string_view path, bool crossFolders);

} // namespace telar::license

#pragma once
// Recognising licences when adopting an existing repository: free-text licence names
// ("GPLv3", "CERN OHL W v2", "Creative Commons Attribution-ShareAlike 4.0") and the texts of
// LICENSE files, mapped to SPDX ids, with what stays ambiguous said in words.

#include <string>
#include <string_view>
#include <vector>

namespace telar::license {

class Catalog;

// What a name or a licence text was recognised as.
struct LicenseGuess {
    std::string id;                        // best SPDX id (or normalised expression); empty when none
    std::vector<std::string> alternatives; // other ids it may equally mean
    std::string ambiguity;                 // why it is not certain; empty when certain

    // A single id and nothing ambiguous about it.
    bool certain() const { return !id.empty() && ambiguity.empty(); }
};

// Maps a free-text licence name to an SPDX id. A valid SPDX expression of known ids is returned
// normalised. "GPLv3" gives GPL-3.0-only with GPL-3.0-or-later as an alternative, because the
// name does not say which. Names it cannot place give an empty id, the closest id as an
// alternative, and the reason in ambiguity. Never throws.
LicenseGuess licenseFromName(std::string_view name, const Catalog& catalog);
// The same against the built-in catalogue.
LicenseGuess licenseFromName(std::string_view name);

// Recognises a licence from the full text of a LICENSE/COPYING file (markers from the
// catalogue's text_markers; an SPDX-License-Identifier line wins when present). The GNU texts do
// not say "only" or "or later": the guess is the -only id with the -or-later id as alternative.
// Never throws.
LicenseGuess licenseFromText(std::string_view text, const Catalog& catalog);
// The same against the built-in catalogue.
LicenseGuess licenseFromText(std::string_view text);

} // namespace telar::license

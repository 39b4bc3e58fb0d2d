#pragma once
// The licence catalogue: every licence Telar knows with the attributes verdicts are decided on.
// The built-in catalogue is resources/licenses.toml, compiled into the library; a project extends
// a copy of it with its own LicenseRef-… entries declared in telar.toml.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace telar::license {

// How far a licence's reciprocity ("share alike") reaches.
enum class ShareAlike {
    None,  // adaptations may be licensed as the adapter likes
    File,  // modified files stay under the licence; the rest of the design may differ (weak)
    Design // the whole adapted design must be shared under the licence (strong)
};

// What a licence says about commercial use.
enum class CommercialUse {
    Free,        // anyone may use it commercially
    Reciprocity, // commercial use is free for some users; others need an agreement with the licensor
    Forbidden    // no commercial use at all (Creative Commons NC)
};

// "none" / "file" / "design", and back. parse* return nullopt for any other text.
std::string_view toString(ShareAlike value);
std::optional<ShareAlike> parseShareAlike(std::string_view text);
// "free" / "reciprocity" / "forbidden", and back.
std::string_view toString(CommercialUse value);
std::optional<CommercialUse> parseCommercialUse(std::string_view text);

// One licence and its attributes.
struct LicenseInfo {
    std::string id;   // canonical SPDX id or LicenseRef-…
    std::string name; // full name
    std::string kind; // "hardware", "content", "software", "reciprocity" or "project"
    bool attribution = false;
    ShareAlike shareAlike = ShareAlike::None;
    bool sourceDisclosure = false; // sources must accompany distributed products/designs
    CommercialUse commercial = CommercialUse::Free;
    bool derivatives = true; // modified versions may be distributed
    bool oshwaCompatible = false;
    std::string family;  // copyleft family ("GPL", "CERN-OHL", "CC-BY-SA"…); may be empty
    std::string summary; // plain words
    // For CommercialUse::Reciprocity: who may use it commercially for free. Tokens: "individual",
    // "nonprofit", "cooperative", "for-profit" (organisation kinds), "non-commercial" (any
    // non-commercial purpose) and "contributor" (whoever contributes to this commons).
    std::vector<std::string> freeFor;
    std::string reciprocityTerms; // plain words: who needs a separate licence and how to get one
    // Licences (other than itself) a work may carry when it includes material under this one.
    std::vector<std::string> compatibleWith;
    // Licences whose works may never include material under this one.
    std::vector<std::string> incompatibleWith;
    std::string compatNote;               // why, in plain words (may be empty)
    std::vector<std::string> names;       // free-text names people use for it
    std::vector<std::string> textMarkers; // phrases that all appear in the licence text
    std::vector<std::string> textExcludes; // phrases that rule the text out
    std::string replacedBy; // set on deprecated SPDX ids: the id to write instead
    std::string orLaterId;  // the id meaning "this version or any later one" (GPL-2.0 → GPL-2.0-or-later)
    bool declaredByProject = false;

    bool deprecated() const { return !replacedBy.empty(); }
};

// A licence exception usable after WITH.
struct ExceptionInfo {
    std::string id;
    std::string name;
    std::string summary;
    std::vector<std::string> appliesTo; // licence families or ids it is written for
};

// A project's own licence, as telar.toml declares it in a [[license]] table. Enumerations are the
// plain strings of the file; addProjectLicense validates them.
struct ProjectLicense {
    std::string id; // must start with "LicenseRef-"
    std::string name;
    bool attribution = true;
    std::string shareAlike = "none";  // "none" | "file" | "design"
    bool sourceDisclosure = false;
    std::string commercial = "free"; // "free" | "reciprocity" | "forbidden"
    bool derivatives = true;
    bool oshwaCompatible = false;
    std::string summary;
    // For commercial = "reciprocity": who uses it freely (tokens as LicenseInfo::freeFor).
    // Empty means only non-commercial use is free.
    std::vector<std::string> freeFor;
};

// A set of licences and exceptions, looked up by id case-insensitively. Copyable: take a copy
// of builtin() and add a project's own licences to it.
class Catalog {
public:
    Catalog() = default;

    // The catalogue compiled into the library. Built on first use; throws LicenseError only if
    // the embedded data were broken (a build error, caught by the tests).
    static const Catalog& builtin();
    // Reads a catalogue in the format of resources/licenses.toml. Throws LicenseError naming
    // sourceName and the entry when the data are malformed.
    static Catalog fromToml(std::string_view text, std::string_view sourceName = "licenses.toml");

    // The licence with this id (any case), or nullptr. Deprecated ids are found as themselves.
    const LicenseInfo* find(std::string_view id) const;
    // The licence with this id, resolving a deprecated id to its replacement. Throws LicenseError
    // "unknown licence id 'X'" when absent.
    const LicenseInfo& get(std::string_view id) const;
    // The exception with this id (any case), or nullptr.
    const ExceptionInfo* findException(std::string_view id) const;

    // Adds a licence. Throws LicenseError when the id is empty or already present.
    void add(LicenseInfo info);
    // Adds a project-declared LicenseRef-… licence. Throws LicenseError (naming the field) when
    // the id is not a LicenseRef-, clashes with a known id, or an enumeration value is invalid.
    void addProjectLicense(const ProjectLicense& license);

    const std::vector<LicenseInfo>& licenses() const { return m_licenses; }
    const std::vector<ExceptionInfo>& exceptions() const { return m_exceptions; }

    // The closest known id to an unknown one (edit distance, case-insensitive, prefix matches
    // preferred), considering extraIds too; nullopt when nothing is close.
    std::optional<std::string> suggest(std::string_view unknownId,
                                       const std::vector<std::string>& extraIds = {}) const;

private:
    std::vector<LicenseInfo> m_licenses;
    std::vector<ExceptionInfo> m_exceptions;
    std::unordered_map<std::string, std::size_t> m_licenseIndex;   // lower-case id → index
    std::unordered_map<std::string, std::size_t> m_exceptionIndex; // lower-case id → index
};

} // namespace telar::license

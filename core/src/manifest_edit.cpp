// Editing manifests in place (patches at toml++ source positions) and atomic writes.
#include "telar/core/manifest_edit.h"

#include "telar/core/paths.h"
#include "telar/error.h"
#include "toml_source.h"
#include "toml_util.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace telar::core {

namespace {

using detail::definedByHeader;
using detail::lastLineAll;
using detail::lastLineInBlock;
using detail::Offsets;
using detail::quoteToml;

bool isProjectFile(const std::string& file) {
    return file == "telar.toml" ||
           (file.size() > 11 && file.compare(file.size() - 11, 11, "/telar.toml") == 0);
}

// Parses text as the manifest `file` is, and throws the first error as a ManifestError.
void requireValid(std::string_view text, const std::string& file, const std::vector<std::string>& extraIds) {
    std::vector<Diagnostic> diags;
    if (isProjectFile(file))
        parseProjectManifest(text, file, diags);
    else
        parseModuleManifest(text, file, parentPath(file), diags, extraIds);
    for (const auto& d : diags)
        if (d.severity == Severity::Error) throw ManifestError(d.file, d.line, d.column, d.field, d.message);
}

toml::table parseOrThrow(std::string_view text, const std::string& file) {
    std::vector<Diagnostic> diags;
    detail::DiagSink sink(file, diags);
    auto root = detail::parseToml(text, sink);
    if (!root) {
        const auto& d = diags.front();
        throw ManifestError(d.file, d.line, d.column, d.field, d.message);
    }
    return std::move(*root);
}

std::string renderKey(std::string_view key) {
    bool bare = !key.empty();
    for (char c : key)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) bare = false;
    return bare ? std::string(key) : quoteToml(key);
}

std::string line(std::string_view key, const FieldValue& v) {
    return renderKey(key) + " = " + renderValue(v) + "\n";
}

void addIf(std::string& out, std::string_view key, const std::string& v) {
    if (!v.empty()) out += line(key, v);
}

std::string partBlock(const Part& p) {
    std::string out = "[[part]]\n";
    addIf(out, "id", p.id);
    addIf(out, "name", p.name);
    addIf(out, "file", p.file);
    addIf(out, "material", p.material);
    addIf(out, "process", p.process);
    out += line("quantity", p.quantity);
    if (p.unitCost) out += line("unit_cost", *p.unitCost);
    addIf(out, "currency", p.currency);
    addIf(out, "supplier", p.supplier);
    addIf(out, "sku", p.sku);
    addIf(out, "license", p.license);
    addIf(out, "notes", p.notes);
    if (p.origin) {
        out += "[part.origin]\n";
        addIf(out, "source", p.origin->source);
        addIf(out, "license", p.origin->license);
        addIf(out, "author", p.origin->author);
        addIf(out, "retrieved", p.origin->retrieved);
        addIf(out, "sha256", p.origin->sha256);
    }
    return out;
}

std::string useBlock(const Use& u) {
    return "[[use]]\n" + line("module", u.module) + line("quantity", u.quantity);
}

std::string assemblyBlock(const Assembly& a) {
    std::string out = "[[assembly]]\n";
    addIf(out, "file", a.file);
    addIf(out, "process", a.process);
    addIf(out, "material", a.material);
    addIf(out, "license", a.license);
    for (const auto& r : a.rules) {
        out += "[[assembly.rule]]\n";
        addIf(out, "match", r.match);
        addIf(out, "process", r.process);
        addIf(out, "material", r.material);
    }
    return out;
}

std::string upstreamBlock(const std::string& header, const Upstream& u) {
    std::string out = header + "\n";
    addIf(out, "url", u.url);
    addIf(out, "commit", u.commit);
    addIf(out, "forked", u.forked);
    return out;
}

// Inserts block (a table or array-of-tables entry) after the last entry of array `name`, or at
// the end of the text when there is none, separated by a blank line.
std::string insertBlock(std::string_view text, const std::string& file, std::string_view name,
                        const std::string& block) {
    toml::table root = parseOrThrow(text, file);
    Offsets off(text);
    std::string out(text);
    const toml::array* arr = root.get(name) ? root.get(name)->as_array() : nullptr;
    if (arr && !arr->empty() && definedByHeader(*arr, off)) {
        std::size_t last = 0;
        for (const auto& e : *arr)
            last = std::max(last, lastLineAll(e));
        std::size_t at = off.afterLine(last);
        std::string prefix = (at == out.size() && !out.empty() && out.back() != '\n') ? "\n\n" : "\n";
        out.insert(at, prefix + block);
        return out;
    }
    if (!out.empty() && out.back() != '\n') out += '\n';
    if (!out.empty()) out += '\n';
    out += block;
    return out;
}

// One step of setFields: applies a single key to text (no validation of the result).
std::string setOne(std::string_view text, const std::string& file, std::string_view tablePath,
                   std::string_view key, const FieldValue& value) {
    toml::table root = parseOrThrow(text, file);
    Offsets off(text);
    const bool project = isProjectFile(file);

    // tablePath = name [ '[' selector ']' ] [ '.' sub ]
    std::string_view name = tablePath, selector, sub;
    bool hasSelector = false;
    if (auto open = tablePath.find('['); open != std::string_view::npos) {
        auto close = tablePath.rfind(']');
        if (close == std::string_view::npos || close < open)
            throw UsageError("bad table path '" + std::string(tablePath) + "'");
        name = tablePath.substr(0, open);
        selector = tablePath.substr(open + 1, close - open - 1);
        hasSelector = true;
        std::string_view rest = tablePath.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != '.') throw UsageError("bad table path '" + std::string(tablePath) + "'");
            sub = rest.substr(1);
        }
    } else if (auto dot = tablePath.find('.'); dot != std::string_view::npos) {
        throw UsageError("bad table path '" + std::string(tablePath) + "': name an entry as part[ID]");
    }
    const std::string newLine = line(key, value);

    const toml::table* target = nullptr;
    if (!hasSelector) {
        const std::vector<std::string> plain =
            project ? std::vector<std::string>{"project", "upstream", "reciprocity"}
                    : std::vector<std::string>{"module"};
        if (std::find(plain.begin(), plain.end(), name) == plain.end())
            throw UsageError("no table [" + std::string(name) + "] can be edited in " + file +
                             didYouMean(name, plain));
        const toml::node* node = root.get(name);
        if (!node) { // create the table at the end
            std::string out(text);
            if (!out.empty() && out.back() != '\n') out += '\n';
            if (!out.empty()) out += '\n';
            return out + "[" + std::string(name) + "]\n" + newLine;
        }
        target = node->as_table();
    } else {
        static const std::vector<std::pair<std::string, std::string>> keyed = {
            {"part", "id"}, {"use", "module"}, {"assembly", "file"}, {"license", "id"}, {"lineage", ""}};
        auto kit = std::find_if(keyed.begin(), keyed.end(), [&](const auto& k) { return k.first == name; });
        if (kit == keyed.end())
            throw UsageError("no array of tables [[" + std::string(name) + "]] can be edited");
        const toml::array* arr = root.get(name) ? root.get(name)->as_array() : nullptr;
        const toml::table* element = nullptr;
        if (arr) {
            std::size_t index = 0;
            for (const auto& e : *arr) {
                ++index;
                const toml::table* t = e.as_table();
                if (!t) continue;
                const bool match =
                    kit->second.empty()
                        ? std::to_string(index) == selector
                        : t->get(kit->second) && t->get(kit->second)->value<std::string>() == selector;
                if (match) {
                    element = t;
                    break;
                }
            }
        }
        if (!element)
            throw UsageError("no " + std::string(name) + " '" + std::string(selector) + "' in " + file);
        target = element;
        if (!sub.empty()) {
            if (name != "part" || sub != "origin")
                throw UsageError("no sub-table '" + std::string(sub) + "' can be edited in " +
                                 std::string(name));
            const toml::node* node = element->get(sub);
            if (!node) { // create [part.origin] right after the part
                std::string out(text);
                std::size_t at = off.afterLine(lastLineAll(*element));
                std::string block = "[" + std::string(name) + "." + std::string(sub) + "]\n" + newLine;
                if (at == out.size() && !out.empty() && out.back() != '\n') block = "\n" + block;
                out.insert(at, block);
                return out;
            }
            target = node->as_table();
        }
    }
    if (!target) throw UsageError("'" + std::string(tablePath) + "' in " + file + " is not a table");

    std::string out(text);
    if (const toml::node* existing = target->get(key)) {
        if (definedByHeader(*existing, off) || (existing->is_table() && !existing->as_table()->is_inline()))
            throw UsageError("'" + std::string(key) + "' in " + std::string(tablePath) +
                             " is a table, not a value");
        const std::size_t begin = off.at(existing->source().begin);
        const std::size_t end = off.at(existing->source().end);
        return out.replace(begin, end - begin, renderValue(value));
    }
    const char opener = off.charAt(target->source().begin);
    if (target->is_inline()) {
        std::size_t close = off.at(target->source().end);
        if (close == 0 || close > out.size() || out[close - 1] != '}')
            throw UsageError("cannot edit this inline table");
        std::string item = renderKey(key) + " = " + renderValue(value);
        if (target->empty()) return out.insert(close - 1, " " + item + " ");
        std::size_t at = close - 1; // after the last value, before the spaces leading to '}'
        while (at > 0 && (out[at - 1] == ' ' || out[at - 1] == '\t'))
            --at;
        return out.insert(at, ", " + item);
    }
    if (opener != '[')
        throw UsageError("'" + std::string(tablePath) + "' in " + file +
                         " is written with dotted keys; add the field by hand");
    std::size_t last = std::max<std::size_t>(lastLineInBlock(*target, off), target->source().begin.line);
    std::size_t at = off.afterLine(last);
    if (at == out.size() && !out.empty() && out.back() != '\n') out += '\n', at = out.size();
    out.insert(at, newLine);
    return out;
}

} // namespace

std::string renderValue(const FieldValue& value) {
    struct Visitor {
        std::string operator()(const std::string& s) const { return quoteToml(s); }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(double d) const {
            if (d != d) return "nan";
            if (d == 1.0 / 0.0) return "inf";
            if (d == -1.0 / 0.0) return "-inf";
            char buf[64];
            auto res = std::to_chars(buf, buf + sizeof buf, d);
            std::string s(buf, res.ptr);
            if (s.find_first_of(".e") == std::string::npos) s += ".0";
            return s;
        }
        std::string operator()(const std::vector<std::string>& v) const {
            std::string s = "[";
            for (std::size_t i = 0; i < v.size(); ++i)
                s += (i ? ", " : "") + quoteToml(v[i]);
            return s + "]";
        }
    };
    return std::visit(Visitor{}, value);
}

std::string renderProjectManifest(const ProjectManifest& p) {
    std::string out = "# Telar project manifest: see docs/manifest-format.md\n[project]\n";
    addIf(out, "name", p.name);
    addIf(out, "description", p.description);
    addIf(out, "license", p.license);
    addIf(out, "licensor", p.licensor);
    if (!p.products.empty()) out += line("products", p.products);
    if (p.upstream) out += "\n" + upstreamBlock("[upstream]", *p.upstream);
    for (const auto& l : p.lineage)
        out += "\n" + upstreamBlock("[[lineage]]", l);
    if (p.reciprocity) {
        out += "\n[reciprocity]\n";
        addIf(out, "steward", p.reciprocity->steward);
        addIf(out, "contact", p.reciprocity->contact);
        addIf(out, "terms", p.reciprocity->terms);
    }
    for (const auto& l : p.licenses) {
        out += "\n[[license]]\n";
        addIf(out, "id", l.id);
        addIf(out, "name", l.name);
        out += line("attribution", l.attribution);
        out += line("share_alike", l.shareAlike);
        out += line("source_disclosure", l.sourceDisclosure);
        out += line("commercial", l.commercial);
        out += line("derivatives", l.derivatives);
        out += line("oshwa_compatible", l.oshwaCompatible);
        addIf(out, "summary", l.summary);
    }
    return out;
}

std::string renderModuleManifest(const ModuleManifest& m) {
    std::string out = "# Telar module manifest: see docs/manifest-format.md\n[module]\n";
    addIf(out, "name", m.name);
    addIf(out, "version", m.version);
    addIf(out, "license", m.license);
    addIf(out, "description", m.description);
    for (const auto& p : m.parts)
        out += "\n" + partBlock(p);
    for (const auto& a : m.assemblies)
        out += "\n" + assemblyBlock(a);
    for (const auto& u : m.uses)
        out += "\n" + useBlock(u);
    return out;
}

void createProjectManifest(const std::filesystem::path& repoDir, const ProjectManifest& project,
                           const std::vector<std::string>& extraLicenseIds) {
    const auto path = repoDir / "telar.toml";
    if (std::filesystem::exists(std::filesystem::symlink_status(path)))
        throw UsageError(path.string() + " already exists");
    const std::string text = renderProjectManifest(project);
    requireValid(text, "telar.toml", extraLicenseIds);
    writeFileAtomically(path, text);
}

void createModuleManifest(const std::filesystem::path& repoDir, const ModuleManifest& module,
                          const std::vector<std::string>& extraLicenseIds) {
    if (!isValidModuleId(module.id))
        throw UsageError("'" + module.id +
                         "' is not a valid module id: use a folder path such as \"axes/x\"");
    const PathResult safe = normalisePath("", module.id);
    if (!safe.ok() || safe.path != module.id)
        throw UsageError("'" + module.id +
                         "' is not a valid module id: use a folder path such as \"axes/x\"");
    const auto dir = repoDir / module.id;
    const auto path = dir / "module.toml";
    if (std::filesystem::exists(std::filesystem::symlink_status(path)))
        throw UsageError(path.string() + " already exists");
    const std::string text = renderModuleManifest(module);
    requireValid(text, module.id + "/module.toml", extraLicenseIds);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw Error("cannot create " + dir.string() + ": " + ec.message());
    writeFileAtomically(path, text);
}

std::string appendPart(std::string_view text, const std::string& file, const Part& part,
                       const std::vector<std::string>& extraLicenseIds) {
    requireValid(text, file, extraLicenseIds);
    std::string out = insertBlock(text, file, "part", partBlock(part));
    requireValid(out, file, extraLicenseIds);
    return out;
}

std::string appendUse(std::string_view text, const std::string& file, const Use& use,
                      const std::vector<std::string>& extraLicenseIds) {
    requireValid(text, file, extraLicenseIds);
    std::string out = insertBlock(text, file, "use", useBlock(use));
    requireValid(out, file, extraLicenseIds);
    return out;
}

std::string setField(std::string_view text, const std::string& file, std::string_view tablePath,
                     std::string_view key, const FieldValue& value,
                     const std::vector<std::string>& extraLicenseIds) {
    return setFields(text, file, tablePath, {{std::string(key), value}}, extraLicenseIds);
}

std::string setFields(std::string_view text, const std::string& file, std::string_view tablePath,
                      const std::vector<std::pair<std::string, FieldValue>>& fields,
                      const std::vector<std::string>& extraLicenseIds) {
    requireValid(text, file, extraLicenseIds);
    std::string out(text);
    for (const auto& [key, value] : fields)
        out = setOne(out, file, tablePath, key, value);
    requireValid(out, file, extraLicenseIds);
    return out;
}

void writeFileAtomically(const std::filesystem::path& path, std::string_view text) {
    const std::filesystem::path dir =
        path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    const std::string where = "cannot write " + path.string() + ": ";
    std::string tmp = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
    int fd = ::mkstemp(tmp.data());
    if (fd < 0) throw Error(where + std::strerror(errno));
    auto fail = [&](const std::string& what, int err) {
        if (fd >= 0) ::close(fd);
        ::unlink(tmp.c_str());
        throw Error(where + what + std::strerror(err));
    };
    // Keep the permissions of the file being replaced; new files get 0644 (less the umask).
    struct stat st {};
    mode_t mode = 0644;
    if (::stat(path.c_str(), &st) == 0) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = ::umask(0);
        ::umask(mask);
        mode &= ~mask;
    }
    if (::fchmod(fd, mode) != 0) fail("", errno);
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("", errno);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) fail("", errno);
    if (::close(fd) != 0) {
        fd = -1;
        fail("", errno);
    }
    fd = -1;
    if (::rename(tmp.c_str(), path.c_str()) != 0) fail("", errno);
    // Make the rename itself durable. A folder that cannot be opened or synced (some file
    // systems refuse) does not undo a write that has already replaced the file.
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

} // namespace telar::core

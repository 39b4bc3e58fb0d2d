// Import of OKH-LOSH (TOML) and OKH v1 (YAML) manifests into Telar manifests.

#include "telar/core/okh.h"
#include "telar/core/catalog.h"
#include "telar/core/manifest_edit.h"
#include "telar/error.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace telar::core {

namespace fs = std::filesystem;

namespace {

std::string slugOf(std::string_view name) {
    std::string out;
    for (unsigned char c : name) {
        if (std::isalnum(c)) out += char(std::tolower(c));
        else if (!out.empty() && out.back() != '-') out += '-';
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "imported" : out;
}

bool isUrl(std::string_view s) { return s.find("://") != std::string_view::npos || s.rfind("mailto:", 0) == 0; }

bool isCadFile(std::string_view path) {
    std::string ext = fs::path(std::string(path)).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".step" || ext == ".stp" || ext == ".stl" || ext == ".iges" || ext == ".igs" || ext == ".brep" ||
           ext == ".3mf";
}

// A manifest path as a folder-relative path ("/a/b" and "a/b" → "a/b"); empty for URLs and for
// paths that climb out of the folder.
std::string localPath(std::string_view written) {
    if (written.empty() || isUrl(written)) return {};
    std::string s(written);
    while (!s.empty() && s.front() == '/') s.erase(0, 1);
    fs::path norm = fs::path(s).lexically_normal();
    std::string n = norm.generic_string();
    if (n.empty() || n == "." || n.rfind("..", 0) == 0) return {};
    return n;
}

class Importer {
public:
    Importer(fs::path base, OkhImport& out) : m_base(std::move(base)), m_out(out) {}

    // Records a referenced path; returns the folder-relative path when it exists.
    std::string checkPath(const std::string& written) {
        std::string rel = localPath(written);
        if (rel.empty()) return {};
        std::error_code ec;
        if (!fs::exists(m_base / rel, ec)) {
            if (std::find(m_out.missingPaths.begin(), m_out.missingPaths.end(), written) == m_out.missingPaths.end())
                m_out.missingPaths.push_back(written);
            return {};
        }
        return rel;
    }

    void unmapped(const std::string& field, const std::string& why) { m_out.unmapped.push_back(field + ": " + why); }

    void setLicense(const std::string& field, const std::string& expr) {
        if (auto problem = checkLicense(expr, {})) {
            unmapped(field, "'" + expr + "' is not a licence Telar knows (" + *problem + ")");
            return;
        }
        m_out.project.license = expr;
        m_out.module.license = expr;
    }

    std::string processOf(const std::string& field, const std::string& tsdc) {
        static const std::map<std::string, std::string> map{{"3DP", "fdm-print"}, {"LAS", "laser-cut"},
                                                            {"CNC", "cnc-mill"},  {"PCB", "pcb"},
                                                            {"WEL", "welding"},   {"STD", "purchased"}};
        auto it = map.find(tsdc);
        if (it != map.end()) return it->second;
        if (!tsdc.empty()) unmapped(field, "TSDC '" + tsdc + "' has no Telar process; set one by hand");
        return {};
    }

    std::string materialOf(const std::string& field, const std::string& material) {
        static const Catalog catalog = Catalog::loadDefault();
        if (catalog.material(material)) return material;
        for (const auto& m : catalog.materials()) {
            std::string a = m.name, b = material;
            std::transform(a.begin(), a.end(), a.begin(), ::tolower);
            std::transform(b.begin(), b.end(), b.begin(), ::tolower);
            if (a == b || m.id == b) return m.id;
        }
        unmapped(field, "'" + material + "' is not a catalogue material");
        return {};
    }

    // A part from name, tsdc, material and its files (sources then exports).
    void addPart(const std::string& prefix, const std::string& name, const std::string& tsdc,
                 const std::string& material, const std::vector<std::string>& files) {
        Part part;
        part.name = name.empty() ? "part " + std::to_string(m_out.module.parts.size() + 1) : name;
        std::string id = slugOf(part.name);
        std::string unique = id;
        for (int n = 2; m_ids.count(unique); ++n) unique = id + "-" + std::to_string(n);
        m_ids.insert(unique);
        part.id = unique;
        part.quantity = 1;
        part.process = processOf(prefix + ".tsdc", tsdc);
        if (!material.empty()) part.material = materialOf(prefix + ".material", material);
        std::string notes;
        for (const auto& f : files) {
            std::string rel = checkPath(f);
            if (part.file.empty() && !rel.empty() && isCadFile(rel)) {
                part.file = rel; // folder-relative for now; writeOkhImport makes it module-relative
                continue;
            }
            notes += (notes.empty() ? "files: " : ", ") + f;
        }
        if (part.file.empty() && part.process != "purchased" && part.process != "pcb")
            unmapped(prefix, "no CAD file Telar can read among its source and export files");
        part.notes = notes;
        m_out.module.parts.push_back(std::move(part));
    }

    void finish() {
        m_out.module.id = slugOf(m_out.project.name);
        if (m_out.module.name.empty()) m_out.module.name = m_out.project.name;
        m_out.project.products = {m_out.module.id};
        std::sort(m_out.missingPaths.begin(), m_out.missingPaths.end());
    }

private:
    fs::path m_base;
    OkhImport& m_out;
    std::set<std::string> m_ids;
};

// ---- OKH-LOSH ------------------------------------------------------------------------------

std::vector<std::string> stringsOf(const toml::node* n) {
    std::vector<std::string> out;
    if (!n) return out;
    if (auto s = n->value<std::string>()) out.push_back(*s);
    else if (auto a = n->as_array())
        for (const auto& e : *a)
            if (auto s2 = e.value<std::string>()) out.push_back(*s2);
    return out;
}

std::string stringOf(const toml::node* n) {
    if (!n) return {};
    if (auto s = n->value<std::string>()) return *s;
    return {};
}

void importLosh(const toml::table& t, Importer& im, OkhImport& out) {
    static const std::set<std::string> documentPaths{
        "readme", "image", "user-manual", "manufacturing-instructions", "contribution-guide", "bom"};
    for (const auto& [k, v] : t) {
        const std::string key(k.str());
        if (key == "okhv") {
            if (stringOf(&v).rfind("OKH-LOSH", 0) != 0) im.unmapped("okhv", "'" + stringOf(&v) + "' is not an OKH-LOSH version");
        } else if (key == "name") {
            out.project.name = stringOf(&v);
        } else if (key == "function") {
            out.project.description = stringOf(&v);
            out.module.description = out.project.description;
        } else if (key == "version") {
            out.module.version = stringOf(&v);
        } else if (key == "license") {
            im.setLicense("license", stringOf(&v));
        } else if (key == "licensor") {
            out.project.licensor = stringOf(&v);
        } else if (documentPaths.count(key)) {
            for (const auto& p : stringsOf(&v)) im.checkPath(p);
            im.unmapped(key, key == "bom" ? "Telar computes the BOM from the parts" : "documentation is not part of Telar manifests");
        } else if (key == "source" || key == "export") {
            for (const auto& p : stringsOf(&v)) im.checkPath(p);
            im.unmapped(key, "project-level files are not parts; parts come from [[part]]");
        } else if (key == "part") {
            const toml::array* parts = v.as_array();
            int n = 0;
            if (parts)
                for (const auto& pn : *parts) {
                    const toml::table* pt = pn.as_table();
                    ++n;
                    if (!pt) continue;
                    const std::string prefix = "part[" + std::to_string(n) + "]";
                    std::vector<std::string> files = stringsOf(pt->get("source"));
                    for (const auto& e : stringsOf(pt->get("export"))) files.push_back(e);
                    for (const auto& img : stringsOf(pt->get("image"))) im.checkPath(img);
                    for (const auto& [pk, pv] : *pt) {
                        std::string f(pk.str());
                        if (f != "name" && f != "tsdc" && f != "material" && f != "source" && f != "export" &&
                            f != "image")
                            im.unmapped(prefix + "." + f,
                                        f.rfind("outer-dimension", 0) == 0 || f == "mass"
                                            ? "Telar measures it from the geometry"
                                            : "no Telar field");
                    }
                    im.addPart(prefix, stringOf(pt->get("name")), stringOf(pt->get("tsdc")),
                               stringOf(pt->get("material")), files);
                }
        } else if (key == "software") {
            if (const toml::array* sw = v.as_array())
                for (const auto& s : *sw)
                    if (const toml::table* st = s.as_table())
                        for (const auto& p : stringsOf(st->get("installation-guide"))) im.checkPath(p);
            im.unmapped("software", "software is not part of Telar manifests");
        } else if (key == "fork-of") {
            im.unmapped("fork-of", "[upstream] needs the commit it was forked from; record it with `telar fork`");
        } else if (key == "repo") {
            im.unmapped("repo", "the repository is where the manifests live; Telar does not store its own URL");
        } else {
            im.unmapped(key, "no Telar field");
        }
    }
}

// ---- OKH v1 --------------------------------------------------------------------------------

std::string scalarOf(const YamlNode* n) {
    return n && n->kind == YamlNode::Kind::Scalar ? n->scalar : std::string();
}

void importV1(const YamlNode& root, Importer& im, OkhImport& out) {
    if (root.kind != YamlNode::Kind::Mapping) throw ManifestError("okh", root.line, 1, "", "an OKH v1 manifest is a mapping");
    std::string description, intended, safety;
    for (const auto& [key, v] : root.fields) {
        if (key == "title") {
            out.project.name = scalarOf(&v);
        } else if (key == "description") {
            description = scalarOf(&v);
        } else if (key == "intended-use") {
            intended = scalarOf(&v);
        } else if (key == "health-safety-notice") {
            safety = scalarOf(&v);
        } else if (key == "version") {
            out.module.version = scalarOf(&v);
        } else if (key == "license") {
            std::string lic = v.kind == YamlNode::Kind::Scalar ? v.scalar : scalarOf(v.find("hardware"));
            if (lic.empty()) lic = scalarOf(v.find("documentation"));
            if (lic.empty()) im.unmapped("license", "no hardware or documentation licence");
            else im.setLicense(v.kind == YamlNode::Kind::Scalar ? "license" : "license.hardware", lic);
            for (const auto& [lk, lv] : v.fields)
                if (lk != "hardware") im.unmapped("license." + lk, "only the hardware licence maps to Telar");
        } else if (key == "licensor") {
            out.project.licensor = v.kind == YamlNode::Kind::Scalar ? v.scalar : scalarOf(v.find("name"));
        } else if (key == "bom") {
            im.checkPath(scalarOf(&v));
            im.unmapped("bom", "Telar computes the BOM from the parts");
        } else if (key == "derivative-of" || key == "variant-of") {
            im.unmapped(key, "[upstream] needs the commit it was forked from; record it with `telar fork`");
        } else {
            // Paths in lists of {path, title} are checked when local.
            if (v.kind == YamlNode::Kind::Sequence)
                for (const auto& item : v.items) im.checkPath(scalarOf(item.find("path")));
            im.unmapped(key, "no Telar field");
        }
    }
    std::string function = description;
    for (const auto* extra : {&intended, &safety})
        if (!extra->empty()) function += (function.empty() ? "" : " ") + *extra;
    out.project.description = function;
    out.module.description = function;
}

std::string readAll(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error("cannot read " + file.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

OkhImport importOkh(const fs::path& file, const OkhImportOptions& options) {
    const std::string text = readAll(file);
    const std::string name = file.filename().string();
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    bool yaml = ext == ".yml" || ext == ".yaml";
    if (ext != ".toml" && !yaml) yaml = text.find("okhv") == std::string::npos;

    OkhImport out;
    Importer im(file.has_parent_path() ? file.parent_path() : fs::path("."), out);
    if (yaml) {
        out.format = "OKH v1";
        YamlNode root = parseYaml(text, name, options.lenient, &out.skipped);
        importV1(root, im, out);
    } else {
        out.format = "OKH-LOSH";
        toml::table t;
        try {
            t = toml::parse(text, std::string_view(name));
        } catch (const toml::parse_error& e) {
            throw ManifestError(name, int(e.source().begin.line), int(e.source().begin.column), "",
                                "not valid TOML: " + std::string(e.description()));
        }
        importLosh(t, im, out);
    }
    if (out.project.name.empty()) throw ManifestError(name, 0, 0, "", "the manifest names no product (name/title)");
    im.finish();
    return out;
}

void writeOkhImport(const OkhImport& import, const fs::path& sourceDir, const fs::path& dir) {
    std::error_code ec;
    if (fs::exists(dir / "telar.toml", ec)) throw UsageError(dir.string() + " already holds a telar.toml");
    fs::create_directories(dir, ec);
    if (ec) throw Error("cannot create " + dir.string() + ": " + ec.message());
    const fs::path src = fs::weakly_canonical(sourceDir, ec);
    const fs::path into = fs::weakly_canonical(dir, ec);
    ModuleManifest module = import.module;
    for (auto& part : module.parts) {
        if (part.file.empty()) continue;
        // The part's file as seen from the module folder, when it lies inside the target folder.
        fs::path abs = (src / part.file).lexically_normal();
        fs::path rel = abs.lexically_relative(into);
        std::string r = rel.generic_string();
        if (r.empty() || r.rfind("..", 0) == 0) {
            part.notes = "file: " + part.file + (part.notes.empty() ? "" : "; " + part.notes);
            part.file.clear();
            continue;
        }
        part.file = "../" + r;
    }
    createProjectManifest(dir, import.project);
    createModuleManifest(dir, module);
}

} // namespace telar::core

// Importing geometry from elsewhere: checks the request, the module and the licences, then
// copies the file and appends the part with its origin record.
#include "telar/core/import.h"

#include "telar/core/catalog.h"
#include "telar/core/license_check.h"
#include "telar/core/manifest_edit.h"
#include "telar/core/paths.h"
#include "telar/core/sha256.h"
#include "telar/license/compatibility.h"
#include "telar/license/expression.h"
#include "toml_util.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <fstream>
#include <sstream>
#include <system_error>

namespace telar::core {

namespace fs = std::filesystem;

namespace {

std::string readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error("cannot read " + file.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw Error("cannot read " + file.string());
    return ss.str();
}

std::string today() {
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &local);
    return buf;
}

// The ids of the modules under root (folders holding a module.toml, dot folders and
// symbolic links skipped), for "did you mean".
std::vector<std::string> moduleIdsUnder(const fs::path& root) {
    std::vector<std::string> ids;
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const fs::directory_entry& e = *it;
        if (!e.is_directory(ec) || e.is_symlink(ec)) continue;
        if (e.path().filename().string().rfind('.', 0) == 0) {
            it.disable_recursion_pending();
            continue;
        }
        if (fs::is_regular_file(e.path() / "module.toml", ec))
            ids.push_back(e.path().lexically_relative(root).generic_string());
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

// Throws the first error of diags as a ManifestError.
void throwFirstError(const std::vector<Diagnostic>& diags) {
    for (const auto& d : diags)
        if (d.severity == Severity::Error) throw ManifestError(d.file, d.line, d.column, d.field, d.message);
}

std::string suggestion(const std::vector<std::string>& candidates) {
    return candidates.empty() ? "" : " (did you mean '" + candidates.front() + "'?)";
}

// text ending with a full stop.
std::string sentence(std::string text) {
    if (!text.empty() && text.back() != '.') text += '.';
    return text;
}

bool isInside(const fs::path& path, const fs::path& root) {
    const fs::path rel = path.lexically_relative(root);
    return !rel.empty() && *rel.begin() != "..";
}

// The repository-relative path of the copy (see ImportRequest::to). Throws UsageError when it
// leaves the repository, reaches into .git, exists already, or has a file where a folder is needed.
std::string targetPath(const fs::path& root, const ImportRequest& req, const std::string& moduleId) {
    const std::string fileName = req.file.filename().string();
    std::string to = req.to;
    if (to.empty()) to = moduleId + "/";
    const std::string shown = to;
    if (fs::path(to).is_absolute()) {
        const fs::path abs = fs::path(to).lexically_normal();
        if (!isInside(abs, root))
            throw UsageError("target " + shown + " is outside the repository " + root.string() +
                             ": give a path inside it, e.g. " + moduleId + "/" + fileName);
        to = abs.lexically_relative(root).generic_string() + (to.back() == '/' ? "/" : "");
    }
    const bool intoFolder = to.back() == '/' || fs::is_directory(root / to);
    PathResult p = normalisePath("", to);
    if (!p.ok()) {
        if (p.problem == PathProblem::Empty && intoFolder) {
            p.path.clear(); // the repository root itself
        } else {
            const bool outside = p.problem == PathProblem::EscapesRoot || p.problem == PathProblem::Absolute;
            throw UsageError("target " + shown +
                             (outside ? " is outside the repository" : " is not a usable path") + " (" +
                             describePathProblem(p.problem) + "): give a path inside the repository, e.g. " +
                             moduleId + "/" + fileName);
        }
    }
    std::string rel = intoFolder ? joinPath(p.path, fileName) : p.path;
    for (const auto& part : fs::path(rel))
        if (part == ".git")
            throw UsageError("target " + shown + " is inside .git: give a path in the working folder, e.g. " +
                             moduleId + "/" + fileName);
    // Symbolic links on the way must not lead out of the repository.
    const fs::path canonicalRoot = fs::weakly_canonical(root);
    const fs::path real = fs::weakly_canonical(root / rel);
    if (!isInside(real, canonicalRoot))
        throw UsageError("target " + rel + " leads outside the repository through a symbolic link (to " +
                         real.string() + "): give a path inside the repository");
    if (fs::exists(fs::symlink_status(root / rel)))
        throw UsageError(rel + " already exists: choose another place or name with --to, or remove it first");
    for (fs::path dir = fs::path(rel).parent_path(); !dir.empty(); dir = dir.parent_path()) {
        const fs::file_status st = fs::status(root / dir);
        if (fs::exists(st) && !fs::is_directory(st))
            throw UsageError(dir.generic_string() +
                             " is a file, not a folder: choose another place with --to");
    }
    return rel;
}

// Removes what an import created (the copy and the folders made for it) after a failure.
void undo(const fs::path& root, const std::string& rel, const fs::path& firstCreated) {
    std::error_code ec;
    fs::remove(root / rel, ec);
    if (!firstCreated.empty()) fs::remove_all(root / firstCreated, ec);
}

} // namespace

std::string partIdFromFileName(const fs::path& file) {
    std::string stem = file.filename().string();
    if (auto dot = stem.rfind('.'); dot != std::string::npos && dot > 0) stem.resize(dot);
    std::string id;
    for (unsigned char c : stem) {
        const char l = static_cast<char>(std::tolower(c));
        const bool ok = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '.';
        if (ok)
            id += l;
        else if (id.empty() || id.back() != '-')
            id += '-';
    }
    auto trim = [](char c) { return c == '-' || c == '.'; };
    while (!id.empty() && trim(id.back()))
        id.pop_back();
    std::size_t start = 0;
    while (start < id.size() && trim(id[start]))
        ++start;
    return id.substr(start);
}

ImportResult importGeometry(const fs::path& repoDir, const ImportRequest& req) {
    const fs::path root = fs::absolute(repoDir).lexically_normal();

    // The request itself.
    if (req.source.empty())
        throw UsageError("the source of the geometry is missing: give where it came from (a URL or catalogue "
                         "reference)");
    if (req.author.empty()) throw UsageError("the author of the geometry is missing: give who made it");
    if (req.license.empty())
        throw UsageError("the licence of the geometry is missing: give the SPDX expression it was published "
                         "under, e.g. CC-BY-4.0");
    if (req.quantity < 1 || req.quantity > 1000000)
        throw UsageError("quantity must be a positive integer of at most 1,000,000, got " +
                         std::to_string(req.quantity));
    std::string retrieved = req.retrieved.empty() ? today() : req.retrieved;
    if (retrieved.size() != 10 || !detail::isIsoDate(retrieved))
        throw UsageError("retrieval date '" + retrieved +
                         "' is not a valid date: write it YYYY-MM-DD (ISO 8601), e.g. 2026-11-01");

    // The file.
    std::error_code ec;
    const fs::file_status st = fs::status(req.file, ec);
    if (!fs::exists(st)) throw UsageError("file to import not found: " + req.file.string());
    if (!fs::is_regular_file(st))
        throw UsageError(req.file.string() + " is not a regular file: give the geometry file to import");
    const std::string bytes = readBytes(req.file);
    if (bytes.empty()) throw UsageError(req.file.string() + " is empty: there is no geometry to import");

    // The project and the module.
    if (!fs::is_regular_file(root / "telar.toml"))
        throw UsageError("no telar.toml in " + root.string() + ": run `telar init` first");
    std::vector<Diagnostic> projectDiags;
    const ProjectManifest project =
        parseProjectManifest(readBytes(root / "telar.toml"), "telar.toml", projectDiags);
    throwFirstError(projectDiags);
    const std::vector<std::string> extraIds = project.declaredLicenseIds();

    std::string moduleId = req.module;
    while (!moduleId.empty() && moduleId.back() == '/')
        moduleId.pop_back();
    if (moduleId.empty()) throw UsageError("the module is missing: give the id of the module to import into");
    if (!isValidModuleId(moduleId))
        throw UsageError("'" + moduleId +
                         "' is not a module id: module ids are folder paths such as frame or axes/x");
    const std::string manifestFile = moduleId + "/module.toml";
    if (!fs::is_regular_file(root / manifestFile))
        throw UsageError("no module '" + moduleId + "'" + didYouMean(moduleId, moduleIdsUnder(root)) + ": " +
                         manifestFile +
                         " does not exist; name an existing module, or add it with `telar module add " +
                         moduleId + "`");
    const std::string moduleText = readBytes(root / manifestFile);
    std::vector<Diagnostic> moduleDiags;
    const ModuleManifest module =
        parseModuleManifest(moduleText, manifestFile, moduleId, moduleDiags, extraIds);
    throwFirstError(moduleDiags);

    // The origin licence, against the project's catalogue (built-in plus [[license]]).
    const license::Catalog catalog = licenseCatalog(project);
    if (auto err = license::checkExpression(req.license, catalog))
        throw UsageError("origin licence '" + req.license + "' is not a valid SPDX expression: " + *err);
    const std::string originLicense = license::normalizeExpression(req.license, catalog);

    // The part.
    Part part;
    part.id = req.partId.empty() ? partIdFromFileName(req.file) : req.partId;
    if (!isValidId(part.id))
        throw UsageError(part.id.empty() ? "cannot derive a part id from the file name " +
                                               req.file.filename().string() + ": give one with --id"
                                         : "'" + part.id +
                                               "' is not a valid part id ([a-z0-9][a-z0-9._-]*): "
                                               "give one with --id");
    if (module.findPart(part.id))
        throw UsageError("module '" + moduleId + "' already has a part '" + part.id +
                         "': give the new part another id with --id");
    part.name = req.name;
    if (part.name.empty()) {
        part.name = req.file.filename().string();
        if (auto dot = part.name.rfind('.'); dot != std::string::npos && dot > 0) part.name.resize(dot);
    }
    part.quantity = req.quantity;
    if (!req.material.empty() || !req.process.empty()) {
        const Catalog materials = Catalog::loadDefault();
        if (!req.material.empty() && !materials.material(req.material))
            throw UsageError("unknown material '" + req.material + "'" +
                             suggestion(materials.suggestMaterials(req.material)) +
                             "; the materials are listed in " +
                             (Catalog::resourceDir() / "materials.toml").string());
        if (!req.process.empty() && !materials.process(req.process))
            throw UsageError("unknown process '" + req.process + "'" +
                             suggestion(materials.suggestProcesses(req.process)) +
                             "; the processes are listed in " +
                             (Catalog::resourceDir() / "processes.toml").string());
    }
    part.material = req.material;
    part.process = req.process;

    std::string target;
    try {
        target = targetPath(root, req, moduleId);
    } catch (const fs::filesystem_error& e) {
        throw Error("cannot check where to put " + req.file.filename().string() + ": " + e.what());
    }
    part.file = fs::path(target).lexically_relative(moduleId).generic_string();

    // May the module's licence include the geometry as it comes (unmodified)?
    const bool fromProject = module.license.empty();
    const std::string work = fromProject ? project.license : module.license;
    if (work.empty())
        throw ImportRefused(
            "cannot import " + req.file.filename().string() + " into module '" + moduleId + "': neither " +
            manifestFile + " nor telar.toml names a licence, so nothing says whether the module can honour " +
            originLicense + "; set license in [module] or in telar.toml's [project] first");
    const license::InclusionResult inclusion = license::checkInclusion(originLicense, work, catalog, {false});
    if (!inclusion.compatible)
        throw ImportRefused("cannot import " + req.file.filename().string() + " into module '" + moduleId +
                            "': its licence " + work + (fromProject ? " (from telar.toml)" : "") +
                            " cannot honour the origin licence " + originLicense + ": " +
                            sentence(inclusion.reason) +
                            " Import it into a module whose licence can include " + originLicense +
                            ", or obtain the geometry under a licence " + work + " can include.");

    Origin origin;
    origin.source = req.source;
    origin.license = originLicense;
    origin.author = req.author;
    origin.retrieved = retrieved;
    origin.sha256 = sha256Hex(bytes);
    part.origin = origin;
    const std::string newText = appendPart(moduleText, manifestFile, part, extraIds);

    // Write: the copy first, then the manifest; undo the copy when the manifest cannot be written.
    fs::path firstCreated;
    for (fs::path dir = fs::path(target).parent_path(); !dir.empty(); dir = dir.parent_path())
        if (!fs::exists(root / dir)) firstCreated = dir;
    try {
        if (!firstCreated.empty()) fs::create_directories(root / fs::path(target).parent_path());
        writeFileAtomically(root / target, bytes);
        writeFileAtomically(root / manifestFile, newText);
    } catch (const fs::filesystem_error& e) {
        undo(root, target, firstCreated);
        throw Error("cannot create the folder for " + target + ": " + e.code().message());
    } catch (...) {
        undo(root, target, firstCreated);
        throw;
    }

    ImportResult result;
    result.module = moduleId;
    result.manifest = manifestFile;
    result.path = target;
    result.part = std::move(part);
    result.workLicense = work;
    result.effects = inclusion.effects;
    result.size = bytes.size();
    return result;
}

} // namespace telar::core

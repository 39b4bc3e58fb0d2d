// Computing a BOM: roll-up through `use`, geometry through the cache, assembly expansion with
// rules, estimates, fab decisions, totals and the tree view.
#include "telar/core/bom.h"

#include "telar/error.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

namespace telar::core {

namespace {

const std::string kUsd = "USD";

std::string slug(std::string_view name) {
    std::string out;
    for (unsigned char c : name) {
        if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
        else if (!out.empty() && out.back() != '-') out += '-';
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "part" : out;
}

// The path to read a manifest file from: after symbolic links when loadDesign resolved them.
std::string readPath(const std::string& filePath, const std::string& resolvedPath) {
    return resolvedPath.empty() ? filePath : resolvedPath;
}

std::string suggestion(const std::vector<std::string>& candidates) {
    return candidates.empty() ? "" : " (did you mean '" + candidates.front() + "'?)";
}

// Everything computing lines needs.
class LineBuilder {
public:
    LineBuilder(const Design& design, const Catalog& catalog, const FabProfile* fab,
                const std::map<std::string, GeometryOutcome>& geometry)
        : m_design(design), m_catalog(catalog), m_fab(fab), m_geometry(geometry) {}

    std::string currency() const { return m_fab ? m_fab->currency : kUsd; }
    double usdRate() const { return m_fab ? m_fab->usdRate : 1.0; }

    void addModule(const ModuleManifest& module, std::int64_t count, std::vector<BomLine>& out) {
        std::set<std::string> ids;
        for (const auto& part : module.parts) ids.insert(part.id);
        for (const auto& part : module.parts) out.push_back(partLine(module, part, count));
        for (const auto& assembly : module.assemblies) addAssembly(module, assembly, count, ids, out);
    }

private:
    BomLine base(const ModuleManifest& module, std::int64_t count, std::int64_t perModule) {
        BomLine line;
        line.module = module.id;
        line.moduleQuantity = perModule;
        line.quantity = count > 0 && perModule > INT64_MAX / count ? INT64_MAX : perModule * count;
        line.currency = currency();
        return line;
    }

    // Looks up the geometry of a file into line (file, blob, errors); nullptr when there is none.
    const cad::AnalysisResult* geometryOf(BomLine& line, const std::string& file, const std::string& path) {
        line.file = file;
        auto it = m_geometry.find(path);
        if (it == m_geometry.end()) return nullptr;
        line.blobId = it->second.blobId;
        if (!it->second.ok()) {
            line.errors.push_back(it->second.error + (it->second.cachedFailure ? " (cached failure)" : ""));
            return nullptr;
        }
        return &*it->second.result;
    }

    BomLine partLine(const ModuleManifest& module, const Part& part, std::int64_t count) {
        BomLine line = base(module, count, part.quantity);
        line.partId = part.id;
        line.name = part.name.empty() ? part.id : part.name;
        line.process = part.process;
        line.material = part.material;
        line.supplier = part.supplier;
        line.sku = part.sku;
        line.license = m_design.effectiveLicense(module, part);
        std::optional<PartGeometry> geometry;
        if (!part.file.empty()) {
            if (part.filePath.empty()) {
                line.file = part.file;
                line.errors.push_back("file '" + part.file + "' is not a safe path inside the repository");
            } else if (const cad::AnalysisResult* r =
                           geometryOf(line, part.filePath, readPath(part.filePath, part.resolvedPath))) {
                geometry = wholeFile(*r, line);
            }
        }
        finish(line, geometry, part.unitCost, part.currency);
        return line;
    }

    // The geometry of a single-part file; a file holding several parts is measured as one.
    static PartGeometry wholeFile(const cad::AnalysisResult& r, BomLine& line) {
        PartGeometry g;
        if (r.parts.size() == 1 && r.parts[0].quantity == 1) {
            const auto& p = r.parts[0];
            g.volume = p.volume;
            g.area = p.area;
            g.size = {p.orientedSize.x, p.orientedSize.y, p.orientedSize.z};
        } else {
            g.volume = r.totals.volume;
            g.area = r.totals.area;
            const cad::Vec3 s = r.totals.bbox.size();
            g.size = {s.x, s.y, s.z};
            std::sort(g.size.begin(), g.size.end(), std::greater<>());
            line.warnings.push_back("the file holds " + std::to_string(r.totals.instances) +
                                    " solids; measured as one part (use [[assembly]] to list them)");
        }
        for (const auto& w : r.warnings) line.warnings.push_back(w);
        return g;
    }

    void addAssembly(const ModuleManifest& module, const Assembly& assembly, std::int64_t count,
                     std::set<std::string>& ids, std::vector<BomLine>& out) {
        const std::string stem = slug(std::filesystem::path(assembly.file).stem().string());
        BomLine failed = base(module, count, 1);
        failed.partId = stem;
        failed.name = assembly.file;
        failed.assembly = assembly.filePath.empty() ? assembly.file : assembly.filePath;
        failed.process = assembly.process;
        failed.material = assembly.material;
        failed.license = m_design.effectiveLicense(module, assembly);
        if (assembly.filePath.empty()) {
            failed.file = assembly.file;
            failed.errors.push_back("file '" + assembly.file + "' is not a safe path inside the repository");
            out.push_back(std::move(failed));
            return;
        }
        const cad::AnalysisResult* r =
            geometryOf(failed, assembly.filePath, readPath(assembly.filePath, assembly.resolvedPath));
        if (!r) {
            if (failed.errors.empty()) failed.errors.push_back(assembly.filePath + ": no geometry");
            out.push_back(std::move(failed));
            return;
        }
        if (r->parts.empty()) {
            failed.errors.push_back(assembly.filePath + ": the assembly holds no solid parts");
            out.push_back(std::move(failed));
            return;
        }
        for (const auto& p : r->parts) {
            if (p.quantity <= 0) continue;
            BomLine line = base(module, count, p.quantity);
            std::string id = slug(p.name);
            for (int n = 2; ids.count(id); ++n) id = slug(p.name) + "-" + std::to_string(n);
            ids.insert(id);
            line.partId = id;
            line.name = p.name;
            line.assembly = assembly.filePath;
            line.file = failed.file;
            line.blobId = failed.blobId;
            line.license = failed.license;
            line.process = assembly.process;
            line.material = assembly.material;
            bool materialByRule = false;
            for (const auto& rule : assembly.rules) {
                bool hit = globMatch(rule.match, p.name);
                for (const auto& raw : p.rawNames) hit = hit || globMatch(rule.match, raw);
                if (!hit) continue;
                if (!rule.process.empty()) line.process = rule.process;
                if (!rule.material.empty()) {
                    line.material = rule.material;
                    materialByRule = true;
                }
            }
            if (line.process.empty())
                line.errors.push_back("no process for '" + p.name +
                                      "': set process on the [[assembly]] or add an [[assembly.rule]] matching it");
            auto process = m_catalog.process(line.process);
            if (process && process->estimator == "purchased" && !materialByRule) line.material.clear();
            PartGeometry g;
            g.volume = p.volume;
            g.area = p.area;
            g.size = {p.orientedSize.x, p.orientedSize.y, p.orientedSize.z};
            finish(line, g, std::nullopt, {});
            out.push_back(std::move(line));
        }
        if (!r->warnings.empty() && !out.empty())
            for (const auto& w : r->warnings) out.back().warnings.push_back(w);
    }

    // Catalogue lookups, mass, estimate, fab decision and cost.
    void finish(BomLine& line, const std::optional<PartGeometry>& geometry, std::optional<double> unitCost,
                const std::string& costCurrency) {
        std::optional<Process> process;
        if (line.process.empty()) {
            if (line.errors.empty()) line.errors.push_back("no process");
        } else if (!(process = m_catalog.process(line.process))) {
            line.errors.push_back("unknown process '" + line.process + "'" +
                                  suggestion(m_catalog.suggestProcesses(line.process)));
        }
        std::optional<Material> material;
        if (!line.material.empty()) {
            material = m_catalog.material(line.material);
            if (!material)
                line.errors.push_back("unknown material '" + line.material + "'" +
                                      suggestion(m_catalog.suggestMaterials(line.material)));
        }
        if (geometry) {
            line.volume = geometry->volume;
            line.area = geometry->area;
            line.stockSize = geometry->size;
            if (material) line.mass = geometry->volume / 1000.0 * material->density;
        }
        if (!process) return;
        line.estimator = process->estimator;
        const bool purchased = process->estimator == "purchased";
        const bool labour = process->estimator == "labour";
        if (!purchased) {
            if (line.material.empty())
                line.errors.push_back("no material for " + line.process + ": mass and cost cannot be computed");
            if (!geometry && line.file.empty() && !labour)
                line.warnings.push_back("no CAD file: material and machine time are not estimated");
            if (geometry && !(geometry->volume > 0))
                line.errors.push_back(line.file + ": the geometry has no volume (open or not solid)");
            if (material && !process->takes(*material))
                line.warnings.push_back(process->id + " does not usually take " + material->id + " (" +
                                        material->kind() + ")");
        }

        FabDecision decision;
        if (m_fab) {
            decision = decideFab(*m_fab, *process, geometry ? &*geometry : nullptr);
            line.fabStatus = decision.status;
            line.fabReason = decision.reason;
            line.fabMachine = decision.machine;
        }
        double pricePerKg = 0;
        if (material) {
            auto fabPrice = m_fab ? m_fab->materialPrices.find(material->id) : std::map<std::string, double>::const_iterator{};
            pricePerKg = (m_fab && fabPrice != m_fab->materialPrices.end()) ? fabPrice->second
                                                                             : material->pricePerKg * usdRate();
        }
        double rate = process->hourlyRate * usdRate();
        if (decision.hourlyRate > 0) rate = decision.hourlyRate;
        else if (labour && m_fab && m_fab->labourRate > 0) rate = m_fab->labourRate;
        line.estimate = estimatePart(*process, material ? &*material : nullptr, geometry ? &*geometry : nullptr,
                                     pricePerKg, rate);
        for (const auto& w : line.estimate->warnings) line.warnings.push_back(w);

        if (purchased) {
            line.unitCost = purchasedCost(line, *process, geometry, unitCost, costCurrency);
        } else if ((geometry || labour) && (material || labour) && line.errors.empty()) {
            line.unitCost = line.estimate->unitCost();
        }
        if (line.unitCost) line.lineCost = *line.unitCost * static_cast<double>(line.quantity);
    }

    std::optional<double> purchasedCost(BomLine& line, const Process& process, const std::optional<PartGeometry>& g,
                                        std::optional<double> unitCost, const std::string& costCurrency) {
        if (unitCost) {
            const std::string from = costCurrency.empty() ? kUsd : costCurrency;
            if (from == currency()) return *unitCost;
            if (from == kUsd) return *unitCost * usdRate();
            line.warnings.push_back("unit_cost in " + from + " cannot be converted to " + currency() +
                                    " (give it in USD or in the fab's currency)");
            return std::nullopt;
        }
        if (double perCm2 = process.parameter("price_per_cm2"); perCm2 > 0 && g) {
            const double cm2 = g->size[0] * g->size[1] / 100.0;
            return cm2 * perCm2 * usdRate();
        }
        line.warnings.push_back("no unit_cost for a purchased part: cost unknown");
        return std::nullopt;
    }

    const Design& m_design;
    const Catalog& m_catalog;
    const FabProfile* m_fab;
    const std::map<std::string, GeometryOutcome>& m_geometry;
};

void addTo(BomTotals& t, const BomLine& line) {
    ++t.lines;
    t.pieces += line.quantity;
    if (line.mass) t.mass += *line.mass * static_cast<double>(line.quantity);
    if (line.lineCost) t.cost += *line.lineCost;
    else ++t.unknownCost;
    if (!line.ok()) ++t.errors;
}

BomNode buildNode(const Design& design, const std::string& module, std::int64_t quantity, std::int64_t count,
                  const std::multimap<std::string, std::size_t>& linesByModule, const std::vector<BomLine>& lines,
                  std::vector<std::string>& path) {
    BomNode node;
    node.module = module;
    if (const ModuleManifest* m = design.module(module)) node.name = m->name;
    node.quantity = quantity;
    node.count = count;
    auto [lo, hi] = linesByModule.equal_range(module);
    for (auto it = lo; it != hi; ++it) {
        node.lines.push_back(it->second);
        const BomLine& line = lines[it->second];
        const double q = static_cast<double>(line.moduleQuantity);
        if (line.unitCost) node.unitCost += *line.unitCost * q;
        if (line.mass) node.unitMass += *line.mass * q;
    }
    path.push_back(module);
    for (const ModuleUse& use : design.graph.children(module)) {
        if (!design.module(use.module) || std::find(path.begin(), path.end(), use.module) != path.end()) continue;
        const std::int64_t childCount = use.quantity > 0 && count > INT64_MAX / use.quantity ? INT64_MAX : count * use.quantity;
        BomNode child = buildNode(design, use.module, use.quantity, childCount, linesByModule, lines, path);
        node.unitCost += child.unitCost * static_cast<double>(use.quantity);
        node.unitMass += child.unitMass * static_cast<double>(use.quantity);
        node.children.push_back(std::move(child));
    }
    path.pop_back();
    return node;
}

std::vector<std::string> moduleIds(const Design& design) {
    std::vector<std::string> out;
    for (const auto& [id, m] : design.modules) out.push_back(id);
    return out;
}

} // namespace

bool globMatch(std::string_view pattern, std::string_view name) {
    auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
    while (n < name.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || (pattern[p] != '*' && lower(pattern[p]) == lower(name[n])))) {
            ++p;
            ++n;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = n;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            n = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

Bom computeBom(const Design& design, const Tree& tree, const Catalog& catalog, GeometryCache& cache,
               const BomOptions& options, const Progress& progress) {
    Bom bom;
    bom.treeName = design.treeName;
    bom.commitId = design.commitId;
    bom.roots = options.roots.empty() ? design.project.products : options.roots;
    if (options.fab) {
        bom.currency = options.fab->currency;
        bom.fabName = options.fab->name;
    }
    if (bom.roots.empty())
        throw UsageError("no module given and telar.toml names no products: give a module id, e.g. `telar bom frame`");
    for (const auto& root : bom.roots)
        if (!design.module(root))
            throw UsageError("no module '" + root + "' in " + design.treeName +
                             didYouMean(root, moduleIds(design)));

    // How many of each module the products hold, in graph order (each before what it uses).
    std::map<std::string, std::int64_t> counts;
    for (const auto& root : bom.roots)
        for (const auto& [id, n] : design.graph.rollUp(root)) {
            auto& c = counts[id];
            c = n > INT64_MAX - c ? INT64_MAX : c + n;
        }
    std::vector<std::string> order;
    for (const auto& id : design.graph.topologicalOrder())
        if (counts.count(id) && design.module(id)) order.push_back(id);

    // Geometry of every file the lines need, in one batch.
    std::vector<std::string> paths;
    std::set<std::string> seen;
    auto want = [&](const std::string& filePath, const std::string& resolved) {
        const std::string p = readPath(filePath, resolved);
        if (!filePath.empty() && seen.insert(p).second) paths.push_back(p);
    };
    for (const auto& id : order) {
        const ModuleManifest& m = *design.module(id);
        for (const auto& part : m.parts) want(part.filePath, part.resolvedPath);
        for (const auto& a : m.assemblies) want(a.filePath, a.resolvedPath);
    }
    progress.report(0.05, "analysing geometry");
    std::map<std::string, GeometryOutcome> geometry;
    for (auto& o : cache.analyze(tree, paths, progress.child(0.05, 0.95))) geometry[o.path] = std::move(o);
    bom.geometry = cache.lastStats();
    progress.throwIfCancelled();

    LineBuilder builder(design, catalog, options.fab, geometry);
    for (const auto& id : order) builder.addModule(*design.module(id), counts[id], bom.lines);

    std::multimap<std::string, std::size_t> linesByModule;
    for (std::size_t i = 0; i < bom.lines.size(); ++i) {
        const BomLine& line = bom.lines[i];
        linesByModule.emplace(line.module, i);
        addTo(bom.moduleTotals[line.module], line);
        addTo(bom.processTotals[line.process], line);
        addTo(bom.total, line);
    }
    for (const auto& root : bom.roots) {
        std::vector<std::string> path;
        bom.tree.push_back(buildNode(design, root, 1, 1, linesByModule, bom.lines, path));
    }

    // Manifest errors outside parts and assemblies (syntax, use of missing modules) would leave
    // parts out silently: they are problems of the BOM. Part-level ones are on the lines.
    std::set<std::string> files = {"telar.toml"};
    for (const auto& id : order) files.insert(id + "/module.toml");
    for (const auto& d : design.diagnostics) {
        if (d.severity != Severity::Error || !files.count(d.file)) continue;
        const bool relevant = d.field.empty() || d.field.rfind("use[", 0) == 0 ||
                              d.field.rfind("project.products", 0) == 0;
        if (!relevant) continue;
        bom.problems.push_back(d.str());
    }
    progress.report(1.0);
    return bom;
}

} // namespace telar::core

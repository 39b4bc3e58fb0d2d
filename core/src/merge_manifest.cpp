// The structural three-way merge of manifests: records keyed by id, fields compared by value,
// the result written as line patches on our text (see merge_manifest.h).

#include "merge_manifest.h"

#include "telar/core/manifest.h"
#include "telar/error.h"
#include "toml_util.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <sstream>

namespace telar::core::detail {

namespace {

// A manifest's text split into lines (1-based access).
struct Text {
    std::vector<std::string> lines;
    bool finalNewline = true;

    explicit Text(std::string_view s) {
        std::size_t pos = 0;
        while (pos < s.size()) {
            std::size_t nl = s.find('\n', pos);
            if (nl == std::string_view::npos) {
                lines.emplace_back(s.substr(pos));
                finalNewline = false;
                break;
            }
            lines.emplace_back(s.substr(pos, nl - pos));
            pos = nl + 1;
        }
    }
    std::size_t size() const { return lines.size(); }
    std::string_view line(std::size_t n) const {
        return n >= 1 && n <= lines.size() ? std::string_view(lines[n - 1]) : std::string_view();
    }
    std::string_view trimmed(std::size_t n) const {
        std::string_view l = line(n);
        while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
        while (!l.empty() && (l.back() == ' ' || l.back() == '\t' || l.back() == '\r')) l.remove_suffix(1);
        return l;
    }
    bool isBlank(std::size_t n) const { return n >= 1 && n <= lines.size() && trimmed(n).empty(); }
    bool isComment(std::size_t n) const { return !trimmed(n).empty() && trimmed(n).front() == '#'; }
    bool isHeader(std::size_t n) const { return !trimmed(n).empty() && trimmed(n).front() == '['; }
    std::vector<std::string> slice(std::size_t first, std::size_t last) const {
        std::vector<std::string> out;
        for (std::size_t i = first; i <= last && i <= lines.size(); ++i) out.push_back(lines[i - 1]);
        return out;
    }
};

// Line patches on one Text, applied all at once.
class Edits {
public:
    // Replaces lines first..last (1-based, inclusive) with lines; empty lines removes them.
    void replace(std::size_t first, std::size_t last, std::vector<std::string> lines) {
        for (const auto& [f, r] : m_replace)
            if (!(last < f || first > r.first))
                throw std::logic_error("overlapping manifest edits at lines " + std::to_string(first));
        m_replace[first] = {last, std::move(lines)};
    }
    void remove(std::size_t first, std::size_t last) { replace(first, last, {}); }
    // Inserts lines after line `after` (0: at the top).
    void insertAfter(std::size_t after, const std::vector<std::string>& lines) {
        auto& v = m_insert[after];
        v.insert(v.end(), lines.begin(), lines.end());
    }
    bool empty() const { return m_replace.empty() && m_insert.empty(); }

    std::string apply(const Text& t) const {
        std::vector<std::string> out;
        auto emitInsert = [&](std::size_t after) {
            if (auto it = m_insert.find(after); it != m_insert.end())
                out.insert(out.end(), it->second.begin(), it->second.end());
        };
        emitInsert(0);
        for (std::size_t i = 1; i <= t.size();) {
            if (auto it = m_replace.find(i); it != m_replace.end()) {
                out.insert(out.end(), it->second.second.begin(), it->second.second.end());
                for (std::size_t j = i; j <= it->second.first; ++j) emitInsert(j);
                i = it->second.first + 1;
                continue;
            }
            out.push_back(t.lines[i - 1]);
            emitInsert(i);
            ++i;
        }
        std::string s;
        for (std::size_t i = 0; i < out.size(); ++i) {
            s += out[i];
            if (i + 1 < out.size() || t.finalNewline) s += '\n';
        }
        return s;
    }

private:
    std::map<std::size_t, std::pair<std::size_t, std::vector<std::string>>> m_replace;
    std::map<std::size_t, std::vector<std::string>> m_insert;
};

// A structural merge is not possible; the caller falls back to a file conflict.
struct NotStructural {
    std::string reason;
};

enum class NodeKind { Leaf, Table, TableArray, Opaque };

NodeKind classify(const toml::node& n, const Text& text) {
    if (const toml::table* t = n.as_table()) {
        if (t->is_inline()) return NodeKind::Leaf;
        return text.isHeader(t->source().begin.line) ? NodeKind::Table : NodeKind::Opaque;
    }
    if (const toml::array* a = n.as_array()) {
        if (!a->empty() && a->is_array_of_tables()) {
            const toml::table* t0 = (*a)[0].as_table();
            if (t0 && t0->is_inline()) return NodeKind::Leaf;
            return t0 && text.isHeader(t0->source().begin.line) ? NodeKind::TableArray : NodeKind::Opaque;
        }
    }
    return NodeKind::Leaf;
}

// A canonical text of a value (tables with sorted keys), to compare values across sides.
std::string canon(const toml::node& n) {
    if (const toml::table* t = n.as_table()) {
        std::string s = "{";
        for (auto&& [k, v] : *t) s += quoteToml(k.str()) + "=" + canon(v) + ",";
        return s + "}";
    }
    if (const toml::array* a = n.as_array()) {
        std::string s = "[";
        for (const auto& e : *a) s += canon(e) + ",";
        return s + "]";
    }
    if (auto v = n.value<std::string>(); v && n.is_string()) return quoteToml(*v);
    if (n.is_integer()) return std::to_string(n.as_integer()->get());
    if (n.is_floating_point()) {
        char buf[64];
        auto r = std::to_chars(buf, buf + sizeof buf, n.as_floating_point()->get());
        return std::string(buf, r.ptr);
    }
    if (n.is_boolean()) return n.as_boolean()->get() ? "true" : "false";
    std::ostringstream os;
    if (n.is_date()) os << n.as_date()->get();
    else if (n.is_time()) os << n.as_time()->get();
    else if (n.is_date_time()) os << n.as_date_time()->get();
    return os.str();
}

std::optional<std::string> canonOf(const toml::node* n) {
    if (!n) return std::nullopt;
    return canon(*n);
}

// What a person reads for a value: strings without quotes, the rest as TOML.
std::string display(const toml::node* n) {
    if (!n) return "";
    if (n->is_string()) return n->as_string()->get();
    return canon(*n);
}

std::string shown(const std::string& v) { return v.empty() ? "(none)" : v; }

// The key that identifies elements of an array of tables.
std::string elementKeyField(std::string_view name) {
    if (name == "part" || name == "license") return "id";
    if (name == "use") return "module";
    if (name == "assembly") return "file";
    if (name == "lineage") return "commit";
    if (name == "rule") return "match";
    return "";
}

// Elements of an array of tables by key, in file order. Throws NotStructural on duplicates.
std::vector<std::pair<std::string, const toml::table*>> elements(const toml::array* a, std::string_view name) {
    std::vector<std::pair<std::string, const toml::table*>> out;
    if (!a) return out;
    const std::string field = elementKeyField(name);
    std::size_t index = 0;
    for (const auto& e : *a) {
        ++index;
        const toml::table* t = e.as_table();
        if (!t) throw NotStructural{"'" + std::string(name) + "' mixes tables and values"};
        std::string key;
        if (!field.empty())
            if (auto v = t->get_as<std::string>(field)) key = v->get();
        if (key.empty()) key = "#" + std::to_string(index);
        for (const auto& [k, _] : out)
            if (k == key) throw NotStructural{"two [[" + std::string(name) + "]] entries share the key '" + key + "'"};
        out.emplace_back(key, t);
    }
    return out;
}

const toml::table* elementByKey(const toml::array* a, std::string_view name, const std::string& key) {
    for (const auto& [k, t] : elements(a, name))
        if (k == key) return t;
    return nullptr;
}

// The last line of a node and everything under it.
std::size_t lastLineAll(const toml::node& n) {
    std::size_t last = n.source().end.line;
    if (const toml::table* t = n.as_table())
        for (auto&& [k, v] : *t) last = std::max(last, lastLineAll(v));
    if (const toml::array* a = n.as_array())
        for (const auto& e : *a) last = std::max(last, lastLineAll(e));
    return last;
}

// The last line of a table's own keys (not its sub-tables with headers); 0 when none.
std::size_t lastOwnLine(const toml::table& t, const Text& text) {
    std::size_t last = 0;
    for (auto&& [k, v] : t) {
        NodeKind kind = classify(v, text);
        if (kind == NodeKind::Table || kind == NodeKind::TableArray) continue;
        last = std::max<std::size_t>({last, k.source().begin.line, lastLineAll(v)});
    }
    return last;
}

// First line of a table's block: its header, or the comment lines right above it.
std::size_t blockStart(const toml::table& t, const Text& text) {
    std::size_t start = t.source().begin.line;
    while (start > 1 && text.isComment(start - 1)) --start;
    return start;
}

// The lines of one key = value (the key's line to the value's last line).
std::pair<std::size_t, std::size_t> leafLines(const toml::table& t, const std::string& key, const Text& text) {
    for (auto&& [k, v] : t) {
        if (k.str() != key) continue;
        std::size_t first = k.source().begin.line;
        std::size_t last = std::max<std::size_t>(first, lastLineAll(v));
        std::string_view line = text.trimmed(first);
        const std::size_t indent = text.line(first).find_first_not_of(" \t");
        if (first == 0 || line.empty() || line.front() == '[' ||
            static_cast<std::size_t>(k.source().begin.column) != indent + 1)
            throw NotStructural{"key '" + key + "' is not on a line of its own"};
        return {first, last};
    }
    throw NotStructural{"key '" + key + "' not found"};
}

struct Side {
    Text text;
    toml::table doc;
};

std::optional<Side> parseSide(const std::string& text, const std::string& file) {
    std::vector<Diagnostic> diags;
    DiagSink sink(file, diags);
    auto doc = parseToml(text, sink);
    if (!doc) return std::nullopt;
    return Side{Text(text), std::move(*doc)};
}

const toml::table* findTable(const toml::table& root, const TablePath& path) {
    const toml::table* cur = &root;
    for (const auto& step : path) {
        const toml::node* n = cur->get(step.name);
        if (!n) return nullptr;
        if (step.isElement) cur = elementByKey(n->as_array(), step.name, step.element);
        else cur = n->as_table();
        if (!cur) return nullptr;
    }
    return cur;
}

// Where a new record goes in ours: after the last element of its array, else after its parent's
// block, else at the end of the file.
std::size_t insertionPoint(const Text& ours, const toml::table& oursParent, bool parentIsRoot,
                           const toml::array* oursArray) {
    if (oursArray && !oursArray->empty()) return lastLineAll(oursArray->back());
    if (parentIsRoot) return ours.size();
    return lastLineAll(oursParent);
}

// The lines of a record copied from theirs, with a blank line in front for top-level records.
std::vector<std::string> recordLines(const toml::table& t, const Text& text, bool topLevel) {
    std::vector<std::string> lines;
    if (topLevel) lines.emplace_back();
    auto body = text.slice(blockStart(t, text), lastLineAll(t));
    lines.insert(lines.end(), body.begin(), body.end());
    return lines;
}

void removeRecord(Edits& edits, const toml::table& t, const Text& text) {
    std::size_t first = blockStart(t, text);
    std::size_t last = lastLineAll(t);
    if (first > 1 && text.isBlank(first - 1)) --first;
    edits.remove(first, last);
}

// Applies theirs' value of key (present or absent) to ours' table.
void applyLeaf(Edits& edits, const Side& ours, const toml::table& oTable, bool oIsRoot, const Side& theirs,
               const toml::table* tTable, const std::string& key) {
    const toml::node* no = oTable.get(key);
    const toml::node* nt = tTable ? tTable->get(key) : nullptr;
    if (no && nt) {
        auto [of, ol] = leafLines(oTable, key, ours.text);
        auto [tf, tl] = leafLines(*tTable, key, theirs.text);
        edits.replace(of, ol, theirs.text.slice(tf, tl));
    } else if (nt) {
        auto [tf, tl] = leafLines(*tTable, key, theirs.text);
        std::size_t after = lastOwnLine(oTable, ours.text);
        if (after == 0 && !oIsRoot) after = oTable.source().begin.line;
        edits.insertAfter(after, theirs.text.slice(tf, tl));
    } else if (no) {
        auto [of, ol] = leafLines(oTable, key, ours.text);
        edits.remove(of, ol);
    }
}

std::string joinPath(const std::string& a, const std::string& b) {
    if (a.empty()) return b;
    if (b.empty()) return a;
    return a + "." + b;
}

// Top-level keys of telar.toml that describe the repository they are in (where it was forked
// from): a merge always keeps ours, whatever theirs did to them.
bool isForkRecordKey(const std::string& key) { return key == "upstream" || key == "lineage"; }

class Merger {
public:
    // project: the file is telar.toml, whose [upstream] and [[lineage]] always stay ours.
    Merger(const Side& base, const Side& ours, const Side& theirs, bool project)
        : m_base(base), m_ours(ours), m_theirs(theirs), m_project(project) {}

    void run() { mergeTable(&m_base.doc, m_ours.doc, m_theirs.doc, {}); }
    Edits& edits() { return m_edits; }
    std::vector<ManifestConflict>& conflicts() { return m_conflicts; }

private:
    // Keys of the three tables: ours' in file order, then theirs' new ones, then base-only ones.
    std::vector<std::string> keysOf(const toml::table* b, const toml::table& o, const toml::table& t) {
        auto ordered = [](const toml::table& tb) {
            std::vector<std::pair<std::size_t, std::string>> v;
            for (auto&& [k, _] : tb) v.emplace_back(k.source().begin.line, std::string(k.str()));
            std::stable_sort(v.begin(), v.end(), [](auto& x, auto& y) { return x.first < y.first; });
            std::vector<std::string> out;
            for (auto& [_, k] : v) out.push_back(k);
            return out;
        };
        std::vector<std::string> keys = ordered(o);
        for (const auto& k : ordered(t))
            if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
        if (b)
            for (const auto& k : ordered(*b))
                if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
        return keys;
    }

    void mergeTable(const toml::table* b, const toml::table& o, const toml::table& t, const TablePath& path) {
        for (const auto& key : keysOf(b, o, t)) {
            if (m_project && path.empty() && isForkRecordKey(key)) continue; // ours, untouched
            const toml::node* nb = b ? b->get(key) : nullptr;
            const toml::node* no = o.get(key);
            const toml::node* nt = t.get(key);
            auto cb = canonOf(nb), co = canonOf(no), ct = canonOf(nt);
            std::optional<NodeKind> kind;
            bool mixed = false;
            auto see = [&](const toml::node* n, const Text& text) {
                if (!n) return;
                NodeKind k = classify(*n, text);
                if (kind && *kind != k) mixed = true;
                if (!kind) kind = k;
            };
            see(no, m_ours.text);
            see(nt, m_theirs.text);
            see(nb, m_base.text);
            if (co == ct && (cb == co || !mixed)) continue;
            if (mixed || *kind == NodeKind::Opaque) {
                if (co == ct || cb == ct) continue;
                throw NotStructural{"'" + joinPath(tablePathText(path), key) +
                                    "' is written with dotted keys or changes its form"};
            }
            TablePath sub = path;
            if (*kind == NodeKind::Leaf) {
                if (co == ct || cb == ct) continue;
                if (cb == co) {
                    applyLeaf(m_edits, m_ours, o, path.empty(), m_theirs, &t, key);
                    continue;
                }
                leafConflict(path, key, nb, no, nt);
            } else if (*kind == NodeKind::Table) {
                sub.push_back({key, "", false});
                mergeRecord(sub, nb ? nb->as_table() : nullptr, no ? no->as_table() : nullptr,
                            nt ? nt->as_table() : nullptr, o, path.empty(), nullptr);
            } else {
                const toml::array* ob = nb ? nb->as_array() : nullptr;
                const toml::array* oo = no ? no->as_array() : nullptr;
                const toml::array* ot = nt ? nt->as_array() : nullptr;
                auto be = elements(ob, key), oe = elements(oo, key), te = elements(ot, key);
                std::vector<std::string> ids;
                for (auto* list : {&oe, &te, &be})
                    for (const auto& [id, _] : *list)
                        if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
                auto find = [](const auto& list, const std::string& id) -> const toml::table* {
                    for (const auto& [k, tb] : list)
                        if (k == id) return tb;
                    return nullptr;
                };
                for (const auto& id : ids) {
                    TablePath el = path;
                    el.push_back({key, id, true});
                    mergeRecord(el, find(be, id), find(oe, id), find(te, id), o, path.empty(), oo);
                }
            }
        }
    }

    void mergeRecord(const TablePath& path, const toml::table* b, const toml::table* o, const toml::table* t,
                     const toml::table& oParent, bool parentIsRoot, const toml::array* oArray) {
        if (o && t) {
            mergeTable(b, *o, *t, path);
            return;
        }
        if (!o && !t) return;
        if (o) {
            if (!b) return; // added by us
            if (canon(*b) == canon(*o)) removeRecord(m_edits, *o, m_ours.text);
            else recordConflict(path, b, o, t, "deleted in theirs, changed in ours");
            return;
        }
        if (!b) {
            m_edits.insertAfter(insertionPoint(m_ours.text, oParent, parentIsRoot, oArray),
                                recordLines(*t, m_theirs.text, parentIsRoot));
            return;
        }
        if (canon(*b) != canon(*t)) recordConflict(path, b, o, t, "changed in theirs, deleted in ours");
    }

    void recordConflict(const TablePath& path, const toml::table* b, const toml::table* o, const toml::table* t,
                        const std::string& what) {
        ManifestConflict c;
        const TableStep& last = path.back();
        if (path.size() == 1 && last.isElement && last.name == "part") c.kind = "part", c.part = last.element;
        else if (path.size() == 1 && last.isElement && last.name == "use") c.kind = "use", c.part = last.element;
        else if (path.size() == 1 && last.isElement && last.name == "assembly") c.kind = "part", c.part = last.element;
        else c.kind = "field", c.field = tablePathText(path);
        c.base = b ? "present" : "";
        c.ours = o ? "present" : "deleted";
        c.theirs = t ? "present" : "deleted";
        c.message = tablePathText(path) + ": " + what;
        c.table = path;
        m_conflicts.push_back(std::move(c));
    }

    void leafConflict(const TablePath& path, const std::string& key, const toml::node* nb, const toml::node* no,
                      const toml::node* nt) {
        ManifestConflict c;
        c.kind = "field";
        if (!path.empty() && path[0].isElement && (path[0].name == "part" || path[0].name == "use" ||
                                                   path[0].name == "assembly")) {
            if (path[0].name == "use") c.kind = "use";
            c.part = path[0].element;
            TablePath rest(path.begin() + 1, path.end());
            c.field = joinPath(tablePathText(rest), key);
        } else {
            c.field = joinPath(tablePathText(path), key);
        }
        c.base = display(nb);
        c.ours = display(no);
        c.theirs = display(nt);
        std::string where = c.part.empty() ? "" : (path[0].name == "use" ? "use " : path[0].name + " ") + c.part + ": ";
        c.message = where + c.field + " changed on both sides (base " + shown(c.base) + ", ours " + shown(c.ours) +
                    ", theirs " + shown(c.theirs) + ")";
        c.table = path;
        c.key = key;
        m_conflicts.push_back(std::move(c));
    }

    const Side& m_base;
    const Side& m_ours;
    const Side& m_theirs;
    const bool m_project;
    Edits m_edits;
    std::vector<ManifestConflict> m_conflicts;
};

std::string moduleIdOf(const std::string& file) {
    auto slash = file.rfind('/');
    return slash == std::string::npos ? "" : file.substr(0, slash);
}

// Error count of a manifest text as its parser sees it.
std::size_t manifestErrors(const std::string& text, const std::string& file) {
    std::vector<Diagnostic> diags;
    if (file == "telar.toml") (void)parseProjectManifest(text, file, diags);
    else (void)parseModuleManifest(text, file, moduleIdOf(file), diags);
    return static_cast<std::size_t>(
        std::count_if(diags.begin(), diags.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

ManifestMerge fileConflict(const std::string& ours, const std::string& reason) {
    ManifestMerge m;
    m.text = ours;
    m.structural = false;
    ManifestConflict c;
    c.kind = "file";
    c.base = "";
    c.message = "cannot merge the manifest field by field: " + reason;
    m.conflicts.push_back(std::move(c));
    return m;
}

} // namespace

std::string tablePathText(const TablePath& path) {
    std::string s;
    for (const auto& step : path) {
        if (!s.empty()) s += ".";
        s += step.name;
        if (step.isElement) s += "[" + step.element + "]";
    }
    return s;
}

ManifestMerge mergeManifestText(const std::optional<std::string>& base, const std::string& ours,
                                const std::string& theirs, const std::string& file) {
    auto o = parseSide(ours, file);
    auto t = parseSide(theirs, file);
    std::optional<Side> b = base ? parseSide(*base, file) : parseSide("", file);
    if (!o) return fileConflict(ours, "ours is not valid TOML");
    if (!t) return fileConflict(ours, "theirs is not valid TOML");
    if (!b) return fileConflict(ours, "the common ancestor is not valid TOML");
    Merger merger(*b, *o, *t, file == "telar.toml");
    ManifestMerge result;
    try {
        merger.run();
        result.text = merger.edits().apply(o->text);
    } catch (const NotStructural& e) {
        return fileConflict(ours, e.reason);
    } catch (const std::logic_error& e) {
        return fileConflict(ours, e.what());
    }
    result.conflicts = std::move(merger.conflicts());
    if (manifestErrors(result.text, file) > manifestErrors(ours, file))
        return fileConflict(ours, "the merged text would not be a valid manifest");
    return result;
}

std::string applyTheirs(const std::string& current, const std::string& theirs, const TablePath& table,
                        const std::string& key, const std::string& file) {
    auto o = parseSide(current, file);
    auto t = parseSide(theirs, file);
    if (!o) throw UsageError(file + " is not valid TOML: fix it first");
    if (!t) throw UsageError(file + ": their version is not valid TOML");
    Edits edits;
    try {
        if (!key.empty()) {
            const toml::table* oTable = findTable(o->doc, table);
            if (!oTable)
                throw UsageError(file + ": " + tablePathText(table) + " is no longer in the working file");
            applyLeaf(edits, *o, *oTable, table.empty(), *t, findTable(t->doc, table), key);
        } else {
            const toml::table* oRec = findTable(o->doc, table);
            const toml::table* tRec = findTable(t->doc, table);
            TablePath parentPath(table.begin(), table.end() - 1);
            const bool topLevel = parentPath.empty();
            if (oRec && tRec) {
                edits.replace(blockStart(*oRec, o->text), lastLineAll(*oRec),
                              t->text.slice(blockStart(*tRec, t->text), lastLineAll(*tRec)));
            } else if (oRec) {
                removeRecord(edits, *oRec, o->text);
            } else if (tRec) {
                const toml::table* parent = findTable(o->doc, parentPath);
                if (!parent) throw UsageError(file + ": " + tablePathText(parentPath) + " is missing in the working file");
                const toml::node* arr = parent->get(table.back().name);
                edits.insertAfter(insertionPoint(o->text, *parent, topLevel,
                                                 table.back().isElement && arr ? arr->as_array() : nullptr),
                                  recordLines(*tRec, t->text, topLevel));
            }
        }
    } catch (const NotStructural& e) {
        throw UsageError(file + ": cannot apply their version: " + e.reason);
    }
    return edits.apply(o->text);
}

} // namespace telar::core::detail

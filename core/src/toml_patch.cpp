// patchToml: turning one TOML text into another's data with the fewest line edits.
#include "telar/core/toml_patch.h"

#include "toml_source.h"
#include "toml_util.h"

#include <algorithm>
#include <vector>

namespace telar::core {

namespace {

using detail::definedByHeader;
using detail::lastLineAll;
using detail::lastLineInBlock;
using detail::Offsets;

std::optional<toml::table> parse(std::string_view text) {
    std::vector<Diagnostic> diags;
    detail::DiagSink sink("", diags);
    return detail::parseToml(text, sink);
}

// Equal data, numbers by value: 20 and 20.0 are the same (readers take either), so a value a
// program writes as 20 does not replace a person's 20.0.
bool same(const toml::node& a, const toml::node& b) {
    if (a.is_number() && b.is_number()) return a.value<double>() == b.value<double>();
    if (a.type() != b.type()) return false;
    switch (a.type()) {
    case toml::node_type::table: {
        const toml::table& ta = *a.as_table();
        const toml::table& tb = *b.as_table();
        if (ta.size() != tb.size()) return false;
        for (auto&& [key, value] : ta) {
            const toml::node* other = tb.get(key.str());
            if (!other || !same(value, *other)) return false;
        }
        return true;
    }
    case toml::node_type::array: {
        const toml::array& xa = *a.as_array();
        const toml::array& xb = *b.as_array();
        if (xa.size() != xb.size()) return false;
        for (size_t i = 0; i < xa.size(); ++i)
            if (!same(xa[i], xb[i])) return false;
        return true;
    }
    case toml::node_type::string:
        return *a.as_string() == *b.as_string();
    case toml::node_type::boolean:
        return *a.as_boolean() == *b.as_boolean();
    case toml::node_type::date:
        return *a.as_date() == *b.as_date();
    case toml::node_type::time:
        return *a.as_time() == *b.as_time();
    case toml::node_type::date_time:
        return *a.as_date_time() == *b.as_date_time();
    default:
        return false;
    }
}

// A table written with dotted keys (`a.b = 1`): neither inline nor under a [header].
bool dottedTable(const toml::node& n, const Offsets& off) {
    const toml::table* t = n.as_table();
    return t && !t->is_inline() && !definedByHeader(n, off);
}

class Patcher {
public:
    Patcher(std::string_view original, std::string_view wanted) : m_o(original), m_w(wanted), m_oo(original), m_wo(wanted) {}

    bool table(const toml::table& o, const toml::table& w, bool root) {
        for (auto&& [key, wv] : w) {
            const toml::node* ov = o.get(key.str());
            const bool wHeader = definedByHeader(wv, m_wo);
            if (!ov) {
                if (wHeader) {
                    appendAtEnd(wLines(wv.source().begin.line, lastLineAll(wv)));
                    continue;
                }
                if (dottedTable(wv, m_wo) || !addKey(o, root, wLines(key.source().begin.line, wv.source().end.line)))
                    return false;
                continue;
            }
            if (definedByHeader(*ov, m_oo) != wHeader || (ov->type() != wv.type() && !(ov->is_number() && wv.is_number()))) {
                if (!wHeader && !dottedTable(*ov, m_oo) && !dottedTable(wv, m_wo) && !ov->is_table() &&
                    !wv.is_table() && !isTableArray(*ov) && !isTableArray(wv)) {
                    replaceValue(*ov, wv); // a value of another type: 2 → 2.5, "x" → ["x"]
                    continue;
                }
                return false;
            }
            if (wHeader) {
                if (const toml::table* wt = wv.as_table()) {
                    if (!table(*ov->as_table(), *wt, false)) return false;
                } else if (!tableArray(*ov->as_array(), *wv.as_array())) {
                    return false;
                }
                continue;
            }
            if (dottedTable(*ov, m_oo) || dottedTable(wv, m_wo)) {
                if (!same(*ov, wv)) return false;
                continue;
            }
            if (!same(*ov, wv)) replaceValue(*ov, wv);
        }
        for (auto&& [key, ov] : o) {
            if (w.get(key.str())) continue;
            if (definedByHeader(ov, m_oo)) {
                if (!removeBlock(ov)) return false;
            } else {
                if (dottedTable(ov, m_oo)) return false;
                deleteLines(key.source().begin.line, ov.source().end.line);
            }
        }
        return true;
    }

    // The patched text, or nullopt when two edits would overlap.
    std::optional<std::string> apply() {
        std::stable_sort(m_edits.begin(), m_edits.end(), [](const Edit& a, const Edit& b) {
            if (a.begin != b.begin) return a.begin > b.begin;
            return a.end > b.end; // at one offset: replace, then insert in front of it
        });
        std::string out(m_o);
        std::size_t limit = out.size();
        for (size_t i = 0; i < m_edits.size();) {
            // Insertions at one offset keep the order they were made in.
            size_t j = i;
            std::string inserted;
            const Edit& first = m_edits[i];
            if (first.end > first.begin) {
                if (first.end > limit) return std::nullopt;
                out.replace(first.begin, first.end - first.begin, first.text);
                limit = first.begin;
                ++i;
                continue;
            }
            while (j < m_edits.size() && m_edits[j].begin == first.begin && m_edits[j].end == first.begin)
                ++j;
            std::vector<const Edit*> group;
            for (size_t k = i; k < j; ++k)
                group.push_back(&m_edits[k]);
            std::sort(group.begin(), group.end(), [](const Edit* a, const Edit* b) { return a->order < b->order; });
            for (const Edit* e : group)
                inserted += e->text;
            if (first.begin > limit) return std::nullopt;
            out.insert(first.begin, inserted);
            limit = first.begin;
            i = j;
        }
        return out;
    }

private:
    struct Edit {
        std::size_t begin, end;
        std::string text;
        std::size_t order;
    };

    static bool isTableArray(const toml::node& n) {
        const toml::array* a = n.as_array();
        return a && !a->empty() && a->is_array_of_tables();
    }

    bool tableArray(const toml::array& o, const toml::array& w) {
        const size_t common = std::min(o.size(), w.size());
        for (size_t i = 0; i < common; ++i) {
            const toml::table* ot = o[i].as_table();
            const toml::table* wt = w[i].as_table();
            if (!ot || !wt || !table(*ot, *wt, false)) return false;
        }
        if (w.size() > o.size()) {
            std::size_t last = 0;
            for (const auto& e : o)
                last = std::max(last, lastLineAll(e));
            std::string block;
            for (size_t i = common; i < w.size(); ++i)
                block += "\n" + wLines(w[i].source().begin.line, lastLineAll(w[i]));
            insertAfterLine(last, block);
        }
        for (size_t i = common; i < o.size(); ++i)
            if (!removeBlock(o[i])) return false;
        return true;
    }

    // Removes a table written under a [header] (with its sub-tables) or every entry of an array
    // of tables: the header line and the block's own lines; comments between blocks stay.
    bool removeBlock(const toml::node& n) {
        if (const toml::array* a = n.as_array()) {
            for (const auto& e : *a)
                if (!removeBlock(e)) return false;
            return true;
        }
        const toml::table* t = n.as_table();
        if (!t) return false;
        const std::size_t header = t->source().begin.line;
        std::size_t last = std::max(header, lastLineInBlock(*t, m_oo));
        // A blank line on both sides: the one after goes too, so no double gap is left.
        if (blank(header - 1) && blank(last + 1)) ++last;
        deleteLines(header, last);
        for (auto&& [key, value] : *t)
            if (definedByHeader(value, m_oo) && !removeBlock(value)) return false;
        return true;
    }

    // A new `key = value` line (from wanted) in table o.
    bool addKey(const toml::table& o, bool root, const std::string& lines) {
        std::size_t last = lastLineInBlock(o, m_oo);
        if (!root) {
            insertAfterLine(std::max<std::size_t>(last, o.source().begin.line), lines);
            return true;
        }
        if (last > 0) {
            insertAfterLine(last, lines);
            return true;
        }
        // No plain key at the top: before the first [header], or at the end of a file without one.
        std::size_t firstHeader = 0;
        for (auto&& [key, value] : o) {
            if (!definedByHeader(value, m_oo)) continue;
            const toml::node& start = value.is_array() ? *value.as_array()->get(0) : value;
            const std::size_t line = start.source().begin.line;
            if (firstHeader == 0 || line < firstHeader) firstHeader = line;
        }
        if (firstHeader == 0) {
            appendAtEnd(lines);
            return true;
        }
        add(m_oo.afterLine(firstHeader - 1), m_oo.afterLine(firstHeader - 1), lines + "\n");
        return true;
    }

    void replaceValue(const toml::node& o, const toml::node& w) {
        add(m_oo.at(o.source().begin), m_oo.at(o.source().end),
            std::string(m_w.substr(m_wo.at(w.source().begin), m_wo.at(w.source().end) - m_wo.at(w.source().begin))));
    }

    void deleteLines(std::size_t first, std::size_t last) {
        add(m_oo.afterLine(first - 1), m_oo.afterLine(last), "");
    }

    void insertAfterLine(std::size_t line, const std::string& text) {
        const std::size_t at = m_oo.afterLine(line);
        const bool needsNewline = at == m_o.size() && !m_o.empty() && m_o.back() != '\n';
        add(at, at, (needsNewline ? "\n" : "") + text);
    }

    void appendAtEnd(const std::string& block) {
        std::string prefix;
        if (!m_o.empty() && m_o.back() != '\n') prefix = "\n";
        const bool gap = m_o.size() >= 2 && m_o.substr(m_o.size() - 2) == "\n\n";
        if (!m_o.empty() && !gap) prefix += "\n";
        add(m_o.size(), m_o.size(), prefix + block);
    }

    // Whether line n (1-based) of the original exists and holds only blanks.
    bool blank(std::size_t n) const {
        if (n == 0) return false;
        const std::size_t begin = m_oo.afterLine(n - 1), end = m_oo.afterLine(n);
        if (begin >= m_o.size()) return false;
        return m_o.substr(begin, end - begin).find_first_not_of(" \t\r\n") == std::string_view::npos;
    }

    // Lines first..last of wanted, each with its newline.
    std::string wLines(std::size_t first, std::size_t last) const {
        const std::size_t begin = m_wo.afterLine(first - 1), end = m_wo.afterLine(last);
        std::string text(m_w.substr(begin, end - begin));
        if (text.empty() || text.back() != '\n') text += '\n';
        return text;
    }

    void add(std::size_t begin, std::size_t end, std::string text) {
        m_edits.push_back({begin, end, std::move(text), m_edits.size()});
    }

    std::string_view m_o, m_w;
    Offsets m_oo, m_wo;
    std::vector<Edit> m_edits;
};

} // namespace

std::optional<std::string> patchToml(std::string_view original, std::string_view wanted) {
    auto o = parse(original);
    auto w = parse(wanted);
    if (!o || !w) return std::nullopt;
    Patcher patcher(original, wanted);
    if (!patcher.table(*o, *w, true)) return std::nullopt;
    auto out = patcher.apply();
    if (!out) return std::nullopt;
    auto check = parse(*out);
    if (!check || !same(*check, *w)) return std::nullopt;
    return out;
}

} // namespace telar::core

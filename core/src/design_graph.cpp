// The module graph: children with quantities, cycles, topological order and roll-up.
#include "telar/core/design.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <queue>

namespace telar::core {

namespace {

std::int64_t saturatingMul(std::int64_t a, std::int64_t b) {
    std::int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r)) return std::numeric_limits<std::int64_t>::max();
    return r;
}

std::int64_t saturatingAdd(std::int64_t a, std::int64_t b) {
    std::int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) return std::numeric_limits<std::int64_t>::max();
    return r;
}

const std::vector<ModuleUse>& noChildren() {
    static const std::vector<ModuleUse> empty;
    return empty;
}

} // namespace

ModuleGraph ModuleGraph::build(const std::map<std::string, ModuleManifest>& modules) {
    ModuleGraph g;
    for (const auto& [id, m] : modules) {
        auto& kids = g.m_children[id];
        for (const auto& u : m.uses)
            if (!u.module.empty() && modules.count(u.module)) kids.push_back({u.module, u.quantity});
    }

    // Depth-first walk in id order; an edge to a module on the current path closes a cycle.
    enum class Mark { New, OnPath, Done };
    std::map<std::string, Mark, std::less<>> mark;
    for (const auto& [id, kids] : g.m_children)
        mark[id] = Mark::New;
    std::vector<std::string> path;
    // Iterative DFS: each frame is a module and the index of its next child.
    for (const auto& [start, unused] : g.m_children) {
        if (mark[start] != Mark::New) continue;
        std::vector<std::pair<std::string, std::size_t>> stack{{start, 0}};
        mark[start] = Mark::OnPath;
        path.push_back(start);
        while (!stack.empty()) {
            auto& [node, next] = stack.back();
            const auto& kids = g.m_children[node];
            if (next < kids.size()) {
                const std::string child = kids[next++].module;
                Mark& cm = mark[child];
                if (cm == Mark::OnPath) {
                    auto from = std::find(path.begin(), path.end(), child);
                    std::vector<std::string> cycle(from, path.end());
                    cycle.push_back(child);
                    g.m_cycles.push_back(std::move(cycle));
                    g.m_backEdges.insert({node, child});
                } else if (cm == Mark::New) {
                    cm = Mark::OnPath;
                    path.push_back(child);
                    stack.push_back({child, 0});
                }
                continue;
            }
            mark[node] = Mark::Done;
            path.pop_back();
            stack.pop_back();
        }
    }

    // Kahn's algorithm without the back edges; a min-queue keeps ties in id order.
    std::map<std::string, int> indegree;
    for (const auto& [id, kids] : g.m_children)
        indegree.emplace(id, 0);
    for (const auto& [id, kids] : g.m_children)
        for (const auto& k : kids)
            if (!g.m_backEdges.count({id, k.module})) ++indegree[k.module];
    std::priority_queue<std::string, std::vector<std::string>, std::greater<>> ready;
    for (const auto& [id, d] : indegree)
        if (d == 0) ready.push(id);
    while (!ready.empty()) {
        std::string id = ready.top();
        ready.pop();
        g.m_order.push_back(id);
        for (const auto& k : g.m_children[id]) {
            if (g.m_backEdges.count({id, k.module})) continue;
            if (--indegree[k.module] == 0) ready.push(k.module);
        }
    }
    return g;
}

bool ModuleGraph::contains(std::string_view id) const {
    return m_children.find(id) != m_children.end();
}

const std::vector<ModuleUse>& ModuleGraph::children(std::string_view id) const {
    auto it = m_children.find(id);
    return it == m_children.end() ? noChildren() : it->second;
}

std::vector<std::string> ModuleGraph::parents(std::string_view id) const {
    std::vector<std::string> out;
    for (const auto& [pid, kids] : m_children)
        for (const auto& k : kids)
            if (k.module == id) {
                out.push_back(pid);
                break;
            }
    return out;
}

std::vector<std::string> ModuleGraph::roots() const {
    std::set<std::string> used;
    for (const auto& [id, kids] : m_children)
        for (const auto& k : kids)
            used.insert(k.module);
    std::vector<std::string> out;
    for (const auto& [id, kids] : m_children)
        if (!used.count(id)) out.push_back(id);
    return out;
}

std::map<std::string, std::int64_t> ModuleGraph::rollUp(std::string_view root) const {
    std::map<std::string, std::int64_t> qty;
    if (!contains(root)) return qty;
    qty[std::string(root)] = 1;
    // The topological order puts every user before what it uses, so a module's total is final
    // when the walk reaches it.
    for (const auto& id : m_order) {
        auto it = qty.find(id);
        if (it == qty.end()) continue;
        const std::int64_t mine = it->second;
        for (const auto& k : children(id)) {
            if (m_backEdges.count({id, k.module})) continue;
            auto& total = qty[k.module];
            total = saturatingAdd(total, saturatingMul(mine, k.quantity));
        }
    }
    return qty;
}

} // namespace telar::core

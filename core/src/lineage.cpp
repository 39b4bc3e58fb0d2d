// Fork lineage: the recorded chain of upstreams, related to the local history with libgit2's
// ahead/behind count.

#include "telar/core/lineage.h"

#include "git_handles.h"

namespace telar::core {

std::vector<LineageLink> lineageOf(const Repository& repo, const ProjectManifest& project,
                                   const std::string& tip) {
    std::vector<std::pair<std::string, const Upstream*>> recorded;
    if (project.upstream) recorded.emplace_back("upstream", &*project.upstream);
    for (size_t i = 0; i < project.lineage.size(); ++i)
        recorded.emplace_back("lineage[" + std::to_string(i + 1) + "]", &project.lineage[i]);

    const auto& handle = detail::RepositoryAccess::handle(repo);
    std::lock_guard lock(handle->mutex);
    std::vector<LineageLink> out;
    int depth = 0;
    for (const auto& [field, up] : recorded) {
        LineageLink link;
        link.depth = ++depth;
        link.url = up->url;
        link.commit = up->commit;
        link.forked = up->forked;
        link.field = field;
        git_oid oid;
        if (up->commit.size() == GIT_OID_HEXSZ && git_oid_fromstr(&oid, up->commit.c_str()) == 0) {
            git_commit* raw = nullptr;
            if (git_commit_lookup(&raw, handle->repo.get(), &oid) == 0) {
                GitCommitPtr commit(raw);
                link.present = true;
                git_oid local;
                if (!tip.empty() && git_oid_fromstr(&local, tip.c_str()) == 0) {
                    size_t ahead = 0, behind = 0;
                    gitCheck(git_graph_ahead_behind(&ahead, &behind, handle->repo.get(), &local, &oid),
                             "cannot compare with upstream commit " + up->commit);
                    link.ahead = ahead;
                    link.behind = behind;
                }
            }
        }
        out.push_back(std::move(link));
    }
    return out;
}

} // namespace telar::core

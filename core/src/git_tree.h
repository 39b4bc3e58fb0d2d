#pragma once
// Private to telar::core: a Tree over one commit, read from git objects (no checkout).

#include "git_handles.h"
#include "telar/core/tree.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telar::core {

class GitTree : public Tree {
public:
    // Shares handle (keeps the repository alive); owns root, the commit's tree.
    GitTree(std::shared_ptr<detail::GitRepositoryHandle> handle, GitTreePtr root, std::string commitId,
            std::string describe);

    // These throw GitError when an object cannot be read (a damaged repository); missing paths
    // give nullopt / empty.
    std::optional<std::string> readFile(std::string_view path) const override;
    std::optional<EntryKind> kind(std::string_view path) const override;
    std::vector<TreeEntry> list(std::string_view dir) const override;
    std::optional<std::string> symlinkTarget(std::string_view path) const override;
    std::optional<std::string> blobId(std::string_view path) const override;
    std::string describe() const override;
    std::string commitId() const override;

private:
    // The entry at a normalised, non-root path, or null when there is none. Caller holds the lock.
    GitTreeEntryPtr entryAt(const std::string& path) const;
    // The contents of the blob id. Caller holds the lock.
    std::string blobContent(const git_oid* id) const;

    std::shared_ptr<detail::GitRepositoryHandle> m_handle;
    GitTreePtr m_root;
    std::string m_commitId;
    std::string m_describe;
};

// The kind of a tree entry from its file mode; nullopt for modes git does not write.
std::optional<EntryKind> gitEntryKind(git_filemode_t mode);

} // namespace telar::core

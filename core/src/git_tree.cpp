// A Tree over one commit, read straight from git objects.

#include "git_tree.h"

#include "git_path_util.h"

#include <algorithm>
#include <mutex>

namespace telar::core {

std::optional<EntryKind> gitEntryKind(git_filemode_t mode) {
    switch (mode) {
    case GIT_FILEMODE_BLOB:
    case GIT_FILEMODE_BLOB_EXECUTABLE:
        return EntryKind::File;
    case GIT_FILEMODE_TREE:
        return EntryKind::Directory;
    case GIT_FILEMODE_LINK:
        return EntryKind::Symlink;
    case GIT_FILEMODE_COMMIT:
        return EntryKind::Submodule;
    default:
        return std::nullopt;
    }
}

GitTree::GitTree(std::shared_ptr<detail::GitRepositoryHandle> handle, GitTreePtr root, std::string commitId,
                 std::string describe)
    : m_handle(std::move(handle)), m_root(std::move(root)), m_commitId(std::move(commitId)),
      m_describe(std::move(describe)) {}

GitTreeEntryPtr GitTree::entryAt(const std::string& path) const {
    git_tree_entry* raw = nullptr;
    int rc = git_tree_entry_bypath(&raw, m_root.get(), path.c_str());
    GitTreeEntryPtr entry(raw);
    if (rc == GIT_ENOTFOUND) return nullptr;
    gitCheck(rc, "cannot read '" + path + "' at " + m_describe);
    return entry;
}

std::string GitTree::blobContent(const git_oid* id) const {
    git_blob* raw = nullptr;
    int rc = git_blob_lookup(&raw, m_handle->repo.get(), id);
    GitBlobPtr blob(raw);
    gitCheck(rc, "cannot read blob " + gitOidString(id) + " at " + m_describe);
    const auto* bytes = static_cast<const char*>(git_blob_rawcontent(blob.get()));
    return std::string(bytes, static_cast<size_t>(git_blob_rawsize(blob.get())));
}

std::optional<std::string> GitTree::readFile(std::string_view path) const {
    auto p = normalizeTreePath(path);
    if (!p || p->empty()) return std::nullopt;
    std::lock_guard lock(m_handle->mutex);
    auto entry = entryAt(*p);
    if (!entry || gitEntryKind(git_tree_entry_filemode(entry.get())) != EntryKind::File) return std::nullopt;
    return blobContent(git_tree_entry_id(entry.get()));
}

std::optional<EntryKind> GitTree::kind(std::string_view path) const {
    auto p = normalizeTreePath(path);
    if (!p) return std::nullopt;
    if (p->empty()) return EntryKind::Directory;
    std::lock_guard lock(m_handle->mutex);
    auto entry = entryAt(*p);
    if (!entry) return std::nullopt;
    return gitEntryKind(git_tree_entry_filemode(entry.get()));
}

std::vector<TreeEntry> GitTree::list(std::string_view dir) const {
    std::vector<TreeEntry> out;
    auto p = normalizeTreePath(dir);
    if (!p) return out;
    std::lock_guard lock(m_handle->mutex);
    GitTreePtr sub;
    const git_tree* folder = m_root.get();
    if (!p->empty()) {
        auto entry = entryAt(*p);
        if (!entry || git_tree_entry_filemode(entry.get()) != GIT_FILEMODE_TREE) return out;
        git_tree* raw = nullptr;
        int rc = git_tree_lookup(&raw, m_handle->repo.get(), git_tree_entry_id(entry.get()));
        sub.reset(raw);
        gitCheck(rc, "cannot read folder '" + *p + "' at " + m_describe);
        folder = sub.get();
    }
    size_t count = git_tree_entrycount(folder);
    out.reserve(count);
    for (size_t i = 0; i < count; ++i) {
        const git_tree_entry* e = git_tree_entry_byindex(folder, i); // borrowed
        auto k = gitEntryKind(git_tree_entry_filemode(e));
        if (!k) continue;
        out.push_back(TreeEntry{git_tree_entry_name(e), *k});
    }
    // git orders folders as if their names ended in '/'; callers get plain name order.
    std::sort(out.begin(), out.end(), [](const TreeEntry& a, const TreeEntry& b) { return a.name < b.name; });
    return out;
}

std::optional<std::string> GitTree::symlinkTarget(std::string_view path) const {
    auto p = normalizeTreePath(path);
    if (!p || p->empty()) return std::nullopt;
    std::lock_guard lock(m_handle->mutex);
    auto entry = entryAt(*p);
    if (!entry || git_tree_entry_filemode(entry.get()) != GIT_FILEMODE_LINK) return std::nullopt;
    return blobContent(git_tree_entry_id(entry.get()));
}

std::optional<std::string> GitTree::blobId(std::string_view path) const {
    auto p = normalizeTreePath(path);
    if (!p || p->empty()) return std::nullopt;
    std::lock_guard lock(m_handle->mutex);
    auto entry = entryAt(*p);
    if (!entry || gitEntryKind(git_tree_entry_filemode(entry.get())) != EntryKind::File) return std::nullopt;
    return gitOidString(git_tree_entry_id(entry.get()));
}

std::string GitTree::describe() const { return m_describe; }

std::string GitTree::commitId() const { return m_commitId; }

} // namespace telar::core

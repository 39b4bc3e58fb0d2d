// Repository operations that reach other repositories (clone, see remote.cpp for the transfer
// itself) and read git's configuration.

#include "git_handles.h"
#include "telar/core/git.h"
#include "telar/core/remote.h"

namespace telar::core {

Repository Repository::clone(const std::string& source, const std::filesystem::path& dir,
                             const Progress& progress) {
    return cloneRepository(source, dir, progress);
}

std::optional<Signature> Repository::defaultSignature() const {
    std::lock_guard lock(m_handle->mutex);
    git_signature* raw = nullptr;
    if (git_signature_default(&raw, m_handle->repo.get()) < 0) {
        git_error_clear();
        return std::nullopt;
    }
    GitSignaturePtr sig(raw);
    return Signature{sig->name, sig->email, static_cast<int64_t>(sig->when.time), sig->when.offset};
}

} // namespace telar::core

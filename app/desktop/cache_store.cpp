#include "cache_store.h"

#include "telar/error.h"

namespace telar::desktop {

std::unique_ptr<core::Store> openGeometryStore(const std::function<void(const std::string&)>& note) {
    try {
        return core::Store::open(core::Store::defaultPath(), [&note](const std::string& notice) {
            if (note) note(notice);
        });
    } catch (const StoreError& e) {
        if (note) note(std::string("geometry cache unavailable, analysing without it: ") + e.what());
    }
    return nullptr;
}

} // namespace telar::desktop

#pragma once
// The per-user store that holds the geometry cache, opened by the jobs that measure CAD files
// (BOM, diff, properties) on their worker threads.

#include "telar/core/store.h"

#include <functional>
#include <memory>
#include <string>

namespace telar::desktop {

// Opens the store at Store::defaultPath(). Its notices (a damaged store rebuilt) go to note, as
// does why it is unavailable, in which case nullptr is returned and files are analysed without a
// cache. note may be empty.
std::unique_ptr<core::Store> openGeometryStore(const std::function<void(const std::string&)>& note);

} // namespace telar::desktop

#pragma once
// Helpers over obligations shared by compatibility, verdicts and explanations (private).

#include "telar/license/compatibility.h"

#include <vector>

namespace telar::license::detail {

// Adds obligations to a list, merging those of the same kind (their sources are joined) and
// keeping the list ordered by kind.
void mergeObligations(std::vector<Obligation>& into, const std::vector<Obligation>& add);

// A rough weight of a licence's conditions, used to prefer the lighter option of an OR.
int burden(const LicenseInfo& info);

} // namespace telar::license::detail

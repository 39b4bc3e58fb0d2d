// libFuzzer target for the SPDX expression parser. Invariants checked on every input:
// only LicenseError escapes; a parsed expression prints to text that parses back to the same
// text; normalising is idempotent; checkExpression never throws.
#include "telar/error.h"
#include "telar/license/catalog.h"
#include "telar/license/expression.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace telar::license;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)checkExpression(text);
    try {
        const Expression parsed = parseExpression(text);
        const std::string printed = parsed.toString();
        if (parseExpression(printed).toString() != printed) std::abort();
        const std::string normalized = normalizeExpression(printed);
        if (normalizeExpression(normalized) != normalized) std::abort();
        (void)parsed.options();
    } catch (const telar::LicenseError&) {
        // Invalid or too complex input: the expected outcome.
    }
    return 0;
}

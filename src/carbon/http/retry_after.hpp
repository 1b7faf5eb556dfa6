#pragma once
// The Retry-After header (RFC 9110, section 10.2.3): either a delay in whole seconds or an
// HTTP-date, in any of the three forms a recipient must accept:
//   IMF-fixdate  "Sun, 06 Nov 1994 08:49:37 GMT"   (what servers send today)
//   RFC 850      "Sunday, 06-Nov-94 08:49:37 GMT" (obsolete; two-digit year: 70-99 -> 19xx)
//   asctime      "Sun Nov  6 08:49:37 1994"       (obsolete)
// A 429 Too Many Requests or 503 Service Unavailable carrying it says when the client may ask
// again; chase turns it into a time ("not before") on the client's clock.

#include <optional>
#include <string_view>

#include "core/utc_time.hpp"

namespace chase {

// The time named by a Retry-After value received at `now`: now + seconds, or the date itself
// (which may lie before now: ask again at once). Nullopt for a value that is neither (such a
// header is ignored, as RFC 9110 lets a recipient do).
std::optional<UtcTime> retry_after_time(std::string_view value, UtcTime now);

}  // namespace chase

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

// The hold a Retry-After value received at `now` names: now + seconds, or the date itself,
// always after `now`. Nullopt means no hold: a delay of 0 or a date at or before `now` ("ask
// again now"; the caller's own backoff applies), or a value that is neither a count of seconds
// nor an HTTP-date ("-5", "1.5", "soon": such a header is ignored, as RFC 9110 lets a recipient
// do). A hold is never in the past, so neither a record of it nor a message shows a past time.
std::optional<UtcTime> retry_after_time(std::string_view value, UtcTime now);

}  // namespace chase

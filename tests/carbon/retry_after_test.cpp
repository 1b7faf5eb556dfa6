// Retry-After values as RFC 9110 allows them: whole seconds or an HTTP-date in its three forms,
// resolved against the time the answer arrived; anything else is ignored.

#include "carbon/http/retry_after.hpp"

#include <gtest/gtest.h>

namespace chase {
namespace {

UtcTime at(const char* iso) { return *UtcTime::parse_iso8601(iso); }

const UtcTime kNow = at("2024-05-01T12:10:00Z");

std::string named(const char* value) {
  const auto t = retry_after_time(value, kNow);
  return t ? t->iso8601() : "(ignored)";
}

TEST(RetryAfter, SecondsCountFromWhenTheAnswerArrived) {
  EXPECT_EQ(named("3600"), "2024-05-01T13:10:00Z");
  EXPECT_EQ(named(" 7\r\n"), "2024-05-01T12:10:07Z");
  EXPECT_EQ(named("1"), "2024-05-01T12:10:01Z");
}

// A hold is never now or in the past: such a value says "ask again now", and names no time.
TEST(RetryAfter, ZeroOrADateNotAfterNowIsNoHold) {
  EXPECT_EQ(named("0"), "(ignored)");
  EXPECT_EQ(named("000"), "(ignored)");
  EXPECT_EQ(named("Sun, 06 Nov 1994 08:49:37 GMT"), "(ignored)");
  EXPECT_EQ(named("Sunday, 06-Nov-94 08:49:37 GMT"), "(ignored)");
  EXPECT_EQ(named("Sun Nov  6 08:49:37 1994"), "(ignored)");
  EXPECT_EQ(named("Wed, 01 May 2024 12:09:59 GMT"), "(ignored)");  // a second ago
  EXPECT_EQ(named("Wed, 01 May 2024 12:10:00 GMT"), "(ignored)");  // now
  EXPECT_EQ(named("Wed, 01 May 2024 12:10:01 GMT"), "2024-05-01T12:10:01Z");
}

TEST(RetryAfter, AnHttpDateInEachOfItsThreeForms) {
  EXPECT_EQ(named("Wed, 01 May 2024 14:10:00 GMT"), "2024-05-01T14:10:00Z");     // IMF-fixdate
  EXPECT_EQ(named("Wednesday, 01-May-24 14:10:00 GMT"), "2024-05-01T14:10:00Z");  // RFC 850
  EXPECT_EQ(named("Wed May  1 14:10:00 2024"), "2024-05-01T14:10:00Z");           // asctime
}

// A delay or a date too far off to keep means "not for a very long time": held for the longest
// chase keeps (about 31 years, or the last day of 2200), not ignored (which would retry at once).
TEST(RetryAfter, AnEnormousDelayHoldsForTheLongestKept) {
  EXPECT_EQ(named("99999999999"), (kNow + Duration::seconds(999'999'999)).iso8601());
  EXPECT_EQ(named("99999999999999999999999"), (kNow + Duration::seconds(999'999'999)).iso8601());
  EXPECT_EQ(named("Fri, 31 Dec 9999 23:59:59 GMT"), "2200-12-31T23:59:59Z");
}

TEST(RetryAfter, AnythingElseIsIgnored) {
  for (const char* bad : {"", "soon", "-5", "-0", "- 5", "+5", "1.5", "1e3", "0x10", "3600s", "Wed, 01 May 2024 14:10:00 CET", "Wed, 32 May 2024 14:10:00 GMT",
                          "Wed, 01 Foo 2024 14:10:00 GMT", "Wed, 01 May 2024 14:10 GMT"}) {
    EXPECT_EQ(named(bad), "(ignored)") << bad;
  }
}

}  // namespace
}  // namespace chase

#include "core/utc_time.hpp"

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

TEST(UtcTime, ParsesAndFormatsIso8601) {
  const auto t = UtcTime::parse_iso8601("2020-01-01T00:30:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->epoch_ms(), 1577838600000);
  EXPECT_EQ(t->iso8601(), "2020-01-01T00:30:00Z");
}

TEST(UtcTime, AppliesOffsetsAndFractions) {
  EXPECT_EQ(UtcTime::parse_iso8601("2020-01-01T02:30:00+02:00")->iso8601(), "2020-01-01T00:30:00Z");
  EXPECT_EQ(UtcTime::parse_iso8601("2019-12-31T19:30:00-05:00")->iso8601(), "2020-01-01T00:30:00Z");
  EXPECT_EQ(UtcTime::parse_iso8601("2020-01-01 00:30Z")->iso8601(), "2020-01-01T00:30:00Z");
  EXPECT_EQ(UtcTime::parse_iso8601("2020-01-01T00:00:00.25Z")->epoch_ms() % 1000, 250);
}

TEST(UtcTime, RejectsAmbiguousOrInvalidText) {
  for (const char* bad : {"2020-01-01T00:00:00", "2020-13-01T00:00:00Z", "2021-02-29T00:00:00Z",
                          "2020-01-01T24:00:00Z", "2020-01-01", "yesterday", "", "2020-01-01T00:00:00Zjunk"}) {
    EXPECT_FALSE(UtcTime::parse_iso8601(bad)) << bad;
  }
  EXPECT_THROW(UtcTime::parse_iso8601_or_throw("noon", "--start"), InputError);
  try {
    UtcTime::parse_iso8601_or_throw("noon", "--start");
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "--start: time stamp \"noon\" is not ISO 8601 (expected e.g. 2020-01-01T00:00:00Z)");
  }
  try {
    UtcTime::parse_iso8601_or_throw("2020-13-01 00:00", "--start");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "--start: time stamp \"2020-13-01 00:00\" is not a valid date");
  }
}

TEST(UtcTime, RefusesImplausibleYearsAndPrintsAnyYearTruly) {
  EXPECT_FALSE(UtcTime::parse_iso8601("1969-12-31T23:00:00Z"));
  EXPECT_FALSE(UtcTime::parse_iso8601("2201-01-01T00:00:00Z"));
  EXPECT_TRUE(UtcTime::parse_iso8601("2200-12-31T23:59:59Z"));
  // Arithmetic can go where parsing may not; the year still prints as what it is (std::chrono's
  // year stops at 32767 and once printed these as negative years).
  EXPECT_EQ(UtcTime::from_epoch_ms(1'000'000'000'000'000).iso8601(), "33658-09-27T01:46:40Z");
  EXPECT_EQ(UtcTime::from_epoch_ms(253402300800000).iso8601(), "10000-01-01T00:00:00Z");
  EXPECT_EQ(UtcTime::from_epoch_ms(-86'400'000).iso8601(), "1969-12-31T00:00:00Z");
}

TEST(UtcTime, CalendarFieldsAndFloor) {
  const UtcTime t = *UtcTime::parse_iso8601("2020-06-15T13:47:12Z");  // a Monday
  EXPECT_EQ(t.hour_of_day(), 13);
  EXPECT_EQ(t.day_of_week(), 0);
  EXPECT_EQ(t.floor_to(Duration::minutes(15)).iso8601(), "2020-06-15T13:45:00Z");
  EXPECT_EQ((t + Duration::hours(11)).iso8601(), "2020-06-16T00:47:12Z");
  EXPECT_DOUBLE_EQ((t + Duration::minutes(5) - t).seconds(), 300);
  // Before the epoch (arithmetic reaches it; no parser accepts it).
  EXPECT_EQ(UtcTime::from_epoch_ms(-3'600'000).iso8601(), "1969-12-31T23:00:00Z");
  EXPECT_EQ(UtcTime::from_epoch_ms(-3'600'000).hour_of_day(), 23);
}

TEST(Clock, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(*UtcTime::parse_iso8601("2020-01-01T00:00:00Z"));
  const UtcTime a = clock.now();
  clock.sleep_for(Duration::minutes(5));
  EXPECT_EQ((clock.now() - a).seconds(), 300);
  clock.advance(Duration::seconds(1));
  EXPECT_EQ((clock.now() - a).seconds(), 301);
}

TEST(Clock, SystemClockIsMonotonic) {
  SystemClock clock;
  const UtcTime a = clock.now();
  const UtcTime b = clock.now();
  EXPECT_LE(a, b);
}

}  // namespace
}  // namespace chase

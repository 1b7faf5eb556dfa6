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
    EXPECT_NE(std::string(e.what()).find("--start: 'noon'"), std::string::npos) << e.what();
  }
}

TEST(UtcTime, CalendarFieldsAndFloor) {
  const UtcTime t = *UtcTime::parse_iso8601("2020-06-15T13:47:12Z");  // a Monday
  EXPECT_EQ(t.hour_of_day(), 13);
  EXPECT_EQ(t.day_of_week(), 0);
  EXPECT_EQ(t.floor_to(Duration::minutes(15)).iso8601(), "2020-06-15T13:45:00Z");
  EXPECT_EQ((t + Duration::hours(11)).iso8601(), "2020-06-16T00:47:12Z");
  EXPECT_DOUBLE_EQ((t + Duration::minutes(5) - t).seconds(), 300);
  // Before the epoch.
  EXPECT_EQ(UtcTime::parse_iso8601("1969-12-31T23:00:00Z")->iso8601(), "1969-12-31T23:00:00Z");
  EXPECT_EQ(UtcTime::parse_iso8601("1969-12-31T23:00:00Z")->hour_of_day(), 23);
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

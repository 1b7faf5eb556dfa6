#include "control/speed_changes.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

SpeedChanges slower_after_two_hours() {
  SpeedChanges c;
  c.slower_after = Duration::hours(2);
  c.slower_by = 0.25;
  return c;
}

SpeedChanges ten_minute_stalls_every_hour() {
  SpeedChanges c;
  c.stall_every = Duration::hours(1);
  c.stall_length = Duration::minutes(10);
  c.stall_power = Power::watts(60);
  return c;
}

TEST(SpeedChanges, NoneRunsAtTheProfiledSpeedThroughout) {
  const SpeedChanges none;
  EXPECT_TRUE(none.none());
  EXPECT_DOUBLE_EQ(none.time_to_work(0, 3600), 3600);
  const auto pieces = none.pieces(0, 7200);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_DOUBLE_EQ(pieces[0].speed, 1);
  EXPECT_EQ(none.describe(), "none");
}

TEST(SpeedChanges, ASlowerPhaseCutsAFrameWhereItBegins) {
  const SpeedChanges c = slower_after_two_hours();
  const auto pieces = c.pieces(6000, 8400);
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_DOUBLE_EQ(pieces[0].until_s, 7200);
  EXPECT_DOUBLE_EQ(pieces[0].speed, 1);
  EXPECT_DOUBLE_EQ(pieces[1].speed, 1 / 1.25);
  // 3 h of work: 2 h at speed 1, the last hour of work takes 1.25 h.
  EXPECT_DOUBLE_EQ(c.time_to_work(0, 3 * 3600), 2 * 3600 + 1.25 * 3600);
  EXPECT_EQ(c.describe(), "25 % slower after 2 h");
}

TEST(SpeedChanges, StallsComeEveryPeriodAfterTheStartAndDoNoWork) {
  const SpeedChanges c = ten_minute_stalls_every_hour();
  const auto pieces = c.pieces(3000, 4500);
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_DOUBLE_EQ(pieces[0].until_s, 3600);
  EXPECT_TRUE(pieces[1].stalled());
  EXPECT_DOUBLE_EQ(pieces[1].until_s, 4200);
  EXPECT_DOUBLE_EQ(pieces[2].speed, 1);
  // 2 h of work: stalls at 1 h and 2 h 10 min → done at 2 h 20 min... the second stall starts
  // at 2 h (wall), when 1 h 50 min of work is done; the last 10 min of work end at 2 h 20 min.
  EXPECT_DOUBLE_EQ(c.time_to_work(0, 2 * 3600), 2 * 3600 + 20 * 60);
  EXPECT_EQ(c.describe(), "stalls of 10 min every 60 min at 60 W");
}

TEST(SpeedChanges, RefusesAStallAsLongAsItsPeriodAndOddFractions) {
  SpeedChanges c = ten_minute_stalls_every_hour();
  c.stall_length = Duration::hours(1);
  EXPECT_THROW(c.check(), InputError);
  SpeedChanges s = slower_after_two_hours();
  s.slower_by = -0.5;
  EXPECT_THROW(s.check(), InputError);
  EXPECT_NO_THROW(ten_minute_stalls_every_hour().check());
}

}  // namespace
}  // namespace chase

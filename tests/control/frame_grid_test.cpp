#include "control/frame_grid.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }

TEST(FrameGrid, FixedFramesAlignToMultiplesSinceTheEpoch) {
  const FrameGrid grid = FrameGrid::fixed(Duration::minutes(5));
  EXPECT_EQ(grid.next_boundary(at("2020-05-01T10:02:30Z")).iso8601(), "2020-05-01T10:05:00Z");
  EXPECT_EQ(grid.next_boundary(at("2020-05-01T10:05:00Z")).iso8601(), "2020-05-01T10:10:00Z");
  EXPECT_DOUBLE_EQ(grid.nominal_length().minutes(), 5);
  EXPECT_TRUE(grid.is_fixed());
}

TEST(FrameGrid, RejectsLengthsTheClockCannotHold) {
  EXPECT_THROW(FrameGrid::fixed(Duration::seconds(0)), InputError);
  EXPECT_THROW(FrameGrid::fixed(Duration::seconds(-60)), InputError);
  EXPECT_THROW(FrameGrid::fixed(Duration::milliseconds(0.5)), InputError);
}

TEST(FrameGrid, TraceGridFollowsTheSamplesIncludingGapsAndKeepsTheLastStepPastTheEnd) {
  // with-gap.csv: 00:00, 00:30, 01:00, then 03:00, 03:30, 03:45, 04:00.
  const auto trace = IntensityTrace::load(std::string(CHASE_FIXTURES_DIR) + "/traces/with-gap.csv");
  const FrameGrid grid = FrameGrid::of_trace(trace);
  EXPECT_FALSE(grid.is_fixed());
  EXPECT_EQ(grid.next_boundary(at("2020-01-01T00:10:00Z")).iso8601(), "2020-01-01T00:30:00Z");
  EXPECT_EQ(grid.next_boundary(at("2020-01-01T01:00:00Z")).iso8601(), "2020-01-01T03:00:00Z");
  const UtcTime last = trace.samples().back().time;
  EXPECT_EQ(grid.next_boundary(last), last + Duration::minutes(15));
  EXPECT_EQ(grid.next_boundary(last + Duration::minutes(20)), last + Duration::minutes(30));
  EXPECT_DOUBLE_EQ(grid.nominal_length().minutes(), 30);
}

}  // namespace
}  // namespace chase

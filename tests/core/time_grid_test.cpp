#include "core/time_grid.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace chase {
namespace {

const UtcTime kFrom = UtcTime::parse_iso8601_or_throw("2020-01-01T00:00:00Z", "test");

TEST(TimeGrid, CountsWholeStepsInTheSpan) {
  EXPECT_EQ(checked_grid_steps(kFrom, kFrom + Duration::hours(24), Duration::minutes(5), kFrameGrid), 288u);
  EXPECT_EQ(checked_grid_steps(kFrom, kFrom + Duration::minutes(14), Duration::minutes(5), kFrameGrid), 2u);
  EXPECT_EQ(checked_grid_steps(kFrom, kFrom, Duration::minutes(5), kFrameGrid), 0u);
  EXPECT_EQ(checked_grid_steps(kFrom + Duration::hours(1), kFrom, Duration::minutes(5), kFrameGrid), 0u);
  // Exactly at the limit is allowed.
  EXPECT_EQ(checked_grid_steps(kFrom, kFrom + Duration::seconds(10), Duration::seconds(1), kStartGrid, 10), 10u);
}

// A step under the clock's 1 ms would never advance a UtcTime: refused, never looped over.
TEST(TimeGrid, RefusesAStepBelowTheClockResolution) {
  for (const Duration step : {Duration::hours(1e-300), Duration::seconds(0), Duration::seconds(-5),
                              Duration::seconds(0.0009), Duration::seconds(std::numeric_limits<double>::quiet_NaN())}) {
    try {
      checked_grid_steps(kFrom, kFrom + Duration::hours(1), step, kStartGrid);
      ADD_FAILURE() << step.seconds();
    } catch (const GridStepError& e) {
      EXPECT_EQ(e.grid(), kStartGrid);
      EXPECT_NE(std::string(e.what()).find("start times: a step of"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("under 1 ms"), std::string::npos) << e.what();
    }
  }
}

TEST(TimeGrid, RefusesMoreStepsThanTheLimitSayingHowMany) {
  try {
    checked_grid_steps(kFrom, kFrom + Duration::days(366), Duration::seconds(1), kFrameGrid);
    FAIL();
  } catch (const GridStepError& e) {
    EXPECT_EQ(e.grid(), kFrameGrid);
    EXPECT_STREQ(e.what(),
                 "frames: a step of 1.00 s over 366 d makes 31622400 steps; at most 2000000 (use a longer step or a "
                 "shorter span)");
  }
  // The same span in 5-minute frames is fine: 105,408 of them.
  EXPECT_EQ(checked_grid_steps(kFrom, kFrom + Duration::days(366), Duration::minutes(5), kFrameGrid), 105408u);
}

}  // namespace
}  // namespace chase

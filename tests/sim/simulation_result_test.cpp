// What a simulated job's frames add up to.

#include "sim/simulation_result.hpp"

#include <gtest/gtest.h>

namespace chase {
namespace {

TEST(SimulationResult, TimePerLimitAddsTheFramesRunAtEachHighestFirst) {
  SimulationResult r;
  const auto frame = [](double ran_s, double watts) {
    SimulatedFrame f;
    f.run_time = Duration::seconds(ran_s);
    f.length = Duration::seconds(300);
    f.limit = Power::watts(watts);
    return f;
  };
  r.frames = {frame(300, 200), frame(300, 300), frame(120, 200)};  // the job ended inside the last frame
  const auto per_limit = r.time_per_limit();
  ASSERT_EQ(per_limit.size(), 2u);
  EXPECT_DOUBLE_EQ(per_limit.begin()->first, 300);
  EXPECT_DOUBLE_EQ(per_limit.at(300).seconds(), 300);
  EXPECT_DOUBLE_EQ(per_limit.at(200).seconds(), 420);
  EXPECT_TRUE(SimulationResult().time_per_limit().empty());
}

}  // namespace
}  // namespace chase

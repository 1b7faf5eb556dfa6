#include "energy/power_integrator.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace chase {

namespace {

const PowerCeiling kCeiling{Power::watts(600), "test ceiling"};

TEST(PowerIntegrator, TrapezoidRuleOverSamples) {
  PowerIntegrator integrator("poll", kCeiling);
  const UtcTime t0 = UtcTime::from_epoch_ms(0);
  EXPECT_DOUBLE_EQ(integrator.add(t0, Power::watts(100)).joules(), 0);
  EXPECT_DOUBLE_EQ(integrator.add(t0 + Duration::seconds(2), Power::watts(300)).joules(), 400);  // (100+300)/2 x 2
  // A repeated instant replaces the latest power without adding energy.
  EXPECT_DOUBLE_EQ(integrator.add(t0 + Duration::seconds(2), Power::watts(200)).joules(), 400);
  EXPECT_DOUBLE_EQ(integrator.add(t0 + Duration::seconds(3), Power::watts(200)).joules(), 600);
  // A sample from the past is ignored.
  EXPECT_DOUBLE_EQ(integrator.add(t0 + Duration::seconds(1), Power::watts(500)).joules(), 600);
  EXPECT_DOUBLE_EQ(integrator.energy().joules(), 600);
  EXPECT_EQ(integrator.implausible().count, 0u);
}

TEST(PowerIntegrator, PollsThatCannotBeRightAreDroppedAndTheGapBridged) {
  PowerIntegrator integrator("nvmlDeviceGetPowerUsage", kCeiling);
  const UtcTime t0 = UtcTime::from_epoch_ms(0);
  integrator.add(t0, Power::watts(200));
  EXPECT_DOUBLE_EQ(integrator.add(t0 + Duration::seconds(1), Power::watts(4294967.295)).joules(), 0);
  EXPECT_DOUBLE_EQ(integrator.add(t0 + Duration::seconds(2), Power::watts(-5)).joules(), 0);
  EXPECT_DOUBLE_EQ(
      integrator.add(t0 + Duration::seconds(3), Power::watts(std::numeric_limits<double>::quiet_NaN())).joules(), 0);
  // From the 200 W at 0 s to the 400 W at 4 s: (200 + 400) / 2 x 4 s.
  EXPECT_DOUBLE_EQ(integrator.add(t0 + Duration::seconds(4), Power::watts(400)).joules(), 1200);
  EXPECT_EQ(integrator.implausible().count, 3u);
  EXPECT_EQ(integrator.implausible().first,
            "nvmlDeviceGetPowerUsage read 4294967.295 W, not a power between 0 and the 600 W ceiling (test ceiling)");
}

}  // namespace
}  // namespace chase

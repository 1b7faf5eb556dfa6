#include "energy/power_integrator.hpp"

#include <gtest/gtest.h>

namespace chase {
namespace {

TEST(PowerIntegrator, TrapezoidRuleOverSamples) {
  PowerIntegrator integrator;
  const UtcTime t0 = UtcTime::from_epoch_ms(0);
  EXPECT_DOUBLE_EQ(integrator.add(t0, Power::watts(100)).joules(), 0);
  EXPECT_DOUBLE_EQ(integrator.add(t0 + Duration::seconds(2), Power::watts(300)).joules(), 400);  // (100+300)/2 x 2
  // A repeated instant replaces the latest power without adding energy.
  EXPECT_DOUBLE_EQ(integrator.add(t0 + Duration::seconds(2), Power::watts(200)).joules(), 400);
  EXPECT_DOUBLE_EQ(integrator.add(t0 + Duration::seconds(3), Power::watts(200)).joules(), 600);
  // A sample from the past is ignored.
  EXPECT_DOUBLE_EQ(integrator.add(t0 + Duration::seconds(1), Power::watts(900)).joules(), 600);
  EXPECT_DOUBLE_EQ(integrator.energy().joules(), 600);
}

}  // namespace
}  // namespace chase

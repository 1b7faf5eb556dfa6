// The simulated GPU on a real Zeus profile and a virtual clock.

#include "energy/simulated_gpu.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

TEST(SimulatedGpu, DrawsProfilePowerAndDoesProfileWork) {
  ManualClock clock;
  const PowerProfile profile = PowerProfile::load("v100-resnet50");
  SimulatedGpu gpu(profile, clock);
  EXPECT_EQ(gpu.backend(), "simulated");
  EXPECT_DOUBLE_EQ(gpu.power_limit().watts(), 250);
  EXPECT_DOUBLE_EQ(gpu.default_power_limit().watts(), 250);
  EXPECT_DOUBLE_EQ(gpu.power_limit_range().min.watts(), 100);
  const ProfilePoint& top = profile.at_limit(Power::watts(250));
  // 10 s at 250 W: the profile's average power (6065.030 J / 26.674534 s) and throughput.
  clock.advance(Duration::seconds(10));
  EXPECT_NEAR(gpu.energy().joules(), 6065.030 / 26.674534 * 10, 1e-9);
  EXPECT_NEAR(gpu.work_done(), 10 / 26.674534, 1e-12);
  EXPECT_NEAR(gpu.power()->watts(), top.average_power().watts(), 1e-12);

  gpu.set_power_limit(Power::watts(150));
  const ProfilePoint& low = profile.at_limit(Power::watts(150));
  EXPECT_NEAR(gpu.time_for_work(0.5).seconds(), low.time.seconds() / 2, 1e-9);
  clock.advance(Duration::seconds(20));
  EXPECT_NEAR(gpu.energy().joules(), 6065.030 / 26.674534 * 10 + 4830.296 / low.time.seconds() * 20, 1e-9);
  EXPECT_NEAR(gpu.work_done(), 10 / 26.674534 + 20 / low.time.seconds(), 1e-12);
  // A whole profiled unit of work at 150 W costs the profile's energy at 150 W.
  EXPECT_NEAR((low.average_power() * gpu.time_for_work(1.0)).joules(), 4830.296, 1e-9);
}

TEST(SimulatedGpu, OnlyProfiledLimitsAreAccepted) {
  ManualClock clock;
  SimulatedGpu gpu(PowerProfile::load("v100-resnet50"), clock, "sim:3");
  try {
    gpu.set_power_limit(Power::watts(160));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "sim:3: bundled:gpu-profiles/v100-resnet50.csv: no power limit 160 W "
                           "(profiled: 250, 225, 200, 175, 150, 125, 100 W)");
  }
  EXPECT_DOUBLE_EQ(gpu.power_limit().watts(), 250);
}

}  // namespace
}  // namespace chase

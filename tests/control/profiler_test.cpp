#include "control/profiler.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "fake_device.hpp"
#include "profiled_gpu.hpp"

namespace chase {
namespace {


using Training = test::ProfiledGpu;

TEST(Profiler, StepsThroughTheLimitsAndMeasuresTheProfile) {
  Training t;
  ProfilerOptions options;
  options.warmup_iterations = 3;
  options.measure_iterations = 10;
  Profiler profiler({t.gpu.get()}, t.clock, options);
  // The device's range, highest first, every 25 W: 300 … 100, but the fixture has no 275 W,
  // 225 W or 125 W row, so profile exactly its limits.
  options.limits = {Power::watts(300), Power::watts(250), Power::watts(200), Power::watts(175), Power::watts(150),
                    Power::watts(100)};
  Profiler exact({t.gpu.get()}, t.clock, options);
  int iterations = 0;
  while (true) {
    t.iterate();
    ++iterations;
    if (!exact.on_iteration()) break;
  }
  EXPECT_EQ(iterations, 6 * 13);
  const PowerProfile measured = exact.profile();
  ASSERT_EQ(measured.points().size(), 6u);
  for (const ProfilePoint& p : measured.points()) {
    const ProfilePoint& truth = t.truth.at_limit(p.limit);
    EXPECT_NEAR(p.time.seconds(), truth.time.seconds(), 1e-3) << p.limit.watts();  // the clock has ms resolution
    EXPECT_NEAR(p.energy.joules(), truth.energy.joules(), 1e-9) << p.limit.watts();
  }
  // Profiling over, the device is back at its limit from before.
  EXPECT_DOUBLE_EQ(t.gpu->power_limit().watts(), 300);
  EXPECT_EQ(t.gpu->history.back(), Power::watts(300));
  EXPECT_EQ(profiler.limits().size(), 9u);  // 300, 275, …, 100 from the device's range
}

TEST(Profiler, MeasuresAtLeastTheGivenTime) {
  Training t;
  ProfilerOptions options;
  options.limits = {Power::watts(300), Power::watts(200)};
  options.warmup_iterations = 0;
  options.measure_iterations = 1;
  options.measure_time = Duration::seconds(100);
  Profiler profiler({t.gpu.get()}, t.clock, options);
  int iterations = 0;
  do {
    t.iterate();
    ++iterations;
  } while (profiler.on_iteration());
  EXPECT_EQ(iterations, 10 + 9);  // 10 × 10 s at 300 W, 9 × 12 s at 200 W
  EXPECT_NEAR(profiler.profile().at_limit(Power::watts(200)).time.seconds(), 12, 1e-3);
}

TEST(Profiler, RestoresTheLimitWhenAbandonedAndRejectsWhatCannotWork) {
  Training t;
  {
    ProfilerOptions options;
    options.limits = {Power::watts(200), Power::watts(150)};
    Profiler profiler({t.gpu.get()}, t.clock, options);
    t.iterate();
    profiler.on_iteration();
    EXPECT_DOUBLE_EQ(t.gpu->power_limit().watts(), 200);
    EXPECT_THROW(profiler.profile(), Error);
  }
  EXPECT_DOUBLE_EQ(t.gpu->power_limit().watts(), 300);
  ProfilerOptions none;
  none.measure_iterations = 0;
  EXPECT_THROW(Profiler({t.gpu.get()}, t.clock, none), InputError);
  EXPECT_THROW(Profiler({}, t.clock), InputError);
}

}  // namespace
}  // namespace chase

// The energy layer's Monitor priced by the carbon layer's TraceSource: a window's carbon is
// ∫ P·CI dt on the trace's own grid (read at every boundary), not energy × mean intensity.

#include <gtest/gtest.h>

#include "carbon/trace_source.hpp"
#include "core/clock.hpp"
#include "energy/monitor.hpp"
#include "energy/simulated_gpu.hpp"

namespace chase {
namespace {

// step-change.csv: 100 g/kWh from 00:00 to 01:00, then 400 g/kWh until 02:00.
const UtcTime kT0 = UtcTime::parse_iso8601_or_throw("2020-01-01T00:00:00Z", "test");

struct Rig {
  ManualClock clock{kT0};
  TraceSource source{IntensityTrace::load(std::string(CHASE_FIXTURES_DIR) + "/traces/step-change.csv")};
  PowerProfile profile = PowerProfile::load("v100-resnet50");
  std::shared_ptr<SimulatedGpu> gpu = std::make_shared<SimulatedGpu>(profile, clock);
  Monitor monitor{{gpu}, clock, &source};
};

TEST(MonitorWithTraceSource, CarbonFollowsTheTracesGrid) {
  Rig rig;
  const Power p_max = rig.profile.at_limit(Power::watts(250)).average_power();
  const Power p_low = rig.profile.at_limit(Power::watts(150)).average_power();
  rig.monitor.begin("epoch");
  rig.clock.advance(Duration::minutes(60));
  rig.monitor.sample();  // the sampler wakes at the trace's boundary
  rig.gpu->set_power_limit(Power::watts(150));  // dirtier hour: a lower limit
  rig.clock.advance(Duration::minutes(60));
  const WindowResult w = rig.monitor.end("epoch");

  const Energy clean = p_max * Duration::hours(1);
  const Energy dirty = p_low * Duration::hours(1);
  const Mass expected = clean * CarbonIntensity::g_per_kwh(100) + dirty * CarbonIntensity::g_per_kwh(400);
  ASSERT_TRUE(w.carbon);
  EXPECT_NEAR(w.carbon->grams(), expected.grams(), 1e-9);
  ASSERT_EQ(w.segments.size(), 2u);
  EXPECT_EQ(w.segments[0].source, rig.source.name());
  EXPECT_DOUBLE_EQ(w.segments[1].intensity.g_per_kwh(), 400);

  // Energy x the time-mean intensity (250 g/kWh) would be wrong by (clean - dirty) x 150 g/kWh.
  const Mass naive = w.energy * rig.source.trace().mean(kT0, kT0 + Duration::hours(2));
  EXPECT_NEAR((naive - *w.carbon).grams(), ((clean - dirty) * CarbonIntensity::g_per_kwh(150)).grams(), 1e-9);
  EXPECT_GT(std::abs((naive - *w.carbon).grams()), 1.0);
}

TEST(MonitorWithTraceSource, AReadBetweenBoundariesSplitsByTime) {
  // Without a read at the boundary, energy between two reads is split in proportion to time:
  // at a constant limit that is exact.
  Rig rig;
  const Power p = rig.profile.at_limit(Power::watts(250)).average_power();
  rig.clock.advance(Duration::minutes(30));
  rig.monitor.begin("w");
  rig.clock.advance(Duration::minutes(60));  // 00:30 -> 01:30, no read at 01:00
  const WindowResult w = rig.monitor.end("w");
  const Mass expected = p * Duration::minutes(30) * CarbonIntensity::g_per_kwh(100) +
                        p * Duration::minutes(30) * CarbonIntensity::g_per_kwh(400);
  EXPECT_NEAR(w.carbon->grams(), expected.grams(), 1e-9);
}

TEST(MonitorWithTraceSource, OutsideTheTraceTheEnergyIsReportedUnpriced) {
  Rig rig;
  rig.clock.advance(Duration::minutes(90));
  rig.monitor.begin("late");
  rig.clock.advance(Duration::minutes(60));  // runs past the trace's end at 02:00
  const WindowResult w = rig.monitor.end("late");
  EXPECT_GT(w.energy_without_intensity.joules(), 0);
  EXPECT_FALSE(w.intensity_error.empty());
}

}  // namespace
}  // namespace chase

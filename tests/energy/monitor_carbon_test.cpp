// Carbon of a window as ∫ P·CI dt on the feed's own grid, with a virtual clock, a simulated
// GPU and an in-test feed whose intensity steps from 100 to 300 gCO2e/kWh after 30 minutes.

#include <gtest/gtest.h>

#include "energy/monitor.hpp"
#include "energy/simulated_gpu.hpp"
#include "energy/test_devices.hpp"

namespace chase {
namespace {

const UtcTime kT0 = UtcTime::parse_iso8601_or_throw("2020-03-01T10:00:00Z", "test");
const Duration kHalfHour = Duration::minutes(30);

std::vector<IntensityStep> low_then_high() {
  return {{CarbonIntensity::g_per_kwh(100), kT0, kT0 + kHalfHour, "test:low", false},
          {CarbonIntensity::g_per_kwh(300), kT0 + kHalfHour, kT0 + kHalfHour * 2, "test:high", false}};
}

struct SteppedGrid {
  ManualClock clock{kT0};
  test::StepFeed feed{low_then_high()};
  PowerProfile profile = PowerProfile::load("a40-resnet50");
  std::shared_ptr<SimulatedGpu> gpu = std::make_shared<SimulatedGpu>(profile, clock);
  Monitor monitor{{gpu}, clock, &feed};
  Power p300 = profile.at_limit(Power::watts(300)).average_power();
  Power p200 = profile.at_limit(Power::watts(200)).average_power();
};

TEST(MonitorCarbon, IntegratesOnTheFeedsGridNotTotalTimesMean) {
  SteppedGrid s;
  s.monitor.begin("job");
  s.clock.advance(kHalfHour);
  s.monitor.sample();  // the sampler's read at the boundary
  s.gpu->set_power_limit(Power::watts(200));  // the controller lowers the limit as the grid gets dirtier
  s.clock.advance(kHalfHour);
  const WindowResult w = s.monitor.end("job");

  const Energy e_low = s.p300 * kHalfHour;   // spent at 100 g/kWh
  const Energy e_high = s.p200 * kHalfHour;  // spent at 300 g/kWh
  ASSERT_TRUE(w.carbon.has_value());
  const Mass expected = e_low * CarbonIntensity::g_per_kwh(100) + e_high * CarbonIntensity::g_per_kwh(300);
  EXPECT_NEAR(w.carbon->grams(), expected.grams(), 1e-9);
  EXPECT_NEAR(w.energy.joules(), (e_low + e_high).joules(), 1e-9);

  // Total energy x mean intensity (200) would overstate it by (E_low - E_high) x 100 g/kWh,
  // because the GPU drew more power while the grid was clean.
  const Mass naive = w.energy * CarbonIntensity::g_per_kwh(200);
  EXPECT_NEAR((naive - *w.carbon).grams(), ((e_low - e_high) * CarbonIntensity::g_per_kwh(100)).grams(), 1e-9);
  EXPECT_GT((naive - *w.carbon).grams(), 0.5);

  ASSERT_EQ(w.segments.size(), 2u);
  EXPECT_EQ(w.segments[0].source, "test:low");
  EXPECT_EQ(w.segments[0].from, kT0);
  EXPECT_EQ(w.segments[0].until, kT0 + kHalfHour);
  EXPECT_NEAR(w.segments[0].energy.joules(), e_low.joules(), 1e-9);
  EXPECT_EQ(w.segments[1].source, "test:high");
  EXPECT_EQ(w.segments[1].until, kT0 + kHalfHour * 2);
  EXPECT_NEAR(w.segments[1].carbon.grams(), (e_high * CarbonIntensity::g_per_kwh(300)).grams(), 1e-9);
  EXPECT_NEAR(w.devices[0].carbon->grams(), w.carbon->grams(), 1e-9);
  EXPECT_DOUBLE_EQ(w.energy_without_intensity.joules(), 0);
  EXPECT_FALSE(w.any_fallback());
  EXPECT_EQ(s.monitor.next_intensity_boundary(), kT0 + kHalfHour * 2);
}

TEST(MonitorCarbon, WithoutAReadAtTheBoundaryEnergyIsSplitByTime) {
  // Same run, but nothing read the counters at the boundary: the monitor can only spread the
  // hour's energy evenly over it, which lands exactly on total x mean. This is why the sampler
  // wakes at every boundary.
  SteppedGrid s;
  s.monitor.begin("job");
  s.clock.advance(kHalfHour);
  s.gpu->set_power_limit(Power::watts(200));
  s.clock.advance(kHalfHour);
  const WindowResult w = s.monitor.end("job");
  EXPECT_NEAR(w.carbon->grams(), (w.energy * CarbonIntensity::g_per_kwh(200)).grams(), 1e-9);
  ASSERT_EQ(w.segments.size(), 2u);
  EXPECT_NEAR(w.segments[0].energy.joules(), w.energy.joules() / 2, 1e-9);
}

TEST(MonitorCarbon, WindowsInsideAndAcrossStepsAreClipped) {
  SteppedGrid s;
  s.monitor.begin("run");
  s.clock.advance(Duration::minutes(10));
  s.monitor.begin("middle");
  s.clock.advance(Duration::minutes(20));
  s.monitor.sample();
  s.clock.advance(Duration::minutes(10));
  const WindowResult middle = s.monitor.end("middle");  // 10:10 to 10:40
  s.clock.advance(Duration::minutes(20));
  const WindowResult run = s.monitor.end("run");

  const Energy per_minute = s.p300 * Duration::minutes(1);
  ASSERT_EQ(middle.segments.size(), 2u);
  EXPECT_EQ(middle.segments[0].from, kT0 + Duration::minutes(10));
  EXPECT_EQ(middle.segments[0].until, kT0 + kHalfHour);
  EXPECT_EQ(middle.segments[1].from, kT0 + kHalfHour);
  EXPECT_EQ(middle.segments[1].until, kT0 + Duration::minutes(40));
  EXPECT_NEAR(middle.segments[0].energy.joules(), (per_minute * 20).joules(), 1e-9);
  EXPECT_NEAR(middle.segments[1].energy.joules(), (per_minute * 10).joules(), 1e-9);
  EXPECT_NEAR(middle.carbon->grams(),
              (per_minute * 20 * CarbonIntensity::g_per_kwh(100) + per_minute * 10 * CarbonIntensity::g_per_kwh(300))
                  .grams(),
              1e-9);
  EXPECT_NEAR(run.carbon->grams(), (per_minute * 30 * CarbonIntensity::g_per_kwh(400)).grams(), 1e-9);
  Mass segment_sum;
  for (const auto& seg : run.segments) segment_sum += seg.carbon;
  EXPECT_NEAR(segment_sum.grams(), run.carbon->grams(), 1e-9);
}

TEST(MonitorCarbon, FeedFailureKeepsEnergyAndSaysWhatWasNotPriced) {
  SteppedGrid s;
  s.clock.set(kT0 + kHalfHour);
  s.monitor.begin("late");  // the feed ends at 11:00
  s.clock.advance(kHalfHour);
  s.monitor.sample();
  s.clock.advance(Duration::minutes(15));
  const WindowResult w = s.monitor.end("late");
  const Energy priced = s.p300 * kHalfHour;
  const Energy unpriced = s.p300 * Duration::minutes(15);
  EXPECT_NEAR(w.energy.joules(), (priced + unpriced).joules(), 1e-9);
  EXPECT_NEAR(w.energy_without_intensity.joules(), unpriced.joules(), 1e-9);
  EXPECT_NEAR(w.carbon->grams(), (priced * CarbonIntensity::g_per_kwh(300)).grams(), 1e-9);
  EXPECT_EQ(w.intensity_error, "test feed: no intensity for 2020-03-01T11:00:00Z");
  ASSERT_EQ(w.segments.size(), 1u);
  EXPECT_EQ(w.segments[0].source, "test:high");
}

TEST(MonitorCarbon, FallbackStepsAreVisible) {
  ManualClock clock(kT0);
  test::StepFeed feed({{CarbonIntensity::g_per_kwh(250), kT0, kT0 + kHalfHour, "static:gb", true}});
  auto device = std::make_shared<test::CountingDevice>("c", Energy::kwh(0.5));
  Monitor monitor({device}, clock, &feed);
  monitor.begin("w");
  clock.advance(Duration::minutes(1));
  const WindowResult w = monitor.end("w");
  EXPECT_TRUE(w.any_fallback());
  EXPECT_NEAR(w.carbon->grams(), 0.5 * 250, 1e-9);  // one read of 0.5 kWh between begin and end
}

}  // namespace
}  // namespace chase

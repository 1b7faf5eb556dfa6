// Totals of a run from its recorded samples: each device's last cumulative energy, and the energy
// between two samples priced at the steps it spans in proportion to time.

#include <gtest/gtest.h>

#include "store/run_totals.hpp"

namespace chase {
namespace {

const UtcTime kT0 = UtcTime::from_epoch_ms(1'700'000'000'000);
UtcTime at(double s) { return kT0 + Duration::seconds(s); }

TEST(RunTotals, SplitsEnergyAcrossStepsByTime) {
  const std::vector<PricedStep> steps = {
      {at(0), at(10), CarbonIntensity::g_per_kwh(200), "a", false, {}, {}, {}},
      {at(10), at(40), CarbonIntensity::g_per_kwh(500), "a", false, {}, {}, {}}};
  // 3.6 MJ = 1 kWh spent evenly from 5 s to 25 s: a quarter at 200, three quarters at 500.
  const std::vector<PowerSample> samples = {{0, at(25), Energy::joules(3.6e6), {}}, {0, at(5), Energy::joules(0), {}}};
  const RecordedTotals t = totals_from_samples(samples, steps, 1);
  EXPECT_DOUBLE_EQ(t.energy.joules(), 3.6e6);
  ASSERT_TRUE(t.carbon);
  EXPECT_NEAR(t.carbon->grams(), 0.25 * 200 + 0.75 * 500, 1e-9);
  EXPECT_EQ(t.last_sample, at(25));
}

TEST(RunTotals, EnergyOutsideEveryStepIsNotPricedAndNoStepsMeansNoCarbon) {
  const std::vector<PricedStep> steps = {{at(0), at(10), CarbonIntensity::g_per_kwh(100), "a", false, {}, {}, {}}};
  const std::vector<PowerSample> samples = {{0, at(0), Energy::joules(0), {}}, {0, at(20), Energy::joules(7.2e6), {}},
                                            {1, at(20), Energy::joules(10), {}}};
  const RecordedTotals t = totals_from_samples(samples, steps, 2);
  EXPECT_DOUBLE_EQ(t.energy.joules(), 7.2e6 + 10);
  EXPECT_NEAR(t.carbon->grams(), 1.0 * 100, 1e-9);  // half of 2 kWh fell inside the step
  EXPECT_DOUBLE_EQ(t.device_carbon[1].grams(), 0);   // one sample: no interval to price
  const RecordedTotals unpriced = totals_from_samples(samples, {}, 2);
  EXPECT_FALSE(unpriced.carbon);
  EXPECT_DOUBLE_EQ(unpriced.device_energy[0].joules(), 7.2e6);
}

}  // namespace
}  // namespace chase

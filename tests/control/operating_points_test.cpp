#include "control/operating_points.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

std::string fixture(const std::string& name) { return std::string(CHASE_FIXTURES_DIR) + "/control/" + name; }

std::vector<double> limits_of(const std::vector<OperatingPoint>& points) {
  std::vector<double> out;
  for (const auto& p : points) out.push_back(p.limit.watts());
  return out;
}

// noisy-profile.csv (per unit of work): 300 W 10 s 3000 J, 250 W 10.5 s 2625 J, 200 W 12 s 2400 J,
// 175 W 11.8 s 2500 J (faster than 200 W: noise), 150 W 16 s 2400 J, 100 W 30 s 3000 J.
TEST(OperatingPoints, DerivesPowerAndRateFromTheProfile) {
  const OperatingPoints points(PowerProfile::load(fixture("noisy-profile.csv")));
  ASSERT_EQ(points.all().size(), 6u);
  const OperatingPoint& p175 = points.at(Power::watts(175));
  EXPECT_NEAR(p175.power.watts(), 2500.0 / 11.8, 1e-9);
  EXPECT_NEAR(p175.rate_per_s, 1.0 / 11.8, 1e-12);
  EXPECT_DOUBLE_EQ(p175.energy_per_unit.joules(), 2500);
  EXPECT_DOUBLE_EQ(points.max_limit().limit.watts(), 300);
  EXPECT_THROW(points.at(Power::watts(225)), InputError);
}

TEST(OperatingPoints, ParetoFrontKeepsTheNoisyRowThatIsFasterAndDropsDominatedOnes) {
  const OperatingPoints points(PowerProfile::load(fixture("noisy-profile.csv")));
  // 150 W is as costly as 200 W but slower; 100 W is worse than 300 W on both counts.
  EXPECT_EQ(limits_of(points.pareto()), (std::vector<double>{300, 250, 200, 175}));
  // 200 W and 150 W tie on energy; the faster one is reported.
  EXPECT_DOUBLE_EQ(points.most_efficient().limit.watts(), 200);
}

TEST(OperatingPoints, FrontierIsTheUpperHullOfPowerAndRate) {
  const OperatingPoints points(PowerProfile::load(fixture("noisy-profile.csv")));
  // 175 W draws 211.9 W for rate 0.0847/s: under the chord from 200 W (200 W, 0.0833/s) to
  // 250 W (250 W, 0.0952/s), so alternating those two does better in every price.
  EXPECT_EQ(limits_of(points.frontier()), (std::vector<double>{300, 250, 200, 150, 100}));
  const auto& marginal = points.marginal_energy_j_per_unit();
  ASSERT_EQ(marginal.size(), 4u);
  EXPECT_NEAR(marginal[0], 50.0 / (0.1 - 1 / 10.5), 1e-6);  // 10500 J per extra unit
  EXPECT_NEAR(marginal[1], 4200, 1e-6);
  EXPECT_NEAR(marginal[2], 2400, 1e-6);
  EXPECT_NEAR(marginal[3], 50.0 / (1 / 16.0 - 1 / 30.0), 1e-6);
  for (std::size_t j = 1; j < marginal.size(); ++j) EXPECT_GT(marginal[j - 1], marginal[j]);
}

TEST(OperatingPoints, FrontierChoiceFollowsThePriceOfWork) {
  const OperatingPoints points(PowerProfile::load(fixture("noisy-profile.csv")));
  // At 360 g/kWh (1e-4 g/J), a unit worth 0.3 g pays for up to 3000 J of marginal energy:
  // 200 W (marginal 2400 J) yes, 250 W (4200 J) no.
  EXPECT_DOUBLE_EQ(points.frontier()[points.frontier_choice(0.3, 360)].limit.watts(), 200);
  // Twice as dirty: only steps under 1500 J pay, none does.
  EXPECT_DOUBLE_EQ(points.frontier()[points.frontier_choice(0.3, 720)].limit.watts(), 100);
  // Very clean, or free power: the fastest.
  EXPECT_DOUBLE_EQ(points.frontier()[points.frontier_choice(0.3, 50)].limit.watts(), 300);
  EXPECT_EQ(points.frontier_choice(0.3, 0), 0u);
  // Work worth nothing: the least power.
  EXPECT_DOUBLE_EQ(points.frontier()[points.frontier_choice(0.0, 360)].limit.watts(), 100);
}

TEST(OperatingPoints, EfficientOnlyKeepsTheParetoFrontAndTheMaximum) {
  const OperatingPoints points(PowerProfile::load(fixture("noisy-profile.csv")));
  const OperatingPoints efficient = points.efficient_only();
  EXPECT_EQ(limits_of(efficient.all()), (std::vector<double>{300, 250, 200, 175}));
  EXPECT_EQ(limits_of(efficient.frontier()), (std::vector<double>{300, 250, 200}));
  // The maximum limit stays even when a noisy row beats it.
  const OperatingPoints fast(PowerProfile::load(fixture("fast-below-max.csv")));
  EXPECT_EQ(limits_of(fast.efficient_only().all()), (std::vector<double>{250, 200, 150}));
  EXPECT_DOUBLE_EQ(fast.efficient_only().max_limit().limit.watts(), 250);
}

TEST(OperatingPoints, FastestMayBeBelowTheMaximumLimit) {
  const OperatingPoints points(PowerProfile::load(fixture("fast-below-max.csv")));
  EXPECT_DOUBLE_EQ(points.max_limit().limit.watts(), 250);
  EXPECT_DOUBLE_EQ(points.fastest().limit.watts(), 200);
  // More power for less work is never a choice.
  EXPECT_EQ(limits_of(points.frontier()), (std::vector<double>{200, 150}));
}

}  // namespace
}  // namespace chase

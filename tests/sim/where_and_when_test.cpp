#include "sim/where_and_when.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }

TEST(WhereAndWhen, RanksEveryRegionAndStartBestFirstWithTheSpread) {
  const auto diurnal = IntensityTrace::load(std::string(CHASE_FIXTURES_DIR) + "/sim/diurnal-6d.csv");
  // A flat grid at 50 g/kWh: cleaner than any hour of the diurnal one.
  std::vector<IntensitySample> flat;
  for (int h = 0; h < 48; ++h) flat.push_back({at("2021-01-01T00:00:00Z") + Duration::hours(h), CarbonIntensity::g_per_kwh(50)});
  const IntensityTrace clean("static:clean", flat);
  const PowerProfile profile = PowerProfile::load(std::string(CHASE_FIXTURES_DIR) + "/control/noisy-profile.csv");
  std::vector<PlanSite> sites{{"diurnal", &diurnal, {at("2021-03-02T00:00:00Z"), at("2021-03-02T12:00:00Z")}, false},
                              {"clean", &clean, {at("2021-01-01T00:00:00Z")}, true}};
  SimulationSetup setup;
  setup.work_at_max = Duration::hours(12);
  setup.slowdown_budget = 0.05;
  setup.frame_length = Duration::minutes(5);
  const WhereAndWhen plan = plan_where_and_when(sites, profile, setup, "chase", 0.5, 2.0);
  ASSERT_EQ(plan.rows.size(), 3u);
  EXPECT_EQ(plan.rows[0].site, "clean");
  EXPECT_TRUE(plan.rows[0].time_invariant);
  // Flat 50 g/kWh at 300 W for 12 h, doubled by the energy scale: 2 × 3.6 kWh × 50 g/kWh.
  EXPECT_NEAR(plan.rows[0].max_carbon_g, 2 * 3.6 * 50, 1e-6);
  EXPECT_NEAR(plan.rows[0].max_energy_j, 2 * 300.0 * 12 * 3600, 1e-3);
  for (std::size_t i = 1; i < plan.rows.size(); ++i) EXPECT_LE(plan.rows[i - 1].policy_carbon_g, plan.rows[i].policy_carbon_g);
  for (const PlanRow& r : plan.rows) {
    EXPECT_LE(r.slowdown_pct, 5 + 1e-9);
    EXPECT_LT(r.policy_carbon_g, r.max_carbon_g);
  }
  EXPECT_NEAR(plan.spread_factor, plan.rows.back().policy_carbon_g / plan.rows.front().policy_carbon_g, 1e-12);
  EXPECT_GT(plan.spread_factor_vs_max, plan.spread_factor);
}

TEST(WhereAndWhen, NothingToRankIsAnInputError) {
  const PowerProfile profile = PowerProfile::load(std::string(CHASE_FIXTURES_DIR) + "/control/noisy-profile.csv");
  EXPECT_THROW(plan_where_and_when({}, profile, SimulationSetup{}, "chase", 0.5), InputError);
}

}  // namespace
}  // namespace chase

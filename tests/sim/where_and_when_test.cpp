#include "sim/where_and_when.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "sim/start_times.hpp"

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
  setup.job.work_at_max = Duration::hours(12);
  setup.job.slowdown_budget = 0.05;
  setup.job.frame_length = Duration::minutes(5);
  const WhereAndWhen plan = plan_where_and_when(sites, profile, setup.job, "chase", 2.0);
  ASSERT_EQ(plan.rows.size(), 3u);
  EXPECT_EQ(plan.rows[0].site, "clean");
  EXPECT_TRUE(plan.rows[0].time_invariant);
  // Flat 50 g/kWh at 300 W for 12 h, doubled by the energy scale: 2 × 3.6 kWh × 50 g/kWh.
  EXPECT_NEAR(plan.rows[0].max_carbon.grams(), 2 * 3.6 * 50, 1e-6);
  EXPECT_NEAR(plan.rows[0].max_energy.joules(), 2 * 300.0 * 12 * 3600, 1e-3);
  for (std::size_t i = 1; i < plan.rows.size(); ++i) {
    EXPECT_LE(plan.rows[i - 1].policy_carbon.grams(), plan.rows[i].policy_carbon.grams());
  }
  for (const PlanRow& r : plan.rows) {
    EXPECT_LE(r.slowdown_pct, 5 + 1e-9);
    EXPECT_LT(r.policy_carbon.grams(), r.max_carbon.grams());
  }
  EXPECT_NEAR(plan.spread_factor.value(), plan.rows.back().policy_carbon / plan.rows.front().policy_carbon, 1e-12);
  EXPECT_GT(plan.spread_factor_vs_max.value(), plan.spread_factor.value());
}

TEST(WhereAndWhen, TheSpanIsTheSlowestAllowedJobAndAFrame) {
  const OperatingPoints points(PowerProfile::load(std::string(CHASE_FIXTURES_DIR) + "/control/noisy-profile.csv"));
  // The profile's slowest limit takes 30 s where the maximum takes 10 s: 3× without a budget.
  EXPECT_EQ(plan_span(points, Duration::hours(12), std::nullopt, Duration::hours(1)), Duration::hours(37));
  EXPECT_NEAR(plan_span(points, Duration::hours(12), 0.05, Duration::minutes(5)).hours(), 12.6 + 5.0 / 60, 1e-12);
}

TEST(WhereAndWhen, StartsAreSteppedWhileTheWholeJobFitsInTheTrace) {
  const auto diurnal = IntensityTrace::load(std::string(CHASE_FIXTURES_DIR) + "/sim/diurnal-6d.csv");
  // The trace runs 2021-03-01 to 2021-03-07; a 37 h job starting on the 6th would not fit.
  EXPECT_EQ(start_times(diurnal, at("2021-03-02T00:00:00Z"), diurnal.end(), Duration::days(1), Duration::hours(37)),
            (std::vector<UtcTime>{at("2021-03-02T00:00:00Z"), at("2021-03-03T00:00:00Z"), at("2021-03-04T00:00:00Z"),
                                  at("2021-03-05T00:00:00Z")}));
  // Not before the trace, and not at or after `to`.
  EXPECT_EQ(start_times(diurnal, at("2021-02-27T00:00:00Z"), at("2021-03-01T12:00:00Z"), Duration::hours(6), Duration::hours(1)),
            (std::vector<UtcTime>{at("2021-03-01T00:00:00Z"), at("2021-03-01T06:00:00Z")}));
}

TEST(WhereAndWhen, AWindowIsFromSlashToWithErrorsLedByWhereItCameFrom) {
  const PlanWindow w = PlanWindow::parse("2020-06-01T00:00Z/2020-06-08T00:00Z", "--window");
  EXPECT_EQ(w.from.iso8601(), "2020-06-01T00:00:00Z");
  EXPECT_EQ(w.to.iso8601(), "2020-06-08T00:00:00Z");
  const auto error = [](const std::string& text) {
    try {
      PlanWindow::parse(text, "--window");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error("2020-06-01T00:00Z"), "--window: '2020-06-01T00:00Z' is not FROM/TO (two ISO 8601 times with a zone)");
  EXPECT_EQ(error("2020-06-08T00:00Z/2020-06-01T00:00Z"),
            "--window: '2020-06-08T00:00Z/2020-06-01T00:00Z' ends before it starts");
  EXPECT_EQ(error("June/2020-06-01T00:00Z"),
            "--window start: time stamp \"June\" is not ISO 8601 (expected e.g. 2020-01-01T00:00:00Z)");
  EXPECT_EQ(error("2020-06-01T00:00Z/3021-07-01T00:00Z"),
            "--window end: time stamp \"3021-07-01T00:00Z\" is outside the plausible range (years 1970 to 2200, UTC)");
}

TEST(WhereAndWhen, ARegionWithoutATraceIsItsAverageHeldFlat) {
  RegionPreset region;
  region.key = "somewhere";
  region.gross = CarbonIntensity::g_per_kwh(420);
  const PlanPlace place = region_place(region, at("2020-01-01T00:00:00Z"), Duration::hours(2));
  EXPECT_EQ(place.name, "somewhere");
  EXPECT_TRUE(place.time_invariant);
  EXPECT_EQ(place.trace.source(), "static:somewhere");
  // Hourly, for the span and a day more.
  EXPECT_EQ(place.trace.size(), 26u);
  EXPECT_EQ(place.trace.at(at("2020-01-02T01:30:00Z")), CarbonIntensity::g_per_kwh(420));
  region.trace = "gb-2020";
  const PlanPlace traced = region_place(region, at("2020-01-01T00:00:00Z"), Duration::hours(2));
  EXPECT_FALSE(traced.time_invariant);
  EXPECT_GT(traced.trace.size(), 1000u);
}

TEST(WhereAndWhen, SitesGetTheirStartsAndThoseWithoutOneAreUncovered) {
  RegionPreset flat;
  flat.key = "flat";
  flat.gross = CarbonIntensity::g_per_kwh(50);
  std::vector<PlanPlace> places;
  places.push_back({"diurnal", IntensityTrace::load(std::string(CHASE_FIXTURES_DIR) + "/sim/diurnal-6d.csv"), false});
  places.push_back(region_place(flat, at("2021-03-01T00:00:00Z"), Duration::hours(13)));
  places.push_back({"short", IntensityTrace("short", {{at("2021-03-01T00:00:00Z"), CarbonIntensity::g_per_kwh(1)}}), false});
  const PlanSites all = plan_sites(places, std::nullopt, Duration::hours(12), Duration::hours(13));
  ASSERT_EQ(all.sites.size(), 2u);
  EXPECT_EQ(all.sites[0].name, "diurnal");
  EXPECT_EQ(all.sites[0].trace, &places[0].trace);
  // From a day in, every 12 h, while 13 h fit before 2021-03-07.
  EXPECT_EQ(all.sites[0].starts.front(), at("2021-03-02T00:00:00Z"));
  EXPECT_EQ(all.sites[0].starts.back(), at("2021-03-06T00:00:00Z"));
  EXPECT_EQ(all.sites[1].starts, std::vector<UtcTime>{at("2021-03-01T00:00:00Z")});
  EXPECT_TRUE(all.sites[1].time_invariant);
  EXPECT_EQ(all.uncovered, std::vector<std::string>{"short"});
  const PlanSites windowed =
      plan_sites(places, PlanWindow{at("2021-03-03T00:00:00Z"), at("2021-03-04T00:00:00Z")}, Duration::hours(12),
                 Duration::hours(13));
  EXPECT_EQ(windowed.sites[0].starts, (std::vector<UtcTime>{at("2021-03-03T00:00:00Z"), at("2021-03-03T12:00:00Z")}));
}

TEST(WhereAndWhen, NothingToRankIsAnInputError) {
  const PowerProfile profile = PowerProfile::load(std::string(CHASE_FIXTURES_DIR) + "/control/noisy-profile.csv");
  EXPECT_THROW(plan_where_and_when({}, profile, JobSpec{}, "chase"), InputError);
}

}  // namespace
}  // namespace chase

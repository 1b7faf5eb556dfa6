// Trace replay and static sources through the IntensityFeed seam (what the Monitor consumes).

#include <gtest/gtest.h>

#include "carbon/static_source.hpp"
#include "carbon/trace_source.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

UtcTime at(const char* iso) { return *UtcTime::parse_iso8601(iso); }
std::string fixture(const std::string& name) { return std::string(CHASE_FIXTURES_DIR) + "/traces/" + name; }

TEST(TraceSource, StepsFollowTheTracesOwnGrid) {
  TraceSource source(IntensityTrace::load(fixture("step-change.csv")));
  IntensityFeed& feed = source;
  const IntensityStep first = feed.step_at(at("2020-01-01T00:20:00Z"));
  EXPECT_DOUBLE_EQ(first.intensity.g_per_kwh(), 100);
  EXPECT_EQ(first.from.iso8601(), "2020-01-01T00:00:00Z");
  EXPECT_EQ(first.until.iso8601(), "2020-01-01T01:00:00Z");
  EXPECT_FALSE(first.fallback);
  EXPECT_EQ(first.source, "trace:" + fixture("step-change.csv"));
  const IntensityStep second = feed.step_at(first.until);
  EXPECT_DOUBLE_EQ(second.intensity.g_per_kwh(), 400);
  EXPECT_EQ(second.until.iso8601(), "2020-01-01T02:00:00Z");
  EXPECT_THROW(feed.step_at(at("2020-01-01T02:00:00Z")), InputError);
  EXPECT_EQ(source.reading_at(first.from).stale->seconds(), 0);
}

TEST(TraceSource, IntegratingOnTheFeedGridDiffersFromEnergyTimesMeanIntensity) {
  // 300 W for 30 min at 100 g/kWh, then 100 W for 60 min at 400 g/kWh (window 00:30-02:00).
  TraceSource source(IntensityTrace::load(fixture("step-change.csv")));
  const auto power_at = [](UtcTime t) { return t < at("2020-01-01T01:00:00Z") ? 300.0 : 100.0; };
  double carbon_g = 0, energy_kwh = 0;
  for (UtcTime t = at("2020-01-01T00:30:00Z"); t < at("2020-01-01T02:00:00Z");) {
    const IntensityStep step = source.step_at(t);
    const double kwh = power_at(t) * (step.until - t).hours() / 1000;
    carbon_g += kwh * step.intensity.g_per_kwh();
    energy_kwh += kwh;
    t = step.until;
  }
  EXPECT_DOUBLE_EQ(energy_kwh, 0.15 + 0.1);
  EXPECT_DOUBLE_EQ(carbon_g, 0.15 * 100 + 0.1 * 400);  // 55 g
  const double mean_ci = source.trace().mean(at("2020-01-01T00:30:00Z"), at("2020-01-01T02:00:00Z")).g_per_kwh();
  EXPECT_DOUBLE_EQ(energy_kwh * mean_ci, 0.25 * 300);    // 75 g: the average would overstate by 36 %
}

TEST(TraceSource, AStepIntoAGapIsMarkedAsAHeldFallback) {
  TraceSource source(IntensityTrace::load(fixture("with-gap.csv")));
  const IntensityStep real = source.step_at(at("2020-01-01T01:10:00Z"));
  EXPECT_FALSE(real.fallback);
  EXPECT_EQ(real.until.iso8601(), "2020-01-01T01:30:00Z");
  const IntensityStep held = source.step_at(at("2020-01-01T02:00:00Z"));
  EXPECT_TRUE(held.fallback);
  EXPECT_DOUBLE_EQ(held.intensity.g_per_kwh(), 120);
  EXPECT_EQ(held.from.iso8601(), "2020-01-01T01:30:00Z");
  EXPECT_EQ(held.until.iso8601(), "2020-01-01T03:00:00Z");
  EXPECT_NE(held.source.find("gap"), std::string::npos);
  const auto steps = source.history(at("2020-01-01T00:00:00Z"), at("2020-01-01T04:15:00Z"));
  ASSERT_EQ(steps.size(), 8u);
  EXPECT_TRUE(steps[3].step.fallback);
}

TEST(StaticSource, TheRegionAverageAllDayWithNoAge) {
  ManualClock clock(at("2024-05-01T12:00:00Z"));
  RegionPreset fr;
  fr.key = "fr";
  fr.gross = CarbonIntensity::g_per_kwh(56.7);
  StaticSource source(fr, clock, true);
  const IntensityReading r = source.reading_at(at("2024-05-01T13:20:00Z"));
  EXPECT_DOUBLE_EQ(r.step.intensity.g_per_kwh(), 56.7);
  EXPECT_EQ(r.step.from.iso8601(), "2024-05-01T00:00:00Z");
  EXPECT_EQ(r.step.until.iso8601(), "2024-05-02T00:00:00Z");
  EXPECT_EQ(r.step.source, "static:fr");
  EXPECT_TRUE(r.step.fallback);
  EXPECT_FALSE(r.stale.has_value());
  EXPECT_EQ(source.now(), clock.now());
}

}  // namespace
}  // namespace chase

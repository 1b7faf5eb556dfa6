// LiveSource: cache, refresh and the fallback chain (last cached value, then the static region
// average), each visible in the reading (source, fallback, stale).

#include <gtest/gtest.h>

#include "carbon/live/live_source.hpp"
#include "carbon/region_table.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

UtcTime at(const char* iso) { return *UtcTime::parse_iso8601(iso); }

// A provider scripted by the test: answers hourly points, or fails when told to.
class ScriptedProvider final : public IntensityProvider {
 public:
  struct Script {
    double latest_g = 300;
    UtcTime latest_from;
    bool failing = false;
    int latest_calls = 0;
    int history_calls = 0;
  };
  explicit ScriptedProvider(Script* script) : script_(script) {}
  std::string name() const override { return "scripted"; }
  std::string zone() const override { return "FR"; }
  ProviderPoint latest() override {
    ++script_->latest_calls;
    if (script_->failing) throw NetworkError("scripted: HTTP 500 Internal Server Error from /latest");
    return {script_->latest_from, script_->latest_from + Duration::hours(1), CarbonIntensity::g_per_kwh(script_->latest_g)};
  }
  std::vector<ProviderPoint> history(UtcTime from, UtcTime to) override {
    ++script_->history_calls;
    if (script_->failing) throw NetworkError("scripted: HTTP 500 Internal Server Error from /history");
    std::vector<ProviderPoint> out;
    for (UtcTime t = from.floor_to(Duration::hours(1)); t < to; t = t + Duration::hours(1)) {
      out.push_back({t, t + Duration::hours(1), CarbonIntensity::g_per_kwh(100 + static_cast<double>(t.hour_of_day()))});
    }
    return out;
  }
  std::vector<ProviderPoint> forecast() override { return {}; }

 private:
  Script* script_;
};

class LiveSourceTest : public ::testing::Test {
 protected:
  LiveSourceTest() : clock_(at("2024-05-01T12:10:00Z")) { script_.latest_from = at("2024-05-01T12:00:00Z"); }

  LiveSource source(bool with_region = true) {
    std::optional<RegionPreset> region;
    if (with_region) region = bundled_regions().get("fr");
    return LiveSource(std::make_unique<ScriptedProvider>(&script_), cache_, region, clock_, Duration::minutes(5));
  }

  ScriptedProvider::Script script_;
  MemoryIntensityCache cache_;
  ManualClock clock_;
};

TEST_F(LiveSourceTest, FetchesOnceThenServesFromTheCacheUntilTheRefresh) {
  LiveSource live = source();
  const IntensityReading first = live.reading_at(clock_.now());
  EXPECT_DOUBLE_EQ(first.step.intensity.g_per_kwh(), 300);
  EXPECT_EQ(first.step.source, "scripted:FR");
  EXPECT_FALSE(first.step.fallback);
  EXPECT_DOUBLE_EQ(first.stale->seconds(), 0);
  EXPECT_EQ(first.step.from.iso8601(), "2024-05-01T12:00:00Z");
  EXPECT_EQ(first.step.until.iso8601(), "2024-05-01T13:00:00Z");

  clock_.advance(Duration::minutes(3));
  const IntensityReading cached = live.reading_at(clock_.now());
  EXPECT_EQ(script_.latest_calls, 1);
  EXPECT_DOUBLE_EQ(cached.stale->seconds(), 180);
  EXPECT_FALSE(cached.step.fallback);

  clock_.advance(Duration::minutes(3));
  script_.latest_g = 310;
  EXPECT_DOUBLE_EQ(live.reading_at(clock_.now()).step.intensity.g_per_kwh(), 310);
  EXPECT_EQ(script_.latest_calls, 2);
}

TEST_F(LiveSourceTest, AFailedFetchFallsBackToTheLastCachedValue) {
  LiveSource live = source();
  live.reading_at(clock_.now());
  clock_.advance(Duration::minutes(50));
  script_.failing = true;
  const IntensityReading r = live.reading_at(clock_.now());
  EXPECT_DOUBLE_EQ(r.step.intensity.g_per_kwh(), 300);
  EXPECT_TRUE(r.step.fallback);
  EXPECT_EQ(r.step.source, "cache:scripted:FR");
  EXPECT_DOUBLE_EQ(r.stale->seconds(), 50 * 60);
  EXPECT_TRUE(r.step.from <= clock_.now() && clock_.now() < r.step.until);
  ASSERT_TRUE(live.last_failure().has_value());
  EXPECT_EQ(*live.last_failure(), "scripted: HTTP 500 Internal Server Error from /latest");
  // The feed seam sees the same fallback step.
  IntensityFeed& feed = live;
  EXPECT_TRUE(feed.step_at(clock_.now()).fallback);
}

TEST_F(LiveSourceTest, AFailedFetchIsNotRetriedBeforeTheRefresh) {
  script_.failing = true;
  LiveSource live = source();
  EXPECT_TRUE(live.reading_at(clock_.now()).step.fallback);
  clock_.advance(Duration::minutes(4));
  EXPECT_TRUE(live.reading_at(clock_.now()).step.fallback);
  EXPECT_EQ(script_.latest_calls, 1);  // the provider is down: one timeout per refresh period
  EXPECT_THROW(live.history(at("2024-05-01T00:00:00Z"), at("2024-05-01T06:00:00Z")), NetworkError);
  EXPECT_EQ(script_.history_calls, 0);  // nothing cached, and not asked again yet
  script_.failing = false;
  clock_.advance(Duration::minutes(1));
  const IntensityReading back = live.reading_at(clock_.now());
  EXPECT_EQ(script_.latest_calls, 2);
  EXPECT_FALSE(back.step.fallback);
  EXPECT_FALSE(live.last_failure().has_value());
}

TEST_F(LiveSourceTest, WithNothingCachedTheStaticRegionAverageStandsIn) {
  script_.failing = true;
  LiveSource live = source();
  const IntensityReading r = live.reading_at(clock_.now());
  EXPECT_DOUBLE_EQ(r.step.intensity.g_per_kwh(), bundled_regions().get("fr").gross.g_per_kwh());
  EXPECT_EQ(r.step.source, "static:fr");
  EXPECT_TRUE(r.step.fallback);
  EXPECT_FALSE(r.stale.has_value());
  EXPECT_TRUE(live.last_failure().has_value());
}

TEST_F(LiveSourceTest, WithNoFallbackLeftTheErrorSaysWhy) {
  script_.failing = true;
  LiveSource live = source(/*with_region=*/false);
  try {
    live.reading_at(clock_.now());
    FAIL();
  } catch (const NetworkError& e) {
    EXPECT_EQ(std::string(e.what()),
              "scripted:FR: no value for 2024-05-01T12:10:00Z (scripted: HTTP 500 Internal Server Error from /latest), "
              "nothing cached and no static fallback region");
  }
}

TEST_F(LiveSourceTest, HistoryIsFetchedOnceAndThenReadFromTheCache) {
  LiveSource live = source();
  const auto steps = live.history(at("2024-04-30T00:00:00Z"), at("2024-04-30T03:00:00Z"));
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_DOUBLE_EQ(steps[2].step.intensity.g_per_kwh(), 102);
  EXPECT_EQ(script_.history_calls, 1);
  const auto again = live.history(at("2024-04-30T00:30:00Z"), at("2024-04-30T02:00:00Z"));
  EXPECT_EQ(script_.history_calls, 1);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].step.from.iso8601(), "2024-04-30T00:00:00Z");
  // A past time is answered from the cache: no refresh needed, no fetch.
  clock_.advance(Duration::hours(2));
  EXPECT_DOUBLE_EQ(live.reading_at(at("2024-04-30T01:15:00Z")).step.intensity.g_per_kwh(), 101);
  EXPECT_EQ(script_.history_calls, 1);
  // Failing with part of a range cached: what is cached, marked fallback.
  script_.failing = true;
  const auto partial = live.history(at("2024-04-30T02:00:00Z"), at("2024-04-30T05:00:00Z"));
  ASSERT_EQ(partial.size(), 1u);
  EXPECT_TRUE(partial[0].step.fallback);
  EXPECT_EQ(partial[0].step.source, "cache:scripted:FR");
}

}  // namespace
}  // namespace chase

// LiveSource: cache, refresh and the fallback chain (last cached value, then the static region
// average), each visible in the reading (source, fallback, stale); data too old or dated in the
// future counts as a failed fetch; a provider's Retry-After holds every later fetch, and other
// sources on the same cache.

#include <gtest/gtest.h>

#include <limits>

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
    Duration period = Duration::hours(1);
    bool failing = false;
    std::optional<UtcTime> hold_off_until;  // answers "429, come back then"
    int latest_calls = 0;
    int history_calls = 0;
  };
  explicit ScriptedProvider(Script* script) : script_(script) {}
  std::string name() const override { return "scripted"; }
  std::string zone() const override { return "FR"; }
  Duration period() const override { return script_->period; }
  ProviderPoint latest() override {
    ++script_->latest_calls;
    refuse("/latest");
    return {script_->latest_from, script_->latest_from + script_->period, CarbonIntensity::g_per_kwh(script_->latest_g)};
  }
  std::vector<ProviderPoint> history(UtcTime from, UtcTime to) override {
    ++script_->history_calls;
    refuse("/history");
    std::vector<ProviderPoint> out;
    for (UtcTime t = from.floor_to(Duration::hours(1)); t < to; t = t + Duration::hours(1)) {
      out.push_back({t, t + Duration::hours(1), CarbonIntensity::g_per_kwh(100 + static_cast<double>(t.hour_of_day()))});
    }
    return out;
  }
  std::vector<ProviderPoint> forecast() override { return {}; }

 private:
  void refuse(const char* path) const {
    if (script_->hold_off_until) {
      throw ProviderHoldOff(std::string("scripted: HTTP 429 Too Many Requests from ") + path +
                                " (Retry-After: 3600; not asked again before " + script_->hold_off_until->iso8601() + ")",
                            *script_->hold_off_until);
    }
    if (script_->failing) throw NetworkError(std::string("scripted: HTTP 500 Internal Server Error from ") + path);
  }
  Script* script_;
};

class LiveSourceTest : public ::testing::Test {
 protected:
  LiveSourceTest() : clock_(at("2024-05-01T12:10:00Z")) { script_.latest_from = at("2024-05-01T12:00:00Z"); }

  LiveSource source(bool with_region = true) { return source_on(script_, with_region); }
  LiveSource source_on(ScriptedProvider::Script& script, bool with_region = true) {
    std::optional<RegionPreset> region;
    if (with_region) region = bundled_regions().get("fr");
    return LiveSource(std::make_unique<ScriptedProvider>(&script), cache_, region, clock_, Duration::minutes(5));
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
  EXPECT_DOUBLE_EQ(cached.stale->seconds(), 0);  // the data's age: its hour is still current
  EXPECT_FALSE(cached.step.fallback);

  clock_.advance(Duration::minutes(3));
  script_.latest_g = 310;
  EXPECT_DOUBLE_EQ(live.reading_at(clock_.now()).step.intensity.g_per_kwh(), 310);
  EXPECT_EQ(script_.latest_calls, 2);
}

TEST_F(LiveSourceTest, AFailedFetchFallsBackToTheLastCachedValue) {
  LiveSource live = source();
  live.reading_at(clock_.now());
  clock_.advance(Duration::minutes(80));
  script_.failing = true;
  const IntensityReading r = live.reading_at(clock_.now());
  EXPECT_DOUBLE_EQ(r.step.intensity.g_per_kwh(), 300);
  EXPECT_TRUE(r.step.fallback);
  EXPECT_EQ(r.step.source, "cache:scripted:FR");
  EXPECT_DOUBLE_EQ(r.stale->seconds(), 30 * 60);  // its hour ended at 13:00, now is 13:30
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

// Many readings inside one refresh (a meter's every read, each short frame of `chase run`):
// recent times the newest value does not hold — before it, or after it when the provider lags —
// are answered from the last fetch, not by asking again.
TEST_F(LiveSourceTest, ReadingsOfRecentTimesAskTheProviderOncePerRefresh) {
  LiveSource live = source();
  // 12:10 now, the newest hour from 12:00: times from 11:15 to 12:09 at 3-second steps.
  for (UtcTime t = at("2024-05-01T11:15:00Z"); t < clock_.now(); t = t + Duration::seconds(3)) {
    const IntensityReading r = live.reading_at(t);
    EXPECT_DOUBLE_EQ(r.step.intensity.g_per_kwh(), 300);
    EXPECT_FALSE(r.step.fallback);
  }
  EXPECT_EQ(script_.latest_calls, 1);
  // A lagging provider: its newest hour ended before the times asked.
  script_.latest_from = at("2024-05-01T11:00:00Z");
  clock_.advance(Duration::minutes(5));  // a refresh on: asked again, once
  for (int i = 0; i < 100; ++i) {
    const IntensityReading r = live.reading_at(clock_.now() + Duration::milliseconds(100 * i));
    EXPECT_FALSE(r.step.fallback);
  }
  EXPECT_EQ(script_.latest_calls, 2);
  clock_.advance(Duration::minutes(5));
  live.reading_at(clock_.now());
  EXPECT_EQ(script_.latest_calls, 3);
}

TEST_F(LiveSourceTest, StaleIsTheAgeOfTheDataNotOfTheFetch) {
  script_.latest_from = at("2024-05-01T11:00:00Z");  // the newest hour ended 10 min ago
  LiveSource live = source();
  const IntensityReading r = live.reading_at(clock_.now());
  EXPECT_FALSE(r.step.fallback);
  EXPECT_DOUBLE_EQ(r.stale->seconds(), 600);
  EXPECT_EQ(r.step.until.iso8601(), "2024-05-01T12:15:00Z");  // held until the next refresh
  // History steps carry their own age.
  const auto steps = live.history(at("2024-04-30T00:00:00Z"), at("2024-04-30T02:00:00Z"));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_DOUBLE_EQ(steps[1].stale->seconds(), (Duration::hours(34) + Duration::minutes(10)).seconds());
}

// The case: a half-hourly provider whose newest half hour ended 48 h ago.
TEST_F(LiveSourceTest, DataOlderThanTheBoundIsAFailedFetch) {
  script_.period = Duration::minutes(30);
  script_.latest_from = at("2024-04-29T11:40:00Z");  // ends 12:10 two days ago
  LiveSource live = source();
  EXPECT_DOUBLE_EQ(live.stale_bound().hours(), 2);
  const IntensityReading r = live.reading_at(clock_.now());
  EXPECT_TRUE(r.step.fallback);
  EXPECT_EQ(r.step.source, "static:fr");
  EXPECT_FALSE(r.stale.has_value());
  EXPECT_EQ(live.last_failure().value_or(""), "scripted: newest data ended 48.0 h ago (bound 2 h)");
  // Not cached as if it were current, and not asked again before the refresh.
  EXPECT_FALSE(cache_.last_at_or_before("scripted:FR", clock_.now()).has_value());
  live.reading_at(clock_.now());
  EXPECT_EQ(script_.latest_calls, 1);
  // Two periods late is a lag, not an outage: served, with its age.
  script_.latest_from = at("2024-05-01T11:10:00Z");
  clock_.advance(Duration::minutes(5));
  const IntensityReading late = live.reading_at(clock_.now());
  EXPECT_FALSE(late.step.fallback);
  EXPECT_DOUBLE_EQ(late.stale->seconds(), 35 * 60);
  EXPECT_FALSE(live.last_failure().has_value());
}

TEST_F(LiveSourceTest, DataDatedInTheFutureIsAFailedFetch) {
  script_.latest_from = at("2024-05-03T12:00:00Z");
  LiveSource live = source();
  const IntensityReading r = live.reading_at(clock_.now());
  EXPECT_EQ(r.step.source, "static:fr");
  EXPECT_EQ(live.last_failure().value_or(""),
            "scripted: newest data starts 47.8 h after now, 2024-05-03T12:00:00Z (bound 4 h)");
  EXPECT_TRUE(cache_.range("scripted:FR", at("2024-05-01T00:00:00Z"), at("2024-05-05T00:00:00Z")).empty());
}

// A value no grid can have (a provider's unit change, a corrupt answer) is a failed fetch for
// every provider alike: the static average answers, the reason says why, nothing is cached.
TEST_F(LiveSourceTest, AnImplausibleValueIsAFailedFetch) {
  for (const double g : {1e300, -5.0, 231000.0, std::numeric_limits<double>::quiet_NaN()}) {
    SCOPED_TRACE(g);
    script_.latest_g = g;
    LiveSource live = source();
    const IntensityReading r = live.reading_at(clock_.now());
    EXPECT_EQ(r.step.source, "static:fr");
    EXPECT_NE(live.last_failure().value_or("").find("scripted: the answer's intensity"), std::string::npos)
        << live.last_failure().value_or("");
    EXPECT_NE(live.last_failure().value_or("").find("is not within [0, 5000]"), std::string::npos);
    EXPECT_TRUE(cache_.range("scripted:FR", at("2024-05-01T00:00:00Z"), at("2024-05-05T00:00:00Z")).empty());
  }
  script_.latest_g = 5000;  // the ceiling itself is a value
  EXPECT_EQ(source().reading_at(clock_.now()).step.source, "scripted:FR");
}

TEST_F(LiveSourceTest, ACachedValuePastTheBoundDoesNotStandIn) {
  LiveSource live = source();
  live.reading_at(clock_.now());  // 12:00-13:00 cached
  script_.failing = true;
  clock_.advance(Duration::hours(6));  // 18:10: the cached hour ended 5 h 10 min ago
  const IntensityReading r = live.reading_at(clock_.now());
  EXPECT_EQ(r.step.source, "static:fr");
  EXPECT_EQ(live.last_failure().value_or(""),
            "scripted: HTTP 500 Internal Server Error from /latest; cached data ended 5.2 h ago (bound 4 h)");
  // For an earlier time, the distance is counted from that time.
  EXPECT_EQ(live.reading_at(at("2024-05-01T17:30:00Z")).step.source, "static:fr");
  EXPECT_EQ(live.last_failure().value_or(""),
            "scripted: HTTP 500 Internal Server Error from /latest; cached data ended 4.5 h before 2024-05-01T17:30:00Z "
            "(bound 4 h)");
  EXPECT_EQ(live.reading_at(at("2024-05-01T16:30:00Z")).step.source, "cache:scripted:FR");  // 3.5 h: it stands in
  // A past time the cache holds is still answered from it: the data covers that time.
  const IntensityReading past = live.reading_at(at("2024-05-01T12:30:00Z"));
  EXPECT_EQ(past.step.source, "scripted:FR");
  EXPECT_DOUBLE_EQ(past.stale->seconds(), (Duration::hours(5) + Duration::minutes(10)).seconds());
}

TEST_F(LiveSourceTest, ARetryAfterHoldsEveryLaterFetchUntilItsTime) {
  script_.hold_off_until = at("2024-05-01T13:10:00Z");
  LiveSource live = source();
  const IntensityReading r = live.reading_at(clock_.now());
  EXPECT_EQ(r.step.source, "static:fr");
  const std::string reason =
      "scripted: HTTP 429 Too Many Requests from /latest (Retry-After: 3600; not asked again before 2024-05-01T13:10:00Z)";
  EXPECT_EQ(live.last_failure().value_or(""), reason);
  EXPECT_EQ(cache_.hold_at("scripted", clock_.now())->until.iso8601(), "2024-05-01T13:10:00Z");
  // The frames of a run: readings past the refresh, a history, the forecast: nothing is asked.
  script_.hold_off_until.reset();
  for (int minute = 5; minute < 60; minute += 5) {
    clock_.advance(Duration::minutes(5));
    EXPECT_TRUE(live.reading_at(clock_.now()).step.fallback);
  }
  EXPECT_THROW(live.history(at("2024-04-30T00:00:00Z"), at("2024-04-30T02:00:00Z")), NetworkError);
  EXPECT_TRUE(live.provider_forecast().empty());
  EXPECT_EQ(script_.latest_calls, 1);
  EXPECT_EQ(script_.history_calls, 0);
  EXPECT_EQ(live.last_failure().value_or(""), reason);
  // At the time it named, it is asked again.
  clock_.set(at("2024-05-01T13:10:00Z"));
  EXPECT_FALSE(live.reading_at(clock_.now()).step.fallback);
  EXPECT_EQ(script_.latest_calls, 2);
}

TEST_F(LiveSourceTest, ARetryAfterHoldsAnotherSourceOnTheSameCache) {
  // Another process with the same cache file: its own source and provider, the same cache.
  script_.hold_off_until = at("2024-05-01T13:10:00Z");
  LiveSource first = source();
  first.reading_at(clock_.now());
  ScriptedProvider::Script other;
  other.latest_from = at("2024-05-01T12:00:00Z");
  LiveSource second = source_on(other);
  clock_.advance(Duration::minutes(1));
  const IntensityReading r = second.reading_at(clock_.now());
  EXPECT_TRUE(r.step.fallback);
  EXPECT_EQ(other.latest_calls, 0);
  EXPECT_NE(second.last_failure().value_or("").find("Retry-After: 3600"), std::string::npos);
}

TEST_F(LiveSourceTest, AStaleHistoryIsReturnedAndSaysHowOld) {
  LiveSource live = source();
  // The provider's history stops at 02:00 yesterday; asked up to now (12:10), 34 h later.
  const auto steps = live.history(at("2024-04-30T00:00:00Z"), at("2024-04-30T02:00:00Z"));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_FALSE(live.last_failure().has_value());
  script_.failing = true;
  const auto again = live.history(at("2024-04-30T00:00:00Z"), clock_.now());
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(live.last_failure().value_or(""),
            "scripted: HTTP 500 Internal Server Error from /history; scripted: newest data ended 34.2 h ago (bound 4 h)");
}

}  // namespace
}  // namespace chase

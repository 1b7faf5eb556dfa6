#include "carbon/intensity_range.hpp"

#include <gtest/gtest.h>

#include "carbon/trace_source.hpp"

namespace chase {
namespace {

UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }

IntensityTrace hourly() {
  return IntensityTrace("hourly", {{at("2020-01-01T00:00Z"), CarbonIntensity::g_per_kwh(100)},
                                   {at("2020-01-01T01:00Z"), CarbonIntensity::g_per_kwh(300)},
                                   {at("2020-01-01T02:00Z"), CarbonIntensity::g_per_kwh(200)}});
}

TEST(IntensityRange, TheMeanIsTimeWeightedOverThePartCovered) {
  TraceSource source(hourly());
  // 30 min at 100, 60 at 300, 30 at 200: (50 + 300 + 100) / 2.
  const IntensityRange r = read_intensity_range(source, at("2020-01-01T00:30Z"), at("2020-01-01T02:30Z"));
  EXPECT_EQ(r.source, "trace:hourly");
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_DOUBLE_EQ(r.mean.g_per_kwh(), 225);
  EXPECT_TRUE(r.gaps.empty());
}

TEST(IntensityRange, ATraceSourcesRecordedPastIsItsWholeTrace) {
  TraceSource source(hourly());
  const RecordedIntensity recorded = recorded_intensity(source, Duration::hours(1));
  EXPECT_EQ(recorded.trace.size(), 3u);
  EXPECT_EQ(recorded.stale, Duration::seconds(0));
}

}  // namespace
}  // namespace chase

#include "export/intensity_export.hpp"

#include <gtest/gtest.h>

#include "carbon/trace_source.hpp"

namespace chase {
namespace {

UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }

// Half-hourly: 100, 200, then a missing hour, then 400 g/kWh.
IntensityTrace gappy_trace() {
  return IntensityTrace("gappy", {{at("2020-01-01T00:00Z"), CarbonIntensity::g_per_kwh(100)},
                                  {at("2020-01-01T00:30Z"), CarbonIntensity::g_per_kwh(200)},
                                  {at("2020-01-01T02:00Z"), CarbonIntensity::g_per_kwh(400)},
                                  {at("2020-01-01T02:30Z"), CarbonIntensity::g_per_kwh(400)}});
}

TEST(IntensityExport, WritesAReadingWithItsStaleness) {
  const IntensityReading fresh{{CarbonIntensity::g_per_kwh(250), at("2020-01-01T00:00Z"), at("2020-01-01T00:30Z"),
                                "uk-carbon-intensity", false},
                               Duration::seconds(90)};
  nlohmann::json j = reading_json(fresh);
  EXPECT_EQ(j["from"], "2020-01-01T00:00:00Z");
  EXPECT_EQ(j["until"], "2020-01-01T00:30:00Z");
  EXPECT_DOUBLE_EQ(j["intensity_g_per_kwh"], 250);
  EXPECT_EQ(j["source"], "uk-carbon-intensity");
  EXPECT_DOUBLE_EQ(j["stale_s"], 90);
  const IntensityReading average{fresh.step, std::nullopt};
  EXPECT_TRUE(reading_json(average)["stale_s"].is_null());
  j = reading_at_json(at("2020-01-01T00:10Z"), fresh, "uk-carbon-intensity:gb", std::string("timeout"), {});
  EXPECT_EQ(j["at"], "2020-01-01T00:10:00Z");
  EXPECT_EQ(j["requested_source"], "uk-carbon-intensity:gb");
  EXPECT_EQ(j["fallback_reason"], "timeout");
  EXPECT_EQ(j["gaps"], nlohmann::json::array());
}

TEST(IntensityExport, WritesARangeWithItsMeanAndTheTracesGaps) {
  TraceSource source(gappy_trace());
  const IntensityRange range = read_intensity_range(source, at("2020-01-01T00:15Z"), at("2020-01-01T00:45Z"));
  const nlohmann::json j = range_json(range, std::nullopt);
  EXPECT_EQ(j["source"], "trace:gappy");
  EXPECT_EQ(j["from"], "2020-01-01T00:15:00Z");
  ASSERT_EQ(j["steps"].size(), 2u);
  EXPECT_DOUBLE_EQ(j["steps"][1]["intensity_g_per_kwh"], 200);
  // 15 min at 100 and 15 min at 200.
  EXPECT_DOUBLE_EQ(j["mean_intensity_g_per_kwh"], 150);
  ASSERT_EQ(j["gaps"].size(), 1u);
  EXPECT_EQ(j["gaps"][0]["from"], "2020-01-01T00:30:00Z");
  EXPECT_EQ(j["gaps"][0]["to"], "2020-01-01T02:00:00Z");
  EXPECT_DOUBLE_EQ(j["gaps"][0]["missing_s"], 3600);
  EXPECT_TRUE(j["fallback_reason"].is_null());
}

}  // namespace
}  // namespace chase

#include "export/forecast_export.hpp"

#include <gtest/gtest.h>

namespace chase {
namespace {

UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }

TEST(ForecastExport, WritesTheNextFramesAfterTheLastObservedOne) {
  const IntensityHistory history{"trace:flat", Duration::minutes(30),
                                 IntensityTrace("flat", {{at("2020-01-01T00:00Z"), CarbonIntensity::g_per_kwh(300)},
                                                         {at("2020-01-01T00:30Z"), CarbonIntensity::g_per_kwh(320)}}),
                                 false, Duration::seconds(0)};
  const auto model = make_forecaster("persistence", history.frame);
  const FrameForecast forecast = forecast_frames(*model, history, 2);
  const nlohmann::json j = forecast_json("persistence", history, forecast, std::nullopt);
  EXPECT_EQ(j["model"], "persistence");
  EXPECT_EQ(j["source"], "trace:flat");
  EXPECT_FALSE(j["fallback"]);
  EXPECT_DOUBLE_EQ(j["stale_s"], 0);
  EXPECT_TRUE(j["fallback_reason"].is_null());
  EXPECT_DOUBLE_EQ(j["frame_minutes"], 30);
  EXPECT_EQ(j["history_frames"], 2);
  EXPECT_EQ(j["last_observed"], "2020-01-01T00:30:00Z");
  EXPECT_DOUBLE_EQ(j["last_intensity_g_per_kwh"], 320);
  EXPECT_EQ(j["horizon_frames"], 2);
  ASSERT_EQ(j["frames"].size(), 2u);
  EXPECT_EQ(j["frames"][0]["from"], "2020-01-01T01:00:00Z");
  EXPECT_EQ(j["frames"][1]["until"], "2020-01-01T02:00:00Z");
  EXPECT_DOUBLE_EQ(j["frames"][1]["intensity_g_per_kwh"], 320);  // persistence repeats the last frame
}

BacktestReport two_model_report(bool baseline_only, std::size_t horizons) {
  BacktestReport report{"gb-2020", Duration::minutes(30), 1000, 384, 2, {}, baseline_only};
  BacktestResult persistence{"persistence", {}};
  BacktestResult ridge{"ridge", {}};
  for (std::size_t k = 0; k < horizons; ++k) {
    persistence.horizons.push_back({k + 1, 600, 10.0, CarbonIntensity::g_per_kwh(20), 0, 10.0});
    ridge.horizons.push_back({k + 1, 600, 8.0, CarbonIntensity::g_per_kwh(16), 0, 8.0});
  }
  report.results = {persistence, ridge};
  return report;
}

TEST(ForecastExport, WritesOneScoreFlatWhenOneModelAndOneHorizonWereAsked) {
  const nlohmann::json j = backtest_json(two_model_report(true, 1));
  EXPECT_EQ(j["trace"], "gb-2020");
  EXPECT_EQ(j["frames"], 1000);
  EXPECT_EQ(j["warmup_frames"], 384);
  EXPECT_EQ(j["gap_frames"], 2);
  EXPECT_EQ(j["model"], "ridge");
  EXPECT_EQ(j["horizon_frames"], 1);
  EXPECT_DOUBLE_EQ(j["horizon_minutes"], 30);
  EXPECT_DOUBLE_EQ(j["mape_pct"], 8);
  EXPECT_DOUBLE_EQ(j["persistence_mape_pct"], 10);
  EXPECT_DOUBLE_EQ(j["mape_vs_persistence_pct"], -20);
  EXPECT_FALSE(j.contains("results"));
}

TEST(ForecastExport, ListsEveryScoreAndPersistenceOnlyWhenAsked) {
  nlohmann::json j = backtest_json(two_model_report(true, 2));
  ASSERT_EQ(j["results"].size(), 2u);  // ridge at leads 1 and 2
  EXPECT_EQ(j["results"][1]["model"], "ridge");
  EXPECT_DOUBLE_EQ(j["results"][1]["horizon_minutes"], 60);
  j = backtest_json(two_model_report(false, 1));
  ASSERT_EQ(j["results"].size(), 2u);  // persistence and ridge at lead 1
  EXPECT_EQ(j["results"][0]["model"], "persistence");
  EXPECT_DOUBLE_EQ(j["results"][0]["mape_vs_persistence_pct"], 0);
}

}  // namespace
}  // namespace chase

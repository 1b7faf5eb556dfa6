#include "export/forecast_export.hpp"

#include "carbon/forecast/lag_features.hpp"
#include "export/json_optional.hpp"

namespace chase {

nlohmann::json forecast_json(const std::string& model, const IntensityHistory& history, const FrameForecast& forecast,
                             const std::optional<std::string>& fallback_reason) {
  nlohmann::json j{{"model", model},
                   {"source", history.source},
                   {"fallback", history.fallback},
                   {"stale_s", or_null(history.stale, [](const Duration& d) { return d.seconds(); })},
                   {"fallback_reason", or_null(fallback_reason)},
                   {"frame_minutes", history.frame.minutes()},
                   {"history_frames", history.frames.size()},
                   // Day statistics of the models read every n-th frame (1 down to 5-minute frames).
                   {"day_statistics_every_frames", day_sample_stride(history.frame)},
                   {"last_observed", forecast.last_observed.iso8601()},
                   {"last_intensity_g_per_kwh", forecast.last_intensity.g_per_kwh()},
                   {"horizon_frames", forecast.horizon_frames},
                   {"frames", nlohmann::json::array()}};
  for (const ForecastFrame& f : forecast.frames) {
    j["frames"].push_back(
        {{"from", f.from.iso8601()}, {"until", f.until.iso8601()}, {"intensity_g_per_kwh", f.intensity.g_per_kwh()}});
  }
  return j;
}

nlohmann::json backtest_score_json(const BacktestReport& report, const BacktestResult& result, std::size_t k) {
  const HorizonScore& s = result.horizons[k];
  return nlohmann::json{{"model", result.model},
                        {"horizon_frames", s.horizon_frames},
                        {"horizon_minutes", (report.frame * static_cast<double>(s.horizon_frames)).minutes()},
                        {"mape_pct", s.mape_pct},
                        {"mape_pct_leads_1_to_h", s.mape_pct_leads_1_to_h},
                        {"mae_g_per_kwh", s.mae.g_per_kwh()},
                        {"points", s.points},
                        {"zero_actuals", s.zero_actuals},
                        {"persistence_mape_pct", report.baseline().horizons[k].mape_pct},
                        {"mape_vs_persistence_pct", report.mape_vs_persistence_pct(s, k)}};
}

nlohmann::json backtest_json(const BacktestReport& report) {
  nlohmann::json j{{"trace", report.trace},
                   {"frame_minutes", report.frame.minutes()},
                   {"frames", report.frames},
                   {"warmup_frames", report.warmup_frames},
                   {"gap_frames", report.gap_frames}};
  const std::size_t models_asked = report.results.size() - (report.baseline_only ? 1 : 0);
  if (models_asked == 1 && report.baseline().horizons.size() == 1) {
    nlohmann::json score = backtest_score_json(report, report.results.back(), 0);
    score.update(j);
    return score;
  }
  j["results"] = nlohmann::json::array();
  for (const BacktestResult& r : report.results) {
    if (report.baseline_only && &r == &report.baseline()) continue;
    for (std::size_t k = 0; k < r.horizons.size(); ++k) j["results"].push_back(backtest_score_json(report, r, k));
  }
  return j;
}

}  // namespace chase

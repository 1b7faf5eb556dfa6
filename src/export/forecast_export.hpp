#pragma once
// JSON of intensity forecasts (`chase forecast --json`) and of forecaster backtests (`chase
// forecast backtest --json`).

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "carbon/forecast/backtest_report.hpp"
#include "carbon/forecast/frame_forecast.hpp"

namespace chase {

// {model, source, fallback, stale_s, fallback_reason, frame_minutes, history_frames,
// last_observed, last_intensity_g_per_kwh, horizon_frames, frames[{from, until,
// intensity_g_per_kwh}]}. stale_s: the age of the newest observed value in seconds (now minus
// the end of its interval; 0 for a trace); fallback: the history is not all live, or its
// newest value is older than the provider's bound (fallback_reason says which).
nlohmann::json forecast_json(const std::string& model, const IntensityHistory& history, const FrameForecast& forecast,
                             const std::optional<std::string>& fallback_reason);

// One model's score at the k-th horizon asked: {model, horizon_frames, horizon_minutes,
// mape_pct, mape_pct_leads_1_to_h, mae_g_per_kwh, points, zero_actuals, persistence_mape_pct,
// mape_vs_persistence_pct}.
nlohmann::json backtest_score_json(const BacktestReport& report, const BacktestResult& result, std::size_t k);

// {trace, frame_minutes, frames, warmup_frames, gap_frames} with, for one model at one
// horizon, that score's fields; else results[backtest_score_json] of every model asked
// (persistence only when asked) at every horizon.
nlohmann::json backtest_json(const BacktestReport& report);

}  // namespace chase

#pragma once
// Walk-forward backtest of a forecaster on a trace: the model sees frame i, forecasts frames
// i+1 ... i+K, and only then sees frame i+1 (no look-ahead). Errors per lead time K.

#include <optional>
#include <vector>

#include "carbon/forecast/forecaster.hpp"
#include "carbon/intensity_trace.hpp"
#include "core/units.hpp"

namespace chase {

// A trace cut into frames of one length (each the time-weighted mean of the trace over it).
// Frames that overlap a gap of the trace hold a repeated value, not data: the model still sees
// them (time goes on), but they are never scored.
struct FrameSeries {
  IntensityTrace frames;
  Duration frame;
  std::vector<bool> in_gap;  // per frame
  std::size_t gap_frames = 0;
};

// `frame` defaults to the trace's typical step (its own resolution).
FrameSeries frame_series(const IntensityTrace& trace, std::optional<Duration> frame = std::nullopt);

struct HorizonScore {
  std::size_t horizon_frames = 0;
  std::size_t points = 0;          // forecasts scored
  double mape_pct = 0.0;           // over points with a non-zero actual value
  CarbonIntensity mae;             // mean absolute error
  std::size_t zero_actuals = 0;    // left out of MAPE (undefined there), kept in MAE
  double mape_pct_leads_1_to_h = 0.0;  // mean of the MAPEs of leads 1..horizon (a whole schedule)
};

struct BacktestResult {
  std::string model;
  std::vector<HorizonScore> horizons;  // in the order asked
};

// Forecasts issued after `warmup_frames` frames are scored (the same points for every model, so
// scores compare). Throws InputError when no forecast can be scored.
BacktestResult backtest(const Forecaster& model, const FrameSeries& series, const std::vector<std::size_t>& horizons,
                        std::size_t warmup_frames);

// The default warm-up: 8 days of frames (every model then has a week of history), at most half
// the series.
std::size_t default_warmup_frames(const FrameSeries& series);

}  // namespace chase

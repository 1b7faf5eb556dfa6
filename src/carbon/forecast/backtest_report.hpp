#pragma once
// Forecasters backtested on one trace beside persistence, the baseline every score is compared
// with.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "carbon/forecast/backtest.hpp"
#include "carbon/forecast/forecaster.hpp"

namespace chase {

struct BacktestReport {
  std::string trace;  // the trace's source name
  Duration frame;
  std::size_t frames = 0;
  std::size_t warmup_frames = 0;
  std::size_t gap_frames = 0;
  std::vector<BacktestResult> results;  // persistence first, then the others as asked
  bool baseline_only = false;           // persistence was not asked for: it is there as the baseline

  const BacktestResult& baseline() const { return results.front(); }
  // A score's MAPE against persistence's at the same (k-th asked) horizon, in % (negative: better).
  double mape_vs_persistence_pct(const HorizonScore& score, std::size_t k) const;
};

// The models to backtest: `wanted`, with persistence put first when it is not among them.
std::vector<std::string> with_persistence_baseline(std::vector<std::string> wanted);

// Makes a forecaster by name for frames of a length (make_forecaster, or a caller's wrapper that
// says where the name came from).
using ForecasterMaker = std::function<std::unique_ptr<Forecaster>(const std::string& name, Duration frame)>;

// The `wanted` models (persistence first as the baseline, see above) backtested walk-forward on
// `series` (of the trace named `trace`) at `horizons` frames ahead, after the default warm-up.
// Each model is made by `make` just before its backtest. Throws what `make` and backtest() throw.
BacktestReport backtest_report(const std::string& trace, const FrameSeries& series,
                               const std::vector<std::string>& wanted, const std::vector<std::size_t>& horizons,
                               const ForecasterMaker& make);

}  // namespace chase

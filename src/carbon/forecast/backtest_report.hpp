#pragma once
// Forecasters backtested on one trace beside persistence, the baseline every score is compared
// with.

#include <string>
#include <vector>

#include "carbon/forecast/backtest.hpp"

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

}  // namespace chase

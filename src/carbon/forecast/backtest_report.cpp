#include "carbon/forecast/backtest_report.hpp"

#include <algorithm>

namespace chase {

double BacktestReport::mape_vs_persistence_pct(const HorizonScore& score, std::size_t k) const {
  return 100.0 * (score.mape_pct / baseline().horizons[k].mape_pct - 1.0);
}

std::vector<std::string> with_persistence_baseline(std::vector<std::string> wanted) {
  if (std::find(wanted.begin(), wanted.end(), "persistence") == wanted.end()) wanted.insert(wanted.begin(), "persistence");
  return wanted;
}

BacktestReport backtest_report(const std::string& trace, const FrameSeries& series,
                               const std::vector<std::string>& wanted, const std::vector<std::size_t>& horizons,
                               const ForecasterMaker& make) {
  const std::vector<std::string> models = with_persistence_baseline(wanted);
  BacktestReport report{trace, series.frame, series.frames.size(), default_warmup_frames(series),
                        series.gap_frames, {}, models.size() > wanted.size()};
  for (const std::string& name : models) {
    report.results.push_back(backtest(*make(name, series.frame), series, horizons, report.warmup_frames));
  }
  return report;
}

}  // namespace chase

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

}  // namespace chase

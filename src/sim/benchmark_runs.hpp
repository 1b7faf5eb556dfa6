#pragma once
// What the policy benchmarks (policy_benchmark.hpp, equal_slowdown.hpp) share: running their
// independent cases on worker threads, their budget tolerance, and the means and medians of
// their summaries.

#include <cstddef>
#include <functional>
#include <vector>

namespace chase {

// Budgets are honoured to the clock's millisecond; a run within this fraction of its budget is
// within it (rounding), and no more.
inline constexpr double kBudgetToleranceFraction = 1e-7;

// Whether a run `slowdown_pct` (percent) slower than max keeps a `budget` (fraction).
inline bool within_slowdown_budget(double slowdown_pct, double budget) {
  return slowdown_pct <= (budget + kBudgetToleranceFraction) * 100.0;
}

// Calls run_case(i) for every i in [0, count) on `threads` threads (at least one: the caller's);
// each index once, in no particular order, so results must land by index. The first exception
// stops the remaining cases and is rethrown once every thread has stopped.
void run_cases_in_parallel(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& run_case);

// 0 for no values.
double mean_of(const std::vector<double>& values);
double median_of(std::vector<double> values);

}  // namespace chase

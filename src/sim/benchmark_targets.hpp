#pragma once
// What the policy benchmark is held to (issue 7): per profile and budget, chase within 1 pp of
// the oracle's mean saving, at least zeus's mean saving, and within the budget on at least 95 %
// of runs; and how often a policy beat the oracle (whose plan is optimal only within its
// effort caps).

#include <string>
#include <vector>

#include "sim/policy_benchmark.hpp"

namespace chase {

inline constexpr double kGapTargetPp = 1.0;
inline constexpr double kWithinTargetPct = 95.0;

// The summary line of one policy on one profile (or "all") at one budget; null when absent.
const BenchmarkSummary* find_summary(const std::vector<BenchmarkSummary>& rows, const std::string& profile,
                                     double budget, const std::string& policy);

// Counts of (profile, budget) cells; a cell counts only where chase, zeus and the oracle all ran.
struct BenchmarkTargets {
  int cells = 0;
  int near_oracle = 0;  // chase's gap to the oracle ≤ kGapTargetPp
  int above_zeus = 0;   // chase's mean saving ≥ zeus's
  int within = 0;       // chase within budget on ≥ kWithinTargetPct % of runs
};

BenchmarkTargets check_targets(const std::vector<BenchmarkSummary>& rows, const std::vector<std::string>& profiles,
                               const std::vector<double>& budgets);

// Over every budget of the "all" lines, the policies other than the oracle: runs that emitted
// less than the oracle, runs compared, and the largest margin in % of the oracle's carbon.
struct OracleBeaten {
  std::size_t runs_below = 0;
  std::size_t runs_compared = 0;
  double most_below_pct = 0;
};

OracleBeaten oracle_beaten(const std::vector<BenchmarkSummary>& rows);

}  // namespace chase

#include "sim/benchmark_targets.hpp"

#include <algorithm>

#include "control/policy.hpp"

namespace chase {

const BenchmarkSummary* find_summary(const std::vector<BenchmarkSummary>& rows, const std::string& profile,
                                     double budget, const std::string& policy) {
  for (const auto& r : rows) {
    if (r.profile == profile && r.budget == budget && r.policy == policy) return &r;
  }
  return nullptr;
}

BenchmarkTargets check_targets(const std::vector<BenchmarkSummary>& rows, const std::vector<std::string>& profiles,
                               const std::vector<double>& budgets) {
  BenchmarkTargets t;
  for (const auto& profile : profiles) {
    for (const double budget : budgets) {
      const auto* chase = find_summary(rows, profile, budget, "chase");
      const auto* zeus = find_summary(rows, profile, budget, "zeus");
      const auto* oracle = find_summary(rows, profile, budget, "oracle");
      if (!chase || !zeus || !oracle) continue;
      ++t.cells;
      if (chase->gap_to_oracle_pp <= kGapTargetPp) ++t.near_oracle;
      if (chase->mean_saved_pct >= zeus->mean_saved_pct) ++t.above_zeus;
      if (chase->within_budget_pct >= kWithinTargetPct) ++t.within;
    }
  }
  return t;
}

OracleBeaten oracle_beaten(const std::vector<BenchmarkSummary>& rows) {
  OracleBeaten out;
  for (const auto& r : rows) {
    if (r.profile != "all" || is_offline_optimum(r.policy)) continue;
    out.runs_below += r.runs_below_oracle;
    out.runs_compared += r.runs;
    out.most_below_pct = std::max(out.most_below_pct, r.most_below_oracle_pct);
  }
  return out;
}

}  // namespace chase

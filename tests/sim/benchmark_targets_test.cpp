#include "sim/benchmark_targets.hpp"

#include <gtest/gtest.h>

namespace chase {
namespace {

BenchmarkSummary line(const std::string& profile, const std::string& policy, double saved, double gap, double within,
                      std::size_t runs = 10, std::size_t below = 0, double most_below = 0) {
  BenchmarkSummary s;
  s.profile = profile;
  s.budget = 0.05;
  s.policy = policy;
  s.runs = runs;
  s.mean_saved_pct = saved;
  s.gap_to_oracle_pp = gap;
  s.within_budget_pct = within;
  s.runs_below_oracle = below;
  s.most_below_oracle_pct = most_below;
  return s;
}

TEST(BenchmarkTargets, CountsTheCellsWhereChaseMeetsEachTarget) {
  const std::vector<BenchmarkSummary> rows{
      // a40: chase 0.5 pp from the oracle, above zeus, within budget on 96 % of runs.
      line("a40", "zeus", 8, 4, 100), line("a40", "chase", 11.5, 0.5, 96), line("a40", "oracle", 12, 0, 100),
      // v100: chase 2 pp from the oracle, below zeus, within budget on 90 %.
      line("v100", "zeus", 9, 1, 100), line("v100", "chase", 8, 2, 90), line("v100", "oracle", 10, 0, 100),
      // p100 has no oracle: not a cell.
      line("p100", "zeus", 9, 0, 100), line("p100", "chase", 8, 0, 90)};
  const BenchmarkTargets t = check_targets(rows, {"a40", "v100", "p100"}, {0.05});
  EXPECT_EQ(t.cells, 2);
  EXPECT_EQ(t.near_oracle, 1);
  EXPECT_EQ(t.above_zeus, 1);
  EXPECT_EQ(t.within, 1);
  EXPECT_EQ(find_summary(rows, "v100", 0.05, "chase")->mean_saved_pct, 8);
  EXPECT_EQ(find_summary(rows, "v100", 0.1, "chase"), nullptr);
}

TEST(BenchmarkTargets, CountsTheRunsThatBeatTheOracleOverAllProfiles) {
  const std::vector<BenchmarkSummary> rows{line("a40", "chase", 0, 0, 0, 10, 5, 9.0),  // per profile: not counted
                                           line("all", "zeus", 0, 0, 0, 20, 1, 0.01),
                                           line("all", "chase", 0, 0, 0, 20, 2, 0.03),
                                           line("all", "oracle", 0, 0, 0, 20, 0, 0)};
  const OracleBeaten beaten = oracle_beaten(rows);
  EXPECT_EQ(beaten.runs_below, 3u);
  EXPECT_EQ(beaten.runs_compared, 40u);
  EXPECT_DOUBLE_EQ(beaten.most_below_pct, 0.03);
}

}  // namespace
}  // namespace chase

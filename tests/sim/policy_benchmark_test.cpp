#include "sim/policy_benchmark.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "core/error.hpp"

namespace chase {
namespace {

std::string fixture(const std::string& path) { return std::string(CHASE_FIXTURES_DIR) + "/" + path; }

struct Bench {
  std::vector<IntensityTrace> traces{IntensityTrace::load(fixture("sim/diurnal-6d.csv"))};
  std::vector<PowerProfile> profiles{PowerProfile::load(fixture("control/noisy-profile.csv")),
                                     PowerProfile::load(fixture("control/fast-below-max.csv"))};
  BenchmarkConfig config;
  Bench() {
    config.budgets = {0.0, 0.1};
    config.start_every = Duration::hours(18);
  }
};

TEST(PolicyBenchmark, StartsEveryIntervalWhileTheSlowestJobFits) {
  Bench b;
  // 144 h of trace; a job needs 24 h × 1.1 + one frame (26.5 h): starts at 0, 18, … 108 h.
  const auto starts = benchmark_starts(b.traces[0], b.config);
  ASSERT_EQ(starts.size(), 7u);
  EXPECT_EQ(starts[1].iso8601(), "2021-03-01T18:00:00Z");
  EXPECT_EQ(starts.back().iso8601(), "2021-03-05T12:00:00Z");
}

TEST(PolicyBenchmark, WhenAPolicyMayBreakItsBudgetTheSlowestLimitMustFitToo) {
  Bench b;
  // A policy that believes a wrong profile may run the job at its slowest limit, here twice its
  // time at the maximum: 48 h + one frame (48.1 h) must fit; starts at 0, 18, … 90 h.
  const auto starts = benchmark_starts(b.traces[0], b.config, 2.0);
  ASSERT_EQ(starts.size(), 6u);
  EXPECT_EQ(starts.back().iso8601(), "2021-03-04T18:00:00Z");
  // A ratio below the largest budget's changes nothing.
  EXPECT_EQ(benchmark_starts(b.traces[0], b.config, 1.05).size(), 7u);
}

TEST(PolicyBenchmark, RunsEveryCaseAndSummarisesAgainstTheOracle) {
  Bench b;
  b.config.threads = 1;
  const auto runs = run_policy_benchmark(b.traces, b.profiles, b.config);
  ASSERT_EQ(runs.size(), 7u * 2 * 2 * 4);  // starts × profiles × budgets × policies
  for (const BenchmarkRun& r : runs) {
    EXPECT_TRUE(r.within_budget) << r.policy << " " << r.start.iso8601() << " " << r.budget;
    if (r.policy == "max") {
      EXPECT_EQ(r.carbon_saved_pct, 0);
      EXPECT_EQ(r.slowdown_pct, 0);
    }
  }
  const auto summary = summarize(runs, b.profiles, b.config);
  ASSERT_EQ(summary.size(), (2u + 1) * 2 * 4);  // (profiles + all) × budgets × policies
  for (const BenchmarkSummary& s : summary) {
    EXPECT_EQ(s.runs, s.profile == "all" ? 14u : 7u);
    EXPECT_DOUBLE_EQ(s.within_budget_pct, 100);
    EXPECT_GE(s.gap_to_oracle_pp, -1e-9) << s.policy << " " << s.profile << " " << s.budget;
    EXPECT_EQ(s.runs_below_oracle, 0u) << s.policy << " " << s.profile << " " << s.budget;
    if (s.policy == "oracle") {
      EXPECT_EQ(s.gap_to_oracle_pp, 0);
    }
  }
  // fast-below-max.csv: at budget 0 the noisy 200 W row is both faster and cheaper than 250 W.
  for (const BenchmarkSummary& s : summary) {
    if (s.profile.find("fast-below-max") != std::string::npos && s.budget == 0 && s.policy != "max") {
      EXPECT_GT(s.mean_saved_pct, 5) << s.policy;
      EXPECT_LE(s.mean_slowdown_pct, 0) << s.policy;
    }
  }
}

TEST(PolicyBenchmark, ResultsDoNotDependOnTheThreadCount) {
  Bench b;
  b.config.threads = 1;
  const auto one = run_policy_benchmark(b.traces, b.profiles, b.config);
  b.config.threads = 3;
  const auto three = run_policy_benchmark(b.traces, b.profiles, b.config);
  ASSERT_EQ(one.size(), three.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].policy, three[i].policy);
    EXPECT_EQ(one[i].carbon.grams(), three[i].carbon.grams());
    EXPECT_EQ(one[i].time.seconds(), three[i].time.seconds());
  }
}

TEST(PolicyBenchmark, ATraceTooShortForOneJobIsAnInputError) {
  Bench b;
  b.traces = {IntensityTrace::load(fixture("traces/step-change.csv"))};
  EXPECT_THROW(run_policy_benchmark(b.traces, b.profiles, b.config), InputError);
}

TEST(PolicyBenchmark, RunsWhereMaxEmittedNothingAreCountedAndLeftOutOfTheSavings) {
  // Three starts; in the third the grid is at 0 g/kWh for the whole job, so max emitted nothing
  // and every saving is 0/0 (compare_with_max). The savings' mean and median are over the other
  // two, and nothing undefined reaches them.
  Bench b;
  b.config.policies = {"max", "chase"};
  b.config.budgets = {0.1};
  const std::vector<PowerProfile> one_profile{b.profiles[0]};
  const double undefined = std::numeric_limits<double>::quiet_NaN();
  const double chase_saved[] = {10.0, 20.0, undefined};
  std::vector<BenchmarkRun> runs;
  for (int i = 0; i < 3; ++i) {
    BenchmarkRun max_run;
    max_run.budget = 0.1;
    max_run.policy = "max";
    max_run.carbon_saved_pct = i == 2 ? undefined : 0.0;
    max_run.within_budget = true;
    BenchmarkRun chase_run = max_run;
    chase_run.policy = "chase";
    chase_run.carbon_saved_pct = chase_saved[i];
    chase_run.slowdown_pct = 3.0 * (i + 1);
    runs.push_back(max_run);
    runs.push_back(chase_run);
  }
  const auto summary = summarize(runs, one_profile, b.config);
  ASSERT_EQ(summary.size(), 4u);  // (profile + all) × policies
  for (const BenchmarkSummary& s : summary) {
    EXPECT_EQ(s.runs, 3u);
    EXPECT_EQ(s.runs_without_saving, 1u);
    EXPECT_DOUBLE_EQ(s.within_budget_pct, 100);
    if (s.policy == "chase") {
      EXPECT_DOUBLE_EQ(s.mean_saved_pct, 15.0);
      EXPECT_DOUBLE_EQ(s.median_saved_pct, 15.0);
      EXPECT_DOUBLE_EQ(s.mean_slowdown_pct, 6.0);  // the slowdown is defined in every run
    } else {
      EXPECT_DOUBLE_EQ(s.mean_saved_pct, 0.0);
      EXPECT_DOUBLE_EQ(s.median_saved_pct, 0.0);
    }
  }
}

}  // namespace
}  // namespace chase

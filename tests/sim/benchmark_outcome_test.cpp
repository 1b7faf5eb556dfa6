// The policy benchmark as one call: names, runs, a summary keyed by the profiles' names, and
// the budgets list it is configured with.

#include "sim/benchmark_outcome.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

std::string fixture(const std::string& path) { return std::string(CHASE_FIXTURES_DIR) + "/" + path; }

TEST(BenchmarkOutcome, NamesTheDataSetsAndKeysTheSummaryByProfileName) {
  const std::vector<IntensityTrace> traces{IntensityTrace::load(fixture("sim/diurnal-6d.csv"))};
  const std::vector<PowerProfile> profiles{PowerProfile::load(fixture("control/noisy-profile.csv")),
                                           PowerProfile::load(fixture("control/fast-below-max.csv"))};
  BenchmarkConfig config;
  config.budgets = {0.1};
  config.policies = {"max", "chase"};
  config.start_every = Duration::hours(18);
  const BenchmarkOutcome out = benchmark_policies(traces, profiles, config);
  EXPECT_EQ(out.trace_names, std::vector<std::string>{"diurnal-6d"});
  EXPECT_EQ(out.profile_names, (std::vector<std::string>{"noisy-profile", "fast-below-max"}));
  EXPECT_EQ(out.runs.size(), 7u * 2 * 1 * 2);  // starts × profiles × budgets × policies
  ASSERT_NE(find_summary(out.summary, "noisy-profile", 0.1, "chase"), nullptr);
  EXPECT_EQ(find_summary(out.summary, "all", 0.1, "max")->runs, 14u);
  EXPECT_EQ(out.targets.cells, 0);  // a cell needs chase, zeus and the oracle
  EXPECT_GE(out.elapsed_s, 0);
}

TEST(BenchmarkOutcome, BudgetsAreFractionsFromZeroToTen) {
  EXPECT_EQ(parse_budgets("0,0.025,10"), (std::vector<double>{0, 0.025, 10}));
  for (const char* bad : {"0,x", "-0.1", "11", "0,,0.1"}) {
    EXPECT_THROW(parse_budgets(bad), InputError) << bad;
  }
  try {
    parse_budgets("0.1,lots");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "'lots' is not a fraction between 0 and 10 (0.025 = +2.5 %)");
  }
}

}  // namespace
}  // namespace chase

#include "sim/equal_slowdown.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "sim/simulator.hpp"

namespace chase {
namespace {

// One bundled trace and profile, a start every 30 days, 6-hour jobs: a dozen cases.
struct Bench {
  std::vector<IntensityTrace> traces{IntensityTrace::load("gb-2020")};
  std::vector<PowerProfile> profiles{PowerProfile::load("a40-resnet50")};
  EqualSlowdownConfig config;
  Bench() {
    config.job.work_at_max = Duration::hours(6);
    config.start_every = Duration::hours(24 * 30);
    config.threads = 2;
  }
};

TEST(EqualSlowdown, ChaseAndTheOracleRunAtThePeersSlowdown) {
  Bench b;
  const auto runs = run_equal_slowdown(b.traces, b.profiles, b.config);
  ASSERT_GE(runs.size(), 10u);
  for (const EqualSlowdownRun& r : runs) {
    SCOPED_TRACE(r.start.iso8601());
    // The budget is the peer's slowdown.
    EXPECT_DOUBLE_EQ(r.budget * 100, r.peer_slowdown_pct);
    EXPECT_TRUE(r.policy_within);
    EXPECT_TRUE(r.oracle_within);
    EXPECT_LE(r.policy_slowdown_pct, r.peer_slowdown_pct + 1e-5);
    // At the same budget the oracle is never worse than chase beyond rounding.
    EXPECT_LE(r.oracle_carbon.grams(), r.policy_carbon.grams() * (1 + 1e-9));
    ASSERT_TRUE(r.policy_minus_peer_pp());
    EXPECT_DOUBLE_EQ(*r.policy_minus_peer_pp(), *r.policy_saved_pct - *r.peer_saved_pct);
    EXPECT_GE(*r.oracle_saved_pct, *r.policy_saved_pct - 1e-7);
  }
}

TEST(EqualSlowdown, APeerFasterThanMaxSetsANegativeBudget) {
  // fast-below-max.csv: 200 W is both faster (9.8 s against 10 s per unit) and cheaper than the
  // 250 W maximum, so the peer runs 2 % faster than max; the others must keep up with it.
  Bench b;
  b.profiles = {PowerProfile::load(std::string(CHASE_FIXTURES_DIR) + "/control/fast-below-max.csv")};
  const auto runs = run_equal_slowdown(b.traces, b.profiles, b.config);
  ASSERT_FALSE(runs.empty());
  for (const EqualSlowdownRun& r : runs) {
    SCOPED_TRACE(r.start.iso8601());
    EXPECT_NEAR(r.peer_slowdown_pct, -2, 1e-3);
    EXPECT_DOUBLE_EQ(r.budget * 100, r.peer_slowdown_pct);
    EXPECT_TRUE(r.policy_within);
    EXPECT_TRUE(r.oracle_within);
    EXPECT_LE(r.oracle_carbon.grams(), r.policy_carbon.grams() * (1 + 1e-9));
  }
}

TEST(EqualSlowdown, ThePeersRunIsAPlainSimulationOfIt) {
  Bench b;
  const auto runs = run_equal_slowdown(b.traces, b.profiles, b.config);
  const Simulator sim(b.traces[0], b.profiles[0]);
  for (const EqualSlowdownRun& r : {runs.front(), runs.back()}) {
    SimulationSetup setup;
    setup.start = r.start;
    setup.job = b.config.job;
    setup.job.slowdown_budget.reset();
    const PolicyComparison c = compare_with_max(sim.run("chase-paper", setup), sim.run("max", setup));
    EXPECT_EQ(c.run.carbon.grams(), r.peer_carbon.grams());
    EXPECT_EQ(c.baseline.carbon.grams(), r.max_carbon.grams());
    EXPECT_DOUBLE_EQ(c.slowdown_pct, r.peer_slowdown_pct);
    EXPECT_DOUBLE_EQ(c.carbon_saved_pct, *r.peer_saved_pct);
    // chase at that slowdown, simulated on its own, is the run the benchmark reports.
    setup.job.slowdown_budget = r.budget;
    EXPECT_EQ(sim.run("chase", setup).carbon.grams(), r.policy_carbon.grams());
  }
}

TEST(EqualSlowdown, SummarisesPerProfileAndOverAll) {
  Bench b;
  const auto runs = run_equal_slowdown(b.traces, b.profiles, b.config);
  const auto summary = summarize_equal_slowdown(runs, {"a40-resnet50"});
  ASSERT_EQ(summary.size(), 2u);
  EXPECT_EQ(summary[0].profile, "a40-resnet50");
  EXPECT_EQ(summary[1].profile, "all");
  double peer = 0, policy = 0, worst = 1e9;
  std::size_t matches = 0;
  for (const EqualSlowdownRun& r : runs) {
    peer += *r.peer_saved_pct;
    policy += *r.policy_saved_pct;
    worst = std::min(worst, *r.policy_minus_peer_pp());
    if (*r.policy_minus_peer_pp() >= -kMatchesPeerPp) ++matches;
  }
  const double n = static_cast<double>(runs.size());
  for (const EqualSlowdownSummary& s : summary) {
    EXPECT_EQ(s.runs, runs.size());
    EXPECT_EQ(s.runs_without_saving, 0u);
    EXPECT_NEAR(s.mean_peer_saved_pct, peer / n, 1e-9);
    EXPECT_NEAR(s.mean_policy_saved_pct, policy / n, 1e-9);
    EXPECT_NEAR(s.mean_policy_minus_peer_pp, (policy - peer) / n, 1e-9);
    EXPECT_DOUBLE_EQ(s.worst_policy_minus_peer_pp, worst);
    EXPECT_DOUBLE_EQ(s.policy_matches_peer_pct, 100.0 * static_cast<double>(matches) / n);
    EXPECT_GE(s.mean_oracle_saved_pct, s.mean_policy_saved_pct - 1e-7);
    EXPECT_EQ(s.policy_over_budget, 0u);
    EXPECT_EQ(s.oracle_above_policy, 0u);
  }
}

TEST(EqualSlowdown, ResultsDoNotDependOnTheThreadCount) {
  Bench b;
  b.config.threads = 1;
  const auto one = run_equal_slowdown(b.traces, b.profiles, b.config);
  b.config.threads = 3;
  const auto three = run_equal_slowdown(b.traces, b.profiles, b.config);
  ASSERT_EQ(one.size(), three.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].peer_carbon.grams(), three[i].peer_carbon.grams());
    EXPECT_EQ(one[i].policy_carbon.grams(), three[i].policy_carbon.grams());
    EXPECT_EQ(one[i].oracle_carbon.grams(), three[i].oracle_carbon.grams());
  }
}

TEST(EqualSlowdown, RefusesAPeerThatIsUnknownOrNeedsTheFuture) {
  Bench b;
  b.config.peer = "chase-papr";
  EXPECT_THROW(check_equal_slowdown(b.config), InputError);
  b.config.peer = "oracle";
  try {
    check_equal_slowdown(b.config);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("needs the true intensity"), std::string::npos) << e.what();
  }
  b.config.peer = "zeus";
  b.config.job.frame_length.reset();
  EXPECT_THROW(check_equal_slowdown(b.config), InputError);
}

TEST(EqualSlowdown, ATraceTooShortForOneJobIsAnInputError) {
  Bench b;
  b.config.job.work_at_max = Duration::hours(24 * 400);
  EXPECT_THROW(run_equal_slowdown(b.traces, b.profiles, b.config), InputError);
}

// A budget that is exactly one limit's slowdown (what a peer that holds one limit all day
// realises) is met by holding that limit: the price sits in the middle of the range that plans
// it, not at an edge where one frame a little off the scenario flips the job to another limit
// and back. Three profiles whose peer holds one limit all day on most days, three traces, three
// days each.
TEST(EqualSlowdown, ABudgetOfExactlyOneLimitsSlowdownHoldsThatLimit) {
  struct Case {
    const char* profile;
    double limit_w;
  };
  for (const Case& c : {Case{"a40-resnet50", 200}, Case{"a40-shufflenetv2", 150}, Case{"a40-bert-base", 275}}) {
    const PowerProfile profile = PowerProfile::load(c.profile);
    const double time_at_max = profile.max_point().time.seconds();
    double time_at_limit = 0;
    for (const ProfilePoint& p : profile.points()) {
      if (p.limit.watts() == c.limit_w) time_at_limit = p.time.seconds();
    }
    ASSERT_GT(time_at_limit, 0) << c.profile;
    for (const char* trace_name : {"gb-2020", "fr-2020", "ercot-2022"}) {
      const IntensityTrace trace = IntensityTrace::load(trace_name);
      const Simulator sim(trace, profile);
      for (int day = 0; day < 3; ++day) {
        SimulationSetup setup;
        setup.start = trace.start() + Duration::hours(24 * (40 + 97 * day));
        setup.job.work_at_max = Duration::hours(24);
        setup.job.frame_length = Duration::minutes(5);
        setup.job.slowdown_budget = time_at_limit / time_at_max - 1;
        SCOPED_TRACE(fmt::format("{} {} {}", c.profile, trace_name, setup.start.iso8601()));
        // Holding the limit is the offline optimum here ...
        const auto oracle = sim.run("oracle", setup).time_per_limit();
        ASSERT_EQ(oracle.size(), 1u);
        EXPECT_EQ(oracle.begin()->first, c.limit_w);
        // ... and what chase does.
        const auto chase = sim.run("chase", setup).time_per_limit();
        ASSERT_EQ(chase.size(), 1u);
        EXPECT_EQ(chase.begin()->first, c.limit_w);
      }
    }
  }
}

}  // namespace
}  // namespace chase

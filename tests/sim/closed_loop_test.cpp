// The simulator with a job that is not what the policies believe (a wrong profile, a job whose
// speed changes), and the closed-loop chase policy on it.

#include <gtest/gtest.h>

#include <cstdint>

#include "core/error.hpp"
#include "sim/policy_benchmark.hpp"
#include "sim/profile_error.hpp"
#include "sim/simulator.hpp"

namespace chase {
namespace {

UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }

// The true profile with every row 10 % faster than the job really runs (time per unit ÷ 1.1).
PowerProfile ten_percent_too_fast(const PowerProfile& truth) {
  std::vector<ProfilePoint> rows;
  for (const ProfilePoint& p : truth.points()) rows.push_back({p.limit, p.time / 1.1, p.energy});
  return PowerProfile("too-fast", rows);
}

struct Job {
  IntensityTrace trace = IntensityTrace::load("gb-2020");
  PowerProfile truth = PowerProfile::load("a40-resnet50");
  SimulationSetup setup;
  Job() {
    setup.start = at("2020-03-02T00:00:00Z");
    setup.job.work_at_max = Duration::hours(24);
    setup.job.frame_length = Duration::minutes(5);
    setup.job.slowdown_budget = 0.025;
    setup.record_frames = false;
  }
  PolicyComparison run(const Simulator& sim, const std::string& policy) const {
    return compare_with_max(sim.run(policy, setup), sim.run("max", setup));
  }
};

TEST(ClosedLoop, ABeliefTenPercentTooFastOnEveryRowDoesNotMakeChaseLate) {
  Job job;
  const PowerProfile belief = ten_percent_too_fast(job.truth);
  const Simulator sim(job.trace, job.truth, &belief);
  const PolicyComparison chase = job.run(sim, "chase");
  EXPECT_LE(chase.slowdown_pct, 2.5 + 1e-5);
  EXPECT_GT(chase.carbon_saved_pct, 5);
  // The baseline is the truth's: 24 h of work at the maximum limit.
  EXPECT_NEAR(chase.baseline.time.hours(), 24, 1e-9);
  // The oracle knows the truth and is never beaten within the budget.
  const PolicyComparison oracle = job.run(sim, "oracle");
  EXPECT_NEAR(oracle.slowdown_pct, 2.5, 1e-3);
  EXPECT_LE(oracle.run.carbon.grams(), chase.run.carbon.grams() * (1 + 1e-9));
  // The job's work is the truth's, whatever the policies believe.
  EXPECT_NEAR(chase.run.work_units, chase.baseline.work_units, 1e-9 * chase.baseline.work_units);
}

TEST(ClosedLoop, WithoutABeliefTheSimulatorRunsAsBefore) {
  Job job;
  const Simulator exact(job.trace, job.truth);
  const Simulator same(job.trace, job.truth, &job.truth);
  const PolicyComparison a = job.run(exact, "chase");
  const PolicyComparison b = job.run(same, "chase");
  EXPECT_DOUBLE_EQ(a.run.carbon.grams(), b.run.carbon.grams());
  EXPECT_DOUBLE_EQ(a.run.time.seconds(), b.run.time.seconds());
}

TEST(ClosedLoop, ABeliefWithOtherLimitsIsRefused) {
  Job job;
  const PowerProfile other("other", {{Power::watts(250), Duration::seconds(1), Energy::joules(250)}});
  EXPECT_THROW(Simulator(job.trace, job.truth, &other), InputError);
}

TEST(ClosedLoop, TheBaselineRunsTheSameSpeedChanges) {
  Job job;
  job.setup.speed_changes.slower_after = Duration::hours(12);
  job.setup.speed_changes.slower_by = 0.10;
  const Simulator sim(job.trace, job.truth);
  const SimulationResult max = sim.run("max", job.setup);
  EXPECT_NEAR(max.time.hours(), 12 + 12 * 1.1, 1e-6);
  // Same power, 10 % longer for the second half's work.
  const double max_power_w = job.truth.max_point().average_power().watts();
  EXPECT_NEAR(max.energy.joules(), max_power_w * max.time.seconds(), 1e-6 * max.energy.joules());
}

TEST(ClosedLoop, AJobThatSlowsDownMidRunKeepsTheBudgetInTheClosedLoopOnly) {
  Job job;
  job.setup.start = at("2019-12-21T00:00:00Z");
  job.setup.speed_changes.slower_after = Duration::hours(12);
  job.setup.speed_changes.slower_by = 0.10;
  const Simulator sim(job.trace, job.truth);
  const PolicyComparison chase = job.run(sim, "chase");
  const PolicyComparison open = job.run(sim, "chase-open-loop");
  const PolicyComparison oracle = job.run(sim, "oracle");
  EXPECT_LE(chase.slowdown_pct, 2.5 + 1e-5);
  EXPECT_GT(chase.carbon_saved_pct, 8);
  // The open loop counts work the job has not done: it ends late.
  EXPECT_GT(open.slowdown_pct, 3);
  EXPECT_LE(oracle.slowdown_pct, 2.5 + 1e-5);
  EXPECT_LE(oracle.run.carbon.grams(), chase.run.carbon.grams() * (1 + 1e-9));
}

// A day of gb-2020 for `profile`, believed as the benchmark's `--profile-error 0.1` seed 2 does
// (seed × 1000003 + the profile's index among the bundled ones).
struct BelievedDay {
  IntensityTrace trace = IntensityTrace::load("gb-2020");
  PowerProfile truth;
  PowerProfile belief;
  SimulationSetup setup;
  BelievedDay(const char* profile, std::uint64_t profile_index, const char* start, double budget)
      : truth(PowerProfile::load(profile)), belief(perturbed_profile(truth, 0.1, 2 * 1000003 + profile_index)) {
    setup.start = at(start);
    setup.job.work_at_max = Duration::hours(24);
    setup.job.frame_length = Duration::minutes(5);
    setup.job.slowdown_budget = budget;
  }
};

TEST(ClosedLoop, AWrongProfileAndAMidRunSlowdownTogetherKeepTheBudgetAndTheSaving) {
  // v100-shufflenetv2's belief has 150 W faster than the maximum limit, so chase runs 150 W for
  // hours and never the maximum; then the job slows by 10 %. The first frames at the maximum
  // limit must read as the job slowing down (its rate is the job's stated one), or the deadline
  // never moves and the rest of the job runs at the maximum limit through the dirtiest hours.
  BelievedDay day("v100-shufflenetv2", 5, "2020-11-19T00:00:00Z", 0.025);
  day.setup.speed_changes.slower_after = Duration::hours(12);
  day.setup.speed_changes.slower_by = 0.10;
  const Simulator sim(day.trace, day.truth, &day.belief);
  const SimulationResult max = sim.run("max", day.setup);
  const PolicyComparison chase = compare_with_max(sim.run("chase", day.setup), max);
  const PolicyComparison oracle = compare_with_max(sim.run("oracle", day.setup), max);
  EXPECT_LE(chase.slowdown_pct, 2.5 + 1e-5);
  // The oracle saves 20.7 %; chase 14.0 % (3.8 % when the maximum limit taught nothing).
  EXPECT_GT(oracle.carbon_saved_pct, 20);
  EXPECT_GT(chase.carbon_saved_pct, 12);
}

TEST(ClosedLoop, WithNoBudgetAnUntriedRowIsAPromiseFromTheFirstFrame) {
  // a40-resnet50's belief has 200 W as fast as the maximum limit and a quarter cheaper; it is 5 %
  // slower. The job states its length in measured units, so its work will be measured: the first
  // frame must not bet on the row.
  BelievedDay day("a40-resnet50", 1, "2019-12-21T00:00:00Z", 0.0);
  const Simulator sim(day.trace, day.truth, &day.belief);
  const PolicyComparison chase = compare_with_max(sim.run("chase", day.setup), sim.run("max", day.setup));
  EXPECT_LE(chase.slowdown_pct, 1e-5);
  EXPECT_EQ(chase.run.time_per_limit().size(), 1u);
}

TEST(ClosedLoop, StallsCostTheirPowerUnderEveryPolicy) {
  Job job;
  job.setup.speed_changes.stall_every = Duration::hours(2);
  job.setup.speed_changes.stall_length = Duration::minutes(10);
  job.setup.speed_changes.stall_power = Power::watts(50);
  const Simulator sim(job.trace, job.truth);
  const SimulationResult max = sim.run("max", job.setup);
  // 24 h of work and 12 stalls of 10 min on the way (at 2, 4, … 24 h of wall time).
  EXPECT_NEAR(max.time.hours(), 24 + 12 * 10 / 60.0, 1e-6);
  const double max_power_w = job.truth.max_point().average_power().watts();
  EXPECT_NEAR(max.energy.joules(), max_power_w * 24 * 3600 + 50.0 * 12 * 600, 1e-6 * max.energy.joules());
  const PolicyComparison chase = job.run(sim, "chase");
  EXPECT_LE(chase.slowdown_pct, 2.5 + 1e-5);
}

TEST(ProfileError, ABeliefIsTheTruthWithinTheErrorAndTheSameForTheSameSeed) {
  const PowerProfile truth = PowerProfile::load("v100-bert-base");
  const PowerProfile a = perturbed_profile(truth, 0.1, 7);
  const PowerProfile b = perturbed_profile(truth, 0.1, 7);
  const PowerProfile c = perturbed_profile(truth, 0.1, 8);
  EXPECT_EQ(a.to_csv(), b.to_csv());
  EXPECT_NE(a.to_csv(), c.to_csv());
  ASSERT_EQ(a.points().size(), truth.points().size());
  for (std::size_t i = 0; i < truth.points().size(); ++i) {
    EXPECT_EQ(a.points()[i].limit, truth.points()[i].limit);
    EXPECT_LE(std::abs(a.points()[i].time / truth.points()[i].time - 1), 0.1);
    EXPECT_LE(std::abs(a.points()[i].energy / truth.points()[i].energy - 1), 0.1);
  }
  EXPECT_EQ(perturbed_profile(truth, 0, 3).to_csv(), truth.to_csv());
  EXPECT_THROW(perturbed_profile(truth, 1.0, 1), InputError);
}

TEST(ProfileError, TheBenchmarkRunsEverySeedAndKeepsMaxAndTheOracleOnTheTruth) {
  const std::vector<IntensityTrace> traces{IntensityTrace::load("fr-2020")};
  const std::vector<PowerProfile> profiles{PowerProfile::load("a40-resnet50")};
  BenchmarkConfig config;
  config.budgets = {0.05};
  config.policies = {"max", "chase", "chase-open-loop", "oracle"};
  config.job.work_at_max = Duration::hours(6);
  config.start_every = Duration::days(60);
  config.profile_error = 0.1;
  config.seeds = 2;
  const auto runs = run_policy_benchmark(traces, profiles, config);
  const std::size_t starts = benchmark_starts(traces[0], config).size();
  ASSERT_EQ(runs.size(), 2 * starts * 4);
  // Seed 1's cases, then seed 2's; max and the oracle do not depend on the belief.
  for (std::size_t i = 0; i < starts * 4; ++i) {
    const BenchmarkRun& one = runs[i];
    const BenchmarkRun& two = runs[i + starts * 4];
    EXPECT_EQ(one.seed, 1u);
    EXPECT_EQ(two.seed, 2u);
    if (one.policy == "max" || one.policy == "oracle") {
      EXPECT_DOUBLE_EQ(one.carbon.grams(), two.carbon.grams());
    }
    if (one.policy == "chase") {
      EXPECT_TRUE(one.within_budget && two.within_budget);
    }
  }
}

}  // namespace
}  // namespace chase

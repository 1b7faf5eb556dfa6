#include "control/plan/carbon_planner.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "carbon/intensity_trace.hpp"

namespace chase {
namespace {

OperatingPoints noisy() {
  return OperatingPoints(PowerProfile::load(std::string(CHASE_FIXTURES_DIR) + "/control/noisy-profile.csv"));
}

// Frames of 5 minutes up to the deadline, the last one cut by it.
std::vector<PlanFrame> frames_until(double deadline_s, const std::vector<double>& intensity) {
  std::vector<PlanFrame> frames;
  for (double t = 0; t < deadline_s - 1e-9; t += 300) {
    frames.push_back({Duration::seconds(std::min(300.0, deadline_s - t)),
                      CarbonIntensity::g_per_kwh(intensity[frames.size() % intensity.size()])});
  }
  return frames;
}

// The carbon and time of running `points[f]` in frame f until the work is done.
struct Outcome {
  bool finished = false;
  double carbon_g = 0;
  double time_s = 0;
};
Outcome account(const OperatingPoints& ops, const std::vector<PlanFrame>& frames, const std::vector<std::size_t>& plan,
                double work) {
  Outcome out;
  for (std::size_t f = 0; f < plan.size(); ++f) {
    const OperatingPoint& p = ops.all()[plan[f]];
    const double run_s = std::min(frames[f].duration.seconds(), work / p.rate_per_s);
    out.carbon_g += run_s * p.power.watts() * frames[f].intensity.g_per_kwh() / 3.6e6;
    out.time_s += run_s;
    work -= run_s * p.rate_per_s;
    if (work <= 1e-9) {
      out.finished = true;
      return out;
    }
  }
  return out;
}

// Every assignment of limits to frames; the least carbon among those that finish.
double brute_force(const OperatingPoints& ops, const std::vector<PlanFrame>& frames, double work) {
  const std::size_t m = ops.all().size();
  std::vector<std::size_t> plan(frames.size(), 0);
  double best = std::numeric_limits<double>::infinity();
  while (true) {
    const Outcome o = account(ops, frames, plan, work);
    if (o.finished) best = std::min(best, o.carbon_g);
    std::size_t k = 0;
    while (k < plan.size() && ++plan[k] == m) plan[k++] = 0;
    if (k == plan.size()) return best;
  }
}

TEST(CarbonPlanner, AtConstantIntensityRunsTheMostEfficientLimitWhenTheBudgetAllows) {
  const OperatingPoints ops = noisy();
  const double work = 3600 * 0.1;  // one hour at 300 W
  // 200 W takes 12 s per unit against 10 s: exactly a 20 % budget.
  for (const double budget : {0.2, 0.5}) {
    const auto frames = frames_until(3600 * (1 + budget), {360});
    const CarbonPlan plan = plan_min_carbon(ops, frames, work);
    ASSERT_TRUE(plan.feasible);
    EXPECT_NEAR(plan.carbon.grams(), work * 2400 * 360 / 3.6e6, 1e-9) << "budget " << budget;  // 86.4 g
    EXPECT_LE(plan.time.seconds(), 3600 * (1 + budget) + 1e-6);
  }
}

TEST(CarbonPlanner, WithoutSlackRunsTheFastestLimit) {
  const OperatingPoints ops = noisy();
  const auto frames = frames_until(3600, {100, 500});
  const CarbonPlan plan = plan_min_carbon(ops, frames, 360);
  ASSERT_TRUE(plan.feasible);
  for (const std::size_t p : plan.points) EXPECT_DOUBLE_EQ(ops.all()[p].limit.watts(), 300);
  EXPECT_NEAR(plan.time.seconds(), 3600, 1e-6);
}

TEST(CarbonPlanner, SlowsTheDirtyFramesFirst) {
  const OperatingPoints ops = noisy();
  // Four frames, alternately clean and dirty, and room for a little slowing down.
  const double work = 1200 * 0.1;
  const auto frames = frames_until(1200 * 1.06, {100, 400});
  const CarbonPlan plan = plan_min_carbon(ops, frames, work);
  ASSERT_TRUE(plan.feasible);
  ASSERT_GE(plan.points.size(), 4u);
  EXPECT_DOUBLE_EQ(ops.all()[plan.points[0]].limit.watts(), 300);
  EXPECT_DOUBLE_EQ(ops.all()[plan.points[2]].limit.watts(), 300);
  EXPECT_LT(ops.all()[plan.points[1]].limit.watts(), 300);
  EXPECT_LT(ops.all()[plan.points[3]].limit.watts(), 300);
}

TEST(CarbonPlanner, ItsLowerBoundHoldsOnRealDays) {
  // A day of gb-2020 at 5-minute frames: the bound never exceeds the plan, and is close to it.
  const OperatingPoints ops(PowerProfile::load("v100-bert-base"));
  const auto trace = IntensityTrace::load("gb-2020");
  for (int day = 30; day < 330; day += 60) {
    std::vector<double> levels;
    const UtcTime start = trace.start() + Duration::days(day);
    for (int f = 0; f < 300; ++f) levels.push_back(trace.at(start + Duration::minutes(5.0 * f)).g_per_kwh());
    const auto frames = frames_until(24 * 3600 * 1.05, levels);
    const CarbonPlan plan = plan_min_carbon(ops, frames, 24 * 3600 * ops.max_limit().rate_per_s);
    ASSERT_TRUE(plan.feasible);
    EXPECT_LE(plan.lower_bound.grams(), plan.carbon.grams());
    EXPECT_GT(plan.lower_bound.grams(), plan.carbon.grams() * 0.99) << "day " << day;
    if (plan.proven_optimal) {
      EXPECT_EQ(plan.lower_bound.grams(), plan.carbon.grams());
    }
  }
}

TEST(CarbonPlanner, ReportsInfeasibleWhenEvenTheFastestLimitCannotFinish) {
  const OperatingPoints ops = noisy();
  EXPECT_FALSE(plan_min_carbon(ops, frames_until(3600, {200}), 361).feasible);
  EXPECT_FALSE(plan_min_carbon(ops, {}, 1).feasible);
}

TEST(CarbonPlanner, MatchesBruteForceOnSmallJobsAndAccountsItsPlanExactly) {
  // Random small jobs (5-6 frames, the measured profiles' noise): the planner finds the
  // exhaustive optimum, and its own figures are those of the plan it returns.
  std::mt19937 rng(20230607);
  const std::vector<std::string> profiles = {"a40-resnet50", "v100-resnet50", "a40-bert-base", "v100-bert-base",
                                             "v100-shufflenetv2", std::string(CHASE_FIXTURES_DIR) + "/control/noisy-profile.csv"};
  std::uniform_real_distribution<double> intensity(50, 400);
  for (int trial = 0; trial < 120; ++trial) {
    const OperatingPoints ops(PowerProfile::load(profiles[trial % profiles.size()]));
    const double budget = std::vector<double>{0, 0.025, 0.05, 0.1, 0.3}[trial % 5];
    const std::size_t n = 5 + trial % 2;
    const double hours_s = 300.0 * static_cast<double>(n - 1) / (1 + budget) * (0.8 + 0.2 * (trial % 7) / 7.0);
    std::vector<double> levels;
    for (std::size_t f = 0; f < n; ++f) levels.push_back(std::round(intensity(rng)));
    const auto frames = frames_until(hours_s * (1 + budget), levels);
    const double work = hours_s * ops.max_limit().rate_per_s;

    const CarbonPlan plan = plan_min_carbon(ops, frames, work);
    ASSERT_TRUE(plan.feasible) << "trial " << trial;
    const Outcome replay = account(ops, frames, plan.points, work);
    ASSERT_TRUE(replay.finished) << "trial " << trial;
    EXPECT_NEAR(replay.carbon_g, plan.carbon.grams(), 1e-9 * plan.carbon.grams()) << "trial " << trial;
    EXPECT_NEAR(replay.time_s, plan.time.seconds(), 1e-6) << "trial " << trial;
    EXPECT_LE(plan.time.seconds(), hours_s * (1 + budget) + 1e-6) << "trial " << trial;

    EXPECT_TRUE(plan.proven_optimal) << "trial " << trial;
    const double optimum = brute_force(ops, frames, work);
    EXPECT_NEAR(plan.carbon.grams(), optimum, 1e-9 * plan.carbon.grams()) << "trial " << trial;
    EXPECT_LE(plan.lower_bound.grams(), optimum * (1 + 1e-12)) << "trial " << trial;
  }
}

}  // namespace
}  // namespace chase

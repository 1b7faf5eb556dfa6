#include "control/chase_policy.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

// noisy-profile.csv: 300 W is the maximum and the fastest limit (10 s, 3000 J per unit).
struct Job {
  OperatingPoints points{PowerProfile::load(std::string(CHASE_FIXTURES_DIR) + "/control/noisy-profile.csv")};
  FrameGrid grid = FrameGrid::fixed(Duration::minutes(5));
  UtcTime start = UtcTime::parse_iso8601_or_throw("2021-03-02T00:00:00Z", "test");

  PolicyJob job(std::optional<double> budget, Duration hours = Duration::hours(10)) const {
    PolicyJob j;
    j.points = &points;
    j.grid = &grid;
    j.start = start;
    j.work_at_max = hours;
    j.slowdown_budget = budget;
    return j;
  }
  // A day of 5-minute frames before the start, all at the same intensity.
  void feed_day(Policy& policy, double intensity) const {
    for (UtcTime t = start - Duration::hours(24); t < start; t = t + Duration::minutes(5)) {
      policy.observe(t, t + Duration::minutes(5), CarbonIntensity::g_per_kwh(intensity));
    }
  }
  FrameContext frame(double predicted, double work_done = 0, double minutes_in = 0) const {
    const UtcTime from = start + Duration::minutes(minutes_in);
    return {from, from + Duration::minutes(5), CarbonIntensity::g_per_kwh(predicted), work_done};
  }
};

TEST(ChasePolicy, WithoutABudgetMinimisesTheEtaCostAtTheReferenceIntensity) {
  // v = (1−η)/η · CI_ref · E(max) = CI_ref × 3000 J per unit at η = 0.5: at CI = CI_ref a frame
  // takes every frontier step whose marginal energy is under 3000 J: 200 W (2400 J) but not
  // 250 W (4200 J).
  Job j;
  ChasePolicy chase(0.5);
  chase.begin(j.job(std::nullopt));
  j.feed_day(chase, 300);
  EXPECT_DOUBLE_EQ(chase.decide(j.frame(300)).watts(), 200);
  EXPECT_NEAR(chase.last_work_value_g_per_unit(), 300 * 3000 / 3.6e6, 1e-12);
  // η = 0.8 weighs energy four times as much as time: v = CI_ref × 750 J, under every step, so
  // the least power among the efficient limits: 200 W (150 W and 100 W cost more energy per
  // unit than 200 W, and chase leaves such limits alone).
  ChasePolicy frugal(0.8);
  frugal.begin(j.job(std::nullopt));
  j.feed_day(frugal, 300);
  EXPECT_DOUBLE_EQ(frugal.decide(j.frame(300)).watts(), 200);
  EXPECT_DOUBLE_EQ(frugal.decide(j.frame(3000)).watts(), 200);
}

TEST(ChasePolicy, DirtierFramesNeverRunFaster) {
  Job j;
  ChasePolicy chase(0.5);
  chase.begin(j.job(0.1));
  j.feed_day(chase, 300);
  double previous_rate = 1e9;
  for (const double predicted : {50.0, 150.0, 250.0, 300.0, 350.0, 450.0, 700.0}) {
    const double rate = j.points.at(chase.decide(j.frame(predicted))).rate_per_s;
    EXPECT_LE(rate, previous_rate) << predicted;
    previous_rate = rate;
  }
  EXPECT_DOUBLE_EQ(chase.decide(j.frame(50)).watts(), 300);
}

TEST(ChasePolicy, ZeroBudgetOnAProfileWhoseMaximumIsFastestRunsTheMaximum) {
  Job j;
  ChasePolicy chase(0.5);
  chase.begin(j.job(0.0));
  j.feed_day(chase, 300);
  for (const double predicted : {30.0, 300.0, 900.0}) EXPECT_DOUBLE_EQ(chase.decide(j.frame(predicted)).watts(), 300);
}

TEST(ChasePolicy, GuardKeepsTheDeadlineReachableAtFullSpeed) {
  Job j;
  ChasePolicy chase(0.5);
  const PolicyJob job = j.job(0.1);  // 10 h of work, 11 h allowed
  chase.begin(job);
  j.feed_day(chase, 100);  // a clean day: the scenario says slowing down now is cheap
  // Ten hours in with 1.5 h of work left for the last hour: late already; flat out is all
  // that is left to do.
  const double rate = j.points.fastest().rate_per_s;
  EXPECT_DOUBLE_EQ(chase.decide(j.frame(2000, job.work_units() - rate * 3600 * 1.5, 600)).watts(), 300);
  // Exactly one hour of full-speed work left for the last hour: any slower frame would miss.
  EXPECT_DOUBLE_EQ(chase.decide(j.frame(2000, job.work_units() - rate * 3600, 600)).watts(), 300);
}

TEST(ChasePolicy, FinishingFrameTakesTheLeastEnergyThatEndsInTime) {
  Job j;
  ChasePolicy chase(0.5);
  const PolicyJob job = j.job(0.5);
  chase.begin(job);
  j.feed_day(chase, 300);
  // One unit left (10 s at 300 W): every limit finishes inside the frame, so only the energy
  // per unit matters: 2400 J at 200 W and 150 W, the faster of the two.
  EXPECT_DOUBLE_EQ(chase.decide(j.frame(300, job.work_units() - 1)).watts(), 200);
}

TEST(ChasePolicy, RejectsEtaOutsideTheOpenUnitInterval) {
  EXPECT_THROW(ChasePolicy(0.0), InputError);
  EXPECT_THROW(ChasePolicy(1.2), InputError);
}

}  // namespace
}  // namespace chase

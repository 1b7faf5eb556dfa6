#include "control/chase_paper_policy.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

OperatingPoint point(double limit_w, double power_w, double rate_per_s) {
  return {.limit = Power::watts(limit_w),
          .power = Power::watts(power_w),
          .rate_per_s = rate_per_s,
          .energy_per_unit = Energy::joules(power_w / rate_per_s),
          .time_per_unit = Duration::seconds(1.0 / rate_per_s)};
}

// Three limits, by hand: 300 W (300 J and 1 s per unit), 200 W (250 J, 1.25 s), 100 W (200 J,
// 2 s). P_ref is the maximum limit, 300 W.
struct Job {
  OperatingPoints points{std::vector<OperatingPoint>{point(300, 300, 1.0), point(200, 200, 0.8), point(100, 100, 0.5)}};
  FrameGrid grid = FrameGrid::fixed(Duration::minutes(30));
  UtcTime start = UtcTime::parse_iso8601_or_throw("2021-03-02T00:00:00Z", "test");

  PolicyJob job(std::optional<double> budget = std::nullopt) const {
    PolicyJob j;
    j.points = &points;
    j.grid = &grid;
    j.start = start;
    j.work_at_max = Duration::hours(10);
    j.slowdown_budget = budget;
    return j;
  }
  // 30-minute frames over the day before the start: the first half at `first`, then `second`.
  void feed_day(Policy& policy, double first, double second) const {
    for (UtcTime t = start - Duration::hours(24); t < start; t = t + Duration::minutes(30)) {
      policy.observe(t, t + Duration::minutes(30), CarbonIntensity::g_per_kwh(t < start - Duration::hours(12) ? first : second));
    }
  }
  FrameContext frame(double predicted, double work_done = 0) const {
    return {start, start + Duration::minutes(30), CarbonIntensity::g_per_kwh(predicted), work_done};
  }
};

double decide(double eta, double ci_ref, double predicted, std::optional<double> budget = std::nullopt) {
  Job j;
  ChasePaperPolicy policy(eta, ci_ref);
  policy.begin(j.job(budget));
  j.feed_day(policy, 100, 300);  // mean 200 g/kWh
  return policy.decide(j.frame(predicted)).watts();
}

TEST(ChasePaperPolicy, PicksTheLeastCostPerUnitOfWork) {
  // η = 0.5, CI_ref = 200 (the history's mean), cost = (0.5·P·CI + 0.5·300·200) / rate:
  // at CI 200: 300 W 60000, 200 W (20000 + 30000)/0.8 = 62500, 100 W 40000/0.5 = 80000;
  EXPECT_DOUBLE_EQ(decide(0.5, 0, 200), 300);
  // at CI 600: 300 W 120000, 200 W (60000 + 30000)/0.8 = 112500, 100 W 60000/0.5 = 120000;
  EXPECT_DOUBLE_EQ(decide(0.5, 0, 600), 200);
  // at CI 2000: 300 W 330000, 200 W 230000/0.8 = 287500, 100 W 130000/0.5 = 260000.
  EXPECT_DOUBLE_EQ(decide(0.5, 0, 2000), 100);
}

TEST(ChasePaperPolicy, EtaOneIsTheLeastCarbonPerUnitAndSmallEtaTheFastest) {
  // η = 1: P·CI/rate, the energy per unit × CI: 300, 250, 200 J → 100 W at any intensity.
  EXPECT_DOUBLE_EQ(decide(1.0, 0, 50), 100);
  EXPECT_DOUBLE_EQ(decide(1.0, 0, 2000), 100);
  // η = 0.01 at CI 2000: 300 W 6000 + 59400 = 65400, 200 W 63400/0.8 = 79250, 100 W 61400/0.5.
  EXPECT_DOUBLE_EQ(decide(0.01, 0, 2000), 300);
  // η = 0: time alone, P_ref·CI_ref / rate, the fastest whatever the intensity.
  EXPECT_DOUBLE_EQ(decide(0.0, 0, 5000), 300);
}

TEST(ChasePaperPolicy, AGivenReferenceReplacesTheHistory) {
  // CI_ref = 600 at CI 600: 300 W 90000 + 90000, 200 W 150000/0.8 = 187500, 100 W 120000/0.5.
  EXPECT_DOUBLE_EQ(decide(0.5, 600, 600), 300);
}

TEST(ChasePaperPolicy, TheReferenceIsFrozenAtTheStart) {
  Job j;
  ChasePaperPolicy policy(0.5, 0);
  policy.begin(j.job());
  j.feed_day(policy, 100, 300);
  EXPECT_FALSE(policy.reference_intensity());
  EXPECT_DOUBLE_EQ(policy.decide(j.frame(600)).watts(), 200);
  EXPECT_DOUBLE_EQ(*policy.reference_intensity(), 200);
  // Frames after the start move the forecast, not the reference.
  for (int i = 0; i < 10; ++i) {
    const UtcTime from = j.start + Duration::minutes(30 * i);
    policy.observe(from, from + Duration::minutes(30), CarbonIntensity::g_per_kwh(2000));
  }
  EXPECT_DOUBLE_EQ(policy.decide(j.frame(600, 100)).watts(), 200);
  EXPECT_DOUBLE_EQ(*policy.reference_intensity(), 200);
  // begin() starts over: without history, the first forecast is the reference (CI = CI_ref
  // = 600: 300 W, as in AGivenReferenceReplacesTheHistory).
  policy.begin(j.job());
  EXPECT_DOUBLE_EQ(policy.decide(j.frame(600)).watts(), 300);
  EXPECT_DOUBLE_EQ(*policy.reference_intensity(), 600);
}

TEST(ChasePaperPolicy, IgnoresTheBudgetAndRestsWhenTheWorkIsDone) {
  // A zero budget changes nothing: 100 W at CI 2000 although it is twice as slow as max.
  EXPECT_DOUBLE_EQ(decide(0.5, 0, 2000, 0.0), 100);
  Job j;
  ChasePaperPolicy policy(0.5, 0);
  policy.begin(j.job());
  const double all_work = j.job().work_units();
  EXPECT_DOUBLE_EQ(policy.decide(j.frame(200, all_work)).watts(), 100);  // the most efficient
}

TEST(ChasePaperPolicy, RejectsParametersOutOfRange) {
  EXPECT_THROW(ChasePaperPolicy(-0.1, 0), InputError);
  EXPECT_THROW(ChasePaperPolicy(1.5, 0), InputError);
  EXPECT_THROW(ChasePaperPolicy(0.5, -1), InputError);
  EXPECT_THROW(ChasePaperPolicy(0.5, 1e6), InputError);
  // Through the registry, the declared ranges name the flag.
  PolicyOptions options;
  options.parameters["ci-ref"] = -5;
  try {
    make_policy("chase-paper", options);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--ci-ref within [0, 5000]"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace chase

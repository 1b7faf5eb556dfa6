#include "control/drift_watch.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "control/chase_policy.hpp"
#include "control/progress_work.hpp"
#include "control/step_counter.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

OperatingPoint point(double limit_w, double power_w, double rate) {
  return {Power::watts(limit_w), Power::watts(power_w), rate, Power::watts(power_w) * Duration::seconds(1 / rate),
          Duration::seconds(1 / rate)};
}

// A job on a three-limit profile (1, 0.8 and 0.5 iterations/s), fed frames of five minutes.
struct Job {
  OperatingPoints points{std::vector<OperatingPoint>{point(300, 300, 1.0), point(200, 200, 0.8), point(100, 100, 0.5)}};
  UtcTime start = UtcTime::from_epoch_seconds(1'700'000'000);
  Duration frame = Duration::minutes(5);
  UtcTime t = start;

  PolicyJob job() const {
    PolicyJob j;
    j.points = &points;
    j.start = start;
    j.work_at_max = Duration::hours(10);
    j.slowdown_budget = 0.1;
    return j;
  }
  // A frame at `limit_w` doing `rate` iterations/s, measured (or modelled).
  void run(Policy& policy, double limit_w, double rate, bool measured = true) {
    FrameMeasurement m;
    m.from = t;
    m.until = t + frame;
    m.limit = Power::watts(limit_w);
    m.work_units = rate * frame.seconds();
    m.work_measured = measured;
    policy.measured(m);
    t = m.until;
  }
};

TEST(DriftWatch, SaysOnceWhenAMeasuredLimitDepartsFromItsProfile) {
  Job job;
  auto max = make_policy("max");
  std::vector<ProfileDrift> told;
  DriftWatch watch(*max, {}, [&told](const ProfileDrift& d) { told.push_back(d); });
  watch.begin(job.job());
  ASSERT_NE(watch.job_model(), nullptr);  // its own, as `max` keeps none
  EXPECT_EQ(watch.name(), "max");
  // The profile is 20 % too fast at 300 W: said after three frames' time there, and once.
  job.run(watch, 300, 0.8);
  job.run(watch, 300, 0.8);
  EXPECT_TRUE(told.empty());
  EXPECT_FALSE(watch.corrected_profile("x"));
  for (int i = 0; i < 5; ++i) job.run(watch, 300, 0.8);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].limit, Power::watts(300));
  EXPECT_DOUBLE_EQ(told[0].profile_rate_per_s, 1.0);
  EXPECT_NEAR(told[0].measured_rate_per_s, 0.8, 1e-12);
  EXPECT_EQ(told[0].seen_at, job.start + job.frame * 3.0);
  ASSERT_TRUE(watch.drift());
  EXPECT_EQ(watch.drift()->seen_at, told[0].seen_at);
  EXPECT_EQ(told[0].describe(), "limit 300 W: profile 1 iterations/s, measured 0.8 iterations/s (-20 %)");
  // The corrected profile has learned the limit's rate.
  const auto corrected = watch.corrected_profile("corrected");
  ASSERT_TRUE(corrected);
  EXPECT_EQ(corrected->source(), "corrected");
  EXPECT_GT(corrected->at_limit(Power::watts(300)).time.seconds(), 1.1);
  // begin() starts over.
  watch.begin(job.job());
  EXPECT_FALSE(watch.drift());
}

// A job that slows down after running as profiled: the rate over the latest frames shows it.
TEST(DriftWatch, ALaterSlowdownIsSeenInTheLatestFrames) {
  Job job;
  auto max = make_policy("max");
  int told = 0;
  DriftWatch watch(*max, {}, [&told](const ProfileDrift&) { ++told; });
  watch.begin(job.job());
  for (int i = 0; i < 30; ++i) job.run(watch, 300, 1.0);
  job.run(watch, 300, 0.85);
  job.run(watch, 300, 0.85);
  EXPECT_EQ(told, 0);  // the window still holds a frame at the profile's rate
  job.run(watch, 300, 0.85);
  EXPECT_EQ(told, 1);
  EXPECT_NEAR(watch.drift()->measured_rate_per_s, 0.85, 1e-12);
}

TEST(DriftWatch, NeedsMeasuredWorkAndThreeFramesAtTheLimit) {
  Job job;
  auto max = make_policy("max");
  int told = 0;
  DriftWatch watch(*max, {}, [&told](const ProfileDrift&) { ++told; });
  watch.begin(job.job());
  for (int i = 0; i < 10; ++i) job.run(watch, 300, 0.5, /*measured=*/false);  // modelled: says nothing
  job.run(watch, 200, 0.4);
  job.run(watch, 200, 0.4);
  EXPECT_EQ(told, 0);  // half the profile's rate, but only two frames at 200 W
  job.run(watch, 200, 0.4);
  EXPECT_EQ(told, 1);
  EXPECT_EQ(watch.drift()->limit, Power::watts(200));
}

TEST(DriftWatch, UsesAClosedLoopPolicysOwnModel) {
  Job job;
  ChasePolicy chase(0.5);
  DriftWatch watch(chase, {.threshold = 0.5, .min_frames = 1});
  watch.begin(job.job());
  EXPECT_EQ(watch.job_model(), chase.job_model());
  job.run(watch, 300, 0.7);  // 30 %: under this threshold
  EXPECT_FALSE(watch.drift());
  EXPECT_THROW(DriftWatch(chase, {.threshold = 0, .min_frames = 3}), InputError);
  EXPECT_THROW(DriftWatch(chase, {.threshold = 0.1, .min_frames = 0}), InputError);
}

TEST(ProgressWork, CountsTheIterationsSinceItWasMade) {
  StepCounter steps;
  steps.advance(7);
  ProgressWork work(steps);
  EXPECT_EQ(work.start_count(), 7);
  EXPECT_TRUE(work.measured());
  EXPECT_DOUBLE_EQ(work.work_done_units(), 0);
  steps.advance(5);
  EXPECT_DOUBLE_EQ(work.work_done_units(), 5);
}

// A source with no count for a while (a file being rewritten) leaves the last count read.
TEST(ProgressWork, KeepsTheLastCountWhileTheSourceHasNone) {
  struct Flaky final : IterationSource {
    std::vector<std::optional<std::int64_t>> reads{std::nullopt, 4, std::nullopt, 9};
    std::size_t next = 0;
    std::optional<std::int64_t> read() override { return reads.at(next++); }
  } source;
  ProgressWork work(source);  // no count yet: from 0
  EXPECT_EQ(work.start_count(), 0);
  EXPECT_DOUBLE_EQ(work.work_done_units(), 4);
  EXPECT_DOUBLE_EQ(work.work_done_units(), 4);
  EXPECT_DOUBLE_EQ(work.work_done_units(), 9);
}

}  // namespace
}  // namespace chase

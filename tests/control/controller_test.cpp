#include "control/controller.hpp"

#include <gtest/gtest.h>

#include "carbon/forecast/forecaster.hpp"
#include "control/max_policy.hpp"
#include "control/plan/oracle_policy.hpp"
#include "trace_feed.hpp"
#include "core/error.hpp"
#include "fake_device.hpp"

namespace chase {
namespace {

using test::FakeGpu;

UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }

// The fixture day-cycle trace (hourly) and the noisy profile (300 W max, 10 s/unit).
struct Rig {
  IntensityTrace trace = IntensityTrace::load(std::string(CHASE_FIXTURES_DIR) + "/sim/diurnal-6d.csv");
  OperatingPoints points{PowerProfile::load(std::string(CHASE_FIXTURES_DIR) + "/control/noisy-profile.csv")};
  TraceFeed feed{trace};
  std::unique_ptr<Forecaster> forecaster = make_forecaster("persistence", Duration::minutes(5));
  ManualClock clock{at("2021-03-02T10:02:00Z")};
  FakeGpu gpu{Power::watts(275), {Power::watts(100), Power::watts(300)}};
  DecisionLog log;
};

TEST(Controller, FramesAlignToTheGridAndEveryDecisionIsLogged) {
  Rig r;
  MaxPolicy max;
  Controller controller({&r.gpu}, r.points, r.feed, *r.forecaster, max, r.clock, r.log);
  ModelledWork work(r.points);
  ClockPacer pacer(r.clock);
  ControlSettings settings;
  settings.job.frame_length = Duration::minutes(5);
  settings.job.work_at_max = Duration::hours(1);
  const ControlOutcome out = controller.run(settings, work, pacer);
  EXPECT_EQ(out.end, ControlOutcome::End::kWorkDone);
  // 3 minutes to 10:05, then 5-minute frames until the hour of work at 300 W is done at 11:02:
  // 12 whole frames after the first, the last ending at 11:05.
  ASSERT_EQ(r.log.decisions().size(), 13u);
  EXPECT_EQ(r.log.decisions()[0].from.iso8601(), "2021-03-02T10:02:00Z");
  EXPECT_EQ(r.log.decisions()[0].until.iso8601(), "2021-03-02T10:05:00Z");
  EXPECT_EQ(r.log.decisions()[1].from.iso8601(), "2021-03-02T10:05:00Z");
  for (const Decision& d : r.log.decisions()) {
    EXPECT_DOUBLE_EQ(d.limit.watts(), 300);
    ASSERT_TRUE(d.actual.has_value());
    EXPECT_DOUBLE_EQ(d.actual->g_per_kwh(), r.trace.mean(d.from, d.until).g_per_kwh()) << d.from.iso8601();
    EXPECT_NE(d.source.find("diurnal-6d.csv"), std::string::npos);
  }
  // The first prediction is persistence over the day read before the start: its last piece,
  // 10:00 to 10:02.
  EXPECT_DOUBLE_EQ(r.log.decisions()[0].predicted.g_per_kwh(), r.trace.at(at("2021-03-02T10:00:00Z")).g_per_kwh());
  // A modelled job cannot end mid-frame: the last frame runs whole, 3 minutes past the work.
  EXPECT_NEAR(out.work_done_units, 360 + 180 * 0.1, 1e-9);
  // The device ran at 300 W and is back at 275 W.
  EXPECT_EQ(r.gpu.history, (std::vector<Power>{Power::watts(300), Power::watts(275)}));
}

// The job's size in measured units reaches the policy and ends the work: half the stated hour.
TEST(Controller, TheJobsTotalWorkUnitsReachThePolicy) {
  struct SeesTheJob final : Policy {
    MaxPolicy max;
    std::optional<double> total;
    std::string name() const override { return "sees-the-job"; }
    void begin(const PolicyJob& job) override {
      total = job.total_work_units;
      max.begin(job);
    }
    Power decide(const FrameContext& frame) override { return max.decide(frame); }
  } policy;
  Rig r;
  Controller controller({&r.gpu}, r.points, r.feed, *r.forecaster, policy, r.clock, r.log);
  ModelledWork work(r.points);
  ClockPacer pacer(r.clock);
  ControlSettings settings;
  settings.job.frame_length = Duration::minutes(5);
  settings.job.work_at_max = Duration::hours(1);
  settings.total_work_units = 180;  // 30 minutes at 10 s per unit
  const ControlOutcome out = controller.run(settings, work, pacer);
  EXPECT_EQ(policy.total, 180.0);
  EXPECT_EQ(out.end, ControlOutcome::End::kWorkDone);
  EXPECT_GE(out.work_done_units, 180);
  EXPECT_LT(out.work_done_units, 360);
}

TEST(Controller, FeedStepsAreTheFramesWithoutAFixedLength) {
  Rig r;
  MaxPolicy max;
  Controller controller({&r.gpu}, r.points, r.feed, *r.forecaster, max, r.clock, r.log);
  ModelledWork work(r.points);
  ClockPacer pacer(r.clock);
  ControlSettings settings;
  settings.job.work_at_max = Duration::hours(2);
  controller.run(settings, work, pacer);
  ASSERT_EQ(r.log.decisions().size(), 3u);  // 10:02-11:00, 11:00-12:00, 12:00-13:00
  EXPECT_EQ(r.log.decisions()[1].from.iso8601(), "2021-03-02T11:00:00Z");
  EXPECT_EQ(r.log.decisions()[1].until.iso8601(), "2021-03-02T12:00:00Z");
}

// Counts what the controller feeds it before the first decision.
class CountingForecaster : public Forecaster {
 public:
  std::string name() const override { return "counting"; }
  void observe(const IntensitySample& sample) override { seen.push_back(sample.time); }
  std::vector<CarbonIntensity> predict(std::size_t frames) const override {
    return std::vector<CarbonIntensity>(frames, CarbonIntensity::g_per_kwh(100));
  }
  std::unique_ptr<Forecaster> fresh() const override { return std::make_unique<CountingForecaster>(); }
  std::vector<UtcTime> seen;
};

TEST(Controller, TheWarmUpReadsAtMostTheCappedNumberOfFrames) {
  Rig r;
  CountingForecaster counting;
  MaxPolicy max;
  Controller controller({&r.gpu}, r.points, r.feed, counting, max, r.clock, r.log);
  ModelledWork work(r.points);
  ClockPacer pacer(r.clock);
  ControlSettings settings;
  settings.job.frame_length = Duration::minutes(1);
  settings.job.work_at_max = Duration::minutes(1);
  settings.max_history_frames = 10;  // of the default 24 h, only the last 10 one-minute frames
  controller.run(settings, work, pacer);
  ASSERT_GE(counting.seen.size(), 10u);
  EXPECT_EQ(counting.seen.front().iso8601(), "2021-03-02T09:52:00Z");
  EXPECT_EQ(counting.seen[9].iso8601(), "2021-03-02T10:01:00Z");
}

TEST(Controller, TheOracleReplaysItsPlanThroughTheController) {
  // The same job as the simulator would run: the oracle's plan, frame by frame.
  Rig r;
  r.clock.set(at("2021-03-02T00:00:00Z"));
  OraclePolicy oracle(r.trace);
  Controller controller({&r.gpu}, r.points, r.feed, *r.forecaster, oracle, r.clock, r.log);
  ModelledWork work(r.points);
  ClockPacer pacer(r.clock);
  ControlSettings settings;
  settings.job.frame_length = Duration::minutes(5);
  settings.job.work_at_max = Duration::hours(24);
  settings.job.slowdown_budget = 0.1;
  const ControlOutcome out = controller.run(settings, work, pacer);
  EXPECT_EQ(out.end, ControlOutcome::End::kWorkDone);
  EXPECT_LE(out.elapsed.seconds(), 24 * 3600 * 1.1 + 300);
  std::set<double> limits;
  for (const Decision& d : r.log.decisions()) limits.insert(d.limit.watts());
  EXPECT_GT(limits.size(), 1u);  // it shifts power across the day
  EXPECT_DOUBLE_EQ(r.gpu.power_limit().watts(), 275);
}

TEST(Controller, StopsWhenAskedOrWhenTheJobEnds) {
  Rig r;
  MaxPolicy max;
  Controller controller({&r.gpu}, r.points, r.feed, *r.forecaster, max, r.clock, r.log);
  ModelledWork work(r.points);
  int frames = 0;
  ClockPacer pacer(r.clock, [&] { return frames >= 3; });
  ControlSettings settings;
  settings.job.frame_length = Duration::minutes(5);
  settings.job.work_at_max = Duration::hours(10);
  const ControlOutcome stopped = controller.run(settings, work, pacer, [&] {
    ++frames;
    return true;
  });
  EXPECT_EQ(stopped.end, ControlOutcome::End::kStopped);
  EXPECT_EQ(stopped.frames, 3u);
  EXPECT_DOUBLE_EQ(r.gpu.power_limit().watts(), 275);

  ClockPacer never(r.clock);
  int checks = 0;
  const ControlOutcome ended = controller.run(settings, work, never, [&] { return ++checks < 5; });
  EXPECT_EQ(ended.end, ControlOutcome::End::kJobEnded);
  EXPECT_EQ(ended.frames, 4u);
}

TEST(Controller, RestoresTheLimitWhenTheFeedFailsMidRun) {
  Rig r;
  r.clock.set(at("2021-03-06T22:00:00Z"));  // the trace ends at 2021-03-07T00:00Z
  MaxPolicy max;
  Controller controller({&r.gpu}, r.points, r.feed, *r.forecaster, max, r.clock, r.log);
  ModelledWork work(r.points);
  ClockPacer pacer(r.clock);
  ControlSettings settings;
  settings.job.frame_length = Duration::minutes(5);
  settings.job.work_at_max = Duration::hours(5);
  EXPECT_THROW(controller.run(settings, work, pacer), InputError);
  EXPECT_DOUBLE_EQ(r.gpu.power_limit().watts(), 275);
  EXPECT_EQ(r.log.decisions().size(), 24u);  // two hours of frames were decided and logged
}

TEST(Controller, AMissingPrivilegeIsAClearErrorAndNothingIsLeftChanged) {
  Rig r;
  r.gpu.deny_limits(true);
  MaxPolicy max;
  Controller controller({&r.gpu}, r.points, r.feed, *r.forecaster, max, r.clock, r.log);
  ModelledWork work(r.points);
  ClockPacer pacer(r.clock);
  ControlSettings settings;
  try {
    controller.run(settings, work, pacer);
    FAIL() << "expected PermissionError";
  } catch (const PermissionError& e) {
    EXPECT_NE(std::string(e.what()).find("needs root"), std::string::npos) << e.what();
  }
  EXPECT_DOUBLE_EQ(r.gpu.power_limit().watts(), 275);
}

}  // namespace
}  // namespace chase

#include "control/training_controller.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "carbon/constant_intensity_feed.hpp"
#include "core/error.hpp"
#include "fake_device.hpp"
#include "profiled_gpu.hpp"

namespace chase {
namespace {


// A training loop whose step at limit l takes the fixture profile's time(l) and energy(l).
struct Loop : test::ProfiledGpu {
  ConstantIntensityFeed feed{CarbonIntensity::g_per_kwh(200), "test"};
  DecisionLog log;

  void step(TrainingController& c) {
    c.on_step_begin();
    iterate();
    c.on_step_end();
  }
  TrainingSettings settings(TrainingRole role = TrainingRole::kLeader) const {
    TrainingSettings s;
    s.total_steps = 1000;
    s.profiler.limits = {Power::watts(300), Power::watts(250), Power::watts(200), Power::watts(150)};
    s.profiler.warmup_iterations = 2;
    s.profiler.measure_iterations = 5;
    s.job.frame_length = Duration::minutes(5);
    s.job.slowdown_budget = 0.1;
    s.job.history = Duration();
    s.role = role;
    return s;
  }
};

// Waits (without asserting how long) until the control thread has made its first decision.
std::optional<Power> first_decision(const TrainingController& c) {
  for (int i = 0; i < 2000 && !c.current_limit(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return c.current_limit();
}

TEST(TrainingController, ProfilesFromTheStepsThenControlsAndRestores) {
  Loop loop;
  TrainingController c({loop.gpu}, loop.feed, loop.clock, loop.log, loop.settings());
  EXPECT_EQ(c.phase(), TrainingPhase::kProfiling);
  EXPECT_EQ(c.profile_limits().size(), 4u);
  // 4 limits x (2 warm-up + 5 measured) steps: the profiler sets each limit at a step's end.
  for (int i = 0; i < 4 * 7 - 1; ++i) loop.step(c);
  EXPECT_EQ(c.phase(), TrainingPhase::kProfiling);
  loop.step(c);
  EXPECT_EQ(c.steps_done(), 28);
  ASSERT_EQ(c.phase(), TrainingPhase::kControlling);
  const auto measured = c.measured_profile();
  ASSERT_TRUE(measured);
  ASSERT_EQ(measured->points().size(), 4u);
  for (const ProfilePoint& p : measured->points()) {
    const ProfilePoint& truth = loop.truth.at_limit(p.limit);
    EXPECT_NEAR(p.time.seconds(), truth.time.seconds(), 1e-3) << p.limit.watts();
    EXPECT_NEAR(p.energy.joules(), truth.energy.joules(), 1e-9) << p.limit.watts();
  }
  // Profiling went through each limit in order, from the maximum down.
  ASSERT_GE(loop.gpu->history.size(), 4u);
  EXPECT_EQ(loop.gpu->history[0], Power::watts(300));
  EXPECT_EQ(loop.gpu->history[1], Power::watts(250));
  EXPECT_EQ(loop.gpu->history[3], Power::watts(150));

  const std::optional<Power> decided = first_decision(c);
  ASSERT_TRUE(decided);
  EXPECT_TRUE(*decided == Power::watts(300) || *decided == Power::watts(250) || *decided == Power::watts(200) ||
              *decided == Power::watts(150));
  const TrainingResult r = c.finish();
  EXPECT_EQ(c.phase(), TrainingPhase::kFinished);
  EXPECT_TRUE(r.restore_errors.empty());
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.steps, 28);
  EXPECT_EQ(r.profiling_steps, 28);
  ASSERT_TRUE(r.control);
  EXPECT_EQ(r.control->outcome.end, ControlOutcome::End::kStopped);
  // The work the controller saw is the steps counted after it started: none.
  EXPECT_DOUBLE_EQ(r.control->work_done_units, 0);
  // Counted by the loop's steps for the whole of control, from the 28 of profiling.
  EXPECT_EQ(r.control->work_meter, "steps");
  EXPECT_EQ(r.control->iterations_before_control, 28);
  ASSERT_FALSE(loop.log.decisions().empty());
  EXPECT_EQ(loop.log.decisions().front().limit, *decided);
  // Every limit is back where it was.
  EXPECT_EQ(loop.gpu->power_limit(), Power::watts(300));
  EXPECT_EQ(c.finish().steps, 28);  // idempotent
}

TEST(TrainingController, AFollowerProfilesAtTheSameStepsThenAppliesTheLeadersLimits) {
  Loop loop;
  TrainingSettings s = loop.settings(TrainingRole::kFollower);
  s.start_after_profiling = false;
  TrainingController c({loop.gpu}, loop.feed, loop.clock, loop.log, s);
  EXPECT_THROW(c.apply_limit(Power::watts(200)), Error);  // not following yet
  for (int i = 0; i < 28; ++i) loop.step(c);
  ASSERT_EQ(c.phase(), TrainingPhase::kProfiled);
  EXPECT_EQ(loop.gpu->power_limit(), Power::watts(300));  // back at the maximum between profiling and control
  c.start_control(*c.measured_profile());
  EXPECT_EQ(c.phase(), TrainingPhase::kFollowing);
  c.apply_limit(Power::watts(200));
  EXPECT_EQ(loop.gpu->power_limit(), Power::watts(200));
  EXPECT_EQ(c.current_limit(), Power::watts(200));
  try {
    c.apply_limit(Power::watts(50));
    FAIL() << "a limit below the range was applied";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "limit 50 W is outside fake:0's range 100-300 W");
  }
  EXPECT_TRUE(loop.log.decisions().empty());  // a follower decides nothing
  const TrainingResult r = c.finish();
  EXPECT_FALSE(r.control);
  EXPECT_EQ(loop.gpu->power_limit(), Power::watts(300));
}

TEST(TrainingController, ASavedProfileStartsControlAtOnceAndFinishMidProfilingRestores) {
  Loop loop;
  TrainingSettings s = loop.settings();
  s.profile = loop.truth;
  {
    TrainingController c({loop.gpu}, loop.feed, loop.clock, loop.log, s);
    EXPECT_EQ(c.phase(), TrainingPhase::kControlling);
    ASSERT_TRUE(first_decision(c));
  }  // the destructor stops control and restores
  EXPECT_EQ(loop.gpu->power_limit(), Power::watts(300));

  Loop other;
  TrainingController c({other.gpu}, other.feed, other.clock, other.log, other.settings());
  for (int i = 0; i < 10; ++i) other.step(c);  // into the second limit
  EXPECT_EQ(other.gpu->power_limit(), Power::watts(250));
  const TrainingResult r = c.finish();
  EXPECT_EQ(r.profiling_steps, 10);
  EXPECT_FALSE(r.profile);
  EXPECT_EQ(other.gpu->power_limit(), Power::watts(300));
}

// A data-parallel leader (apply_at_steps): its control thread decides, but the GPU keeps its limit
// until the loop applies the decision at a step, as every follower does at the same step.
TEST(TrainingController, ALeaderApplyingAtStepsDecidesInItsThreadAndSetsAtTheStep) {
  Loop loop;
  TrainingSettings s = loop.settings();
  s.profile = loop.truth;
  s.apply_at_steps = true;
  TrainingController c({loop.gpu}, loop.feed, loop.clock, loop.log, s);
  for (int i = 0; i < 2000 && !c.decided_limit(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const std::optional<Power> decided = c.decided_limit();
  ASSERT_TRUE(decided);
  EXPECT_FALSE(c.current_limit());  // decided, not applied
  EXPECT_TRUE(loop.gpu->history.empty());  // the thread set nothing
  c.apply_limit(*decided);
  EXPECT_EQ(c.current_limit(), *decided);
  EXPECT_EQ(loop.gpu->power_limit(), *decided);
  EXPECT_EQ(loop.gpu->history.size(), *decided == Power::watts(300) ? 0u : 1u);  // a GPU at the limit is not set again
  c.finish();
  EXPECT_EQ(loop.gpu->power_limit(), Power::watts(300));

  Loop plain;
  TrainingSettings t = plain.settings();
  t.profile = plain.truth;
  TrainingController leader({plain.gpu}, plain.feed, plain.clock, plain.log, t);
  try {
    leader.apply_limit(Power::watts(200));
    FAIL() << "a leader whose thread sets the limits applied one";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "apply_limit: a leader whose control thread sets the limits applies none");
  }
}

// A second controller on a GPU another one holds would take its limits for the originals.
TEST(TrainingController, OneControllerPerGpuInAProcess) {
  Loop loop;
  TrainingController first({loop.gpu}, loop.feed, loop.clock, loop.log, loop.settings());
  DecisionLog other_log;
  try {
    TrainingController second({loop.gpu}, loop.feed, loop.clock, other_log, loop.settings());
    FAIL() << "two controllers on one GPU";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "fake:0 (Fake GPU) is already under another training controller in this process; one "
                           "controller per GPU (finish the other first)");
  }
  for (int i = 0; i < 10; ++i) loop.step(first);  // the first goes on, at its own limits
  EXPECT_EQ(loop.gpu->power_limit(), Power::watts(250));
  first.finish();
  EXPECT_EQ(loop.gpu->power_limit(), Power::watts(300));
  TrainingController third({loop.gpu}, loop.feed, loop.clock, other_log, loop.settings());  // free again
  EXPECT_EQ(third.phase(), TrainingPhase::kProfiling);
}

TEST(TrainingController, RefusesWhatCannotWork) {
  Loop loop;
  TrainingSettings s = loop.settings();
  s.total_steps = 0;
  try {
    TrainingController c({loop.gpu}, loop.feed, loop.clock, loop.log, s);
    FAIL() << "no steps accepted";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "total_steps: 0 is not a positive number of steps");
  }
  s = loop.settings();
  s.policy = "oracle";
  EXPECT_THROW(TrainingController({loop.gpu}, loop.feed, loop.clock, loop.log, s), InputError);
  s = loop.settings();
  s.profile = PowerProfile("wide", {{Power::watts(400), Duration::seconds(1), Energy::joules(400)}});
  EXPECT_THROW(TrainingController({loop.gpu}, loop.feed, loop.clock, loop.log, s), InputError);
  EXPECT_EQ(loop.gpu->power_limit(), Power::watts(300));
}

}  // namespace
}  // namespace chase

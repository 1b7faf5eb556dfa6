#include "control/online_job_model.hpp"

#include <gtest/gtest.h>

namespace chase {
namespace {

UtcTime at_s(double s) { return UtcTime::parse_iso8601_or_throw("2020-01-01T00:00:00Z", "test") + Duration::seconds(s); }

// Three limits: 300 W does 1 unit/s at 300 W, 200 W does 0.9 unit/s at 180 W, 100 W does
// 0.5 unit/s at 90 W.
OperatingPoints three_limits() {
  return OperatingPoints(PowerProfile("three", {{Power::watts(300), Duration::seconds(1), Energy::joules(300)},
                                                {Power::watts(200), Duration::seconds(1 / 0.9), Energy::joules(200)},
                                                {Power::watts(100), Duration::seconds(2), Energy::joules(180)}}));
}

FrameMeasurement frame(double from_s, double until_s, double limit_w, double units, double joules) {
  FrameMeasurement f;
  f.from = at_s(from_s);
  f.until = at_s(until_s);
  f.limit = Power::watts(limit_w);
  f.work_units = units;
  f.energy_per_gpu = Energy::joules(joules);
  return f;
}

TEST(OnlineJobModel, AJobThatRunsAsProfiledIsTheProfileAndKeepsItsDeadline) {
  const OperatingPoints points = three_limits();
  OnlineJobModel model(points, at_s(0), Duration::hours(10), 1.0);
  model.add(frame(0, 300, 300, 300, 90000));
  model.add(frame(300, 600, 200, 270, 54000));
  EXPECT_FALSE(model.departed());
  EXPECT_EQ(&model.points_now(), &points);
  EXPECT_EQ(model.baseline_end(), at_s(36000));
}

TEST(OnlineJobModel, OneFrameAtALimitReplacesItsWrongRow) {
  const OperatingPoints points = three_limits();
  OnlineJobModel model(points, at_s(0), Duration::hours(10), 1.0);
  // 200 W really does 0.8 unit/s (not 0.9) at 170 W.
  model.add(frame(0, 300, 200, 240, 51000));
  ASSERT_TRUE(model.departed());
  EXPECT_NEAR(model.points_now().at(Power::watts(200)).rate_per_s, 0.8, 1e-12);
  EXPECT_NEAR(model.points_now().at(Power::watts(200)).power.watts(), 170, 1e-9);
  EXPECT_TRUE(model.known(Power::watts(200)));
  EXPECT_FALSE(model.known(Power::watts(100)));  // a row nobody ran is a promise
  EXPECT_TRUE(model.known(Power::watts(300)));   // the stated rate
  // A new limit's first frame teaches the limit, not the speed.
  EXPECT_DOUBLE_EQ(model.speed(), 1.0);
  EXPECT_EQ(model.baseline_end(), at_s(36000));
  // The corrected profile, at speed 1, as a profile a run can save.
  const PowerProfile learned = model.learned_profile("learned");
  EXPECT_NEAR(learned.at_limit(Power::watts(200)).time.seconds(), 1 / 0.8, 1e-9);
}

TEST(OnlineJobModel, AWellKnownLimitDoingLessIsTheJobSlowingDownAndMovesTheBaselinesEnd) {
  const OperatingPoints points = three_limits();
  OnlineJobModel model(points, at_s(0), Duration::hours(10), 1.0);
  double t = 0;
  for (int i = 0; i < 12; ++i, t += 300) model.add(frame(t, t + 300, 200, 0.9 * 300, 180 * 300.0));
  // From 1 h on, every limit is 20 % slower (the same limit now does 0.72 unit/s).
  for (int i = 0; i < 36; ++i, t += 300) model.add(frame(t, t + 300, 200, 0.72 * 300, 180 * 300.0));
  // Most of the change is read as speed (the limit's own rate absorbs a little of it).
  EXPECT_NEAR(model.speed(), 0.8, 0.01);
  EXPECT_NEAR(model.points_now().at(Power::watts(200)).rate_per_s, 0.72, 0.005);
  // The baseline: 1 h at speed 1, then 9 h of work at 0.8 → 12.25 h; the lasting speed is still
  // catching up, so the estimate lies between the stated 10 h and that.
  const double end_s = (model.baseline_end() - at_s(0)).seconds();
  EXPECT_GT(end_s, 36000 + 3600);
  EXPECT_LE(end_s, 12.25 * 3600 + 1);
}

TEST(OnlineJobModel, TheStatedMaximumDoingLessIsTheJobSlowingDownFromItsFirstFrame) {
  const OperatingPoints points = three_limits();
  OnlineJobModel model(points, at_s(0), Duration::hours(10), 1.0);
  double t = 0;
  // Hours at 200 W, which really does 0.8 unit/s (the profile says 0.9): the job has departed.
  for (int i = 0; i < 48; ++i, t += 300) model.add(frame(t, t + 300, 200, 0.8 * 300, 180 * 300.0));
  ASSERT_TRUE(model.departed());
  ASSERT_DOUBLE_EQ(model.speed(), 1.0);
  // Then the job slows by 10 % and runs at the maximum limit, never run before. Its rate is the
  // one the job stated (1 unit/s): doing 0.9 is the job slowing down, not a slower limit, and
  // a guard that waits for the limit to be learned first counts on speed the job lost.
  // After an hour the speed (half-life 1 h, against 4 h of "as before") is more than half way.
  for (int i = 0; i < 12; ++i, t += 300) model.add(frame(t, t + 300, 300, 0.9 * 300, 300 * 300.0));
  EXPECT_LT(model.speed(), 0.95);
  EXPECT_GT(model.speed(), 0.9 - 1e-9);
  EXPECT_NEAR(model.points_now().at(Power::watts(300)).rate_per_s, model.speed(), 1e-12);
  // And the baseline, the job at the maximum limit, now ends later than stated.
  EXPECT_GT((model.baseline_end() - at_s(0)).seconds(), 36000 + 1000);
}

TEST(OnlineJobModel, AStalledFrameTeachesTheStallShareAndTheReserveNotTheLimit) {
  const OperatingPoints points = three_limits();
  OnlineJobModel model(points, at_s(0), Duration::hours(10), 1.0);
  double t = 0;
  for (int i = 0; i < 6; ++i, t += 300) model.add(frame(t, t + 300, 200, 270, 54000));
  model.add(frame(t, t + 300, 200, 0, 20000));  // a stall: no work at low power
  t += 300;
  model.add(frame(t, t + 300, 200, 67.5, 30000));  // three quarters of a frame stalled
  EXPECT_TRUE(model.departed());
  EXPECT_NEAR(model.points_now().at(Power::watts(200)).rate_per_s / model.speed(), 0.9, 1e-9);
  EXPECT_NEAR(model.stall_reserve().seconds(), 300 + 225, 1e-9);  // one stall across two frames
  EXPECT_LT(model.speed(), 1.0);
}

}  // namespace
}  // namespace chase

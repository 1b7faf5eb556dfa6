#include "sim/simulator.hpp"

#include <gtest/gtest.h>

#include "control/max_policy.hpp"
#include "core/error.hpp"
#include "core/time_grid.hpp"

namespace chase {
namespace {

std::string fixture(const std::string& path) { return std::string(CHASE_FIXTURES_DIR) + "/" + path; }
UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }

// noisy-profile.csv: at 300 W (the maximum) one unit takes 10 s and 3000 J: 300 W average.
struct Rig {
  IntensityTrace trace;
  PowerProfile profile{PowerProfile::load(fixture("control/noisy-profile.csv"))};
  Simulator sim{trace, profile};
  explicit Rig(const std::string& trace_path) : trace(IntensityTrace::load(trace_path)) {}
};

TEST(Simulator, MaxPolicyOnAFlatHourTakesTheJobsHoursAndItsEnergyTimesIntensity) {
  // step-change.csv: 100 g/kWh over the first hour.
  Rig s(fixture("traces/step-change.csv"));
  SimulationSetup setup;
  setup.start = at("2020-01-01T00:00:00Z");
  setup.job.work_at_max = Duration::minutes(40);
  setup.job.frame_length = Duration::minutes(5);
  const SimulationResult r = s.sim.run("max", setup);
  EXPECT_DOUBLE_EQ(r.time.seconds(), 2400);
  EXPECT_DOUBLE_EQ(r.energy.joules(), 300.0 * 2400);
  EXPECT_NEAR(r.carbon.grams(), 300.0 * 2400 / 3.6e6 * 100, 1e-9);  // 20 g
  EXPECT_NEAR(r.work_units, 240, 1e-9);
  EXPECT_EQ(r.frame_count, 8u);
  ASSERT_EQ(r.frames.size(), 8u);
  EXPECT_DOUBLE_EQ(r.frames.back().limit.watts(), 300);
}

TEST(Simulator, CarbonIntegratesOnTheTracesGridInsideAFrame) {
  // One two-hour frame over 100 g/kWh then 400 g/kWh; the job ends 90 minutes in.
  Rig s(fixture("traces/step-change.csv"));
  SimulationSetup setup;
  setup.start = at("2020-01-01T00:00:00Z");
  setup.job.work_at_max = Duration::minutes(90);
  setup.job.frame_length = Duration::hours(2);
  const SimulationResult r = s.sim.run("max", setup);
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_DOUBLE_EQ(r.frames[0].run_time.seconds(), 5400);
  EXPECT_DOUBLE_EQ(r.frames[0].length.seconds(), 7200);
  // 300 W × (3600 s × 100 + 1800 s × 400) / 3.6e6 = 90 g; energy × the frame's mean (250) would say 112.5 g.
  EXPECT_NEAR(r.carbon.grams(), 90, 1e-9);
  EXPECT_NEAR(r.frames[0].actual.g_per_kwh(), 200, 1e-9);
}

TEST(Simulator, FramesAlignToTheGridAndTheLastOneIsPartial) {
  Rig s(fixture("sim/diurnal-6d.csv"));
  SimulationSetup setup;
  setup.start = at("2021-03-02T10:02:00Z");
  setup.job.work_at_max = Duration::hours(1);
  setup.job.frame_length = Duration::minutes(5);
  const SimulationResult r = s.sim.run("max", setup);
  ASSERT_EQ(r.frames.size(), 13u);  // 3 min, 11 × 5 min, 2 min
  EXPECT_DOUBLE_EQ(r.frames.front().run_time.seconds(), 180);
  EXPECT_EQ(r.frames[1].from.iso8601(), "2021-03-02T10:05:00Z");
  EXPECT_DOUBLE_EQ(r.frames.back().run_time.seconds(), 120);
  EXPECT_DOUBLE_EQ(r.frames.back().length.seconds(), 300);
  EXPECT_DOUBLE_EQ(r.time.seconds(), 3600);
}

TEST(Simulator, TraceGridFramesFollowTheSamples) {
  Rig s(fixture("sim/diurnal-6d.csv"));
  SimulationSetup setup;
  setup.start = at("2021-03-02T10:30:00Z");
  setup.job.work_at_max = Duration::hours(3);
  const SimulationResult r = s.sim.run("max", setup);
  ASSERT_EQ(r.frames.size(), 4u);  // 30 min, 1 h, 1 h, 30 min
  EXPECT_DOUBLE_EQ(r.frames[0].length.seconds(), 1800);
  EXPECT_DOUBLE_EQ(r.frames[1].length.seconds(), 3600);
  EXPECT_DOUBLE_EQ(r.frames[3].run_time.seconds(), 1800);
}

TEST(Simulator, EveryPolicyHonoursTheBudgetAndTheOracleIsNeverBeaten) {
  Rig s(fixture("sim/diurnal-6d.csv"));
  for (const char* start : {"2021-03-01T00:00:00Z", "2021-03-02T07:00:00Z", "2021-03-03T18:00:00Z"}) {
    for (const double budget : {0.0, 0.025, 0.05, 0.10, 0.25}) {
      SimulationSetup setup;
      setup.start = at(start);
      setup.job.work_at_max = Duration::hours(24);
      setup.job.slowdown_budget = budget;
      setup.job.frame_length = Duration::minutes(5);
      const SimulationResult oracle = s.sim.run("oracle", setup);
      for (const std::string policy : {"max", "zeus", "chase", "oracle"}) {
        const SimulationResult r = s.sim.run(policy, setup);
        EXPECT_LE(r.time.seconds(), 24 * 3600 * (1 + budget) + 1e-6) << policy << " " << start << " " << budget;
        EXPECT_NEAR(r.work_units, 24 * 3600 * 0.1, 1e-6) << policy;
        EXPECT_LE(oracle.carbon.grams(), r.carbon.grams() * (1 + 1e-12))
            << policy << " " << start << " " << budget << " time " << r.time.seconds() << " vs "
            << oracle.time.seconds();
      }
    }
  }
}

TEST(Simulator, ChaseSavesCarbonOnADailyCycleAndZeusDoesNot) {
  // A daily cycle with a noisy profile: shifting power into the clean hours pays.
  Rig s(fixture("sim/diurnal-6d.csv"));
  SimulationSetup setup;
  setup.start = at("2021-03-02T00:00:00Z");
  setup.job.slowdown_budget = 0.10;
  setup.job.frame_length = Duration::minutes(5);
  const auto max = s.sim.run("max", setup);
  const auto zeus = compare_with_max(s.sim.run("zeus", setup), max);
  const auto chase = compare_with_max(s.sim.run("chase", setup), max);
  const auto oracle = compare_with_max(s.sim.run("oracle", setup), max);
  // Zeus at 10 %: 250 W everywhere, 5 % slower for 12.5 % less energy.
  EXPECT_NEAR(zeus.slowdown_pct, 5.0, 1e-9);
  EXPECT_NEAR(zeus.energy_saved_pct, 12.5, 1e-9);
  EXPECT_GT(chase.carbon_saved_pct, zeus.carbon_saved_pct);
  EXPECT_GE(oracle.carbon_saved_pct, chase.carbon_saved_pct);
  EXPECT_GT(chase.carbon_saved_pct, oracle.carbon_saved_pct - 1.5);
  EXPECT_LE(chase.slowdown_pct, 10.0 + 1e-9);
}

TEST(Simulator, IsDeterministic) {
  const auto trace = IntensityTrace::load("gb-2020");
  const auto profile = PowerProfile::load("v100-bert-base");
  const Simulator sim(trace, profile);
  SimulationSetup setup;
  setup.start = at("2020-06-10T06:00:00Z");
  setup.job.slowdown_budget = 0.05;
  setup.job.frame_length = Duration::minutes(5);
  for (const std::string policy : {"chase", "oracle"}) {
    const SimulationResult a = sim.run(policy, setup);
    const SimulationResult b = sim.run(policy, setup);
    EXPECT_EQ(a.carbon.grams(), b.carbon.grams());
    EXPECT_EQ(a.time.seconds(), b.time.seconds());
    ASSERT_EQ(a.frames.size(), b.frames.size());
    for (std::size_t i = 0; i < a.frames.size(); ++i) EXPECT_EQ(a.frames[i].limit, b.frames[i].limit);
  }
}

TEST(Simulator, ATraceThatEndsBeforeTheJobIsAnInputError) {
  Rig s(fixture("traces/step-change.csv"));
  SimulationSetup setup;
  setup.start = at("2020-01-01T00:30:00Z");
  setup.job.work_at_max = Duration::hours(2);
  try {
    s.sim.run("max", setup);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("the trace ends at 2020-01-01T02:00:00Z"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("75.0 % done"), std::string::npos) << e.what();
  }
  setup.start = at("2019-12-31T00:00:00Z");
  EXPECT_THROW(s.sim.run("max", setup), InputError);
}

TEST(Simulator, ComparesWithMaxOnTheSameInputs) {
  SimulationResult base;
  base.time = Duration::seconds(1000);
  base.energy = Energy::joules(2000);
  base.carbon = Mass::grams(50);
  SimulationResult run;
  run.time = Duration::seconds(1025);
  run.energy = Energy::joules(1800);
  run.carbon = Mass::grams(40);
  const PolicyComparison c = compare_with_max(run, base);
  EXPECT_NEAR(c.slowdown_pct, 2.5, 1e-12);
  EXPECT_NEAR(c.energy_saved_pct, 10, 1e-12);
  EXPECT_NEAR(c.carbon_saved_pct, 20, 1e-12);
}

// Sub-minute frames (a --frame-minutes 0.02) cost the chase policy no more per frame than
// minute frames: its history pools them into minute-long entries. The job keeps its budget and
// saves about what minute frames save.
TEST(Simulator, SecondFramesKeepTheBudgetAndSaveLikeMinuteFrames) {
  const IntensityTrace trace = IntensityTrace::load("gb-2020");
  const PowerProfile profile = PowerProfile::load("a40-resnet50");
  const Simulator sim(trace, profile);
  SimulationSetup setup;
  setup.start = at("2020-06-10T00:00:00Z");
  setup.job.work_at_max = Duration::hours(6);
  setup.job.slowdown_budget = 0.05;
  setup.job.forecaster = "persistence";
  const auto saved_pct = [&](Duration frame) {
    setup.job.frame_length = frame;
    const SimulationResult max = sim.run("max", setup);
    const SimulationResult chase = sim.run("chase", setup);
    EXPECT_LE(chase.time.seconds(), max.time.seconds() * 1.05 + frame.seconds()) << frame.seconds();
    return 100.0 * (1.0 - chase.carbon / max.carbon);
  };
  const double minutes = saved_pct(Duration::minutes(1));
  const double seconds = saved_pct(Duration::seconds(1));  // 21,600+ frames
  EXPECT_GT(minutes, 1.0);
  EXPECT_NEAR(seconds, minutes, 1.0);
}

// A frame grid too fine for the job is refused before it runs, naming the grid.
TEST(Simulator, TooManyFramesAreRefusedUpFront) {
  const IntensityTrace trace = IntensityTrace::load("gb-2020");
  const PowerProfile profile = PowerProfile::load("a40-resnet50");
  const Simulator sim(trace, profile);
  SimulationSetup setup;
  setup.start = at("2020-06-10T00:00:00Z");
  setup.job.work_at_max = Duration::hours(24);
  setup.job.frame_length = Duration::milliseconds(10);  // 8.9 million frames within the budget
  try {
    sim.run("max", setup);
    FAIL();
  } catch (const GridStepError& e) {
    EXPECT_EQ(e.grid(), kFrameGrid);
    EXPECT_NE(std::string(e.what()).find("at most 2000000"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace chase

// RunRecorder: what a run writes while it goes (seen from a second connection, as a reader in
// another process would see it after a kill), the thinning of samples, the last sample kept,
// priced steps through an ObservedFeed with their age, decisions from the DecisionLog's listener,
// and the totals at finish.

#include <gtest/gtest.h>
#include <unistd.h>

#include "runs/run_recorder.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

const UtcTime kStart = UtcTime::parse_iso8601_or_throw("2026-05-04T10:00:00Z", "test");

std::vector<DeviceEntry> entries() {
  return {DeviceEntry{"nvml:0", "NVIDIA A40", "nvml", Metering::kCounter, "energy counter", "GPU-1"},
          DeviceEntry{"nvml:1", "MIG instance", "nvml", Metering::kNone, "MIG: not metered", ""},
          DeviceEntry{"estimated:cpu", "CPU", "estimated", Metering::kEstimate, "estimated", "150 W TDP"}};
}

RunHeader header() {
  RunHeader h;
  h.kind = "run";
  h.command = {"./train.sh"};
  h.started_at = kStart;
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  h.host = name;  // this host: liveness decides, not the heartbeat's age
  h.user = "u";
  h.chase_version = "0.1.0";
  h.intensity_source = "feed";
  return h;
}

// Steps of 2 s alternating 100 and 300 g/kWh, with a known data age.
class TwoSecondFeed final : public IntensityFeed {
 public:
  IntensityStep step_at(UtcTime t) override {
    const UtcTime from = t.floor_to(Duration::seconds(2));
    const bool odd = (from.epoch_ms() / 2000) % 2 != 0;
    return {CarbonIntensity::g_per_kwh(odd ? 300 : 100), from, from + Duration::seconds(2), "feed", false};
  }
};

// A sample of the GPU at 200 W and the CPU at 50 W, `s` seconds in.
SamplerSample sample_at(double s) {
  return SamplerSample{kStart + Duration::seconds(s), Duration::seconds(s), {Energy::joules(200 * s), Energy::joules(50 * s)}, {}, {}, {}};
}

struct Fixture {
  test::TempDir dir;
  ManualClock clock{kStart};
  RunStore store{dir.path() / "runs.db"};
  RunStore reader{dir.path() / "runs.db"};  // another connection: what survives a kill
  Fixture() { reader.set_liveness([](const RunHeader&) { return true; }); }
};

TEST(RunRecorder, WritesOncePerFlushPeriodAndKeepsOneSamplePerSecond) {
  Fixture f;
  RunRecorder recorder(f.store, header(), run_devices(entries()), {"nvml:0", "estimated:cpu"}, f.clock);
  const auto sink = recorder.sink();
  sink(sample_at(0));
  // The first sample is flushed at once: the run exists with its devices.
  auto seen = f.reader.find(recorder.id());
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->status, RunStatus::kRunning);
  ASSERT_EQ(seen->devices.size(), 3u);
  EXPECT_EQ(seen->devices[1].metering, "none");
  EXPECT_EQ(seen->sample_count, 2u);
  for (int i = 1; i <= 9; ++i) sink(sample_at(i * 0.1));
  EXPECT_EQ(f.reader.find(recorder.id())->sample_count, 2u);  // within the flush period: nothing new
  for (int i = 10; i <= 15; ++i) sink(sample_at(i * 0.1));
  // At 1.0 s the next kept samples (1 s after the first) and the flush.
  seen = f.reader.find(recorder.id());
  EXPECT_EQ(seen->sample_count, 4u);
  EXPECT_DOUBLE_EQ(seen->energy.joules(), 200 + 50);  // as recorded: the last flushed sample
  const auto samples = f.reader.samples(recorder.id());
  ASSERT_EQ(samples.size(), 4u);
  EXPECT_EQ(samples[2].device_index, 0);  // the GPU is entry 0, the CPU entry 2
  EXPECT_EQ(samples[3].device_index, 2);
  EXPECT_DOUBLE_EQ(samples[2].power->watts(), 200);
  EXPECT_FALSE(samples[0].power);
}

TEST(RunRecorder, FinishKeepsTheLastSampleAndWritesTotalsAndPricedSteps) {
  Fixture f;
  RunRecorder recorder(f.store, header(), run_devices(entries()), {"nvml:0", "estimated:cpu"}, f.clock);
  TwoSecondFeed inner;
  ObservedFeed feed(inner, recorder.step_observer());
  const auto sink = recorder.sink();
  for (int i = 0; i <= 35; ++i) {
    feed.step_at(kStart + Duration::seconds(i * 0.1));
    sink(sample_at(i * 0.1));
  }
  WindowResult window;
  window.start = kStart;
  window.end = kStart + Duration::seconds(3.5);
  window.time = Duration::seconds(3.5);
  window.energy = Energy::joules(875);
  window.carbon = Mass::grams(0.05);
  window.devices = {DeviceWindowResult{"nvml:0", "NVIDIA A40", "nvml", false, Energy::joules(700), Power::watts(200), Mass::grams(0.04)},
                    DeviceWindowResult{"estimated:cpu", "CPU", "estimated", true, Energy::joules(175), Power::watts(50), Mass::grams(0.01)}};
  window.segments = {IntensitySegment{kStart, kStart + Duration::seconds(2), CarbonIntensity::g_per_kwh(100), "feed", false,
                                      Energy::joules(500), Mass::grams(500 / 3.6e6 * 100)},
                     IntensitySegment{kStart + Duration::seconds(2), window.end, CarbonIntensity::g_per_kwh(300), "feed", false,
                                      Energy::joules(375), Mass::grams(375 / 3.6e6 * 300)}};
  RunEnd end{window.end, RunStatus::kCompleted, 0, window.time, window.energy, window.carbon, {}};
  recorder.finish(end, &window);

  const auto run = f.reader.find(recorder.id());
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, RunStatus::kCompleted);
  EXPECT_FALSE(run->totals_from_samples);
  EXPECT_DOUBLE_EQ(run->energy.joules(), 875);
  EXPECT_DOUBLE_EQ(run->devices[0].energy->joules(), 700);
  EXPECT_DOUBLE_EQ(run->devices[2].carbon->grams(), 0.01);
  EXPECT_FALSE(run->devices[1].energy);
  // Kept: 0, 1, 2, 3 s and the last reading at 3.5 s, per device.
  const auto samples = f.reader.samples(recorder.id());
  ASSERT_EQ(samples.size(), 10u);
  EXPECT_EQ(samples.back().at, window.end);
  EXPECT_DOUBLE_EQ(samples[8].energy.joules(), 700);
  EXPECT_DOUBLE_EQ(samples[8].power->watts(), 200);
  // The steps as the window priced them.
  const auto steps = f.reader.steps(recorder.id());
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_DOUBLE_EQ(steps[1].intensity.g_per_kwh(), 300);
  EXPECT_DOUBLE_EQ(steps[1].energy->joules(), 375);
  // finish is idempotent; the destructor does not turn a finished run into a failed one.
  recorder.finish(RunEnd{}, nullptr);
  EXPECT_EQ(f.reader.find(recorder.id())->status, RunStatus::kCompleted);
}

TEST(RunRecorder, StepsAreRecordedAsTheMeterMeetsThem) {
  Fixture f;
  RunRecorder recorder(f.store, header(), run_devices(entries()), {"nvml:0", "estimated:cpu"}, f.clock);
  TwoSecondFeed inner;
  ObservedFeed feed(inner, recorder.step_observer());
  const auto sink = recorder.sink();
  for (int i = 0; i <= 50; ++i) {
    const IntensityStep s = feed.step_at(kStart + Duration::seconds(i * 0.1));
    EXPECT_EQ(s.intensity, inner.step_at(kStart + Duration::seconds(i * 0.1)).intensity);  // passed on unchanged
    sink(sample_at(i * 0.1));
  }
  // Before finish, a reader sees the steps met so far (0-2 s, 2-4 s, 4-6 s), without energy yet.
  const auto steps = f.reader.steps(recorder.id());
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_DOUBLE_EQ(steps[0].intensity.g_per_kwh(), 100);
  EXPECT_DOUBLE_EQ(steps[1].intensity.g_per_kwh(), 300);
  EXPECT_FALSE(steps[0].energy);
  EXPECT_FALSE(steps[0].age);  // a plain feed has no data age
  // The totals a reader computes now: 5 s of 250 W priced on the recorded steps.
  const auto run = f.reader.find(recorder.id());
  EXPECT_TRUE(run->totals_from_samples);
  EXPECT_DOUBLE_EQ(run->energy.joules(), 250 * 5);
  EXPECT_NEAR(run->carbon->grams(), (500.0 * 100 + 500.0 * 300 + 250.0 * 100) / 3.6e6, 1e-12);
}

TEST(RunRecorder, DecisionsComeFromTheDecisionLogAsFramesStartAndEnd) {
  Fixture f;
  RunRecorder recorder(f.store, header(), run_devices(entries()), {"nvml:0", "estimated:cpu"}, f.clock);
  DecisionLog log;
  log.set_listener([&](const Decision& d, std::size_t frame) { recorder.record_decision(d, frame); });
  log.record(Decision{kStart, kStart + Duration::minutes(5), Power::watts(250), CarbonIntensity::g_per_kwh(120), {}, 0, "feed", false});
  log.complete(CarbonIntensity::g_per_kwh(130));
  log.record(Decision{kStart + Duration::minutes(5), kStart + Duration::minutes(10), Power::watts(175),
                      CarbonIntensity::g_per_kwh(320), {}, 1, "feed", true});
  recorder.sink()(sample_at(0));  // a flush
  auto decisions = f.reader.decisions(recorder.id());
  ASSERT_EQ(decisions.size(), 2u);
  EXPECT_DOUBLE_EQ(decisions[0].actual->g_per_kwh(), 130);
  EXPECT_FALSE(decisions[1].actual);  // its frame has not ended
  EXPECT_TRUE(decisions[1].fallback);
  log.complete(CarbonIntensity::g_per_kwh(310));
  log.set_listener({});
  recorder.finish(RunEnd{kStart + Duration::minutes(10), RunStatus::kCompleted, 0, Duration::minutes(10), {}, {}, {}}, nullptr);
  decisions = f.reader.decisions(recorder.id());
  ASSERT_EQ(decisions.size(), 2u);
  EXPECT_DOUBLE_EQ(decisions[1].actual->g_per_kwh(), 310);
  EXPECT_DOUBLE_EQ(decisions[1].limit.watts(), 175);
}

TEST(RunRecorder, ARecorderDestroyedBeforeFinishEndsTheRunAsFailedWithTheReason) {
  Fixture f;
  RunId id = 0;
  {
    RunRecorder recorder(f.store, header(), run_devices(entries()), {"nvml:0", "estimated:cpu"}, f.clock);
    id = recorder.id();
    recorder.set_abandon_reason("chase stopped before the run ended: GPU 0 fell off the bus");
  }
  const auto run = f.reader.find(id);
  EXPECT_EQ(run->status, RunStatus::kFailed);
  EXPECT_EQ(run->note, "chase stopped before the run ended: GPU 0 fell off the bus");
}

TEST(RunRecorder, AMeteredDeviceMissingFromTheEntriesIsAnError) {
  Fixture f;
  EXPECT_THROW(RunRecorder(f.store, header(), run_devices(entries()), {"rapl:package-0"}, f.clock), Error);
}

TEST(RunRecorder, RunEndOfACommandThatCouldNotStartIsFailedWithTheReason) {
  MeteredCommandResult r;
  r.start_error = "cannot run 'x': command not found";
  r.child.exit_code = 127;
  const RunEnd end = run_end(r, kStart);
  EXPECT_EQ(end.status, RunStatus::kFailed);
  EXPECT_EQ(end.exit_code, 127);
  EXPECT_EQ(end.ended_at, kStart);
  EXPECT_EQ(end.note, "cannot run 'x': command not found");
  MeteredCommandResult ok;
  ok.child.exit_code = 0;
  EXPECT_EQ(run_end(ok, kStart).status, RunStatus::kCompleted);
}

}  // namespace
}  // namespace chase

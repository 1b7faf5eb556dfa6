// The one frame loop, driven through a scripted plant: the warm-up rule, what the policy is
// told, and how a run ends.

#include "control/frame_loop.hpp"

#include <gtest/gtest.h>

#include "control/max_policy.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }

// 10-minute frames on the epoch grid; the intensity of a frame is its start's minute of the
// day, so every observation says which stretch of time it covered. The source has nothing
// before `unpriced_before`; the job ends after `frames_to_run` frames.
class ScriptedPlant final : public FramePlant {
 public:
  std::optional<UtcTime> begins;
  UtcTime unpriced_before;
  std::size_t frames_to_run = 2;
  std::vector<FrameDecision> decided;

  Duration nominal_frame(UtcTime) override { return Duration::minutes(10); }
  std::optional<UtcTime> history_begins() const override { return begins; }
  UtcTime frame_end(UtcTime from) override {
    return UtcTime::from_epoch_ms((from.epoch_ms() / 600000 + 1) * 600000);
  }
  CarbonIntensity mean_intensity(UtcTime from, UtcTime) override {
    if (from < unpriced_before) throw NetworkError("no data");
    return CarbonIntensity::g_per_kwh(static_cast<double>(from.epoch_ms() / 60000 % 1440));
  }
  CarbonIntensity published(UtcTime) override { return CarbonIntensity::g_per_kwh(999); }
  double work_done_units() const override { return static_cast<double>(decided.size()); }
  std::optional<FrameLoopEnd> before_frame(UtcTime) override { return std::nullopt; }
  FrameRan run_frame(const FrameDecision& d) override {
    decided.push_back(d);
    const bool last = decided.size() == frames_to_run;
    return {d.until, CarbonIntensity::g_per_kwh(5), last ? std::optional(FrameLoopEnd::kWorkDone) : std::nullopt};
  }
};

// Records what it is shown, in order.
class RecordingForecaster final : public Forecaster {
 public:
  std::vector<IntensitySample> seen;
  std::string name() const override { return "recording"; }
  void observe(const IntensitySample& s) override { seen.push_back(s); }
  std::vector<CarbonIntensity> predict(std::size_t n) const override {
    return std::vector<CarbonIntensity>(n, seen.back().intensity);
  }
  std::unique_ptr<Forecaster> fresh() const override { return std::make_unique<RecordingForecaster>(); }
};

const OperatingPoints& points() {
  static const OperatingPoints p(PowerProfile("test", {{Power::watts(300), Duration::seconds(10), Energy::joules(3000)},
                                                       {Power::watts(200), Duration::seconds(12), Energy::joules(2400)}}));
  return p;
}

PolicyJob job_at(UtcTime start) {
  PolicyJob job;
  job.points = &points();
  job.start = start;
  job.work_at_max = Duration::hours(1);
  return job;
}

TEST(FrameLoop, WarmsUpOnWholeFramesFromTheFirstBoundaryAndTheFreshestPieceBeforeTheStart) {
  ScriptedPlant plant;
  RecordingForecaster forecaster;
  MaxPolicy policy;
  FrameLoopSettings settings;
  settings.history = Duration::minutes(45);  // from 09:22 — the first boundary at or after it is 09:30
  run_frame_loop(plant, forecaster, policy, job_at(at("2021-03-02T10:07:00Z")), settings);
  ASSERT_GE(forecaster.seen.size(), 5u);
  // 09:30, 09:40, 09:50 whole, then 10:00–10:07 (the start falls inside that frame).
  EXPECT_EQ(forecaster.seen[0].time.iso8601(), "2021-03-02T09:30:00Z");
  EXPECT_EQ(forecaster.seen[3].time.iso8601(), "2021-03-02T10:00:00Z");
  EXPECT_DOUBLE_EQ(forecaster.seen[3].intensity.g_per_kwh(), 600);  // 10:00 = minute 600
  // The first frame runs from the start to the next boundary, told the freshest reading.
  ASSERT_EQ(plant.decided.size(), 2u);
  EXPECT_EQ(plant.decided[0].from.iso8601(), "2021-03-02T10:07:00Z");
  EXPECT_EQ(plant.decided[0].until.iso8601(), "2021-03-02T10:10:00Z");
  EXPECT_DOUBLE_EQ(plant.decided[0].predicted.g_per_kwh(), 600);
  EXPECT_DOUBLE_EQ(plant.decided[1].predicted.g_per_kwh(), 5);  // what the first frame measured
}

TEST(FrameLoop, TheWarmUpIsCappedClippedToTheSourceAndSkipsWhatItCannotPrice) {
  ScriptedPlant plant;
  RecordingForecaster forecaster;
  MaxPolicy policy;
  FrameLoopSettings settings;
  settings.history = Duration::hours(24);
  settings.max_history_frames = 6;  // one hour of 10-minute frames: from 09:00
  plant.begins = at("2021-03-02T09:15:00Z");  // the source's past starts later: from 09:20
  plant.unpriced_before = at("2021-03-02T09:30:00Z");  // and 09:20 cannot be priced
  run_frame_loop(plant, forecaster, policy, job_at(at("2021-03-02T10:00:00Z")), settings);
  ASSERT_GE(forecaster.seen.size(), 3u);
  EXPECT_EQ(forecaster.seen[0].time.iso8601(), "2021-03-02T09:30:00Z");
  EXPECT_EQ(forecaster.seen[2].time.iso8601(), "2021-03-02T09:50:00Z");
  EXPECT_EQ(forecaster.seen[3].time.iso8601(), "2021-03-02T10:00:00Z");  // the first frame run
}

TEST(FrameLoop, WithoutHistoryThePublishedValueIsTheForecast) {
  ScriptedPlant plant;
  RecordingForecaster forecaster;
  MaxPolicy policy;
  FrameLoopSettings settings;
  settings.history = Duration();
  plant.frames_to_run = 1;
  const FrameLoopOutcome out = run_frame_loop(plant, forecaster, policy, job_at(at("2021-03-02T10:00:00Z")), settings);
  EXPECT_EQ(out.end, FrameLoopEnd::kWorkDone);
  EXPECT_EQ(out.frames, 1u);
  EXPECT_DOUBLE_EQ(plant.decided[0].predicted.g_per_kwh(), 999);
  EXPECT_DOUBLE_EQ(plant.decided[0].limit.watts(), 300);
}

}  // namespace
}  // namespace chase

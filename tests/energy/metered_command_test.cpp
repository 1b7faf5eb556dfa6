// A real child process metered by CommandMeter on in-test devices and a virtual clock: its exit
// status, the window over the devices (priced by the feed), the samples, a command that cannot
// start, and the order in which a companion runs beside the command.

#include "energy/metered_command.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <vector>

#include "core/error.hpp"
#include "energy/estimated_cpu_device.hpp"
#include "energy/test_devices.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

const UtcTime kT0 = UtcTime::from_epoch_ms(1'600'000'000'000);
const CarbonIntensity kIntensity = CarbonIntensity::g_per_kwh(200);

// Two devices (an estimated CPU on the fixture /proc, a counter that grows at every read), one
// intensity for the whole test, and a clock that every sample moves on by a second.
struct Rig {
  ManualClock clock{kT0};
  test::StepFeed feed{{{kIntensity, kT0 - Duration::days(1), kT0 + Duration::days(1), "test:flat", false}}};
  std::shared_ptr<PowerDevice> cpu = std::make_shared<EstimatedCpuDevice>(
      Power::watts(100), "test", std::filesystem::path(CHASE_FIXTURES_DIR) / "proc" / "before", clock);
  std::shared_ptr<PowerDevice> counter = std::make_shared<test::CountingDevice>("test:0", Energy::joules(10));
  std::mutex mutex;
  std::vector<std::string> events;  // "sample", and what a companion saw, in order

  void record(const std::string& event) {
    std::lock_guard lock(mutex);
    events.push_back(event);
  }
  CommandMeter meter() {
    MeterSettings settings{Duration::milliseconds(5), [this](const SamplerSample&) {
                             record("sample");
                             clock.advance(Duration::seconds(1));
                           }};
    return CommandMeter({cpu, counter}, clock, &feed, std::move(settings));
  }
};

TEST(CommandMeter, PassesTheExitStatusOnAndMetersEveryDevice) {
  Rig rig;
  const MeteredCommandResult r = rig.meter().run({"sh", "-c", "exit 3"});
  ASSERT_TRUE(r.started());
  EXPECT_EQ(r.child.exit_code, 3);
  EXPECT_TRUE(r.child.forwarded.empty());
  EXPECT_EQ(r.window.name, "measure");
  ASSERT_EQ(r.window.devices.size(), 2u);
  EXPECT_EQ(r.window.devices[0].id, rig.cpu->id());
  EXPECT_TRUE(r.window.devices[0].estimated);
  EXPECT_EQ(r.window.devices[1].id, "test:0");
  EXPECT_GT(r.window.devices[1].energy.joules(), 0);
  // The clock moved only with the samples: the window lies between the first and the last.
  EXPECT_GT(r.window.time.seconds(), 0);
  EXPECT_LE(r.window.time.seconds(), static_cast<double>(r.sampling.samples));
  // One intensity throughout: the carbon is the energy at it.
  ASSERT_TRUE(r.window.carbon.has_value());
  EXPECT_NEAR(r.window.carbon->grams(), (r.window.energy * kIntensity).grams(), 1e-9);
  // The sampler's first read comes before the command starts, its last after it ended.
  EXPECT_GE(r.sampling.samples, 2u);
  EXPECT_EQ(r.sampling.errors, 0u);
  EXPECT_EQ(rig.events.size(), r.sampling.samples);
}

TEST(CommandMeter, ACommandNotFoundIs127AndMetersNothing) {
  Rig rig;
  const MeteredCommandResult r = rig.meter().run({"chase-test-no-such-command"});
  EXPECT_FALSE(r.started());
  EXPECT_EQ(r.start_error, "cannot run 'chase-test-no-such-command': command not found");
  EXPECT_EQ(r.child.exit_code, 127);
  EXPECT_TRUE(r.window.devices.empty());
}

TEST(CommandMeter, AFileThatIsNotExecutableIs126) {
  test::TempDir dir;
  const auto script = dir.write("script.sh", "exit 0\n");  // no execute permission
  Rig rig;
  const MeteredCommandResult r = rig.meter().run({script.string()});
  EXPECT_FALSE(r.started());
  EXPECT_EQ(r.child.exit_code, 126);
  EXPECT_NE(r.start_error->find("(not executable)"), std::string::npos) << *r.start_error;
}

TEST(CommandMeter, AnEmptyCommandIsAnInputError) {
  Rig rig;
  EXPECT_THROW(rig.meter().run({}), InputError);
}

// Records when it is started and ended among the samples.
class RecordingCompanion final : public CommandCompanion {
 public:
  explicit RecordingCompanion(Rig& rig) : rig_(&rig) {}
  void command_started() override { rig_->record("started"); }
  void command_ended() override { rig_->record("ended"); }

 private:
  Rig* rig_;
};

TEST(CommandMeter, ACompanionRunsWhileTheCommandRunsAndEndsBeforeTheLastRead) {
  Rig rig;
  RecordingCompanion companion(rig);
  const MeteredCommandResult r = rig.meter().run({"true"}, &companion);
  ASSERT_EQ(r.child.exit_code, 0);
  const auto& e = rig.events;
  const auto started = std::find(e.begin(), e.end(), "started");
  const auto ended = std::find(e.begin(), e.end(), "ended");
  ASSERT_NE(started, e.end());
  ASSERT_NE(ended, e.end());
  EXPECT_LT(started, ended);
  EXPECT_EQ(e.front(), "sample");  // the sampler read the devices before the command started
  EXPECT_EQ(e.back(), "sample");   // ... and after the companion was done
}

TEST(CommandMeter, ACompanionIsNotStartedForACommandThatCannotStart) {
  Rig rig;
  RecordingCompanion companion(rig);
  const MeteredCommandResult r = rig.meter().run({"chase-test-no-such-command"}, &companion);
  EXPECT_EQ(r.child.exit_code, 127);
  EXPECT_EQ(std::count(rig.events.begin(), rig.events.end(), "started"), 0);
  EXPECT_EQ(std::count(rig.events.begin(), rig.events.end(), "ended"), 0);
}

// A RAPL-like counter (µJ, wraps at 262143328850, 1000 W ceiling) whose reads answer a script,
// one value per read, the last repeating, timed on the rig's clock.
class ScriptedCounterDevice final : public PowerDevice {
 public:
  ScriptedCounterDevice(Clock& clock, std::vector<std::uint64_t> script)
      : clock_(clock),
        script_(std::move(script)),
        counter_({"energy_uj", Energy::joules(1e-6), 262143328850ULL, {Power::watts(1000), "test ceiling"}}) {}
  std::string id() const override { return "test:rapl"; }
  std::string name() const override { return "scripted counter"; }
  std::string backend() const override { return "test"; }
  bool estimated() const override { return false; }
  Energy energy() override {
    std::lock_guard lock(mutex_);
    const std::uint64_t count = script_[std::min(reads_++, script_.size() - 1)];
    return counter_.read(clock_.now(), count);
  }
  std::optional<Power> power() override { return std::nullopt; }
  ImplausibleReadings implausible_readings() const override {
    std::lock_guard lock(mutex_);
    return counter_.implausible();
  }

 private:
  Clock& clock_;
  std::vector<std::uint64_t> script_;
  mutable std::mutex mutex_;
  std::size_t reads_ = 0;
  EnergyCounter counter_;
};

TEST(CommandMeter, ReadingsDroppedAsImplausibleAreErrorSamplesNamedPerDevice) {
  // 100 J, 150 J, then a reset to 2 J and on to 7 J: one error sample, the reset said.
  Rig rig;
  auto scripted = std::make_shared<ScriptedCounterDevice>(
      rig.clock, std::vector<std::uint64_t>{100000000, 150000000, 2000000, 7000000});
  MeterSettings settings{Duration::milliseconds(5),
                         [&rig](const SamplerSample&) { rig.clock.advance(Duration::seconds(1)); }};
  const CommandMeter meter({rig.counter, scripted}, rig.clock, nullptr, std::move(settings));
  const MeteredCommandResult r = meter.run({"true"});
  ASSERT_EQ(r.child.exit_code, 0);
  EXPECT_EQ(r.sampling.errors, 1u);
  EXPECT_EQ(r.sampling.failed_reads(), 0u);
  ASSERT_EQ(r.sampling.implausible.size(), 1u);
  const DeviceImplausibleReadings& d = r.sampling.implausible[0];
  EXPECT_EQ(d.id, "test:rapl");
  EXPECT_EQ(d.readings.count, 1u);
  EXPECT_EQ(d.readings.resets, 1u);
  const std::string line = d.describe();
  EXPECT_EQ(line.rfind("test:rapl (scripted counter): 1 energy reading dropped as not physically possible, the first: "
                       "energy_uj went from 150000000 to 2000000 in ",
                       0),
            0u)
      << line;
  EXPECT_NE(line.find("; the counter was reset 1 time, and the energy between the reading before each reset and the "
                      "reset is not counted"),
            std::string::npos)
      << line;
  // The device counted 55 J from its first read; the window opened after at least 50 J of them.
  EXPECT_DOUBLE_EQ(scripted->energy().joules(), 55.0);
  ASSERT_EQ(r.window.devices.size(), 2u);
  EXPECT_LE(r.window.devices[1].energy.joules(), 5.0);
}

TEST(CommandMeter, ADeviceThatStopsAnsweringKeepsItsEnergyAndTheExitStatusStays) {
  // 10 J a read; reads 4 on throw: the origin (1), the sampler's first (2), begin (3), then one fails.
  Rig rig;
  auto flaky = std::make_shared<test::CountingDevice>("test:flaky", Energy::joules(10), 4);
  MeterSettings settings{Duration::milliseconds(5),
                         [&rig](const SamplerSample&) { rig.clock.advance(Duration::seconds(1)); }};
  const CommandMeter meter({rig.counter, flaky}, rig.clock, &rig.feed, std::move(settings));
  const MeteredCommandResult r = meter.run({"sh", "-c", "sleep 0.1; exit 5"});
  ASSERT_TRUE(r.started());
  EXPECT_EQ(r.child.exit_code, 5);
  ASSERT_EQ(r.sampling.stopped.size(), 1u);
  EXPECT_EQ(r.sampling.stopped[0].id, "test:flaky");
  EXPECT_EQ(r.sampling.stopped[0].reason, "test:flaky: read 4 failed");
  EXPECT_EQ(r.sampling.errors, 1u);
  EXPECT_EQ(r.sampling.failed_reads(), 0u);
  EXPECT_EQ(flaky->reads(), 4);
  ASSERT_EQ(r.window.devices.size(), 2u);
  EXPECT_DOUBLE_EQ(r.window.devices[1].energy.joules(), 0.0);  // its last good reading was begin's
  EXPECT_GT(r.window.devices[0].energy.joules(), 0.0);
}

// Ends after noting whether the command's worker had finished (written its file) by then.
class WorkerCheckingCompanion final : public CommandCompanion {
 public:
  explicit WorkerCheckingCompanion(std::filesystem::path done) : done_(std::move(done)) {}
  void command_started() override {}
  void command_ended() override { worker_done_ = std::filesystem::exists(done_); }
  bool worker_done() const { return worker_done_; }

 private:
  std::filesystem::path done_;
  bool worker_done_ = false;
};

// What the command leaves running is its work too: the companion (chase run's controller) ends
// only once the worker has, and the result counts it; the exit status stays the command's.
TEST(CommandMeter, WaitsForWhatTheCommandLeavesRunningBeforeTheCompanionEnds) {
  Rig rig;
  test::TempDir dir;
  const auto done = dir.path() / "worker-done";
  WorkerCheckingCompanion companion(done);
  const MeteredCommandResult r =
      rig.meter().run({"sh", "-c", "(sleep 0.3; touch " + done.string() + ") >/dev/null 2>&1 & exit 5"}, &companion);
  EXPECT_EQ(r.child.exit_code, 5);
  EXPECT_GE(r.child.descendants.at_exit, 1u);  // the subshell (and its sleep, once forked)
  EXPECT_TRUE(r.child.descendants.waited);
  EXPECT_TRUE(companion.worker_done());
  EXPECT_TRUE(std::filesystem::exists(done));
}

}  // namespace
}  // namespace chase

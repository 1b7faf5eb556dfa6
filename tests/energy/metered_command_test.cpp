// A real child process metered by CommandMeter on in-test devices and a virtual clock: its exit
// status, the window over the devices (priced by the feed), the samples, a command that cannot
// start, and the order in which a companion runs beside the command.

#include "energy/metered_command.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <mutex>

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

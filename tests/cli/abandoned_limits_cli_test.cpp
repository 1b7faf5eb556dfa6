// A `chase run` without a daemon killed with SIGKILL leaves the GPU lowered — and the record of
// its original limit, which the next `chase devices` or `chase run` finds: the process is gone,
// so it restores the original (or, without the privilege, says loudly which GPU is left lowered,
// by whom and since when, and refuses to control it), and never takes the lowered limit as the
// original.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "limits/chased_fixture.hpp"
#include "support/live_trace.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using test::kA40;

struct KilledRun {
  test::TempDir dir;
  test::FakeGpus gpus{dir.path() / "nvml-state.json"};
  std::filesystem::path trace = test::write_trace_around_now(dir);
  std::filesystem::path records = dir.path() / "records";
  pid_t killed = -1;

  std::map<std::string, std::string> env(const std::string& fixture = "two-gpus.json") const {
    auto e = gpus.env(std::string(CHASE_FIXTURES_DIR) + "/nvml/" + fixture);
    e["CUDA_VISIBLE_DEVICES"] = "0";
    e["CHASE_LIMIT_RECORDS_DIR"] = records.string();
    return e;
  }
  std::vector<std::string> run_args(std::vector<std::string> command) const {
    std::vector<std::string> a{"run", "--powercap-root", "/nonexistent", "--trace", trace.string(), "--profile",
                               "a40-resnet50", "--work-hours", "1", "--frame-minutes", "0.01", "--forecaster",
                               "persistence", "--json", "--no-record", "--"};
    a.insert(a.end(), command.begin(), command.end());
    return a;
  }
  // Starts `chase run` (as root: it sets limits itself), waits for it to lower the A40, kills it.
  void kill_a_run_that_lowered_the_gpu() {
    killed = test::start_chase(run_args({"sleep", "3"}), (dir.path() / "out").string(), (dir.path() / "err").string(),
                               env());
    ASSERT_TRUE(test::eventually([&] { return gpus.limit_mw(kA40) > 0 && gpus.limit_mw(kA40) < 300000; }));
    ::kill(killed, SIGKILL);
    ::waitpid(killed, nullptr, 0);
    ASSERT_LT(gpus.limit_mw(kA40), 300000);  // left lowered: nothing restored it
    ASSERT_TRUE(std::filesystem::exists(records / fmt::format("chase-{}.json", killed)));
  }
};

TEST(AbandonedLimitsCli, ChaseDevicesRestoresWhatAKilledRunLeftLowered) {
  KilledRun run;
  run.kill_a_run_that_lowered_the_gpu();
  const long lowered = run.gpus.limit_mw(kA40);
  const auto r = test::run_chase({"devices", "--powercap-root", "/nonexistent"}, run.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(fmt::format("chase: restored nvml:0 ({}) from {:g} W to its original 300 W: chase pid {} of",
                                   kA40, static_cast<double>(lowered) / 1000, run.killed)),
            std::string::npos)
      << r.err;
  EXPECT_EQ(run.gpus.limit_mw(kA40), 300000);
  EXPECT_NE(r.out.find("300 W (range 100-300 W"), std::string::npos) << r.out;  // the table shows it restored
  EXPECT_FALSE(std::filesystem::exists(run.records / fmt::format("chase-{}.json", run.killed)));
}

TEST(AbandonedLimitsCli, TheNextRunRestoresFirstAndNeverTakesTheLoweredLimitAsTheOriginal) {
  KilledRun run;
  run.kill_a_run_that_lowered_the_gpu();
  const auto r = test::run_chase(run.run_args({"sleep", "1"}), run.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("to its original 300 W"), std::string::npos) << r.err;
  EXPECT_EQ(run.gpus.limit_mw(kA40), 300000);  // the run restored 300 W at its end, not the lowered limit
  EXPECT_TRUE(std::filesystem::is_empty(run.records));  // both records gone
}

TEST(AbandonedLimitsCli, WithoutThePrivilegeTheLoweredGpuIsSaidLoudlyAndNotControlled) {
  KilledRun run;
  run.kill_a_run_that_lowered_the_gpu();
  const long lowered = run.gpus.limit_mw(kA40);
  const auto devices = test::run_chase({"devices", "--powercap-root", "/nonexistent"}, run.env("two-gpus-unprivileged.json"));
  ASSERT_EQ(devices.exit_code, 0) << devices.err;
  EXPECT_NE(devices.err.find(fmt::format("chase: warning: nvml:0 ({}) is left at {:g} W instead of its original 300 W "
                                         "by chase pid {} of",
                                         kA40, static_cast<double>(lowered) / 1000, run.killed)),
            std::string::npos)
      << devices.err;
  EXPECT_NE(devices.err.find("`nvidia-smi -i 0 -pl 300`"), std::string::npos) << devices.err;
  EXPECT_EQ(run.gpus.limit_mw(kA40), lowered);
  const auto refused = test::run_chase(run.run_args({"true"}), run.env("two-gpus-unprivileged.json"));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("chase: error: nvml:0 is left lowered by a chase that was killed"), std::string::npos)
      << refused.err;
  EXPECT_TRUE(std::filesystem::exists(run.records / fmt::format("chase-{}.json", run.killed)));  // kept for root
  // Root's next command puts it back.
  const auto root = test::run_chase({"devices", "--powercap-root", "/nonexistent"}, run.env());
  EXPECT_EQ(run.gpus.limit_mw(kA40), 300000) << root.err;
}

}  // namespace
}  // namespace chase

// `chase run --daemon-socket` end to end on the fake NVML library: chase's own NVML may not set
// limits (the fixture answers NVML_ERROR_NO_PERMISSION, as for a user who is not root), chased's
// may; both share the fake's state file, one machine's GPUs. chase controls the GPU through
// chased, and when chase is killed with SIGKILL chased puts the limit back within a second.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "limits/chased_fixture.hpp"
#include "support/live_trace.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using namespace std::chrono_literals;
using test::kA40;

struct DaemonRun {
  test::TempDir dir;
  test::FakeGpus gpus{dir.path() / "nvml-state.json"};
  std::filesystem::path trace = test::write_trace_around_now(dir);

  // chase's view: the same GPUs, but no privilege to set their limits.
  std::map<std::string, std::string> client_env() const {
    auto env = gpus.env(std::string(CHASE_FIXTURES_DIR) + "/nvml/two-gpus-unprivileged.json");
    env["CUDA_VISIBLE_DEVICES"] = "0";
    env["CHASE_LIMIT_RECORDS_DIR"] = (dir.path() / "records").string();
    return env;
  }
  std::vector<std::string> args(const test::Chased& chased, std::vector<std::string> command) const {
    std::vector<std::string> a{"run", "--daemon-socket", chased.socket().string(), "--powercap-root", "/nonexistent",
                               "--trace", trace.string(), "--profile", "a40-resnet50", "--work-hours", "1",
                               "--frame-minutes", "0.01", "--forecaster", "persistence", "--json", "--no-record", "--"};
    a.insert(a.end(), command.begin(), command.end());
    return a;
  }
};

TEST(DaemonRunCli, AnUnprivilegedRunControlsTheGpuThroughChasedAndItsLimitIsRestored) {
  DaemonRun run;
  test::Chased chased(run.dir, run.gpus);
  ASSERT_TRUE(chased.ready()) << chased.log();
  // Without chased the same chase cannot set the limit at all.
  auto direct = run.args(chased, {"true"});
  direct.erase(direct.begin() + 1, direct.begin() + 3);
  const auto refused = test::run_chase(direct, run.client_env());
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_NE(refused.err.find("needs root"), std::string::npos) << refused.err;

  const auto r = test::run_chase(run.args(chased, {"sleep", "2"}), run.client_env());
  ASSERT_EQ(r.exit_code, 0) << r.err << chased.log();
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["controlled_devices"], nlohmann::json({"nvml:0"}));
  EXPECT_TRUE(j["control_error"].is_null()) << j["control_error"];
  ASSERT_GE(j["decisions"].size(), 1u);
  const auto history = run.gpus.history(kA40);
  ASSERT_GE(history.size(), 3u);  // the privilege probe (300 W), chase's decisions, the restore
  bool lowered = false;
  for (long mw : history) lowered = lowered || mw < 300000;
  EXPECT_TRUE(lowered);
  EXPECT_EQ(history.back(), 300000);
  EXPECT_TRUE(test::eventually([&] { return chased.log().find("disconnected") != std::string::npos; }));
  // No record without the daemon's help is needed: chased holds the originals.
  EXPECT_FALSE(std::filesystem::exists(run.dir.path() / "records"));
}

// The real thing: chase as `nobody`, which may set nothing itself, controls the GPU through a
// chased whose config allows nobody (root only: it takes setpriv).
TEST(DaemonRunCli, ChaseRunAsNobodyControlsThroughChasedEndToEnd) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run chase as nobody";
  if (::getgrnam("nogroup") == nullptr || ::getpwnam("nobody") == nullptr || ::access("/usr/bin/setpriv", X_OK) != 0) {
    GTEST_SKIP() << "no nobody/nogroup or setpriv here";
  }
  DaemonRun run;
  // nobody reads the trace and the fixture, and the fake library shares its state file.
  std::filesystem::permissions(run.dir.path(), std::filesystem::perms::all);
  const auto config = run.dir.write("chased.toml", "[[allow]]\nusers = [\"nobody\"]\ngpus = [0]\n");
  test::Chased chased(run.dir, run.gpus, {"--config", config.string(), "--group", "nogroup"});
  ASSERT_TRUE(chased.ready()) << chased.log();
  for (const auto& file : {run.gpus.state, std::filesystem::path(run.gpus.state.string() + ".lock")}) {
    if (std::filesystem::exists(file)) std::filesystem::permissions(file, std::filesystem::perms(0666));
  }
  const auto env = run.client_env();  // nobody's own NVML may not set limits, as on a real GPU
  std::vector<std::string> argv{"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", CHASE_BINARY};
  const auto args = run.args(chased, {"sleep", "2"});
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = test::run_process(argv, "", env);
  ASSERT_EQ(r.exit_code, 0) << r.err << chased.log();
  const auto history = run.gpus.history(kA40);
  ASSERT_GE(history.size(), 3u);
  EXPECT_EQ(history.back(), 300000);
  // chased logs the disconnect when it sees it, which may be after chase has exited.
  EXPECT_TRUE(test::eventually([&] { return chased.log().find("of nobody (uid 65534), disconnected") != std::string::npos; }))
      << chased.log();
}

TEST(DaemonRunCli, ARunKilledWithSigkillHasItsLimitBackWithinASecond) {
  DaemonRun run;
  test::Chased chased(run.dir, run.gpus);
  ASSERT_TRUE(chased.ready()) << chased.log();
  const pid_t chase = test::start_chase(run.args(chased, {"sleep", "5"}), (run.dir.path() / "out").string(),
                                        (run.dir.path() / "err").string(), run.client_env());
  ASSERT_TRUE(test::eventually([&] { return run.gpus.limit_mw(kA40) > 0 && run.gpus.limit_mw(kA40) < 300000; }));
  ::kill(chase, SIGKILL);
  EXPECT_TRUE(test::within(1000ms, [&] { return run.gpus.limit_mw(kA40) == 300000; })) << chased.log();
  ::waitpid(chase, nullptr, 0);
}

TEST(DaemonRunCli, ASecondRunOnAHeldGpuIsRefusedNamingTheFirst) {
  DaemonRun run;
  test::Chased chased(run.dir, run.gpus);
  ASSERT_TRUE(chased.ready()) << chased.log();
  const pid_t first = test::start_chase(run.args(chased, {"sleep", "5"}), (run.dir.path() / "out").string(),
                                        (run.dir.path() / "err").string(), run.client_env());
  ASSERT_TRUE(test::eventually([&] { return run.gpus.history(kA40).size() >= 1; }));  // it holds the GPU
  const auto second = test::run_chase(run.args(chased, {"true"}), run.client_env());
  EXPECT_EQ(second.exit_code, 1) << second.err;
  EXPECT_NE(second.err.find(fmt::format("chase: error: chased: GPU 0 ({}) is held by pid {} of", kA40, first)),
            std::string::npos)
      << second.err;
  int status = 0;
  ::waitpid(first, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(run.gpus.history(kA40).back(), 300000);
}

// A config that keeps this user above 150 W on a 100-300 W A40: profiling steps through the
// allowed range only (chased tells chase the range with the GPU list), control runs on it, and
// a saved profile with a row below the floor is refused before the job starts, naming the range.
TEST(DaemonRunCli, ProfilingAndControlStayInTheRangeChasedAllows) {
  DaemonRun run;
  const auto config = run.dir.write(
      "chased.toml", fmt::format("[[allow]]\nusers = [{}]\ngpus = [0]\nmin_w = 150\nmax_w = 300\n", ::getuid()));
  test::Chased chased(run.dir, run.gpus, {"--config", config.string()});
  ASSERT_TRUE(chased.ready()) << chased.log();
  const auto progress = run.dir.path() / "progress";
  const std::vector<std::string> args{
      "run", "--daemon-socket", chased.socket().string(), "--powercap-root", "/nonexistent", "--trace",
      run.trace.string(), "--progress-file", progress.string(), "--total-iterations", "150", "--profile-step-w", "50",
      "--profile-warmup", "1", "--profile-iterations", "3", "--profile-seconds", "0.2", "--poll-ms", "20",
      "--frame-minutes", "0.005", "--forecaster", "persistence", "--json", "--no-record", "--", "sh", "-c",
      "i=0; while [ $i -lt 150 ]; do i=$((i+1)); echo $i > " + progress.string() + "; sleep 0.02; done"};
  const auto r = test::run_chase(args, run.client_env());
  ASSERT_EQ(r.exit_code, 0) << r.err << chased.log();
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["control_error"].is_null()) << j["control_error"] << r.err;
  std::vector<double> profiled;
  for (const auto& p : j["profiled"]) profiled.push_back(p["power_limit_w"].get<double>());
  EXPECT_EQ(profiled, (std::vector<double>{300, 250, 200, 150}));
  ASSERT_GE(j["decisions"].size(), 1u);
  for (long mw : run.gpus.history(kA40)) EXPECT_GE(mw, 150000);
  EXPECT_EQ(run.gpus.history(kA40).back(), 300000);

  // a40-resnet50's rows go down to 100 W: refused up front, nothing set.
  const std::size_t sets_before = run.gpus.history(kA40).size();
  const auto refused = test::run_chase(run.args(chased, {"true"}), run.client_env());
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("limit 125 W is outside nvml:0's range 150-300 W"), std::string::npos) << refused.err;
  EXPECT_EQ(run.gpus.history(kA40).size(), sets_before);
}

}  // namespace
}  // namespace chase

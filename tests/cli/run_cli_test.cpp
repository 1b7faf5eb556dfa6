// `chase run` as a real process on the fake NVML library: the controller sets the GPU's limit
// per frame while the command runs, and the limit the GPU had is back afterwards — when the
// command ends, and when chase is sent SIGTERM (forwarded to the command). The fake library
// keeps every set in a state file, which the test reads from outside.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/live_trace.hpp"
#include "support/local_http_server.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/uk_answer.hpp"

namespace chase {
namespace {

using test::run_chase;

const std::string kFixtures = CHASE_FIXTURES_DIR;
const std::string kA40 = "GPU-8932f937-d72c-4106-c12f-20bd9faed9f6";

struct FakeGpuRun {
  test::TempDir dir;
  std::filesystem::path state = dir.path() / "nvml-state.json";
  std::filesystem::path trace = test::write_trace_around_now(dir);

  std::map<std::string, std::string> env(const std::string& fixture = "two-gpus.json",
                                         const std::string& visible = "0") const {
    return {{"CHASE_FAKE_NVML_FIXTURE", kFixtures + "/nvml/" + fixture},
            {"CHASE_FAKE_NVML_STATE", state.string()},
            {"CHASE_NVML_LIBRARY", CHASE_FAKE_NVML},
            {"CUDA_VISIBLE_DEVICES", visible}};
  }
  std::vector<std::string> args(std::vector<std::string> command) const {
    std::vector<std::string> a{"run", "--powercap-root", "/nonexistent", "--trace", trace.string(), "--profile",
                               "a40-resnet50", "--work-hours", "1", "--json", "--"};
    a.insert(a.end(), command.begin(), command.end());
    return a;
  }
  // Every limit set on the A40, in mW, in order (the fake library's history).
  std::vector<long> history() const {
    std::ifstream in(state);
    if (!in) return {};
    try {
      const auto j = nlohmann::json::parse(in);
      return j["set_history_mw"][kA40].get<std::vector<long>>();
    } catch (const nlohmann::json::exception&) {
      return {};  // caught mid-rename; the next read sees it
    }
  }
};

bool eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 2000; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST(RunCli, SigtermIsForwardedAndTheLimitRestored) {
  FakeGpuRun run;
  const auto out = run.dir.path() / "report.json";
  const pid_t chase = test::start_chase(run.args({"sleep", "120"}), out.string(), (run.dir.path() / "err").string(),
                                        run.env());
  // The privilege probe sets 300 W again; then the controller's first decision changes it.
  ASSERT_TRUE(eventually([&] { return run.history().size() >= 2; }));
  EXPECT_EQ(run.history().front(), 300000);
  ASSERT_EQ(kill(chase, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(chase, &status, 0), chase);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);  // the command died of the forwarded SIGTERM

  const auto history = run.history();
  ASSERT_GE(history.size(), 3u);
  EXPECT_NE(history[1], 300000);        // chase lowered the limit ...
  EXPECT_EQ(history.back(), 300000);    // ... and put it back
  std::ifstream in(out);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["signals_forwarded"], nlohmann::json({"SIGTERM"}));
  EXPECT_EQ(j["controlled_devices"], nlohmann::json({"nvml:0"}));
  EXPECT_TRUE(j["control_error"].is_null());
  ASSERT_GE(j["decisions"].size(), 1u);
  EXPECT_EQ(j["decisions"][0]["limit_w"].get<double>() * 1000, history[1]);
}

TEST(RunCli, TheLimitIsRestoredWhenTheCommandEnds) {
  FakeGpuRun run;
  std::vector<std::string> args = run.args({"sleep", "3"});
  // 0.6-second frames; persistence, because the default model's day-ahead part costs O(frames
  // per day) an update, milliseconds at this frame length (microseconds at real ones).
  args.insert(args.begin() + 1, {"--frame-minutes", "0.01", "--forecaster", "persistence", "--decisions",
                                 (run.dir.path() / "d.csv").string()});
  const auto r = run_chase(args, run.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The trace holds a day before now, less than the default --history-hours: the warm-up reads
  // what there is, without a warning.
  EXPECT_EQ(r.err.find("no history"), std::string::npos) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["control_end"], "job-ended");
  EXPECT_GE(j["decisions"].size(), 3u);  // 0.6-second frames over 3 seconds
  double seconds = 0;
  for (const auto& share : j["time_per_limit"]) seconds += share["time_s"].get<double>();
  EXPECT_NEAR(seconds, j["time_s"].get<double>(), 0.5);
  EXPECT_GT(j["carbon_g"].get<double>(), 0);
  EXPECT_EQ(run.history().back(), 300000);
  // The decision log file has the header and a row per decision.
  std::ifstream csv(run.dir.path() / "d.csv");
  int lines = 0;
  for (std::string line; std::getline(csv, line);) ++lines;
  EXPECT_EQ(lines, 1 + static_cast<int>(j["decisions"].size()));
}

// A launcher that starts the training worker and exits: the job is not over until the worker
// is. The worker copies the fake GPU's state as it ends — the limit then is still chase's, not
// the restored one — and the restore comes after it in the limit history.
TEST(RunCli, TheLimitIsKeptUntilTheWorkerTheCommandLeftHasEnded) {
  FakeGpuRun run;
  const auto snapshot = run.dir.path() / "state-as-the-worker-ended.json";
  const auto r = run_chase(run.args({"sh", "-c", "(sleep 1.5; cp " + run.state.string() + " " + snapshot.string() +
                                                     ") >/dev/null 2>&1 & exit 0"}),
                           // Energy that follows the wall clock: the closed loop learns each limit's
                           // power from the frames' energy.
                           run.env("two-a40-wall-clock.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GE(j["descendants_at_exit"].get<int>(), 1);
  EXPECT_EQ(j["descendants_waited"], true);
  EXPECT_GE(j["time_s"].get<double>(), 1.4);  // metered and controlled while the worker ran
  EXPECT_EQ(j["control_end"], "job-ended");

  std::ifstream in(snapshot);
  ASSERT_TRUE(in) << "the worker did not finish";
  const auto at_worker_end = nlohmann::json::parse(in);
  const auto seen = at_worker_end["set_history_mw"][kA40].get<std::vector<long>>();
  ASSERT_GE(seen.size(), 2u);  // the probe, then chase's first decision
  EXPECT_NE(at_worker_end["power_limit_mw"][kA40].get<long>(), 300000);  // still chase's limit
  const auto final_history = run.history();
  EXPECT_GT(final_history.size(), seen.size());  // the restore came after the worker ended
  EXPECT_EQ(std::vector<long>(final_history.begin(), final_history.begin() + static_cast<long>(seen.size())), seen);
  EXPECT_EQ(final_history.back(), 300000);
  // Every device is metered how or not metered why: GPU 1 is hidden from the job.
  bool hidden_listed = false;
  for (const auto& e : j["metering"]) {
    if (e["id"] == "nvml:1") {
      hidden_listed = e["metering"] == "none" && e["reason"] == "hidden from the job: not in CUDA_VISIBLE_DEVICES='0'";
    }
    if (e["id"] == "nvml:0") {
      EXPECT_EQ(e["metering"], "counter");
    }
  }
  EXPECT_TRUE(hidden_listed) << j["metering"].dump();
}

// --leave-descendants: control ends, and the limit is restored, when the command itself exits;
// the worker it left finds the restored limit and chase warns that it ran on uncounted.
TEST(RunCli, LeaveDescendantsRestoresTheLimitAtTheCommandsExit) {
  FakeGpuRun run;
  const auto snapshot = run.dir.path() / "state-as-the-worker-ended.json";
  auto args = run.args({"sh", "-c", "(sleep 3; cp " + run.state.string() + " " + snapshot.string() +
                                        ") >/dev/null 2>&1 & exit 0"});
  args.insert(args.begin() + 1, "--leave-descendants");
  const auto r = run_chase(args, run.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("running (--leave-descendants): their energy after its exit is not counted, and the power "
                       "limits were restored while they run"),
            std::string::npos)
      << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GE(j["descendants_at_exit"].get<int>(), 1);
  EXPECT_EQ(j["descendants_waited"], false);
  EXPECT_EQ(run.history().back(), 300000);
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(snapshot); }));
  std::ifstream in;
  nlohmann::json at_worker_end;
  ASSERT_TRUE(eventually([&] {  // the copy may still be being written
    in = std::ifstream(snapshot);
    try {
      at_worker_end = nlohmann::json::parse(in);
      return true;
    } catch (const nlohmann::json::exception&) {
      return false;
    }
  }));
  EXPECT_EQ(at_worker_end["power_limit_mw"][kA40], 300000);  // already restored
}

TEST(RunCli, WithoutThePrivilegeNothingStarts) {
  FakeGpuRun run;
  const auto marker = run.dir.path() / "started";
  const auto r = run_chase(run.args({"touch", marker.string()}), run.env("no-permission.json"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("chase: error: "), std::string::npos);
  EXPECT_NE(r.err.find("needs root"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(marker));  // the command never ran
}

TEST(RunCli, BadSetupIsRefusedBeforeTheCommandStarts) {
  FakeGpuRun run;
  // The V100 (150-300 W) cannot run the A40 profile's 100 and 125 W limits.
  const auto range = run_chase(run.args({"true"}), run.env("two-gpus.json", "1"));
  EXPECT_EQ(range.exit_code, 2);
  EXPECT_NE(range.err.find("--profile: limit 125 W is outside nvml:1's range 150-300 W"), std::string::npos) << range.err;

  auto no_gpu = run.args({"true"});
  no_gpu.insert(no_gpu.begin() + 1, {"--nvml-library", "/nonexistent/libnvidia-ml.so.1"});
  const auto none = run_chase(no_gpu, {});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("no GPU with a settable power limit here"), std::string::npos) << none.err;

  // A MIG instance is not a GPU chase can control (its power limit is the whole GPU's): the
  // error says why.
  const std::string mig = "MIG-GPU-8932f937-d72c-4106-c12f-20bd9faed9f6/1/0";
  const auto on_mig = run_chase(run.args({"true"}), run.env("two-gpus.json", mig));
  EXPECT_EQ(on_mig.exit_code, 1);
  EXPECT_NE(on_mig.err.find("no GPU with a settable power limit here: driver 550.54.15, 0 of 2 GPUs"), std::string::npos)
      << on_mig.err;
  EXPECT_NE(on_mig.err.find("cuda:" + mig + ": '" + mig + "' is MIG instance 1/0 of GPU 0"), std::string::npos)
      << on_mig.err;

  const auto past = run_chase({"run", "--trace", "gb-2020", "--profile", "a40-resnet50", "--", "true"}, run.env());
  EXPECT_EQ(past.exit_code, 2);
  EXPECT_NE(past.err.find("outside the trace"), std::string::npos) << past.err;

  const auto oracle = run_chase({"run", "--trace", run.trace.string(), "--profile", "a40-resnet50", "--policy", "oracle",
                                 "--", "true"},
                                run.env());
  EXPECT_EQ(oracle.exit_code, 2);
  EXPECT_NE(oracle.err.find("policy 'oracle' needs the true intensity"), std::string::npos) << oracle.err;

  const auto no_profile = run_chase({"run", "--trace", run.trace.string(), "--", "true"}, run.env());
  EXPECT_EQ(no_profile.exit_code, 2);
  EXPECT_NE(no_profile.err.find("give --profile (a saved profile of the job), --progress-file (profile the job"),
            std::string::npos)
      << no_profile.err;
  const auto folder = run_chase({"run", "--trace", run.trace.string(), "--progress-file", run.dir.path().string(), "--",
                                 "true"},
                                run.env());
  EXPECT_EQ(folder.exit_code, 2);
  EXPECT_NE(folder.err.find("--progress-file: '" + run.dir.path().string() + "' is not a file the job can write"),
            std::string::npos)
      << folder.err;
  const auto save = run_chase({"run", "--trace", run.trace.string(), "--progress-file", (run.dir.path() / "p").string(),
                               "--save-profile", (run.dir.path() / "missing" / "gpu.csv").string(), "--", "true"},
                              run.env());
  EXPECT_EQ(save.exit_code, 2);
  EXPECT_NE(save.err.find("--save-profile: '" + (run.dir.path() / "missing" / "gpu.csv").string() +
                          "' is not a file chase can write"),
            std::string::npos)
      << save.err;
  const auto iterations = run_chase({"run", "--trace", run.trace.string(), "--progress-file",
                                     (run.dir.path() / "p").string(), "--profile-iterations", "0", "--", "true"},
                                    run.env());
  EXPECT_EQ(iterations.exit_code, 2);
  EXPECT_NE(iterations.err.find("chase: error: --profile-iterations: 0 must be positive"), std::string::npos)
      << iterations.err;
  EXPECT_TRUE(run.history().empty() || run.history().back() == 300000);
}

// Without a saved profile, the job is profiled as it starts: it counts its iterations in a
// progress file, chase steps the A40 through 300, 200 and 100 W, measures each from the fake
// library's energy counter (which grows at the fixture's power for the limit set), saves the
// profile and controls the rest of the job with it.
TEST(RunCli, ProfilesTheJobFromItsProgressFileThenControlsIt) {
  FakeGpuRun run;
  const auto progress = run.dir.path() / "progress";
  const auto saved = run.dir.path() / "profile.csv";
  std::vector<std::string> args{"run", "--powercap-root", "/nonexistent", "--trace", run.trace.string(),
                                "--progress-file", progress.string(), "--save-profile", saved.string(),
                                "--profile-step-w", "100", "--profile-warmup", "2", "--profile-iterations", "5",
                                "--profile-seconds", "0.3", "--poll-ms", "20", "--work-hours", "1", "--frame-minutes",
                                "0.02", "--forecaster", "persistence", "--json", "--", "sh", "-c",
                                "i=0; while [ $i -lt 200 ]; do i=$((i+1)); echo $i > " + progress.string() +
                                    "; sleep 0.02; done"};
  const auto r = run_chase(args, run.env("wall-clock.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["profile"], "profiled on nvml:0");
  ASSERT_EQ(j["profiled"].size(), 3u);
  const double fixture_power_w[] = {240, 180, 99.5};  // wall-clock.json's A40 at 300, 200, 100 W
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(j["profiled"][i]["power_limit_w"].get<double>(), 300 - 100.0 * static_cast<double>(i));
    // Energy and time are read at the same polls, so their ratio is the fixture's power.
    EXPECT_NEAR(j["profiled"][i]["avg_power_w"].get<double>(), fixture_power_w[i], 0.02 * fixture_power_w[i]);
  }
  EXPECT_GT(j["profiling_s"].get<double>(), 0.9);  // 3 limits x at least 0.3 s each
  EXPECT_GE(j["decisions"].size(), 1u);
  const auto reloaded = run_chase({"simulate", "--profile", saved.string(), "--trace", "gb-2020", "--json"}, {});
  EXPECT_EQ(reloaded.exit_code, 0) << reloaded.err;  // the saved profile is a valid profile
  // The history: the probe, the three profiled limits, the restore, then control and its
  // restore (nothing more when control keeps 300 W, the fastest on this sleep-bound job's noise).
  const auto history = run.history();
  ASSERT_GE(history.size(), 5u);
  EXPECT_EQ(std::vector<long>(history.begin(), history.begin() + 5),
            (std::vector<long>{300000, 300000, 200000, 100000, 300000}));
  EXPECT_EQ(history.back(), 300000);
}

// The progress file is the work meter for the whole run, not only for profiling: the job states
// its length in iterations, is profiled from its first ones, then slows down (each iteration takes
// about six times longer after iteration 120). The work chase counts is the job's own count, the
// slowdown is reported once as drift from the profile, and --save-profile ends up holding the
// corrected profile instead of the one measured at the start.
TEST(RunCli, TheProgressFileCountsTheWorkAndADriftingJobGetsACorrectedProfile) {
  FakeGpuRun run;
  const auto progress = run.dir.path() / "progress";
  const auto saved = run.dir.path() / "profile.csv";
  const std::vector<std::string> args{
      "run", "--powercap-root", "/nonexistent", "--trace", run.trace.string(), "--progress-file", progress.string(),
      "--save-profile", saved.string(), "--total-iterations", "170", "--profile-step-w", "100", "--profile-warmup", "2",
      "--profile-iterations", "5", "--profile-seconds", "0.3", "--poll-ms", "20", "--frame-minutes", "0.005",
      "--forecaster", "persistence", "--json", "--", "sh", "-c",
      "i=0; while [ $i -lt 170 ]; do i=$((i+1)); echo $i > " + progress.string() +
          "; if [ $i -le 120 ]; then sleep 0.01; else sleep 0.06; fi; done"};
  const auto r = run_chase(args, run.env("wall-clock.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["work_meter"], "progress-file");
  EXPECT_EQ(j["total_iterations"], 170);
  // Every iteration the job wrote is counted: those of profiling, and those under control.
  const auto before = j["iterations_before_control"].get<std::int64_t>();
  EXPECT_GT(before, 0);
  EXPECT_EQ(static_cast<double>(before) + j["work_done_units"].get<double>(), 170.0) << r.out;
  double last = -1;
  for (const auto& d : j["decisions"]) {  // whole iterations, counted from the file
    const double done = d["work_done_units"].get<double>();
    EXPECT_EQ(done, std::floor(done));
    EXPECT_GE(done, last);
    last = done;
  }
  ASSERT_TRUE(j["profile_drifted"].get<bool>()) << r.out << r.err;
  const auto& drift = j["profile_drift"];
  EXPECT_LT(drift["measured_rate_per_s"].get<double>(), drift["profile_rate_per_s"].get<double>());
  EXPECT_EQ(j["corrected_profile_saved_to"], saved.string());
  // Said once, on stderr, naming the limit.
  const std::string said = "chase: warning: the job runs off its profile at limit ";
  const auto at = r.err.find(said);
  EXPECT_NE(at, std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(said, at + 1), std::string::npos) << r.err;
  // The saved profile is the corrected one: a valid profile of the same limits. The job slowed
  // down six-fold, as a whole, which the model learns as the job's speed (drift_watch.hpp): no
  // row gets faster beyond the timing noise of a loaded machine (a few per mille measured), and
  // the maximum limit's row, whose rate the job's stated length fixes, stays as profiled. How
  // much the other rows move depends on how long each limit ran, which depends on the machine's
  // load: not asserted.
  std::ifstream in(saved);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "power_limit_w,time_s,energy_j");
  std::map<double, double> corrected_time_s;
  for (std::string line; std::getline(in, line);) {
    const auto comma = line.find(',');
    corrected_time_s[std::stod(line.substr(0, comma))] = std::stod(line.substr(comma + 1));
  }
  std::map<double, double> profiled_time_s;
  for (const auto& p : j["profiled"]) profiled_time_s[p["power_limit_w"].get<double>()] = p["time_s"].get<double>();
  ASSERT_EQ(corrected_time_s.size(), profiled_time_s.size());
  EXPECT_EQ(corrected_time_s.count(drift["limit_w"].get<double>()), 1u);
  for (const auto& [limit_w, time_s] : profiled_time_s) {
    ASSERT_EQ(corrected_time_s.count(limit_w), 1u) << limit_w;
    EXPECT_GE(corrected_time_s[limit_w], time_s * 0.95) << limit_w;
  }
  EXPECT_NEAR(corrected_time_s.rbegin()->second, profiled_time_s.rbegin()->second, 1e-6 * profiled_time_s.rbegin()->second);
  const auto reloaded = run_chase({"simulate", "--profile", saved.string(), "--trace", "gb-2020", "--json"}, {});
  EXPECT_EQ(reloaded.exit_code, 0) << reloaded.err;
  EXPECT_EQ(run.history().back(), 300000);
}

// A saved profile (per iteration) with a progress file: no profiling, and the file counts the work.
TEST(RunCli, WithASavedProfileTheProgressFileStillCountsTheWork) {
  FakeGpuRun run;
  const auto progress = run.dir.path() / "progress";
  const auto profile = run.dir.path() / "per-iteration.csv";
  std::ofstream(profile) << "power_limit_w,time_s,energy_j\n300,0.015,3.6\n200,0.016,2.9\n100,0.03,3\n";
  const std::vector<std::string> args{
      "run", "--powercap-root", "/nonexistent", "--trace", run.trace.string(), "--profile", profile.string(),
      "--progress-file", progress.string(), "--total-iterations", "60", "--frame-minutes", "0.005", "--forecaster",
      "persistence", "--json", "--", "sh", "-c",
      "i=0; while [ $i -lt 60 ]; do i=$((i+1)); echo $i > " + progress.string() + "; sleep 0.01; done"};
  const auto r = run_chase(args, run.env("wall-clock.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j.contains("profiled"));
  EXPECT_EQ(j["profiling_s"], nullptr);
  EXPECT_EQ(j["work_meter"], "progress-file");
  EXPECT_EQ(j["total_iterations"], 60);
  EXPECT_EQ(static_cast<double>(j["iterations_before_control"].get<std::int64_t>()) + j["work_done_units"].get<double>(),
            60.0)
      << r.out;
  EXPECT_EQ(run.history().back(), 300000);
}

// --total-iterations and the flags it goes with: one error line each, exit 2, nothing started.
TEST(RunCli, TotalIterationsIsRefusedWhereItCannotWork) {
  FakeGpuRun run;
  const auto progress = (run.dir.path() / "progress").string();
  const auto marker = run.dir.path() / "ran";
  const auto refused = [&](std::vector<std::string> flags, const std::string& message) {
    std::vector<std::string> args{"run", "--powercap-root", "/nonexistent", "--trace", run.trace.string()};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), {"--", "touch", marker.string()});
    const auto r = run_chase(args, run.env("wall-clock.json"));
    EXPECT_EQ(r.exit_code, 2) << message << r.err;
    EXPECT_NE(r.err.find("chase: error: " + message), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  };
  refused({"--profile", "a40-resnet50", "--total-iterations", "100"}, "--total-iterations needs --progress-file");
  refused({"--progress-file", progress, "--total-iterations", "100", "--work-hours", "2"},
          "give one of --total-iterations (the job's length in iterations) and --work-hours");
  refused({"--progress-file", progress, "--total-iterations", "0"}, "--total-iterations: 0 must be positive");
  refused({"--progress-file", progress, "--total-iterations", "-5"}, "--total-iterations: -5 must be positive");
  refused({"--progress-file", progress, "--total-iterations", "2000000000000"}, "--total-iterations: 2000000000000");
  // 24 s per iteration (the bundled profile's unit is an epoch) times a billion is centuries.
  refused({"--profile", "a40-resnet50", "--progress-file", progress, "--total-iterations", "1000000000"},
          "--total-iterations: 1000000000 iterations at the profile's 24.01 s each at the maximum limit take longer "
          "than ten years");
  refused({"--profile", "a40-resnet50", "--save-profile", (run.dir.path() / "p.csv").string()},
          "--save-profile needs --progress-file");
  refused({"--progress-file", progress, "--drift-threshold", "0"}, "--drift-threshold: 0");
  EXPECT_FALSE(std::filesystem::exists(marker));  // the command never ran
}

TEST(RunCli, AJobEndingWhileProfiledOrABadProgressFileLeavesTheLimitRestored) {
  FakeGpuRun run;
  const auto progress = run.dir.path() / "progress";
  auto args = [&](const std::string& script) {
    return std::vector<std::string>{"run", "--powercap-root", "/nonexistent", "--trace", run.trace.string(),
                                    "--progress-file", progress.string(), "--poll-ms", "20", "--json", "--", "sh", "-c",
                                    script};
  };
  const auto early = run_chase(args("echo 1 > " + progress.string() + "; exit 3"), run.env("wall-clock.json"));
  EXPECT_EQ(early.exit_code, 3) << early.err;  // the job's own status
  const auto j = nlohmann::json::parse(early.out);
  EXPECT_EQ(j["control_end"], "job-ended-while-profiling");
  EXPECT_EQ(j["profile"], "none (the job ended while it was being profiled)");
  EXPECT_EQ(run.history().back(), 300000);

  const auto bad = run_chase(args("sleep 0.2; echo 'epoch one' > " + progress.string() + "; sleep 1"),
                             run.env("wall-clock.json"));
  EXPECT_EQ(bad.exit_code, 0) << bad.err;  // the job ran on; control stopped with a warning
  EXPECT_NE(bad.err.find("chase: warning: control stopped early (limits restored; the job ran on): "
                         "progress file " + progress.string() + ":1: \"one\" is not"),
            std::string::npos)
      << bad.err;
  EXPECT_EQ(nlohmann::json::parse(bad.out)["control_end"], "error");
  EXPECT_EQ(run.history().back(), 300000);
}

// Live intensity end to end: the UK Carbon Intensity API played by a local server with half-hour
// values around now. The day before the start comes in one history request, and the frames are
// priced by the provider, not a fallback.
TEST(RunCli, ALiveProviderDrivesTheFrames) {
  FakeGpuRun run;
  test::LocalHttpServer server;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const long long half_hour = 1800;
  const long long current = now / half_hour * half_hour;
  auto point = [](long long from, int g) {
    auto iso = [](long long t) {
      const std::time_t tt = static_cast<std::time_t>(t);
      char buf[32];
      std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%MZ", std::gmtime(&tt));
      return std::string(buf);
    };
    return nlohmann::json{{"from", iso(from)}, {"to", iso(from + 1800)}, {"intensity", {{"forecast", g}, {"actual", g}}}};
  };
  server.on("/intensity", {test::Reply{200, nlohmann::json{{"data", {point(current, 150)}}}.dump(), {}, 0}});
  server.on_prefix("/intensity/", [&](const std::string&) {
    nlohmann::json data = nlohmann::json::array();
    for (long long t = current - 86400; t < current; t += half_hour) data.push_back(point(t, t / half_hour % 2 ? 200 : 120));
    return test::Reply{200, nlohmann::json{{"data", data}}.dump(), {}, 0};
  });
  const auto r = run_chase({"run", "--powercap-root", "/nonexistent", "--provider", "uk-carbon-intensity", "--base-url",
                            server.base_url(), "--cache", (run.dir.path() / "cache.sqlite").string(), "--history-hours",
                            "24", "--profile", "a40-resnet50", "--json", "--", "sleep", "1"},
                           run.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_GE(j["decisions"].size(), 1u);
  EXPECT_EQ(j["decisions"][0]["source"], "uk-carbon-intensity:GB");
  EXPECT_EQ(j["decisions"][0]["fallback"], false);
  EXPECT_DOUBLE_EQ(j["decisions"][0]["actual_g_per_kwh"].get<double>(), 150);
  EXPECT_EQ(j["intensity_source"], "uk-carbon-intensity:GB");
  std::size_t history_requests = 0;
  for (const auto& seen : server.requests()) history_requests += seen.path.rfind("/intensity/", 0) == 0 ? 1 : 0;
  EXPECT_EQ(history_requests, 1u);
  EXPECT_EQ(run.history().back(), 300000);
}

// The provider answers everything with 429 and "Retry-After: 3600": the start, the history before
// it and every frame fall back, and the provider hears one request in all.
TEST(RunCli, ARateLimitedProviderIsAskedOnceForTheWholeRun) {
  FakeGpuRun run;
  test::LocalHttpServer server;
  const test::Reply limited{429, "{}", {{"Retry-After", "3600"}}, 0};
  server.on("/intensity", {limited});
  server.on_prefix("/intensity/", [&](const std::string&) { return limited; });
  const auto r = run_chase({"run", "--powercap-root", "/nonexistent", "--provider", "uk-carbon-intensity", "--base-url",
                            server.base_url(), "--cache", (run.dir.path() / "cache.sqlite").string(), "--history-hours",
                            "24", "--profile", "a40-resnet50", "--frame-minutes", "0.01", "--json", "--", "sleep", "2"},
                           run.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_GE(j["decisions"].size(), 2u);
  for (const auto& d : j["decisions"]) {
    EXPECT_EQ(d["fallback"], true);
    EXPECT_EQ(d["source"], "static:GB");
  }
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_NE(r.err.find("Retry-After: 3600"), std::string::npos) << r.err;
}

// Frames far shorter than the provider's half hour: the warm-up prices an hour of 3-second
// frames and the meter reads every 100 ms, yet the provider's current value is asked for once
// (it is then served from memory and the cache until the source's 5-minute refresh, which a
// 6-second run never reaches). The history before the start is its own request(s), not counted.
TEST(RunCli, ShortFramesDoNotFloodALiveProvider) {
  FakeGpuRun run;
  test::LocalHttpServer server;
  const std::string answer = test::uk_intensity_answer(test::current_window_s(), 140);
  server.on("/intensity", {test::Reply{200, answer, {}, 0}});
  server.on_prefix("/intensity/", [&](const std::string&) { return test::Reply{200, answer, {}, 0}; });
  const auto r = run_chase({"run", "--powercap-root", "/nonexistent", "--provider", "uk-carbon-intensity", "--base-url",
                            server.base_url(), "--cache", (run.dir.path() / "cache.sqlite").string(), "--frame-minutes",
                            "0.05", "--history-hours", "1", "--profile", "a40-resnet50", "--work-hours", "1", "--json",
                            "--", "sleep", "6"},
                           run.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_GE(j["decisions"].size(), 2u) << r.out;
  EXPECT_EQ(j["decisions"][0]["source"], "uk-carbon-intensity:GB");
  EXPECT_DOUBLE_EQ(j["decisions"][0]["actual_g_per_kwh"].get<double>(), 140);
  EXPECT_EQ(server.count("/intensity"), 1u);
  std::size_t history_requests = 0;
  for (const auto& seen : server.requests()) history_requests += seen.path.rfind("/intensity/", 0) == 0 ? 1 : 0;
  EXPECT_LE(history_requests, 1u);
}

}  // namespace
}  // namespace chase

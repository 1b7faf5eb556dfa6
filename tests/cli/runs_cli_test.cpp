// The run store through real processes: `chase measure` and `chase run` record their runs,
// `chase runs list|show|export|delete` read them, a `kill -9` of chase mid-run leaves the run
// marked interrupted with what was recorded, --no-record and --db behave, and a job's context
// (Slurm, torchrun) is kept.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/live_trace.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using test::run_chase;

const std::string kFixtures = CHASE_FIXTURES_DIR;

struct Store {
  test::TempDir dir;
  std::string db = (dir.path() / "runs.db").string();

  std::map<std::string, std::string> env(std::map<std::string, std::string> more = {}) const {
    more["CHASE_DB"] = db;
    return more;
  }
  // `chase measure` on the fake GPU 1 (its counter adds a fixed amount per read) at 400 g/kWh.
  test::ProcessResult measure(std::vector<std::string> command, std::map<std::string, std::string> more = {}) const {
    more["CHASE_FAKE_NVML_FIXTURE"] = kFixtures + "/nvml/two-gpus.json";
    more["CHASE_NVML_LIBRARY"] = CHASE_FAKE_NVML;
    std::vector<std::string> args{"measure", "--json", "--device", "nvml:1", "--intensity", "400", "--interval-ms", "5",
                                  "--powercap-root", "/nonexistent", "--"};
    args.insert(args.end(), command.begin(), command.end());
    return run_chase(args, env(more));
  }
  nlohmann::json runs(std::vector<std::string> args) const {
    args.insert(args.begin(), "runs");
    const auto r = run_chase(args, env());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
};

TEST(RunsCli, AMeasuredRunIsListedAndShownWithTheNumbersMeasurePrinted) {
  Store s;
  const auto m = s.measure({"sleep", "0.2"}, {{"SLURM_JOB_ID", "4711"}, {"RANK", "2"}, {"WORLD_SIZE", "4"}});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  const auto measured = nlohmann::json::parse(m.out);
  ASSERT_TRUE(measured["run_id"].is_number_integer());
  const auto id = measured["run_id"].get<long>();

  const auto list = s.runs({"list", "--json"});
  ASSERT_EQ(list["runs"].size(), 1u);
  const auto shown = s.runs({"show", std::to_string(id), "--json"});
  EXPECT_EQ(shown["id"], id);
  EXPECT_EQ(shown["status"], "completed");
  EXPECT_EQ(shown["kind"], "measure");
  EXPECT_EQ(shown["exit_code"], 0);
  EXPECT_EQ(shown["command"], nlohmann::json({"sleep", "0.2"}));
  EXPECT_DOUBLE_EQ(shown["energy_j"].get<double>(), measured["energy_j"].get<double>());
  EXPECT_DOUBLE_EQ(shown["carbon_g"].get<double>(), measured["carbon_g"].get<double>());
  EXPECT_NEAR(shown["time_s"].get<double>(), measured["time_s"].get<double>(), 1e-3);
  EXPECT_EQ(shown["intensity_source"], "--intensity");
  EXPECT_EQ(shown["context"], nlohmann::json({{"SLURM_JOB_ID", "4711"}, {"RANK", "2"}, {"WORLD_SIZE", "4"}}));
  EXPECT_EQ(shown["totals_from_samples"], false);
  // Every device the command named: GPU 1 metered by its counter; the rest listed as not metered.
  bool gpu_seen = false;
  for (const auto& d : shown["devices"]) {
    if (d["id"] == "nvml:1") {
      gpu_seen = true;
      EXPECT_EQ(d["metering"], "counter");
      EXPECT_DOUBLE_EQ(d["energy_j"].get<double>(), measured["devices"][0]["energy_j"].get<double>());
    } else {
      EXPECT_EQ(d["metering"], "none") << d;
    }
  }
  EXPECT_TRUE(gpu_seen);

  // The export's samples end at the run's energy; the CSV has the same rows.
  const auto exported = s.runs({"export", std::to_string(id), "--json"});
  ASSERT_GE(exported["samples"].size(), 2u);
  EXPECT_DOUBLE_EQ(exported["samples"].back()["energy_j"].get<double>(), measured["energy_j"].get<double>());
  ASSERT_EQ(exported["intensity_steps"].size(), 1u);
  EXPECT_DOUBLE_EQ(exported["intensity_steps"][0]["intensity_g_per_kwh"].get<double>(), 400);
  const auto csv = run_chase({"runs", "export", std::to_string(id), "--csv"}, s.env());
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  std::istringstream lines(csv.out);
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header, "timestamp,elapsed_s,device,energy_j,avg_power_w,estimated");
  std::size_t rows = 0;
  for (std::string line; std::getline(lines, line);) ++rows;
  EXPECT_EQ(rows, exported["samples"].size());

  // The table says where the run went.
  const auto table = run_chase({"runs", "list"}, s.env());
  EXPECT_NE(table.out.find("completed"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("sleep 0.2"), std::string::npos) << table.out;
}

TEST(RunsCli, FailedCommandsAreRecordedWithTheirExitStatus) {
  Store s;
  ASSERT_EQ(s.measure({"sh", "-c", "exit 3"}).exit_code, 3);
  ASSERT_EQ(s.measure({"/dev/null/not-a-command"}).exit_code, 127);
  const auto list = s.runs({"list", "--json"});
  ASSERT_EQ(list["runs"].size(), 2u);
  EXPECT_EQ(list["runs"][0]["status"], "failed");
  EXPECT_EQ(list["runs"][0]["exit_code"], 3);
  EXPECT_EQ(list["runs"][1]["status"], "failed");
  EXPECT_EQ(list["runs"][1]["exit_code"], 127);
  EXPECT_NE(list["runs"][1]["note"].get<std::string>().find("command not found"), std::string::npos);
}

std::size_t recorded_samples(const Store& s) {
  const auto r = run_chase({"runs", "list", "--json"}, s.env());
  if (r.exit_code != 0) return 0;
  const auto j = nlohmann::json::parse(r.out);
  if (j["runs"].empty()) return 0;
  return j["runs"][0]["samples"].get<std::size_t>();
}

TEST(RunsCli, AKill9MidRunLeavesTheRunInterruptedWithWhatWasRecorded) {
  Store s;
  const auto out = s.dir.path() / "out.json";
  const pid_t chase = test::start_chase(
      {"measure", "--json", "--nvml-library", "/nonexistent/libnvidia-ml.so.1", "--powercap-root", "/nonexistent",
       "--intensity", "250", "--", "sleep", "4"},
      out.string(), "", s.env());
  // Wait until at least three flushes (samples 1 s apart) are in the store.
  for (int i = 0; i < 1000 && recorded_samples(s) < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_GE(recorded_samples(s), 3u);
  ASSERT_EQ(kill(chase, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(chase, &status, 0), chase);
  ASSERT_TRUE(WIFSIGNALED(status));

  const auto list = s.runs({"list", "--json"});
  ASSERT_EQ(list["runs"].size(), 1u);
  const auto& run = list["runs"][0];
  EXPECT_EQ(run["status"], "interrupted");
  EXPECT_EQ(run["totals_from_samples"], true);
  EXPECT_TRUE(run["exit_code"].is_null());
  EXPECT_FALSE(run["ended"].is_null());
  EXPECT_NE(run["note"].get<std::string>().find("chase stopped before the run ended"), std::string::npos);
  // Its totals are what it recorded: the last sample's energy, priced at 250 g/kWh.
  const auto exported = s.runs({"export", std::to_string(run["id"].get<long>()), "--json"});
  const double last = exported["samples"].back()["energy_j"].get<double>();
  EXPECT_GT(last, 0);
  EXPECT_DOUBLE_EQ(run["energy_j"].get<double>(), last);
  EXPECT_NEAR(run["carbon_g"].get<double>(), last / 3.6e6 * 250, 1e-9);
  // Lost at most the last couple of seconds: the run lasted at least as long as what it recorded.
  EXPECT_GE(run["time_s"].get<double>(), 1.9);
}

TEST(RunsCli, NoRecordLeavesTheStoreAloneAndDeleteRemovesARun) {
  Store s;
  ASSERT_EQ(s.measure({"true"}).exit_code, 0);
  const auto unrecorded = run_chase({"measure", "--no-record", "--json", "--nvml-library", "/nonexistent/x.so",
                                     "--powercap-root", "/nonexistent", "--", "true"},
                                    s.env());
  ASSERT_EQ(unrecorded.exit_code, 0) << unrecorded.err;
  EXPECT_TRUE(nlohmann::json::parse(unrecorded.out)["run_id"].is_null());
  const auto list = s.runs({"list", "--json"});
  ASSERT_EQ(list["runs"].size(), 1u);
  const auto id = std::to_string(list["runs"][0]["id"].get<long>());
  const auto deleted = run_chase({"runs", "delete", id}, s.env());
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(s.runs({"list", "--json"})["runs"].size(), 0u);
  const auto again = run_chase({"runs", "delete", id}, s.env());
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_EQ(again.err, "chase: error: no run " + id + " in " + s.db + " (chase runs list shows the ids)\n");
}

TEST(RunsCli, AStoreThatCannotBeOpenedIsAnErrorWhenChosenAndAWarningByDefault) {
  test::TempDir dir;
  const std::vector<std::string> measure{"measure", "--nvml-library", "/nonexistent/x.so", "--powercap-root",
                                         "/nonexistent", "--db", "/dev/null/runs.db", "--", "true"};
  const auto chosen = run_chase(measure);
  EXPECT_EQ(chosen.exit_code, 2);
  EXPECT_EQ(chosen.err.rfind("chase: error: --db: run store /dev/null/runs.db: cannot open", 0), 0u) << chosen.err;
  // The default place under a file: the run goes on, unrecorded, with one warning.
  const auto by_default = run_chase({"measure", "--nvml-library", "/nonexistent/x.so", "--powercap-root", "/nonexistent",
                                     "--", "true"},
                                    {{"XDG_DATA_HOME", "/dev/null/data"}});
  EXPECT_EQ(by_default.exit_code, 0) << by_default.err;
  EXPECT_NE(by_default.err.find("chase: warning: this run is not recorded: run store /dev/null/data/chase/runs.db"),
            std::string::npos)
      << by_default.err;
  EXPECT_EQ(by_default.out.find("recorded:"), std::string::npos);
  // Reading a store that does not exist is an error, not an empty file made on the way.
  const auto missing = run_chase({"runs", "list", "--db", (dir.path() / "none.db").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no runs recorded in"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "none.db"));
}

TEST(RunsCli, AControlledRunKeepsItsDecisionsAndProfile) {
  Store s;
  const auto trace = test::write_trace_around_now(s.dir);
  const auto state = s.dir.path() / "nvml-state.json";
  const auto r = run_chase({"run", "--powercap-root", "/nonexistent", "--trace", trace.string(), "--profile", "a40-resnet50",
                            "--work-hours", "1", "--json", "--", "sleep", "5"},
                           s.env({{"CHASE_FAKE_NVML_FIXTURE", kFixtures + "/nvml/two-gpus.json"},
                                  {"CHASE_FAKE_NVML_STATE", state.string()},
                                  {"CHASE_NVML_LIBRARY", CHASE_FAKE_NVML},
                                  {"CUDA_VISIBLE_DEVICES", "0"}}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto ran = nlohmann::json::parse(r.out);
  const auto id = std::to_string(ran["run_id"].get<long>());
  const auto exported = s.runs({"export", id, "--json"});
  EXPECT_EQ(exported["kind"], "run");
  EXPECT_EQ(exported["status"], "completed");
  ASSERT_EQ(exported["decisions"].size(), ran["decisions"].size());
  ASSERT_GE(exported["decisions"].size(), 2u);
  for (std::size_t i = 0; i < exported["decisions"].size(); ++i) {
    EXPECT_EQ(exported["decisions"][i]["frame"], i);
    EXPECT_DOUBLE_EQ(exported["decisions"][i]["limit_w"].get<double>(), ran["decisions"][i]["limit_w"].get<double>());
  }
  EXPECT_FALSE(exported["profile"].empty());  // the a40-resnet50 profile it was steered with
  EXPECT_DOUBLE_EQ(exported["energy_j"].get<double>(), ran["energy_j"].get<double>());
  EXPECT_GE(exported["intensity_steps"].size(), 2u);  // the trace's 2-second steps it was priced on
}

}  // namespace
}  // namespace chase

namespace chase {
namespace {

TEST(ReportCli, TheStatementOfSeveralRunsSumsThem) {
  Store s;
  const auto a = nlohmann::json::parse(s.measure({"sleep", "0.1"}).out);
  const auto b = nlohmann::json::parse(s.measure({"sleep", "0.2"}).out);
  const std::string ids = std::to_string(a["run_id"].get<long>()) + "," + std::to_string(b["run_id"].get<long>());
  const auto r = run_chase({"report", "--runs", ids, "--statement", "--json", "--pue", "1.5"}, s.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const double energy = a["energy_j"].get<double>() + b["energy_j"].get<double>();
  EXPECT_NEAR(j["device_energy_j"].get<double>(), energy, 1e-9);
  EXPECT_NEAR(j["measured_energy_j"].get<double>(), energy, 1e-9);  // the fake GPU's counter
  EXPECT_NEAR(j["facility_energy_j"].get<double>(), 1.5 * energy, 1e-9);
  EXPECT_NEAR(j["carbon_g"].get<double>(), 1.5 * (a["carbon_g"].get<double>() + b["carbon_g"].get<double>()), 1e-12);
  EXPECT_NEAR(j["intensity_g_per_kwh"].get<double>(), 400, 1e-9);
  EXPECT_EQ(j["sources"][0]["kind"], "given");
  const auto text = run_chase({"report", "--runs", ids, "--statement"}, s.env());
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out.rfind("2 runs recorded by chase between", 0), 0u) << text.out;
  EXPECT_NE(text.out.find("(100.0 % measured, 0.0 % estimated)"), std::string::npos) << text.out;
  // A run named twice would count twice.
  const auto twice = run_chase({"report", "--runs", std::to_string(a["run_id"].get<long>()) + "," +
                                                        std::to_string(a["run_id"].get<long>()),
                                "--statement"},
                               s.env());
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("is named twice"), std::string::npos) << twice.err;
  const auto since = run_chase({"report", "--since", "2000-01-01T00:00:00Z", "--statement", "--json"}, s.env());
  ASSERT_EQ(since.exit_code, 0) << since.err;
  EXPECT_EQ(nlohmann::json::parse(since.out)["runs"].size(), 2u);
}

}  // namespace
}  // namespace chase

namespace chase {
namespace {

// From a new user's trial: the store and its outputs under odd but legal inputs.
TEST(RunsCli, OddButLegalInputsAreHandled) {
  Store s;
  // A command argument that is not UTF-8 (any bytes are legal on Linux): measured and recorded.
  const auto odd = s.measure({"sh", "-c", "exit 0", "x\xff"});
  ASSERT_EQ(odd.exit_code, 0) << odd.err;
  const auto id = std::to_string(nlohmann::json::parse(odd.out)["run_id"].get<long>());
  EXPECT_EQ(s.runs({"show", id, "--json"})["command"][3], "x\xef\xbf\xbd");  // U+FFFD in its place
  // --device right before -- leaves the command's own dashes alone.
  const auto dashes = run_chase({"measure", "--no-record", "--nvml-library", "/nonexistent/x.so", "--powercap-root",
                                 "/nonexistent", "--device", "estimated", "--", "sh", "-c", "echo hi"},
                                s.env());
  EXPECT_EQ(dashes.exit_code, 0) << dashes.err;
  EXPECT_EQ(dashes.out.rfind("hi\n", 0), 0u) << dashes.out;
  // --output onto a device writes into it and leaves it a device.
  const auto to_null = run_chase({"runs", "export", id, "--csv", "--output", "/dev/null"}, s.env());
  EXPECT_EQ(to_null.exit_code, 0) << to_null.err;
  EXPECT_TRUE(std::filesystem::is_character_file("/dev/null"));
  const auto to_full = run_chase({"runs", "export", id, "--csv", "--output", "/dev/full"}, s.env());
  EXPECT_EQ(to_full.exit_code, 1);
  EXPECT_NE(to_full.err.find("No space left on device"), std::string::npos) << to_full.err;
  EXPECT_TRUE(std::filesystem::is_character_file("/dev/full"));
}

TEST(RunsCli, ARunStillRunningIsNotDeleted) {
  Store s;
  const auto out = s.dir.path() / "out.json";
  const pid_t chase = test::start_chase({"measure", "--json", "--nvml-library", "/nonexistent/x.so", "--powercap-root",
                                         "/nonexistent", "--", "sleep", "3"},
                                        out.string(), "", s.env());
  for (int i = 0; i < 1000 && recorded_samples(s) < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto id = std::to_string(s.runs({"list", "--json"})["runs"][0]["id"].get<long>());
  const auto refused = run_chase({"runs", "delete", id}, s.env());
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("run " + id + " is still running (chase pid " + std::to_string(chase)), std::string::npos)
      << refused.err;
  int status = 0;
  ASSERT_EQ(waitpid(chase, &status, 0), chase);
  EXPECT_EQ(s.runs({"show", id, "--json"})["status"], "completed");  // its record is whole
  EXPECT_EQ(run_chase({"runs", "delete", id}, s.env()).exit_code, 0);
}

TEST(RunsCli, AFullStdoutIsAnError) {
  Store s;
  const std::string db = s.db;
  const auto r = test::run_process({"sh", "-c", std::string("CHASE_DB=") + db + " " + CHASE_BINARY +
                                                    " presets regions --json > /dev/full"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("chase: error: cannot write standard output"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace chase

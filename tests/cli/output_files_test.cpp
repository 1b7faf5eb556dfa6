// The files commands write (--csv, --runs-csv, --decisions), as real processes: a write that
// fails is one line naming the flag, the file and the OS error of that write, exit 1, and the
// results are printed all the same; an earlier file is not destroyed before there is something
// to replace it with.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using test::run_chase;

const std::string kFixtures = CHASE_FIXTURES_DIR;
const std::string kDiskFull = "No space left on device";  // strerror(ENOSPC): what /dev/full answers a write

std::vector<std::string> cpu_only_measure(std::vector<std::string> tail) {
  std::vector<std::string> args{"measure", "--nvml-library", "/nonexistent/libnvidia-ml.so.1", "--powercap-root",
                                "/nonexistent/powercap", "--proc-root", kFixtures + "/proc/before"};
  args.insert(args.end(), tail.begin(), tail.end());
  return args;
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void expect_one_error_line(const test::ProcessResult& r, const std::string& expected) {
  EXPECT_EQ(r.err.rfind("chase: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
}

// Only the named files are in the folder: no "<name>.<pid>.partial" left behind.
void expect_only(const std::filesystem::path& dir, std::set<std::string> names) {
  std::set<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) found.insert(entry.path().filename().string());
  EXPECT_EQ(found, names);
}

TEST(OutputFiles, MeasureCsvOnAFullDiskIsReportedAfterTheResults) {
  const auto r = run_chase(cpu_only_measure({"--csv", "/dev/full", "--json", "--", "true"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  expect_one_error_line(r, "--csv: cannot write /dev/full: " + kDiskFull);
  // The measurement is printed all the same, and the failed writes are not sampling errors.
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["exit_code"], 0);
  EXPECT_EQ(j["command"], nlohmann::json({"true"}));
  EXPECT_EQ(j["sampler"]["errors"], 0) << r.out;
}

TEST(OutputFiles, MeasureKeepsAnEarlierCsvWhenTheCommandCannotStart) {
  test::TempDir dir;
  const auto keep = dir.write("keep.csv", "earlier,run\n1,2\n");
  for (const char* command : {"/nonexistent/cmd", "/etc/hostname"}) {  // not found (127), not executable (126)
    SCOPED_TRACE(command);
    const auto r = run_chase(cpu_only_measure({"--csv", keep.string(), "--", command}));
    EXPECT_TRUE(r.exit_code == 127 || r.exit_code == 126) << r.exit_code << r.err;
    EXPECT_EQ(read(keep), "earlier,run\n1,2\n");
    expect_only(dir.path(), {"keep.csv"});
  }
  // A command that runs replaces it, keeping its permissions.
  std::filesystem::permissions(keep, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const auto r = run_chase(cpu_only_measure({"--csv", keep.string(), "--", "true"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read(keep).rfind("timestamp,elapsed_s,device,energy_j,avg_power_w,estimated\n", 0), 0u) << read(keep);
  EXPECT_EQ(std::filesystem::status(keep).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  expect_only(dir.path(), {"keep.csv"});
}

TEST(OutputFiles, MeasureCsvThroughASymlinkReplacesTheFileItPointsTo) {
  test::TempDir dir;
  const auto real = dir.write("real.csv", "old\n");
  std::filesystem::create_symlink(real, dir.path() / "link.csv");
  const auto r = run_chase(cpu_only_measure({"--csv", (dir.path() / "link.csv").string(), "--", "true"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::is_symlink(dir.path() / "link.csv"));
  EXPECT_EQ(read(real).rfind("timestamp,", 0), 0u);
}

TEST(OutputFiles, BenchCsvsOnAFullDiskAreBothReportedAfterTheTables) {
  test::TempDir dir;
  const auto keep = dir.write("runs.csv", "earlier\n");
  const auto r = run_chase({"bench", "policies", "--traces", kFixtures + "/sim/diurnal-6d.csv", "--profiles",
                            kFixtures + "/control/noisy-profile.csv", "--every-hours", "48", "--budgets", "0.1",
                            "--policies", "max,zeus", "--csv", "/dev/full", "--runs-csv", "/dev/full"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  expect_one_error_line(r, "--csv: cannot write /dev/full: " + kDiskFull + "; --runs-csv: cannot write /dev/full: " +
                               kDiskFull);
  EXPECT_NE(r.out.find("All profiles: carbon saved and slowdown against max"), std::string::npos) << r.out;
  // A good --runs-csv beside a failing --csv is written.
  const auto both = run_chase({"bench", "policies", "--traces", kFixtures + "/sim/diurnal-6d.csv", "--profiles",
                               kFixtures + "/control/noisy-profile.csv", "--every-hours", "48", "--budgets", "0.1",
                               "--policies", "max,zeus", "--csv", "/dev/full", "--runs-csv", keep.string()});
  EXPECT_EQ(both.exit_code, 1) << both.err;
  expect_one_error_line(both, "--csv: cannot write /dev/full: " + kDiskFull);
  EXPECT_EQ(both.err.find("--runs-csv"), std::string::npos) << both.err;
  EXPECT_EQ(read(keep).rfind("trace,", 0), 0u) << read(keep);
  expect_only(dir.path(), {"runs.csv"});
}

TEST(OutputFiles, BenchCsvInAMissingFolderIsRefusedBeforeTheBenchmark) {
  const auto r = run_chase({"bench", "policies", "--csv", "/nonexistent-dir/summary.csv"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  expect_one_error_line(r, "--csv: '/nonexistent-dir/summary.csv' is not a file chase can write");
}

// On a trace around now with 2-second steps and the fake NVML library with one GPU.
TEST(OutputFiles, RunDecisionsOnAFullDiskAreReportedAfterTheResultsAndControlGoesOn) {
  test::TempDir dir;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::string text = "timestamp,intensity_g_per_kwh\n";
  for (long long t = now - 600; t < now + 3600; t += 2) text += std::to_string(t) + "," + (t % 4 ? "300" : "100") + "\n";
  const auto trace = dir.write("now.csv", text);
  const std::map<std::string, std::string> env{{"CHASE_FAKE_NVML_FIXTURE", kFixtures + "/nvml/two-gpus.json"},
                                               {"CHASE_FAKE_NVML_STATE", (dir.path() / "state.json").string()},
                                               {"CHASE_NVML_LIBRARY", CHASE_FAKE_NVML},
                                               {"CUDA_VISIBLE_DEVICES", "0"}};
  const auto r = run_chase({"run", "--powercap-root", "/nonexistent", "--trace", trace.string(), "--profile",
                            "a40-resnet50", "--work-hours", "1", "--frame-minutes", "0.01", "--forecaster",
                            "persistence", "--decisions", "/dev/full", "--json", "--", "sleep", "1.5"},
                           env);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  expect_one_error_line(r, "--decisions: cannot write /dev/full: " + kDiskFull);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["control_end"], "job-ended");
  EXPECT_TRUE(j["control_error"].is_null());
  EXPECT_GE(j["decisions"].size(), 2u);  // 0.6-second frames over 1.5 seconds
}

}  // namespace
}  // namespace chase

// `chase measure` as a real process: the report, exit codes passed through, 127/126, signals
// forwarded, the CSV time series, and carbon, on this machine's estimated CPU and the fake NVML.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/local_http_server.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/uk_answer.hpp"

extern char** environ;

namespace chase {
namespace {

using test::run_chase;

const std::string kFixtures = CHASE_FIXTURES_DIR;

// No GPU, no RAPL: the estimated CPU device on this machine's real /proc/stat.
std::vector<std::string> cpu_only(std::vector<std::string> tail) {
  std::vector<std::string> args{"measure", "--nvml-library", "/nonexistent/libnvidia-ml.so.1", "--powercap-root",
                                "/nonexistent/powercap"};
  args.insert(args.end(), tail.begin(), tail.end());
  return args;
}

std::map<std::string, std::string> fake_gpus(const std::string& fixture) {
  return {{"CHASE_FAKE_NVML_FIXTURE", kFixtures + "/nvml/" + fixture}, {"CHASE_NVML_LIBRARY", CHASE_FAKE_NVML}};
}

TEST(MeasureCli, SleepOnTheEstimatedCpu) {
  const auto r = run_chase(cpu_only({"--json", "--", "sleep", "0.2"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["exit_code"], 0);
  EXPECT_EQ(j["command"], nlohmann::json({"sleep", "0.2"}));
  EXPECT_GT(j["time_s"].get<double>(), 0);
  EXPECT_GE(j["energy_j"].get<double>(), 0);
  EXPECT_EQ(j["estimated"], true);
  ASSERT_EQ(j["devices"].size(), 1u);
  const auto& cpu = j["devices"][0];
  EXPECT_EQ(cpu["id"], "estimated:cpu");
  EXPECT_EQ(cpu["backend"], "estimated");
  EXPECT_EQ(cpu["estimated"], true);
  EXPECT_DOUBLE_EQ(cpu["energy_j"].get<double>(), j["energy_j"].get<double>());
  EXPECT_NEAR(cpu["avg_power_w"].get<double>(), j["energy_j"].get<double>() / j["time_s"].get<double>(), 1e-9);
  // Utilisation x TDP can never exceed the TDP (150 W by default).
  EXPECT_LE(cpu["avg_power_w"].get<double>(), 150.0 + 1e-9);
  EXPECT_FALSE(j.contains("carbon_g"));
  EXPECT_EQ(j["unavailable"].size(), 2u);

  const auto table = run_chase(cpu_only({"--", "sleep", "0.1"}));
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("estimated:cpu  estimated  estimate "), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("estimated:cpu is estimated, not measured"), std::string::npos) << table.out;
}

TEST(MeasureCli, ExitStatusIsPassedThrough) {
  const auto r = run_chase(cpu_only({"--json", "--", "sh", "-c", "echo from-child; exit 7"}));
  EXPECT_EQ(r.exit_code, 7) << r.err;
  // The child's output comes first on the shared stdout, then the report.
  ASSERT_EQ(r.out.rfind("from-child\n", 0), 0u) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out.substr(11))["exit_code"], 7);
  const auto killed = run_chase(cpu_only({"--", "sh", "-c", "kill -TERM $$"}));
  EXPECT_EQ(killed.exit_code, 128 + SIGTERM) << killed.err;
}

TEST(MeasureCli, CommandThatCannotStartIsNamedWithTheShellsCode) {
  const auto missing = run_chase(cpu_only({"--", "no-such-command-4711", "x"}));
  EXPECT_EQ(missing.exit_code, 127);
  EXPECT_EQ(missing.err, "chase: error: cannot run 'no-such-command-4711': command not found\n");
  EXPECT_TRUE(missing.out.empty()) << missing.out;

  test::TempDir dir;
  const auto script = dir.write("train.sh", "#!/bin/sh\necho hi\n");  // not executable
  const auto denied = run_chase(cpu_only({"--", script.string()}));
  EXPECT_EQ(denied.exit_code, 126);
  EXPECT_EQ(denied.err, "chase: error: cannot run '" + script.string() + "': Permission denied (not executable)\n");
}

TEST(MeasureCli, CarbonAtAFixedIntensityOnFakeGpus) {
  // per_call fixture: each counter read of GPU 1 (at 250 W: 233.33 W drawn) adds 23.333 J, so
  // the window's energy is a whole number of reads whatever the timing.
  const auto r = run_chase({"measure", "--json", "--device", "nvml:1", "--intensity", "400", "--interval-ms", "5",
                            "--powercap-root", "/nonexistent", "--", "sleep", "0.1"},
                           fake_gpus("two-gpus.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["devices"].size(), 1u);
  const auto& gpu = j["devices"][0];
  EXPECT_EQ(gpu["id"], "nvml:1");
  EXPECT_EQ(gpu["backend"], "nvml");
  EXPECT_EQ(gpu["estimated"], false);
  EXPECT_EQ(j["estimated"], false);
  const double per_read_j = (140.0 + 140.0 * 100.0 / 150.0) * 0.1;
  const double reads = gpu["energy_j"].get<double>() / per_read_j;
  EXPECT_GE(reads, 0.999);
  EXPECT_NEAR(reads, std::round(reads), 1e-3 * reads) << gpu["energy_j"];  // mJ truncation
  EXPECT_DOUBLE_EQ(j["intensity_g_per_kwh"].get<double>(), 400);
  EXPECT_EQ(j["intensity_source"], "--intensity");
  EXPECT_NEAR(j["carbon_g"].get<double>(), j["energy_j"].get<double>() / 3.6e6 * 400, 1e-12);
  EXPECT_NEAR(gpu["carbon_g"].get<double>(), j["carbon_g"].get<double>(), 1e-12);
}

TEST(MeasureCli, AGpuWithoutAnEnergyEntryPointIsMeteredByPowerPolls) {
  // The driver's NVML lacks nvmlDeviceGetTotalEnergyConsumption: the GPU must not vanish from
  // the report; it is metered by integrating nvmlDeviceGetPowerUsage and says how.
  std::string no_energy = CHASE_FAKE_NVML;
  no_energy.replace(no_energy.rfind("libchase_fake_nvml.so"), std::string("libchase_fake_nvml.so").size(),
                    "libchase_fake_nvml_no_energy.so");
  auto env = fake_gpus("two-gpus.json");
  env["CHASE_NVML_LIBRARY"] = no_energy;
  const auto r = run_chase({"measure", "--json", "--device", "nvml:1", "--interval-ms", "5", "--powercap-root",
                            "/nonexistent", "--", "sleep", "0.2"},
                           env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["devices"].size(), 1u) << r.out;
  const auto& gpu = j["devices"][0];
  EXPECT_EQ(gpu["id"], "nvml:1");
  EXPECT_EQ(gpu["estimated"], false);
  // The V100 at its 250 W limit draws 140 + 140 x 100 / 150 = 233.3 W in the fixture, constant.
  EXPECT_NEAR(gpu["avg_power_w"].get<double>(), 140.0 + 140.0 * 100.0 / 150.0, 0.5) << r.out;
  EXPECT_GT(gpu["energy_j"].get<double>(), 0);
  for (const auto& e : j["metering"]) {
    if (e["id"] == "nvml:1") {
      EXPECT_EQ(e["metering"], "power-integration");
    }
    if (e["id"] == "nvml:0") {
      EXPECT_EQ(e["reason"], "left out by --device");
    }
  }
}

// A powercap tree with one package zone (RAPL's usual max_energy_range_uj) whose energy_uj
// starts at 100 J and is then rewritten by the measured command itself, every half second; each
// value is written whole (to a temporary file renamed over energy_uj), as the kernel would.
struct RewrittenZone {
  test::TempDir dir;
  std::filesystem::path zone = dir.path() / "intel-rapl:0";

  RewrittenZone() {
    std::filesystem::create_directories(zone);
    dir.write("intel-rapl:0/name", "package-0\n");
    dir.write("intel-rapl:0/max_energy_range_uj", "262143328850\n");
    dir.write("intel-rapl:0/energy_uj", "100000000\n");
  }
  // `chase measure --json` of a shell that writes `values` (µJ) half a second apart.
  test::ProcessResult measure(const std::vector<std::string>& values) const {
    const std::string file = (zone / "energy_uj").string();
    std::string script;
    for (const auto& v : values) {
      script += "sleep 0.5; echo " + v + " > '" + file + ".new' && mv '" + file + ".new' '" + file + "'; ";
    }
    script += "sleep 0.5";
    return run_chase({"measure", "--json", "--nvml-library", "/nonexistent/libnvidia-ml.so.1", "--powercap-root",
                      dir.path().string(), "--", "sh", "-c", script});
  }
};

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(MeasureCli, ARaplCounterResetIsDroppedCountedAndWarnedOnce) {
  // 100 J, 150 J, then 2 J (a reset: as one wrap it would be 262 kJ in half a second), 7 J:
  // 50 J + 5 J, the reset sample an error.
  const RewrittenZone tree;
  const auto r = tree.measure({"150000000", "2000000", "7000000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["devices"].size(), 1u) << r.out;
  EXPECT_EQ(j["devices"][0]["id"], "rapl:package-0");
  EXPECT_NEAR(j["devices"][0]["energy_j"].get<double>(), 55.0, 1e-6) << r.out;
  EXPECT_NEAR(j["energy_j"].get<double>(), 55.0, 1e-6);
  // Every read of the reset value before the counter moved on from it is an error sample.
  EXPECT_GE(j["sampler"]["errors"].get<int>(), 1) << r.out;
  // Warned once, naming the device and what was seen.
  EXPECT_EQ(occurrences(r.err, "chase: warning: "), 1u) << r.err;
  EXPECT_EQ(r.err.rfind("chase: warning: rapl:package-0 (package-0): ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(" dropped as not physically possible, the first: energy_uj went from 150000000 to 2000000 in "),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("the counter was reset 1 time"), std::string::npos) << r.err;
}

TEST(MeasureCli, ARaplReadingAboveItsRangeIsAGlitchNotAWrap) {
  // 100 J, 150 J, 9e15 µJ (above max_energy_range_uj), 160 J: 60 J.
  const RewrittenZone tree;
  const auto r = tree.measure({"150000000", "9000000000000000", "160000000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["energy_j"].get<double>(), 60.0, 1e-6) << r.out;
  EXPECT_GE(j["sampler"]["errors"].get<int>(), 1) << r.out;
  EXPECT_EQ(occurrences(r.err, "chase: warning: "), 1u) << r.err;
  EXPECT_EQ(r.err.rfind("chase: warning: rapl:package-0 (package-0): ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(" dropped as not physically possible, the first: energy_uj read 9000000000000000, outside its "
                       "range 0 to 262143328850\n"),
            std::string::npos)
      << r.err;
}

TEST(MeasureCli, AnInRangeRaplGlitchThatStaysAWhileIsNotAReset) {
  // 100 J, 150 J, 200 kJ for half a second (read several times), 160 J: 60 J.
  const RewrittenZone tree;
  const auto r = tree.measure({"150000000", "200000000000", "160000000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["energy_j"].get<double>(), 60.0, 1e-6) << r.out;
  EXPECT_GE(j["sampler"]["errors"].get<int>(), 1) << r.out;
  EXPECT_EQ(occurrences(r.err, "chase: warning: "), 1u) << r.err;
  EXPECT_EQ(r.err.find("reset"), std::string::npos) << r.err;
}

TEST(MeasureCli, ARaplZoneThatDisappearsKeepsItsEnergyAndTheRunItsReport) {
  // 100 J, 110 J, then the zone is gone: 10 J, a warning naming the device, and the command's 0.
  const RewrittenZone tree;
  const std::string file = (tree.zone / "energy_uj").string();
  const std::string script = "sleep 0.5; echo 110000000 > '" + file + ".new' && mv '" + file + ".new' '" + file +
                             "'; sleep 0.5; rm -rf '" + tree.zone.string() + "'; sleep 1";
  const auto r = run_chase({"measure", "--json", "--nvml-library", "/nonexistent/libnvidia-ml.so.1", "--powercap-root",
                            tree.dir.path().string(), "--", "sh", "-c", script});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["devices"].size(), 1u) << r.out;
  EXPECT_EQ(j["devices"][0]["id"], "rapl:package-0");
  EXPECT_NEAR(j["devices"][0]["energy_j"].get<double>(), 10.0, 1e-6) << r.out;
  EXPECT_NEAR(j["energy_j"].get<double>(), 10.0, 1e-6);
  EXPECT_EQ(j["sampler"]["errors"].get<int>(), 1) << r.out;
  EXPECT_EQ(occurrences(r.err, "chase: warning: "), 1u) << r.err;
  EXPECT_EQ(r.err.rfind("chase: warning: device rapl:package-0 (package-0) stopped answering at ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(": cannot read " + file + ": No such file or directory; its energy after that is not counted\n"),
            std::string::npos)
      << r.err;
}

TEST(MeasureCli, RegionUsesTheBundledAverage) {
  const auto regions = nlohmann::json::parse(run_chase({"presets", "regions", "--json"}).out)["regions"];
  double fr = -1;
  for (const auto& r : regions) {
    if (r["key"] == "fr") fr = r["intensity_g_per_kwh"].get<double>();
  }
  ASSERT_GT(fr, 0);
  const auto r = run_chase(cpu_only({"--json", "--region", "fr", "--", "true"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["intensity_g_per_kwh"].get<double>(), fr, 1e-9);
  EXPECT_EQ(j["intensity_source"], "static:FR");
  EXPECT_EQ(j["intensity_fallback"], false);
  EXPECT_NEAR(j["carbon_g"].get<double>(), j["energy_j"].get<double>() / 3.6e6 * fr, 1e-12);
  const auto table = run_chase(cpu_only({"--region", "fr", "--", "true"}));
  EXPECT_NE(table.out.find("CO2e"), std::string::npos);
  EXPECT_NE(table.out.find("gCO2e/kWh, energy-weighted over 1 step(s) of static:FR"), std::string::npos) << table.out;
}

// A live provider (a local server answering in the UK Carbon Intensity API's format) prices the
// run through the Monitor; when it fails and nothing is cached, the static average stands in and
// the output says so.
TEST(MeasureCli, LiveProviderPricesTheRunAndFallbackIsVisible) {
  test::LocalHttpServer server;
  test::TempDir dir;
  // The recorded answer's value in a half hour around now: a 2024 value is too old to be live.
  server.on("/intensity", {test::Reply{200, test::uk_intensity_answer(test::current_window_s(), 127), {}, 0}});
  const std::string cache = (dir.path() / "cache.sqlite").string();
  const auto r = run_chase(cpu_only({"--json", "--provider", "uk-carbon-intensity", "--base-url", server.base_url(),
                                     "--cache", cache, "--", "true"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["intensity_source"], "uk-carbon-intensity:GB");
  EXPECT_NEAR(j["intensity_g_per_kwh"].get<double>(), 127, 1e-9);
  EXPECT_NEAR(j["carbon_g"].get<double>(), j["energy_j"].get<double>() / 3.6e6 * 127, 1e-9);
  ASSERT_GE(j["intensity_segments"].size(), 1u);
  EXPECT_EQ(j["intensity_segments"][0]["fallback"], false);

  server.on("/intensity", {test::Reply{500, "{}", {}, 0}});
  const auto down = run_chase(cpu_only({"--json", "--provider", "uk-carbon-intensity", "--base-url", server.base_url(),
                                        "--cache", (dir.path() / "empty.sqlite").string(), "--", "true"}));
  ASSERT_EQ(down.exit_code, 0) << down.err;
  const auto k = nlohmann::json::parse(down.out);
  EXPECT_EQ(k["intensity_fallback"], true);
  EXPECT_EQ(k["intensity_segments"][0]["source"], "static:GB");
}

// A provider answering 429 with "Retry-After: 3600": the run is priced by the static average at
// once (no retries, no waits), and the next run on the same cache does not ask again.
TEST(MeasureCli, ARateLimitedProviderIsAskedOnceAcrossRuns) {
  test::LocalHttpServer server;
  test::TempDir dir;
  server.on("/intensity", {test::Reply{429, "{}", {{"Retry-After", "3600"}}, 0}});
  const std::string cache = (dir.path() / "cache.sqlite").string();
  for (int run = 0; run < 2; ++run) {
    const auto r = run_chase(cpu_only({"--json", "--provider", "uk-carbon-intensity", "--base-url", server.base_url(),
                                       "--cache", cache, "--", "true"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["intensity_fallback"], true) << run;
    EXPECT_EQ(j["intensity_segments"][0]["source"], "static:GB") << run;
    EXPECT_NE(r.err.find("chase: warning: live intensity fell back: uk-carbon-intensity: HTTP 429 Too Many Requests from "
                         "/intensity (Retry-After: 3600; not asked again before "),
              std::string::npos)
        << r.err;
  }
  EXPECT_EQ(server.count("/intensity"), 1u);
}

TEST(MeasureCli, PastTraceIsRefused) {
  const auto r = run_chase(cpu_only({"--trace", "gb-2020", "--", "true"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--trace: bundled:traces/gb-2020.csv covers 2019-12-20T00:00:00Z to 2021-01-10T00:00:00Z, not now"),
            std::string::npos)
      << r.err;
}

TEST(MeasureCli, CsvTimeSeries) {
  test::TempDir dir;
  const auto csv = dir.path() / "power.csv";
  const auto r = run_chase({"measure", "--csv", csv.string(), "--interval-ms", "10", "--powercap-root", "/nonexistent",
                            "--", "sleep", "0.1"},
                           fake_gpus("two-gpus.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "timestamp,elapsed_s,device,energy_j,avg_power_w,estimated");
  std::map<std::string, double> last_energy;
  int rows = 0;
  while (std::getline(in, line)) {
    ++rows;
    std::vector<std::string> f;
    std::stringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) f.push_back(cell);
    if (line.back() == ',') f.push_back("");
    ASSERT_EQ(f.size(), 6u) << line;
    const double energy = std::stod(f[3]);
    EXPECT_GE(energy, last_energy[f[2]]) << line;  // cumulative
    last_energy[f[2]] = energy;
    EXPECT_EQ(f[5], f[2] == "estimated:cpu" ? "true" : "false");
  }
  EXPECT_EQ(last_energy.size(), 3u);  // nvml:0, nvml:1, estimated:cpu
  EXPECT_GE(rows, 6);                 // the first and the final sample at least
}

TEST(MeasureCli, BadInput) {
  const auto none = run_chase({"measure"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.err, "chase: error: no command to measure (usage: chase measure [options] -- CMD ARGS...)\n");
  const auto device = run_chase(cpu_only({"--device", "nvml:3", "--", "true"}));
  EXPECT_EQ(device.exit_code, 2);
  EXPECT_EQ(device.err, "chase: error: --device: no device or backend 'nvml:3' here (found: estimated:cpu; see `chase "
                        "devices`)\n");
  const auto both = run_chase(cpu_only({"--region", "fr", "--intensity", "3", "--", "true"}));
  EXPECT_EQ(both.exit_code, 2);
  const auto region = run_chase(cpu_only({"--region", "mars", "--", "true"}));
  EXPECT_EQ(region.exit_code, 2);
  EXPECT_NE(region.err.find("--region: unknown region 'mars'"), std::string::npos);
  const auto interval = run_chase(cpu_only({"--interval-ms", "0", "--", "true"}));
  EXPECT_EQ(interval.exit_code, 2);
  EXPECT_NE(interval.err.find("--interval-ms: 0 must be within [1, 3600000]"), std::string::npos) << interval.err;
  // Nothing at all to meter: the error says, device by device, why.
  const auto nothing = run_chase(cpu_only({"--proc-root", "/nonexistent/proc", "--", "true"}));
  EXPECT_EQ(nothing.exit_code, 1);
  EXPECT_EQ(nothing.err.rfind("chase: error: no device to meter here: nvml: absent: no NVIDIA driver: ", 0), 0u)
      << nothing.err;
  EXPECT_NE(nothing.err.find("; rapl: absent: no powercap tree at /nonexistent/powercap"), std::string::npos);
  EXPECT_NE(nothing.err.find("; estimated:cpu: nothing measures the CPU and its estimate failed: cannot read "
                             "/nonexistent/proc/stat"),
            std::string::npos)
      << nothing.err;
  const auto csv = run_chase(cpu_only({"--csv", "/dev/null/dir/x.csv", "--", "true"}));
  EXPECT_EQ(csv.exit_code, 2);
  EXPECT_NE(csv.err.find("--csv: cannot write /dev/null/dir/x.csv"), std::string::npos);
}

int count_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  int n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

TEST(MeasureCli, SigtermToChaseIsForwardedAndTheMeasurementReported) {
  test::TempDir dir;
  const auto csv = dir.path() / "series.csv";
  const auto out = dir.path() / "report.json";
  const pid_t chase = test::start_chase(cpu_only({"--json", "--csv", csv.string(), "--", "sleep", "120"}), out.string());
  // The first sample is written after chase has blocked the signals, so from then on a
  // SIGTERM is queued for the child even if it is not running yet.
  for (int i = 0; i < 3000 && count_lines(csv) < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_GE(count_lines(csv), 2);
  ASSERT_EQ(kill(chase, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(chase, &status, 0), chase);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);  // the child died of the forwarded SIGTERM
  std::ifstream in(out);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["exit_code"], 128 + SIGTERM);
  EXPECT_EQ(j["signals_forwarded"], nlohmann::json({"SIGTERM"}));
  EXPECT_EQ(j["devices"][0]["id"], "estimated:cpu");
}

// A command that starts workers and exits (a launcher, `&`, nohup, a double-forked daemon that
// left the session): chase, a child subreaper, meters until they have all ended and says how
// many there were; the exit status stays the command's.
TEST(MeasureCli, WorkersTheCommandLeavesRunningAreMeteredUntilTheyEnd) {
  const std::vector<std::string> scripts{"sleep 1 >/dev/null 2>&1 & exit 3",
                                         "nohup sleep 1 >/dev/null 2>&1 & exit 3",
                                         "setsid sh -c 'sleep 1 & exit 0' >/dev/null 2>&1 & exit 3"};
  for (const std::string& script : scripts) {
    const auto r = run_chase(cpu_only({"--json", "--", "sh", "-c", script}));
    EXPECT_EQ(r.exit_code, 3) << script << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["exit_code"], 3);
    EXPECT_GE(j["time_s"].get<double>(), 0.9) << script;  // the worker's second is in the window
    EXPECT_GE(j["descendants_at_exit"].get<int>(), 1) << script;
    EXPECT_EQ(j["descendants_waited"], true);
    EXPECT_LE(j["command_time_s"].get<double>(), j["time_s"].get<double>());
  }
  const auto one = nlohmann::json::parse(run_chase(cpu_only({"--json", "--", "sh", "-c", scripts[0]})).out);
  EXPECT_EQ(one["descendants_at_exit"], 1);  // the forked sleep
  const auto none = nlohmann::json::parse(run_chase(cpu_only({"--json", "--", "true"})).out);
  EXPECT_EQ(none["descendants_at_exit"], 0);

  const auto table = run_chase(cpu_only({"--", "sh", "-c", scripts[0]}));
  EXPECT_NE(table.out.find("left running: 1 process when the command exited after "), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("; metered until they ended"), std::string::npos) << table.out;
}

TEST(MeasureCli, LeaveDescendantsStopsAtTheCommandsExitAndWarns) {
  test::TempDir dir;
  const auto done = dir.path() / "worker-done";
  const auto r = run_chase(cpu_only({"--json", "--leave-descendants", "--", "sh", "-c",
                                     "(sleep 1; touch " + done.string() + ") >/dev/null 2>&1 & exit 0"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GE(j["descendants_at_exit"].get<int>(), 1);
  EXPECT_EQ(j["descendants_waited"], false);
  EXPECT_NE(r.err.find(" running (--leave-descendants): their energy after its exit is not counted"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("chase: warning: the command left "), std::string::npos) << r.err;
}

// Once the command has exited, a SIGTERM sent to chase goes to the worker it left, which chase
// adopted; the exit status is still the command's own.
TEST(MeasureCli, SigtermReachesTheWorkerTheCommandLeft) {
  test::TempDir dir;
  const auto pid_file = dir.path() / "worker.pid";
  const auto out = dir.path() / "report.json";
  const pid_t chase = test::start_chase(
      cpu_only({"--json", "--", "sh", "-c", "sleep 120 >/dev/null 2>&1 & echo $! > " + pid_file.string() + "; exit 0"}),
      out.string());
  // The worker's parent is chase once the shell has exited: then chase waits for it alone.
  auto adopted = [&] {
    std::ifstream pid_in(pid_file);
    long worker = 0;
    if (!(pid_in >> worker)) return false;
    std::ifstream stat("/proc/" + std::to_string(worker) + "/stat");
    std::string text;
    std::getline(stat, text);
    const std::size_t close = text.rfind(')');
    if (close == std::string::npos) return false;
    std::istringstream fields(text.substr(close + 1));
    char state = 0;
    long parent = 0;
    fields >> state >> parent;
    return parent == chase;
  };
  bool seen = false;
  for (int i = 0; i < 3000 && !(seen = adopted()); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(seen);
  ASSERT_EQ(kill(chase, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(chase, &status, 0), chase);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);  // the shell's own status
  std::ifstream in(out);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["signals_forwarded"], nlohmann::json({"SIGTERM"}));
  EXPECT_EQ(j["descendants_at_exit"], 1);
}

// Not one device drops out of a measurement in silence: a MIG instance and a GPU left out by
// --device are listed, in the JSON and in the table, with why.
TEST(MeasureCli, DevicesNotMeteredAreListedWithWhy) {
  const std::string mig = "MIG-GPU-1b6c0a8e-33f5-2e97-77d4-ab5ff0c4e2d1/1/0";
  auto env = fake_gpus("two-gpus.json");
  env["CUDA_VISIBLE_DEVICES"] = "0," + mig;
  const std::vector<std::string> args{"measure", "--device", "estimated", "--powercap-root", "/nonexistent", "--json",
                                      "--", "true"};
  const auto r = run_chase(args, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& e : j["metering"]) by_id[e["id"].get<std::string>()] = e;
  EXPECT_EQ(by_id.at("nvml:0")["metering"], "none");
  EXPECT_EQ(by_id.at("nvml:0")["reason"], "left out by --device");
  EXPECT_EQ(by_id.at("nvml:1")["metering"], "none");
  EXPECT_NE(by_id.at("nvml:1")["reason"].get<std::string>().find("names only its MIG instance"), std::string::npos);
  EXPECT_EQ(by_id.at("cuda:" + mig)["metering"], "none");
  EXPECT_EQ(by_id.at("estimated:cpu")["metering"], "estimate");
  ASSERT_EQ(j["devices"].size(), 1u);  // the window: what was metered

  std::vector<std::string> table_args = args;
  table_args.erase(std::find(table_args.begin(), table_args.end(), "--json"));
  const auto table = run_chase(table_args, env);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("estimated:cpu  estimated  estimate"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("not metered: nvml:0 (NVIDIA A40): left out by --device\n"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("not metered: cuda:" + mig + " (MIG instance): '" + mig + "' is MIG instance 1/0 of GPU 1"),
            std::string::npos)
      << table.out;
}

TEST(MeasureCli, HelpShowsAnExample) {
  const auto r = run_chase({"measure", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("chase measure -- sleep 1"), std::string::npos);
}

}  // namespace
}  // namespace chase

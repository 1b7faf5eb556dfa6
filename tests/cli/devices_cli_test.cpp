// `chase devices` as a real process, against the fake NVML library, fixture powercap trees and
// fixture /proc files.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using test::run_chase;

const std::string kFixtures = CHASE_FIXTURES_DIR;

std::map<std::string, std::string> fake_gpus(const std::string& fixture, const std::string& state = "") {
  std::map<std::string, std::string> env{{"CHASE_FAKE_NVML_FIXTURE", kFixtures + "/nvml/" + fixture},
                                         {"CHASE_NVML_LIBRARY", CHASE_FAKE_NVML}};
  if (!state.empty()) env["CHASE_FAKE_NVML_STATE"] = state;
  return env;
}

const nlohmann::json& find_backend(const nlohmann::json& j, const std::string& name) {
  for (const auto& b : j["backends"]) {
    if (b["backend"] == name) return b;
  }
  throw std::runtime_error("no backend " + name);
}

TEST(DevicesCli, GpusAndRaplFromTheSeams) {
  const auto r = run_chase({"devices", "--json", "--powercap-root", kFixtures + "/rapl/amd-1socket"},
                           fake_gpus("two-gpus.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["devices"].size(), 3u);
  const auto& a40 = j["devices"][0];
  EXPECT_EQ(a40["id"], "nvml:0");
  EXPECT_EQ(a40["name"], "NVIDIA A40");
  EXPECT_EQ(a40["backend"], "nvml");
  EXPECT_EQ(a40["estimated"], false);
  EXPECT_EQ(a40["energy"], "measured");
  EXPECT_EQ(a40["power_limit_w"], 300);
  EXPECT_EQ(a40["power_limit_min_w"], 100);
  EXPECT_EQ(a40["default_power_limit_w"], 300);
  EXPECT_EQ(j["devices"][1]["power_limit_w"], 250);
  EXPECT_EQ(j["devices"][2]["id"], "rapl:package-0");
  EXPECT_EQ(j["devices"][2]["power_limit_w"], nullptr);
  EXPECT_EQ(find_backend(j, "nvml")["state"], "available");
  EXPECT_EQ(find_backend(j, "estimated")["state"], "not-used");
}

TEST(DevicesCli, WithoutHardwareTheEstimateStandsInAndEachBackendSaysWhy) {
  const auto r = run_chase({"devices", "--json", "--nvml-library", "/nonexistent/libnvidia-ml.so.1", "--powercap-root",
                            "/nonexistent/powercap", "--proc-root", kFixtures + "/proc/before"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["devices"].size(), 1u);
  EXPECT_EQ(j["devices"][0]["id"], "estimated:cpu");
  EXPECT_EQ(j["devices"][0]["estimated"], true);
  EXPECT_EQ(j["devices"][0]["energy"], "estimated");
  // The fixture's cpuinfo names a Xeon Gold 6248, so its preset's TDP is used.
  EXPECT_EQ(j["devices"][0]["detail"], "150 W TDP x (16.8 % idle + utilisation x the rest) (xeon-gold-6248 preset, from /proc/cpuinfo)");
  EXPECT_EQ(find_backend(j, "nvml")["state"], "absent");
  EXPECT_EQ(find_backend(j, "nvml")["detail"].get<std::string>().rfind("no NVIDIA driver: cannot load NVML library "
                                                                       "'/nonexistent/libnvidia-ml.so.1'", 0),
            0u);
  EXPECT_EQ(find_backend(j, "rapl")["state"], "absent");

  const auto table = run_chase({"devices", "--nvml-library", "/nonexistent/libnvidia-ml.so.1", "--powercap-root",
                                "/nonexistent/powercap", "--cpu-tdp-w", "95"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("estimated:cpu"), std::string::npos);
  EXPECT_NE(table.out.find("95 W TDP x (16.8 % idle + utilisation x the rest) (--cpu-tdp-w)"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("nvml       absent"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("no powercap tree at /nonexistent/powercap"), std::string::npos);
}

TEST(DevicesCli, NoPermissionIsReported) {
  const auto r = run_chase({"devices", "--json", "--powercap-root", "/nonexistent"}, fake_gpus("init-no-permission.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(find_backend(j, "nvml")["state"], "no-permission");
  EXPECT_NE(find_backend(j, "nvml")["detail"].get<std::string>().find("Insufficient Permissions"), std::string::npos);
}

TEST(DevicesCli, LimitsSetByAnotherProcessAreSeen) {
  // The fake's state file stands for the GPU's own memory of its limit.
  test::TempDir dir;
  const auto state = dir.write("nvml-state.json",
                               R"({"power_limit_mw": {"GPU-1b6c0a8e-33f5-2e97-77d4-ab5ff0c4e2d1": 175000}})");
  const auto r = run_chase({"devices", "--json", "--powercap-root", "/nonexistent"},
                           fake_gpus("two-gpus.json", state.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["devices"][0]["power_limit_w"], 300);
  EXPECT_EQ(j["devices"][1]["power_limit_w"], 175);
  // The first process to initialise wrote the GPUs the file lacked.
  std::ifstream in(state);
  EXPECT_EQ(nlohmann::json::parse(in)["power_limit_mw"]["GPU-8932f937-d72c-4106-c12f-20bd9faed9f6"], 300000);
}

TEST(DevicesCli, CpuPresetFlagIsChecked) {
  const auto gpu = run_chase({"devices", "--cpu-processor", "a100"});
  EXPECT_EQ(gpu.exit_code, 2);
  EXPECT_EQ(gpu.err.rfind("chase: error: --cpu-processor: 'a100' is a gpu preset, not a CPU (CPU presets: ", 0), 0u)
      << gpu.err;
  const auto unknown = run_chase({"devices", "--cpu-processor", "z80"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("--cpu-processor: unknown processor 'z80'"), std::string::npos) << unknown.err;
  const auto both = run_chase({"devices", "--cpu-processor", "epyc-7763", "--cpu-tdp-w", "100"});
  EXPECT_EQ(both.exit_code, 2);
  const auto epyc = run_chase({"devices", "--json", "--cpu-processor", "epyc-7763", "--powercap-root", "/nonexistent",
                               "--nvml-library", "/nonexistent"});
  ASSERT_EQ(epyc.exit_code, 0) << epyc.err;
  EXPECT_EQ(nlohmann::json::parse(epyc.out)["devices"][0]["detail"],
            "280 W TDP x (16.8 % idle + utilisation x the rest) (epyc-7763 preset, --cpu-processor)");
}

TEST(DevicesCli, HelpShowsAnExample) {
  const auto r = run_chase({"devices", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("chase devices --json"), std::string::npos);
}

}  // namespace
}  // namespace chase

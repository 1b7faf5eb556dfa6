// `chase devices` as a real process, against the fake NVML library, fixture powercap trees and
// fixture /proc files.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
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

// The one answer to "is it metered, and how" (key "metering", shared with measure and run).
// A RAPL counter that is a FIFO (a broken or fake powercap tree) fails that backend at once with
// why, and the estimate stands in: discovery never waits on it.
TEST(DevicesCli, ARaplCounterThatIsAFifoFailsTheBackendWithoutBlocking) {
  test::TempDir dir;
  std::filesystem::copy(kFixtures + "/rapl/amd-1socket", dir.path() / "powercap", std::filesystem::copy_options::recursive);
  const auto counter = dir.path() / "powercap" / "intel-rapl:0" / "energy_uj";
  std::filesystem::remove(counter);
  ASSERT_EQ(::mkfifo(counter.c_str(), 0600), 0);
  const auto r = run_chase({"devices", "--json", "--nvml-library", "/nonexistent/libnvidia-ml.so.1", "--powercap-root",
                            (dir.path() / "powercap").string(), "--proc-root", kFixtures + "/proc/before"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(find_backend(j, "rapl")["state"], "failed");
  EXPECT_EQ(find_backend(j, "rapl")["detail"], "cannot read " + counter.string() + ": a FIFO (named pipe), not a sysfs attribute");
  ASSERT_EQ(j["devices"].size(), 1u);
  EXPECT_EQ(j["devices"][0]["id"], "estimated:cpu");
}

const nlohmann::json& entry(const nlohmann::json& j, const std::string& id) {
  for (const auto& e : j["metering"]) {
    if (e["id"] == id) return e;
  }
  throw std::runtime_error("no metering entry " + id + " in " + j["metering"].dump());
}

bool starts_with(const nlohmann::json& text, const std::string& prefix) {
  return text.get<std::string>().rfind(prefix, 0) == 0;
}

// Every GPU discovery finds and every entry of CUDA_VISIBLE_DEVICES is either metered (and
// how) or listed as not metered with why — none drops out in silence.
TEST(DevicesCli, EveryGpuFoundOrNamedIsMeteredOrSaysWhyNot) {
  auto devices_with = [](const std::string& visible) {
    auto env = fake_gpus("two-gpus.json");
    env["CUDA_VISIBLE_DEVICES"] = visible;
    const auto r = run_chase({"devices", "--json", "--powercap-root", "/nonexistent"}, env);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  };
  const auto one = devices_with("1");
  EXPECT_EQ(entry(one, "nvml:1")["metering"], "counter");
  EXPECT_EQ(entry(one, "nvml:1")["reason"], "nvml energy counter");
  EXPECT_EQ(entry(one, "nvml:0")["metering"], "none");
  EXPECT_EQ(entry(one, "nvml:0")["name"], "NVIDIA A40");
  EXPECT_EQ(entry(one, "nvml:0")["reason"], "hidden from the job: not in CUDA_VISIBLE_DEVICES='1'");

  const auto missing = devices_with("7");
  EXPECT_EQ(entry(missing, "cuda:7")["metering"], "none");
  EXPECT_EQ(entry(missing, "cuda:7")["reason"], "CUDA_VISIBLE_DEVICES='7': index 7 is not a GPU (there are 2), so it "
                                                "and every entry after it are ignored, as CUDA does");
  EXPECT_EQ(entry(missing, "nvml:0")["metering"], "none");

  const auto uuid = devices_with("GPU-ffffffff");
  EXPECT_NE(entry(uuid, "cuda:GPU-ffffffff")["reason"].get<std::string>().find("'GPU-ffffffff' matches no GPU UUID"),
            std::string::npos);

  const std::string old_mig = "MIG-GPU-8932f937-d72c-4106-c12f-20bd9faed9f6/1/0";
  const auto mig = devices_with(old_mig);
  EXPECT_EQ(entry(mig, "cuda:" + old_mig)["name"], "MIG instance");
  EXPECT_EQ(entry(mig, "cuda:" + old_mig)["metering"], "none");
  EXPECT_TRUE(starts_with(entry(mig, "cuda:" + old_mig)["reason"],
                          "'" + old_mig + "' is MIG instance 1/0 of GPU 0 (GPU-8932f937-d72c-4106-c12f-20bd9faed9f6): "
                                          "NVML has no energy counter per MIG instance"));
  EXPECT_TRUE(starts_with(entry(mig, "nvml:0")["reason"], "hidden from the job: CUDA_VISIBLE_DEVICES='" + old_mig +
                                                              "' names only its MIG instance"));
  const auto new_mig = devices_with("MIG-4a1b2c3d-0000-5000-8000-00000000000a");
  EXPECT_TRUE(starts_with(entry(new_mig, "cuda:MIG-4a1b2c3d-0000-5000-8000-00000000000a")["reason"],
                          "'MIG-4a1b2c3d-0000-5000-8000-00000000000a' is a MIG instance: NVML has no energy counter"));

  const auto empty = devices_with("");
  EXPECT_EQ(entry(empty, "nvml:1")["reason"], "hidden from the job: CUDA_VISIBLE_DEVICES is empty: no GPU is visible");
  const auto minus_one = devices_with("-1");
  EXPECT_NE(entry(minus_one, "nvml:0")["reason"].get<std::string>().find("'-1' is a negative index"), std::string::npos);
  for (const auto& e : minus_one["metering"]) EXPECT_NE(e["id"], "cuda:-1");

  // The table says the same.
  auto env = fake_gpus("two-gpus.json");
  env["CUDA_VISIBLE_DEVICES"] = old_mig;
  const auto table = run_chase({"devices", "--powercap-root", "/nonexistent"}, env);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("cuda:" + old_mig + "  MIG instance"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("not metered"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("is MIG instance 1/0 of GPU 0"), std::string::npos) << table.out;
}

TEST(DevicesCli, AGpuNvmlFailsOnAndAMissingDriverAreNotMeteredWithWhy) {
  const auto lost = run_chase({"devices", "--json", "--powercap-root", "/nonexistent"}, fake_gpus("second-gpu-lost.json"));
  ASSERT_EQ(lost.exit_code, 0) << lost.err;
  const auto j = nlohmann::json::parse(lost.out);
  EXPECT_EQ(entry(j, "nvml:0")["metering"], "counter");
  EXPECT_EQ(entry(j, "nvml:1")["metering"], "none");
  EXPECT_EQ(entry(j, "nvml:1")["reason"],
            "NVML fails on it: nvmlDeviceGetHandleByIndex_v2 (GPU 1): GPU is lost (NVML_ERROR_GPU_IS_LOST)");

  std::string no_energy = CHASE_FAKE_NVML;
  no_energy.replace(no_energy.rfind("libchase_fake_nvml.so"), std::string("libchase_fake_nvml.so").size(),
                    "libchase_fake_nvml_no_energy.so");
  auto polls_env = fake_gpus("two-gpus.json");
  polls_env["CHASE_NVML_LIBRARY"] = no_energy;
  const auto polls = nlohmann::json::parse(run_chase({"devices", "--json", "--powercap-root", "/nonexistent"}, polls_env).out);
  EXPECT_EQ(entry(polls, "nvml:0")["metering"], "power-integration");

  const std::vector<std::string> no_driver{"devices", "--json", "--nvml-library", "/nonexistent/libnvidia-ml.so.1",
                                           "--powercap-root", "/nonexistent/powercap"};
  const auto absent = nlohmann::json::parse(run_chase(no_driver).out);
  EXPECT_EQ(entry(absent, "nvml")["metering"], "none");
  EXPECT_EQ(entry(absent, "nvml")["name"], "no device found");
  EXPECT_TRUE(starts_with(entry(absent, "nvml")["reason"], "absent: no NVIDIA driver: cannot load NVML library"));
  EXPECT_TRUE(starts_with(entry(absent, "rapl")["reason"], "absent: no powercap tree at /nonexistent/powercap"));
  EXPECT_EQ(entry(absent, "estimated:cpu")["metering"], "estimate");
  // GPUs the job was told to use, with no driver to meter them.
  const auto named = nlohmann::json::parse(run_chase(no_driver, {{"CUDA_VISIBLE_DEVICES", "0,1"}}).out);
  EXPECT_TRUE(starts_with(entry(named, "cuda:0")["reason"], "named by CUDA_VISIBLE_DEVICES, but no NVIDIA driver"));
  EXPECT_TRUE(starts_with(entry(named, "cuda:1")["reason"], "named by CUDA_VISIBLE_DEVICES, but no NVIDIA driver"));
}

TEST(DevicesCli, HelpShowsAnExample) {
  const auto r = run_chase({"devices", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("chase devices --json"), std::string::npos);
}

}  // namespace
}  // namespace chase

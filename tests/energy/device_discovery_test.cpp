// Device discovery over the seams: the fake NVML, fixture powercap trees and fake /proc.

#include "energy/device_discovery.hpp"

#include <gtest/gtest.h>

#include "energy/fake_nvml_env.hpp"

namespace chase {
namespace {

namespace fs = std::filesystem;
using test::FakeNvmlEnv;

DiscoveryOptions seams(const std::string& powercap = "intel-2socket") {
  DiscoveryOptions o;
  o.nvml_library = FakeNvmlEnv::library();
  o.powercap_root = fs::path(CHASE_FIXTURES_DIR) / "rapl" / powercap;
  o.proc_root = fs::path(CHASE_FIXTURES_DIR) / "proc" / "before";
  o.cpu_tdp = Power::watts(150);
  o.cpu_tdp_source = "xeon-gold-6248 preset";
  return o;
}

std::vector<std::string> ids(const DiscoveredDevices& d) {
  std::vector<std::string> out;
  for (const auto& device : d.devices) out.push_back(device->id());
  return out;
}

const BackendReport& backend(const DiscoveredDevices& d, const std::string& name) {
  for (const auto& b : d.backends) {
    if (b.backend == name) return b;
  }
  throw std::runtime_error("no backend " + name);
}

TEST(DeviceDiscovery, GpusAndRaplWhenBothArePresent) {
  FakeNvmlEnv env("two-gpus.json");
  ManualClock clock;
  const DiscoveredDevices d = discover_devices(seams(), clock);
  EXPECT_EQ(ids(d), (std::vector<std::string>{"nvml:0", "nvml:1", "rapl:package-0", "rapl:package-0/dram",
                                              "rapl:package-1", "rapl:package-1/dram"}));
  EXPECT_EQ(backend(d, "nvml").state, BackendState::kAvailable);
  EXPECT_EQ(backend(d, "nvml").detail, "driver 550.54.15, 2 of 2 GPUs");
  EXPECT_EQ(backend(d, "rapl").state, BackendState::kAvailable);
  EXPECT_EQ(backend(d, "estimated").state, BackendState::kNotUsed);
  EXPECT_EQ(backend(d, "estimated").detail, "not needed: RAPL measures the CPU");
  EXPECT_EQ(backend(d, "rapl").notes.size(), 2u);  // core and psys skipped
}

TEST(DeviceDiscovery, NoDriverNoRaplFallsBackToTheEstimate) {
  unsetenv("CHASE_FAKE_NVML_FIXTURE");
  DiscoveryOptions o = seams();
  o.nvml_library = "/nonexistent/libnvidia-ml.so.1";
  o.powercap_root = "/nonexistent/powercap";
  ManualClock clock;
  const DiscoveredDevices d = discover_devices(o, clock);
  EXPECT_EQ(ids(d), (std::vector<std::string>{"estimated:cpu"}));
  EXPECT_TRUE(d.devices[0]->estimated());
  EXPECT_EQ(backend(d, "nvml").state, BackendState::kAbsent);
  EXPECT_EQ(backend(d, "nvml").detail.rfind("no NVIDIA driver: cannot load NVML library", 0), 0u);
  EXPECT_EQ(d.detail_of("nvml"), backend(d, "nvml").detail);
  EXPECT_EQ(d.detail_of("no-such-backend"), "");
  EXPECT_EQ(backend(d, "rapl").state, BackendState::kAbsent);
  EXPECT_EQ(backend(d, "estimated").state, BackendState::kAvailable);
  EXPECT_EQ(backend(d, "estimated").detail, "150 W TDP x (16.8 % idle + utilisation x the rest) (xeon-gold-6248 preset)");
}

TEST(DeviceDiscovery, CudaVisibleDevicesSelectsAndOrdersGpus) {
  FakeNvmlEnv env("eight-gpus.json");
  DiscoveryOptions o = seams("amd-1socket");
  o.cuda_visible_devices = "GPU-5eed0005,3,9,1";
  ManualClock clock;
  const DiscoveredDevices d = discover_devices(o, clock);
  EXPECT_EQ(ids(d), (std::vector<std::string>{"nvml:5", "nvml:3", "rapl:package-0"}));
  const BackendReport& nvml = backend(d, "nvml");
  EXPECT_EQ(nvml.detail, "driver 550.54.15, 2 of 8 GPUs (CUDA_VISIBLE_DEVICES='GPU-5eed0005,3,9,1')");
  ASSERT_EQ(nvml.notes.size(), 1u);
  EXPECT_NE(nvml.notes[0].find("index 9 is not a GPU"), std::string::npos);
}

TEST(DeviceDiscovery, ReportsPermissionProblems) {
  ManualClock clock;
  {
    FakeNvmlEnv env("init-no-permission.json");
    const DiscoveredDevices d = discover_devices(seams(), clock);
    EXPECT_EQ(backend(d, "nvml").state, BackendState::kNoPermission);
  }
  {
    // GPU 1 is there but not ours to open: skipped with a note, GPU 0 still metered.
    FakeNvmlEnv env("no-permission.json");
    const DiscoveredDevices d = discover_devices(seams(), clock);
    EXPECT_EQ(backend(d, "nvml").state, BackendState::kAvailable);
    EXPECT_EQ(ids(d).front(), "nvml:0");
    ASSERT_EQ(backend(d, "nvml").notes.size(), 1u);
    EXPECT_EQ(backend(d, "nvml").notes[0].rfind("GPU 1 skipped, no permission", 0), 0u);
  }
}

TEST(DeviceDiscovery, DriverWithoutGpusAndFailingDriver) {
  ManualClock clock;
  {
    FakeNvmlEnv env("no-gpus.json");
    const DiscoveredDevices d = discover_devices(seams(), clock);
    EXPECT_EQ(backend(d, "nvml").state, BackendState::kAbsent);
    EXPECT_EQ(backend(d, "nvml").detail, "driver 550.54.15, no NVIDIA GPU");
  }
  {
    FakeNvmlEnv env("count-fails.json");
    const DiscoveredDevices d = discover_devices(seams(), clock);
    EXPECT_EQ(backend(d, "nvml").state, BackendState::kFailed);
    EXPECT_NE(backend(d, "nvml").detail.find("nvmlDeviceGetCount_v2"), std::string::npos);
  }
  {
    FakeNvmlEnv env("two-gpus.json");
    DiscoveryOptions o = seams();
    o.nvml_library = FakeNvmlEnv::library_without_energy();
    // No energy entry point is no reason to drop the GPUs: they integrate power polls.
    const DiscoveredDevices d = discover_devices(o, clock);
    EXPECT_EQ(backend(d, "nvml").state, BackendState::kAvailable);
    ASSERT_GE(d.devices.size(), 2u);
    EXPECT_EQ(d.devices[0]->id(), "nvml:0");
    EXPECT_NE(d.devices[0]->detail().find("power polls integrated"), std::string::npos) << d.devices[0]->detail();
  }
}

TEST(DeviceDiscovery, BackendsCanBeTurnedOff) {
  DiscoveryOptions o = seams();
  o.use_nvml = false;
  o.use_rapl = false;
  o.estimate_cpu_without_rapl = false;
  ManualClock clock;
  const DiscoveredDevices d = discover_devices(o, clock);
  EXPECT_TRUE(d.devices.empty());
  for (const auto& b : d.backends) EXPECT_EQ(b.state, BackendState::kNotUsed) << b.backend;
  EXPECT_STREQ(to_string(BackendState::kNoPermission), "no-permission");
}

}  // namespace
}  // namespace chase

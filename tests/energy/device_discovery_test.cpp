// Device discovery over the seams: the fake NVML, fixture powercap trees and fake /proc.

#include "energy/device_discovery.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <functional>

#include "support/temp_dir.hpp"

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

const DeviceEntry* entry(const std::vector<DeviceEntry>& entries, const std::string& id) {
  for (const auto& e : entries) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

TEST(DeviceDiscovery, EveryDeviceIsMeteredHowOrNotMeteredWhy) {
  FakeNvmlEnv env("second-gpu-lost.json");
  DiscoveryOptions o = seams("amd-1socket");
  o.cuda_visible_devices = "1,MIG-GPU-8932f937-d72c-4106-c12f-20bd9faed9f6/2/0";
  ManualClock clock;
  const DiscoveredDevices d = discover_devices(o, clock);
  const std::vector<DeviceEntry> m = d.metering();
  std::vector<std::string> order;
  for (const auto& e : m) order.push_back(e.id);
  EXPECT_EQ(order, (std::vector<std::string>{"nvml:1", "nvml:0", "cuda:MIG-GPU-8932f937-d72c-4106-c12f-20bd9faed9f6/2/0",
                                             "rapl:package-0"}));
  EXPECT_EQ(entry(m, "nvml:1")->metering, Metering::kNone);
  EXPECT_EQ(entry(m, "nvml:1")->reason.rfind("NVML fails on it: nvmlDeviceGetHandleByIndex_v2 (GPU 1)", 0), 0u);
  EXPECT_EQ(entry(m, "nvml:0")->name, "NVIDIA A40");
  EXPECT_NE(entry(m, "nvml:0")->reason.find("names only its MIG instance"), std::string::npos);
  EXPECT_EQ(entry(m, "rapl:package-0")->metering, Metering::kCounter);
  EXPECT_EQ(entry(m, "rapl:package-0")->reason, "rapl energy counter");
  EXPECT_STREQ(to_string(Metering::kPowerIntegration), "power-integration");
  EXPECT_STREQ(to_words(Metering::kNone), "not metered");
  // Left out by the caller (chase measure --device): listed, with the caller's reason.
  const auto some = d.metering({d.devices.back()}, "left out by --device");
  EXPECT_EQ(entry(some, "rapl:package-0")->metering, Metering::kCounter);
}

// Runs `check` as an unprivileged user when we are root (root reads mode-000 files anyway).
int run_unprivileged(const std::function<bool()>& check) {
  if (geteuid() != 0) return check() ? 0 : 1;
  const pid_t pid = fork();
  if (pid == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(3);
    _exit(check() ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

// energy_uj is root-only on kernels patched for CVE-2020-8694: the zone is listed as not
// metered with that reason, and the estimate stands in for the CPU.
TEST(DeviceDiscovery, AnUnreadableRaplZoneIsNotMeteredAndSaysWhy) {
  test::TempDir dir;
  fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
  const fs::path root = dir.path() / "unreadable";
  fs::copy(fs::path(CHASE_FIXTURES_DIR) / "rapl" / "unreadable", root, fs::copy_options::recursive);
  fs::permissions(root / "intel-rapl:0" / "energy_uj", fs::perms::owner_read);
  DiscoveryOptions o = seams();
  o.use_nvml = false;
  o.powercap_root = root;
  const int rc = run_unprivileged([&] {
    ManualClock clock;
    const DiscoveredDevices d = discover_devices(o, clock);
    const auto m = d.metering();
    const DeviceEntry* zone = entry(m, "rapl:package-0");
    const DeviceEntry* cpu = entry(m, "estimated:cpu");
    const std::string why = "needs read permission on " + (root / "intel-rapl:0" / "energy_uj").string();
    const bool ok = zone != nullptr && zone->metering == Metering::kNone && zone->reason.rfind(why, 0) == 0 &&
                    cpu != nullptr && cpu->metering == Metering::kEstimate &&
                    backend(d, "rapl").state == BackendState::kNoPermission;
    if (!ok) {
      for (const auto& e : m) std::fprintf(stderr, "%s: %s\n", e.id.c_str(), e.reason.c_str());
    }
    return ok;
  });
  EXPECT_EQ(rc, 0);
}

// A zone without a name file is not metered under its directory's name; the others are metered.
TEST(DeviceDiscovery, ARaplZoneWithoutANameIsNotMeteredAndTheOthersAre) {
  test::TempDir dir;
  const fs::path root = dir.path() / "powercap";
  fs::copy(fs::path(CHASE_FIXTURES_DIR) / "rapl" / "intel-2socket", root, fs::copy_options::recursive);
  fs::remove(root / "intel-rapl:1" / "name");
  DiscoveryOptions o = seams();
  o.use_nvml = false;
  o.powercap_root = root;
  ManualClock clock;
  const DiscoveredDevices d = discover_devices(o, clock);
  EXPECT_EQ(ids(d), (std::vector<std::string>{"rapl:package-0", "rapl:package-0/dram"}));
  EXPECT_EQ(backend(d, "rapl").state, BackendState::kAvailable);
  const auto m = d.metering();
  const DeviceEntry* zone = entry(m, "rapl:intel-rapl:1");
  ASSERT_NE(zone, nullptr);
  EXPECT_EQ(zone->metering, Metering::kNone);
  EXPECT_EQ(zone->name, "intel-rapl:1");
  EXPECT_EQ(zone->reason.rfind("its name file cannot be read (cannot read " + (root / "intel-rapl:1" / "name").string(),
                               0),
            0u)
      << zone->reason;
  EXPECT_EQ(entry(m, "rapl:package-0")->metering, Metering::kCounter);
  EXPECT_EQ(entry(m, "estimated:cpu"), nullptr);
  // No zone named at all: the backend is absent, each zone listed, and the CPU estimated.
  for (const char* z : {"intel-rapl:0", "intel-rapl:2"}) fs::remove(root / z / "name");
  const DiscoveredDevices none = discover_devices(o, clock);
  EXPECT_EQ(backend(none, "rapl").state, BackendState::kAbsent);
  EXPECT_EQ(backend(none, "rapl").detail, "no RAPL zone with a readable name under " + root.string());
  const auto n = none.metering();
  EXPECT_NE(entry(n, "rapl:intel-rapl:0"), nullptr);
  EXPECT_NE(entry(n, "rapl:intel-rapl:2"), nullptr);
  EXPECT_EQ(entry(n, "estimated:cpu")->metering, Metering::kEstimate);
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

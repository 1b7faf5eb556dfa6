// The NVML backend through the fake libnvidia-ml.so, loaded by path with dlopen: enumeration,
// energy, power, limits, and every error path (library missing, symbol missing, failing calls).

#include "energy/nvml_device.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <vector>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "energy/fake_nvml_env.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using test::FakeNvmlEnv;

std::shared_ptr<const NvmlLibrary> load() { return std::make_shared<const NvmlLibrary>(FakeNvmlEnv::library()); }

template <class Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

TEST(NvmlDevice, EnumeratesTheFixturesGpus) {
  FakeNvmlEnv env("two-gpus.json");
  ManualClock clock;
  const auto lib = load();
  EXPECT_EQ(lib->device_count(), 2u);
  EXPECT_EQ(lib->driver_version(), "550.54.15");
  NvmlDevice a40(lib, 0, clock);
  NvmlDevice v100(lib, 1, clock);
  EXPECT_EQ(a40.id(), "nvml:0");
  EXPECT_EQ(a40.name(), "NVIDIA A40");
  EXPECT_EQ(a40.uuid(), "GPU-8932f937-d72c-4106-c12f-20bd9faed9f6");
  EXPECT_EQ(a40.backend(), "nvml");
  EXPECT_FALSE(a40.estimated());
  EXPECT_TRUE(a40.has_energy_counter());
  EXPECT_EQ(v100.id(), "nvml:1");
  EXPECT_EQ(v100.name(), "Tesla V100-SXM2-32GB");
  EXPECT_THROW(NvmlDevice(lib, 2, clock), HardwareError);
}

TEST(NvmlDevice, EnergyCounterInMillijoulesAndPowerInMilliwatts) {
  // per_call fixture: every counter read advances 0.1 s at the power drawn at the current limit.
  FakeNvmlEnv env("two-gpus.json");
  ManualClock clock;
  // Energy counts from the constructor's probe, read 1 (5,000,000 mJ + 240 W x 0.1 s).
  NvmlDevice a40(load(), 0, clock);
  EXPECT_DOUBLE_EQ(a40.energy().joules(), 24.0);  // + 240 W x 0.1 s
  EXPECT_DOUBLE_EQ(a40.energy().joules(), 2 * 24.0);
  EXPECT_DOUBLE_EQ(a40.power()->watts(), 240.0);
  a40.set_power_limit(Power::watts(200));
  EXPECT_DOUBLE_EQ(a40.power()->watts(), 180.0);
  EXPECT_DOUBLE_EQ(a40.energy().joules(), 2 * 24.0 + 18.0);
  a40.set_power_limit(Power::watts(150));  // halfway between the 100 W and 200 W points
  EXPECT_DOUBLE_EQ(a40.power()->watts(), 139.75);
  a40.set_power_limit(a40.default_power_limit());
}

TEST(NvmlDevice, ACounterRestartIsDroppedAndCountingGoesOnFromTheNewValue) {
  // The A40's counter reads 100 J, 150 J, then 2 J (the driver reloaded: NVML's 64-bit counter
  // never wraps), then 7 J, half a second apart: 50 J + 5 J.
  FakeNvmlEnv env("scripted-readings.json");
  ManualClock clock;
  NvmlDevice a40(load(), 0, clock);
  EXPECT_DOUBLE_EQ(a40.power_ceiling().power.watts(), 600.0);  // 2 x its 300 W maximum limit
  EXPECT_EQ(a40.power_ceiling().source, "2 x the GPU's maximum power limit of 300 W");
  std::vector<double> joules;
  for (int i = 0; i < 3; ++i) {
    clock.advance(Duration::milliseconds(500));
    joules.push_back(a40.energy().joules());
  }
  EXPECT_EQ(joules, (std::vector<double>{50, 50, 55}));
  const ImplausibleReadings dropped = a40.implausible_readings();
  EXPECT_EQ(dropped.count, 1u);
  EXPECT_EQ(dropped.resets, 1u);
  EXPECT_EQ(dropped.first,
            "nvmlDeviceGetTotalEnergyConsumption went from 150000 to 2000 in 0.500 s: it never wraps, so it was reset "
            "(a driver reload) or misread");
}

TEST(NvmlDevice, CounterGlitchesAreDroppedAndTheBaselineKept) {
  // The V100 reads 150 J, 9e15 mJ, 160 J, 100 kJ, 170 J: two glitches, 20 J.
  FakeNvmlEnv env("scripted-readings.json");
  ManualClock clock;
  NvmlDevice v100(load(), 1, clock);
  std::vector<double> joules;
  for (int i = 0; i < 4; ++i) {
    clock.advance(Duration::milliseconds(500));
    joules.push_back(v100.energy().joules());
  }
  EXPECT_EQ(joules, (std::vector<double>{0, 10, 10, 20}));
  EXPECT_EQ(v100.implausible_readings().count, 2u);
  EXPECT_EQ(v100.implausible_readings().resets, 0u);
}

TEST(NvmlDevice, APowerPollAboveTheCeilingIsNoPower) {
  // With an energy counter, power polls feed nothing, but a garbage one is not passed on.
  FakeNvmlEnv env("scripted-readings.json");
  ManualClock clock;
  NvmlDevice a40(load(), 0, clock);
  EXPECT_EQ(a40.power(), Power::watts(240));
  EXPECT_EQ(a40.power(), std::nullopt);  // 4294967.295 W
  EXPECT_EQ(a40.power(), Power::watts(240));
}

TEST(NvmlDevice, APowerPollAboveTheCeilingIsNotIntegrated) {
  // Without the energy entry point the A40 integrates polls: 240 W, 4294967.295 W (all bits
  // set: garbage), 240 W, 180 W, 10 s then 10 s then 5 s apart.
  FakeNvmlEnv env("scripted-readings.json");
  ManualClock clock;
  NvmlDevice a40(std::make_shared<const NvmlLibrary>(FakeNvmlEnv::library_without_energy()), 0, clock);
  clock.advance(Duration::seconds(10));
  EXPECT_DOUBLE_EQ(a40.energy().joules(), 0.0);
  clock.advance(Duration::seconds(10));
  EXPECT_DOUBLE_EQ(a40.energy().joules(), 240.0 * 20);  // the gap is bridged from 240 W to 240 W
  clock.advance(Duration::seconds(5));
  EXPECT_DOUBLE_EQ(a40.energy().joules(), 4800.0 + (240.0 + 180.0) / 2 * 5);
  EXPECT_EQ(a40.implausible_readings().count, 1u);
  EXPECT_EQ(a40.implausible_readings().first,
            "nvmlDeviceGetPowerUsage read 4294967.295 W, not a power between 0 and the 600 W ceiling (2 x the GPU's "
            "maximum power limit of 300 W)");
}

TEST(NvmlDevice, PowerLimitsReadSetAndRangeChecked) {
  FakeNvmlEnv env("two-gpus.json");
  ManualClock clock;
  NvmlDevice v100(load(), 1, clock);
  ASSERT_TRUE(v100.supports_power_limit());
  EXPECT_DOUBLE_EQ(v100.power_limit_range().min.watts(), 150);
  EXPECT_DOUBLE_EQ(v100.power_limit_range().max.watts(), 300);
  EXPECT_DOUBLE_EQ(v100.default_power_limit().watts(), 300);
  EXPECT_DOUBLE_EQ(v100.power_limit().watts(), 250);
  v100.set_power_limit(Power::watts(175.5));
  EXPECT_DOUBLE_EQ(v100.power_limit().watts(), 175.5);
  EXPECT_EQ(error_of([&] { v100.set_power_limit(Power::watts(320)); }),
            "nvml:1 (Tesla V100-SXM2-32GB): power limit 320 W is outside the supported range 150 to 300 W");
  EXPECT_THROW(v100.set_power_limit(Power::watts(100)), InputError);
  EXPECT_DOUBLE_EQ(v100.power_limit().watts(), 175.5);
}

TEST(NvmlDevice, WithoutEnergyCounterIntegratesPowerPollsOnTheClock) {
  FakeNvmlEnv env("no-energy-counter.json");
  ManualClock clock;
  NvmlDevice gpu(load(), 0, clock);
  EXPECT_FALSE(gpu.has_energy_counter());
  EXPECT_NE(gpu.detail().find("power polls integrated"), std::string::npos);
  EXPECT_DOUBLE_EQ(gpu.energy().joules(), 0.0);
  clock.advance(Duration::seconds(10));
  EXPECT_DOUBLE_EQ(gpu.energy().joules(), 240.0 * 10);
  gpu.set_power_limit(Power::watts(200));
  clock.advance(Duration::seconds(5));
  // Trapezoid between the poll at 240 W (before the change) and the one at 180 W.
  EXPECT_DOUBLE_EQ(gpu.energy().joules(), 2400.0 + (240.0 + 180.0) / 2 * 5);
  clock.advance(Duration::seconds(5));
  EXPECT_DOUBLE_EQ(gpu.power()->watts(), 180.0);  // a power poll also feeds the integral
  EXPECT_DOUBLE_EQ(gpu.energy().joules(), 2400.0 + 1050.0 + 180.0 * 5);
}

TEST(NvmlDevice, SettingWithoutPrivilegeIsAClearPermissionError) {
  FakeNvmlEnv env("no-permission.json");
  ManualClock clock;
  NvmlDevice gpu(load(), 0, clock);
  try {
    gpu.set_power_limit(Power::watts(200));
    FAIL() << "set_power_limit succeeded";
  } catch (const PermissionError& e) {
    EXPECT_STREQ(e.what(),
                 "nvml:0 (NVIDIA A40): setting the power limit to 200 W needs root "
                 "(nvmlDeviceSetPowerManagementLimit: Insufficient Permissions (NVML_ERROR_NO_PERMISSION)); run as "
                 "root, or once as root `nvidia-smi -i 0 -pl 200` (with `nvidia-smi -pm 1` so the driver stays loaded "
                 "and keeps it)");
  }
  EXPECT_DOUBLE_EQ(gpu.power_limit().watts(), 300);
  // GPU 1 exists but this process may not open it (as with cgroup device limits).
  const auto lib = load();
  EXPECT_THROW(NvmlDevice(lib, 1, clock), PermissionError);
}

TEST(NvmlDevice, FailingCallsNameTheCallTheDeviceAndTheCode) {
  ManualClock clock;
  {
    FakeNvmlEnv env("gpu-lost.json");
    NvmlDevice gpu(load(), 0, clock);
    EXPECT_EQ(error_of([&] { gpu.power(); }),
              "nvmlDeviceGetPowerUsage (nvml:0 (NVIDIA A40)): GPU is lost (NVML_ERROR_GPU_IS_LOST)");
  }
  {
    FakeNvmlEnv env("energy-read-fails.json");
    EXPECT_EQ(error_of([&] { NvmlDevice(load(), 0, clock); }),
              "nvmlDeviceGetTotalEnergyConsumption (nvml:0 (NVIDIA A40)): GPU is lost (NVML_ERROR_GPU_IS_LOST)");
  }
  {
    FakeNvmlEnv env("count-fails.json");
    const auto lib = load();
    EXPECT_EQ(error_of([&] { lib->device_count(); }),
              "nvmlDeviceGetCount_v2 (" + FakeNvmlEnv::library() + "): Unknown Error (NVML_ERROR_UNKNOWN)");
  }
  {
    FakeNvmlEnv env("no-power-limit.json");
    NvmlDevice gpu(load(), 0, clock);
    EXPECT_FALSE(gpu.supports_power_limit());
    EXPECT_THROW(gpu.power_limit(), HardwareError);
    EXPECT_NE(error_of([&] { gpu.set_power_limit(Power::watts(200)); }).find("no settable power limit"),
              std::string::npos);
    EXPECT_GT(gpu.energy().joules(), 0);  // metering still works
  }
}

TEST(NvmlLibrary, MissingLibraryIsAbsentAndNamesThePath) {
  try {
    NvmlLibrary lib("/nonexistent/libnvidia-ml.so.1");
    FAIL();
  } catch (const NvmlAbsentError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("cannot load NVML library '/nonexistent/libnvidia-ml.so.1': ", 0), 0u) << what;
    EXPECT_NE(what.find("--nvml-library or CHASE_NVML_LIBRARY"), std::string::npos) << what;
  }
}

TEST(NvmlLibrary, WithoutTheEnergyEntryPointTheGpuIntegratesPowerPolls) {
  // An older driver's NVML has no nvmlDeviceGetTotalEnergyConsumption: the GPU is still metered,
  // by integrating power polls, and says so.
  FakeNvmlEnv env("two-gpus.json");
  ManualClock clock;
  NvmlDevice gpu(std::make_shared<const NvmlLibrary>(FakeNvmlEnv::library_without_energy()), 0, clock);
  EXPECT_FALSE(gpu.has_energy_counter());
  EXPECT_NE(gpu.detail().find("no energy counter (the NVML library has no nvmlDeviceGetTotalEnergyConsumption): "
                              "power polls integrated"),
            std::string::npos)
      << gpu.detail();
  clock.advance(Duration::seconds(10));
  EXPECT_DOUBLE_EQ(gpu.energy().joules(), 240.0 * 10);  // the A40 at 300 W draws 240 W in the fixture
}

TEST(NvmlLibrary, InitFailuresAreClassified) {
  {
    unsetenv("CHASE_FAKE_NVML_FIXTURE");  // the fake's "no driver"
    EXPECT_THROW(NvmlLibrary lib(FakeNvmlEnv::library()), NvmlAbsentError);
  }
  {
    FakeNvmlEnv env("driver-not-loaded.json");
    EXPECT_EQ(error_of([] { NvmlLibrary lib(FakeNvmlEnv::library()); }),
              "nvmlInit_v2 (" + FakeNvmlEnv::library() +
                  "): Driver Not Loaded (NVML_ERROR_DRIVER_NOT_LOADED): no NVIDIA driver is loaded");
  }
  {
    FakeNvmlEnv env("init-no-permission.json");
    EXPECT_THROW(NvmlLibrary lib(FakeNvmlEnv::library()), PermissionError);
  }
  {
    FakeNvmlEnv env("missing-uuid.json");
    EXPECT_EQ(error_of([] { NvmlLibrary lib(FakeNvmlEnv::library()); }),
              "nvmlInit_v2 (" + FakeNvmlEnv::library() + "): Unknown Error (NVML_ERROR_UNKNOWN)");
  }
}

TEST(NvmlLibrary, TwoLoadsShareOneInitialisation) {
  FakeNvmlEnv env("two-gpus.json");
  ManualClock clock;
  const auto first = load();
  NvmlDevice gpu(first, 1, clock);
  gpu.set_power_limit(Power::watts(200));
  {
    const auto second = load();  // nvmlInit_v2 again: counted, state kept
    EXPECT_DOUBLE_EQ(NvmlDevice(second, 1, clock).power_limit().watts(), 200);
  }
  EXPECT_DOUBLE_EQ(gpu.power_limit().watts(), 200);  // still initialised after the second shutdown
}

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

TEST(FakeNvmlState, LimitsPersistInTheStateFile) {
  test::TempDir dir;
  const auto state = dir.path() / "nvml-state.json";
  ManualClock clock;
  {
    FakeNvmlEnv env("two-gpus.json", state.string());
    NvmlDevice gpu(load(), 1, clock);
    const auto created = read_json(state);
    EXPECT_EQ(created["power_limit_mw"]["GPU-1b6c0a8e-33f5-2e97-77d4-ab5ff0c4e2d1"], 250000);
    EXPECT_EQ(created["power_limit_mw"]["GPU-8932f937-d72c-4106-c12f-20bd9faed9f6"], 300000);
    gpu.set_power_limit(Power::watts(200));
    gpu.set_power_limit(Power::watts(275));
  }
  const auto after = read_json(state);
  EXPECT_EQ(after["power_limit_mw"]["GPU-1b6c0a8e-33f5-2e97-77d4-ab5ff0c4e2d1"], 275000);
  EXPECT_EQ(after["set_history_mw"]["GPU-1b6c0a8e-33f5-2e97-77d4-ab5ff0c4e2d1"], nlohmann::json({200000, 275000}));
  {
    // A fresh initialisation (as in another process) starts from the state file, not the fixture.
    FakeNvmlEnv env("two-gpus.json", state.string());
    EXPECT_DOUBLE_EQ(NvmlDevice(load(), 1, clock).power_limit().watts(), 275);
  }
  {
    // An edit by someone else (another process) is seen without re-initialising.
    FakeNvmlEnv env("two-gpus.json", state.string());
    NvmlDevice gpu(load(), 1, clock);
    auto edited = read_json(state);
    edited["power_limit_mw"]["GPU-1b6c0a8e-33f5-2e97-77d4-ab5ff0c4e2d1"] = 160000;
    const auto tmp = dir.path() / "edit.json";
    std::ofstream(tmp) << edited.dump();
    std::filesystem::rename(tmp, state);
    EXPECT_DOUBLE_EQ(gpu.power_limit().watts(), 160);
  }
}

}  // namespace
}  // namespace chase

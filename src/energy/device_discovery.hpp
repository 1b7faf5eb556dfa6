#pragma once
// Builds the list of devices to meter from the hardware seams — NVML GPUs (honouring
// CUDA_VISIBLE_DEVICES), RAPL package/DRAM zones, else an estimated CPU — and says for each
// backend what it found or why it found nothing (no driver, no permission, no powercap tree),
// and for each device it found or was asked for but cannot meter, why (DeviceEntry).

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/environment.hpp"
#include "energy/device_metering.hpp"
#include "energy/nvml_library.hpp"
#include "energy/power_device.hpp"

namespace chase {

struct DiscoveryOptions {
  bool use_nvml = true;
  std::string nvml_library = NvmlLibrary::kDefaultPath;
  std::optional<std::string> cuda_visible_devices;  // the variable's value; nullopt when unset
  bool use_rapl = true;
  std::filesystem::path powercap_root = "/sys/class/powercap";
  // The estimated CPU device stands in only when RAPL gives no CPU package counter.
  bool estimate_cpu_without_rapl = true;
  std::filesystem::path proc_root = "/proc";
  Power cpu_tdp = Power::watts(150);
  std::string cpu_tdp_source = "default";
};

// The options as every program that meters sets them from its environment: the NVML library
// `nvml_library` when given, else $CHASE_NVML_LIBRARY when set and not empty, else the default;
// CUDA_VISIBLE_DEVICES as it is set (an empty value hides every GPU, as it does from CUDA).
DiscoveryOptions discovery_options(const std::optional<std::string>& nvml_library,
                                   const EnvironmentLookup& environment = process_environment());

enum class BackendState {
  kAvailable,     // devices found
  kAbsent,        // nothing there: no driver, no library, no powercap tree, no GPU
  kNoPermission,  // there, but this process may not read it
  kFailed,        // there, but it misbehaved
  kNotUsed,       // not needed (the estimate when RAPL measures the CPU) or turned off
};
const char* to_string(BackendState state);  // "available", "absent", "no-permission", ...

struct BackendReport {
  std::string backend;  // "nvml", "rapl", "estimated"
  BackendState state = BackendState::kAbsent;
  std::string detail;   // what was found, or why nothing was
  std::vector<std::string> notes;  // e.g. GPUs hidden by CUDA_VISIBLE_DEVICES, zones skipped
  // Devices it found, or that CUDA_VISIBLE_DEVICES named, and cannot meter (metering kNone),
  // each with why: a hidden GPU, a MIG instance, a GPU whose queries fail, an unreadable zone.
  std::vector<DeviceEntry> not_metered;
};

struct DiscoveredDevices {
  std::vector<std::shared_ptr<PowerDevice>> devices;
  std::vector<BackendReport> backends;

  // The detail of `backend`'s report (what it found, or why nothing); empty when not reported.
  std::string detail_of(std::string_view backend) const;

  // Every device, metered or not, backend by backend in discovery order: the devices found
  // (metered when in `metered`, else not metered for `left_out`, e.g. "left out by --device"),
  // then those the backend named but cannot meter; a backend that found and named nothing
  // (absent, no permission, failed) is one entry of its own, id = its name, with its detail.
  // Not-used backends (turned off, or the estimate where RAPL measures) add nothing.
  std::vector<DeviceEntry> metering(const std::vector<std::shared_ptr<PowerDevice>>& metered,
                                    const std::string& left_out = "left out") const;
  // Every device found metered.
  std::vector<DeviceEntry> metering() const { return metering(devices); }
};

// Never throws for a missing or failing backend (that is reported); `clock` must outlive the
// devices.
DiscoveredDevices discover_devices(const DiscoveryOptions& options, Clock& clock);

}  // namespace chase

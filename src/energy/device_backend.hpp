#pragma once
// A device backend: a way of finding devices to meter (NVML GPUs, RAPL zones, an estimated
// CPU). Each registers an entry — name, one line on what it meters, whether it measures the
// CPU, and its discover function — in device_discovery.cpp, one line each; discovery runs them
// in that order. A discover function never throws for a missing or failing backend: it says
// what it found, or why nothing, in its BackendReport.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"
#include "energy/device_discovery.hpp"
#include "energy/power_device.hpp"

namespace chase {

struct DiscoveryContext {
  const DiscoveryOptions& options;
  Clock& clock;          // the devices' clock; outlives them
  bool cpu_measured;     // an earlier backend already measures the CPU packages
};

struct DeviceBackendEntry {
  std::string name;
  std::string description;
  bool measures_cpu = false;  // its devices measure the CPU packages (an estimate is then not needed)
  // Appends the devices it found to `out`.
  std::function<BackendReport(const DiscoveryContext&, std::vector<std::shared_ptr<PowerDevice>>& out)> discover;
};

// `report` for a backend that failed with `e`: no permission, or failed.
BackendReport failed(BackendReport report, const Error& e);

// The registry of device backends, in discovery order.
Registry<DeviceBackendEntry>& device_backend_registry();

// The built-in backends (nvml_backend.cpp, rapl_backend.cpp, estimated_backend.cpp).
DeviceBackendEntry nvml_backend_entry();
DeviceBackendEntry rapl_backend_entry();
DeviceBackendEntry estimated_backend_entry();

}  // namespace chase

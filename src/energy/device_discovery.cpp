#include "energy/device_discovery.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "energy/device_backend.hpp"

namespace chase {

DiscoveryOptions discovery_options(const std::optional<std::string>& nvml_library, const EnvironmentLookup& environment) {
  DiscoveryOptions o;
  if (nvml_library) {
    o.nvml_library = *nvml_library;
  } else if (const auto env = environment("CHASE_NVML_LIBRARY"); env && !env->empty()) {
    o.nvml_library = *env;
  }
  o.cuda_visible_devices = environment("CUDA_VISIBLE_DEVICES");
  return o;
}

Registry<DeviceBackendEntry>& device_backend_registry() {
  static Registry<DeviceBackendEntry> registry("device backend", {nvml_backend_entry(),  //
                                                                  rapl_backend_entry(),
                                                                  estimated_backend_entry()});
  return registry;
}

BackendReport failed(BackendReport report, const Error& e) {
  report.state = dynamic_cast<const PermissionError*>(&e) ? BackendState::kNoPermission : BackendState::kFailed;
  report.detail = e.what();
  return report;
}

const char* to_string(BackendState state) {
  switch (state) {
    case BackendState::kAvailable: return "available";
    case BackendState::kAbsent: return "absent";
    case BackendState::kNoPermission: return "no-permission";
    case BackendState::kFailed: return "failed";
    case BackendState::kNotUsed: return "not-used";
  }
  return "unknown";
}

std::string DiscoveredDevices::detail_of(std::string_view backend) const {
  for (const BackendReport& b : backends) {
    if (b.backend == backend) return b.detail;
  }
  return {};
}

std::vector<DeviceEntry> DiscoveredDevices::metering(const std::vector<std::shared_ptr<PowerDevice>>& metered,
                                                     const std::string& left_out) const {
  std::vector<DeviceEntry> out;
  for (const BackendReport& b : backends) {
    const std::size_t before = out.size();
    for (const auto& d : devices) {
      if (d->backend() != b.backend) continue;
      const bool used = std::find(metered.begin(), metered.end(), d) != metered.end();
      out.push_back(used ? metered_entry(*d) : unmetered_entry(*d, left_out));
    }
    out.insert(out.end(), b.not_metered.begin(), b.not_metered.end());
    if (out.size() == before && b.state != BackendState::kAvailable && b.state != BackendState::kNotUsed) {
      out.push_back({b.backend, "no device found", b.backend, Metering::kNone,
                     fmt::format("{}: {}", to_string(b.state), b.detail), {}});
    }
  }
  return out;
}

DiscoveredDevices discover_devices(const DiscoveryOptions& options, Clock& clock) {
  DiscoveredDevices d;
  bool cpu_measured = false;
  for (const DeviceBackendEntry& backend : device_backend_registry().entries()) {
    d.backends.push_back(backend.discover({options, clock, cpu_measured}, d.devices));
    if (backend.measures_cpu && d.backends.back().state == BackendState::kAvailable) cpu_measured = true;
  }
  return d;
}

}  // namespace chase

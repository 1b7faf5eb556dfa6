#include "energy/device_discovery.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "energy/cuda_visible_devices.hpp"
#include "energy/estimated_cpu_device.hpp"
#include "energy/nvml_device.hpp"
#include "energy/rapl_device.hpp"

namespace chase {
namespace {

// A backend that is there but cannot be used: this process may not read it, or it misbehaved.
BackendReport unusable(BackendReport report, const Error& e) {
  report.state = dynamic_cast<const PermissionError*>(&e) != nullptr ? BackendState::kNoPermission : BackendState::kFailed;
  report.detail = e.what();
  return report;
}

BackendReport discover_nvml(const DiscoveryOptions& o, Clock& clock, std::vector<std::shared_ptr<PowerDevice>>& out) {
  BackendReport report{"nvml", BackendState::kAbsent, {}, {}};
  if (!o.use_nvml) {
    report.state = BackendState::kNotUsed;
    report.detail = "turned off";
    return report;
  }
  std::shared_ptr<const NvmlLibrary> library;
  try {
    library = std::make_shared<const NvmlLibrary>(o.nvml_library);
  } catch (const NvmlAbsentError& e) {
    report.detail = fmt::format("no NVIDIA driver: {}", e.what());
    return report;
  } catch (const Error& e) {
    return unusable(report, e);
  }
  try {
    const unsigned count = library->device_count();
    std::vector<GpuIdentity> gpus;
    for (unsigned i = 0; i < count; ++i) {
      try {
        const nvml::Device handle = library->device_handle(i);
        char uuid[nvml::kDeviceUuidBufferSize] = {};
        library->check(library->api().device_get_uuid(handle, uuid, sizeof uuid), nvml::kDeviceGetUuidSymbol,
                       fmt::format("GPU {}", i));
        gpus.push_back({i, uuid});
      } catch (const PermissionError& e) {
        report.notes.push_back(fmt::format("GPU {} skipped, no permission (not given to this container?): {}", i, e.what()));
      }
    }
    const VisibleGpus visible = select_visible_gpus(o.cuda_visible_devices, gpus);
    if (!visible.note.empty()) report.notes.push_back(visible.note);
    for (unsigned index : visible.indices) {
      try {
        out.push_back(std::make_shared<NvmlDevice>(library, index, clock));
      } catch (const Error& e) {
        report.notes.push_back(fmt::format("GPU {} skipped: {}", index, e.what()));
      }
    }
    const std::size_t used = visible.indices.size();
    std::string what = fmt::format("driver {}, {} of {} GPU{}", library->driver_version(), used, count, count == 1 ? "" : "s");
    if (o.cuda_visible_devices) what += fmt::format(" (CUDA_VISIBLE_DEVICES='{}')", *o.cuda_visible_devices);
    report.detail = what;
    const bool any = std::any_of(out.begin(), out.end(), [](const auto& d) { return d->backend() == "nvml"; });
    report.state = any ? BackendState::kAvailable : (count == 0 || used == 0 ? BackendState::kAbsent : BackendState::kFailed);
    if (count == 0) report.detail = fmt::format("driver {}, no NVIDIA GPU", library->driver_version());
  } catch (const Error& e) {
    return unusable(report, e);
  }
  return report;
}

BackendReport discover_rapl(const DiscoveryOptions& o, std::vector<std::shared_ptr<PowerDevice>>& out) {
  BackendReport report{"rapl", BackendState::kAbsent, {}, {}};
  if (!o.use_rapl) {
    report.state = BackendState::kNotUsed;
    report.detail = "turned off";
    return report;
  }
  RaplScan scan;
  try {
    scan = scan_rapl_zones(o.powercap_root);
  } catch (const PermissionError& e) {
    report.state = BackendState::kNoPermission;
    report.detail = e.what();
    return report;
  } catch (const Error& e) {
    report.detail = e.what();
    return report;
  }
  for (const auto& skipped : scan.skipped) report.notes.push_back("zone skipped: " + skipped);
  // All zones or none: metering some packages and estimating the rest would count twice.
  std::vector<std::shared_ptr<PowerDevice>> found;
  try {
    for (const auto& zone : scan.zones) found.push_back(std::make_shared<RaplDevice>(zone));
  } catch (const Error& e) {
    return unusable(report, e);
  }
  report.state = BackendState::kAvailable;
  report.detail = fmt::format("{} zone{} under {}", found.size(), found.size() == 1 ? "" : "s", o.powercap_root.string());
  out.insert(out.end(), found.begin(), found.end());
  return report;
}

BackendReport discover_estimated(const DiscoveryOptions& o, bool rapl_measures_cpu, Clock& clock,
                                 std::vector<std::shared_ptr<PowerDevice>>& out) {
  BackendReport report{"estimated", BackendState::kNotUsed, {}, {}};
  if (rapl_measures_cpu) {
    report.detail = "not needed: RAPL measures the CPU";
    return report;
  }
  if (!o.estimate_cpu_without_rapl) {
    report.detail = "turned off";
    return report;
  }
  try {
    auto device = std::make_shared<EstimatedCpuDevice>(o.cpu_tdp, o.cpu_tdp_source, o.proc_root, clock);
    report.state = BackendState::kAvailable;
    report.detail = device->detail();
    out.push_back(std::move(device));
  } catch (const Error& e) {
    report.state = BackendState::kFailed;
    report.detail = e.what();
  }
  return report;
}

}  // namespace

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

DiscoveredDevices discover_devices(const DiscoveryOptions& options, Clock& clock) {
  DiscoveredDevices d;
  d.backends.push_back(discover_nvml(options, clock, d.devices));
  d.backends.push_back(discover_rapl(options, d.devices));
  const bool rapl_measures_cpu = d.backends.back().state == BackendState::kAvailable;
  d.backends.push_back(discover_estimated(options, rapl_measures_cpu, clock, d.devices));
  return d;
}

}  // namespace chase

// The NVML backend's discovery: every GPU the driver lists, as CUDA_VISIBLE_DEVICES selects them.

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "energy/cuda_visible_devices.hpp"
#include "energy/device_backend.hpp"
#include "energy/nvml_device.hpp"

namespace chase {
namespace {

BackendReport discover_nvml(const DiscoveryContext& context, std::vector<std::shared_ptr<PowerDevice>>& out) {
  const DiscoveryOptions& o = context.options;
  Clock& clock = context.clock;
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
    return failed(std::move(report), e);
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
    return failed(std::move(report), e);
  }
  return report;
}

}  // namespace

DeviceBackendEntry nvml_backend_entry() {
  return {"nvml", "NVIDIA GPUs through the driver's NVML library: energy counter, power, power limits", false,
          discover_nvml};
}

}  // namespace chase

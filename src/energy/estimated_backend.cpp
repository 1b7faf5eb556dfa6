// The estimated backend's discovery: a CPU estimated from utilisation, where nothing measures it.

#include <fmt/format.h>

#include "core/error.hpp"
#include "energy/device_backend.hpp"
#include "energy/estimated_cpu_device.hpp"

namespace chase {
namespace {

BackendReport discover_estimated(const DiscoveryContext& context, std::vector<std::shared_ptr<PowerDevice>>& out) {
  const DiscoveryOptions& o = context.options;
  BackendReport report{"estimated", BackendState::kNotUsed, {}, {}, {}};
  if (context.cpu_measured) {
    report.detail = "not needed: RAPL measures the CPU";
    return report;
  }
  if (!o.estimate_cpu_without_rapl) {
    report.detail = "turned off";
    return report;
  }
  try {
    auto device = std::make_shared<EstimatedCpuDevice>(o.cpu_tdp, o.cpu_tdp_source, o.proc_root, context.clock);
    report.state = BackendState::kAvailable;
    report.detail = device->detail();
    out.push_back(std::move(device));
  } catch (const Error& e) {
    report.state = BackendState::kFailed;
    report.detail = e.what();
    report.not_metered.push_back({"estimated:cpu", "CPU", "estimated", Metering::kNone,
                                  fmt::format("nothing measures the CPU and its estimate failed: {}", e.what()), {}});
  }
  return report;
}

}  // namespace

DeviceBackendEntry estimated_backend_entry() {
  return {"estimated", "the CPU estimated from TDP, its idle share and /proc/stat utilisation where no counter measures it (labelled)",
          false, discover_estimated};
}

}  // namespace chase

// The RAPL backend's discovery: every package and DRAM zone of the powercap tree, or none.

#include <fmt/format.h>

#include "core/error.hpp"
#include "energy/device_backend.hpp"
#include "energy/rapl_device.hpp"

namespace chase {
namespace {

BackendReport discover_rapl(const DiscoveryContext& context, std::vector<std::shared_ptr<PowerDevice>>& out) {
  const DiscoveryOptions& o = context.options;
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
    for (const auto& zone : scan.zones) found.push_back(std::make_shared<RaplDevice>(zone, context.clock));
  } catch (const Error& e) {
    return failed(std::move(report), e);
  }
  report.state = BackendState::kAvailable;
  report.detail = fmt::format("{} zone{} under {}", found.size(), found.size() == 1 ? "" : "s", o.powercap_root.string());
  out.insert(out.end(), found.begin(), found.end());
  return report;
}

}  // namespace

DeviceBackendEntry rapl_backend_entry() {
  return {"rapl", "Intel/AMD CPU package and DRAM energy counters through the powercap sysfs tree (RAPL)", true,
          discover_rapl};
}

}  // namespace chase

// The RAPL backend's discovery: every package and DRAM zone of the powercap tree, or none.

#include <fmt/format.h>

#include <optional>
#include <utility>

#include "core/error.hpp"
#include "energy/device_backend.hpp"
#include "energy/rapl_device.hpp"

namespace chase {
namespace {

BackendReport discover_rapl(const DiscoveryContext& context, std::vector<std::shared_ptr<PowerDevice>>& out) {
  const DiscoveryOptions& o = context.options;
  BackendReport report{"rapl", BackendState::kAbsent, {}, {}, {}};
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
  // A zone without a readable name is listed, not metered, and the others go on.
  std::vector<DeviceEntry> unnamed;
  for (const auto& u : scan.unnamed) {
    unnamed.push_back({u.zone.id, u.zone.label, "rapl", Metering::kNone, u.why, u.zone.path.string()});
  }
  if (scan.zones.empty()) {
    report.detail = fmt::format("no RAPL zone with a readable name under {}", o.powercap_root.string());
    report.not_metered = std::move(unnamed);
    return report;
  }
  // All zones or none: metering some packages and estimating the rest would count twice. Every
  // zone that cannot be read (energy_uj is root-only on kernels patched for CVE-2020-8694) is
  // listed as not metered with its error, and the readable ones with why they are left out too.
  std::vector<std::shared_ptr<PowerDevice>> found;
  std::vector<std::pair<const RaplZone*, std::string>> unreadable;
  std::optional<BackendReport> first_failure;
  for (const auto& zone : scan.zones) {
    try {
      found.push_back(std::make_shared<RaplDevice>(zone, context.clock));
    } catch (const Error& e) {
      unreadable.emplace_back(&zone, e.what());
      if (!first_failure) first_failure = failed(report, e);
    }
  }
  if (first_failure) {
    report = std::move(*first_failure);
    for (const auto& [zone, why] : unreadable) {
      report.not_metered.push_back({zone->id, zone->label, "rapl", Metering::kNone, why, zone->path.string()});
    }
    for (const auto& device : found) {
      report.not_metered.push_back(unmetered_entry(
          *device, fmt::format("readable, but left out with the zone{} that cannot be read ({}): metering some CPU "
                               "packages while the CPU is estimated would count them twice",
                               unreadable.size() == 1 ? "" : "s", unreadable.front().first->id)));
    }
    report.not_metered.insert(report.not_metered.end(), unnamed.begin(), unnamed.end());
    return report;
  }
  report.state = BackendState::kAvailable;
  report.detail = fmt::format("{} zone{} under {}", found.size(), found.size() == 1 ? "" : "s", o.powercap_root.string());
  report.not_metered = std::move(unnamed);
  out.insert(out.end(), found.begin(), found.end());
  return report;
}

}  // namespace

DeviceBackendEntry rapl_backend_entry() {
  return {"rapl", "Intel/AMD CPU package and DRAM energy counters through the powercap sysfs tree (RAPL)", true,
          discover_rapl};
}

}  // namespace chase

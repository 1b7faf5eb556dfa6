#include "export/devices_export.hpp"

#include "energy/device_status.hpp"
#include "export/json_optional.hpp"

namespace chase {
namespace {

nlohmann::json device_json(PowerDevice& d) {
  const PowerLimitStatus limits = read_power_limits(d);
  auto watts = [](Power p) { return p.watts(); };
  nlohmann::json row = {{"id", d.id()},
                        {"name", d.name()},
                        {"backend", d.backend()},
                        {"estimated", d.estimated()},
                        {"energy_counter", d.has_energy_counter()},
                        {"energy", energy_provenance(d)},
                        {"detail", d.detail()},
                        {"power_limit_supported", d.supports_power_limit()},
                        {"power_limit_w", or_null(limits.current, watts)},
                        {"power_limit_min_w", or_null(limits.range, [](const PowerLimitRange& r) { return r.min.watts(); })},
                        {"power_limit_max_w", or_null(limits.range, [](const PowerLimitRange& r) { return r.max.watts(); })},
                        {"default_power_limit_w", or_null(limits.default_limit, watts)}};
  if (!limits.error.empty()) row["power_limit_error"] = limits.error;
  return row;
}

}  // namespace

nlohmann::json metering_json(const std::vector<DeviceEntry>& entries) {
  nlohmann::json rows = nlohmann::json::array();
  for (const DeviceEntry& e : entries) {
    rows.push_back({{"id", e.id},
                    {"name", e.name},
                    {"backend", e.backend},
                    {"metering", to_string(e.metering)},
                    {"reason", e.reason},
                    {"detail", e.detail}});
  }
  return rows;
}

nlohmann::json devices_json(const DiscoveredDevices& found) {
  nlohmann::json j;
  j["devices"] = nlohmann::json::array();
  for (const auto& d : found.devices) j["devices"].push_back(device_json(*d));
  j["backends"] = nlohmann::json::array();
  for (const auto& b : found.backends) {
    j["backends"].push_back({{"backend", b.backend}, {"state", to_string(b.state)}, {"detail", b.detail}, {"notes", b.notes}});
  }
  j["metering"] = metering_json(found.metering());
  return j;
}

}  // namespace chase

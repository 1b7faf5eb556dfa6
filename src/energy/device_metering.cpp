#include "energy/device_metering.hpp"

#include <fmt/format.h>

namespace chase {

const char* to_string(Metering metering) {
  switch (metering) {
    case Metering::kCounter: return "counter";
    case Metering::kPowerIntegration: return "power-integration";
    case Metering::kEstimate: return "estimate";
    case Metering::kNone: return "none";
  }
  return "none";
}

const char* to_words(Metering metering) {
  switch (metering) {
    case Metering::kCounter: return "counter";
    case Metering::kPowerIntegration: return "power integration";
    case Metering::kEstimate: return "estimate";
    case Metering::kNone: return "not metered";
  }
  return "not metered";
}

Metering metering_of(const PowerDevice& device) {
  if (device.estimated()) return Metering::kEstimate;
  return device.has_energy_counter() ? Metering::kCounter : Metering::kPowerIntegration;
}

DeviceEntry metered_entry(const PowerDevice& device) {
  const Metering metering = metering_of(device);
  std::string how;
  switch (metering) {
    case Metering::kCounter:
      how = fmt::format("{} energy counter", device.backend());
      break;
    case Metering::kPowerIntegration:
      how = "power polls integrated over time (no energy counter; as good as the sampling interval)";
      break;
    default:
      how = "estimated, not measured";
      break;
  }
  return {device.id(), device.name(), device.backend(), metering, std::move(how), device.detail()};
}

DeviceEntry unmetered_entry(const PowerDevice& device, std::string reason) {
  return {device.id(), device.name(), device.backend(), Metering::kNone, std::move(reason), device.detail()};
}

std::string why_not_metered(const std::vector<DeviceEntry>& entries, const std::string& backend) {
  std::string out;
  for (const DeviceEntry& e : entries) {
    if (e.metered() || (!backend.empty() && e.backend != backend)) continue;
    out += fmt::format("{}{}: {}", out.empty() ? "" : "; ", e.id, e.reason);
  }
  return out;
}

}  // namespace chase

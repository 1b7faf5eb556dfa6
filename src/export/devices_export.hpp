#pragma once
// JSON of what can be metered here (`chase devices --json`): each device with its backend, how
// its energy is known and its power limits, and each backend's state.

#include <nlohmann/json.hpp>

#include <vector>

#include "energy/device_discovery.hpp"
#include "energy/device_metering.hpp"

namespace chase {

// The one shape of "is it metered, and how" in `devices`, `measure` and `run` (key "metering"):
// [{id, name, backend, metering ("counter", "power-integration", "estimate" or "none"), reason
// (how it is metered, or why not), detail}], every device metered or not.
nlohmann::json metering_json(const std::vector<DeviceEntry>& entries);

// devices[{id, name, backend, estimated, energy_counter, energy, detail, power_limit_supported,
// power_limit_w, power_limit_min_w, power_limit_max_w, default_power_limit_w (null when
// unknown), power_limit_error (only when reading the limits failed)}],
// backends[{backend, state, detail, notes[]}], metering (metering_json of `found.metering()`).
// Reads each device's limits now.
nlohmann::json devices_json(const DiscoveredDevices& found);

}  // namespace chase

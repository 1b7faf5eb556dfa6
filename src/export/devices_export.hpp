#pragma once
// JSON of what can be metered here (`chase devices --json`): each device with its backend, how
// its energy is known and its power limits, and each backend's state.

#include <nlohmann/json.hpp>

#include "energy/device_discovery.hpp"

namespace chase {

// devices[{id, name, backend, estimated, energy_counter, energy, detail, power_limit_supported,
// power_limit_w, power_limit_min_w, power_limit_max_w, default_power_limit_w (null when
// unknown), power_limit_error (only when reading the limits failed)}],
// backends[{backend, state, detail, notes[]}]. Reads each device's limits now.
nlohmann::json devices_json(const DiscoveredDevices& found);

}  // namespace chase

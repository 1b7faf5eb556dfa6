#pragma once
// What can be said of one device before metering it: how its energy is known, and its power
// limits as the device reports them now.

#include <optional>
#include <string>

#include "energy/power_device.hpp"

namespace chase {

// "estimated", "measured" (an energy counter) or "measured (power polls)".
const char* energy_provenance(const PowerDevice& device);

// All empty for a device without a settable limit. When reading fails, `error` says why and
// the fields read before the failure stay set.
struct PowerLimitStatus {
  std::optional<PowerLimitRange> range;
  std::optional<Power> current;
  std::optional<Power> default_limit;
  std::string error;
};

// Never throws a chase::Error (it lands in `error`).
PowerLimitStatus read_power_limits(PowerDevice& device);

}  // namespace chase

#include "energy/device_status.hpp"

#include "core/error.hpp"

namespace chase {

const char* energy_provenance(const PowerDevice& device) {
  if (device.estimated()) return "estimated";
  return device.has_energy_counter() ? "measured" : "measured (power polls)";
}

PowerLimitStatus read_power_limits(PowerDevice& device) {
  PowerLimitStatus status;
  if (!device.supports_power_limit()) return status;
  try {
    status.range = device.power_limit_range();
    status.current = device.power_limit();
    status.default_limit = device.default_power_limit();
  } catch (const Error& e) {
    status.error = e.what();
  }
  return status;
}

}  // namespace chase

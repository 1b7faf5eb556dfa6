#include "energy/power_device.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace chase {
namespace {

[[noreturn]] void no_limit(const PowerDevice& d) {
  throw HardwareError(fmt::format("{} ({}): this device has no settable power limit", d.id(), d.backend()));
}

}  // namespace

PowerLimitRange PowerDevice::power_limit_range() { no_limit(*this); }
Power PowerDevice::power_limit() { no_limit(*this); }
Power PowerDevice::default_power_limit() { no_limit(*this); }
void PowerDevice::set_power_limit(Power) { no_limit(*this); }

}  // namespace chase

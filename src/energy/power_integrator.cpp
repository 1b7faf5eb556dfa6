#include "energy/power_integrator.hpp"

#include <fmt/format.h>

#include <cmath>

namespace chase {

PowerIntegrator::PowerIntegrator(std::string poll_name, PowerCeiling ceiling)
    : poll_name_(std::move(poll_name)), plausibility_(std::move(ceiling)) {}

Energy PowerIntegrator::add(UtcTime time, Power power) {
  if (!plausibility_.power_fits(power)) {
    const std::string value = std::isfinite(power.watts()) ? fmt::format("{} W", power.watts()) : "a non-finite power";
    implausible_.add(fmt::format("{} read {}, not a power between 0 and the {} W ceiling ({})", poll_name_, value,
                                 plausibility_.ceiling().power.watts(), plausibility_.ceiling().source));
    return energy_;
  }
  if (last_time_ && time > *last_time_) {
    energy_ += (last_power_ + power) * 0.5 * (time - *last_time_);
  }
  if (!last_time_ || time >= *last_time_) {
    last_time_ = time;
    last_power_ = power;
  }
  return energy_;
}

}  // namespace chase

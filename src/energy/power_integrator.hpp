#pragma once
// Energy from power polls, for a device without an energy counter: the trapezoid rule over
// (time, power) samples. Exact for power that changes linearly between polls; otherwise the
// error shrinks with the polling period, which is why such devices are sampled (Sampler).
// A poll that cannot be physically right (not finite, negative, or above the device's power
// ceiling: energy/energy_counter.hpp) is dropped and counted; the trapezoid then spans the gap
// between the polls on either side of it.

#include <optional>
#include <string>

#include "core/units.hpp"
#include "core/utc_time.hpp"
#include "energy/energy_counter.hpp"

namespace chase {

class PowerIntegrator {
 public:
  // `poll_name` names the polls in the description of a dropped one ("nvmlDeviceGetPowerUsage").
  PowerIntegrator(std::string poll_name, PowerCeiling ceiling);

  // Adds the sample and returns the energy integrated since the first one. A sample that is not
  // later than the previous one only replaces the latest power (no time passed, no energy).
  Energy add(UtcTime time, Power power);
  Energy energy() const { return energy_; }
  const ImplausibleReadings& implausible() const { return implausible_; }
  const PowerCeiling& ceiling() const { return plausibility_.ceiling(); }

 private:
  std::string poll_name_;
  PowerPlausibility plausibility_;
  Energy energy_;
  std::optional<UtcTime> last_time_;
  Power last_power_;
  ImplausibleReadings implausible_;
};

}  // namespace chase

#pragma once
// Energy from power polls, for a device without an energy counter: the trapezoid rule over
// (time, power) samples. Exact for power that changes linearly between polls; otherwise the
// error shrinks with the polling period, which is why such devices are sampled (Sampler).

#include <optional>

#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

class PowerIntegrator {
 public:
  // Adds the sample and returns the energy integrated since the first one. A sample that is not
  // later than the previous one only replaces the latest power (no time passed, no energy).
  Energy add(UtcTime time, Power power);
  Energy energy() const { return energy_; }

 private:
  Energy energy_;
  std::optional<UtcTime> last_time_;
  Power last_power_;
};

}  // namespace chase

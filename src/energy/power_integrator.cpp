#include "energy/power_integrator.hpp"

namespace chase {

Energy PowerIntegrator::add(UtcTime time, Power power) {
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

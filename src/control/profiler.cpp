#include "control/profiler.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace chase {

Profiler::Profiler(std::vector<PowerDevice*> devices, Clock& clock, ProfilerOptions options)
    : devices_(std::move(devices)), clock_(&clock), options_(std::move(options)) {
  if (devices_.empty()) throw InputError("profiler: no device to profile");
  if (options_.measure_iterations < 1 || options_.warmup_iterations < 0) {
    throw InputError(fmt::format("profiler: {} warm-up and {} measured iterations per limit cannot measure anything",
                                 options_.warmup_iterations, options_.measure_iterations));
  }
  for (PowerDevice* d : devices_) {
    if (!d->supports_power_limit()) {
      throw HardwareError(fmt::format("profiler: {} ({}) has no settable power limit", d->id(), d->backend()));
    }
    original_.push_back(d->power_limit());
  }
  limits_ = options_.limits;
  if (limits_.empty()) {
    if (!(options_.step.watts() > 0)) throw InputError("profiler: the limit step must be positive");
    const PowerLimitRange range = devices_.front()->power_limit_range();
    for (double w = range.max.watts(); w >= range.min.watts() - 1e-9; w -= options_.step.watts()) {
      limits_.push_back(Power::watts(w));
    }
  }
  std::sort(limits_.begin(), limits_.end(), [](Power a, Power b) { return a > b; });
  limits_.erase(std::unique(limits_.begin(), limits_.end()), limits_.end());
  if (limits_.empty()) throw InputError("profiler: no power limits to profile");
  start_limit();
}

Profiler::~Profiler() {
  try {
    restore();
  } catch (...) {
    // Reported by the LimitGuard that owns the run; a destructor must not throw.
  }
}

Energy Profiler::total_energy() const {
  Energy sum;
  for (PowerDevice* d : devices_) sum += d->energy();
  return sum;
}

void Profiler::start_limit() {
  for (PowerDevice* d : devices_) d->set_power_limit(limits_[next_limit_]);
  iterations_at_limit_ = 0;
  if (options_.warmup_iterations == 0) {
    measure_from_ = clock_->now();
    measure_energy_from_ = total_energy();
  }
}

void Profiler::restore() {
  if (restored_) return;
  restored_ = true;
  for (std::size_t i = 0; i < devices_.size(); ++i) devices_[i]->set_power_limit(original_[i]);
}

bool Profiler::on_iteration() {
  if (done()) return false;
  ++iterations_at_limit_;
  if (iterations_at_limit_ == options_.warmup_iterations) {
    // Warm-up over: the measurement starts now.
    measure_from_ = clock_->now();
    measure_energy_from_ = total_energy();
    return true;
  }
  const int measured = iterations_at_limit_ - options_.warmup_iterations;
  if (measured < options_.measure_iterations) return true;
  const UtcTime now = clock_->now();
  const Duration elapsed = now - measure_from_;
  if (options_.measure_time && elapsed < *options_.measure_time) return true;
  const Energy energy = total_energy() - measure_energy_from_;
  if (!(elapsed.seconds() > 0) || !(energy.joules() > 0)) {
    throw HardwareError(fmt::format("profiler: at {} W, {} iterations took {} s and {} J: nothing measurable",
                                    limits_[next_limit_].watts(), measured, elapsed.seconds(), energy.joules()));
  }
  // Per iteration: the profile's unit of work.
  measured_.push_back({limits_[next_limit_], elapsed / static_cast<double>(measured), energy / static_cast<double>(measured)});
  ++next_limit_;
  if (done()) {
    restore();
    return false;
  }
  start_limit();
  return true;
}

PowerProfile Profiler::profile() const {
  if (!done()) {
    throw Error(fmt::format("profiler: {} of {} limits measured so far", measured_.size(), limits_.size()));
  }
  return PowerProfile(fmt::format("profiled on {}", devices_.front()->id()), measured_);
}

}  // namespace chase

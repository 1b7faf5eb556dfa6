#include "energy/simulated_gpu.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace chase {

SimulatedGpu::SimulatedGpu(PowerProfile profile, Clock& clock, std::string id)
    : profile_(std::move(profile)), clock_(clock), id_(std::move(id)), point_(&profile_.max_point()),
      last_update_(clock_.now()) {}

void SimulatedGpu::advance() {
  const UtcTime now = clock_.now();
  if (now <= last_update_) return;
  const Duration elapsed = now - last_update_;
  energy_ += point_->average_power() * elapsed;
  work_ += point_->throughput() * elapsed.seconds();
  last_update_ = now;
}

Energy SimulatedGpu::energy() {
  std::lock_guard lock(mutex_);
  advance();
  return energy_;
}

std::optional<Power> SimulatedGpu::power() {
  std::lock_guard lock(mutex_);
  return point_->average_power();
}

PowerLimitRange SimulatedGpu::power_limit_range() { return {profile_.min_limit(), profile_.max_limit()}; }

Power SimulatedGpu::power_limit() {
  std::lock_guard lock(mutex_);
  return point_->limit;
}

void SimulatedGpu::set_power_limit(Power limit) {
  const ProfilePoint& next = [&]() -> const ProfilePoint& {
    try {
      return profile_.at_limit(limit);
    } catch (const InputError& e) {
      throw InputError(fmt::format("{}: {}", id_, e.what()));
    }
  }();
  std::lock_guard lock(mutex_);
  advance();  // the time so far ran at the old limit
  point_ = &next;
}

double SimulatedGpu::work_done() {
  std::lock_guard lock(mutex_);
  advance();
  return work_;
}

Duration SimulatedGpu::time_for_work(double work) {
  std::lock_guard lock(mutex_);
  return Duration::seconds(work / point_->throughput());
}

}  // namespace chase

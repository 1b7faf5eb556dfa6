#include "control/policy.hpp"

#include "control/job_spec.hpp"

#include <fmt/format.h>

#include <cmath>

namespace chase {

PolicyParameter eta_parameter() {
  return {"eta", "Zeus's and Chase's weight of energy against time, η", 0.5, 0.0, 1.0};
}

PolicyParameter positive_eta_parameter() {
  PolicyParameter eta = eta_parameter();
  eta.min_excluded = true;
  return eta;
}

std::string PolicyParameter::range() const {
  return fmt::format("{}{:g}, {:g}]", min_excluded ? '(' : '[', min, max);
}

PolicyJob PolicyJob::of(const JobSpec& spec, const OperatingPoints& points, const FrameGrid* grid, UtcTime start) {
  PolicyJob job;
  job.points = &points;
  job.grid = grid;
  job.start = start;
  job.work_at_max = spec.work_at_max;
  job.slowdown_budget = spec.slowdown_budget;
  return job;
}

std::optional<UtcTime> PolicyJob::deadline() const {
  const auto allowed = allowed_time();
  if (!allowed) return std::nullopt;
  // Rounded down to the clock's millisecond so that meeting the deadline meets the budget.
  return start + Duration::milliseconds(std::floor(allowed->milliseconds()));
}

std::optional<Duration> PolicyJob::allowed_time() const {
  if (!slowdown_budget) return std::nullopt;
  return work_at_max * (1.0 + *slowdown_budget);
}

}  // namespace chase

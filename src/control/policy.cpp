#include "control/policy.hpp"

#include <cmath>

namespace chase {

PolicyParameter eta_parameter() {
  return {"eta", "Zeus's and Chase's weight of energy against time, η", 0.5, 0.0, 1.0};
}

std::optional<UtcTime> PolicyJob::deadline() const {
  if (!slowdown_budget) return std::nullopt;
  // Rounded down to the clock's millisecond so that meeting the deadline meets the budget.
  const double allowed_ms = std::floor((time_at_max * (1.0 + *slowdown_budget)).milliseconds());
  return start + Duration::milliseconds(allowed_ms);
}

}  // namespace chase

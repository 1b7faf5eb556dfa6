#include "core/time_grid.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/quantity_format.hpp"
#include "core/time_stamp.hpp"

namespace chase {

std::size_t checked_grid_steps(UtcTime from, UtcTime to, Duration step, std::string_view what, std::size_t limit) {
  const double step_ms = step.milliseconds();
  if (!std::isfinite(step_ms) || step_ms < 1) {
    throw GridStepError(std::string(what), fmt::format("{}: a step of {} s is under 1 ms (the clock's resolution)", what,
                                 format_sig(step.seconds())));
  }
  if (to <= from) return 0;
  // A grid reaching past the end of 2200 would print times chase never reads (core/time_stamp.hpp).
  checked_time(to, fmt::format("{}: the grid", what));
  const double steps = std::floor((to - from).milliseconds() / step_ms);
  if (steps > static_cast<double>(limit)) {
    throw GridStepError(std::string(what), fmt::format("{}: a step of {} over {} makes {} steps; at most {} (use a longer step or a shorter span)",
                                 what, format_duration(step), format_duration(to - from), format_sig(steps, 3),
                                 limit));
  }
  return static_cast<std::size_t>(steps);
}

}  // namespace chase

#include "sim/start_times.hpp"

#include <algorithm>

#include "core/time_grid.hpp"

namespace chase {

std::vector<UtcTime> start_times(const IntensityTrace& trace, UtcTime from, UtcTime to, Duration step, Duration span) {
  const UtcTime first = std::max(from, trace.start());
  std::vector<UtcTime> starts;
  starts.reserve(checked_grid_steps(first, std::min(to, trace.end()), step, kStartGrid, kMaxStartTimes) + 1);
  for (UtcTime t = std::max(from, trace.start()); t < to && t + span <= trace.end(); t = t + step) starts.push_back(t);
  return starts;
}

}  // namespace chase

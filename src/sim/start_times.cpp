#include "sim/start_times.hpp"

#include <algorithm>

namespace chase {

std::vector<UtcTime> start_times(const IntensityTrace& trace, UtcTime from, UtcTime to, Duration step, Duration span) {
  std::vector<UtcTime> starts;
  for (UtcTime t = std::max(from, trace.start()); t < to && t + span <= trace.end(); t = t + step) starts.push_back(t);
  return starts;
}

}  // namespace chase

#pragma once
// The start times a study tries a job at: every `step` from `from` (not before the trace
// starts), before `to`, while the whole job (`span`: its slowest allowed length and a frame to
// spare) still fits in the trace. The policy benchmark and where-and-when planning share it.
// Throws GridStepError when the step is under 1 ms or makes more than kMaxStartTimes starts
// (core/time_grid.hpp).

#include <vector>

#include "carbon/intensity_trace.hpp"
#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

std::vector<UtcTime> start_times(const IntensityTrace& trace, UtcTime from, UtcTime to, Duration step, Duration span);

}  // namespace chase

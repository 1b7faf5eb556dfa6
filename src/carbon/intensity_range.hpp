#pragma once
// The grid's intensity over an interval, step by step on the source's own grid, with its
// time-weighted mean and the gaps of a recorded trace.

#include <optional>
#include <string>
#include <vector>

#include "carbon/intensity_source.hpp"
#include "carbon/intensity_trace.hpp"
#include "core/units.hpp"

namespace chase {

struct IntensityRange {
  std::string source;  // the source's name, e.g. "trace:fr-2020"
  UtcTime from;
  UtcTime to;
  std::vector<IntensityReading> steps;  // the first holds `from`
  CarbonIntensity mean;                 // over the part of [from, to) the steps cover; 0 if none
  std::vector<TraceGap> gaps;           // of the whole trace, for a trace source
};

// Throws what the source's history() throws.
IntensityRange read_intensity_range(IntensitySource& source, UtcTime from, UtcTime to);

// A source's recorded past as a trace, for a forecaster to learn from: a trace source's whole
// trace (stale 0); else the steps of the last `lookback` before the source's now, each as a
// sample at its start (stale: the age of the newest). Throws NetworkError when there is none.
struct RecordedIntensity {
  IntensityTrace trace;
  std::optional<Duration> stale;
};

RecordedIntensity recorded_intensity(IntensitySource& source, Duration lookback);

// The gaps of a trace source's trace; none for any other source.
std::vector<TraceGap> source_gaps(const IntensitySource& source);

}  // namespace chase

#pragma once
// The grid's carbon intensity as a step function of time. Defined in core so that the layer
// that meters energy (energy/Monitor) and the layer that provides intensity (carbon/, where
// every IntensitySource implements this) do not depend on each other.

#include <string>

#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

struct IntensityStep {
  CarbonIntensity intensity;  // in effect from `from` until `until`
  UtcTime from;
  UtcTime until;              // the next boundary of the feed's own time grid (exclusive)
  std::string source;         // what produced the value, e.g. "trace:gb-2020", "cache", "static:gb"
  bool fallback = false;      // true when the value is not the primary source's live answer
};

class IntensityFeed {
 public:
  virtual ~IntensityFeed() = default;
  // The step holding t. Throws chase::Error when no value can be given for t at all.
  virtual IntensityStep step_at(UtcTime t) = 0;
};

}  // namespace chase

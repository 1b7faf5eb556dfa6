#pragma once
// Where grid carbon intensity comes from: a replayed trace, the static region table, or a live
// provider (with its cache and fallbacks). Every source is an IntensityFeed, so the energy
// layer's Monitor and the controller consume any of them through step_at(t).

#include <optional>
#include <string>
#include <vector>

#include "core/intensity_feed.hpp"

namespace chase {

// A step plus how old the value is. `stale` is zero for a trace or a fresh live answer, the
// time since it was fetched for a value served from the cache, and empty for a static average
// (which has no age: it is a long-run mean).
struct IntensityReading {
  IntensityStep step;
  std::optional<Duration> stale;
};

class IntensitySource : public IntensityFeed {
 public:
  // e.g. "trace:gb-2020", "static:gb", "electricitymaps:DE".
  virtual std::string name() const = 0;
  virtual IntensityReading reading_at(UtcTime t) = 0;
  IntensityStep step_at(UtcTime t) final { return reading_at(t).step; }
  // The steps covering [from, to) on the source's own grid, first one holding `from`.
  virtual std::vector<IntensityReading> history(UtcTime from, UtcTime to);
  // "Now" for this source: the end of a trace, the clock's time for a live provider.
  virtual UtcTime now() const = 0;
};

}  // namespace chase

#pragma once
// Where grid carbon intensity comes from: a replayed trace, the static region table, or a live
// provider (with its cache and fallbacks). Every source is an IntensityFeed, so the energy
// layer's Monitor and the controller consume any of them through step_at(t).

#include <optional>
#include <string>
#include <vector>

#include "core/intensity_feed.hpp"

namespace chase {

// A step plus how old its data is. `stale` is the data's age: the source's now minus the end of
// the interval the value covers, 0 while that interval is current (a live answer for now, a
// cached value still in force) and for a replayed trace (which has no "now"); empty for a
// static average (a long-run mean has no age). It never counts from when a value was fetched:
// a 48-hour-old value fetched a second ago is 48 hours stale.
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

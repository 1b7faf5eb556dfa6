#pragma once
// Where the control frames begin and end. The controller acts at frame boundaries; frames are
// either of a fixed length aligned to multiples of that length since the epoch (so a 5-minute
// grid lands on :00, :05, … whatever the start), or the intensity trace's own sample grid
// (whose resolution may change inside the trace, as gb-2020's does).

#include <optional>

#include "carbon/intensity_trace.hpp"
#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

class FrameGrid {
 public:
  // Throws InputError unless the length is a positive whole number of milliseconds.
  static FrameGrid fixed(Duration length);
  // The trace must outlive the grid. Past the trace's end, its last step repeats.
  static FrameGrid of_trace(const IntensityTrace& trace);

  // The first boundary strictly after t.
  UtcTime next_boundary(UtcTime t) const;
  // The fixed length, or the trace's typical step.
  Duration nominal_length() const;
  bool is_fixed() const { return length_.has_value(); }

 private:
  FrameGrid() = default;
  std::optional<Duration> length_;
  const IntensityTrace* trace_ = nullptr;
};

}  // namespace chase

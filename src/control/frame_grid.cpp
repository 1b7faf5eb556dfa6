#include "control/frame_grid.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace chase {

FrameGrid FrameGrid::fixed(Duration length) {
  const double ms = length.milliseconds();
  if (!(ms >= 1) || std::fabs(ms - std::round(ms)) > 1e-6) {
    throw InputError(fmt::format("frame length {} s must be a positive whole number of milliseconds",
                                 length.seconds()));
  }
  FrameGrid grid;
  grid.length_ = Duration::milliseconds(std::round(ms));
  return grid;
}

FrameGrid FrameGrid::of_trace(const IntensityTrace& trace) {
  FrameGrid grid;
  grid.trace_ = &trace;
  return grid;
}

UtcTime FrameGrid::next_boundary(UtcTime t) const {
  if (length_) return t.floor_to(*length_) + *length_;
  const auto& samples = trace_->samples();
  const auto after = std::upper_bound(samples.begin(), samples.end(), t,
                                      [](UtcTime value, const IntensitySample& s) { return value < s.time; });
  if (after != samples.end()) return after->time;
  // Past the last sample: keep the last step going.
  const Duration step = trace_->step(samples.size() - 1);
  const UtcTime last = samples.back().time;
  const auto steps_past = static_cast<double>(std::floor((t - last) / step)) + 1.0;
  return last + step * steps_past;
}

Duration FrameGrid::nominal_length() const { return length_ ? *length_ : trace_->typical_step(); }

}  // namespace chase

#pragma once
// Counting a regular time grid's steps before walking it. UtcTime has a resolution of 1 ms, so
// a step below it never advances (a loop over it never ends), and a grid of millions of steps
// is a slip of a flag (--every-hours 1e-6), not a study: both are refused up front.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

// 2 million steps: 19 years of 5-minute frames, 23 days of 1-second frames. A simulation keeps
// a record per frame (about 100 bytes), so this also bounds memory at a few hundred MB.
inline constexpr std::size_t kMaxGridSteps = 2'000'000;
// Start times of a study: each is a whole simulated job (milliseconds each, per policy and
// profile), so 20,000 already take minutes; a daily grid over 50 years is 18,000.
inline constexpr std::size_t kMaxStartTimes = 20'000;

// The grids chase walks, by the name their errors carry.
inline constexpr std::string_view kFrameGrid = "frames";             // control frames, resampled traces
inline constexpr std::string_view kStartGrid = "start times";  // a study's job starts

// A step too small for the clock, or too many of them: the caller names the flag that set the step.
class GridStepError : public InputError {
 public:
  GridStepError(std::string grid, const std::string& message) : InputError(message), grid_(std::move(grid)) {}
  // The grid's `what` as given to checked_grid_steps ("frames", "start times").
  const std::string& grid() const { return grid_; }

 private:
  std::string grid_;
};

// The number of whole steps in [from, to) (0 when to ≤ from). Throws GridStepError
// "<what>: a step of ..." when the step is under 1 ms or not finite, or the count exceeds `limit`.
std::size_t checked_grid_steps(UtcTime from, UtcTime to, Duration step, std::string_view what,
                               std::size_t limit = kMaxGridSteps);

}  // namespace chase

#pragma once
// The inputs of the learned forecaster, computed from the history of log-intensity. The target is
// the next change of log-intensity (so errors are relative, like MAPE, and a 6x difference in
// level between grids does not matter). What the features hold, and why:
//   - the last `diff_lags` changes (momentum of smoothed feeds, reversal of noisy ones);
//   - how far each of the last 3 changes exceeded a typical change (big jumps on wind-driven
//     grids revert, small ones continue: a linear model needs this split to see both), the
//     last change's rising part and its signed square (rises and falls, small and large, do not
//     continue alike);
//   - the regime of a large last change: its excess over the typical jump, rises and falls
//     apart, per 4-hour block of the day, after a rise or after a fall, and beyond two and four
//     typical jumps. A feed with one-frame spikes (gb) shows why: a large rise at night or after
//     a fall is usually a spike that reverts the next frame, the same rise after a rise or on the
//     morning ramp goes on; how often each happens is learned per grid;
//   - the time-of-day slot of the frame being predicted (daily ramps);
//   - what happened at the same time yesterday and last week (analog changes), and how far the
//     level is from yesterday's, last week's and the last day's (mean reversion to the profile),
//     and the last change times those distances (a rise far above the usual level is less
//     likely to go on);
//   - the last two changes per 4-hour block of the day, and optionally the last change per slot
//     (momentum that depends on the time of day, e.g. solar ramps).

#include <algorithm>
#include <cstddef>
#include <vector>

#include "core/utc_time.hpp"

namespace chase {

// Statistics over a whole day of frames (a last-day mean or median, a last-week mean) read at
// most 288 frames a day: every frame down to 5-minute frames, every stride-th of finer ones, so
// a forecaster's update costs the same at any frame length. The stride for a day of
// `frames_per_day` frames, or of frames of `frame`: 1 for frames of 5 minutes or longer.
inline constexpr std::size_t kMaxDaySamples = 288;
std::size_t day_sample_stride(std::size_t frames_per_day);
std::size_t day_sample_stride(Duration frame);

struct LagFeatureConfig {
  std::size_t diff_lags = 3;
  bool slot_momentum = false;
  // The nonlinear "shape" inputs (rising part and signed square of the last change, last change
  // times the level's distance from its profile, the regime of a large last change). They
  // sharpen the next frame on spiky grids but compound when a model is fed its own forecasts, so
  // multi-frame forecasts use models without.
  bool shape = false;
};

class LagFeatures {
 public:
  // `frames_per_day` of 0 switches the daily features off (frames of a day or longer).
  LagFeatures(LagFeatureConfig config, std::size_t frames_per_day);

  std::size_t size() const { return size_; }
  // History (oldest first) needed before features exist.
  std::size_t history_needed() const { return history_needed_; }

  // Writes the features for predicting z[n] - z[n-1], where n = z.size() and `target_slot` is
  // the time-of-day slot of frame n. `jump` is the size of a typical change (the clip level) and
  // `scale` the value that indicator features take. Requires z.size() >= history_needed().
  void compute(const std::vector<double>& z, std::size_t target_slot, double jump, double scale, double* out) const;

  // Slot of the day of a frame starting at t, in [0, slots()).
  std::size_t slot_of(UtcTime t) const;
  std::size_t slots() const { return slots_; }

 private:
  // The changes of a log-intensity history, and its last change split into the rise and the
  // fall beyond `times` typical jumps.
  struct Changes {
    const std::vector<double>& z;
    double jump;
    double at(std::size_t j) const { return z[j] - z[j - 1]; }  // the change into frame j
    double last() const { return at(z.size() - 1); }
    double rise_beyond(double times) const { return std::max(last() - times * jump, 0.0); }
    double fall_beyond(double times) const { return std::min(last() + times * jump, 0.0); }
  };
  // The last frames' changes and jumps, the target's slot and (config_.shape) the last change's
  // shape; then what the same time on earlier days says (only with frames_per_day_). Each
  // returns how many features it wrote.
  std::size_t recent_features(const Changes& d, std::size_t target_slot, double scale, double* out) const;
  std::size_t daily_features(const Changes& d, std::size_t target_slot, double* out) const;

  static constexpr std::size_t kJumpLags = 3;
  static constexpr std::size_t kBlocks = 6;
  static constexpr std::size_t kMaxSlots = 48;
  static constexpr std::size_t kShapeFeatures = 2 + 8;        // rising part, signed square; regime
  static constexpr std::size_t kDailyShapeFeatures = 2 + 2 * kBlocks;  // x profile distance; per block
  static constexpr std::size_t kDailyFeatures = 10;

  LagFeatureConfig config_;
  std::size_t frames_per_day_;
  std::size_t slots_;
  std::size_t size_;
  std::size_t history_needed_;
};

}  // namespace chase

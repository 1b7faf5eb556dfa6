#pragma once
// What a controlled run's work would have cost at the maximum power limit, from what was
// recorded: the frames (each with its limit and intensity) and the profile the run was steered
// with (time and energy of one unit of work at each limit, per GPU).
//
// Assumptions, which the report states: the work done in a frame is its length × the profile's
// throughput at the frame's limit (the profile point nearest that limit), on each GPU alike; at
// the maximum limit the same work takes work × time_per_unit(max) and work × energy_per_unit(max)
// per GPU, starting when the first frame started, its energy spread evenly over that time and
// priced with the frames' intensities (the last frame's holding past the run's end). Both sides
// are the profile's model, so they compare like with like; the measured energy is shown beside.

#include <optional>
#include <vector>

#include "store/run_records.hpp"

namespace chase {

struct LimitCost {
  Duration time;
  Energy energy;               // all GPUs
  Mass carbon;                 // at each frame's intensity (its actual, else its forecast)
};

struct MaxLimitEstimate {
  int gpus = 1;
  double work_units = 0;       // per GPU, in the profile's unit of work
  Power max_limit;
  LimitCost as_run;            // at the frames' limits (modelled)
  LimitCost at_max;            // the same work at the maximum limit
};

// None when there are no frames or no profile; InputError when `gpus` < 1. Frames are cut at
// `run_end` when given (a recorded frame ends where it was planned to, after the job may have).
std::optional<MaxLimitEstimate> estimate_at_max_limit(const std::vector<RecordedDecision>& frames,
                                                      const std::vector<RunProfilePoint>& profile, int gpus,
                                                      std::optional<UtcTime> run_end = std::nullopt);

}  // namespace chase

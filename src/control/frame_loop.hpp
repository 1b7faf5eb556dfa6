#pragma once
// The one frame loop of chase, shared by the live controller (wall clock, real GPUs, a live or
// recorded intensity feed) and the simulator (virtual time, a power profile, a recorded trace):
//
//   warm up from history → at every frame boundary: forecast → policy decides → the plant
//   applies the limit and lets the frame pass → observe the frame's measured intensity.
//
// What differs between the two lives behind FramePlant: where frames end, how intensity is
// measured, how work is counted, what a frame costs and when the run is over. Everything the
// policy and the forecaster see is produced here, in one order, so a policy behaves the same
// in a simulation and on a GPU.
//
// The warm-up rule (one for both): the frames of the job's grid from the first boundary at or
// after start − history up to the start — the last piece, from the last boundary to the start,
// included when the start falls inside a frame, because it is the freshest reading a live
// controller has — capped at `max_history_frames` frames, skipping frames the source cannot
// price. A simulation starting on a boundary sees whole frames only, as before.

#include <cstddef>
#include <optional>

#include "carbon/forecast/forecaster.hpp"
#include "control/policy.hpp"
#include "core/intensity_feed.hpp"
#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

enum class FrameLoopEnd {
  kWorkDone,  // the job's work is done
  kJobEnded,  // the job (process) ended before its modelled work was done
  kStopped,   // someone asked the loop to stop (a signal, the end of the job's process)
};

// What the loop decided for one frame, handed to the plant to carry out.
struct FrameDecision {
  UtcTime from;
  UtcTime until;                 // the frame's planned end (the next boundary)
  Power limit;                   // one of the profile's limits
  CarbonIntensity predicted;     // what the policy was told
  double work_done_units = 0;    // at the start of the frame, in the profile's units
};

// How a frame went.
struct FrameRan {
  UtcTime until;                    // when it ended (before the planned end if the job finished)
  CarbonIntensity actual;           // the measured mean intensity over [from, until)
  std::optional<FrameLoopEnd> end;  // set when the run is over after this frame
  double work_units = 0;            // work done in the frame (measured, or modelled: work_measured)
  bool work_measured = true;
  std::optional<Energy> energy_per_gpu = std::nullopt;  // drawn in the frame per controlled GPU, when metered
};

class FramePlant {
 public:
  virtual ~FramePlant() = default;
  // The typical frame length at `start` (caps the warm-up at a number of frames). Throws
  // chase::Error when the source cannot say (the warm-up is then not capped).
  virtual Duration nominal_frame(UtcTime start) = 0;
  // Where the source's past begins, when it is known (a recorded trace): the warm-up starts
  // there at the earliest instead of skipping frames one by one.
  virtual std::optional<UtcTime> history_begins() const { return std::nullopt; }
  // The end of the frame that begins at `from`: the next boundary of the job's frame grid.
  // Throws chase::Error when no frame can begin there (the source has nothing at `from`, a
  // recorded trace ends): the run ends with that error.
  virtual UtcTime frame_end(UtcTime from) = 0;
  // The mean intensity over [from, until) of the past. Throws chase::Error when the source
  // cannot price it (the warm-up then skips the frame).
  virtual CarbonIntensity mean_intensity(UtcTime from, UtcTime until) = 0;
  // The intensity the source publishes for `from`: the forecast while there is no history.
  virtual CarbonIntensity published(UtcTime from) = 0;
  virtual double work_done_units() const = 0;
  // Checked before each frame: the reason to end the run now, if there is one.
  virtual std::optional<FrameLoopEnd> before_frame(UtcTime from) = 0;
  // Checked between history frames of the warm-up.
  virtual bool stop_requested() const { return false; }
  // Applies the decision and lets the frame pass (waits on a clock, or computes it).
  virtual FrameRan run_frame(const FrameDecision& decision) = 0;
};

struct FrameLoopSettings {
  // Intensity read before the start, for the forecaster and the policy.
  Duration history = Duration::hours(24);
  // ... but no more frames of it than this: some models' updates cost O(frames per day), so a
  // day of very short frames would make the warm-up quadratic.
  std::size_t max_history_frames = 2016;
};

struct FrameLoopOutcome {
  FrameLoopEnd end = FrameLoopEnd::kWorkDone;
  std::size_t frames = 0;  // frames decided (warm-up not counted)
};

// Runs `job` from job.start until the plant ends it. Calls policy.begin(job) first. Errors of
// the plant propagate.
FrameLoopOutcome run_frame_loop(FramePlant& plant, Forecaster& forecaster, Policy& policy, const PolicyJob& job,
                                const FrameLoopSettings& settings);

}  // namespace chase

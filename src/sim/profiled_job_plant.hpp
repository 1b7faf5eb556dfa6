#pragma once
// The frame loop's plant for a simulation: one training job of fixed work on a GPU described by
// a measured power profile, under a recorded intensity trace, in virtual time. A frame at limit
// L draws the profile's power at L for as long as it runs and does work at the profile's rate
// at L; the job ends inside its last frame, as soon as its work is done. Power × intensity is
// integrated on the trace's own grid. Nothing waits: a frame is computed, not lived.

#include <string>

#include "control/frame_grid.hpp"
#include "control/frame_loop.hpp"
#include "control/intensity_integral.hpp"
#include "control/operating_points.hpp"
#include "control/speed_changes.hpp"
#include "sim/simulation_result.hpp"

namespace chase {

class ProfiledJobPlant final : public FramePlant {
 public:
  // Everything is borrowed and must outlive the plant; `result` receives the totals (and every
  // frame when `record_frames`). `work_units` is the job's work in the profile's units.
  ProfiledJobPlant(const IntensityIntegral& integral, const OperatingPoints& points, const FrameGrid& grid,
                   UtcTime start, double work_units, bool record_frames, SimulationResult& result,
                   const SpeedChanges& changes = {});

  Duration nominal_frame(UtcTime) override { return grid_->nominal_length(); }
  std::optional<UtcTime> history_begins() const override { return integral_->trace().start(); }
  // Throws InputError once the trace has ended before the work is done.
  UtcTime frame_end(UtcTime from) override;
  CarbonIntensity mean_intensity(UtcTime from, UtcTime until) override;
  CarbonIntensity published(UtcTime from) override { return integral_->trace().at(from); }
  double work_done_units() const override { return work_done_; }
  std::optional<FrameLoopEnd> before_frame(UtcTime) override { return std::nullopt; }
  FrameRan run_frame(const FrameDecision& decision) override;

 private:
  const IntensityIntegral* integral_;
  const OperatingPoints* points_;
  const FrameGrid* grid_;
  UtcTime start_;
  double work_units_;
  bool record_frames_;
  SimulationResult* result_;
  SpeedChanges changes_;
  double work_done_ = 0;
};

}  // namespace chase

#pragma once
// The frame loop's plant for live control: real (or fake) GPUs on a clock, under an intensity
// feed. Frames end at the fixed grid's boundaries, or at the feed's own steps. A frame sets
// the limit on every device that has one, logs the decision, waits on the pacer until the
// frame ends (or a stop), then prices what the frame ran with the feed's intensity and counts
// the work with the job's WorkMeter.

#include <functional>
#include <optional>
#include <vector>

#include "control/decision_log.hpp"
#include "control/frame_grid.hpp"
#include "control/frame_loop.hpp"
#include "control/pacer.hpp"
#include "control/work_meter.hpp"
#include "core/clock.hpp"
#include "core/intensity_feed.hpp"
#include "energy/power_device.hpp"

namespace chase {

class DevicePlant final : public FramePlant {
 public:
  // Everything is borrowed and must outlive the plant. `fixed` null: frames follow the feed's
  // steps. `total_units`: the job's work; `job_running` may be empty (the job never ends by
  // itself).
  DevicePlant(std::vector<PowerDevice*> devices, IntensityFeed& feed, const FrameGrid* fixed, Clock& clock,
              Pacer& pacer, WorkMeter& work, double total_units, DecisionLog& log,
              std::function<bool()> job_running);

  Duration nominal_frame(UtcTime start) override;
  UtcTime frame_end(UtcTime from) override;
  // Weighted over the feed's steps inside [from, until).
  CarbonIntensity mean_intensity(UtcTime from, UtcTime until) override;
  CarbonIntensity published(UtcTime from) override { return feed_->step_at(from).intensity; }
  double work_done_units() const override { return work_->work_done_units(); }
  std::optional<FrameLoopEnd> before_frame(UtcTime from) override;
  bool stop_requested() const override { return pacer_->stop_requested(); }
  // Throws the feed's error when it has nothing for the frame (before any limit is set), and
  // PermissionError when a limit cannot be set.
  FrameRan run_frame(const FrameDecision& decision) override;

 private:
  void set_limit(Power limit);
  // The mean energy counter of the GPUs a frame sets the limit of; none when one cannot be read.
  std::optional<Energy> controlled_energy();

  std::vector<PowerDevice*> devices_;
  IntensityFeed* feed_;
  const FrameGrid* fixed_;
  Clock* clock_;
  Pacer* pacer_;
  WorkMeter* work_;
  double total_units_;
  DecisionLog* log_;
  std::function<bool()> job_running_;
};

}  // namespace chase

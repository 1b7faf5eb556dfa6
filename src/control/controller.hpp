#pragma once
// The live controller: the frame loop (frame_loop.hpp) on real devices and the wall clock
// (device_plant.hpp): frames aligned to the intensity feed (its own steps, or a fixed length),
// and at every boundary observe → forecast → policy → set the limit on every device. Every
// decision goes to the decision log. Limits are restored when run() returns or throws
// (LimitGuard); run_until_signal() adds SIGINT/SIGTERM: restore, then end the way the signal
// asked.

#include <functional>
#include <optional>
#include <vector>

#include "carbon/forecast/forecaster.hpp"
#include "control/decision_log.hpp"
#include "control/frame_loop.hpp"
#include "control/job_spec.hpp"
#include "control/operating_points.hpp"
#include "control/pacer.hpp"
#include "control/policy.hpp"
#include "control/work_meter.hpp"
#include "core/clock.hpp"
#include "core/intensity_feed.hpp"
#include "energy/power_device.hpp"

namespace chase {

struct ControlSettings {
  // The job: work at the maximum limit, frames (none: the feed's own steps), budget, history.
  // The forecaster and the policy are built by the caller and passed in.
  JobSpec job;
  // The job's work in the work meter's measured units (iterations still to run, when the job
  // counts them); none: job.work_at_max at the profile's rate at the maximum limit
  // (PolicyJob::total_work_units).
  std::optional<double> total_work_units = std::nullopt;
  // No more history frames than this: some models' updates cost O(frames per day), so a day
  // of very short frames would make the warm-up quadratic.
  std::size_t max_history_frames = 2016;
};

struct ControlOutcome {
  using End = FrameLoopEnd;
  End end = End::kWorkDone;
  std::optional<int> signal;  // the signal that stopped the run
  double work_done_units = 0;
  Duration elapsed;
  std::size_t frames = 0;
};

class Controller {
 public:
  // Everything is borrowed and must outlive the controller. Devices get the same limit.
  Controller(std::vector<PowerDevice*> devices, const OperatingPoints& points, IntensityFeed& feed,
             Forecaster& forecaster, Policy& policy, Clock& clock, DecisionLog& log);

  // Runs until the work is done, `job_running` says the job has ended, or the pacer says stop.
  // Errors from the feed or the devices propagate (PermissionError when a limit cannot be set),
  // after the limits are restored.
  ControlOutcome run(const ControlSettings& settings, WorkMeter& work, Pacer& pacer,
                     const std::function<bool()>& job_running = {});

  // run() on the wall clock with SIGINT/SIGTERM handled: on a signal the frame ends, the limits
  // are restored, the log is closed and the signal is raised again (the process ends with it).
  ControlOutcome run_until_signal(const ControlSettings& settings, WorkMeter& work,
                                  const std::function<bool()>& job_running = {});

 private:
  std::vector<PowerDevice*> devices_;
  const OperatingPoints* points_;
  IntensityFeed* feed_;
  Forecaster* forecaster_;
  Policy* policy_;
  Clock* clock_;
  DecisionLog* log_;
};

}  // namespace chase

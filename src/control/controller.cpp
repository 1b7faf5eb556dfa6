#include "control/controller.hpp"

#include "control/device_plant.hpp"
#include "control/frame_grid.hpp"
#include "control/frame_loop.hpp"
#include "control/limit_guard.hpp"

namespace chase {

Controller::Controller(std::vector<PowerDevice*> devices, const OperatingPoints& points, IntensityFeed& feed,
                       Forecaster& forecaster, Policy& policy, Clock& clock, DecisionLog& log)
    : devices_(std::move(devices)), points_(&points), feed_(&feed), forecaster_(&forecaster), policy_(&policy),
      clock_(&clock), log_(&log) {}

ControlOutcome Controller::run(const ControlSettings& settings, WorkMeter& work, Pacer& pacer,
                               const std::function<bool()>& job_running) {
  LimitGuard guard(devices_);
  std::optional<FrameGrid> fixed;
  if (settings.job.frame_length) fixed = FrameGrid::fixed(*settings.job.frame_length);
  PolicyJob job = PolicyJob::of(settings.job, *points_, fixed ? &*fixed : nullptr, clock_->now());
  job.total_work_units = settings.total_work_units;
  DevicePlant plant(devices_, *feed_, job.grid, *clock_, pacer, work, job.work_units(), *log_, job_running);
  FrameLoopSettings loop;
  loop.history = settings.job.history;
  loop.max_history_frames = settings.max_history_frames;
  const FrameLoopOutcome ran = run_frame_loop(plant, *forecaster_, *policy_, job, loop);

  log_->close();
  ControlOutcome outcome;
  outcome.end = ran.end;
  outcome.frames = ran.frames;
  outcome.work_done_units = work.work_done_units();
  outcome.elapsed = clock_->now() - job.start;
  return outcome;
}

ControlOutcome Controller::run_until_signal(const ControlSettings& settings, WorkMeter& work,
                                            const std::function<bool()>& job_running) {
  StopSignals signals;
  SignalPacer pacer(*clock_, signals);
  ControlOutcome outcome = run(settings, work, pacer, job_running);  // limits restored on return
  outcome.signal = signals.signal();
  if (outcome.signal) signals.reraise();
  return outcome;
}

}  // namespace chase

#include "control/controller.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "control/frame_grid.hpp"
#include "control/limit_guard.hpp"
#include "core/error.hpp"

namespace chase {

Controller::Controller(std::vector<PowerDevice*> devices, const OperatingPoints& points, IntensityFeed& feed,
                       Forecaster& forecaster, Policy& policy, Clock& clock, DecisionLog& log)
    : devices_(std::move(devices)), points_(&points), feed_(&feed), forecaster_(&forecaster), policy_(&policy),
      clock_(&clock), log_(&log) {}

double Controller::mean_intensity(UtcTime from, UtcTime to) {
  if (!(from < to)) return feed_->step_at(from).intensity.g_per_kwh();
  double weighted = 0;
  for (UtcTime t = from; t < to;) {
    const IntensityStep step = feed_->step_at(t);
    const UtcTime end = std::min(to, std::max(step.until, t + Duration::milliseconds(1)));
    weighted += step.intensity.g_per_kwh() * (end - t).seconds();
    t = end;
  }
  return weighted / (to - from).seconds();
}

void Controller::set_limit(Power limit) {
  for (PowerDevice* device : devices_) {
    if (!device->supports_power_limit()) continue;
    if (device->power_limit() != limit) device->set_power_limit(limit);
  }
}

ControlOutcome Controller::run(const ControlSettings& settings, WorkMeter& work, Pacer& pacer,
                               const std::function<bool()>& job_running) {
  LimitGuard guard(devices_);
  const UtcTime start = clock_->now();
  std::optional<FrameGrid> fixed;
  if (settings.frame_length) fixed = FrameGrid::fixed(*settings.frame_length);

  PolicyJob job;
  job.points = points_;
  job.grid = fixed ? &*fixed : nullptr;
  job.start = start;
  job.time_at_max = settings.time_at_max;
  job.slowdown_budget = settings.slowdown_budget;
  policy_->begin(job);
  const double total = job.work_units();

  // The recent past, where the feed has it.
  bool forecaster_ready = false;
  Duration history = settings.history;
  try {
    Duration frame;
    if (fixed) {
      frame = *settings.frame_length;
    } else {
      const IntensityStep step = feed_->step_at(start);
      frame = step.until - step.from;
    }
    history = std::min(history, frame * static_cast<double>(settings.max_history_frames));
  } catch (const Error&) {
    // The feed has nothing at the start; the loop below reads what it has before it.
  }
  for (UtcTime t = start - history; t < start && !pacer.stop_requested();) {
    UtcTime until;
    double actual = 0;
    try {
      const IntensityStep step = feed_->step_at(t);
      until = std::min(start, fixed ? fixed->next_boundary(t) : step.until);
      if (!(t < until)) break;
      actual = mean_intensity(t, until);
    } catch (const Error&) {
      t = fixed ? fixed->next_boundary(t) : t + Duration::hours(1);
      continue;
    }
    forecaster_->observe({t, CarbonIntensity::g_per_kwh(actual)});
    policy_->observe(t, until, CarbonIntensity::g_per_kwh(actual));
    forecaster_ready = true;
    t = until;
  }

  ControlOutcome outcome;
  UtcTime from = start;
  while (true) {
    if (pacer.stop_requested()) {
      outcome.end = ControlOutcome::End::kStopped;
      break;
    }
    if (job_running && !job_running()) {
      outcome.end = ControlOutcome::End::kJobEnded;
      break;
    }
    const double done = work.work_done_units();
    if (done >= total) {
      outcome.end = ControlOutcome::End::kWorkDone;
      break;
    }
    const IntensityStep step = feed_->step_at(from);
    const UtcTime until = fixed ? fixed->next_boundary(from) : std::max(step.until, from + Duration::seconds(1));
    const double predicted = forecaster_ready ? forecaster_->predict(1).front().g_per_kwh() : step.intensity.g_per_kwh();
    const Power limit = policy_->decide({from, until, CarbonIntensity::g_per_kwh(predicted), done});
    points_->at(limit);  // a policy answers with a profiled limit; anything else is a bug worth an error
    set_limit(limit);
    log_->record({from, until, limit, predicted, std::nullopt, done, step.source, step.fallback});
    ++outcome.frames;

    const bool stopped = pacer.wait_until(until);
    const UtcTime now = std::max(clock_->now(), from + Duration::milliseconds(1));
    const double actual = mean_intensity(from, now);
    log_->complete(actual);
    work.ran(limit, now - from);
    forecaster_->observe({from, CarbonIntensity::g_per_kwh(actual)});
    policy_->observe(from, now, CarbonIntensity::g_per_kwh(actual));
    forecaster_ready = true;
    from = now;
    if (stopped) {
      outcome.end = ControlOutcome::End::kStopped;
      break;
    }
  }
  log_->close();
  outcome.work_done_units = work.work_done_units();
  outcome.elapsed = clock_->now() - start;
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

#include "control/device_plant.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace chase {

DevicePlant::DevicePlant(std::vector<PowerDevice*> devices, IntensityFeed& feed, const FrameGrid* fixed,
                         Clock& clock, Pacer& pacer, WorkMeter& work, double total_units, DecisionLog& log,
                         std::function<bool()> job_running)
    : devices_(std::move(devices)), feed_(&feed), fixed_(fixed), clock_(&clock), pacer_(&pacer), work_(&work),
      total_units_(total_units), log_(&log), job_running_(std::move(job_running)) {}

Duration DevicePlant::nominal_frame(UtcTime start) {
  if (fixed_) return fixed_->nominal_length();
  const IntensityStep step = feed_->step_at(start);
  return step.until - step.from;
}

UtcTime DevicePlant::frame_end(UtcTime from) {
  if (fixed_) return fixed_->next_boundary(from);
  // A feed whose step ends at `from` (or before, a stale step) still moves the loop on.
  return std::max(feed_->step_at(from).until, from + Duration::seconds(1));
}

CarbonIntensity DevicePlant::mean_intensity(UtcTime from, UtcTime until) {
  if (!(from < until)) return feed_->step_at(from).intensity;
  double weighted = 0;
  for (UtcTime t = from; t < until;) {
    const IntensityStep step = feed_->step_at(t);
    const UtcTime end = std::min(until, std::max(step.until, t + Duration::milliseconds(1)));
    weighted += step.intensity.g_per_kwh() * (end - t).seconds();
    t = end;
  }
  return CarbonIntensity::g_per_kwh(weighted / (until - from).seconds());
}

std::optional<FrameLoopEnd> DevicePlant::before_frame(UtcTime) {
  if (pacer_->stop_requested()) return FrameLoopEnd::kStopped;
  if (job_running_ && !job_running_()) return FrameLoopEnd::kJobEnded;
  if (work_->work_done_units() >= total_units_) return FrameLoopEnd::kWorkDone;
  return std::nullopt;
}

void DevicePlant::set_limit(Power limit) {
  for (PowerDevice* device : devices_) {
    if (!device->supports_power_limit()) continue;
    if (device->power_limit() != limit) device->set_power_limit(limit);
  }
}

std::optional<Energy> DevicePlant::controlled_energy() {
  // The GPUs whose limit the frame sets; their counters are what the frame's limit drew.
  Energy sum;
  std::size_t count = 0;
  try {
    for (PowerDevice* device : devices_) {
      if (!device->supports_power_limit() || !device->has_energy_counter()) continue;
      sum += device->energy();
      ++count;
    }
  } catch (const Error&) {
    return std::nullopt;  // a counter that cannot be read now leaves the frame unmetered
  }
  if (count == 0) return std::nullopt;
  return sum / static_cast<double>(count);
}

FrameRan DevicePlant::run_frame(const FrameDecision& d) {
  const IntensityStep step = feed_->step_at(d.from);
  set_limit(d.limit);
  const double work_before = work_->work_done_units();
  const std::optional<Energy> energy_before = controlled_energy();
  log_->record({d.from, d.until, d.limit, d.predicted, std::nullopt, d.work_done_units, step.source,
                step.fallback});
  const bool stopped = pacer_->wait_until(d.until);
  const UtcTime now = std::max(clock_->now(), d.from + Duration::milliseconds(1));
  const CarbonIntensity actual = mean_intensity(d.from, now);
  log_->complete(actual);
  work_->ran(d.limit, now - d.from);
  FrameRan ran{now, actual, stopped ? std::optional(FrameLoopEnd::kStopped) : std::nullopt};
  ran.work_units = std::max(0.0, work_->work_done_units() - work_before);
  ran.work_measured = work_->measured();
  const std::optional<Energy> energy_after = controlled_energy();
  // A counter that went back (a reset GPU) says nothing about the frame.
  if (energy_before && energy_after && *energy_after >= *energy_before) ran.energy_per_gpu = *energy_after - *energy_before;
  return ran;
}

}  // namespace chase

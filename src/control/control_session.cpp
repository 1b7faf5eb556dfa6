#include "control/control_session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "control/operating_points.hpp"
#include "control/progress_file.hpp"
#include "control/progress_profiling.hpp"
#include "control/progress_work.hpp"
#include "control/work_meter.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"

namespace chase {
namespace {

// The measured profile as CSV (core/output_file.hpp: an earlier file is replaced only once the
// new one is complete); why it could not be saved, or nothing.
std::optional<std::string> write_profile(const PowerProfile& profile, const std::filesystem::path& path) {
  try {
    write_output_file(path, profile.to_csv());
    return std::nullopt;
  } catch (const Error& e) {
    return std::string(e.what());
  }
}

}  // namespace

std::vector<std::shared_ptr<PowerDevice>> controllable_devices(const std::vector<std::shared_ptr<PowerDevice>>& all,
                                                               const PowerProfile* profile,
                                                               const std::string& nvml_detail) {
  std::vector<std::shared_ptr<PowerDevice>> out;
  for (const auto& d : all) {
    if (d->supports_power_limit()) out.push_back(d);
  }
  if (out.empty()) {
    throw HardwareError(fmt::format("no GPU with a settable power limit here{} (see `chase devices`)",
                                    nvml_detail.empty() ? "" : ": " + nvml_detail));
  }
  if (profile) require_limits_in_range(out, profile->limits(), "--profile: ");
  // Setting the current limit again changes nothing but proves the privilege.
  for (const auto& d : out) d->set_power_limit(d->power_limit());
  return out;
}

void require_limits_in_range(const std::vector<std::shared_ptr<PowerDevice>>& devices, const std::vector<Power>& limits,
                             std::string_view what) {
  for (const auto& d : devices) {
    const PowerLimitRange range = d->power_limit_range();
    for (const Power limit : limits) {
      if (limit < range.min || limit > range.max) {
        throw InputError(fmt::format("{}limit {} W is outside {}'s range {}-{} W", what, limit.watts(), d->id(),
                                     range.min.watts(), range.max.watts()));
      }
    }
  }
}

ControlSession::ControlSession(std::vector<PowerDevice*> gpus, IntensityFeed& feed, Forecaster& forecaster,
                               Policy& policy, Clock& clock, DecisionLog& log)
    : gpus_(std::move(gpus)), feed_(&feed), forecaster_(&forecaster), policy_(&policy), clock_(&clock), log_(&log) {}

ControlSessionResult ControlSession::run(const ControlSessionSetup& setup, Pacer& pacer) {
  ControlSessionResult result;
  std::optional<DriftWatch> watch;  // outlives control: what it saw is read after an error too
  try {
    watch.emplace(*policy_, setup.drift, setup.on_drift);
    std::optional<OperatingPoints> points;
    if (setup.profile) points.emplace(*setup.profile);
    // The job's progress file, read by the profiler and then by the work meter (one reader: a
    // count that goes back is caught across both).
    std::optional<ProgressFile> progress;
    if (setup.profiling) {
      progress.emplace(setup.profiling->progress_file);
    } else if (setup.progress_file) {
      progress.emplace(*setup.progress_file);
    }
    if (!points) {
      const ProgressProfiling& jit = setup.profiling.value();
      Profiler profiler(gpus_, *clock_, jit.profiler);
      const UtcTime from = clock_->now();
      result.profiled = profile_from_progress(profiler, *progress, pacer, *clock_, jit.poll);
      result.profiling = clock_->now() - from;
      if (!result.profiled) {
        result.profiling_interrupted = true;
        return result;
      }
      // A profile that cannot be saved does not stop control: it is reported when the run ends.
      if (jit.save_to) result.save_error = write_profile(*result.profiled, *jit.save_to);
      points.emplace(*result.profiled);
    }
    std::unique_ptr<WorkMeter> work;
    Controller controller(gpus_, *points, *feed_, *forecaster_, *watch, *clock_, *log_);
    ControlSettings settings = setup.control;
    std::optional<std::int64_t> remaining;  // iterations still to run, where they are known
    if (setup.measured) {
      work = std::make_unique<MeasuredWork>(*setup.measured->counter);
      result.work_meter = "steps";
      result.iterations_before_control = setup.measured->counter->done();
      remaining = std::max<std::int64_t>(0, setup.measured->remaining);
    } else if (progress) {
      auto counted = std::make_unique<ProgressWork>(*progress);
      result.work_meter = "progress-file";
      result.iterations_before_control = counted->start_count();
      if (setup.total_iterations) {
        if (*setup.total_iterations <= 0) {
          throw InputError(fmt::format("total iterations: {} is not a positive count", *setup.total_iterations));
        }
        remaining = std::max<std::int64_t>(0, *setup.total_iterations - counted->start_count());
      }
      work = std::move(counted);
    } else {
      work = std::make_unique<ModelledWork>(*points);
    }
    if (remaining) {
      // The deadline's baseline: the iterations left at the measured time per iteration at the
      // maximum limit.
      const Duration per_iteration = points->max_limit().time_per_unit;
      const double hours = per_iteration.hours() * static_cast<double>(*remaining);
      if (!(hours <= kLongestJobHours)) {
        throw InputError(fmt::format("{} iterations at {:.4g} s each at the maximum limit take longer than ten years",
                                     *remaining, per_iteration.seconds()));
      }
      settings.job.work_at_max = per_iteration * static_cast<double>(*remaining);
      settings.total_work_units = static_cast<double>(*remaining);
    } else if (result.profiled) {
      // Profiling iterations are training iterations: the rest of the job is that much shorter
      // (a little less, in truth, as most of the profiling ran below the maximum limit).
      settings.job.work_at_max = std::max(Duration(), settings.job.work_at_max - result.profiling);
    }
    result.outcome = controller.run(settings, *work, pacer);
    result.work_done_units = work->work_done_units();
  } catch (...) {
    result.error = std::current_exception();
  }
  // The corrected profile, whatever ended control once the drift was seen.
  if (!watch) return result;
  result.drift = watch->drift();
  const std::string base = setup.profile ? setup.profile->source() : (result.profiled ? result.profiled->source() : "");
  result.corrected = watch->corrected_profile(base.empty() ? "corrected from the run" : base + ", corrected from the run");
  if (result.corrected && setup.save_corrected_to) {
    if (auto failed = write_profile(*result.corrected, *setup.save_corrected_to)) {
      result.save_error = result.save_error ? *result.save_error + "; " + *failed : *failed;
    } else {
      result.corrected_saved_to = *setup.save_corrected_to;
    }
  }
  return result;
}

std::string ControlSessionResult::error_message() const {
  if (!error) return {};
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

std::string profile_name(const ControlSessionSetup& setup, const ControlSessionResult& result) {
  if (setup.profile) return setup.profile->source();
  if (result.profiled) return result.profiled->source();
  if (result.profiling_interrupted) return "none (the job ended while it was being profiled)";
  return "none";
}

std::optional<std::string> prefetch_history(IntensitySource& source, bool in_memory, const Clock& clock, JobSpec& job) {
  if (in_memory) return std::nullopt;
  try {
    source.history(clock.now() - job.history, clock.now());
    return std::nullopt;
  } catch (const Error& e) {
    job.history = Duration();
    return std::string(e.what());
  }
}

std::map<double, Duration, std::greater<>> time_per_limit(const DecisionLog& log, UtcTime end) {
  std::map<double, Duration, std::greater<>> out;
  const auto& d = log.decisions();
  for (std::size_t i = 0; i < d.size(); ++i) {
    const UtcTime until = i + 1 < d.size() ? d[i + 1].from : end;
    out[d[i].limit.watts()] += until - d[i].from;
  }
  return out;
}

}  // namespace chase

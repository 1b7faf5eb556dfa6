#pragma once
// The whole control of one training job that chase runs as a command (`chase run`, and the
// Python integration to come): optionally profile the job just in time (Zeus-style, from its
// progress file), save that profile, then run the Chase controller with the profile (saved or
// just measured) until the work is done or the job ends. Profiling iterations are training
// iterations, so the time they took is taken off the job's work. The job's own count (its
// progress file, or the training loop's steps) is the work meter whenever there is one; the
// policy runs under a DriftWatch that reports the job drifting from its profile and yields the
// corrected profile. The limits are restored whatever ends the session.
//
// Also here: the checks that must pass before the job starts (which GPUs can be controlled, at
// which limits, with which privilege), and the time spent at each limit.

#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "carbon/forecast/forecaster.hpp"
#include "control/controller.hpp"
#include "carbon/intensity_source.hpp"
#include "control/decision_log.hpp"
#include "control/drift_watch.hpp"
#include "control/job_spec.hpp"
#include "control/pacer.hpp"
#include "control/policy.hpp"
#include "control/profiler.hpp"
#include "control/step_counter.hpp"
#include "core/clock.hpp"
#include "core/intensity_feed.hpp"
#include "energy/power_device.hpp"
#include "energy/power_profile.hpp"

namespace chase {

// Just-in-time profiling from a progress file the job rewrites with its count of iterations. The
// same file is then the work meter for the rest of the run (ProgressWork: iterations).
struct ProgressProfiling {
  std::filesystem::path progress_file;
  ProfilerOptions profiler;
  Duration poll = Duration::milliseconds(100);  // how often the progress file is read
  std::optional<std::filesystem::path> save_to;  // the measured profile as CSV
};

// The job's work measured from its own step count (the Python integration) instead of modelled
// from the profile's rate at the limits set: the counter, and the steps still to run when control
// starts. The profile's unit must be one step (a profile measured just in time is).
struct MeasuredSteps {
  const StepCounter* counter = nullptr;  // borrowed
  std::int64_t remaining = 0;
};

struct ControlSessionSetup {
  const PowerProfile* profile = nullptr;  // a saved profile; null: profile the job (`profiling`)
  std::optional<ProgressProfiling> profiling;
  ControlSettings control;
  // With it, control.job.work_at_max is the remaining steps at the profile's time per step at
  // the maximum limit, and the work done is the steps counted.
  std::optional<MeasuredSteps> measured;
  // With a saved profile: the job's progress file, the work meter for the whole run (ProgressWork,
  // in iterations: the saved profile's unit must be one iteration). With `profiling` its progress
  // file is the work meter anyway. With neither (nor `measured`) the work is modelled from the
  // profile's rates at the limits set (ModelledWork).
  std::optional<std::filesystem::path> progress_file = std::nullopt;
  // The job's iterations in all, as its progress file counts them (needs a progress file): the
  // work is those still to run when control starts, and control.job.work_at_max is them at the
  // profile's time per iteration at the maximum limit. None: control.job.work_at_max as given,
  // less the time profiling took.
  std::optional<std::int64_t> total_iterations = std::nullopt;
  // When the job has drifted from its profile (drift_watch.hpp); on_drift is told once, in the
  // thread that runs the session.
  DriftSettings drift{};
  DriftWatch::Listener on_drift = {};
  // Where the corrected profile is written (CSV, atomically) at the end of a run that drifted.
  std::optional<std::filesystem::path> save_corrected_to = std::nullopt;
};

struct ControlSessionResult {
  std::optional<PowerProfile> profiled;  // the profile measured just in time
  Duration profiling;                     // how long profiling took (training time)
  bool profiling_interrupted = false;     // the job ended (or a stop came) while profiling
  ControlOutcome outcome;
  double work_done_units = 0;
  // What counted the work: "progress-file", "steps" (the training loop's counter) or "modelled".
  std::string work_meter = "modelled";
  // The job's count of iterations when control started (measured work only).
  std::optional<std::int64_t> iterations_before_control;
  std::optional<ProfileDrift> drift;         // the first departure from the profile, if any
  std::optional<PowerProfile> corrected;     // the profile learned from the run, once it drifted
  std::optional<std::filesystem::path> corrected_saved_to;  // where `corrected` was written
  std::exception_ptr error;               // what ended control early, if anything
  // Why a profile could not be saved (profiling.save_to, save_corrected_to), if so.
  std::optional<std::string> save_error;
  bool profiling_ran() const { return profiled.has_value() || profiling_interrupted; }
  // What `error` says (its what()); empty without an error.
  std::string error_message() const;
};

// Throws InputError "<what>limit 400 W is outside nvml:0's range 100-300 W" for the first of
// `limits` outside a device's settable range (each device's range is read once).
void require_limits_in_range(const std::vector<std::shared_ptr<PowerDevice>>& devices, const std::vector<Power>& limits,
                             std::string_view what);

// The GPUs a session may drive: every device with a settable limit. Throws HardwareError when
// there is none (with the NVML backend's reason, `nvml_detail`), InputError when a limit of
// `profile` (may be null) is outside a GPU's range, and PermissionError when the limit cannot
// be set (checked by setting the current limit again, which changes nothing).
std::vector<std::shared_ptr<PowerDevice>> controllable_devices(const std::vector<std::shared_ptr<PowerDevice>>& all,
                                                               const PowerProfile* profile,
                                                               const std::string& nvml_detail);

class ControlSession {
 public:
  // Everything is borrowed and must outlive the session.
  ControlSession(std::vector<PowerDevice*> gpus, IntensityFeed& feed, Forecaster& forecaster, Policy& policy,
                 Clock& clock, DecisionLog& log);
  // Runs the session in the calling thread until the work is done or the pacer is stopped (the
  // job ended). Never throws: an error ends control early and is kept in the result (the job
  // runs on, at restored limits).
  ControlSessionResult run(const ControlSessionSetup& setup, Pacer& pacer);

 private:
  std::vector<PowerDevice*> gpus_;
  IntensityFeed* feed_;
  Forecaster* forecaster_;
  Policy* policy_;
  Clock* clock_;
  DecisionLog* log_;
};

// The profile a session ran with, for reports: the saved profile's name, the name of the one
// measured just in time, or why there is none.
std::string profile_name(const ControlSessionSetup& setup, const ControlSessionResult& result);

// Fetches the job's warm-up history from `source` in one request (a live provider would
// otherwise be asked once per frame of the past); `in_memory` sources (a trace) are skipped.
// When the fetch fails, the warm-up is switched off (job.history = 0: reading it frame by frame
// would retry the same failing fetch for every frame) and the reason is returned.
std::optional<std::string> prefetch_history(IntensitySource& source, bool in_memory, const Clock& clock, JobSpec& job);

// How long a run spent at each limit (highest first), from its decisions; the last frame ends
// at `end`.
std::map<double, Duration, std::greater<>> time_per_limit(const DecisionLog& log, UtcTime end);

}  // namespace chase

#pragma once
// JSON of a controlled training run (`chase run --json`): the metered window, the command, how
// control went, the profile measured at the start, every decision and the time at each limit.

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "control/controlled_command.hpp"
#include "control/controller.hpp"
#include "control/decision_log.hpp"
#include "energy/monitor.hpp"
#include "energy/power_profile.hpp"
#include "export/window_export.hpp"

namespace chase {

// [{power_limit_w, time_s, energy_j, avg_power_w}], highest limit first; per unit of work.
nlohmann::json profile_json(const PowerProfile& profile);

// What a run report says beside its window. Pointers are borrowed for the call.
struct RunSummary {
  CommandOutcome command;
  std::string policy;
  std::string forecaster;
  std::optional<double> slowdown_budget;   // fraction
  std::string profile;                     // the profile's name, or why there is none
  std::optional<Duration> profiling;       // how long the job was profiled, when it was
  const PowerProfile* profiled = nullptr;  // the profile measured, once profiling finished
  std::vector<std::string> controlled_devices;
  bool profiling_interrupted = false;      // the job ended while it was being profiled
  ControlOutcome::End end = ControlOutcome::End::kWorkDone;
  std::optional<std::string> control_error;  // why control stopped early
  double work_done_units = 0;
  std::string work_meter = "modelled";  // "progress-file", "steps" or "modelled" (ControlSessionResult)
  std::optional<std::int64_t> iterations_before_control;  // the job's count when control started
  std::optional<std::int64_t> total_iterations;  // the job's length as stated in iterations
  std::optional<ProfileDrift> drift;             // where the job first departed from its profile
  std::optional<std::string> corrected_profile_saved_to;  // where the corrected profile went
  const std::vector<Decision>* decisions = nullptr;
  std::map<double, Duration, std::greater<>> time_per_limit;  // W → time, highest limit first
  SamplerStats sampler;  // how the metering's sampler went (interval_ms: the caller's)
  std::vector<DeviceEntry> metering;  // every device, metered how or not metered why
};

// The summary of a controlled command, from its result and its decisions: the command, how
// profiling and control went, the decisions and the time at each limit. Left to the caller:
// policy, forecaster, slowdown_budget, profile, controlled_devices, total_iterations and metering. Borrows from `result`
// and `log`, which must outlive it.
RunSummary run_summary(const std::vector<std::string>& argv, const ControlledCommandResult& result,
                       const DecisionLog& log);

// window_json plus the command's fields, policy, forecaster, slowdown_budget, profile,
// profiling_s, profiled (when measured), controlled_devices, control_end ("work-done",
// "job-ended", "job-ended-while-profiling" or "error"), control_error, work_done_units,
// work_meter, iterations_before_control, total_iterations, profile_drifted (bool), profile_drift
// {limit_w, profile_rate_per_s, measured_rate_per_s} (units of work per second),
// corrected_profile_saved_to, decisions, time_per_limit[{limit_w, time_s}], sampler{interval_ms, samples, errors} and
// metering (export/devices_export.hpp);
// absent values are null.
nlohmann::json run_json(const RunSummary& run, const WindowResult& w, const std::string& priced_by);

}  // namespace chase

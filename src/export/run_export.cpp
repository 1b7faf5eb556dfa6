#include "export/run_export.hpp"

#include "export/decision_export.hpp"
#include "export/devices_export.hpp"
#include "export/json_optional.hpp"

namespace chase {
namespace {

const char* end_name(const RunSummary& run) {
  if (run.control_error) return "error";
  if (run.profiling_interrupted) return "job-ended-while-profiling";
  switch (run.end) {
    case ControlOutcome::End::kWorkDone:
      return "work-done";
    case ControlOutcome::End::kJobEnded:
      return "job-ended";
    case ControlOutcome::End::kStopped:
      return "job-ended";  // the pacer stops the controller when the job ends
  }
  return "?";
}

}  // namespace

nlohmann::json profile_json(const PowerProfile& profile) {
  nlohmann::json rows = nlohmann::json::array();
  for (const ProfilePoint& p : profile.points()) {
    rows.push_back({{"power_limit_w", p.limit.watts()},
                    {"time_s", p.time.seconds()},
                    {"energy_j", p.energy.joules()},
                    {"avg_power_w", p.average_power().watts()}});
  }
  return rows;
}

RunSummary run_summary(const std::vector<std::string>& argv, const ControlledCommandResult& result,
                       const DecisionLog& log) {
  const ControlSessionResult& c = result.control;
  RunSummary s;
  s.command = CommandOutcome::of(argv, result.metered);
  if (c.profiling_ran()) s.profiling = c.profiling;
  s.profiled = c.profiled ? &*c.profiled : nullptr;
  s.profiling_interrupted = c.profiling_interrupted;
  s.end = c.outcome.end;
  if (c.error) s.control_error = c.error_message();
  s.work_done_units = c.work_done_units;
  s.work_meter = c.work_meter;
  s.iterations_before_control = c.iterations_before_control;
  s.drift = c.drift;
  if (c.corrected_saved_to) s.corrected_profile_saved_to = c.corrected_saved_to->string();
  s.decisions = &log.decisions();
  s.time_per_limit = time_per_limit(log, result.metered.window.end);
  s.sampler.samples = result.metered.sampling.samples;
  s.sampler.errors = result.metered.sampling.errors;
  return s;
}

nlohmann::json run_json(const RunSummary& run, const WindowResult& w, const std::string& priced_by) {
  nlohmann::json j = window_json(w, priced_by);
  add_command_json(j, run.command);
  j["policy"] = run.policy;
  j["forecaster"] = run.forecaster;
  j["slowdown_budget"] = or_null(run.slowdown_budget);
  j["profile"] = run.profile;
  j["profiling_s"] = or_null(run.profiling, [](const Duration& d) { return d.seconds(); });
  if (run.profiled) j["profiled"] = profile_json(*run.profiled);
  j["controlled_devices"] = run.controlled_devices;
  j["control_end"] = end_name(run);
  j["control_error"] = or_null(run.control_error);
  j["work_done_units"] = run.work_done_units;
  j["work_meter"] = run.work_meter;
  j["iterations_before_control"] = or_null(run.iterations_before_control);
  j["total_iterations"] = or_null(run.total_iterations);
  j["profile_drifted"] = run.drift.has_value();
  j["profile_drift"] = or_null(run.drift, [](const ProfileDrift& d) {
    return nlohmann::json{{"limit_w", d.limit.watts()},
                          {"profile_rate_per_s", d.profile_rate_per_s},
                          {"measured_rate_per_s", d.measured_rate_per_s}};
  });
  j["corrected_profile_saved_to"] = or_null(run.corrected_profile_saved_to);
  j["decisions"] = run.decisions ? decisions_json(*run.decisions) : nlohmann::json::array();
  nlohmann::json per_limit = nlohmann::json::array();
  for (const auto& [limit, time] : run.time_per_limit) per_limit.push_back({{"limit_w", limit}, {"time_s", time.seconds()}});
  j["time_per_limit"] = per_limit;
  j["sampler"] = sampler_json(run.sampler);
  j["metering"] = metering_json(run.metering);
  return j;
}

}  // namespace chase

#include "export/simulation_export.hpp"

#include "control/policy.hpp"
#include "export/json_optional.hpp"
#include "sim/benchmark_runs.hpp"

namespace chase {

nlohmann::json frames_json(const SimulationResult& r) {
  nlohmann::json frames = nlohmann::json::array();
  for (const SimulatedFrame& f : r.frames) {
    frames.push_back({{"start", f.from.iso8601()},
                      {"run_s", f.run_time.seconds()},
                      {"frame_s", f.length.seconds()},
                      {"limit_w", f.limit.watts()},
                      {"predicted_g_per_kwh", f.predicted.g_per_kwh()},
                      {"actual_g_per_kwh", f.actual.g_per_kwh()},
                      {"energy_j", f.energy.joules()},
                      {"carbon_g", f.carbon.grams()}});
  }
  return frames;
}

nlohmann::json simulation_json(const SimulationInputs& in, const PolicyComparison& c) {
  const SimulationSetup& setup = in.setup;
  const JobSpec& job = setup.job;
  nlohmann::json j;
  j["policy"] = in.policy;
  j["trace"] = in.trace;
  j["profile"] = in.profile;
  j["start"] = setup.start.iso8601();
  j["end"] = (setup.start + c.run.time).iso8601();
  j["work_hours"] = in.work_hours;
  j["slowdown_budget"] = or_null(job.slowdown_budget);
  j["frame_s"] = or_null(job.frame_length, [](const Duration& d) { return d.seconds(); });
  j["forecaster"] = job.forecaster;
  j["eta"] = job.eta();
  if (!in.actual_profile.empty()) j["actual_profile"] = in.actual_profile;
  if (!setup.speed_changes.none()) j["speed_changes"] = setup.speed_changes.describe();
  j["time_s"] = c.run.time.seconds();
  j["energy_j"] = c.run.energy.joules();
  j["carbon_g"] = c.run.carbon.grams();
  j["slowdown_pct"] = c.slowdown_pct;
  // null without a budget, or for a policy that takes none (it is not judged against one).
  j["within_budget"] = job.slowdown_budget && takes_budget(in.policy)
                           ? nlohmann::json(within_slowdown_budget(c.slowdown_pct, *job.slowdown_budget))
                           : nlohmann::json(nullptr);
  j["carbon_saved_pct"] = c.carbon_saved_pct;
  j["energy_saved_pct"] = c.energy_saved_pct;
  j["baseline"] = {{"policy", c.baseline.policy},
                   {"time_s", c.baseline.time.seconds()},
                   {"energy_j", c.baseline.energy.joules()},
                   {"carbon_g", c.baseline.carbon.grams()}};
  j["frames"] = frames_json(c.run);
  return j;
}

}  // namespace chase

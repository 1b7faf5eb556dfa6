#pragma once
// JSON of a simulated training job (`chase simulate --json`): the inputs, the policy's run
// against the `max` baseline, and every frame's decision.

#include <nlohmann/json.hpp>

#include <string>

#include "sim/simulator.hpp"

namespace chase {

// What was simulated, as the report names it.
struct SimulationInputs {
  std::string policy;
  std::string trace;    // short names (see sim/data_sets.hpp)
  std::string profile;    // what the policies believe
  double work_hours = 0;  // as asked (the setup holds it as a duration)
  SimulationSetup setup;
  std::string actual_profile = {};  // how the job really ran; empty: as `profile`
};

// [{start, run_s, frame_s, limit_w, predicted_g_per_kwh, actual_g_per_kwh, energy_j, carbon_g}].
nlohmann::json frames_json(const SimulationResult& result);

// policy, trace, profile, start, end, work_hours, slowdown_budget, frame_s (null on the
// trace's grid), forecaster, eta, [actual_profile and speed_changes, only when given], time_s, energy_j, carbon_g, slowdown_pct, carbon_saved_pct,
// energy_saved_pct, baseline{policy (the baseline's name, max), time_s, energy_j, carbon_g}, frames.
nlohmann::json simulation_json(const SimulationInputs& inputs, const PolicyComparison& comparison);

}  // namespace chase

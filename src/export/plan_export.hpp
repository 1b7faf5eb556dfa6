#pragma once
// JSON of a where-and-when plan (`chase plan --json`): the job, every region and start time
// ranked by the policy's CO2e, and the factor between the best and the worst choice.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "sim/where_and_when.hpp"

namespace chase {

// What was planned, as the report names it.
struct PlanInputs {
  std::string profile;  // short name
  std::string policy;
  double work_hours = 0;
  Energy energy_at_max;  // the job's energy at the maximum limit
  std::optional<double> slowdown_budget;
  std::optional<PlanWindow> window;
  std::vector<std::string> uncovered;  // sites without a start in the window
};

// profile, policy, work_hours, energy_at_max_kwh, slowdown_budget, window ([from, to] or null),
// uncovered, factor, factor_vs_max, rows[{region, start (null for a static average),
// max_carbon_g, max_energy_j, carbon_g, energy_j, time_s, carbon_saved_pct, slowdown_pct}]
// best first.
nlohmann::json plan_json(const PlanInputs& inputs, const WhereAndWhen& plan);

}  // namespace chase

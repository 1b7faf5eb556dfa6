#pragma once
// Patterson et al.'s "where and when": the same training job started in different regions and
// at different times, at the maximum power limit and under a power-limit policy (chase by
// default), ranked by the policy's CO2e, best first.

#include <optional>
#include <string>
#include <vector>

#include "carbon/intensity_trace.hpp"
#include "energy/power_profile.hpp"
#include "sim/simulator.hpp"

namespace chase {

struct PlanSite {
  std::string name;            // region or trace name
  const IntensityTrace* trace;  // outlives the call
  std::vector<UtcTime> starts;
  bool time_invariant = false;  // a static average: one start stands for all
};

struct PlanRow {
  std::string site;
  UtcTime start;
  bool time_invariant = false;
  double max_carbon_g = 0;
  double max_energy_j = 0;
  double policy_carbon_g = 0;
  double policy_energy_j = 0;
  double policy_time_s = 0;
  double carbon_saved_pct = 0;
  double slowdown_pct = 0;
};

struct WhereAndWhen {
  std::vector<PlanRow> rows;  // best (least policy CO2e) first
  // Worst policy CO2e ÷ best; and the worst at max power ÷ the best under the policy.
  double spread_factor = 1;
  double spread_factor_vs_max = 1;
};

// `setup.start` is ignored (each site's starts are used); energy_scale multiplies every
// energy and carbon figure (a job's energy at max power ÷ the profile's).
WhereAndWhen plan_where_and_when(const std::vector<PlanSite>& sites, const PowerProfile& profile,
                                 const SimulationSetup& setup, const std::string& policy, double eta,
                                 double energy_scale = 1.0);

}  // namespace chase

#include "sim/where_and_when.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace chase {

WhereAndWhen plan_where_and_when(const std::vector<PlanSite>& sites, const PowerProfile& profile,
                                 const SimulationSetup& setup, const std::string& policy, double eta,
                                 double energy_scale) {
  WhereAndWhen out;
  for (const PlanSite& site : sites) {
    const Simulator sim(*site.trace, profile);
    for (const UtcTime start : site.starts) {
      SimulationSetup s = setup;
      s.start = start;
      s.record_frames = false;
      const SimulationResult max = sim.run(baseline_policy_name(), s, eta);
      const PolicyComparison c = compare_with_max(sim.run(policy, s, eta), max);
      PlanRow row;
      row.site = site.name;
      row.start = start;
      row.time_invariant = site.time_invariant;
      row.max_carbon_g = max.carbon_g * energy_scale;
      row.max_energy_j = max.energy_j * energy_scale;
      row.policy_carbon_g = c.run.carbon_g * energy_scale;
      row.policy_energy_j = c.run.energy_j * energy_scale;
      row.policy_time_s = c.run.time_s;
      row.carbon_saved_pct = c.carbon_saved_pct;
      row.slowdown_pct = c.slowdown_pct;
      out.rows.push_back(row);
    }
  }
  if (out.rows.empty()) throw InputError("where and when: no region covers a start time in the window");
  std::stable_sort(out.rows.begin(), out.rows.end(),
                   [](const PlanRow& a, const PlanRow& b) { return a.policy_carbon_g < b.policy_carbon_g; });
  const double best = out.rows.front().policy_carbon_g;
  double worst_max = 0;
  for (const PlanRow& r : out.rows) worst_max = std::max(worst_max, r.max_carbon_g);
  if (best > 0) {
    out.spread_factor = out.rows.back().policy_carbon_g / best;
    out.spread_factor_vs_max = worst_max / best;
  }
  return out;
}

}  // namespace chase

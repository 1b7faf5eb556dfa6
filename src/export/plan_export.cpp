#include "export/plan_export.hpp"

#include "export/json_optional.hpp"

namespace chase {
namespace {

nlohmann::json row_json(const PlanRow& r) {
  return {{"region", r.site},
          {"start", r.time_invariant ? nlohmann::json(nullptr) : nlohmann::json(r.start.iso8601())},
          {"max_carbon_g", r.max_carbon.grams()},
          {"max_energy_j", r.max_energy.joules()},
          {"carbon_g", r.policy_carbon.grams()},
          {"energy_j", r.policy_energy.joules()},
          {"time_s", r.policy_time.seconds()},
          {"carbon_saved_pct", r.carbon_saved_pct},
          {"slowdown_pct", r.slowdown_pct}};
}

}  // namespace

nlohmann::json plan_json(const PlanInputs& in, const WhereAndWhen& plan) {
  nlohmann::json j;
  j["profile"] = in.profile;
  j["policy"] = in.policy;
  j["work_hours"] = in.work_hours;
  j["energy_at_max_kwh"] = in.energy_at_max.kwh();
  j["slowdown_budget"] = or_null(in.slowdown_budget);
  j["window"] = or_null(in.window, [](const PlanWindow& w) { return nlohmann::json({w.from.iso8601(), w.to.iso8601()}); });
  j["uncovered"] = in.uncovered;
  j["factor"] = or_null(plan.spread_factor);
  j["factor_vs_max"] = or_null(plan.spread_factor_vs_max);
  nlohmann::json rows = nlohmann::json::array();
  for (const PlanRow& r : plan.rows) rows.push_back(row_json(r));
  j["rows"] = rows;
  return j;
}

}  // namespace chase

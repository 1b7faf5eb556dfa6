#include "export/comparison_export.hpp"

#include "export/json_optional.hpp"

namespace chase {
namespace {

nlohmann::json result_json(const ScenarioResult& r) {
  return {{"energy_kwh", r.energy.kwh()}, {"energy_mwh", r.energy.mwh()}, {"co2e_t", r.co2e.tonnes()},
          {"co2e_kg", r.co2e.kilograms()}};
}

}  // namespace

nlohmann::json comparison_json(const WhatIfReport& report) {
  const Scenario& b = report.baseline_scenario;
  nlohmann::json j;
  j["mode"] = report.cumulative ? "chain" : "each";
  j["baseline"] = result_json(report.baseline);
  j["baseline"]["label"] = b.label;
  j["baseline"]["hours"] = b.job.training_time.hours();
  j["baseline"]["processors"] = b.job.processors;
  j["baseline"]["power_w"] = b.job.avg_power_per_processor.watts();
  j["baseline"]["pue"] = b.job.pue;
  j["baseline"]["intensity_g_per_kwh"] = b.intensity.g_per_kwh();
  j["factors"] = nlohmann::json::array();
  for (const WhatIfRow& row : report.rows) {
    nlohmann::json r = result_json(row.result);
    r["factor"] = row.factor;
    r["change"] = row.label;
    r["source"] = row.source;
    r["step_factor"] = row.step_factor;
    r["factor_vs_baseline"] = row.factor_vs_baseline;
    j["factors"].push_back(r);
  }
  j["combined"] = result_json(report.combined);
  j["combined_factor"] = report.combined_factor;
  return j;
}

nlohmann::json worked_example_json(const WorkedExample& example, const WhatIfReport& report) {
  nlohmann::json j = comparison_json(report);
  j["example"] = example.key;
  j["title"] = example.title;
  j["source"] = example.source;
  j["published_total_factor"] = example.published_total_factor;
  j["published_baseline_co2e_t"] = or_null(example.published_baseline_co2e, [](const Mass& m) { return m.tonnes(); });
  return j;
}

}  // namespace chase

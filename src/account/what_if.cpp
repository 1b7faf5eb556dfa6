#include "account/what_if.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "core/embedded_data.hpp"
#include "core/error.hpp"
#include "core/toml_fields.hpp"

namespace chase {

ScenarioResult evaluate(const Scenario& scenario) {
  if (!(scenario.energy_divisor > 0)) {
    throw InputError(fmt::format("energy divisor {} must be positive", scenario.energy_divisor));
  }
  const GridFactors grid{scenario.intensity, std::nullopt, std::nullopt};
  validate(grid);
  const Energy energy = training_energy(scenario.job) / scenario.energy_divisor;
  const Mass co2e = energy * scenario.intensity;
  if (!std::isfinite(co2e.grams())) {
    throw InputError(fmt::format("energy × grid intensity overflows ({:.6g} kWh × {:.6g} gCO2e/kWh)", energy.kwh(),
                                 scenario.intensity.g_per_kwh()));
  }
  return ScenarioResult{energy, co2e};
}

Scenario ScenarioChange::apply(Scenario scenario) const {
  if (!(speedup > 0)) throw InputError(fmt::format("{}: speedup {} must be positive", factor, speedup));
  if (!(energy_divisor > 0)) throw InputError(fmt::format("{}: energy divisor {} must be positive", factor, energy_divisor));
  if (training_time) scenario.job.training_time = *training_time;
  if (processors) scenario.job.processors = *processors;
  if (power) scenario.job.avg_power_per_processor = *power;
  if (pue) scenario.job.pue = *pue;
  if (intensity) scenario.intensity = *intensity;
  const Duration before = scenario.job.training_time;
  scenario.job.training_time = before / speedup;
  if (!std::isfinite(scenario.job.training_time.hours())) {
    throw InputError(fmt::format("training time {:.6g} h ÷ speedup {:.6g} overflows", before.hours(), speedup));
  }
  scenario.energy_divisor *= energy_divisor;
  scenario.label = label;
  return scenario;
}

namespace {

std::string origin_of(const ScenarioChange& change) { return change.origin.empty() ? change.factor : change.origin; }

// fn(), with an InputError it throws prefixed by the input it came from.
template <class Fn>
auto naming(const std::string& origin, Fn&& fn) {
  try {
    return fn();
  } catch (const InputError& e) {
    throw InputError(origin + ": " + e.what());
  }
}

// before ÷ after; undefined (NaN: "—" in a table, null in JSON) when the change leaves no CO2e
// to divide by, not 0x nor an infinite factor.
double ratio(Mass before, Mass after) {
  return after.grams() > 0 ? before / after : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

WhatIfReport compare_each(const Scenario& baseline, const std::vector<ScenarioChange>& changes) {
  WhatIfReport report;
  report.baseline_scenario = baseline;
  report.baseline = evaluate(baseline);
  Scenario all = baseline;
  std::string all_origins;
  for (const auto& change : changes) {
    const std::string origin = origin_of(change);
    const ScenarioResult result = naming(origin, [&] { return evaluate(change.apply(baseline)); });
    const double factor = ratio(report.baseline.co2e, result.co2e);
    report.rows.push_back({change.factor, change.label, change.source, result, factor, factor});
    all_origins += (all_origins.empty() ? "" : " + ") + origin;
    all = naming(all_origins, [&] { return change.apply(all); });
  }
  report.combined = naming(all_origins, [&] { return evaluate(all); });
  report.combined_factor = ratio(report.baseline.co2e, report.combined.co2e);
  return report;
}

WhatIfReport compare_chain(const Scenario& baseline, const std::vector<ScenarioChange>& changes) {
  WhatIfReport report;
  report.cumulative = true;
  report.baseline_scenario = baseline;
  report.baseline = evaluate(baseline);
  Scenario current = baseline;
  ScenarioResult previous = report.baseline;
  for (const auto& change : changes) {
    current = naming(origin_of(change), [&] { return change.apply(current); });
    const ScenarioResult result = naming(origin_of(change), [&] { return evaluate(current); });
    report.rows.push_back({change.factor, change.label, change.source, result, ratio(previous.co2e, result.co2e),
                           ratio(report.baseline.co2e, result.co2e)});
    previous = result;
  }
  report.combined = previous;
  report.combined_factor = ratio(report.baseline.co2e, report.combined.co2e);
  return report;
}

namespace {

// The job fields a baseline or a step may set.
void read_job_fields(const toml::table& t, const std::string& where, ScenarioChange& change) {
  if (auto days = toml_optional_number(t, "days", where)) change.training_time = Duration::days(*days);
  change.processors = toml_optional_number(t, "processors", where);
  if (auto w = toml_optional_number(t, "power_w", where)) change.power = Power::watts(*w);
  change.pue = toml_optional_number(t, "pue", where);
  if (auto kg = toml_optional_number(t, "kg_per_kwh", where)) change.intensity = CarbonIntensity::kg_per_kwh(*kg);
  change.energy_divisor = toml_optional_number(t, "energy_divisor", where).value_or(1.0);
}

}  // namespace

ExampleTable parse_example_table(std::string_view toml_text, const std::string& source) {
  std::vector<WorkedExample> rows;
  for_each_toml_table(toml_text, source, [&](std::string key, const toml::table& t, const std::string& where) {
    WorkedExample ex;
    ex.key = std::move(key);
    ex.title = toml_string(t, "title", where);
    ex.source = toml_string(t, "source", where);
    ex.published_total_factor = toml_number(t, "published_total_factor", where);
    ex.published_note = toml_string(t, "published_note", where);

    const toml::table& base = toml_table(t, "baseline", where);
    const std::string base_where = where + " baseline";
    ex.baseline.job = TrainingJob{Duration::days(toml_number(base, "days", base_where)),
                                  toml_number(base, "processors", base_where),
                                  Power::watts(toml_number(base, "power_w", base_where)),
                                  toml_number(base, "pue", base_where)};
    ex.baseline.intensity = CarbonIntensity::kg_per_kwh(toml_number(base, "kg_per_kwh", base_where));
    ex.baseline.label = toml_string(base, "label", base_where);
    if (auto t_pub = toml_optional_number(base, "published_tco2e", base_where)) {
      ex.published_baseline_co2e = Mass::tonnes(*t_pub);
    }

    const toml::array* steps = t["steps"].as_array();
    if (steps == nullptr || steps->empty()) throw InputError(where + ": missing [[steps]]");
    for (std::size_t i = 0; i < steps->size(); ++i) {
      const toml::table* s = (*steps)[i].as_table();
      const std::string step_where = fmt::format("{} step #{}", where, i + 1);
      if (s == nullptr) throw InputError(step_where + ": expected a table");
      ScenarioChange change;
      read_job_fields(*s, step_where, change);
      change.factor = toml_string(*s, "factor", step_where);
      change.label = toml_string(*s, "label", step_where);
      change.source = toml_string(*s, "source", step_where);
      change.origin = step_where;
      ex.steps.push_back(std::move(change));
    }
    rows.push_back(std::move(ex));
  });
  return ExampleTable("worked example", std::move(rows));
}

const ExampleTable& bundled_examples() {
  static const ExampleTable table =
      parse_example_table(require_embedded("presets/examples.toml"), "bundled:presets/examples.toml");
  return table;
}

}  // namespace chase

#pragma once
// What-if comparisons (Patterson et al. 2021, Sections 2 and 4): one job, and what changes its
// CO2e when the location, the datacenter (PUE), the processor or the model (dense -> sparse)
// changes. Each change is reported as its own factor and combined.

#include <optional>
#include <string>
#include <vector>

#include "account/patterson.hpp"
#include "core/preset_table.hpp"

namespace chase {

struct Scenario {
  TrainingJob job;
  CarbonIntensity intensity;      // the factor applied to the energy
  double energy_divisor = 1.0;    // reductions the source gives only as a ratio
  std::string label;
};

struct ScenarioResult {
  Energy energy;
  Mass co2e;
};

// Energy and CO2e of a scenario; InputError when an input is out of range or the product
// overflows (never an infinite result).
ScenarioResult evaluate(const Scenario& scenario);

struct ScenarioChange {
  std::string factor;  // "location", "datacenter", "processor", "sparsity", "model", ...
  std::string label;
  std::string source;
  std::optional<Duration> training_time;
  std::optional<double> processors;
  std::optional<Power> power;
  std::optional<double> pue;
  std::optional<CarbonIntensity> intensity;
  double speedup = 1.0;         // the new processor finishes the same work this many times faster
  double energy_divisor = 1.0;  // e.g. 1 / (energy fraction of a sparse model)
  // The input this change came from ("--to-intensity 1e3", "examples.toml step #2"), named by
  // the errors it leads to; the factor names it when empty.
  std::string origin;

  // The scenario with this change; InputError when the result is not a number (a speedup so
  // small the training time overflows). compare_each/compare_chain prefix it with the origin.
  Scenario apply(Scenario scenario) const;
};

struct WhatIfRow {
  std::string factor;
  std::string label;
  std::string source;
  ScenarioResult result;
  // NaN (undefined) where the divisor is 0 g: printed as "—" and null.
  double step_factor = 1.0;          // CO2e before this change / after it
  double factor_vs_baseline = 1.0;   // baseline CO2e / CO2e of this row
};

struct WhatIfReport {
  Scenario baseline_scenario;
  ScenarioResult baseline;
  bool cumulative = false;  // rows build on each other (chain) or each stands alone
  std::vector<WhatIfRow> rows;
  ScenarioResult combined;
  double combined_factor = 1.0;
};

// Each change alone against the baseline, then all of them together. An InputError from a change
// is "<origin>: <reason>" (the origins joined by " + " for the combination).
WhatIfReport compare_each(const Scenario& baseline, const std::vector<ScenarioChange>& changes);
// The changes applied one after another, each row against the one before (the paper's Figure 1).
WhatIfReport compare_chain(const Scenario& baseline, const std::vector<ScenarioChange>& changes);

// A worked example from the paper (data/presets/examples.toml).
struct WorkedExample {
  std::string key;
  std::string title;
  std::string source;
  double published_total_factor = 0;
  std::string published_note;
  std::optional<Mass> published_baseline_co2e;
  Scenario baseline;
  std::vector<ScenarioChange> steps;
};

using ExampleTable = PresetTable<WorkedExample>;
ExampleTable parse_example_table(std::string_view toml_text, const std::string& source);
const ExampleTable& bundled_examples();

}  // namespace chase

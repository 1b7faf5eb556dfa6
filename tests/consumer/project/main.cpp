// A project outside chase using the installed library through find_package(chase): the
// Patterson estimate of GPT-3, and the README's main job (24 h of ResNet-50 on an A40 under the
// bundled GB trace, chase against max within +2.5 %) run through the library alone — the
// simulator, the registries and the export layer, no CLI.
#include <cmath>
#include <iostream>

#include "account/model_presets.hpp"
#include "carbon/forecast/forecaster.hpp"
#include "export/simulation_export.hpp"
#include "sim/simulator.hpp"

int main() {
  const auto& gpt3 = chase::bundled_models().get("gpt-3");
  const auto est = chase::estimate_footprint(gpt3.job, gpt3.grid);
  std::cout << gpt3.name << " " << std::lround(est.energy.mwh()) << " MWh\n";

  const chase::IntensityTrace trace = chase::IntensityTrace::load("gb-2020");
  const chase::PowerProfile profile = chase::PowerProfile::load("a40-resnet50");
  const chase::Simulator simulator(trace, profile);
  chase::SimulationInputs job{"chase", "gb-2020", "a40-resnet50", 24, {}};
  job.setup.start = chase::UtcTime::parse_iso8601_or_throw("2019-12-21T00:00Z", "start");
  job.setup.job.slowdown_budget = 0.025;
  job.setup.job.frame_length = chase::Duration::minutes(5);
  job.setup.job.forecaster = chase::default_forecaster_name();
  const chase::PolicyComparison c = chase::compare_with_max(
      simulator.run("chase", job.setup), simulator.run(chase::baseline_policy_name(), job.setup));
  const double saved_pct = chase::simulation_json(job, c)["carbon_saved_pct"];
  std::cout << "chase saves " << std::round(saved_pct * 10) / 10 << " %\n";
  return 0;
}

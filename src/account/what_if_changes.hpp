#pragma once
// The scenarios and changes a user asks "what if" about (Patterson et al. 2021: location,
// datacenter, processor, sparsity), each labelled and sourced as a report shows it.

#include <string>

#include "account/hardware_presets.hpp"
#include "account/model_presets.hpp"
#include "account/named_job.hpp"
#include "account/what_if.hpp"
#include "carbon/region_table.hpp"

namespace chase {

// The job at its gross intensity: "8.00000 x p100 for 84.00 h, PUE 1.58, 429.0 gCO2e/kWh (us-average)"
// (the power per processor stands in for an unnamed processor).
Scenario job_scenario(const NamedJob& job);
// A Table 4 model at its net intensity (gross where none is published): "<name> (<datacenter>)".
Scenario model_scenario(const ModelPreset& model);

ScenarioChange location_change(const RegionPreset& region);       // to the region's gross average
ScenarioChange location_change(CarbonIntensity intensity);
ScenarioChange datacenter_change(const DatacenterPreset& datacenter);
ScenarioChange datacenter_change(double pue);
// Another processor drawing `power` that runs the job `speedup` times faster; `name` labels it
// ("processor" when it has none), `source` is where the power figure comes from.
ScenarioChange processor_change(const std::string& name, Power power, double speedup, const std::string& source);
// A sparse model that needs `energy_fraction` (0, 1] of the dense model's energy.
ScenarioChange sparsity_change(double energy_fraction);

}  // namespace chase

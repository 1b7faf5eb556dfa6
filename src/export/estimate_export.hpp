#pragma once
// JSON of a Patterson et al. 2021 footprint estimate (`chase estimate --json`): energy in kWh
// and MWh, CO2e in t and kg, intensities in gCO2e/kWh; an absent net/CFE figure is null.

#include <nlohmann/json.hpp>

#include "account/model_presets.hpp"
#include "account/named_job.hpp"
#include "account/patterson.hpp"

namespace chase {

// hours, training_days, processors, power_w, pue, intensity_g_per_kwh (the headline's basis),
// intensity_basis ("net"/"gross"), gross_/net_intensity_g_per_kwh, cfe, energy_kwh, energy_mwh,
// co2e_t, co2e_kg, co2e_gross_t, co2e_net_t, co2e_24x7_cfe_t.
nlohmann::json estimate_json(const TrainingJob& job, const GridFactors& grid, const FootprintEstimate& est);

// estimate_json plus the presets named: processor, datacenter, region (null when not named).
nlohmann::json estimate_json(const NamedJob& job, const FootprintEstimate& est);

// estimate_json of a Table 4 model plus its description, the published figures and our
// deviation from them (energy_deviation_pct, co2e_deviation_pct).
nlohmann::json preset_estimate_json(const ModelPreset& model, const FootprintEstimate& est);

}  // namespace chase

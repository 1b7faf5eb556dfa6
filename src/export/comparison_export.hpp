#pragma once
// JSON of a what-if comparison (`chase compare --json`): the baseline, one row per changed
// factor with its step factor and its factor against the baseline, and the combined result.

#include <nlohmann/json.hpp>

#include "account/what_if.hpp"

namespace chase {

// mode ("chain"/"each"), baseline{label, hours, processors, power_w, pue, intensity_g_per_kwh,
// energy_kwh, energy_mwh, co2e_t, co2e_kg}, factors[{factor, change, source, step_factor,
// factor_vs_baseline, energy_*, co2e_*}], combined{energy_*, co2e_*}, combined_factor.
nlohmann::json comparison_json(const WhatIfReport& report);

// comparison_json of a paper's worked example plus example, title, source,
// published_total_factor and published_baseline_co2e_t (null when the paper gives none).
nlohmann::json worked_example_json(const WorkedExample& example, const WhatIfReport& report);

}  // namespace chase

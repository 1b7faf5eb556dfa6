#pragma once
// JSON of a paper statement (report/run_statement.hpp): {runs[], first_start, last_end,
// wall_time_s, processors[{name, backend, metering, estimated, count, device_hours, energy_j}],
// device_energy_j, measured_energy_j, estimated_energy_j, pue (null when none was applied),
// facility_energy_j, intensity_g_per_kwh (energy-weighted; null when unpriced), carbon_g,
// carbon_t (null when unpriced), unpriced_energy_j, sources[{name, kind, basis (what its figures are, which year; null when not recorded), energy_j}],
// interrupted_runs, running_runs, overlapping_runs[{runs: [a, b], devices[]}] (runs of one host
// that ran at the same time on devices in common: their sum counts those devices twice)}.

#include <nlohmann/json.hpp>

#include "report/run_statement.hpp"

namespace chase {

nlohmann::json statement_json(const RunStatement& s);

}  // namespace chase

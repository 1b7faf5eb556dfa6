#pragma once
// JSON and CSV of runs read back from the run store (`chase runs`, the report, Python).
//
// stored_run_json: {id, kind, status, command, started, ended (null while running), time_s,
// energy_j, carbon_g (null when unpriced), exit_code, host, user, chase_version,
// intensity_source, intensity_basis (what its figures are, which year), context{NAME: value}, totals_from_samples (true when the run did not end and
// its totals are what it recorded), note, devices[{index, id, name, uuid, backend, metering,
// reason, estimated, energy_j, carbon_g}], profile[{power_limit_w, time_s, energy_j}] (per unit
// of work), samples, steps, decisions (counts)}.
// stored_run_export_json adds the series: samples[{timestamp, elapsed_s, device, energy_j,
// avg_power_w}], intensity_steps[{from, until, intensity_g_per_kwh, source, fallback, age_s,
// energy_j, carbon_g}], decisions[{frame, from, until, limit_w, predicted_g_per_kwh,
// actual_g_per_kwh, source, fallback}].

#include <nlohmann/json.hpp>

#include <ostream>
#include <vector>

#include "store/run_records.hpp"

namespace chase {

nlohmann::json stored_run_json(const StoredRun& run);
nlohmann::json stored_runs_json(const std::vector<StoredRun>& runs);  // {runs: [...]}
nlohmann::json stored_run_export_json(const StoredRun& run, const std::vector<PowerSample>& samples,
                                      const std::vector<PricedStep>& steps, const std::vector<RecordedDecision>& decisions);

// The samples as `chase measure --csv` writes them: timestamp,elapsed_s,device,energy_j,
// avg_power_w,estimated (avg_power_w empty where there is no interval yet).
void write_stored_samples_csv(std::ostream& out, const StoredRun& run, const std::vector<PowerSample>& samples);

}  // namespace chase

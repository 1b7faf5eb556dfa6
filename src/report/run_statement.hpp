#pragma once
// The energy and carbon statement Patterson et al. (2021, "Carbon Emissions and Large Neural
// Network Training", §5) ask ML papers to publish, for one recorded run or a project of several:
// processors (count and type) and hours, energy (kWh/MWh) with the PUE applied, the grid's
// intensity and where it came from (live provider, trace or static average; gross,
// location-based), tCO2e, and which share of the energy was measured and which estimated.
//
// Sums are over runs: energy, carbon and device-hours add up; the intensity is the project's
// energy-weighted mean (carbon / priced energy), never a mean of the runs' intensities.

#include <optional>
#include <string>
#include <vector>

#include "store/run_records.hpp"

namespace chase {

// One kind of processor in the project: "NVIDIA A40" (metered by counter), "CPU" (estimated).
struct StatementProcessor {
  std::string name;
  std::string backend;
  std::string metering;      // "counter", "power-integration", "estimate"
  bool estimated = false;
  int count = 0;             // the most of this kind any one run used
  double device_hours = 0;   // Σ over runs: devices of this kind × the run's hours
  Energy energy;
};

// Where the intensities of the runs came from: a provider, a trace or a static region.
struct StatementSource {
  std::string name;   // "static:gb", "trace:gb-2020", "uk-carbon-intensity", "--intensity"
  std::string kind;   // "live", "trace", "static", "given"
  std::string basis;  // what its figures are and of which year, as recorded (empty for runs before it was)
  Energy energy;      // the energy priced with it
};

// Two runs of one host that overlapped in time and metered devices in common (each counted the
// devices' whole energy, so a sum counts it twice).
struct RunOverlap {
  RunId first = 0;
  RunId second = 0;
  std::vector<std::string> devices;
};

struct RunStatement {
  std::vector<RunId> runs;
  std::optional<UtcTime> first_start;
  std::optional<UtcTime> last_end;
  Duration wall_time;                // Σ of the runs' times
  std::vector<StatementProcessor> processors;
  Energy device_energy;              // what the devices drew (measured + estimated)
  Energy measured_energy;            // by counters or power polls
  Energy estimated_energy;           // by a model (the estimated CPU)
  double pue = 1.0;                  // applied to the device energy
  bool pue_given = false;            // false: 1.0, device energy only
  Energy facility_energy;            // device energy × PUE
  std::optional<Mass> carbon;        // gross, of the priced energy × PUE; none when no run was priced
  Energy unpriced_energy;            // device energy of runs without an intensity source
  std::optional<CarbonIntensity> intensity;  // energy-weighted over the priced runs
  std::vector<StatementSource> sources;
  std::size_t interrupted_runs = 0;  // runs whose totals are what they recorded before chase died
  std::size_t running_runs = 0;
  std::vector<RunOverlap> overlaps;
};

// Builds the statement of `runs` (from RunStore::find/list). `pue` (≥ 1) multiplies the device
// energy and its carbon; nullopt applies none and says so. Throws InputError for no runs or a
// PUE below 1.
RunStatement build_statement(const std::vector<StoredRun>& runs, std::optional<double> pue);

enum class StatementFormat { kText, kMarkdown, kLatex };
std::optional<StatementFormat> parse_statement_format(const std::string& name);

// A paragraph a paper can use, and the figures it rests on.
std::string render_statement(const RunStatement& s, StatementFormat format);

// "live" for a provider's name, "trace" for trace:…, "static" for static:…, "given" for --intensity.
std::string intensity_source_kind(const std::string& source);

}  // namespace chase

#pragma once
// One recorded run as a self-contained HTML page (`chase report ID --html FILE`): inline CSS and
// SVG, no scripts, no network, no external fonts. It shows the run's totals, the energy of each
// device, the grid intensity over time (with each frame's power limit for a controlled run), the
// power of each device over time, for a controlled run what the same work would have cost at the
// maximum limit (report/max_limit_estimate.hpp), and Patterson et al.'s what-ifs on the measured
// energy (report/run_what_ifs.hpp). Every string is escaped; no number prints as nan or inf.

#include <string>
#include <vector>

#include "store/run_records.hpp"

namespace chase {

// The series of one run as the store gives them (RunStore::samples, steps, decisions).
struct RunSeries {
  std::vector<PowerSample> samples;
  std::vector<PricedStep> steps;
  std::vector<RecordedDecision> decisions;
};

std::string render_html_report(const StoredRun& run, const RunSeries& series);

}  // namespace chase

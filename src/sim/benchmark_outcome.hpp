#pragma once
// The policy benchmark as one call (`chase bench policies`, and the Python module to come):
// data sets in; every run, the summary per profile and budget, and the targets out, with the
// data sets named as the outputs show them.

#include <string>
#include <string_view>
#include <vector>

#include "carbon/intensity_trace.hpp"
#include "energy/power_profile.hpp"
#include "sim/benchmark_targets.hpp"
#include "sim/policy_benchmark.hpp"

namespace chase {

struct BenchmarkOutcome {
  std::vector<std::string> trace_names;    // each trace's data_name, in the order given
  std::vector<std::string> profile_names;  // each profile's data_name: the summary's profile keys
  std::vector<BenchmarkRun> runs;
  std::vector<BenchmarkSummary> summary;
  BenchmarkTargets targets;
  double elapsed_s = 0;  // wall-clock time of the runs (not of the summary)
};

// Throws what run_policy_benchmark throws.
BenchmarkOutcome benchmark_policies(const std::vector<IntensityTrace>& traces, const std::vector<PowerProfile>& profiles,
                                    const BenchmarkConfig& config);

// Comma-separated slowdown budgets, fractions from 0 to 10 ("0,0.025,0.05"). Throws InputError
// "'<item>' is not a fraction between 0 and 10 (0.025 = +2.5 %)".
std::vector<double> parse_budgets(std::string_view text);

}  // namespace chase

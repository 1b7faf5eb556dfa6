#pragma once
// The policy benchmark (`chase bench policies`) as JSON, as a summary CSV (one row per profile,
// budget and policy; plot-ready) and as a CSV of every run.

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "core/units.hpp"
#include "sim/benchmark_targets.hpp"
#include "sim/policy_benchmark.hpp"

namespace chase {

// A benchmark as its reports show it (the pointers are borrowed for the call): the runs'
// trace and profile indices index these names.
struct BenchmarkReport {
  std::vector<std::string> trace_names;
  std::vector<std::string> profile_names;
  const BenchmarkConfig* config = nullptr;
  const std::vector<BenchmarkRun>* runs = nullptr;
  const std::vector<BenchmarkSummary>* summary = nullptr;
  BenchmarkTargets targets;
  Duration elapsed;  // wall-clock time the benchmark took
};

// traces, profiles, budgets, policies, work_hours, start_every_h, frame_s, forecaster, eta,
// profile_error, seeds, speed_changes ("none" or what changes),
// runs (a count), elapsed_s, summary[{profile, budget, policy, runs, mean_saved_pct,
// median_saved_pct, mean_slowdown_pct, median_slowdown_pct, within_budget_pct,
// gap_to_oracle_pp, runs_below_oracle, most_below_oracle_pct}], targets{cells,
// chase_within_1pp_of_oracle, chase_at_least_zeus, chase_within_budget_95pct}.
nlohmann::json benchmark_json(const BenchmarkReport& report);

// profile,budget_pct,policy,runs,mean_saved_pct,median_saved_pct,mean_slowdown_pct,
// median_slowdown_pct,within_budget_pct,gap_to_oracle_pp
void write_summary_csv(std::ostream& out, const std::vector<BenchmarkSummary>& summary);

// trace,profile,start,budget_pct,policy,time_s,energy_j,carbon_g,slowdown_pct,carbon_saved_pct,
// energy_saved_pct,within_budget (1/0), seed (0: the policies believed the truth); traces and profiles by the report's names.
void write_runs_csv(std::ostream& out, const BenchmarkReport& report);

}  // namespace chase

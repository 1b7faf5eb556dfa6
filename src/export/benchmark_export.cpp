#include "export/benchmark_export.hpp"

#include <fmt/format.h>

#include <cmath>

namespace chase {
namespace {

nlohmann::json summary_json(const BenchmarkSummary& r) {
  return {{"profile", r.profile},
          {"budget", r.budget},
          {"policy", r.policy},
          {"runs", r.runs},
          {"runs_without_saving", r.runs_without_saving},
          {"mean_saved_pct", r.mean_saved_pct},
          {"median_saved_pct", r.median_saved_pct},
          {"mean_slowdown_pct", r.mean_slowdown_pct},
          {"median_slowdown_pct", r.median_slowdown_pct},
          {"within_budget_pct", r.within_budget_pct},
          {"gap_to_oracle_pp", r.gap_to_oracle_pp},
          {"runs_below_oracle", r.runs_below_oracle},
          {"most_below_oracle_pct", r.most_below_oracle_pct}};
}

}  // namespace

nlohmann::json benchmark_json(const BenchmarkReport& report) {
  const BenchmarkConfig& config = *report.config;
  nlohmann::json j;
  j["traces"] = report.trace_names;
  j["profiles"] = report.profile_names;
  j["budgets"] = config.budgets;
  j["policies"] = config.policies;
  j["work_hours"] = config.job.work_at_max.hours();
  j["start_every_h"] = config.start_every.hours();
  j["frame_s"] = config.frame_length().seconds();
  j["forecaster"] = config.job.forecaster;
  j["eta"] = config.job.eta();
  j["profile_error"] = config.profile_error;
  j["seeds"] = config.seeds;
  j["speed_changes"] = config.speed_changes.describe();
  j["runs"] = report.runs->size();
  j["elapsed_s"] = report.elapsed.seconds();
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : *report.summary) rows.push_back(summary_json(r));
  j["summary"] = rows;
  j["targets"] = {{"cells", report.targets.cells},
                  {"chase_within_1pp_of_oracle", report.targets.near_oracle},
                  {"chase_at_least_zeus", report.targets.above_zeus},
                  {"chase_within_budget_95pct", report.targets.within}};
  return j;
}

namespace {

// A CSV cell: fixed decimals, or empty for a value that is not a finite number (an undefined
// saving on a zero-carbon grid), which every CSV reader takes as missing.
std::string csv_fixed(double value, int decimals) {
  return std::isfinite(value) ? fmt::format("{:.{}f}", value, decimals) : std::string();
}

}  // namespace

void write_summary_csv(std::ostream& out, const std::vector<BenchmarkSummary>& summary) {
  out << "profile,budget_pct,policy,runs,mean_saved_pct,median_saved_pct,mean_slowdown_pct,median_slowdown_pct,"
         "within_budget_pct,gap_to_oracle_pp\n";
  for (const auto& r : summary) {
    out << fmt::format("{},{},{},{},{},{},{},{},{},{}\n", r.profile, r.budget * 100, r.policy, r.runs,
                       csv_fixed(r.mean_saved_pct, 4), csv_fixed(r.median_saved_pct, 4), csv_fixed(r.mean_slowdown_pct, 4),
                       csv_fixed(r.median_slowdown_pct, 4), csv_fixed(r.within_budget_pct, 2),
                       csv_fixed(r.gap_to_oracle_pp, 4));
  }
}

void write_runs_csv(std::ostream& out, const BenchmarkReport& report) {
  out << "trace,profile,start,budget_pct,policy,time_s,energy_j,carbon_g,slowdown_pct,carbon_saved_pct,"
         "energy_saved_pct,within_budget,seed\n";
  for (const auto& r : *report.runs) {
    out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", report.trace_names[r.trace],
                       report.profile_names[r.profile], r.start.iso8601(), r.budget * 100, r.policy,
                       csv_fixed(r.time.seconds(), 3), csv_fixed(r.energy.joules(), 1), csv_fixed(r.carbon.grams(), 4),
                       csv_fixed(r.slowdown_pct, 4), csv_fixed(r.carbon_saved_pct, 4), csv_fixed(r.energy_saved_pct, 4),
                       r.within_budget ? 1 : 0, r.seed);
  }
}

}  // namespace chase

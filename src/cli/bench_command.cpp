// `chase bench policies`: every trace × profile × start time × slowdown budget, each policy
// simulated on the same inputs; mean and median carbon saved, slowdown, budget compliance and
// the gap to the offline oracle, as tables, JSON and a plot-ready CSV.

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/command.hpp"
#include "cli/data_sets.hpp"
#include "cli/flag_checks.hpp"
#include "cli/quantity_format.hpp"
#include "cli/simulation_flags.hpp"
#include "cli/text_table.hpp"
#include "control/policy.hpp"
#include "core/error.hpp"
#include "core/number_parse.hpp"
#include "sim/policy_benchmark.hpp"

namespace chase::cli {
namespace {

// The targets of issue 7: chase within 1 pp of the oracle's mean saving, never below zeus on
// average, and within the budget on at least 95 % of runs.
constexpr double kGapTargetPp = 1.0;
constexpr double kWithinTargetPct = 95.0;

struct BenchOptions {
  std::string traces = "bundled";
  std::string profiles = "bundled";
  std::string budgets = "0,0.025,0.05,0.1";
  std::string policies = "max,zeus,chase,oracle";
  double every_hours = 6;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  SimulationFlags job;
  std::string csv;
  std::string runs_csv;
  bool json = false;
};

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from <= text.size()) {
    const std::size_t comma = text.find(',', from);
    out.push_back(text.substr(from, comma == std::string::npos ? std::string::npos : comma - from));
    if (comma == std::string::npos) break;
    from = comma + 1;
  }
  return out;
}

std::vector<double> parse_budgets(const std::string& text) {
  std::vector<double> budgets;
  for (const auto& item : split(text)) {
    const auto value = parse_double(item);
    if (!value || !(*value >= 0) || *value > 10) {
      throw InputError(fmt::format("--budgets: '{}' is not a fraction between 0 and 10 (0.025 = +2.5 %)", item));
    }
    budgets.push_back(*value);
  }
  return budgets;
}

std::vector<std::string> parse_policies(const std::string& text) {
  const auto names = split(text);
  with_flag("--policies", [&] { check_benchmark_policies(names); });
  return names;
}

const BenchmarkSummary* find(const std::vector<BenchmarkSummary>& rows, const std::string& profile, double budget,
                             const std::string& policy) {
  for (const auto& r : rows) {
    if (r.profile == profile && r.budget == budget && r.policy == policy) return &r;
  }
  return nullptr;
}

std::string pct(double value) { return fmt::format("{:.2f}", value); }

struct TargetCheck {
  int cells = 0;
  int near_oracle = 0;
  int above_zeus = 0;
  int within = 0;
};

TargetCheck check_targets(const std::vector<BenchmarkSummary>& rows, const std::vector<std::string>& profiles,
                          const std::vector<double>& budgets) {
  TargetCheck t;
  for (const auto& profile : profiles) {
    for (const double budget : budgets) {
      const auto* chase = find(rows, profile, budget, "chase");
      const auto* zeus = find(rows, profile, budget, "zeus");
      const auto* oracle = find(rows, profile, budget, "oracle");
      if (!chase || !zeus || !oracle) continue;
      ++t.cells;
      if (chase->gap_to_oracle_pp <= kGapTargetPp) ++t.near_oracle;
      if (chase->mean_saved_pct >= zeus->mean_saved_pct) ++t.above_zeus;
      if (chase->within_budget_pct >= kWithinTargetPct) ++t.within;
    }
  }
  return t;
}

void write_summary_csv(const std::string& path, const std::vector<BenchmarkSummary>& rows) {
  std::ofstream out(path);
  if (!out) throw InputError(fmt::format("--csv: cannot write {}", path));
  out << "profile,budget_pct,policy,runs,mean_saved_pct,median_saved_pct,mean_slowdown_pct,median_slowdown_pct,"
         "within_budget_pct,gap_to_oracle_pp\n";
  for (const auto& r : rows) {
    out << fmt::format("{},{},{},{},{:.4f},{:.4f},{:.4f},{:.4f},{:.2f},{:.4f}\n", r.profile, r.budget * 100, r.policy,
                       r.runs, r.mean_saved_pct, r.median_saved_pct, r.mean_slowdown_pct, r.median_slowdown_pct,
                       r.within_budget_pct, r.gap_to_oracle_pp);
  }
}

void write_runs_csv(const std::string& path, const std::vector<BenchmarkRun>& runs,
                    const std::vector<std::string>& trace_names, const std::vector<std::string>& profile_names) {
  std::ofstream out(path);
  if (!out) throw InputError(fmt::format("--runs-csv: cannot write {}", path));
  out << "trace,profile,start,budget_pct,policy,time_s,energy_j,carbon_g,slowdown_pct,carbon_saved_pct,"
         "energy_saved_pct,within_budget\n";
  for (const auto& r : runs) {
    out << fmt::format("{},{},{},{},{},{:.3f},{:.1f},{:.4f},{:.4f},{:.4f},{:.4f},{}\n", trace_names[r.trace],
                       profile_names[r.profile], r.start.iso8601(), r.budget * 100, r.policy, r.time_s, r.energy_j,
                       r.carbon_g, r.slowdown_pct, r.carbon_saved_pct, r.energy_saved_pct, r.within_budget ? 1 : 0);
  }
}

void run(const BenchOptions& o) {
  BenchmarkConfig config;
  config.budgets = parse_budgets(o.budgets);
  config.policies = parse_policies(o.policies);
  const auto traces = load_traces(o.traces, "--traces");
  auto profiles = load_profiles(o.profiles, "--profiles");
  config.work_at_max = o.job.work();
  config.start_every = Duration::hours(o.every_hours);
  const auto frame = o.job.frame_length();
  if (!frame) throw InputError("--frame-minutes: the benchmark needs a fixed frame length");
  config.frame_length = *frame;
  config.forecaster = o.job.forecaster;
  config.history = o.job.history();
  config.eta = o.job.eta();
  config.threads = o.threads;

  std::vector<std::string> trace_names, profile_names;
  for (const auto& t : traces) trace_names.push_back(data_name(t.source()));
  // Summaries are keyed by the profile's name.
  std::vector<PowerProfile> named;
  for (const auto& p : profiles) {
    profile_names.push_back(data_name(p.source()));
    named.emplace_back(profile_names.back(), p.points());
  }

  const auto started = std::chrono::steady_clock::now();
  const auto runs = run_policy_benchmark(traces, named, config);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto summary = summarize(runs, named, config);
  const TargetCheck targets = check_targets(summary, profile_names, config.budgets);
  if (!o.csv.empty()) write_summary_csv(o.csv, summary);
  if (!o.runs_csv.empty()) write_runs_csv(o.runs_csv, runs, trace_names, profile_names);

  if (o.json) {
    nlohmann::json j;
    j["traces"] = trace_names;
    j["profiles"] = profile_names;
    j["budgets"] = config.budgets;
    j["policies"] = config.policies;
    j["work_hours"] = config.work_at_max.hours();
    j["start_every_h"] = config.start_every.hours();
    j["frame_s"] = config.frame_length.seconds();
    j["forecaster"] = config.forecaster;
    j["eta"] = config.eta;
    j["runs"] = runs.size();
    j["elapsed_s"] = seconds;
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : summary) {
      rows.push_back({{"profile", r.profile},
                      {"budget", r.budget},
                      {"policy", r.policy},
                      {"runs", r.runs},
                      {"mean_saved_pct", r.mean_saved_pct},
                      {"median_saved_pct", r.median_saved_pct},
                      {"mean_slowdown_pct", r.mean_slowdown_pct},
                      {"median_slowdown_pct", r.median_slowdown_pct},
                      {"within_budget_pct", r.within_budget_pct},
                      {"gap_to_oracle_pp", r.gap_to_oracle_pp},
                      {"runs_below_oracle", r.runs_below_oracle},
                      {"most_below_oracle_pct", r.most_below_oracle_pct}});
    }
    j["summary"] = rows;
    j["targets"] = {{"cells", targets.cells},
                    {"chase_within_1pp_of_oracle", targets.near_oracle},
                    {"chase_at_least_zeus", targets.above_zeus},
                    {"chase_within_budget_95pct", targets.within}};
    print_json(j);
    return;
  }

  std::cout << fmt::format("{} runs: {} traces ({}) × {} profiles × starts every {:g} h × {} budgets × {} policies; "
                           "{:g} h jobs, {:g}-min frames, forecaster {}; {:.1f} s on {} threads\n\n",
                           runs.size(), traces.size(), fmt::join(trace_names, ", "), profiles.size(),
                           o.every_hours, config.budgets.size(), config.policies.size(),
                           config.work_at_max.hours(), config.frame_length.minutes(),
                           config.forecaster, seconds, config.threads);
  std::cout << "Mean carbon saved against max, % (per profile and budget)\n";
  TextTable by_profile;
  by_profile.column("profile", TextTable::Align::kLeft).column("budget");
  for (const auto& p : config.policies) by_profile.column(p);
  const bool has_targets = targets.cells > 0;
  if (has_targets) by_profile.column("chase gap, pp").column("chase within budget");
  std::vector<std::string> groups = profile_names;
  groups.push_back("all");
  for (const auto& profile : groups) {
    if (profile == "all") by_profile.rule();
    for (const double budget : config.budgets) {
      std::vector<std::string> cells{profile, format_pct(budget * 100)};
      for (const auto& p : config.policies) cells.push_back(pct(find(summary, profile, budget, p)->mean_saved_pct));
      if (has_targets) {
        const auto* chase = find(summary, profile, budget, "chase");
        cells.push_back(pct(chase->gap_to_oracle_pp));
        cells.push_back(fmt::format("{:.1f} %", chase->within_budget_pct));
      }
      by_profile.row(cells);
    }
  }
  std::cout << by_profile.render() << "\n";

  std::cout << "All profiles: carbon saved and slowdown against max, %\n";
  TextTable overall;
  overall.column("budget")
      .column("policy", TextTable::Align::kLeft)
      .column("runs")
      .column("saved mean")
      .column("saved median")
      .column("slowdown mean")
      .column("slowdown median")
      .column("within budget")
      .column("gap to oracle, pp");
  for (const double budget : config.budgets) {
    for (const auto& p : config.policies) {
      const auto* r = find(summary, "all", budget, p);
      overall.row({format_pct(budget * 100), p, fmt::format("{}", r->runs), pct(r->mean_saved_pct),
                   pct(r->median_saved_pct), pct(r->mean_slowdown_pct), pct(r->median_slowdown_pct),
                   fmt::format("{:.1f} %", r->within_budget_pct), pct(r->gap_to_oracle_pp)});
    }
  }
  std::cout << overall.render();
  std::size_t below = 0;
  std::size_t compared = 0;
  double most_below = 0;
  for (const auto& r : summary) {
    if (r.profile != "all" || r.policy == "oracle") continue;
    below += r.runs_below_oracle;
    compared += r.runs;
    most_below = std::max(most_below, r.most_below_oracle_pct);
  }
  if (std::find(config.policies.begin(), config.policies.end(), "oracle") != config.policies.end()) {
    std::cout << fmt::format("\noracle beaten in {} of {} runs of the other policies, by at most {:.4f} % of its carbon\n",
                             below, compared, most_below);
  }
  if (has_targets) {
    std::cout << fmt::format(
        "targets, per profile and budget ({} cells): chase within {} pp of the oracle in {}, at least zeus in {}, "
        "within budget on ≥ {:.0f} % of runs in {}\n",
        targets.cells, kGapTargetPp, targets.near_oracle, targets.above_zeus, kWithinTargetPct, targets.within);
  }
}

}  // namespace

void add_bench_command(CLI::App& root, CommandStatus& /*status*/) {
  CLI::App* bench = root.add_subcommand("bench", "Benchmarks on recorded data");
  bench->require_subcommand(1);
  auto options = std::make_shared<BenchOptions>();
  CLI::App* cmd = bench->add_subcommand(
      "policies", "Every trace × profile × start × budget under each power-limit policy, against max and the oracle");
  cmd->add_option("--traces", options->traces,
                  "Intensity traces: a directory of CSV files, a comma-separated list, or 'bundled'")
      ->capture_default_str();
  cmd->add_option("--profiles", options->profiles,
                  "GPU profiles: a directory of CSV files, a comma-separated list, or 'bundled'")
      ->capture_default_str();
  cmd->add_option("--budgets", options->budgets, "Slowdown budgets, comma-separated fractions")->capture_default_str();
  cmd->add_option("--policies", options->policies, fmt::format("Policies, comma-separated ({} is required): {}", baseline_policy_name(), policy_choices(false)))->capture_default_str();
  cmd->add_option("--every-hours", options->every_hours, "A job starts every this many hours of each trace")
      ->capture_default_str()
      ->check(positive());
  options->job.add_to(*cmd, /*with_budget=*/false);
  cmd->add_option("--threads", options->threads, "Worker threads (results do not depend on it)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--csv", options->csv, "Write the summary (one row per profile, budget and policy) as CSV");
  cmd->add_option("--runs-csv", options->runs_csv, "Write every run as CSV");
  cmd->add_flag("--json", options->json, "Print JSON instead of tables");
  cmd->footer(
      "Examples:\n"
      "  chase bench policies\n"
      "  chase bench policies --traces gb-2020,fr-2020 --profiles a40-resnet50 --every-hours 24\n"
      "  chase bench policies --traces data/traces --profiles data/gpu-profiles --csv frontier.csv --json");
  cmd->callback([options] { run(*options); });
}

}  // namespace chase::cli

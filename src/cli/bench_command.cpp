// `chase bench policies`: every trace × profile × start time × slowdown budget, each policy
// simulated on the same inputs; mean and median carbon saved, slowdown, budget compliance and
// the gap to the offline oracle, as tables, JSON and a plot-ready CSV.

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/command.hpp"
#include "cli/equal_slowdown_bench.hpp"
#include "cli/flag_checks.hpp"
#include "cli/simulation_flags.hpp"
#include "cli/speed_change_flags.hpp"
#include "cli/text_table.hpp"
#include "control/job_spec.hpp"
#include "control/policy.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/quantity_format.hpp"
#include "core/text_list.hpp"
#include "core/writable_file.hpp"
#include "export/benchmark_export.hpp"
#include "sim/benchmark_outcome.hpp"
#include "sim/benchmark_targets.hpp"
#include "sim/data_sets.hpp"
#include "sim/policy_benchmark.hpp"

namespace chase::cli {
namespace {

struct BenchOptions {
  std::string traces = "bundled";
  std::string profiles = "bundled";
  std::string budgets = "0,0.025,0.05,0.1";
  std::string policies = fmt::format("{}", fmt::join(default_benchmark_policies(), ","));
  double every_hours = 6;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  SimulationFlags job;
  SpeedChangeFlags speed;
  double profile_error = 0;
  unsigned seeds = 3;
  bool policies_given = false;
  std::string csv;
  std::string runs_csv;
  bool json = false;
  std::string at_slowdown_of;  // a peer: the equal-slowdown mode (cli/equal_slowdown_bench.hpp)
};

std::vector<std::string> parse_policies(const std::string& text) {
  const auto names = split_list(text, ',', EmptyItems::kKeep);
  with_flag("--policies", [&] {
    check_benchmark_policies(names);
    refuse_repeated_items(names);
  });
  return names;
}

std::string pct(double value) { return format_fixed(value, 2); }

// The settings after the budgets and policies (checked first, before the data sets load).
void complete_config(BenchmarkConfig& config, const BenchOptions& o) {
  config.job = o.job.spec();
  config.job.slowdown_budget.reset();  // the benchmark sweeps --budgets
  with_flag("--frame-minutes", [&] { config.frame_length(); });
  config.start_every = Duration::hours(o.every_hours);
  config.threads = o.threads;
  config.profile_error = o.profile_error;
  config.seeds = o.profile_error > 0 ? o.seeds : 1;
  config.speed_changes = o.speed.changes();
  // A job that is not what its profile says: set today's open-loop chase beside the closed loop.
  const std::string open_loop = "chase-open-loop";
  if (!o.policies_given && (config.profile_error > 0 || !config.speed_changes.none()) &&
      policy_registry().find(open_loop) != nullptr &&
      std::find(config.policies.begin(), config.policies.end(), open_loop) == config.policies.end()) {
    const auto chase = std::find(config.policies.begin(), config.policies.end(), "chase");
    config.policies.insert(chase == config.policies.end() ? config.policies.end() : chase + 1, open_loop);
  }
}

// Writes a CSV output of the benchmark with `write` (core/output_file.hpp: an earlier file is
// replaced only once the new one is complete); returns why it failed, "<flag>: cannot write
// <path>: <OS error>", so that the results are printed before the failure is reported.
template <class Write>
std::optional<std::string> write_csv(const std::string& flag, const std::string& path, Write&& write) {
  try {
    std::ostringstream text;
    write(text);
    write_output_file(path, text.str());
    return std::nullopt;
  } catch (const Error& e) {
    return flag + ": " + e.what();
  }
}

void print_by_profile(const BenchmarkReport& report) {
  const BenchmarkConfig& config = *report.config;
  std::cout << "Mean carbon saved against max, % (per profile and budget)\n";
  TextTable by_profile;
  by_profile.column("profile", TextTable::Align::kLeft).column("budget");
  for (const auto& p : config.policies) by_profile.column(p);
  const bool has_targets = report.targets.cells > 0;
  if (has_targets) by_profile.column("chase gap, pp").column("chase within budget");
  std::vector<std::string> groups = report.profile_names;
  groups.push_back("all");
  for (const auto& profile : groups) {
    if (profile == "all") by_profile.rule();
    for (const double budget : config.budgets) {
      std::vector<std::string> cells{profile, format_pct(budget * 100)};
      for (const auto& p : config.policies) cells.push_back(pct(find_summary(*report.summary, profile, budget, p)->mean_saved_pct));
      if (has_targets) {
        const auto* chase = find_summary(*report.summary, profile, budget, "chase");
        cells.push_back(pct(chase->gap_to_oracle_pp));
        cells.push_back(format_percent(chase->within_budget_pct, 1));
      }
      by_profile.row(cells);
    }
  }
  std::cout << by_profile.render() << "\n";
}

void print_overall(const BenchmarkReport& report) {
  const BenchmarkConfig& config = *report.config;
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
      const auto* r = find_summary(*report.summary, "all", budget, p);
      overall.row({format_pct(budget * 100), p, fmt::format("{}", r->runs), pct(r->mean_saved_pct),
                   pct(r->median_saved_pct), pct(r->mean_slowdown_pct), pct(r->median_slowdown_pct),
                   format_percent(r->within_budget_pct, 1), pct(r->gap_to_oracle_pp)});
    }
  }
  std::cout << overall.render();
}

void print_benchmark(const BenchOptions& o, const BenchmarkReport& report) {
  const BenchmarkConfig& config = *report.config;
  const std::string seeds = config.profile_error > 0 ? " × " + format_count(config.seeds, "seed", "seeds") : "";
  std::cout << fmt::format("{} runs: {} ({}) × {} × starts every {:g} h{} × {} × {}; "
                           "{:g} h jobs, {:g}-min frames, forecaster {}; {:.1f} s on {} threads\n\n",
                           report.runs->size(), format_count(report.trace_names.size(), "trace", "traces"),
                           fmt::join(report.trace_names, ", "), format_count(report.profile_names.size(), "profile", "profiles"),
                           o.every_hours, seeds, format_count(config.budgets.size(), "budget", "budgets"),
                           format_count(config.policies.size(), "policy", "policies"),
                           config.job.work_at_max.hours(), config.frame_length().minutes(), config.job.forecaster,
                           report.elapsed.seconds(), config.threads);
  if (config.profile_error > 0) {
    std::cout << fmt::format("online policies believe each profile with errors up to ±{:g} % on every row's time and "
                             "energy ({} seeds); max and the oracle run on the truth\n",
                             config.profile_error * 100, config.seeds);
  }
  if (!config.speed_changes.none()) {
    std::cout << fmt::format("every job (max's too) changes speed: {}\n", config.speed_changes.describe());
  }
  if (config.profile_error > 0 || !config.speed_changes.none()) std::cout << "\n";
  print_by_profile(report);
  print_overall(report);
  if (std::any_of(config.policies.begin(), config.policies.end(), [](const auto& p) { return is_offline_optimum(p); })) {
    const OracleBeaten beaten = oracle_beaten(*report.summary);
    std::cout << fmt::format("\noracle beaten in {} of {} runs of the other policies, by at most {:.4f} % of its carbon\n",
                             beaten.runs_below, beaten.runs_compared, beaten.most_below_pct);
  }
  const auto without_saving = std::find_if(report.summary->rbegin(), report.summary->rend(),
                                           [](const BenchmarkSummary& s) { return s.profile == "all"; });
  if (without_saving != report.summary->rend() && without_saving->runs_without_saving > 0) {
    std::cout << fmt::format("{} runs per budget and policy where max emitted nothing are left out of the savings\n",
                             without_saving->runs_without_saving);
  }
  const BenchmarkTargets& t = report.targets;
  if (t.cells > 0) {
    std::cout << fmt::format(
        "targets, per profile and budget ({} cells): chase within {} pp of the oracle in {}, at least zeus in {}, "
        "within budget on ≥ {:.0f} % of runs in {}\n",
        t.cells, kGapTargetPp, t.near_oracle, t.above_zeus, kWithinTargetPct, t.within);
  }
}

void run(const BenchOptions& o) {
  if (!o.at_slowdown_of.empty()) {
    run_equal_slowdown_bench({.peer = o.at_slowdown_of, .traces = o.traces, .profiles = o.profiles,
                              .every_hours = o.every_hours, .threads = o.threads, .job = o.job.spec(),
                              .runs_csv = o.runs_csv, .json = o.json});
    return;
  }
  // A mistyped folder fails now, not after the benchmark.
  for (const auto& flag_and_path : {std::pair{"--csv", &o.csv}, std::pair{"--runs-csv", &o.runs_csv}}) {
    const std::string& path = *flag_and_path.second;  // named, not bound: clang 14 cannot capture bindings
    if (!path.empty()) with_flag(flag_and_path.first, [&] { require_writable_file(path, "chase"); });
  }
  BenchmarkConfig config;
  config.budgets = with_flag("--budgets", [&] { return parse_budgets(o.budgets); });
  config.policies = parse_policies(o.policies);
  const auto traces = with_flag("--traces", [&] { return load_traces(o.traces); });
  const auto profiles = with_flag("--profiles", [&] { return load_profiles(o.profiles); });
  complete_config(config, o);
  const BenchmarkOutcome done =
      with_step_flags({{kStartGrid, "--every-hours"}, {kFrameGrid, "--frame-minutes"}},
                      [&] { return benchmark_policies(traces, profiles, config); });
  const BenchmarkReport report{done.trace_names, done.profile_names, &config, &done.runs, &done.summary, done.targets,
                               Duration::seconds(done.elapsed_s)};
  std::vector<std::string> failures;
  const auto save = [&](const std::string& flag, const std::string& path, auto&& write) {
    if (path.empty()) return;
    if (auto failure = write_csv(flag, path, write)) failures.push_back(std::move(*failure));
  };
  save("--csv", o.csv, [&](std::ostream& out) { write_summary_csv(out, done.summary); });
  save("--runs-csv", o.runs_csv, [&](std::ostream& out) { write_runs_csv(out, report); });
  print_result(o.json, [&] { return benchmark_json(report); }, [&] { print_benchmark(o, report); });
  if (!failures.empty()) throw Error(fmt::format("{}", fmt::join(failures, "; ")));
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
      ->check(positive())
      ->check(at_most(kLongestJobHours, "ten years"));
  options->job.add_to(*cmd, /*with_budget=*/false);
  options->speed.add_to(*cmd);
  CLI::Option* profile_error = cmd->add_option("--profile-error", options->profile_error,
                  "The online policies believe each profile with independent errors up to ± this fraction on each "
                  "row's time and energy (0.05 = ±5 %); max and the oracle know the truth")
      ->check(within(0, 0.9));
  cmd->add_option("--seeds", options->seeds, "With --profile-error: how many beliefs per profile (seeds 1 … N)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000u))
      ->needs(profile_error);
  cmd->add_option("--threads", options->threads, "Worker threads (results do not depend on it)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--csv", options->csv, "Write the summary (one row per profile, budget and policy) as CSV");
  cmd->add_option("--runs-csv", options->runs_csv, "Write every run as CSV");
  cmd->add_flag("--json", options->json, "Print JSON instead of tables");
  cmd->add_option("--at-slowdown-of", options->at_slowdown_of,
                  "Run this policy without a budget, then chase and the oracle at its realised slowdown "
                  "(e.g. chase-paper); prints its own table")
      ->excludes(cmd->get_option("--budgets"))
      ->excludes(cmd->get_option("--policies"))
      ->excludes(cmd->get_option("--csv"));
  cmd->footer(
      "Examples:\n"
      "  chase bench policies\n"
      "  chase bench policies --at-slowdown-of chase-paper --frame-minutes 30\n"
      "  chase bench policies --traces gb-2020,fr-2020 --profiles a40-resnet50 --every-hours 24\n"
      "  chase bench policies --traces data/traces --profiles data/gpu-profiles --csv frontier.csv --json\n"
      "  chase bench policies --profile-error 0.10 --seeds 3 --budgets 0.025,0.05,0.1\n"
      "  chase bench policies --slower-after-hours 12 --slower-by 0.10");
  cmd->callback([options, cmd] {
    options->policies_given = cmd->count("--policies") > 0;
    run(*options);
  });
}

}  // namespace chase::cli

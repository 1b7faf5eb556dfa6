#include "cli/equal_slowdown_bench.hpp"

#include <fmt/format.h>

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/flag_checks.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/quantity_format.hpp"
#include "core/time_grid.hpp"
#include "core/writable_file.hpp"
#include "export/equal_slowdown_export.hpp"
#include "sim/data_sets.hpp"
#include "sim/equal_slowdown.hpp"

namespace chase::cli {
namespace {

std::string pp(double value) { return format_fixed(value, 2); }

void print_equal_slowdown(const EqualSlowdownBenchOptions& o, const EqualSlowdownConfig& config,
                          const EqualSlowdownOutcome& done) {
  std::vector<std::string> parameters;
  for (const auto& [name, value] : config.job.policy_parameters) parameters.push_back(fmt::format("--{} {:g}", name, value));
  std::cout << fmt::format(
      "{} runs: {} ({}) × {} × starts every {:g} h; {} without a budget, then {} and {} at its "
      "slowdown; {:g} h jobs, {:g}-min frames, forecaster {}, {}; {:.1f} s on {} threads\n\n",
      done.runs.size(), format_count(done.trace_names.size(), "trace", "traces"), fmt::join(done.trace_names, ", "),
      format_count(done.profile_names.size(), "profile", "profiles"),
      o.every_hours, config.peer, config.policy, config.oracle, config.job.work_at_max.hours(),
      config.job.frame_length->minutes(), config.job.forecaster, fmt::join(parameters, ", "), done.elapsed_s,
      config.threads);
  std::cout << fmt::format("Carbon saved against max at {}'s slowdown, % (differences in pp)\n", config.peer);
  TextTable table;
  table.column("profile", TextTable::Align::kLeft)
      .column("runs")
      .column(config.peer + " slowdown")
      .column(config.peer)
      .column(config.policy)
      .column(config.oracle)
      .column(config.policy + " − " + config.peer)
      .column(fmt::format("within {:g} pp", kMatchesPeerPp))
      .column(config.policy + " − " + config.peer + ", worst");
  for (const EqualSlowdownSummary& s : done.summary) {
    if (s.profile == "all") table.rule();
    table.row({s.profile, fmt::format("{}", s.runs), pp(s.mean_peer_slowdown_pct), pp(s.mean_peer_saved_pct),
               pp(s.mean_policy_saved_pct), pp(s.mean_oracle_saved_pct), pp(s.mean_policy_minus_peer_pp),
               format_percent(s.policy_matches_peer_pct, 1), pp(s.worst_policy_minus_peer_pp)});
  }
  std::cout << table.render();
  const EqualSlowdownSummary& all = done.summary.back();
  std::cout << fmt::format("\n{} over the peer's time in {} runs; {} emitted more than {} in {} runs, by at most {:.4f} % "
                           "of its carbon",
                           config.policy, all.policy_over_budget, config.oracle, config.policy, all.oracle_above_policy,
                           all.most_oracle_above_policy_pct);
  // The oracle plans whole frames; the peer, running one limit all the way, can end a hair better.
  std::cout << fmt::format("; {} emitted more than {} in {} runs", config.oracle, config.peer, all.oracle_above_peer);
  if (all.runs_without_saving > 0) {
    std::cout << fmt::format("; {} runs where max emitted nothing are left out of the means", all.runs_without_saving);
  }
  std::cout << "\n";
}

}  // namespace

void run_equal_slowdown_bench(const EqualSlowdownBenchOptions& o) {
  if (!o.runs_csv.empty()) with_flag("--runs-csv", [&] { require_writable_file(o.runs_csv, "chase"); });
  EqualSlowdownConfig config;
  config.peer = o.peer;
  config.job = o.job;
  config.job.slowdown_budget.reset();
  config.start_every = Duration::hours(o.every_hours);
  config.threads = o.threads;
  with_flag("--frame-minutes", [&] {
    if (!config.job.frame_length) throw InputError("the benchmark needs a fixed frame length");
  });
  with_flag("--at-slowdown-of", [&] { check_equal_slowdown(config); });
  const auto traces = with_flag("--traces", [&] { return load_traces(o.traces); });
  const auto profiles = with_flag("--profiles", [&] { return load_profiles(o.profiles); });
  const EqualSlowdownOutcome done =
      with_step_flags({{kStartGrid, "--every-hours"}, {kFrameGrid, "--frame-minutes"}},
                      [&] { return equal_slowdown_benchmark(traces, profiles, config); });
  std::string failure;
  if (!o.runs_csv.empty()) {
    try {
      std::ostringstream text;
      write_equal_slowdown_runs_csv(text, done);
      write_output_file(o.runs_csv, text.str());
    } catch (const Error& e) {
      failure = std::string("--runs-csv: ") + e.what();
    }
  }
  print_result(o.json, [&] { return equal_slowdown_json(done, config); }, [&] { print_equal_slowdown(o, config, done); });
  if (!failure.empty()) throw Error(failure);
}

}  // namespace chase::cli

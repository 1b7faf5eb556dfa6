// `chase simulate`: one training job on a measured GPU profile under a power-limit policy and a
// recorded grid intensity, beside the `max` baseline on the same inputs.

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/flag_checks.hpp"
#include "cli/simulation_flags.hpp"
#include "cli/speed_change_flags.hpp"
#include "cli/text_table.hpp"
#include "control/policy.hpp"
#include "core/quantity_format.hpp"
#include "core/time_grid.hpp"
#include "export/simulation_export.hpp"
#include "sim/benchmark_runs.hpp"
#include "sim/data_sets.hpp"
#include "sim/simulator.hpp"

namespace chase::cli {
namespace {

struct SimulateOptions {
  std::string trace = "gb-2020";
  std::string profile = "a40-resnet50";
  std::string actual_profile;  // empty: the job runs as --profile says
  SpeedChangeFlags speed;
  std::string policy = default_policy_name();
  std::string start;
  SimulationFlags job;
  bool json = false;
};

// How long the job ran at each limit, highest limit first.
std::string time_per_limit(const SimulationResult& r) {
  std::vector<std::string> parts;
  for (const auto& [limit, time] : r.time_per_limit()) {
    parts.push_back(fmt::format("{} W {}", format_sig(limit, 3), format_duration(time)));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

void print_simulation(const SimulationInputs& in, const PolicyComparison& c) {
  const JobSpec& job = in.setup.job;
  std::cout << fmt::format("{} on {}: {:g} h of work from {}, {}, {} frames, forecaster {}\n\n", in.profile, in.trace,
                           in.work_hours, in.setup.start.iso8601(),
                           job.slowdown_budget ? "budget " + format_pct(*job.slowdown_budget * 100) : std::string("no budget"),
                           job.frame_length ? fmt::format("{:g}-min", job.frame_length->minutes()) : std::string("trace-grid"),
                           job.forecaster);
  TextTable table;
  table.column("policy", TextTable::Align::kLeft)
      .column("time")
      .column("slowdown")
      .column("energy")
      .column("carbon")
      .column("carbon saved");
  table.row({c.baseline.policy, format_duration(c.baseline.time), format_pct(0),
             format_energy(c.baseline.energy), format_mass(c.baseline.carbon), "—"});
  if (in.policy != c.baseline.policy) {
    table.row({in.policy, format_duration(c.run.time), format_pct(c.slowdown_pct),
               format_energy(c.run.energy), format_mass(c.run.carbon),
               format_percent(c.carbon_saved_pct, 1)});
  }
  if (!in.actual_profile.empty() || !in.setup.speed_changes.none()) {
    std::cout << fmt::format("the job really runs as {}{}; the policies believe {}; every figure is on the truth\n\n",
                             in.actual_profile.empty() ? in.profile : in.actual_profile,
                             in.setup.speed_changes.none() ? "" : ", " + in.setup.speed_changes.describe(), in.profile);
  }
  std::cout << table.render();
  std::cout << fmt::format("\n{} ran {} ({} frames; --json lists every decision)\n", in.policy, time_per_limit(c.run),
                           c.run.frame_count);
  if (job.slowdown_budget && in.policy != c.baseline.policy && !takes_budget(in.policy)) {
    std::cout << fmt::format("{} takes no budget (its own fixed trade-off): the {} budget does not apply to it\n",
                             in.policy, format_pct(*job.slowdown_budget * 100));
  } else if (job.slowdown_budget && in.policy != c.baseline.policy) {
    const bool kept = within_slowdown_budget(c.slowdown_pct, *job.slowdown_budget);
    std::cout << fmt::format("{} {} the {} budget{}\n", in.policy, kept ? "kept" : "broke",
                             format_pct(*job.slowdown_budget * 100),
                             kept ? "" : fmt::format(" by {:.2f} pp", c.slowdown_pct - *job.slowdown_budget * 100));
  }
}

void run(const SimulateOptions& o) {
  const IntensityTrace trace = with_flag("--trace", [&] { return IntensityTrace::load(o.trace); });
  const PowerProfile profile = with_flag("--profile", [&] { return PowerProfile::load(o.profile); });
  std::optional<PowerProfile> actual;
  if (!o.actual_profile.empty()) actual = with_flag("--actual-profile", [&] { return PowerProfile::load(o.actual_profile); });
  SimulationInputs in{o.policy, data_name(trace.source()), data_name(profile.source()), o.job.work_hours, {}};
  if (actual) in.actual_profile = data_name(actual->source());
  in.setup.job = o.job.spec();
  in.setup.speed_changes = o.speed.changes();
  // A day in, by default, so that the online policies have a day of history behind them.
  in.setup.start = o.start.empty() ? trace.start() + Duration::days(1) : UtcTime::parse_iso8601_or_throw(o.start, "--start");
  // The truth runs the job; --profile is what the policies believe.
  const Simulator sim = with_flag("--actual-profile", [&] {
    return actual ? Simulator(trace, *actual, &profile) : Simulator(trace, profile);
  });
  const auto policy = with_flag("--policy", [&] {
    PolicyOptions options = in.setup.job.policy_options();
    options.future = &trace;
    if (!in.setup.speed_changes.none()) options.speed_changes = &in.setup.speed_changes;
    return make_policy(o.policy, options);
  });
  const PolicyComparison c = with_step_flags({{kFrameGrid, "--frame-minutes"}}, [&] {
    const SimulationResult baseline = sim.run(baseline_policy_name(), in.setup);
    return compare_with_max(sim.run(*policy, in.setup, is_offline_optimum(o.policy)), baseline);
  });
  print_result(o.json, [&] { return simulation_json(in, c); }, [&] { print_simulation(in, c); });
}

}  // namespace

void add_simulate_command(CLI::App& root, CommandStatus& /*status*/) {
  auto options = std::make_shared<SimulateOptions>();
  CLI::App* cmd = root.add_subcommand(
      "simulate", "Simulate a training job under a power-limit policy on a recorded grid intensity, against max");
  cmd->add_option("--trace", options->trace, "Intensity trace: a CSV file or a bundled name")->capture_default_str();
  cmd->add_option("--profile", options->profile, "GPU power profile: a CSV file (power_limit_w,time_s,energy_j) or a bundled name")
      ->capture_default_str();
  cmd->add_option("--actual-profile", options->actual_profile,
                  "How the job really runs (a CSV file or a bundled name), when --profile is only what the policies "
                  "believe; max, every figure and the oracle use it");
  cmd->add_option("--policy", options->policy, policy_choices(/*live=*/false))->capture_default_str();
  cmd->add_option("--start", options->start, "Job start, ISO 8601 with a zone (default: a day into the trace)");
  options->job.add_to(*cmd);
  options->speed.add_to(*cmd);
  cmd->add_flag("--json", options->json, "Print JSON (with every frame's decision) instead of a table");
  cmd->footer(
      "Policies:\n" + policy_registry().describe() +
      "Examples:\n"
      "  chase simulate\n"
      "  chase simulate --trace fr-2020 --profile v100-bert-base --policy oracle --slowdown-budget 0.05\n"
      "  chase simulate --profile believed.csv --actual-profile a40-resnet50 --slower-after-hours 12 --slower-by 0.1\n"
      "  chase simulate --trace my-grid.csv --profile my-gpu.csv --start 2020-06-01T00:00Z --work-hours 48 --json");
  cmd->callback([options] { run(*options); });
}

}  // namespace chase::cli

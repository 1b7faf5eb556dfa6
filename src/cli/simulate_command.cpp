// `chase simulate`: one training job on a measured GPU profile under a power-limit policy and a
// recorded grid intensity, beside the `max` baseline on the same inputs.

#include <fmt/format.h>

#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/data_sets.hpp"
#include "cli/flag_checks.hpp"
#include "cli/quantity_format.hpp"
#include "cli/simulation_flags.hpp"
#include "cli/text_table.hpp"
#include "control/policy.hpp"
#include "sim/simulator.hpp"

namespace chase::cli {
namespace {

struct SimulateOptions {
  std::string trace = "gb-2020";
  std::string profile = "a40-resnet50";
  std::string policy = "chase";
  std::string start;
  SimulationFlags job;
  bool json = false;
};

nlohmann::json frames_json(const SimulationResult& r) {
  nlohmann::json frames = nlohmann::json::array();
  for (const SimulatedFrame& f : r.frames) {
    frames.push_back({{"start", f.from.iso8601()},
                      {"run_s", f.run_s},
                      {"frame_s", f.frame_s},
                      {"limit_w", f.limit.watts()},
                      {"predicted_g_per_kwh", f.predicted_g_per_kwh},
                      {"actual_g_per_kwh", f.actual_g_per_kwh},
                      {"energy_j", f.energy_j},
                      {"carbon_g", f.carbon_g}});
  }
  return frames;
}

// How long the job ran at each limit, highest limit first.
std::string time_per_limit(const SimulationResult& r) {
  std::map<double, double, std::greater<>> seconds;
  for (const SimulatedFrame& f : r.frames) seconds[f.limit.watts()] += f.run_s;
  std::vector<std::string> parts;
  for (const auto& [limit, s] : seconds) {
    parts.push_back(fmt::format("{} W {}", format_sig(limit, 3), format_duration(Duration::seconds(s))));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

void run(const SimulateOptions& o) {
  const IntensityTrace trace = with_flag("--trace", [&] { return IntensityTrace::load(o.trace); });
  const PowerProfile profile = with_flag("--profile", [&] { return PowerProfile::load(o.profile); });
  const std::optional<double> budget = o.job.budget();
  const std::optional<Duration> frame = o.job.frame_length();
  // A day in, by default, so that the online policies have a day of history behind them.
  const UtcTime start = o.start.empty() ? trace.start() + Duration::days(1)
                                        : UtcTime::parse_iso8601_or_throw(o.start, "--start");

  const Simulator sim(trace, profile);
  SimulationSetup setup;
  setup.start = start;
  setup.work_at_max = o.job.work();
  setup.slowdown_budget = budget;
  setup.frame_length = frame;
  setup.forecaster = o.job.forecaster;
  setup.history = o.job.history();
  const auto policy = with_flag("--policy", [&] {
    PolicyOptions options = o.job.policy_options();
    options.future = &trace;
    return make_policy(o.policy, options);
  });
  const SimulationResult baseline = sim.run(baseline_policy_name(), setup);
  const PolicyComparison c = compare_with_max(sim.run(*policy, setup), baseline);

  if (o.json) {
    nlohmann::json j;
    j["policy"] = o.policy;
    j["trace"] = data_name(trace.source());
    j["profile"] = data_name(profile.source());
    j["start"] = start.iso8601();
    j["end"] = (start + Duration::seconds(c.run.time_s)).iso8601();
    j["work_hours"] = o.job.work_hours;
    j["slowdown_budget"] = budget ? nlohmann::json(*budget) : nlohmann::json(nullptr);
    j["frame_s"] = frame ? nlohmann::json(frame->seconds()) : nlohmann::json(nullptr);
    j["forecaster"] = o.job.forecaster;
    j["eta"] = o.job.eta();
    j["time_s"] = c.run.time_s;
    j["energy_j"] = c.run.energy_j;
    j["carbon_g"] = c.run.carbon_g;
    j["slowdown_pct"] = c.slowdown_pct;
    j["carbon_saved_pct"] = c.carbon_saved_pct;
    j["energy_saved_pct"] = c.energy_saved_pct;
    j["baseline"] = {{"policy", baseline.policy},
                     {"time_s", baseline.time_s},
                     {"energy_j", baseline.energy_j},
                     {"carbon_g", baseline.carbon_g}};
    j["frames"] = frames_json(c.run);
    print_json(j);
    return;
  }

  std::cout << fmt::format("{} on {}: {:g} h of work from {}, {}, {} frames, forecaster {}\n\n",
                           data_name(profile.source()), data_name(trace.source()), o.job.work_hours,
                           start.iso8601(), budget ? "budget " + format_pct(*budget * 100) : std::string("no budget"),
                           frame ? fmt::format("{:g}-min", frame->minutes()) : std::string("trace-grid"), o.job.forecaster);
  TextTable table;
  table.column("policy", TextTable::Align::kLeft)
      .column("time")
      .column("slowdown")
      .column("energy")
      .column("carbon")
      .column("carbon saved");
  table.row({baseline.policy, format_duration(Duration::seconds(baseline.time_s)), format_pct(0),
             format_energy(Energy::joules(baseline.energy_j)), format_mass(Mass::grams(baseline.carbon_g)), "—"});
  if (o.policy != baseline.policy) {
    table.row({o.policy, format_duration(Duration::seconds(c.run.time_s)), format_pct(c.slowdown_pct),
               format_energy(Energy::joules(c.run.energy_j)), format_mass(Mass::grams(c.run.carbon_g)),
               fmt::format("{:.1f} %", c.carbon_saved_pct)});
  }
  std::cout << table.render();
  std::cout << fmt::format("\n{} ran {} ({} frames; --json lists every decision)\n", o.policy, time_per_limit(c.run),
                           c.run.frame_count);
}

}  // namespace

void add_simulate_command(CLI::App& root, CommandStatus& /*status*/) {
  auto options = std::make_shared<SimulateOptions>();
  CLI::App* cmd = root.add_subcommand(
      "simulate", "Simulate a training job under a power-limit policy on a recorded grid intensity, against max");
  cmd->add_option("--trace", options->trace, "Intensity trace: a CSV file or a bundled name")->capture_default_str();
  cmd->add_option("--profile", options->profile, "GPU power profile: a CSV file (power_limit_w,time_s,energy_j) or a bundled name")
      ->capture_default_str();
  cmd->add_option("--policy", options->policy, policy_choices(/*live=*/false))->capture_default_str();
  cmd->add_option("--start", options->start, "Job start, ISO 8601 with a zone (default: a day into the trace)");
  options->job.add_to(*cmd);
  cmd->add_flag("--json", options->json, "Print JSON (with every frame's decision) instead of a table");
  cmd->footer(
      "Examples:\n"
      "  chase simulate\n"
      "  chase simulate --trace fr-2020 --profile v100-bert-base --policy oracle --slowdown-budget 0.05\n"
      "  chase simulate --trace my-grid.csv --profile my-gpu.csv --start 2020-06-01T00:00Z --work-hours 48 --json");
  cmd->callback([options] { run(*options); });
}

}  // namespace chase::cli

// `chase run -- CMD ARGS...`: runs a training command and, while it runs, sets the GPUs' power
// limit frame by frame from the grid's carbon intensity (the Chase controller: observe →
// forecast → policy → set), then restores the limits. The run is metered like `chase measure`,
// and every decision is logged. The command's exit status becomes chase's.
//
// Threads: the main thread waits for the child and forwards signals sent to chase (as
// `chase measure` does); the controller runs in its own thread and is woken when the child
// ends; the Monitor's sampler reads the devices at every boundary of the intensity source.
// The limits are restored when the controller returns, whatever ended it (the job, an error of
// the source or a device, or a signal forwarded to the job).

#include <fmt/format.h>

#include <exception>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "carbon/forecast/forecaster.hpp"
#include "cli/child_process.hpp"
#include "cli/command.hpp"
#include "cli/device_options.hpp"
#include "cli/flag_checks.hpp"
#include "cli/intensity_options.hpp"
#include "cli/quantity_format.hpp"
#include "cli/simulation_flags.hpp"
#include "cli/text_table.hpp"
#include "cli/window_report.hpp"
#include "control/controller.hpp"
#include "control/decision_log.hpp"
#include "control/pacer.hpp"
#include "energy/monitor.hpp"
#include "energy/sampler.hpp"

namespace chase::cli {
namespace {

struct RunOptions {
  DeviceOptions devices;
  IntensityInputOptions source;
  SimulationFlags job;
  std::string profile;
  std::string policy = "chase";
  std::string decisions_csv;
  double interval_ms = 100;
  bool json = false;
  std::vector<std::string> command;
};

// The GPUs the controller drives: every visible device with a settable limit. Checked before
// the job starts, so a missing privilege or a profile the GPU cannot run is an error up front,
// not a job left running at a changed limit.
std::vector<std::shared_ptr<PowerDevice>> controlled_devices(const DiscoveredDevices& found,
                                                             const OperatingPoints& points) {
  std::vector<std::shared_ptr<PowerDevice>> out;
  for (const auto& d : found.devices) {
    if (d->supports_power_limit()) out.push_back(d);
  }
  if (out.empty()) {
    std::string why;
    for (const auto& b : found.backends) {
      if (b.backend == "nvml") why = b.detail;
    }
    throw HardwareError(fmt::format("no GPU with a settable power limit here{} (see `chase devices`)",
                                    why.empty() ? "" : ": " + why));
  }
  for (const auto& d : out) {
    const PowerLimitRange range = d->power_limit_range();
    for (const OperatingPoint& p : points.all()) {
      if (p.limit < range.min || p.limit > range.max) {
        throw InputError(fmt::format("--profile: limit {} W is outside {}'s range {}-{} W", p.limit.watts(), d->id(),
                                     range.min.watts(), range.max.watts()));
      }
    }
    // Setting the current limit again changes nothing but proves the privilege.
    d->set_power_limit(d->power_limit());
  }
  return out;
}

// How long the run spent at each limit, from the decision log (the last frame ends at `end`).
std::map<double, Duration, std::greater<>> time_per_limit(const DecisionLog& log, UtcTime end) {
  std::map<double, Duration, std::greater<>> out;
  const auto& d = log.decisions();
  for (std::size_t i = 0; i < d.size(); ++i) {
    const UtcTime until = i + 1 < d.size() ? d[i + 1].from : end;
    out[d[i].limit.watts()] += until - d[i].from;
  }
  return out;
}

const char* end_name(ControlOutcome::End end) {
  switch (end) {
    case ControlOutcome::End::kWorkDone:
      return "work-done";
    case ControlOutcome::End::kJobEnded:
      return "job-ended";
    case ControlOutcome::End::kStopped:
      return "job-ended";  // the pacer stops the controller when the job ends
  }
  return "?";
}

void run(RunOptions& o, CommandStatus& status) {
  if (o.command.empty()) throw InputError("no command to run (usage: chase run [options] -- CMD ARGS...)");
  SystemClock clock;
  o.source.require_one();
  IntensitySource& source = o.source.source();
  const PowerProfile profile = with_flag("--profile", [&] { return PowerProfile::load(o.profile); });
  const OperatingPoints points(profile);
  const std::optional<Duration> frame = o.job.frame_length();
  const std::optional<double> budget = o.job.budget();
  const IntensityStep now_step = with_flag(source.name(), [&] { return source.step_at(clock.now()); });
  const Duration forecast_frame = frame.value_or(now_step.until - now_step.from);
  auto forecaster = with_flag("--forecaster", [&] { return make_forecaster(o.job.forecaster, forecast_frame); });
  auto policy = with_flag("--policy", [&] {
    PolicyOptions options;
    options.eta = o.job.eta;
    return make_policy(o.policy, options);
  });

  const DiscoveredDevices found = discover_devices(o.devices.resolve(), clock);
  const auto gpus = controlled_devices(found, points);
  std::vector<PowerDevice*> gpu_ptrs;
  for (const auto& g : gpus) gpu_ptrs.push_back(g.get());
  DecisionLog log = o.decisions_csv.empty() ? DecisionLog() : DecisionLog(o.decisions_csv);
  Controller controller(gpu_ptrs, points, source, *forecaster, *policy, clock, log);
  ControlSettings settings;
  settings.frame_length = frame;
  settings.time_at_max = o.job.work();
  settings.slowdown_budget = budget;

  Monitor monitor(found.devices, clock, &source);
  const SignalBlock block;  // before any thread starts, so that every thread inherits the mask
  Sampler sampler(monitor, Duration::milliseconds(o.interval_ms), {});
  monitor.begin("run");
  pid_t pid = 0;
  try {
    pid = spawn_child(o.command, block);
  } catch (const ChildStartError& e) {
    sampler.stop();
    std::cerr << "chase: error: " << e.what() << '\n';
    status.exit_code = e.exit_code();
    return;
  }

  WakeablePacer pacer(clock);
  ModelledWork work(points);
  ControlOutcome outcome;
  std::exception_ptr control_error;
  std::thread control([&] {
    try {
      outcome = controller.run(settings, work, pacer);
    } catch (...) {
      control_error = std::current_exception();
    }
  });
  const ChildExit child = wait_for_child(pid, block);
  pacer.request_stop();
  control.join();  // the limits are restored once run() has returned
  sampler.stop();
  const WindowResult w = monitor.end("run");
  status.exit_code = child.exit_code;

  std::string control_failure;
  if (control_error) {
    try {
      std::rethrow_exception(control_error);
    } catch (const std::exception& e) {
      control_failure = e.what();
    }
    std::cerr << fmt::format("chase: warning: control stopped early (limits restored; the job ran on at them): {}\n",
                             control_failure);
  }
  if (!w.intensity_error.empty()) {
    std::cerr << fmt::format("chase: warning: {} of energy has no intensity: {}\n", format_energy(w.energy_without_intensity),
                             w.intensity_error);
  }

  const auto shares = time_per_limit(log, w.end);
  if (o.json) {
    nlohmann::json j = window_json(w, source.name());
    j["command"] = o.command;
    j["exit_code"] = child.exit_code;
    j["signals_forwarded"] = child.forwarded;
    j["policy"] = o.policy;
    j["forecaster"] = o.job.forecaster;
    j["slowdown_budget"] = budget ? nlohmann::json(*budget) : nlohmann::json(nullptr);
    j["profile"] = profile.source();
    j["controlled_devices"] = nlohmann::json::array();
    for (const auto& g : gpus) j["controlled_devices"].push_back(g->id());
    j["control_end"] = control_error ? "error" : end_name(outcome.end);
    j["control_error"] = control_error ? nlohmann::json(control_failure) : nlohmann::json(nullptr);
    j["work_done_units"] = work.work_done_units();
    j["decisions"] = log.to_json();
    nlohmann::json per_limit = nlohmann::json::array();
    for (const auto& [limit, time] : shares) per_limit.push_back({{"limit_w", limit}, {"time_s", time.seconds()}});
    j["time_per_limit"] = per_limit;
    print_json(j);
    return;
  }
  std::cout << fmt::format("command: {}\nexit code: {}{}\ntime: {}\n", fmt::join(o.command, " "), child.exit_code,
                           child.forwarded.empty() ? "" : fmt::format(" (forwarded {})", fmt::join(child.forwarded, ", ")),
                           format_duration(w.time));
  std::vector<std::string> ids;
  for (const auto& g : gpus) ids.push_back(g->id());
  std::cout << fmt::format("control: policy {}, forecaster {}, budget {}, profile {}, on {}; {} decision(s); {}\n\n",
                           o.policy, o.job.forecaster, budget ? format_pct(*budget * 100) : "none", profile.source(),
                           fmt::join(ids, ", "), log.decisions().size(),
                           control_error ? "stopped by an error" : "limits restored");
  if (!shares.empty()) {
    TextTable t;
    t.column("power limit").column("time");
    for (const auto& [limit, time] : shares) t.row({format_power(Power::watts(limit)), format_duration(time)});
    std::cout << t.render() << '\n';
  }
  print_window(w, source.name(), found.devices);
}

}  // namespace

void add_run_command(CLI::App& root, CommandStatus& status) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* cmd = root.add_subcommand(
      "run", "Run a training command while setting the GPU power limit per frame from the grid's carbon intensity");
  o->devices.add_to(*cmd);
  o->source.add_to(*cmd, /*allow_region=*/true);
  o->job.frame_minutes = "trace";  // frames follow the intensity source's own steps by default
  o->job.add_to(*cmd);
  cmd->add_option("--profile", o->profile, "The job's power profile: a CSV (power_limit_w,time_s,energy_j) or a bundled name")
      ->required();
  cmd->add_option("--policy", o->policy, "max | zeus | chase")->capture_default_str();
  cmd->add_option("--decisions", o->decisions_csv, "Append every decision to this CSV file as frames end");
  cmd->add_option("--interval-ms", o->interval_ms, "Sampling period of the energy meter in ms")
      ->check(positive())
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print JSON (with every decision) instead of a table");
  cmd->add_option("command", o->command, "The training command and its arguments (after --)");
  cmd->footer(
      "The limits are restored when the command ends, when control fails, and when chase is asked to stop (SIGINT/\n"
      "SIGTERM/SIGHUP/SIGQUIT are forwarded to the command). Setting limits needs root (or nvidia-smi -pm 1 and the\n"
      "privilege); without it chase says so before starting the command. --frame-minutes trace = the source's steps.\n"
      "Examples:\n"
      "  chase run --provider uk-carbon-intensity --profile a40-resnet50 --work-hours 20 -- python train.py\n"
      "  chase run --provider electricitymaps --zone DE --profile my-gpu.csv --work-hours 8 --slowdown-budget 0.05 \\\n"
      "            --decisions decisions.csv -- ./train.sh");
  cmd->callback([o, &status] { run(*o, status); });
}

}  // namespace chase::cli

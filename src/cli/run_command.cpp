// `chase run -- CMD ARGS...`: runs a training command and, while it runs, sets the GPUs' power
// limit frame by frame from the grid's carbon intensity (the Chase controller: observe →
// forecast → policy → set), then restores the limits. The run is metered like `chase measure`,
// and every decision is logged. The command's exit status becomes chase's.
//
// The run itself is the library's run_controlled_command (control/controlled_command.hpp):
// the main thread waits for the child and forwards signals sent to chase (as `chase measure`
// does); the controller runs in its own thread and is woken when the child ends. The limits
// are restored when the controller returns, whatever ended it (the job, an error of the source
// or a device, or a signal forwarded to the job). This file reads the flags and prints.

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>

#include "carbon/forecast/forecaster.hpp"
#include "cli/command.hpp"
#include "cli/device_options.hpp"
#include "cli/flag_checks.hpp"
#include "carbon/intensity_basis.hpp"
#include "cli/intensity_options.hpp"
#include "cli/limit_options.hpp"
#include "cli/listen_options.hpp"
#include "cli/record_options.hpp"
#include "cli/simulation_flags.hpp"
#include "cli/text_table.hpp"
#include "cli/window_report.hpp"
#include "control/control_session.hpp"
#include "control/controlled_command.hpp"
#include "control/decision_log.hpp"
#include "core/environment.hpp"
#include "core/quantity_format.hpp"
#include "core/writable_file.hpp"
#include "energy/device_selection.hpp"
#include "export/run_export.hpp"
#include "limits/daemon_power_device.hpp"

namespace chase::cli {
namespace {

struct RunOptions {
  DeviceOptions devices;
  IntensityInputOptions source;
  RecordOptions record;  // --db / --no-record
  ListenOptions listen;  // --listen
  LimitOptions limits;   // --daemon-socket
  SimulationFlags job;
  std::string profile;
  // Just-in-time profiling instead of a saved profile: the job reports iterations in a file.
  std::string progress_file;
  std::string save_profile;
  // The job's length in iterations (with --progress-file) instead of --work-hours.
  std::int64_t total_iterations = 0;
  bool total_iterations_given = false;
  bool work_hours_given = false;
  double drift_threshold = 0.10;
  double profile_step_w = 25;
  int profile_warmup = 5;
  int profile_iterations = 20;
  double profile_seconds = 2;
  double poll_ms = 100;
  std::string policy = default_policy_name();
  std::string decisions_csv;
  double interval_ms = 100;
  bool json = false;
  bool leave_descendants = false;
  std::vector<std::string> command;
};

// The profile measured at the start, per iteration at each limit.
void print_profiled(const RunOptions& o, const RunSummary& s) {
  TextTable t;
  t.column("profiled limit").column("time/iteration").column("energy/iteration").column("avg power");
  for (const ProfilePoint& p : s.profiled->points()) {
    t.row({format_power(p.limit), format_duration(p.time), format_energy(p.energy), format_power(p.average_power())});
  }
  std::cout << fmt::format("profiled in {} (counted as training time){}\n", format_duration(s.profiling.value()),
                           o.save_profile.empty() ? "" : "; saved to " + o.save_profile)
            << t.render() << '\n';
}

void print_run(const RunOptions& o, const RunSummary& s, const MeteredCommandResult& metered,
               const std::string& priced_by, const CommandRecording& recording) {
  print_command(o.command, metered);
  std::cout << fmt::format("control: policy {}, forecaster {}, budget {}, profile {}, on {}; {} decision(s); {}\n\n",
                           s.policy, s.forecaster, s.slowdown_budget ? format_pct(*s.slowdown_budget * 100) : "none",
                           s.profile, fmt::join(s.controlled_devices, ", "), s.decisions->size(),
                           s.control_error ? "stopped by an error" : "limits restored");
  if (s.profiled) print_profiled(o, s);
  if (s.work_meter != "modelled") {
    std::cout << fmt::format("work: {:g} iterations counted by the progress file during control ({} before it{})\n",
                             s.work_done_units, s.iterations_before_control.value_or(0),
                             s.total_iterations ? fmt::format(", {} in all", *s.total_iterations) : "");
  }
  if (s.drift) {
    std::string saved = o.save_profile.empty() ? "not saved (no --save-profile)" : "not saved";
    if (s.corrected_profile_saved_to) saved = "saved to " + *s.corrected_profile_saved_to;
    std::cout << fmt::format("profile drift: {}; corrected profile {}\n\n", s.drift->describe(), saved);
  } else if (s.work_meter != "modelled") {
    std::cout << "profile drift: none\n\n";
  }
  if (!s.time_per_limit.empty()) {
    TextTable t;
    t.column("power limit").column("time");
    for (const auto& [limit, time] : s.time_per_limit) t.row({format_power(Power::watts(limit)), format_duration(time)});
    std::cout << t.render() << '\n';
  }
  print_window(metered.window, priced_by, s.metering);
  print_recorded(recording);
}

// The saved profile, or none when the job is to be profiled; flags checked before anything runs.
std::optional<PowerProfile> check_profile_flags(const RunOptions& o) {
  if (o.profile.empty() && o.progress_file.empty()) {
    throw InputError(
        "give --profile (a saved profile of the job), --progress-file (profile the job as it starts and count its "
        "iterations), or both");
  }
  if (o.total_iterations_given && o.progress_file.empty()) {
    throw InputError("--total-iterations needs --progress-file (the file the job writes its count of iterations to)");
  }
  if (o.total_iterations_given && o.work_hours_given) {
    throw InputError(
        "give one of --total-iterations (the job's length in iterations) and --work-hours (its length in hours at the "
        "maximum limit)");
  }
  if (!o.save_profile.empty() && o.progress_file.empty()) {
    throw InputError("--save-profile needs --progress-file (the profile is measured, or corrected, from the job's "
                     "progress)");
  }
  if (!o.progress_file.empty()) with_flag("--progress-file", [&] { require_writable_file(o.progress_file, "the job"); });
  // Checked now: the profile is written only once profiling is over, well into the job.
  if (!o.save_profile.empty()) with_flag("--save-profile", [&] { require_writable_file(o.save_profile, "chase"); });
  if (o.profile.empty()) return std::nullopt;
  PowerProfile saved = with_flag("--profile", [&] { return PowerProfile::load(o.profile); });
  if (o.total_iterations_given) {
    // The job's length at the maximum limit is known now: refuse an absurd one before it starts.
    const Duration per_iteration = saved.max_point().time;
    if (!(per_iteration.hours() * static_cast<double>(o.total_iterations) <= kLongestJobHours)) {
      throw InputError(fmt::format(
          "--total-iterations: {} iterations at the profile's {:.4g} s each at the maximum limit take longer than ten "
          "years",
          o.total_iterations, per_iteration.seconds()));
    }
  }
  return saved;
}

ControlSessionSetup session_setup(const RunOptions& o, const std::optional<PowerProfile>& saved) {
  ControlSessionSetup setup;
  setup.profile = saved ? &*saved : nullptr;
  if (!saved) {
    ProgressProfiling jit;
    jit.progress_file = o.progress_file;
    jit.profiler.step = Power::watts(o.profile_step_w);
    jit.profiler.warmup_iterations = o.profile_warmup;
    jit.profiler.measure_iterations = o.profile_iterations;
    // Iterations between two polls all end at the same poll: measure over several polls.
    jit.profiler.measure_time = Duration::seconds(std::max(o.profile_seconds, 3 * o.poll_ms / 1000));
    jit.poll = Duration::milliseconds(o.poll_ms);
    if (!o.save_profile.empty()) jit.save_to = o.save_profile;
    setup.profiling = jit;
  } else if (!o.progress_file.empty()) {
    setup.progress_file = o.progress_file;  // the work meter, with the saved profile
  }
  if (o.total_iterations_given) setup.total_iterations = o.total_iterations;
  setup.drift.threshold = o.drift_threshold;
  if (!o.save_profile.empty()) setup.save_corrected_to = o.save_profile;
  // Said once, when it is seen (from the control thread; the job's own output goes on).
  const bool saving = !o.save_profile.empty();
  setup.on_drift = [saving](const ProfileDrift& drift) {
    std::cerr << fmt::format("chase: warning: the job runs off its profile at {}{}\n", drift.describe(),
                             saving ? "; --save-profile will hold the corrected profile" : "");
  };
  setup.control.job = o.job.spec();
  // chase run reads its history from the intensity source's flags.
  setup.control.job.history = o.source.history_length();
  return setup;
}

void report_run(const RunOptions& o, const RunSummary& s, const MeteredCommandResult& metered,
                const std::string& priced_by, const CommandRecording& recording, bool through_daemon) {
  if (s.control_error) {
    // Through chased, the limits are chased's to put back: at once while it runs, or from its
    // state file when it starts again if it is what went away.
    std::cerr << fmt::format("chase: warning: control stopped early ({}; the job ran on): {}\n",
                             through_daemon ? "the limits are chased's to restore" : "limits restored",
                             *s.control_error);
  }
  warn_about_sampling(metered.sampling);
  warn_if_unpriced(metered.window);
  o.source.warn_if_failed();
  warn_if_left_running(metered, ", and the power limits were restored while they run");
  print_result(
      o.json, [&] { return with_run_id(run_json(s, metered.window, priced_by), recording.id()); },
      [&] { print_run(o, s, metered, priced_by, recording); });
}

void run(RunOptions& o, CommandStatus& status) {
  if (o.command.empty()) throw InputError("no command to run (usage: chase run [options] -- CMD ARGS...)");
  SystemClock clock;
  o.source.require_one();
  IntensitySource& source = o.source.source();
  const std::optional<PowerProfile> saved = check_profile_flags(o);
  ControlSessionSetup setup = session_setup(o, saved);
  const IntensityStep now_step = with_flag(o.source.chosen_flag(), [&] { return source.step_at(clock.now()); });
  const Duration forecast_frame = setup.control.job.frame_length.value_or(now_step.until - now_step.from);
  auto forecaster = with_flag("--forecaster", [&] { return make_forecaster(o.job.forecaster, forecast_frame, 1); });
  auto policy = with_flag("--policy", [&] {
    check_live_policy(o.policy);
    return make_policy(o.policy, setup.control.job.policy_options());
  });

  DiscoveredDevices found = discover_devices(o.devices.resolve(), clock);
  // A chase killed before it could restore its limits: put them back (or say loudly that they
  // are not) before anything reads a limit as the one to restore to.
  const std::vector<std::string> lowered = restore_abandoned_limits(found.devices);
  for (const auto& d : found.devices) {
    if (std::find(lowered.begin(), lowered.end(), d->hardware_id()) != lowered.end()) {
      throw HardwareError(fmt::format("{} is left lowered by a chase that was killed (see the warning above): restore "
                                      "its original limit before controlling it",
                                      d->id()));
    }
  }
  // Through chased, the limits are set by the daemon, which restores them however chase ends.
  const std::shared_ptr<LimitClient> daemon = o.limits.connect();
  if (daemon) {
    route_limits_through_daemon(found.devices, daemon);
  } else if (const auto held = gpus_held_by_daemon(kDefaultDaemonSocket, found.devices); !held.empty()) {
    // Setting such a GPU here would make its client's limit the one restored at the end.
    throw PermissionError(fmt::format("{}; run through chased (--daemon-socket {}) or wait for it", held.front(),
                                      kDefaultDaemonSocket));
  }
  // Why no GPU can be controlled, when none can: the backend's state and each GPU or
  // CUDA_VISIBLE_DEVICES entry not metered (a MIG instance's limit is its whole GPU's).
  std::string nvml_why = found.detail_of("nvml");
  if (const std::string gpus_not_metered = why_not_metered(found.metering(), "nvml"); !gpus_not_metered.empty()) {
    nvml_why += "; " + gpus_not_metered;
  }
  const auto gpus = controllable_devices(found.devices, saved ? &*saved : nullptr, nvml_why);
  // Without chased, the limits are written down before any changes, for the next chase to
  // restore if this one is killed; the record goes when the run ends with them restored.
  std::optional<LimitRecordFile> limit_record;
  if (!daemon) {
    const EnvironmentLookup env = process_environment();
    limit_record.emplace(limit_record_dir(env), limit_record_dirs(env), borrowed(gpus));
  }
  DecisionLog log = o.decisions_csv.empty() ? DecisionLog() : DecisionLog(o.decisions_csv);
  if (const auto failure = prefetch_history(source, o.source.is_trace(), clock, setup.control.job)) {
    std::cerr << fmt::format("chase: warning: {}: no history before the start ({}); forecasting from scratch\n",
                             source.name(), *failure);
  }

  CommandRecording recording(o.record, "run", o.command, source.name(), intensity_basis(source), found.metering(),
                             found.devices, clock);
  if (RunRecorder* recorder = recording.recorder()) {
    log.set_listener([recorder](const Decision& d, std::size_t frame) { recorder->record_decision(d, frame); });
    if (saved) recorder->record_profile(*saved);
  }

  const auto metrics = o.listen.start(found.devices, /*priced=*/true);
  Sampler::Sink sink = recording.sink({});
  if (metrics) sink = metrics->state.sink(std::move(sink));
  IntensityFeed* feed = recording.feed(&source, metrics ? metrics->state.step_observer() : nullptr);

  ControlSession session(borrowed(gpus), source, *forecaster, *policy, clock, log);
  const CommandMeter meter(found.devices, clock, feed,
                           {Duration::milliseconds(o.interval_ms), std::move(sink), "run", !o.leave_descendants});
  const ControlledCommandResult result = run_controlled_command(meter, o.command, session, setup);
  log.close();
  log.set_listener({});
  RunSummary summary = run_summary(o.command, result, log);
  if (summary.profiled && recording.recorder() != nullptr) recording.recorder()->record_profile(*summary.profiled);
  recording.finish(result.metered);
  if (!take_exit_status(result.metered, status)) return;
  summary.policy = o.policy;
  summary.forecaster = o.job.forecaster;
  summary.slowdown_budget = setup.control.job.slowdown_budget;
  summary.profile = profile_name(setup, result.control);
  summary.controlled_devices = device_ids(gpus);
  summary.total_iterations = setup.total_iterations;
  summary.sampler.interval_ms = o.interval_ms;
  summary.metering = found.metering();
  const std::string save_profile = o.save_profile;
  if (result.control.save_error) o.save_profile.clear();  // the table does not say "saved to" then
  report_run(o, summary, result.metered, source.name(), recording, daemon != nullptr);
  o.save_profile = save_profile;
  // Files that could not be written are reported after the results, which are printed all the same.
  std::vector<std::string> failures;
  if (result.control.save_error) failures.push_back("--save-profile: " + *result.control.save_error);
  try {
    log.finish();
  } catch (const Error& e) {
    failures.push_back(fmt::format("--decisions: {}", e.what()));
  }
  if (!failures.empty()) throw Error(fmt::format("{}", fmt::join(failures, "; ")));
}

}  // namespace

void add_run_command(CLI::App& root, CommandStatus& status) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* cmd = root.add_subcommand(
      "run", "Run a training command while setting the GPU power limit per frame from the grid's carbon intensity");
  o->devices.add_to(*cmd);
  o->source.add_to(*cmd, /*allow_region=*/true);
  o->record.add_to(*cmd, /*recording=*/true);
  o->listen.add_to(*cmd);
  o->limits.add_to(*cmd);
  o->job.frame_minutes = "trace";  // frames follow the intensity source's own steps by default
  o->job.add_to(*cmd, /*with_budget=*/true, /*with_history=*/false);
  cmd->add_option("--profile", o->profile,
                  "The job's saved power profile: a CSV (power_limit_w,time_s,energy_j) or a bundled name; with "
                  "--progress-file too, its unit of work must be one iteration");
  cmd->add_option("--progress-file", o->progress_file,
                  "A file the job rewrites with its count of finished iterations: the work meter for the whole run, "
                  "and without --profile the job is profiled from it as it starts");
  cmd->add_option("--save-profile", o->save_profile,
                  "Write the profile measured with --progress-file to this CSV, replaced at the end of the run by the "
                  "corrected profile if the job drifted from its profile (needs --progress-file)");
  CLI::Option* total_iterations =
      cmd->add_option("--total-iterations", o->total_iterations,
                      "The job's length in iterations, as its --progress-file counts them (instead of --work-hours): "
                      "the deadline is the iterations left at the profile's time per iteration at the maximum limit")
          ->check(positive())
          ->check(at_most(1e12, "a trillion iterations"));
  cmd->add_option("--drift-threshold", o->drift_threshold,
                  "Say so (once) when the measured rate at a limit departs from the profile's by more than this "
                  "fraction, after 3 frames' time at it")
      ->check(above_up_to(0, 10))
      ->capture_default_str();
  cmd->add_option("--profile-step-w", o->profile_step_w, "Profiling: power limits from the maximum down, every this many W")
      ->check(within(1, 10000))
      ->capture_default_str();
  cmd->add_option("--profile-warmup", o->profile_warmup, "Profiling: iterations at each limit before measuring")
      ->check(non_negative())
      ->capture_default_str();
  cmd->add_option("--profile-iterations", o->profile_iterations, "Profiling: iterations measured at each limit (at least)")
      ->check(positive())
      ->capture_default_str();
  cmd->add_option("--profile-seconds", o->profile_seconds, "Profiling: seconds measured at each limit (at least)")
      ->check(positive())
      ->capture_default_str();
  cmd->add_option("--poll-ms", o->poll_ms, "Profiling: how often the progress file is read, ms")
      ->check(period_ms())
      ->capture_default_str();
  cmd->add_option("--policy", o->policy, policy_choices(/*live=*/true))->capture_default_str();
  cmd->add_option("--decisions", o->decisions_csv, "Append every decision to this CSV file as frames end");
  cmd->add_option("--interval-ms", o->interval_ms, "Sampling period of the energy meter in ms")
      ->check(period_ms())
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print JSON (with every decision) instead of a table");
  cmd->add_flag("--leave-descendants", o->leave_descendants,
                "Stop metering and controlling (limits restored) when the command exits, even if it left processes "
                "running");
  cmd->add_option("command", o->command, "The training command and its arguments (after --)");
  cmd->footer(
      "The limits are restored when the command ends, when control fails, and when chase is asked to stop (SIGINT/\n"
      "SIGTERM/SIGHUP/SIGQUIT are forwarded to the command); if chase is killed (SIGKILL), chased restores them at\n"
      "once (--daemon-socket), or without it the next chase run or chase devices does. A command that leaves processes\n"
      "running (workers, nohup, daemons) has not ended until they have: control, metering and the limits go on, and\n"
      "signals reach them too (--leave-descendants: stop at the command's own exit). Setting limits needs root, or\n"
      "chased (README: Running with real GPUs); without either chase says so before starting the command.\n"
      "--frame-minutes trace = the source's steps.\n"
      "With --progress-file instead of --profile, the job is profiled as it starts (Zeus-style: each limit from the\n"
      "maximum down, warm-up then measure); the job must write its count of finished iterations to that file. The\n"
      "file then counts the job's work for the whole run (with a saved --profile too, whose unit must then be one\n"
      "iteration), and --total-iterations states the job's length in them. When the rate measured at a limit departs\n"
      "from the profile by more than --drift-threshold, chase says so and --save-profile gets the corrected profile.\n"
      "Examples:\n"
      "  chase run --provider uk-carbon-intensity --profile a40-resnet50 --work-hours 20 -- python train.py\n"
      "  chase run --region gb --progress-file /tmp/iters --save-profile my-gpu.csv --total-iterations 90000 \\\n"
      "            -- python train.py\n"
      "  chase run --provider electricitymaps --zone DE --profile my-gpu.csv --work-hours 8 --slowdown-budget 0.05 \\\n"
      "            --decisions decisions.csv -- ./train.sh");
  CLI::Option* work_hours = cmd->get_option("--work-hours");
  cmd->callback([o, &status, total_iterations, work_hours] {
    o->total_iterations_given = total_iterations->count() > 0;
    o->work_hours_given = work_hours->count() > 0;
    run(*o, status);
  });
}

}  // namespace chase::cli

// `chase measure -- CMD ARGS...`: runs CMD as a child and meters it — time, energy per device,
// average power and, with an intensity source (--provider, --region, --trace) or --intensity,
// CO2e as ∫P·CI dt on the source's own grid — with the library's CommandMeter
// (energy/metered_command.hpp). The child's exit status becomes chase's. This file reads the
// flags, builds the meter's inputs and prints.

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>

#include "cli/command.hpp"
#include "cli/device_options.hpp"
#include "cli/flag_checks.hpp"
#include "cli/pricing_options.hpp"
#include "cli/listen_options.hpp"
#include "cli/record_options.hpp"
#include "cli/window_report.hpp"
#include "energy/device_selection.hpp"
#include "energy/metered_command.hpp"
#include "export/sample_csv.hpp"
#include "export/window_export.hpp"

namespace chase::cli {
namespace {

struct MeasureOptions {
  DeviceOptions devices;
  std::vector<std::string> device_filter;
  double interval_ms = 100;
  std::string csv_path;
  bool json = false;
  bool leave_descendants = false;
  PricingOptions pricing;        // --provider / --region / --trace / --intensity
  RecordOptions record;          // --db / --no-record
  ListenOptions listen;          // --listen
  std::vector<std::string> command;
};

// Opens the --csv file once the command has started: one that cannot start leaves an earlier
// file as it was.
class CsvOnStart : public CommandCompanion {
 public:
  explicit CsvOnStart(SampleCsvFile& csv) : csv_(&csv) {}
  void command_started() override { csv_->open(); }
  void command_ended() override {}

 private:
  SampleCsvFile* csv_;
};


void print_report(const MeasureOptions& o, const MeteredCommandResult& r, const std::optional<Pricing>& price,
                  const std::vector<DeviceEntry>& metering, const CommandRecording& recording) {
  print_command(o.command, r);
  std::cout << '\n';
  print_window(r.window, priced_by(price), metering);
  print_recorded(recording);
}

void run(MeasureOptions& o, CommandStatus& status) {
  if (o.command.empty()) throw InputError("no command to measure (usage: chase measure [options] -- CMD ARGS...)");
  SystemClock clock;
  const std::optional<Pricing> price = o.pricing.resolve(clock);
  const DiscoveredDevices found = discover_devices(o.devices.resolve(), clock);
  const auto devices = with_flag("--device", [&] { return select_devices(found.devices, o.device_filter); });
  if (devices.empty()) {
    throw HardwareError(fmt::format("no device to meter here: {}", why_not_metered(found.metering(devices))));
  }
  std::unique_ptr<SampleCsvFile> csv;
  if (!o.csv_path.empty()) csv = with_flag("--csv", [&] { return std::make_unique<SampleCsvFile>(o.csv_path, devices); });

  const std::vector<DeviceEntry> metering = found.metering(devices, "left out by --device");
  CommandRecording recording(o.record, "measure", o.command, priced_by(price),
                             price ? std::optional<std::string>(price->basis) : std::nullopt, metering, devices, clock);
  const auto metrics = o.listen.start(devices, price.has_value());

  MeterSettings settings{Duration::milliseconds(o.interval_ms), {}, "measure", !o.leave_descendants};
  settings.sink = recording.sink(csv ? csv->sink() : Sampler::Sink{});
  if (metrics) settings.sink = metrics->state.sink(std::move(settings.sink));
  IntensityFeed* feed = recording.feed(price ? price->feed : nullptr, metrics ? metrics->state.step_observer() : nullptr);
  const CommandMeter meter(devices, clock, feed, std::move(settings));
  std::optional<CsvOnStart> open_csv;
  if (csv) open_csv.emplace(*csv);
  const MeteredCommandResult r = meter.run(o.command, open_csv ? &*open_csv : nullptr);
  // A command that never started leaves an earlier --csv file as it was (never opened).
  recording.finish(r);
  if (!take_exit_status(r, status)) return;
  // The samples are all in; a failed write is reported after the results, which are printed
  // whatever happened to the file.
  std::optional<std::string> csv_failure;
  if (csv) {
    try {
      csv->finish();
    } catch (const Error& e) {
      csv_failure = fmt::format("--csv: {}", e.what());
    }
  }
  warn_about_sampling(r.sampling);
  warn_if_unpriced(r.window);
  o.pricing.source().warn_if_failed();
  warn_if_left_running(r);
  const SamplerStats stats{o.interval_ms, r.sampling.samples, r.sampling.errors};
  const CommandOutcome outcome = CommandOutcome::of(o.command, r);
  print_result(
      o.json,
      [&] {
        return with_run_id(measure_json(r.window, priced_by(price), outcome, stats, found.backends, metering),
                           recording.id());
      },
      [&] { print_report(o, r, price, metering, recording); });
  if (csv_failure) throw Error(*csv_failure);
}

}  // namespace

void add_measure_command(CLI::App& root, CommandStatus& status) {
  auto o = std::make_shared<MeasureOptions>();
  CLI::App* cmd = root.add_subcommand("measure", "Run a command and meter its energy (and CO2e) on every device");
  o->devices.add_to(*cmd);
  // One value per --device (repeatable), so the command after -- is never taken for more devices.
  cmd->add_option("--device", o->device_filter, "Meter only this device id or backend (repeatable; see `chase devices`)")
      ->allow_extra_args(false);
  cmd->add_option("--interval-ms", o->interval_ms, "Sampling period in ms")->check(period_ms())->capture_default_str();
  cmd->add_option("--csv", o->csv_path, "Write the sampled time series to this CSV file");
  cmd->add_flag("--json", o->json, "Print JSON instead of a table");
  cmd->add_flag("--leave-descendants", o->leave_descendants,
                "Stop metering when the command exits, even if it left processes running (counted and warned about)");
  o->pricing.add_to(*cmd);
  o->record.add_to(*cmd, /*recording=*/true);
  o->listen.add_to(*cmd);
  cmd->add_option("command", o->command, "The command and its arguments (after --)");
  cmd->footer(
      "The command runs without a shell; its exit status is chase's (127: not found, 126: not executable).\n"
      "SIGINT/SIGTERM/SIGHUP/SIGQUIT sent to chase are forwarded to it. Processes it leaves running (workers,\n"
      "nohup, daemons) are metered until they end too, and get the forwarded signals; --leave-descendants stops at\n"
      "the command's own exit instead.\n"
      "Examples:\n"
      "  chase measure -- sleep 1\n"
      "  chase measure --region gb --json -- python train.py --epochs 3\n"
      "  chase measure --provider uk-carbon-intensity -- ./train.sh\n"
      "  chase measure --device nvml --interval-ms 50 --csv power.csv -- ./train.sh");
  cmd->callback([o, &status] { run(*o, status); });
}

}  // namespace chase::cli

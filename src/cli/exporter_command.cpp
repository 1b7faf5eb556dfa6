// `chase exporter`: meters every device continuously and serves the readings as Prometheus
// metrics at http://ADDR/metrics (serve/), with CO2e when an intensity source or --intensity
// prices the energy. Runs until SIGINT/SIGTERM (or --for-seconds), then stops cleanly.

#include <fmt/format.h>

#include <iostream>

#include "carbon/observed_feed.hpp"
#include "cli/command.hpp"
#include "cli/device_options.hpp"
#include "cli/flag_checks.hpp"
#include "cli/listen_options.hpp"
#include "cli/pricing_options.hpp"
#include "control/stop_signals.hpp"
#include "core/error.hpp"
#include "energy/device_selection.hpp"
#include "energy/monitor.hpp"
#include "energy/sampler.hpp"

namespace chase::cli {
namespace {

struct ExporterOptions {
  DeviceOptions devices;
  std::vector<std::string> device_filter;
  PricingOptions pricing;
  ListenOptions listen;
  double interval_ms = 1000;
  double for_seconds = 0;
};

void run(ExporterOptions& o) {
  SystemClock clock;
  std::optional<Pricing> price = o.pricing.resolve(clock);
  const DiscoveredDevices found = discover_devices(o.devices.resolve(), clock);
  const auto devices = with_flag("--device", [&] { return select_devices(found.devices, o.device_filter); });
  if (devices.empty()) {
    throw HardwareError(fmt::format("no device to meter here: {}", why_not_metered(found.metering(devices))));
  }
  for (const DeviceEntry& e : found.metering(devices, "left out by --device")) {
    if (!e.metered()) std::cerr << fmt::format("chase: not metered: {} ({}): {}\n", e.id, e.name, e.reason);
  }
  StopSignals stop;
  const auto metrics = o.listen.start(devices, price.has_value());
  std::unique_ptr<ObservedFeed> feed;
  if (price) feed = std::make_unique<ObservedFeed>(*price->feed, metrics->state.step_observer());
  Monitor monitor(devices, clock, feed.get());
  Sampler sampler(monitor, Duration::milliseconds(o.interval_ms), metrics->state.sink());
  const Duration limit = Duration::seconds(o.for_seconds);
  const UtcTime start = clock.now();
  while (!stop.wait_for(Duration::milliseconds(200))) {
    if (o.for_seconds > 0 && clock.now() - start >= limit) break;
  }
  sampler.stop();
  std::cerr << fmt::format("chase: exporter stopped{} after {} sample(s), {} error(s)\n",
                           stop.signal() ? fmt::format(" by signal {}", *stop.signal()) : "", sampler.samples_taken(),
                           sampler.errors());
}

}  // namespace

void add_exporter_command(CLI::App& root, CommandStatus& /*status*/) {
  auto o = std::make_shared<ExporterOptions>();
  CLI::App* cmd = root.add_subcommand("exporter", "Meter the devices continuously and serve Prometheus metrics");
  o->devices.add_to(*cmd);
  // One value per --device (repeatable), so the command after -- is never taken for more devices.
  cmd->add_option("--device", o->device_filter, "Meter only this device id or backend (repeatable; see `chase devices`)")
      ->allow_extra_args(false);
  o->pricing.add_to(*cmd);
  o->listen.add_to(*cmd, "127.0.0.1:9464");
  cmd->add_option("--interval-ms", o->interval_ms, "Sampling period in ms")->check(period_ms())->capture_default_str();
  cmd->add_option("--for-seconds", o->for_seconds, "Stop after this many seconds (default: run until SIGINT/SIGTERM)")
      ->check(within(0.001, 31.6e6));
  cmd->footer(
      "Metrics (base units; counters end in _total): chase_device_energy_joules_total, chase_device_power_watts,\n"
      "chase_device_carbon_grams_total, chase_carbon_grams_total, chase_gpu_power_limit_watts,\n"
      "chase_grid_intensity_grams_per_kilowatt_hour, chase_grid_intensity_age_seconds, chase_samples_total.\n"
      "Energy counters start at 0 when the exporter starts (Prometheus's rate() and increase() handle restarts).\n"
      "Examples:\n  chase exporter\n  chase exporter --listen 0.0.0.0:9464 --provider electricitymaps --zone DE\n"
      "  chase exporter --region gb --interval-ms 500");
  cmd->callback([o] { run(*o); });
}

}  // namespace chase::cli

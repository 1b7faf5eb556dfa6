// `chase devices`: what can be metered here — each device with its backend, how it is metered
// (counter, power integration, estimate) or why it is not, and its power limits — and why a
// backend found nothing.

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/device_options.hpp"
#include "cli/limit_options.hpp"
#include "cli/text_table.hpp"
#include "core/clock.hpp"
#include "energy/device_metering.hpp"
#include "energy/device_status.hpp"
#include "export/devices_export.hpp"

namespace chase::cli {
namespace {

struct DevicesOptions {
  DeviceOptions devices;
  bool json = false;
};

std::string limit_text(PowerDevice& d) {
  const PowerLimitStatus limits = read_power_limits(d);
  if (!limits.error.empty()) return "unreadable";
  if (!limits.current) return "-";
  return fmt::format("{:g} W (range {:g}-{:g} W, default {:g} W)", limits.current->watts(), limits.range->min.watts(),
                     limits.range->max.watts(), limits.default_limit->watts());
}

// Every device, metered or not: how (counter, power integration, estimate) and its detail, or
// "not metered" and why.
void print_tables(const DiscoveredDevices& found) {
  const std::vector<DeviceEntry> entries = found.metering();
  if (entries.empty()) {
    std::cout << "no device to meter\n\n";
  } else {
    TextTable t;
    t.column("device", TextTable::Align::kLeft)
        .column("name", TextTable::Align::kLeft)
        .column("backend", TextTable::Align::kLeft)
        .column("metering", TextTable::Align::kLeft)
        .column("power limit", TextTable::Align::kLeft)
        .column("detail", TextTable::Align::kLeft);
    for (const DeviceEntry& e : entries) {
      std::string limit = "-";
      for (const auto& d : found.devices) {
        if (d->id() == e.id) limit = limit_text(*d);
      }
      std::string detail = e.detail;
      if (!e.metered()) detail = e.detail.empty() ? e.reason : fmt::format("{} ({})", e.reason, e.detail);
      t.row({e.id, e.name, e.backend, to_words(e.metering), limit, detail});
    }
    std::cout << t.render() << "\n";
  }
  TextTable b;
  b.column("backend", TextTable::Align::kLeft).column("state", TextTable::Align::kLeft).column("detail", TextTable::Align::kLeft);
  for (const auto& r : found.backends) {
    b.row({r.backend, to_string(r.state), r.detail});
    for (const auto& note : r.notes) b.row({"", "", "note: " + note});
  }
  std::cout << b.render();
}

void run(const DevicesOptions& o) {
  SystemClock clock;
  const DiscoveredDevices found = discover_devices(o.devices.resolve(), clock);
  // The limits a killed chase left lowered are put back before they are shown (or said loudly).
  restore_abandoned_limits(found.devices);
  print_result(o.json, [&] { return devices_json(found); }, [&] { print_tables(found); });
}

}  // namespace

void add_devices_command(CLI::App& root, CommandStatus& /*status*/) {
  auto options = std::make_shared<DevicesOptions>();
  CLI::App* cmd = root.add_subcommand("devices", "List the devices chase can meter here, and why a backend is missing");
  options->devices.add_to(*cmd);
  cmd->add_flag("--json", options->json, "Print JSON instead of tables");
  cmd->footer(
      "Backends: nvml (NVIDIA GPUs, honouring CUDA_VISIBLE_DEVICES), rapl (CPU packages and DRAM via\n"
      "powercap), estimated (CPU from TDP, idle share and utilisation, only where RAPL is missing).\n"
      "Examples:\n"
      "  chase devices\n"
      "  CUDA_VISIBLE_DEVICES=0,1 chase devices --json\n"
      "  chase devices --cpu-processor epyc-7763");
  cmd->callback([options] { run(*options); });
}

}  // namespace chase::cli

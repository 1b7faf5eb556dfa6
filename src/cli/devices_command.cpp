// `chase devices`: what can be metered here — each device with its backend, whether its energy
// is measured or estimated, and its power limits — and why a backend found nothing.

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/device_options.hpp"
#include "cli/text_table.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace chase::cli {
namespace {

struct DevicesOptions {
  DeviceOptions devices;
  bool json = false;
};

struct LimitInfo {
  std::optional<PowerLimitRange> range;
  std::optional<Power> current;
  std::optional<Power> default_limit;
  std::string error;  // reading the limits failed
};

LimitInfo read_limits(PowerDevice& d) {
  LimitInfo info;
  if (!d.supports_power_limit()) return info;
  try {
    info.range = d.power_limit_range();
    info.current = d.power_limit();
    info.default_limit = d.default_power_limit();
  } catch (const Error& e) {
    info.error = e.what();
  }
  return info;
}

const char* energy_kind(const PowerDevice& d) {
  if (d.estimated()) return "estimated";
  return d.has_energy_counter() ? "measured" : "measured (power polls)";
}

template <class T, class Fn>
nlohmann::json or_null(const std::optional<T>& v, Fn&& fn) {
  return v ? nlohmann::json(fn(*v)) : nlohmann::json(nullptr);
}

nlohmann::json devices_json(const DiscoveredDevices& found) {
  nlohmann::json j;
  j["devices"] = nlohmann::json::array();
  for (const auto& d : found.devices) {
    const LimitInfo limits = read_limits(*d);
    auto watts = [](Power p) { return p.watts(); };
    nlohmann::json row = {{"id", d->id()},
                          {"name", d->name()},
                          {"backend", d->backend()},
                          {"estimated", d->estimated()},
                          {"energy_counter", d->has_energy_counter()},
                          {"energy", energy_kind(*d)},
                          {"detail", d->detail()},
                          {"power_limit_supported", d->supports_power_limit()},
                          {"power_limit_w", or_null(limits.current, watts)},
                          {"power_limit_min_w", or_null(limits.range, [](const PowerLimitRange& r) { return r.min.watts(); })},
                          {"power_limit_max_w", or_null(limits.range, [](const PowerLimitRange& r) { return r.max.watts(); })},
                          {"default_power_limit_w", or_null(limits.default_limit, watts)}};
    if (!limits.error.empty()) row["power_limit_error"] = limits.error;
    j["devices"].push_back(std::move(row));
  }
  j["backends"] = nlohmann::json::array();
  for (const auto& b : found.backends) {
    j["backends"].push_back({{"backend", b.backend}, {"state", to_string(b.state)}, {"detail", b.detail}, {"notes", b.notes}});
  }
  return j;
}

void print_tables(const DiscoveredDevices& found) {
  if (found.devices.empty()) {
    std::cout << "no device to meter\n\n";
  } else {
    TextTable t;
    t.column("device", TextTable::Align::kLeft)
        .column("name", TextTable::Align::kLeft)
        .column("backend", TextTable::Align::kLeft)
        .column("energy is", TextTable::Align::kLeft)
        .column("power limit", TextTable::Align::kLeft)
        .column("detail", TextTable::Align::kLeft);
    for (const auto& d : found.devices) {
      const LimitInfo limits = read_limits(*d);
      std::string limit = "-";
      if (!limits.error.empty()) {
        limit = "unreadable";
      } else if (limits.current) {
        limit = fmt::format("{:g} W (range {:g}-{:g} W, default {:g} W)", limits.current->watts(),
                            limits.range->min.watts(), limits.range->max.watts(), limits.default_limit->watts());
      }
      t.row({d->id(), d->name(), d->backend(), energy_kind(*d), limit, d->detail()});
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
  if (o.json) {
    print_json(devices_json(found));
  } else {
    print_tables(found);
  }
}

}  // namespace

void add_devices_command(CLI::App& root, CommandStatus& /*status*/) {
  auto options = std::make_shared<DevicesOptions>();
  CLI::App* cmd = root.add_subcommand("devices", "List the devices chase can meter here, and why a backend is missing");
  options->devices.add_to(*cmd);
  cmd->add_flag("--json", options->json, "Print JSON instead of tables");
  cmd->footer(
      "Backends: nvml (NVIDIA GPUs, honouring CUDA_VISIBLE_DEVICES), rapl (CPU packages and DRAM via\n"
      "powercap), estimated (CPU utilisation x TDP, only where RAPL is missing).\n"
      "Examples:\n"
      "  chase devices\n"
      "  CUDA_VISIBLE_DEVICES=0,1 chase devices --json\n"
      "  chase devices --cpu-processor epyc-7763");
  cmd->callback([options] { run(*options); });
}

}  // namespace chase::cli

#include "cli/window_report.hpp"

#include <fmt/format.h>

#include <iostream>

#include "cli/text_table.hpp"
#include "core/quantity_format.hpp"
#include "energy/window_intensity.hpp"

namespace chase::cli {

bool take_exit_status(const MeteredCommandResult& r, CommandStatus& status) {
  status.exit_code = r.child.exit_code;
  if (r.started()) return true;
  std::cerr << "chase: error: " << *r.start_error << '\n';
  return false;
}

namespace {

std::string processes(std::size_t n) { return fmt::format("{} process{}", n, n == 1 ? "" : "es"); }

const DeviceEntry* entry_of(const std::vector<DeviceEntry>& metering, const std::string& id) {
  for (const auto& e : metering) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

}  // namespace

void print_command(const std::vector<std::string>& argv, const MeteredCommandResult& r) {
  const ChildExit& child = r.child;
  std::cout << fmt::format("command: {}\nexit code: {}{}\ntime: {}\n", fmt::join(argv, " "), child.exit_code,
                           child.forwarded.empty() ? "" : fmt::format(" (forwarded {})", fmt::join(child.forwarded, ", ")),
                           format_duration(r.window.time));
  const Descendants& left = child.descendants;
  if (left.at_exit == 0) return;
  std::cout << fmt::format("left running: {} when the command exited after {}; {}\n", processes(left.at_exit),
                           format_duration(r.command_time),
                           left.waited ? "metered until they ended" : "not waited for, their energy since is not counted");
}

void warn_if_left_running(const MeteredCommandResult& r, const std::string& after) {
  const Descendants& left = r.child.descendants;
  if (left.at_exit == 0 || left.waited) return;
  std::cerr << fmt::format("chase: warning: the command left {} running (--leave-descendants): their energy after its "
                           "exit is not counted{}\n",
                           processes(left.at_exit), after);
}

void print_window(const WindowResult& w, const std::optional<std::string>& priced_by,
                  const std::vector<DeviceEntry>& metering) {
  const bool priced = priced_by.has_value();
  TextTable t;
  t.column("device", TextTable::Align::kLeft)
      .column("backend", TextTable::Align::kLeft)
      .column("metering", TextTable::Align::kLeft);
  t.column("energy").column("avg power");
  if (priced) t.column("CO2e");
  for (const auto& d : w.devices) {
    const DeviceEntry* entry = entry_of(metering, d.id);
    const char* how = entry ? to_words(entry->metering) : (d.estimated ? to_words(Metering::kEstimate) : "measured");
    std::vector<std::string> row{d.id, d.backend, how, format_energy(d.energy), format_power(d.average_power)};
    if (priced) row.push_back(format_mass(d.carbon.value_or(Mass())));
    t.row(std::move(row));
  }
  t.rule();
  std::vector<std::string> total{"total", "", w.any_estimated() ? "includes estimates" : "measured", format_energy(w.energy),
                                 format_power(w.average_power())};
  if (priced) total.push_back(format_mass(w.carbon.value_or(Mass())));
  t.row(std::move(total));
  std::cout << t.render();
  for (const auto& e : metering) {
    if (e.metering == Metering::kEstimate) std::cout << fmt::format("{} is estimated, not measured: {}\n", e.id, e.detail);
  }
  for (const auto& e : metering) {
    if (!e.metered()) std::cout << fmt::format("not metered: {} ({}): {}\n", e.id, e.name, e.reason);
  }
  if (priced) {
    const auto ci = effective_intensity(w);
    std::cout << fmt::format("grid intensity: {} gCO2e/kWh, energy-weighted over {} step(s) of {}{}\n",
                             ci ? format_sig(ci->g_per_kwh(), 4) : "-", w.segments.size(), *priced_by,
                             w.any_fallback() ? " (includes fallback values)" : "");
  }
}

void warn_if_unpriced(const WindowResult& w) {
  if (w.intensity_error.empty()) return;
  std::cerr << fmt::format("chase: warning: {} of energy has no intensity: {}\n", format_energy(w.energy_without_intensity),
                           w.intensity_error);
}

void warn_about_sampling(const SamplingCounts& sampling) {
  if (const std::size_t failed = sampling.failed_reads(); failed > 0) {
    std::cerr << fmt::format("chase: warning: {} sample(s) failed, the last with: {}\n", failed, sampling.last_error);
  }
  for (const auto& device : sampling.stopped) std::cerr << "chase: warning: " << device.describe() << '\n';
  for (const auto& device : sampling.implausible) std::cerr << "chase: warning: " << device.describe() << '\n';
}

}  // namespace chase::cli

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

void print_command(const std::vector<std::string>& argv, const MeteredCommandResult& r) {
  const ChildExit& child = r.child;
  std::cout << fmt::format("command: {}\nexit code: {}{}\ntime: {}\n", fmt::join(argv, " "), child.exit_code,
                           child.forwarded.empty() ? "" : fmt::format(" (forwarded {})", fmt::join(child.forwarded, ", ")),
                           format_duration(r.window.time));
}

void print_window(const WindowResult& w, const std::optional<std::string>& priced_by,
                  const std::vector<std::shared_ptr<PowerDevice>>& devices) {
  const bool priced = priced_by.has_value();
  TextTable t;
  t.column("device", TextTable::Align::kLeft).column("backend", TextTable::Align::kLeft).column("kind", TextTable::Align::kLeft);
  t.column("energy").column("avg power");
  if (priced) t.column("CO2e");
  for (const auto& d : w.devices) {
    std::vector<std::string> row{d.id, d.backend, d.estimated ? "estimated" : "measured", format_energy(d.energy),
                                 format_power(d.average_power)};
    if (priced) row.push_back(format_mass(d.carbon.value_or(Mass())));
    t.row(std::move(row));
  }
  t.rule();
  std::vector<std::string> total{"total", "", w.any_estimated() ? "includes estimates" : "measured", format_energy(w.energy),
                                 format_power(w.average_power())};
  if (priced) total.push_back(format_mass(w.carbon.value_or(Mass())));
  t.row(std::move(total));
  std::cout << t.render();
  for (const auto& d : devices) {
    if (d->estimated()) std::cout << fmt::format("{} is estimated, not measured: {}\n", d->id(), d->detail());
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
  for (const auto& device : sampling.implausible) std::cerr << "chase: warning: " << device.describe() << '\n';
}

}  // namespace chase::cli

#include "cli/window_report.hpp"

#include <fmt/format.h>

#include <iostream>

#include "cli/quantity_format.hpp"
#include "cli/text_table.hpp"

namespace chase::cli {

std::optional<CarbonIntensity> effective_intensity(const WindowResult& w) {
  const Energy priced = w.energy - w.energy_without_intensity;
  if (w.carbon && priced.joules() > 0) return *w.carbon / priced;
  double weighted = 0;
  double seconds = 0;
  for (const IntensitySegment& seg : w.segments) {
    const double span = (seg.until - seg.from).seconds();
    weighted += seg.intensity.g_per_kwh() * span;
    seconds += span;
  }
  if (seconds > 0) return CarbonIntensity::g_per_kwh(weighted / seconds);
  if (!w.segments.empty()) return w.segments.front().intensity;
  return std::nullopt;
}

nlohmann::json window_json(const WindowResult& w, const std::optional<std::string>& priced_by) {
  nlohmann::json j;
  j["start"] = w.start.iso8601();
  j["end"] = w.end.iso8601();
  j["time_s"] = w.time.seconds();
  j["energy_j"] = w.energy.joules();
  j["avg_power_w"] = w.average_power().watts();
  j["estimated"] = w.any_estimated();
  j["devices"] = nlohmann::json::array();
  for (const auto& d : w.devices) {
    nlohmann::json row = {{"id", d.id},         {"name", d.name},
                          {"backend", d.backend}, {"estimated", d.estimated},
                          {"energy_j", d.energy.joules()}, {"avg_power_w", d.average_power.watts()}};
    if (d.carbon) row["carbon_g"] = d.carbon->grams();
    j["devices"].push_back(std::move(row));
  }
  if (priced_by && w.carbon) {
    j["carbon_g"] = w.carbon->grams();
    const auto ci = effective_intensity(w);
    j["intensity_g_per_kwh"] = ci ? nlohmann::json(ci->g_per_kwh()) : nlohmann::json(nullptr);
    j["intensity_source"] = *priced_by;
    j["intensity_fallback"] = w.any_fallback();
    j["energy_without_intensity_j"] = w.energy_without_intensity.joules();
    j["intensity_segments"] = nlohmann::json::array();
    for (const IntensitySegment& seg : w.segments) {
      j["intensity_segments"].push_back({{"from", seg.from.iso8601()},
                                         {"until", seg.until.iso8601()},
                                         {"intensity_g_per_kwh", seg.intensity.g_per_kwh()},
                                         {"source", seg.source},
                                         {"fallback", seg.fallback},
                                         {"energy_j", seg.energy.joules()},
                                         {"carbon_g", seg.carbon.grams()}});
    }
  }
  return j;
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

}  // namespace chase::cli

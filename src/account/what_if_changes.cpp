#include "account/what_if_changes.hpp"

#include <fmt/format.h>

#include "core/quantity_format.hpp"

namespace chase {
namespace {

ScenarioChange change(std::string factor, std::string label) {
  ScenarioChange c;
  c.factor = std::move(factor);
  c.label = std::move(label);
  return c;
}

// A change to a preset: "<key> (<the change's own label>)", with the preset's source.
ScenarioChange to_preset(ScenarioChange c, const std::string& key, const std::string& source) {
  c.label = fmt::format("{} ({})", key, c.label);
  c.source = source;
  return c;
}

}  // namespace

Scenario job_scenario(const NamedJob& r) {
  std::string label = fmt::format("{} x {} for {} h, PUE {:.2f}, {} gCO2e/kWh", format_sig(r.job.processors, 6),
                                  r.processor.empty() ? format_power(r.job.avg_power_per_processor) : r.processor,
                                  format_sig(r.job.training_time.hours(), 4), r.job.pue,
                                  format_sig(r.grid.gross.g_per_kwh(), 4));
  if (!r.region.empty()) label += " (" + r.region + ")";
  return Scenario{r.job, r.grid.gross, 1.0, label};
}

Scenario model_scenario(const ModelPreset& m) {
  return Scenario{m.job, m.grid.net.value_or(m.grid.gross), 1.0, m.name + " (" + m.datacenter + ")"};
}

ScenarioChange location_change(const RegionPreset& region) {
  // A zone's figure names its year ("DE 2024"); a preset's key already says which figure it is.
  const bool by_year = !region.basis.empty() && region.year != 0;
  return to_preset(location_change(region.gross), by_year ? fmt::format("{} {}", region.key, region.year) : region.key,
                   region.source);
}

ScenarioChange location_change(CarbonIntensity intensity) {
  ScenarioChange c = change("location", fmt::format("{} gCO2e/kWh", format_sig(intensity.g_per_kwh(), 4)));
  c.intensity = intensity;
  return c;
}

ScenarioChange datacenter_change(const DatacenterPreset& datacenter) {
  return to_preset(datacenter_change(datacenter.pue), datacenter.key, datacenter.source);
}

ScenarioChange datacenter_change(double pue) {
  ScenarioChange c = change("datacenter", fmt::format("PUE {:.2f}", pue));
  c.pue = pue;
  return c;
}

ScenarioChange processor_change(const std::string& name, Power power, double speedup, const std::string& source) {
  ScenarioChange c = change("processor", fmt::format("{} at {}, {}x faster", name.empty() ? "processor" : name,
                                                     format_power(power), format_sig(speedup, 3)));
  c.power = power;
  c.speedup = speedup;
  c.source = source;
  return c;
}

ScenarioChange sparsity_change(double energy_fraction) {
  ScenarioChange c = change("sparsity", fmt::format("sparse model using {} of the dense energy", format_sig(energy_fraction, 3)));
  c.energy_divisor = 1.0 / energy_fraction;
  c.source = "Patterson et al. 2021: sparsely activated models can use <1/10 of the energy";
  return c;
}

}  // namespace chase

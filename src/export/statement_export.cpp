#include "export/statement_export.hpp"

#include "export/json_optional.hpp"

namespace chase {

nlohmann::json statement_json(const RunStatement& s) {
  nlohmann::json processors = nlohmann::json::array();
  for (const StatementProcessor& p : s.processors) {
    processors.push_back({{"name", p.name},
                          {"backend", p.backend},
                          {"metering", p.metering},
                          {"estimated", p.estimated},
                          {"count", p.count},
                          {"device_hours", p.device_hours},
                          {"energy_j", p.energy.joules()}});
  }
  nlohmann::json sources = nlohmann::json::array();
  for (const StatementSource& src : s.sources) {
    sources.push_back({{"name", src.name}, {"kind", src.kind}, {"basis", name_or_null(src.basis)}, {"energy_j", src.energy.joules()}});
  }
  nlohmann::json overlaps = nlohmann::json::array();
  for (const RunOverlap& o : s.overlaps) overlaps.push_back({{"runs", {o.first, o.second}}, {"devices", o.devices}});
  return {{"runs", s.runs},
          {"first_start", or_null(s.first_start, [](UtcTime t) { return t.iso8601(); })},
          {"last_end", or_null(s.last_end, [](UtcTime t) { return t.iso8601(); })},
          {"wall_time_s", s.wall_time.seconds()},
          {"processors", processors},
          {"device_energy_j", s.device_energy.joules()},
          {"measured_energy_j", s.measured_energy.joules()},
          {"estimated_energy_j", s.estimated_energy.joules()},
          {"pue", s.pue_given ? nlohmann::json(s.pue) : nlohmann::json(nullptr)},
          {"facility_energy_j", s.facility_energy.joules()},
          {"intensity_g_per_kwh", or_null(s.intensity, [](CarbonIntensity c) { return c.g_per_kwh(); })},
          {"carbon_g", or_null(s.carbon, [](Mass m) { return m.grams(); })},
          {"carbon_t", or_null(s.carbon, [](Mass m) { return m.grams() / 1e6; })},
          {"unpriced_energy_j", s.unpriced_energy.joules()},
          {"sources", sources},
          {"interrupted_runs", s.interrupted_runs},
          {"running_runs", s.running_runs},
          {"overlapping_runs", overlaps}};
}

}  // namespace chase

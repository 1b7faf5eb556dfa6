#include "export/window_export.hpp"

#include "energy/window_intensity.hpp"
#include "export/devices_export.hpp"
#include "export/json_optional.hpp"

namespace chase {
namespace {

nlohmann::json device_json(const DeviceWindowResult& d) {
  nlohmann::json row = {{"id", d.id},         {"name", d.name},
                        {"backend", d.backend}, {"estimated", d.estimated},
                        {"energy_j", d.energy.joules()}, {"avg_power_w", d.average_power.watts()}};
  if (d.carbon) row["carbon_g"] = d.carbon->grams();
  return row;
}

nlohmann::json segment_json(const IntensitySegment& seg) {
  return {{"from", seg.from.iso8601()},
          {"until", seg.until.iso8601()},
          {"intensity_g_per_kwh", seg.intensity.g_per_kwh()},
          {"source", seg.source},
          {"fallback", seg.fallback},
          {"energy_j", seg.energy.joules()},
          {"carbon_g", seg.carbon.grams()}};
}

}  // namespace

nlohmann::json window_json(const WindowResult& w, const std::optional<std::string>& priced_by) {
  nlohmann::json j;
  j["start"] = w.start.iso8601();
  j["end"] = w.end.iso8601();
  j["time_s"] = w.time.seconds();
  j["energy_j"] = w.energy.joules();
  j["avg_power_w"] = w.average_power().watts();
  j["estimated"] = w.any_estimated();
  j["devices"] = nlohmann::json::array();
  for (const auto& d : w.devices) j["devices"].push_back(device_json(d));
  if (priced_by && w.carbon) {
    j["carbon_g"] = w.carbon->grams();
    j["intensity_g_per_kwh"] = or_null(effective_intensity(w), [](const CarbonIntensity& ci) { return ci.g_per_kwh(); });
    j["intensity_source"] = *priced_by;
    j["intensity_fallback"] = w.any_fallback();
    j["energy_without_intensity_j"] = w.energy_without_intensity.joules();
    j["intensity_segments"] = nlohmann::json::array();
    for (const IntensitySegment& seg : w.segments) j["intensity_segments"].push_back(segment_json(seg));
  }
  return j;
}

void add_command_json(nlohmann::json& report, const CommandOutcome& outcome) {
  report["command"] = outcome.command;
  report["exit_code"] = outcome.exit_code;
  report["signals_forwarded"] = outcome.signals_forwarded;
  report["command_time_s"] = or_null(outcome.command_time, [](const Duration& d) { return d.seconds(); });
  report["descendants_at_exit"] = outcome.descendants.at_exit;
  report["descendants_waited"] = outcome.descendants.waited;
}

nlohmann::json sampler_json(const SamplerStats& sampler) {
  return {{"interval_ms", sampler.interval_ms}, {"samples", sampler.samples}, {"errors", sampler.errors}};
}

nlohmann::json measure_json(const WindowResult& w, const std::optional<std::string>& priced_by,
                            const CommandOutcome& outcome, const SamplerStats& sampler,
                            const std::vector<BackendReport>& backends, const std::vector<DeviceEntry>& metering) {
  nlohmann::json j = window_json(w, priced_by);
  add_command_json(j, outcome);
  j["sampler"] = sampler_json(sampler);
  j["unavailable"] = nlohmann::json::array();
  for (const auto& b : backends) {
    if (b.state != BackendState::kAvailable && b.state != BackendState::kNotUsed) {
      j["unavailable"].push_back({{"backend", b.backend}, {"state", to_string(b.state)}, {"detail", b.detail}});
    }
  }
  j["metering"] = metering_json(metering);
  return j;
}

}  // namespace chase

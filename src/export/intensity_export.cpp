#include "export/intensity_export.hpp"

#include "export/json_optional.hpp"

namespace chase {

nlohmann::json reading_json(const IntensityReading& r) {
  return {{"from", r.step.from.iso8601()},
          {"until", r.step.until.iso8601()},
          {"intensity_g_per_kwh", r.step.intensity.g_per_kwh()},
          {"source", r.step.source},
          {"fallback", r.step.fallback},
          {"stale_s", or_null(r.stale, [](const Duration& d) { return d.seconds(); })}};
}

nlohmann::json gaps_json(const std::vector<TraceGap>& gaps) {
  nlohmann::json out = nlohmann::json::array();
  for (const TraceGap& g : gaps) {
    out.push_back({{"from", g.from.iso8601()}, {"to", g.to.iso8601()}, {"missing_s", ((g.to - g.from) - g.expected_step).seconds()}});
  }
  return out;
}

nlohmann::json reading_at_json(UtcTime at, const IntensityReading& reading, const std::string& requested_source,
                               const std::optional<std::string>& fallback_reason, const std::vector<TraceGap>& gaps) {
  nlohmann::json j = reading_json(reading);
  j["at"] = at.iso8601();
  j["requested_source"] = requested_source;
  j["fallback_reason"] = or_null(fallback_reason);
  j["gaps"] = gaps_json(gaps);
  return j;
}

nlohmann::json range_json(const IntensityRange& range, const std::optional<std::string>& fallback_reason) {
  nlohmann::json j{{"source", range.source},
                   {"from", range.from.iso8601()},
                   {"to", range.to.iso8601()},
                   {"mean_intensity_g_per_kwh", range.mean.g_per_kwh()},
                   {"steps", nlohmann::json::array()},
                   {"gaps", gaps_json(range.gaps)},
                   {"fallback_reason", or_null(fallback_reason)}};
  for (const IntensityReading& r : range.steps) j["steps"].push_back(reading_json(r));
  return j;
}

}  // namespace chase

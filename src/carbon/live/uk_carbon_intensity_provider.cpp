#include "carbon/live/uk_carbon_intensity_provider.hpp"

#include <fmt/format.h>

#include "carbon/live/provider_http.hpp"
#include "core/error.hpp"
#include "core/json_fields.hpp"

namespace chase {
namespace {

constexpr const char* kName = "uk-carbon-intensity";

// The API's own time format: minutes, Z.
std::string api_time(UtcTime t) { return t.iso8601().substr(0, 16) + "Z"; }

class UkCarbonIntensityProvider final : public IntensityProvider {
 public:
  UkCarbonIntensityProvider(const ProviderSettings& s)
      : base_(s.base_url.empty() ? "https://api.carbonintensity.org.uk" : s.base_url), http_(*s.http), clock_(*s.clock) {
    if (!s.zone.empty() && s.zone != "GB") {
      throw InputError(fmt::format("uk-carbon-intensity covers Great Britain only (zone GB), not '{}'", s.zone));
    }
  }

  std::string name() const override { return kName; }
  std::string zone() const override { return "GB"; }
  // Half-hourly: one value per settlement period.
  Duration period() const override { return Duration::minutes(30); }

  ProviderPoint latest() override {
    auto points = fetch("/intensity", "intensity");
    if (points.empty()) throw NetworkError("uk-carbon-intensity: intensity: 'data' is empty");
    return points.back();
  }

  std::vector<ProviderPoint> history(UtcTime from, UtcTime to) override {
    return fetch(fmt::format("/intensity/{}/{}", api_time(from), api_time(to)), "intensity range");
  }

  std::vector<ProviderPoint> forecast() override {
    return fetch(fmt::format("/intensity/{}/fw24h", api_time(clock_.now())), "intensity forecast");
  }

 private:
  std::vector<ProviderPoint> fetch(const std::string& path, const std::string& where) {
    const auto body = get_provider_json(http_, HttpRequest{base_ + path, {}, std::nullopt}, kName, {});
    return reading_response(kName, [&] {
      std::vector<ProviderPoint> out;
      const auto& rows = require_array(body, "data", where);
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string at = fmt::format("{} data[{}]", where, i);
        const auto& intensity = require_field(rows[i], "intensity", at);
        const bool has_actual = intensity.contains("actual") && !intensity["actual"].is_null();
        const double g = has_actual ? require_number(intensity, "actual", at + " intensity")
                                    : require_number(intensity, "forecast", at + " intensity");
        if (g < 0) throw InputError(fmt::format("{}: intensity {} is negative", at, g));
        const UtcTime from = response_time(rows[i], "from", at);
        const UtcTime to = response_time(rows[i], "to", at);
        if (!(from < to)) throw InputError(fmt::format("{}: 'to' is not after 'from'", at));
        out.push_back({from, to, CarbonIntensity::g_per_kwh(g)});
      }
      return out;
    });
  }

  std::string base_;
  HttpClient& http_;
  const Clock& clock_;
};

}  // namespace

std::unique_ptr<IntensityProvider> make_uk_carbon_intensity_provider(const ProviderSettings& settings) {
  return std::make_unique<UkCarbonIntensityProvider>(settings);
}

ProviderEntry uk_carbon_intensity_provider_entry() {
  // No key; its one zone, GB, falls back on the static table's gb.
  return {"uk-carbon-intensity", "National Grid ESO's Carbon Intensity API, Great Britain, half-hourly (no key)", "",
          "GB", "GB", "gb", make_uk_carbon_intensity_provider};
}

}  // namespace chase

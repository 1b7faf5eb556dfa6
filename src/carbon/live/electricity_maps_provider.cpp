#include "carbon/live/electricity_maps_provider.hpp"

#include <fmt/format.h>

#include "carbon/live/provider_http.hpp"
#include "core/error.hpp"
#include "core/json_fields.hpp"

namespace chase {
namespace {

// The zone asked for when none is given.
constexpr const char* kDefaultZone = "DE";

constexpr const char* kName = "electricitymaps";

class ElectricityMapsProvider final : public IntensityProvider {
 public:
  ElectricityMapsProvider(const ProviderSettings& s)
      : zone_(s.zone.empty() ? kDefaultZone : s.zone),
        base_(s.base_url.empty() ? "https://api.electricitymap.org" : s.base_url),
        key_(load_api_key(kName, s.key_file, "ELECTRICITYMAPS_API_KEY", s.environment)),
        http_(*s.http) {}

  std::string name() const override { return kName; }
  std::string zone() const override { return zone_; }
  // Hourly: the API's default temporalGranularity (finer plans publish more often, never less).
  Duration period() const override { return Duration::hours(1); }

  ProviderPoint latest() override {
    const auto body = get("/v3/carbon-intensity/latest?zone=" + query_escape(zone_));
    return reading_response(kName, [&] { return point(body, "latest"); });
  }

  std::vector<ProviderPoint> history(UtcTime from, UtcTime to) override {
    const auto body = get(fmt::format("/v3/carbon-intensity/past-range?zone={}&start={}&end={}", query_escape(zone_),
                                      query_escape(from.iso8601()), query_escape(to.iso8601())));
    return reading_response(kName, [&] {
      const auto& rows = body.contains("data") ? require_array(body, "data", "past-range")
                                               : require_array(body, "history", "past-range");
      return points(rows, "past-range");
    });
  }

  std::vector<ProviderPoint> forecast() override {
    const auto body = get("/v3/carbon-intensity/forecast?zone=" + query_escape(zone_));
    return reading_response(kName, [&] { return points(require_array(body, "forecast", "forecast"), "forecast"); });
  }

 private:
  nlohmann::json get(const std::string& path_and_query) {
    return get_provider_json(http_, HttpRequest{base_ + path_and_query, {{"auth-token", key_}}, std::nullopt}, kName,
                             {key_});
  }

  static Duration granularity(const nlohmann::json& row) {
    if (!row.contains("temporalGranularity")) return Duration::hours(1);
    const std::string g = row["temporalGranularity"].is_string() ? row["temporalGranularity"].get<std::string>() : "";
    if (g == "5_minutes") return Duration::minutes(5);
    if (g == "15_minutes") return Duration::minutes(15);
    if (g == "hourly") return Duration::hours(1);
    if (g == "daily") return Duration::days(1);
    throw InputError(fmt::format("field 'temporalGranularity' has an unknown value {}", row["temporalGranularity"].dump()));
  }

  static ProviderPoint point(const nlohmann::json& row, const std::string& where) {
    if (row.contains("unit")) {
      const std::string unit = row["unit"].is_string() ? row["unit"].get<std::string>() : row["unit"].dump();
      if (unit != "gCO2eq/kWh") {
        throw InputError(fmt::format("{}: field 'unit' is '{}', expected 'gCO2eq/kWh'", where, unit));
      }
    }
    const double g = require_number(row, "carbonIntensity", where);
    if (g < 0) throw InputError(fmt::format("{}: carbonIntensity {} is negative", where, g));
    const UtcTime from = response_time(row, "datetime", where);
    return ProviderPoint{from, from + granularity(row), CarbonIntensity::g_per_kwh(g)};
  }

  static std::vector<ProviderPoint> points(const nlohmann::json& rows, const std::string& where) {
    std::vector<ProviderPoint> out;
    for (std::size_t i = 0; i < rows.size(); ++i) out.push_back(point(rows[i], fmt::format("{}[{}]", where, i)));
    return out;
  }

  std::string zone_;
  std::string base_;
  std::string key_;
  HttpClient& http_;
};

}  // namespace

std::unique_ptr<IntensityProvider> make_electricity_maps_provider(const ProviderSettings& settings) {
  return std::make_unique<ElectricityMapsProvider>(settings);
}

ProviderEntry electricity_maps_provider_entry() {
  // name, description, key variables, zone examples, default zone, fallback region (by zone), factory
  return {kName, "Electricity Maps API v3, lifecycle carbon intensity per zone (worldwide; API key)",
          "ELECTRICITYMAPS_API_KEY", "DE, FR, US-CAL-CISO", kDefaultZone, "", make_electricity_maps_provider};
}

}  // namespace chase

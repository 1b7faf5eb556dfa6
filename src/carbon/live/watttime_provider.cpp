#include "carbon/live/watttime_provider.hpp"

#include <fmt/format.h>

#include "carbon/live/provider_http.hpp"
#include "core/error.hpp"
#include "core/json_fields.hpp"

namespace chase {
namespace {

// The zone asked for when none is given.
constexpr const char* kDefaultZone = "CAISO_NORTH";

constexpr const char* kName = "watttime";
constexpr double kGPerKwhPerLbPerMwh = 0.45359237;  // 453.59237 g per lb, 1000 kWh per MWh

struct Credentials {
  std::string user;
  std::string password;
};

Credentials credentials(const ProviderSettings& s) {
  if (s.key_file) {
    const std::string text = load_api_key(kName, s.key_file, "", s.environment);
    const auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0) {
      throw InputError(fmt::format("{} key file {} must hold 'username:password'", kName, s.key_file->string()));
    }
    return {text.substr(0, colon), text.substr(colon + 1)};
  }
  const auto user = s.environment("WATTTIME_USER");
  const auto password = s.environment("WATTTIME_PASSWORD");
  if (!user || !password || user->empty() || password->empty()) {
    throw InputError("watttime needs credentials: set WATTTIME_USER and WATTTIME_PASSWORD or pass --key-file FILE "
                     "(mode 0600) holding 'username:password'");
  }
  return {*user, *password};
}

class WattTimeProvider final : public IntensityProvider {
 public:
  WattTimeProvider(const ProviderSettings& s)
      : region_(s.zone.empty() ? kDefaultZone : s.zone),
        base_(s.base_url.empty() ? "https://api.watttime.org" : s.base_url),
        credentials_(credentials(s)),
        http_(*s.http),
        clock_(*s.clock) {}

  std::string name() const override { return kName; }
  std::string zone() const override { return region_; }
  // Five minutes: MOER's data_point_period_seconds (300).
  Duration period() const override { return Duration::minutes(5); }

  ProviderPoint latest() override {
    const auto points = moer(fmt::format("/v3/forecast?region={}&signal_type=co2_moer&horizon_hours=0", query_escape(region_)),
                             "forecast");
    if (points.empty()) throw NetworkError("watttime: forecast: 'data' is empty");
    return points.front();
  }

  std::vector<ProviderPoint> history(UtcTime from, UtcTime to) override {
    return moer(fmt::format("/v3/historical?region={}&signal_type=co2_moer&start={}&end={}", query_escape(region_),
                            query_escape(from.iso8601()), query_escape(to.iso8601())),
                "historical");
  }

  std::vector<ProviderPoint> forecast() override {
    return moer(fmt::format("/v3/forecast?region={}&signal_type=co2_moer", query_escape(region_)), "forecast");
  }

 private:
  std::vector<std::string> secrets() const {
    std::vector<std::string> s{credentials_.password};
    if (token_) s.push_back(*token_);
    return s;
  }

  void login() {
    const auto body = get_provider_json(
        http_, HttpRequest{base_ + "/login", {}, std::make_pair(credentials_.user, credentials_.password)}, kName, secrets());
    token_ = reading_response(kName, [&] { return require_string(body, "token", "login"); });
    token_at_ = clock_.now();
  }

  nlohmann::json get(const std::string& path_and_query) {
    if (!token_ || clock_.now() - token_at_ > Duration::minutes(25)) login();
    const auto request = [&] {
      return HttpRequest{base_ + path_and_query, {{"Authorization", "Bearer " + *token_}}, std::nullopt};
    };
    HttpResponse response = fetch_for_provider(http_, request(), kName, secrets());
    if (response.status == 401) {  // the token expired early: log in again, once
      login();
      response = fetch_for_provider(http_, request(), kName, secrets());
    }
    return provider_json(response, base_ + path_and_query, kName, secrets());
  }

  std::vector<ProviderPoint> moer(const std::string& path_and_query, const std::string& where) {
    const auto body = get(path_and_query);
    return reading_response(kName, [&] {
      const auto& meta = require_field(body, "meta", where);
      const std::string units = require_string(meta, "units", where + " meta");
      if (units != "lbs_co2_per_mwh") {
        throw InputError(fmt::format("{} meta: units '{}' is not lbs_co2_per_mwh (a MOER is needed, in mass per energy)",
                                     where, units));
      }
      const double period_s = meta.contains("data_point_period_seconds")
                                  ? require_number(meta, "data_point_period_seconds", where + " meta")
                                  : 300.0;
      // From a second to a day: a shorter period rounds to an empty interval on the millisecond
      // clock, a longer one is not a MOER series (and a huge one overflows that clock).
      if (!(period_s >= 1 && period_s <= 86'400)) {
        throw InputError(
            fmt::format("{} meta: data_point_period_seconds {} is not between 1 and 86400", where, period_s));
      }
      std::vector<ProviderPoint> out;
      const auto& rows = require_array(body, "data", where);
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string at = fmt::format("{} data[{}]", where, i);
        const double lbs = require_number(rows[i], "value", at);
        if (lbs < 0) throw InputError(fmt::format("{}: value {} is negative", at, lbs));
        const UtcTime from = response_time(rows[i], "point_time", at);
        out.push_back({from, from + Duration::seconds(period_s), CarbonIntensity::g_per_kwh(lbs * kGPerKwhPerLbPerMwh)});
      }
      return out;
    });
  }

  std::string region_;
  std::string base_;
  Credentials credentials_;
  HttpClient& http_;
  const Clock& clock_;
  std::optional<std::string> token_;
  UtcTime token_at_;
};

}  // namespace

std::unique_ptr<IntensityProvider> make_watttime_provider(const ProviderSettings& settings) {
  return std::make_unique<WattTimeProvider>(settings);
}

ProviderEntry watttime_provider_entry() {
  return {"watttime", "WattTime API v3, marginal operating emissions rate (MOER) per balancing area (US mostly; login)",
          "WATTTIME_USER/WATTTIME_PASSWORD", "CAISO_NORTH, PJM_DC", kDefaultZone, "", make_watttime_provider};
}

}  // namespace chase

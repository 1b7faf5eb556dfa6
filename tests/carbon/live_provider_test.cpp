// The live providers through the real libcurl client against a local HTTP server that replays
// response bodies written from each provider's documented format, including the ways they fail.

#include <gtest/gtest.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include "carbon/http/curl_http_client.hpp"
#include "carbon/live/provider_settings.hpp"
#include "core/error.hpp"
#include "support/local_http_server.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using test::file_reply;
using test::LocalHttpServer;
using test::Reply;

constexpr const char* kKey = "test-key-3f9a";

UtcTime at(const char* iso) { return *UtcTime::parse_iso8601(iso); }
Reply body(const std::string& name, int status = 200) {
  return file_reply(std::string(CHASE_FIXTURES_DIR) + "/intensity-api/" + name, status);
}
Reply status_only(int status, std::vector<std::pair<std::string, std::string>> headers = {}) {
  return Reply{status, "{\"error\": \"scripted\"}", std::move(headers), 0};
}

EnvironmentLookup env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

class LiveProviders : public ::testing::Test {
 protected:
  LiveProviders() : clock_(at("2024-05-01T12:10:00Z")), http_(policy(), clock_) {}

  static RetryPolicy policy() {
    RetryPolicy p;
    p.timeout = Duration::seconds(2);
    p.connect_timeout = Duration::seconds(2);
    return p;
  }

  std::unique_ptr<IntensityProvider> make(const std::string& name, const std::string& zone,
                                          std::map<std::string, std::string> vars = {{"ELECTRICITYMAPS_API_KEY", kKey}}) {
    ProviderSettings s;
    s.zone = zone;
    s.base_url = server_.base_url();
    s.http = &http_;
    s.clock = &clock_;
    s.environment = env(std::move(vars));
    return make_provider(name, s);
  }

  LocalHttpServer server_;
  ManualClock clock_;
  CurlHttpClient http_;
};

TEST_F(LiveProviders, ElectricityMapsLatestWithTheKeyInAHeader) {
  server_.on("/v3/carbon-intensity/latest", {body("electricitymaps/latest.json")});
  const auto provider = make("electricitymaps", "DE");
  const ProviderPoint p = provider->latest();
  EXPECT_DOUBLE_EQ(p.intensity.g_per_kwh(), 302);
  EXPECT_EQ(p.from.iso8601(), "2024-05-01T12:00:00Z");
  EXPECT_EQ(p.until.iso8601(), "2024-05-01T13:00:00Z");
  const auto seen = server_.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].query.at("zone"), "DE");
  EXPECT_EQ(seen[0].headers.at("auth-token"), kKey);
}

TEST_F(LiveProviders, ElectricityMapsHistoryAndForecast) {
  server_.on("/v3/carbon-intensity/past-range", {body("electricitymaps/past-range.json")});
  server_.on("/v3/carbon-intensity/forecast", {body("electricitymaps/forecast.json")});
  const auto provider = make("electricitymaps", "DE");
  const auto history = provider->history(at("2024-04-30T00:00:00Z"), at("2024-04-30T03:00:00Z"));
  ASSERT_EQ(history.size(), 3u);
  EXPECT_DOUBLE_EQ(history[2].intensity.g_per_kwh(), 377);
  EXPECT_EQ(history[2].from.iso8601(), "2024-04-30T02:00:00Z");
  EXPECT_EQ(server_.requests()[0].query.at("start"), "2024-04-30T00:00:00Z");
  EXPECT_EQ(server_.requests()[0].query.at("end"), "2024-04-30T03:00:00Z");
  const auto forecast = provider->forecast();
  ASSERT_EQ(forecast.size(), 2u);
  EXPECT_DOUBLE_EQ(forecast[1].intensity.g_per_kwh(), 281);
}

TEST_F(LiveProviders, UnauthorizedIsNotRetriedAndNeverShowsTheKey) {
  // The body echoes the key, as some services do: it must be blanked out.
  server_.on("/v3/carbon-intensity/latest", {body("electricitymaps/unauthorized.json", 401)});
  const auto provider = make("electricitymaps", "DE");
  const std::string message = error_of([&] { provider->latest(); });
  EXPECT_NE(message.find("electricitymaps: HTTP 401 Unauthorized from /v3/carbon-intensity/latest?zone=DE"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("check the API key"), std::string::npos) << message;
  EXPECT_EQ(message.find(kKey), std::string::npos) << message;
  EXPECT_EQ(server_.count("/v3/carbon-intensity/latest"), 1u);
  EXPECT_EQ(http_.last_attempts(), 1);
}

TEST_F(LiveProviders, TooManyRequestsHonoursRetryAfter) {
  server_.on("/v3/carbon-intensity/latest",
             {status_only(429, {{"Retry-After", "7"}}), body("electricitymaps/latest.json")});
  const auto provider = make("electricitymaps", "DE");
  const UtcTime before = clock_.now();
  EXPECT_DOUBLE_EQ(provider->latest().intensity.g_per_kwh(), 302);
  EXPECT_DOUBLE_EQ((clock_.now() - before).seconds(), 7);  // waited what the server asked, on the clock seam
  EXPECT_EQ(http_.last_attempts(), 2);
}

// "Come back in an hour" is more than the client waits (30 s in all): one request, no wait, and
// the error carries the time, for every provider alike (the check is in provider_http).
TEST_F(LiveProviders, ARetryAfterBeyondThePatienceEndsTheRetriesAtOnce) {
  server_.on("/intensity", {status_only(429, {{"Retry-After", "3600"}})});
  const auto uk = make("uk-carbon-intensity", "", {});
  const UtcTime before = clock_.now();
  try {
    uk->latest();
    FAIL() << "no error";
  } catch (const ProviderHoldOff& e) {
    EXPECT_EQ(e.not_before().iso8601(), "2024-05-01T13:10:00Z");
    EXPECT_EQ(std::string(e.what()),
              "uk-carbon-intensity: HTTP 429 Too Many Requests from /intensity (Retry-After: 3600; not asked again before "
              "2024-05-01T13:10:00Z): {\"error\": \"scripted\"}");
  }
  EXPECT_EQ(server_.count("/intensity"), 1u);
  EXPECT_EQ(http_.last_attempts(), 1);
  EXPECT_DOUBLE_EQ((clock_.now() - before).seconds(), 0);

  // A 503 with an HTTP-date, from Electricity Maps.
  server_.on("/v3/carbon-intensity/latest", {status_only(503, {{"Retry-After", "Wed, 01 May 2024 14:10:00 GMT"}})});
  const auto em = make("electricitymaps", "DE");
  try {
    em->latest();
    FAIL() << "no error";
  } catch (const ProviderHoldOff& e) {
    EXPECT_EQ(e.not_before().iso8601(), "2024-05-01T14:10:00Z");
    EXPECT_NE(std::string(e.what()).find("HTTP 503 Service Unavailable from /v3/carbon-intensity/latest?zone=DE "
                                         "(Retry-After: Wed, 01 May 2024 14:10:00 GMT; not asked again before "
                                         "2024-05-01T14:10:00Z)"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(server_.count("/v3/carbon-intensity/latest"), 1u);
  EXPECT_DOUBLE_EQ((clock_.now() - before).seconds(), 0);
}

TEST_F(LiveProviders, RetryAftersAddUpToThePatienceAndNoMore) {
  // 20 s fits the 30 s the client waits in all; a second 20 s does not: two requests, 20 s.
  server_.on("/login", {body("watttime/login.json")});
  server_.on("/v3/forecast", {status_only(503, {{"Retry-After", "20"}})});
  const auto provider = make("watttime", "CAISO_NORTH", {{"WATTTIME_USER", "ada"}, {"WATTTIME_PASSWORD", "s3cret"}});
  const UtcTime before = clock_.now();
  try {
    provider->latest();
    FAIL() << "no error";
  } catch (const ProviderHoldOff& e) {
    EXPECT_EQ(e.not_before().iso8601(), "2024-05-01T12:10:40Z");  // 20 s after the second answer
  }
  EXPECT_EQ(server_.count("/v3/forecast"), 2u);
  EXPECT_DOUBLE_EQ((clock_.now() - before).seconds(), 20);
  // A 503 whose Retry-After fits is waited out, then answered.
  server_.on("/v3/forecast", {status_only(503, {{"Retry-After", "10"}}), body("watttime/forecast-now.json")});
  EXPECT_NEAR(provider->latest().intensity.g_per_kwh(), 453.59237, 1e-9);
  EXPECT_DOUBLE_EQ((clock_.now() - before).seconds(), 30);
}

// A Retry-After of 0, a date already past or garbage names no hold: the client backs off as
// for any 503, and the failure is no hold-off and shows no past time.
TEST_F(LiveProviders, ARetryAfterNowOrInThePastOrGarbageIsNoHold) {
  for (const char* value : {"0", "Sun, 06 Nov 1994 08:49:37 GMT", "Wed, 01 May 2024 12:10:00 GMT", "-30", "soon"}) {
    server_.on("/v3/carbon-intensity/latest", {status_only(503, {{"Retry-After", value}})});
    const auto provider = make("electricitymaps", "DE");
    const UtcTime before = clock_.now();
    std::string message;
    bool held = false;
    try {
      provider->latest();
    } catch (const ProviderHoldOff&) {
      held = true;
    } catch (const NetworkError& e) {
      message = e.what();
    }
    EXPECT_FALSE(held) << value;
    EXPECT_NE(message.find("HTTP 503 Service Unavailable"), std::string::npos) << value << ": " << message;
    EXPECT_EQ(message.find("not asked again before"), std::string::npos) << message;
    EXPECT_EQ(http_.last_attempts(), 4) << value;
    EXPECT_DOUBLE_EQ((clock_.now() - before).seconds(), 0.5 + 1.0 + 2.0) << value;
  }
}

// A URL libcurl cannot use fails the same way every time: one attempt, no backoff.
TEST_F(LiveProviders, AUrlCurlCannotUseIsNotRetried) {
  for (const char* url : {"http://[::1/intensity", "http://host:99999/intensity", "nosuch://host/intensity"}) {
    const UtcTime before = clock_.now();
    const std::string message = error_of([&] { http_.get(HttpRequest{url, {}, std::nullopt}); });
    EXPECT_EQ(message.rfind(std::string("GET ") + url + ": ", 0), 0u) << message;
    EXPECT_NE(message.find("(not retried: the URL cannot be fetched)"), std::string::npos) << message;
    EXPECT_EQ(http_.last_attempts(), 1) << url;
    EXPECT_DOUBLE_EQ((clock_.now() - before).seconds(), 0) << url;
  }
}

TEST_F(LiveProviders, ServerErrorsBackOffExponentiallyThenGiveUp) {
  server_.on("/v3/carbon-intensity/latest", {status_only(500), status_only(503), body("electricitymaps/latest.json")});
  const auto provider = make("electricitymaps", "DE");
  UtcTime before = clock_.now();
  EXPECT_DOUBLE_EQ(provider->latest().intensity.g_per_kwh(), 302);
  EXPECT_DOUBLE_EQ((clock_.now() - before).seconds(), 0.5 + 1.0);
  EXPECT_EQ(http_.last_attempts(), 3);

  server_.on("/v3/carbon-intensity/latest", {status_only(500)});
  before = clock_.now();
  const std::string message = error_of([&] { provider->latest(); });
  EXPECT_NE(message.find("HTTP 500 Internal Server Error"), std::string::npos) << message;
  EXPECT_EQ(http_.last_attempts(), 4);
  EXPECT_DOUBLE_EQ((clock_.now() - before).seconds(), 0.5 + 1.0 + 2.0);
}

TEST_F(LiveProviders, ATimeoutIsANetworkErrorAfterTheRetries) {
  RetryPolicy quick;
  quick.attempts = 2;
  quick.timeout = Duration::milliseconds(200);
  CurlHttpClient impatient(quick, clock_);
  server_.on("/intensity", {Reply{200, "{}", {}, 1000}});
  ProviderSettings s;
  s.base_url = server_.base_url();
  s.http = &impatient;
  s.clock = &clock_;
  s.environment = env({});
  const auto provider = make_provider("uk-carbon-intensity", s);
  try {
    provider->latest();
    FAIL() << "no timeout";
  } catch (const NetworkError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("uk-carbon-intensity: GET " + server_.base_url() + "/intensity"), std::string::npos) << message;
    EXPECT_NE(message.find("after 2 attempts"), std::string::npos) << message;
    EXPECT_NE(message.find("imed out"), std::string::npos) << message;
  }
}

TEST_F(LiveProviders, MalformedMissingAndWrongUnitAnswersAreNamed) {
  const auto provider = make("electricitymaps", "DE");
  server_.on("/v3/carbon-intensity/latest", {body("electricitymaps/malformed.json")});
  EXPECT_NE(error_of([&] { provider->latest(); }).find("electricitymaps: answer to /v3/carbon-intensity/latest?zone=DE: invalid JSON"),
            std::string::npos)
      << error_of([&] { provider->latest(); });
  server_.on("/v3/carbon-intensity/latest", {body("electricitymaps/missing-field.json")});
  EXPECT_EQ(error_of([&] { provider->latest(); }), "electricitymaps: latest: field 'carbonIntensity' is missing");
  server_.on("/v3/carbon-intensity/latest", {body("electricitymaps/wrong-unit.json")});
  EXPECT_EQ(error_of([&] { provider->latest(); }),
            "electricitymaps: latest: field 'unit' is 'kgCO2eq/kWh', expected 'gCO2eq/kWh'");
  EXPECT_THROW(provider->latest(), NetworkError);  // the service's fault, not the user's input
}

TEST_F(LiveProviders, WattTimeLogsInOnceAndConvertsPoundsPerMwh) {
  server_.on("/login", {body("watttime/login.json")});
  server_.on("/v3/forecast", {body("watttime/forecast-now.json")});
  server_.on("/v3/historical", {body("watttime/historical.json")});
  const auto provider = make("watttime", "CAISO_NORTH", {{"WATTTIME_USER", "ada"}, {"WATTTIME_PASSWORD", "s3cret"}});
  const ProviderPoint now = provider->latest();
  EXPECT_NEAR(now.intensity.g_per_kwh(), 453.59237, 1e-9);  // 1000 lb/MWh
  EXPECT_EQ(now.until - now.from, Duration::minutes(5));
  const auto history = provider->history(at("2024-04-30T00:00:00Z"), at("2024-04-30T00:10:00Z"));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_NEAR(history[1].intensity.g_per_kwh(), 880 * 0.45359237, 1e-9);
  EXPECT_EQ(server_.count("/login"), 1u);
  const auto seen = server_.requests();
  EXPECT_EQ(seen[0].headers.at("authorization"), "Basic YWRhOnMzY3JldA==");  // ada:s3cret
  EXPECT_EQ(seen[1].headers.at("authorization"), "Bearer tok-1");
  EXPECT_EQ(seen[1].query.at("signal_type"), "co2_moer");
  EXPECT_EQ(seen[1].query.at("horizon_hours"), "0");
  EXPECT_EQ(seen[2].query.at("region"), "CAISO_NORTH");
}

// Found with fuzz/watttime_fuzzer: a period of 1e300 s overflowed the millisecond clock and gave
// a point that ends before it starts; 1e-9 s gave one that ends where it starts.
TEST_F(LiveProviders, WattTimeRefusesADataPointPeriodOutsideASecondToADay) {
  server_.on("/login", {body("watttime/login.json")});
  const auto provider = make("watttime", "CAISO_NORTH", {{"WATTTIME_USER", "ada"}, {"WATTTIME_PASSWORD", "s3cret"}});
  for (const char* period : {"1e300", "1e-9", "0"}) {
    server_.on("/v3/forecast", {Reply{200,
                                      fmt::format(R"({{"meta": {{"units": "lbs_co2_per_mwh", "data_point_period_seconds": {}}},
                                                     "data": [{{"point_time": "2024-05-01T12:10:00Z", "value": 900}}]}})",
                                                  period),
                                      {},
                                      0}});
    EXPECT_EQ(error_of([&] { provider->latest(); }),
              fmt::format("watttime: forecast meta: data_point_period_seconds {} is not between 1 and 86400",
                          std::stod(period)))
        << period;
  }
}

TEST_F(LiveProviders, WattTimeRenewsAnExpiredTokenOnce) {
  server_.on("/login", {body("watttime/login.json")});
  server_.on("/v3/forecast", {status_only(401), body("watttime/forecast-now.json")});
  const auto provider = make("watttime", "CAISO_NORTH", {{"WATTTIME_USER", "ada"}, {"WATTTIME_PASSWORD", "s3cret"}});
  EXPECT_NEAR(provider->latest().intensity.g_per_kwh(), 453.59237, 1e-9);
  EXPECT_EQ(server_.count("/login"), 2u);
  // After 25 minutes the token is renewed before use.
  clock_.advance(Duration::minutes(26));
  provider->latest();
  EXPECT_EQ(server_.count("/login"), 3u);
}

TEST_F(LiveProviders, WattTimeRefusesTheSignalIndexPercentileAndBadCredentials) {
  server_.on("/login", {body("watttime/login.json")});
  server_.on("/v3/forecast", {body("watttime/signal-index.json")});
  const auto provider = make("watttime", "CAISO_NORTH", {{"WATTTIME_USER", "ada"}, {"WATTTIME_PASSWORD", "s3cret"}});
  EXPECT_EQ(error_of([&] { provider->latest(); }),
            "watttime: forecast meta: units 'percentile' is not lbs_co2_per_mwh (a MOER is needed, in mass per energy)");
  server_.on("/login", {status_only(403)});
  const auto locked_out = make("watttime", "CAISO_NORTH", {{"WATTTIME_USER", "ada"}, {"WATTTIME_PASSWORD", "s3cret"}});
  const std::string message = error_of([&] { locked_out->latest(); });
  EXPECT_NE(message.find("watttime: HTTP 403 Forbidden from /login"), std::string::npos) << message;
  EXPECT_EQ(message.find("s3cret"), std::string::npos);
  EXPECT_THROW(make("watttime", "CAISO_NORTH", {}), InputError);
}

TEST_F(LiveProviders, UkCarbonIntensityPrefersActualAndFormatsItsTimes) {
  server_.on("/intensity", {body("uk-carbon-intensity/intensity.json"), body("uk-carbon-intensity/intensity-actual-null.json")});
  server_.on("/intensity/2024-04-30T00:00Z/2024-04-30T01:30Z", {body("uk-carbon-intensity/intensity-range.json")});
  const auto provider = make("uk-carbon-intensity", "", {});
  EXPECT_EQ(provider->zone(), "GB");
  const ProviderPoint closed = provider->latest();
  EXPECT_DOUBLE_EQ(closed.intensity.g_per_kwh(), 127);
  EXPECT_EQ(closed.from.iso8601(), "2024-05-01T11:30:00Z");
  EXPECT_EQ(closed.until.iso8601(), "2024-05-01T12:00:00Z");
  EXPECT_DOUBLE_EQ(provider->latest().intensity.g_per_kwh(), 140);  // actual is null: the forecast
  const auto history = provider->history(at("2024-04-30T00:00:00Z"), at("2024-04-30T01:30:00Z"));
  ASSERT_EQ(history.size(), 3u);
  EXPECT_DOUBLE_EQ(history[1].intensity.g_per_kwh(), 149);
  EXPECT_THROW(make("uk-carbon-intensity", "DE", {}), InputError);
}

TEST_F(LiveProviders, UnknownProviderListsTheKnownOnes) {
  EXPECT_EQ(error_of([&] { make("carbon-aware-sdk", ""); }),
            "unknown provider 'carbon-aware-sdk' (known: electricitymaps, watttime, uk-carbon-intensity)");
}

TEST(ApiKey, FromAnOwnerOnlyFileElseTheEnvironment) {
  test::TempDir dir;
  const auto file = dir.write("em.key", std::string(kKey) + "\n");
  ::chmod(file.c_str(), 0600);
  EXPECT_EQ(load_api_key("electricitymaps", file, "ELECTRICITYMAPS_API_KEY", env({})), kKey);
  EXPECT_EQ(load_api_key("electricitymaps", std::nullopt, "ELECTRICITYMAPS_API_KEY", env({{"ELECTRICITYMAPS_API_KEY", " k2 "}})),
            "k2");
  EXPECT_EQ(error_of([&] { load_api_key("electricitymaps", std::nullopt, "ELECTRICITYMAPS_API_KEY", env({})); }),
            "electricitymaps needs an API key: set ELECTRICITYMAPS_API_KEY or pass --key-file FILE (mode 0600)");
}

TEST(ApiKey, RefusesAGroupOrWorldReadableFileWithoutShowingTheKey) {
  test::TempDir dir;
  const auto file = dir.write("em.key", kKey);
  for (const mode_t mode : {0644, 0640, 0604}) {
    ::chmod(file.c_str(), mode);
    const std::string message = error_of([&] { load_api_key("electricitymaps", file, "X", env({})); });
    EXPECT_NE(message.find(file.string()), std::string::npos) << message;
    EXPECT_NE(message.find(fmt::format("mode {:04o}", mode)), std::string::npos) << message;
    EXPECT_NE(message.find("chmod 600"), std::string::npos) << message;
    EXPECT_EQ(message.find(kKey), std::string::npos) << message;
  }
  EXPECT_NE(error_of([&] { load_api_key("electricitymaps", dir.path() / "missing.key", "X", env({})); }).find("missing.key"),
            std::string::npos);
}

}  // namespace
}  // namespace chase

// `chase intensity` as a real process: trace, static and live sources (a local HTTP server as
// the provider, a SQLite cache file shared between runs), the fallbacks, and bad input.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "support/local_http_server.hpp"
#include "support/bad_input.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/uk_answer.hpp"

namespace chase {
namespace {

using test::run_chase;

std::string fixture(const std::string& path) { return std::string(CHASE_FIXTURES_DIR) + "/" + path; }

TEST(IntensityCli, TraceValueAtATime) {
  const auto r = run_chase({"intensity", "--trace", fixture("traces/step-change.csv"), "--at", "2020-01-01T01:20:00Z", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_DOUBLE_EQ(j["intensity_g_per_kwh"], 400);
  EXPECT_EQ(j["from"], "2020-01-01T01:00:00Z");
  EXPECT_EQ(j["until"], "2020-01-01T02:00:00Z");
  EXPECT_EQ(j["source"], "trace:" + fixture("traces/step-change.csv"));
  EXPECT_EQ(j["fallback"], false);
  EXPECT_DOUBLE_EQ(j["stale_s"], 0);
}

TEST(IntensityCli, TraceIntervalReportsStepsGapsAndTheWeightedMean) {
  const auto r = run_chase({"intensity", "--trace", fixture("traces/with-gap.csv"), "--from", "2020-01-01T00:30:00Z", "--to",
                            "2020-01-01T03:30:00Z", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["steps"].size(), 4u);  // 00:30, 01:00, held 01:30-03:00, 03:00
  EXPECT_EQ(j["steps"][2]["fallback"], true);
  EXPECT_EQ(j["steps"][2]["from"], "2020-01-01T01:30:00Z");
  ASSERT_EQ(j["gaps"].size(), 1u);
  EXPECT_DOUBLE_EQ(j["gaps"][0]["missing_s"], 5400);
  // (0.5 h x 110 + 0.5 h x 120 + 1.5 h x 120 + 0.5 h x 130) / 3 h
  EXPECT_DOUBLE_EQ(j["mean_intensity_g_per_kwh"], (0.5 * 110 + 0.5 * 120 + 1.5 * 120 + 0.5 * 130) / 3);
  const auto table = run_chase({"intensity", "--trace", fixture("traces/with-gap.csv"), "--from", "2020-01-01T00:30:00Z",
                                "--to", "2020-01-01T03:30:00Z"});
  EXPECT_NE(table.out.find("(fallback)"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("1 gap(s)"), std::string::npos) << table.out;
}

TEST(IntensityCli, StaticRegionHasNoAge) {
  const auto r = run_chase({"intensity", "--region", "fr", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_DOUBLE_EQ(j["intensity_g_per_kwh"], 33.0);  // FR 2024, Electricity Maps
  EXPECT_EQ(j["source"], "static:FR");
  EXPECT_TRUE(j["stale_s"].is_null());
}

TEST(IntensityCli, LiveProviderThenCacheThenStaticAverage) {
  test::LocalHttpServer server;
  test::TempDir dir;
  const std::string cache = (dir.path() / "cache.sqlite").string();
  // The recorded answer's value in a half hour that ended ten minutes ago (a 2024 value would be
  // too old to be live; one still current would be served from the cache without asking).
  const std::int64_t until = test::current_window_s();
  server.on("/intensity", {test::Reply{200, test::uk_intensity_answer(until - 1800, 127), {}, 0}});
  // The data's age: between the test's clock before and after the run, from the half hour's end.
  auto expect_age = [&](const nlohmann::json& j, std::int64_t before) {
    EXPECT_GE(j["stale_s"].get<double>(), static_cast<double>(before - until));
    EXPECT_LE(j["stale_s"].get<double>(), static_cast<double>(test::now_s() + 1 - until));
  };
  const std::vector<std::string> args{"intensity", "--provider", "uk-carbon-intensity", "--base-url", server.base_url(),
                                      "--json", "--cache"};
  auto with = [&](std::vector<std::string> a, const std::string& c) {
    a.push_back(c);
    return a;
  };
  std::int64_t before = test::now_s();
  const auto live = run_chase(with(args, cache));
  ASSERT_EQ(live.exit_code, 0) << live.err;
  auto j = nlohmann::json::parse(live.out);
  EXPECT_DOUBLE_EQ(j["intensity_g_per_kwh"], 127);
  EXPECT_EQ(j["source"], "uk-carbon-intensity:GB");
  EXPECT_EQ(j["fallback"], false);
  EXPECT_TRUE(j["fallback_reason"].is_null());
  expect_age(j, before);

  // The provider breaks: the next run (a new process) answers from the cache file.
  server.on("/intensity", {test::Reply{500, "{}", {}, 0}});
  before = test::now_s();
  const auto cached = run_chase(with(args, cache));
  ASSERT_EQ(cached.exit_code, 0) << cached.err;
  j = nlohmann::json::parse(cached.out);
  EXPECT_DOUBLE_EQ(j["intensity_g_per_kwh"], 127);
  EXPECT_EQ(j["source"], "cache:uk-carbon-intensity:GB");
  EXPECT_EQ(j["fallback"], true);
  EXPECT_NE(j["fallback_reason"].get<std::string>().find("HTTP 500"), std::string::npos);
  expect_age(j, before);

  // Nothing cached either: the static average of Great Britain.
  const auto fallback = run_chase(with(args, (dir.path() / "empty.sqlite").string()));
  ASSERT_EQ(fallback.exit_code, 0) << fallback.err;
  j = nlohmann::json::parse(fallback.out);
  EXPECT_EQ(j["source"], "static:GB");
  EXPECT_EQ(j["fallback"], true);
  EXPECT_TRUE(j["stale_s"].is_null());
}

// The case: the newest half hour ended 48 h ago. Not live: the static average, and why.
TEST(IntensityCli, AnAnswerTwoDaysOldIsAFailedFetch) {
  test::LocalHttpServer server;
  test::TempDir dir;
  const std::int64_t ended = test::now_s() - 48 * 3600;
  server.on("/intensity", {test::Reply{200, test::uk_intensity_answer(ended - ended % 60 - 1800, 127), {}, 0}});
  const auto r = run_chase({"intensity", "--provider", "uk-carbon-intensity", "--base-url", server.base_url(), "--cache",
                            (dir.path() / "c.sqlite").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["source"], "static:GB");
  EXPECT_EQ(j["fallback"], true);
  EXPECT_TRUE(j["stale_s"].is_null());
  EXPECT_EQ(j["fallback_reason"], "uk-carbon-intensity: newest data ended 48.0 h ago (bound 2 h)");
}

// Electricity Maps is hourly: its bound is 4 h, and a value ten hours old is past it.
TEST(IntensityCli, AnHourlyProvidersBoundIsFourHours) {
  test::LocalHttpServer server;
  test::TempDir dir;
  const std::int64_t ended = test::now_s() - 10 * 3600;
  const std::string datetime = test::uk_api_time(ended - ended % 60 - 3600);  // an ISO 8601 time, whole minutes
  server.on("/v3/carbon-intensity/latest",
            {test::Reply{200, "{\"zone\": \"FR\", \"carbonIntensity\": 61, \"datetime\": \"" + datetime + "\"}", {}, 0}});
  const auto r = run_chase({"intensity", "--provider", "electricitymaps", "--zone", "FR", "--base-url", server.base_url(),
                            "--cache", (dir.path() / "c.sqlite").string(), "--json"},
                           {{"ELECTRICITYMAPS_API_KEY", "test-key-3f9a"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["source"], "static:FR");
  EXPECT_EQ(j["fallback_reason"], "electricitymaps: newest data ended 10.0 h ago (bound 4 h)");
}

// A cache holding only values two days old (fetched a moment ago, as history) does not stand in
// for now when the provider fails: the static average does, and the reason says why.
TEST(IntensityCli, ACachedValueTwoDaysOldDoesNotStandIn) {
  test::LocalHttpServer server;
  test::TempDir dir;
  const std::string cache = (dir.path() / "c.sqlite").string();
  const std::int64_t start = test::current_half_hour_s() - 48 * 3600 - 1800;  // ends 48.0-48.5 h ago
  server.on("/intensity/" + test::uk_api_time(start) + "/" + test::uk_api_time(start + 1800),
            {test::Reply{200, test::uk_intensity_answer(start, 150), {}, 0}});
  server.on("/intensity", {test::Reply{500, "{}", {}, 0}});
  const std::vector<std::string> args{"intensity", "--provider", "uk-carbon-intensity", "--base-url", server.base_url(),
                                      "--cache", cache, "--json"};
  std::vector<std::string> past = args;
  past.insert(past.end(), {"--from", test::uk_api_time(start), "--to", test::uk_api_time(start + 1800)});
  const auto history = run_chase(past);
  ASSERT_EQ(history.exit_code, 0) << history.err;
  const auto h = nlohmann::json::parse(history.out);
  ASSERT_EQ(h["steps"].size(), 1u);
  EXPECT_EQ(h["steps"][0]["fallback"], false);
  EXPECT_GE(h["steps"][0]["stale_s"].get<double>(), 48 * 3600);  // its age, not the fetch's
  const auto r = run_chase(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["source"], "static:GB");
  const std::string reason = j["fallback_reason"].get<std::string>();
  EXPECT_EQ(reason.rfind("uk-carbon-intensity: HTTP 500 Internal Server Error from /intensity", 0), 0u) << reason;
  EXPECT_NE(reason.find("; cached data ended 48."), std::string::npos) << reason;
  EXPECT_NE(reason.find(" h ago (bound 2 h)"), std::string::npos) << reason;
}

// "Come back in an hour": one request, the fallback at once, and the next process (same cache
// file) does not ask before that hour is over. The reason names the Retry-After both times.
TEST(IntensityCli, ARetryAfterOfAnHourCostsOneRequestAcrossProcesses) {
  test::LocalHttpServer server;
  test::TempDir dir;
  server.on("/intensity", {test::Reply{429, "{\"error\": \"slow down\"}", {{"Retry-After", "3600"}}, 0}});
  const std::vector<std::string> args{"intensity", "--provider", "uk-carbon-intensity", "--base-url", server.base_url(),
                                      "--cache", (dir.path() / "c.sqlite").string(), "--json"};
  for (int run = 0; run < 2; ++run) {
    const auto r = run_chase(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["source"], "static:GB") << run;
    EXPECT_EQ(j["fallback"], true) << run;
    const std::string reason = j["fallback_reason"].get<std::string>();
    EXPECT_NE(reason.find("uk-carbon-intensity: HTTP 429 Too Many Requests from /intensity (Retry-After: 3600; not asked "
                          "again before "),
              std::string::npos)
        << reason;
  }
  EXPECT_EQ(server.count("/intensity"), 1u);
}

// The same with a 503 and an HTTP-date two hours ahead, from another provider.
TEST(IntensityCli, AServiceUnavailableWithAnHttpDateHoldsTheProviderToo) {
  test::LocalHttpServer server;
  test::TempDir dir;
  const std::string date = test::http_date(test::now_s() + 7200);
  server.on("/v3/carbon-intensity/latest", {test::Reply{503, "{}", {{"Retry-After", date}}, 0}});
  const std::vector<std::string> args{"intensity", "--provider", "electricitymaps", "--zone", "FR", "--base-url",
                                      server.base_url(), "--cache", (dir.path() / "c.sqlite").string(), "--json"};
  for (int run = 0; run < 2; ++run) {
    const auto r = run_chase(args, {{"ELECTRICITYMAPS_API_KEY", "test-key-3f9a"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["source"], "static:FR") << run;
    const std::string reason = j["fallback_reason"].get<std::string>();
    EXPECT_NE(reason.find("HTTP 503 Service Unavailable from /v3/carbon-intensity/latest?zone=FR (Retry-After: " + date),
              std::string::npos)
        << reason;
  }
  EXPECT_EQ(server.count("/v3/carbon-intensity/latest"), 1u);
}

TEST(IntensityCli, AProviderFailureNeverPrintsTheKey) {
  test::LocalHttpServer server;
  test::TempDir dir;
  server.on("/v3/carbon-intensity/latest",
            {test::file_reply(fixture("intensity-api/electricitymaps/unauthorized.json"), 401)});
  const auto r = run_chase({"intensity", "--provider", "electricitymaps", "--zone", "DE", "--base-url", server.base_url(),
                            "--cache", (dir.path() / "c.sqlite").string()},
                           {{"ELECTRICITYMAPS_API_KEY", "test-key-3f9a"}});
  // Zone DE falls back on its yearly average; the reason is shown, the key never.
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("static:DE"), std::string::npos) << r.out;
  EXPECT_NE((r.out + r.err).find("HTTP 401 Unauthorized"), std::string::npos) << r.out << r.err;
  EXPECT_EQ(r.err.find("test-key-3f9a"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("test-key-3f9a"), std::string::npos) << r.out;
}

TEST(IntensityCli, AWorldReadableKeyFileIsRefused) {
  test::TempDir dir;
  const auto key = dir.write("em.key", "test-key-3f9a\n");
  ::chmod(key.c_str(), 0644);
  const auto r = run_chase({"intensity", "--provider", "electricitymaps", "--zone", "DE", "--key-file", key.string(),
                            "--cache", (dir.path() / "c.sqlite").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(key.string() + " has mode 0644"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("test-key-3f9a"), std::string::npos);
}

using test::BadInput;

class IntensityBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(IntensityBadInput, OneLineOnStderrAndExit2) {
  test::expect_bad_input_rejected(GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, IntensityBadInput,
    ::testing::Values(
        BadInput{{"intensity", "--trace", fixture("traces/bad-time.csv")}, "bad-time.csv:2: time stamp \"2020-01-01 midnight\" is not ISO 8601"},
        BadInput{{"intensity", "--trace", fixture("traces/negative.csv")}, "negative.csv:3: column 'intensity_g_per_kwh': \"-5\" is negative"},
        BadInput{{"intensity", "--trace", fixture("traces/not-monotonic.csv")}, "not-monotonic.csv:3: time stamp \"2020-01-01T00:00:00Z\" is before line 2's"},
        BadInput{{"intensity", "--trace", "gb-2020", "--at", "2020-06-01 12:00"},
                 "--at: time stamp \"2020-06-01 12:00\" has no time zone (UTC or local time?)"},
        BadInput{{"intensity", "--trace", fixture("traces/empty.csv")}, "empty.csv: empty file"},
        BadInput{{"intensity", "--trace", "gb-2020", "--at", "yesterday"}, "--at: "},
        BadInput{{"intensity", "--trace", "gb-2020", "--at", "2030-01-01T00:00:00Z"}, "is outside the trace"},
        BadInput{{"intensity", "--trace", "gb-2020", "--from", "2020-01-01T00:00:00Z"}, "--from and --to go together"},
        BadInput{{"intensity", "--region", "atlantis"}, "--region: "},
        BadInput{{"intensity", "--provider", "carbon-aware-sdk"},
                 "unknown provider 'carbon-aware-sdk'"},
        BadInput{{"intensity"}, "give one of --trace, --region, --provider"},
        BadInput{{"intensity", "--trace", "gb-2020", "--region", "gb"}, "excludes"}));

}  // namespace
}  // namespace chase

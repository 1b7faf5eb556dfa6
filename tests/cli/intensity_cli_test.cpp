// `chase intensity` as a real process: trace, static and live sources (a local HTTP server as
// the provider, a SQLite cache file shared between runs), the fallbacks, and bad input.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "support/local_http_server.hpp"
#include "support/bad_input.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

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
  EXPECT_DOUBLE_EQ(j["intensity_g_per_kwh"], 56.7);
  EXPECT_EQ(j["source"], "static:fr");
  EXPECT_TRUE(j["stale_s"].is_null());
}

TEST(IntensityCli, LiveProviderThenCacheThenStaticAverage) {
  test::LocalHttpServer server;
  test::TempDir dir;
  const std::string cache = (dir.path() / "cache.sqlite").string();
  server.on("/intensity", {test::file_reply(fixture("intensity-api/uk-carbon-intensity/intensity.json"))});
  const std::vector<std::string> args{"intensity", "--provider", "uk-carbon-intensity", "--base-url", server.base_url(),
                                      "--json", "--cache"};
  auto with = [&](std::vector<std::string> a, const std::string& c) {
    a.push_back(c);
    return a;
  };
  const auto live = run_chase(with(args, cache));
  ASSERT_EQ(live.exit_code, 0) << live.err;
  auto j = nlohmann::json::parse(live.out);
  EXPECT_DOUBLE_EQ(j["intensity_g_per_kwh"], 127);
  EXPECT_EQ(j["source"], "uk-carbon-intensity:GB");
  EXPECT_EQ(j["fallback"], false);
  EXPECT_TRUE(j["fallback_reason"].is_null());
  EXPECT_GE(j["stale_s"].get<double>(), 0);

  // The provider breaks: the next run (a new process) answers from the cache file.
  server.on("/intensity", {test::Reply{500, "{}", {}, 0}});
  const auto cached = run_chase(with(args, cache));
  ASSERT_EQ(cached.exit_code, 0) << cached.err;
  j = nlohmann::json::parse(cached.out);
  EXPECT_DOUBLE_EQ(j["intensity_g_per_kwh"], 127);
  EXPECT_EQ(j["source"], "cache:uk-carbon-intensity:GB");
  EXPECT_EQ(j["fallback"], true);
  EXPECT_NE(j["fallback_reason"].get<std::string>().find("HTTP 500"), std::string::npos);

  // Nothing cached either: the static average of Great Britain.
  const auto fallback = run_chase(with(args, (dir.path() / "empty.sqlite").string()));
  ASSERT_EQ(fallback.exit_code, 0) << fallback.err;
  j = nlohmann::json::parse(fallback.out);
  EXPECT_EQ(j["source"], "static:gb");
  EXPECT_EQ(j["fallback"], true);
  EXPECT_TRUE(j["stale_s"].is_null());
}

TEST(IntensityCli, AProviderFailureNeverPrintsTheKey) {
  test::LocalHttpServer server;
  test::TempDir dir;
  server.on("/v3/carbon-intensity/latest",
            {test::file_reply(fixture("intensity-api/electricitymaps/unauthorized.json"), 401)});
  const auto r = run_chase({"intensity", "--provider", "electricitymaps", "--zone", "DE", "--base-url", server.base_url(),
                            "--cache", (dir.path() / "c.sqlite").string()},
                           {{"ELECTRICITYMAPS_API_KEY", "test-key-3f9a"}});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("HTTP 401 Unauthorized"), std::string::npos) << r.err;
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

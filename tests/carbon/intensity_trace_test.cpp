#include "carbon/intensity_trace.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

std::string fixture(const std::string& name) { return std::string(CHASE_FIXTURES_DIR) + "/traces/" + name; }

UtcTime at(const char* iso) { return *UtcTime::parse_iso8601(iso); }

TEST(IntensityTrace, StepFunctionLookup) {
  const auto trace = IntensityTrace::load(fixture("step-change.csv"));
  EXPECT_EQ(trace.size(), 2u);
  EXPECT_DOUBLE_EQ(trace.at(at("2020-01-01T00:59:59Z")).g_per_kwh(), 100);
  EXPECT_DOUBLE_EQ(trace.at(at("2020-01-01T01:00:00Z")).g_per_kwh(), 400);
  EXPECT_EQ(trace.end().iso8601(), "2020-01-01T02:00:00Z");
  EXPECT_THROW(trace.at(at("2020-01-01T02:00:00Z")), InputError);
  EXPECT_THROW(trace.at(at("2019-12-31T23:59:00Z")), InputError);
}

TEST(IntensityTrace, TimeWeightedMeanFollowsTheGrid) {
  const auto trace = IntensityTrace::load(fixture("step-change.csv"));
  // 30 min at 100 and 60 min at 400 -> (0.5*100 + 1*400) / 1.5 = 300.
  EXPECT_DOUBLE_EQ(trace.mean(at("2020-01-01T00:30:00Z"), at("2020-01-01T02:00:00Z")).g_per_kwh(), 300);
  std::vector<double> pieces;
  trace.for_each_segment(at("2020-01-01T00:30:00Z"), at("2020-01-01T01:30:00Z"),
                         [&](UtcTime a, UtcTime b, CarbonIntensity ci) { pieces.push_back((b - a).minutes() * ci.g_per_kwh()); });
  EXPECT_EQ(pieces, (std::vector<double>{30 * 100.0, 30 * 400.0}));
}

TEST(IntensityTrace, ReportsGapsButNotResolutionChanges) {
  const auto trace = IntensityTrace::load(fixture("with-gap.csv"));
  const auto gaps = trace.gaps();
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].from.iso8601(), "2020-01-01T01:00:00Z");
  EXPECT_EQ(gaps[0].to.iso8601(), "2020-01-01T03:00:00Z");
  EXPECT_DOUBLE_EQ(gaps[0].expected_step.minutes(), 30);
  EXPECT_DOUBLE_EQ(trace.typical_step().minutes(), 30);
}

TEST(IntensityTrace, ResampleAveragesEachFrame) {
  const auto trace = IntensityTrace::load(fixture("step-change.csv"));
  const auto frames = trace.resample(Duration::minutes(40));
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_DOUBLE_EQ(frames.samples()[0].intensity.g_per_kwh(), 100);
  EXPECT_DOUBLE_EQ(frames.samples()[1].intensity.g_per_kwh(), (20 * 100.0 + 20 * 400.0) / 40);
  EXPECT_DOUBLE_EQ(frames.samples()[2].intensity.g_per_kwh(), 400);
}

TEST(IntensityTrace, AcceptsEpochSeconds) {
  const auto trace = IntensityTrace::load(fixture("epoch.csv"));
  EXPECT_EQ(trace.start().iso8601(), "2020-01-01T00:00:00Z");
  EXPECT_DOUBLE_EQ(trace.typical_step().minutes(), 30);
}

// Found by fuzz/intensity_trace_fuzzer: epoch seconds this far apart made the step between two
// samples overflow the millisecond clock (undefined behaviour) instead of being refused.
TEST(IntensityTrace, RefusesEpochSecondsOutsideTheCalendarYears) {
  try {
    IntensityTrace::parse_csv("timestamp,intensity_g_per_kwh\n-9e15,1\n9e15,2\n", "far.csv");
    FAIL() << "accepted";
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "far.csv:2:1: column 'timestamp': epoch seconds -9e15 are outside the years 0000-9999");
  }
  const auto edges = IntensityTrace::parse_csv("timestamp,intensity_g_per_kwh\n-62167219200,1\n253402300799,2\n", "edges.csv");
  EXPECT_EQ(edges.start().iso8601(), "0000-01-01T00:00:00Z");
  EXPECT_EQ(edges.samples().back().time.iso8601(), "9999-12-31T23:59:59Z");
}

std::string load_error(const std::string& name) {
  try {
    IntensityTrace::load(fixture(name));
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(IntensityTrace, BadFilesNameLineAndColumn) {
  const std::string dir = fixture("");
  EXPECT_EQ(load_error("bad-value.csv"), dir + "bad-value.csv:3:2: column 'intensity_g_per_kwh': 'n/a' is not a number");
  EXPECT_EQ(load_error("negative.csv"), dir + "negative.csv:3:2: column 'intensity_g_per_kwh': -5 is negative");
  EXPECT_EQ(load_error("not-monotonic.csv"),
            dir + "not-monotonic.csv:3:1: timestamp 2020-01-01T00:00:00Z is not after the previous row's "
                  "2020-01-01T01:00:00Z (line 2)");
  EXPECT_EQ(load_error("bad-time.csv"),
            dir + "bad-time.csv:2:1: column 'timestamp': '2020-01-01 midnight' is neither ISO 8601 UTC nor epoch seconds");
  EXPECT_EQ(load_error("header-only.csv"), dir + "header-only.csv: no data rows after the header");
  EXPECT_EQ(load_error("empty.csv"), dir + "empty.csv: empty file: no header row");
}

TEST(IntensityTrace, BundledTracesLoadWithTheirKnownShape) {
  const auto gb = IntensityTrace::load("gb-2020");
  EXPECT_EQ(gb.size(), 21980u);
  EXPECT_EQ(gb.start().iso8601(), "2019-12-20T00:00:00Z");
  const auto ercot = IntensityTrace::load("ercot-2022");
  EXPECT_EQ(ercot.size(), 8760u);
  EXPECT_DOUBLE_EQ(ercot.typical_step().hours(), 1);
}

}  // namespace
}  // namespace chase

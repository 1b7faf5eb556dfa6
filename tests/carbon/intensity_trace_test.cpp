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
// samples overflow the millisecond clock (undefined behaviour) instead of being refused. Epoch
// numbers are now seconds (9-10 digits) or milliseconds (12-13) within 1970-2200
// (core/time_stamp.hpp), so such rows never reach the clock.
TEST(IntensityTrace, RefusesEpochSecondsOutsideTheCalendarYears) {
  for (const char* text : {"timestamp,intensity_g_per_kwh\n-9e15,1\n9e15,2\n",
                           "timestamp,intensity_g_per_kwh\n-62167219200,1\n253402300799,2\n",
                           "timestamp,intensity_g_per_kwh\n1577836800,1\n9999999999,2\n"}) {
    try {
      IntensityTrace::parse_csv(text, "far.csv");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const ParseError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("far.csv:", 0), 0u) << e.what();
    }
  }
}

std::string load_error(const std::string& name) {
  try {
    IntensityTrace::load(fixture(name));
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(IntensityTrace, BadFilesNameLineAndValue) {
  const std::string dir = fixture("");
  EXPECT_EQ(load_error("bad-value.csv"), dir + "bad-value.csv:3: column 'intensity_g_per_kwh': \"n/a\" is not a number");
  EXPECT_EQ(load_error("negative.csv"),
            dir + "negative.csv:3: column 'intensity_g_per_kwh': \"-5\" is negative: an intensity is at least 0 g/kWh");
  EXPECT_EQ(load_error("not-monotonic.csv"),
            dir + "not-monotonic.csv:3: time stamp \"2020-01-01T00:00:00Z\" is before line 2's "
                  "\"2020-01-01T01:00:00Z\": rows must be in time order");
  EXPECT_EQ(load_error("bad-time.csv"),
            dir + "bad-time.csv:2: time stamp \"2020-01-01 midnight\" is not ISO 8601 (expected e.g. 2020-01-01T00:00:00Z)");
  EXPECT_EQ(load_error("header-only.csv"), dir + "header-only.csv: no data rows after the header");
  EXPECT_EQ(load_error("empty.csv"), dir + "empty.csv: empty file: no header row");
}

// Real-looking exports of tests/fixtures/sim/diurnal-6d.csv read as the same samples: Excel's
// "CSV UTF-8" (BOM, CRLF, 250.0 written 250), its "Unicode text" (UTF-16 LE, tabs) and a European
// export (';', decimal commas, local times with their +01:00 offset).
TEST(IntensityTrace, SpreadsheetExportsReadAsTheOriginal) {
  const std::string fixtures = CHASE_FIXTURES_DIR;
  const auto original = IntensityTrace::load(fixtures + "/sim/diurnal-6d.csv");
  ASSERT_EQ(original.size(), 144u);
  for (const char* name : {"diurnal-6d-excel.csv", "diurnal-6d-unicode-text.txt", "diurnal-6d-de.csv"}) {
    const auto exported = IntensityTrace::load(fixtures + "/exports/" + name);
    ASSERT_EQ(exported.size(), original.size()) << name;
    for (std::size_t i = 0; i < original.size(); ++i) {
      EXPECT_EQ(exported.samples()[i].time, original.samples()[i].time) << name << " sample " << i;
      EXPECT_EQ(exported.samples()[i].intensity.g_per_kwh(), original.samples()[i].intensity.g_per_kwh())
          << name << " sample " << i;
    }
  }
}

std::string parse_error(const std::string& csv) {
  try {
    IntensityTrace::parse_csv(csv, "trace.csv");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(IntensityTrace, TimeStampsAsToolsWriteThem) {
  const auto first_two = [](const std::string& csv) {
    const auto t = IntensityTrace::parse_csv(csv, "trace.csv");
    return t.start().iso8601() + " " + t.samples()[1].time.iso8601();
  };
  const std::string h = "timestamp,intensity_g_per_kwh\n";
  EXPECT_EQ(first_two(h + "1577836800000,1\n1577838600000,2\n"), "2020-01-01T00:00:00Z 2020-01-01T00:30:00Z");
  EXPECT_EQ(first_two(h + "2020-01-01 00:00:00+00:00,1\n2020-01-01 01:30:00+01:00,2\n"),
            "2020-01-01T00:00:00Z 2020-01-01T00:30:00Z");
  // Local times across the end of daylight saving time: the repeated hour has two offsets.
  EXPECT_EQ(first_two(h + "2020-10-25T02:30:00+02:00,1\n2020-10-25T02:30:00+01:00,2\n"),
            "2020-10-25T00:30:00Z 2020-10-25T01:30:00Z");
}

TEST(IntensityTrace, RefusesWhatIsAmbiguousNamingTheLineAndTheValue) {
  const std::string h = "timestamp,intensity_g_per_kwh\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {h + "2020-01-01T00:00:00Z,1\n2020-01-01T00:00:00Z,2\n",
       "trace.csv:3: time stamp \"2020-01-01T00:00:00Z\" is the same instant as line 2's \"2020-01-01T00:00:00Z\": a "
       "duplicate row, or local times repeated when daylight saving time ends?"},
      {h + "2020-10-25 02:30,1\n",
       "trace.csv:2: time stamp \"2020-10-25 02:30\" has no time zone (UTC or local time?): add Z for UTC, or its "
       "offset such as +01:00"},
      {h + "2020-13-01 00:00,1\n", "trace.csv:2: time stamp \"2020-13-01 00:00\" is not a valid date"},
      {h + "2020-01-01T00:00:00Z,1\n03/04/2020 00:00,1\n",
       "trace.csv:3: time stamp \"03/04/2020 00:00\" is ambiguous: day/month/year gives 2020-04-03T00:00:00Z, "
       "month/day/year gives 2020-03-04T00:00:00Z; write ISO 8601 with its zone, e.g. one of them"},
      {h + "1577836800,1\n1577838600000,2\n",
       "trace.csv:3: time stamp \"1577838600000\" is epoch milliseconds, but line 2's \"1577836800\" is epoch seconds"},
      {h + "32503680000,1\n",
       "trace.csv:2: time stamp \"32503680000\" has 11 digits: epoch seconds have 9 or 10 (1973 to 2286), epoch "
       "milliseconds 12 or 13; other numbers are not time stamps"},
      {h + "33658-09-27T01:46:40Z,1\n",
       "trace.csv:2: time stamp \"33658-09-27T01:46:40Z\" is outside the plausible range (years 1970 to 2200, UTC)"},
      {h + "2020-01-01T00:00:00Z,nan\n", "trace.csv:2: column 'intensity_g_per_kwh': \"nan\" is not a finite number"},
      {h + "2020-01-01T00:00:00Z,\n", "trace.csv:2: column 'intensity_g_per_kwh': \"\" is empty"},
      {h + "2020-01-01T00:00:00Z,-0.5\n",
       "trace.csv:2: column 'intensity_g_per_kwh': \"-0.5\" is negative: an intensity is at least 0 g/kWh"},
      {"timestamp;intensity_g_per_kwh\n2020-01-01T00:00:00Z;1,5\n2020-01-01T01:00:00Z;2.5\n",
       "trace.csv:3: \"2.5\" has a decimal '.', but line 2's \"1,5\" has a decimal ',': one file has one decimal mark"},
  };
  for (const auto& [csv, message] : cases) EXPECT_EQ(parse_error(csv), message) << csv;
}

TEST(IntensityTrace, BundledTracesLoadWithTheirKnownShape) {
  const auto gb = IntensityTrace::load("gb-2020");
  EXPECT_EQ(gb.size(), 21980u);
  EXPECT_EQ(gb.start().iso8601(), "2019-12-20T00:00:00Z");
  const auto ercot = IntensityTrace::load("ercot-2022");
  EXPECT_EQ(ercot.size(), 8760u);
  EXPECT_DOUBLE_EQ(ercot.typical_step().hours(), 1);
}

// No grid emits more than its dirtiest plant (~1,200 g/kWh): a trace in g/MWh, or a corrupt one
// of 1e300s whose arithmetic would overflow, is refused at the line, and so is a trace built in code.
TEST(IntensityTrace, ImplausibleIntensitiesAreRefused) {
  const std::string in_g_per_mwh = "timestamp,intensity_g_per_kwh\n2020-01-01T00:00:00Z,231000\n";
  try {
    IntensityTrace::parse_csv(in_g_per_mwh, "mwh.csv");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("mwh.csv:2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("above 5000 gCO2e/kWh"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(IntensityTrace::parse_csv("timestamp,intensity_g_per_kwh\n2020-01-01T00:00:00Z,5000\n", "ok.csv"));
  const UtcTime t = UtcTime::parse_iso8601_or_throw("2020-01-01T00:00:00Z", "test");
  EXPECT_THROW(IntensityTrace("code", {{t, CarbonIntensity::g_per_kwh(1e300)}}), InputError);
}

}  // namespace
}  // namespace chase

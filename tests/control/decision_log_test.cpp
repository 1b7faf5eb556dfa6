#include "control/decision_log.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(DecisionLog, WritesARowPerFrameAsItEndsAndThePendingOneOnClose) {
  test::TempDir dir;
  const auto path = dir.path() / "decisions.csv";
  DecisionLog log(path);
  log.record({at("2020-06-01T10:00:00Z"), at("2020-06-01T10:05:00Z"), Power::watts(250),
              CarbonIntensity::g_per_kwh(180.5), std::nullopt, 0,
              "trace:gb", false});
  EXPECT_EQ(read(path), "from,until,limit_w,predicted_g_per_kwh,actual_g_per_kwh,work_done_units,source,fallback\n");
  log.complete(CarbonIntensity::g_per_kwh(190.25));
  EXPECT_EQ(read(path).substr(read(path).find('\n') + 1),
            "2020-06-01T10:00:00Z,2020-06-01T10:05:00Z,250,180.5,190.25,0,\"trace:gb\",false\n");
  log.record({at("2020-06-01T10:05:00Z"), at("2020-06-01T10:10:00Z"), Power::watts(200),
              CarbonIntensity::g_per_kwh(190.25), std::nullopt, 12.5,
              "static:gb", true});
  log.close();
  EXPECT_NE(read(path).find("2020-06-01T10:05:00Z,2020-06-01T10:10:00Z,200,190.25,,12.5,\"static:gb\",true\n"),
            std::string::npos)
      << read(path);
  ASSERT_EQ(log.decisions().size(), 2u);
  EXPECT_EQ(log.decisions()[0].actual, CarbonIntensity::g_per_kwh(190.25));
  EXPECT_FALSE(log.decisions()[1].actual);
}

// A second run appends to the first run's log (one header); a file that is not a decision log
// is refused and left as it was.
TEST(DecisionLog, AppendsToAnEarlierLogAndLeavesOtherFilesAlone) {
  test::TempDir dir;
  const auto path = dir.path() / "decisions.csv";
  const Decision d{at("2020-06-01T10:00:00Z"), at("2020-06-01T10:05:00Z"), Power::watts(250),
                   CarbonIntensity::g_per_kwh(200), std::nullopt, 0, "static:gb", false};
  for (int run = 0; run < 2; ++run) {
    DecisionLog log(path);
    log.record(d);
    log.complete(CarbonIntensity::g_per_kwh(210));
  }
  const std::string row = "2020-06-01T10:00:00Z,2020-06-01T10:05:00Z,250,200,210,0,\"static:gb\",false\n";
  EXPECT_EQ(read(path), std::string(kDecisionCsvHeader) + "\n" + row + row);
  const auto notes = dir.write("notes.csv", "my own notes\n");
  EXPECT_THROW(DecisionLog{notes}, InputError);
  EXPECT_EQ(read(notes), "my own notes\n");
}

TEST(DecisionLog, AnUnwritablePathIsAnInputError) {
  EXPECT_THROW(DecisionLog("/nonexistent-dir/decisions.csv"), InputError);
}

}  // namespace
}  // namespace chase

#include "export/decision_export.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace chase {
namespace {

UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }

std::vector<Decision> two_decisions() {
  return {{at("2020-06-01T10:00:00Z"), at("2020-06-01T10:05:00Z"), Power::watts(250),
           CarbonIntensity::g_per_kwh(180.5), CarbonIntensity::g_per_kwh(190.25), 0, "trace:gb", false},
          {at("2020-06-01T10:05:00Z"), at("2020-06-01T10:10:00Z"), Power::watts(200),
           CarbonIntensity::g_per_kwh(190.25), std::nullopt, 12.5, "static:gb", true}};
}

TEST(DecisionExport, WritesEveryDecisionWithNullForAFrameThatHadNotEnded) {
  const nlohmann::json j = decisions_json(two_decisions());
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["from"], "2020-06-01T10:00:00Z");
  EXPECT_EQ(j[0]["until"], "2020-06-01T10:05:00Z");
  EXPECT_DOUBLE_EQ(j[0]["limit_w"], 250);
  EXPECT_DOUBLE_EQ(j[0]["predicted_g_per_kwh"], 180.5);
  EXPECT_DOUBLE_EQ(j[0]["actual_g_per_kwh"], 190.25);
  EXPECT_EQ(j[0]["source"], "trace:gb");
  EXPECT_FALSE(j[0]["fallback"]);
  EXPECT_TRUE(j[1]["actual_g_per_kwh"].is_null());
  EXPECT_DOUBLE_EQ(j[1]["work_done_units"], 12.5);
  EXPECT_TRUE(j[1]["fallback"]);
}

TEST(DecisionExport, WritesTheDecisionLogsCsvFormat) {
  std::ostringstream out;
  write_decisions_csv(out, two_decisions());
  EXPECT_EQ(out.str(),
            "from,until,limit_w,predicted_g_per_kwh,actual_g_per_kwh,work_done_units,source,fallback\n"
            "2020-06-01T10:00:00Z,2020-06-01T10:05:00Z,250,180.5,190.25,0,\"trace:gb\",false\n"
            "2020-06-01T10:05:00Z,2020-06-01T10:10:00Z,200,190.25,,12.5,\"static:gb\",true\n");
}

}  // namespace
}  // namespace chase

#include "export/plan_export.hpp"

#include <gtest/gtest.h>

namespace chase {
namespace {

UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }

TEST(PlanExport, WritesTheJobAndEveryChoiceBestFirst) {
  WhereAndWhen plan;
  plan.rows = {{"fr", at("2020-06-01T00:00Z"), false, Mass::grams(300), Energy::joules(3.6e7), Mass::grams(250),
                Energy::joules(3.4e7), Duration::seconds(90000), 16.67, 4.2},
               {"us-average", UtcTime(), true, Mass::grams(4000), Energy::joules(3.6e7), Mass::grams(3800),
                Energy::joules(3.5e7), Duration::seconds(88000), 5, 1.9}};
  plan.spread_factor = 15.2;
  plan.spread_factor_vs_max = 16;
  const PlanInputs in{"a40-resnet50", "chase", 24, Energy::kwh(10), 0.05,
                      PlanWindow{at("2020-06-01T00:00Z"), at("2020-06-08T00:00Z")}, {"gb"}};
  const nlohmann::json j = plan_json(in, plan);
  EXPECT_EQ(j["profile"], "a40-resnet50");
  EXPECT_DOUBLE_EQ(j["work_hours"], 24);
  EXPECT_NEAR(j["energy_at_max_kwh"].get<double>(), 10, 1e-12);
  EXPECT_DOUBLE_EQ(j["slowdown_budget"], 0.05);
  EXPECT_EQ(j["window"], nlohmann::json({"2020-06-01T00:00:00Z", "2020-06-08T00:00:00Z"}));
  EXPECT_EQ(j["uncovered"], nlohmann::json({"gb"}));
  EXPECT_DOUBLE_EQ(j["factor"], 15.2);
  EXPECT_DOUBLE_EQ(j["factor_vs_max"], 16);
  ASSERT_EQ(j["rows"].size(), 2u);
  EXPECT_EQ(j["rows"][0]["region"], "fr");
  EXPECT_EQ(j["rows"][0]["start"], "2020-06-01T00:00:00Z");
  EXPECT_DOUBLE_EQ(j["rows"][0]["carbon_g"], 250);
  EXPECT_DOUBLE_EQ(j["rows"][0]["time_s"], 90000);
  EXPECT_TRUE(j["rows"][1]["start"].is_null());  // a static average: any start
}

TEST(PlanExport, WritesNullForNoWindowAndNoBudget) {
  const PlanInputs in{"a40-resnet50", "chase", 24, Energy::kwh(10), std::nullopt, std::nullopt, {}};
  const nlohmann::json j = plan_json(in, WhereAndWhen{});
  EXPECT_TRUE(j["window"].is_null());
  EXPECT_TRUE(j["slowdown_budget"].is_null());
  EXPECT_EQ(j["rows"], nlohmann::json::array());
}

}  // namespace
}  // namespace chase

#include "export/simulation_export.hpp"

#include <gtest/gtest.h>

namespace chase {
namespace {

UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }

TEST(SimulationExport, WritesTheRunBesideMaxAndEveryFrame) {
  SimulationResult run{"chase", Duration::seconds(7200), Energy::joules(1.8e6), Mass::grams(150), 1, 2, {}};
  const auto frame = [](const char* from, double watts, double predicted, double actual, double carbon_g) {
    return SimulatedFrame{at(from), Duration::seconds(3600), Duration::seconds(3600), Power::watts(watts),
                          CarbonIntensity::g_per_kwh(predicted), CarbonIntensity::g_per_kwh(actual),
                          Energy::joules(9e5), Mass::grams(carbon_g)};
  };
  run.frames = {frame("2020-06-02T00:00Z", 250, 80, 90, 22.5), frame("2020-06-02T01:00Z", 200, 70, 60, 15)};
  const SimulationResult max{"max", Duration::seconds(6000), Energy::joules(2e6), Mass::grams(200), 1, 2, {}};
  SimulationInputs in{"chase", "gb-2020", "a40-resnet50", 1.5, {}};
  in.setup.job.policy_parameters["eta"] = 0.5;
  in.setup.start = at("2020-06-02T00:00Z");
  in.setup.job.slowdown_budget = 0.25;
  in.setup.job.frame_length = std::nullopt;
  in.setup.job.forecaster = "default";
  const nlohmann::json j = simulation_json(in, compare_with_max(run, max));
  EXPECT_EQ(j["policy"], "chase");
  EXPECT_EQ(j["trace"], "gb-2020");
  EXPECT_EQ(j["profile"], "a40-resnet50");
  EXPECT_EQ(j["start"], "2020-06-02T00:00:00Z");
  EXPECT_EQ(j["end"], "2020-06-02T02:00:00Z");
  EXPECT_DOUBLE_EQ(j["work_hours"], 1.5);
  EXPECT_DOUBLE_EQ(j["slowdown_budget"], 0.25);
  EXPECT_TRUE(j["frame_s"].is_null());  // the trace's own grid
  EXPECT_EQ(j["forecaster"], "default");
  EXPECT_DOUBLE_EQ(j["eta"], 0.5);
  EXPECT_DOUBLE_EQ(j["time_s"], 7200);
  EXPECT_DOUBLE_EQ(j["carbon_g"], 150);
  EXPECT_NEAR(j["slowdown_pct"].get<double>(), 20, 1e-9);
  EXPECT_DOUBLE_EQ(j["carbon_saved_pct"], 25);
  EXPECT_NEAR(j["energy_saved_pct"].get<double>(), 10, 1e-9);
  EXPECT_EQ(j["baseline"]["policy"], "max");
  EXPECT_DOUBLE_EQ(j["baseline"]["time_s"], 6000);
  ASSERT_EQ(j["frames"].size(), 2u);
  EXPECT_EQ(j["frames"][1]["start"], "2020-06-02T01:00:00Z");
  EXPECT_DOUBLE_EQ(j["frames"][1]["limit_w"], 200);
  EXPECT_DOUBLE_EQ(j["frames"][1]["actual_g_per_kwh"], 60);
  EXPECT_DOUBLE_EQ(j["frames"][1]["carbon_g"], 15);
}

}  // namespace
}  // namespace chase

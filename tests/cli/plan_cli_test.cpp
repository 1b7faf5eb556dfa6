// `chase plan` as a real process: where and when, best first.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/process.hpp"

namespace chase {
namespace {

using test::run_chase;

const std::string kTrace = std::string(CHASE_FIXTURES_DIR) + "/sim/diurnal-6d.csv";
const std::string kProfile = std::string(CHASE_FIXTURES_DIR) + "/control/noisy-profile.csv";

TEST(PlanCli, RanksRegionsAndStartsBestFirstWithTheFactor) {
  const auto r = run_chase({"plan", "--traces", kTrace, "--regions", "us-average", "--profile", kProfile,
                            "--work-hours", "12", "--every-hours", "6", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& rows = j["rows"];
  ASSERT_GE(rows.size(), 10u);
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_LE(rows[i - 1]["carbon_g"], rows[i]["carbon_g"]);
  EXPECT_NEAR(j["factor"].get<double>(), rows.back()["carbon_g"].get<double>() / rows[0]["carbon_g"].get<double>(), 1e-9);
  bool static_row = false;
  for (const auto& row : rows) {
    EXPECT_LE(row["carbon_g"].get<double>(), row["max_carbon_g"].get<double>() + 1e-9) << row;
    EXPECT_LE(row["slowdown_pct"].get<double>(), 2.5 + 1e-6) << row;
    // 12 h at 300 W = 3.6 kWh at max power.
    EXPECT_NEAR(row["max_energy_j"].get<double>(), 300.0 * 12 * 3600, 1e-3) << row;
    if (row["region"] == "us-average") {
      static_row = true;
      EXPECT_TRUE(row["start"].is_null());
    }
  }
  EXPECT_TRUE(static_row);
}

// A plan asks "when": a region with a bundled trace (gb, also as GBR) is planned over that trace's
// hours, though its default figure elsewhere is the zone's 2024 average; DE has no trace.
TEST(PlanCli, ARegionWithABundledTraceIsPlannedOverItsHours) {
  const auto r = run_chase({"plan", "--regions", "GBR,DE", "--profile", kProfile, "--work-hours", "12", "--window",
                            "2020-06-01T00:00Z/2020-06-02T00:00Z", "--every-hours", "6", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  int gb_starts = 0, de_rows = 0;
  for (const auto& row : j["rows"]) {
    if (row["region"] == "gb") {
      ++gb_starts;
      EXPECT_TRUE(row["start"].is_string()) << row;
    } else {
      EXPECT_EQ(row["region"], "DE") << row;
      EXPECT_TRUE(row["start"].is_null()) << row;
      ++de_rows;
    }
  }
  EXPECT_EQ(gb_starts, 4);  // 00:00, 06:00, 12:00, 18:00 of 2020-06-01
  EXPECT_EQ(de_rows, 1);
}

TEST(PlanCli, EnergyScalesEveryFigureAndTheWindowPicksStarts) {
  const auto r = run_chase({"plan", "--traces", kTrace, "--profile", kProfile, "--work-hours", "24", "--energy-kwh",
                            "720", "--window", "2021-03-02T00:00Z/2021-03-03T00:00Z", "--every-hours", "8", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["rows"].size(), 3u);  // 00:00, 08:00, 16:00
  EXPECT_DOUBLE_EQ(j["energy_at_max_kwh"], 720);
  for (const auto& row : j["rows"]) EXPECT_NEAR(row["max_energy_j"].get<double>(), 720 * 3.6e6, 1e-3);
}

TEST(PlanCli, TableShowsTheBestAndTheWorst) {
  const auto r = run_chase({"plan", "--traces", kTrace, "--profile", kProfile, "--work-hours", "12", "--every-hours",
                            "3", "--top", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("CO2e chase"), std::string::npos);
  EXPECT_NE(r.out.find("best: diurnal-6d from"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("a factor of"), std::string::npos);
}

TEST(PlanCli, AWindowNoTraceCoversIsExitTwo) {
  const auto r = run_chase({"plan", "--traces", kTrace, "--window", "2030-01-01T00:00Z/2030-01-02T00:00Z"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("uncovered: diurnal-6d"), std::string::npos) << r.err;
  const auto bad = run_chase({"plan", "--window", "2020-01-01"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--window"), std::string::npos) << bad.err;
  const auto region = run_chase({"plan", "--regions", "atlantis"});
  EXPECT_EQ(region.exit_code, 2);
  EXPECT_NE(region.err.find("--regions"), std::string::npos) << region.err;
}

}  // namespace
}  // namespace chase
